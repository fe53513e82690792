"""Decision receipts, the pure core: canonical JSON, the signature, the filer's copy, tampering, the replay
comparison."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from clearway.receipts import core

KEY = core.signing_key("a-long-installation-secret-for-tests-only")
OTHER = core.signing_key("another-installation-secret-for-tests")
KEYS = {KEY.kid: KEY}

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.text(max_size=12),
    st.floats(allow_nan=False, allow_infinity=False),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
objects = st.dictionaries(st.text(min_size=1, max_size=8), values, min_size=1, max_size=6)


def _content(body: dict[str, Any]) -> dict[str, Any]:
    return {"declaration": {"id": 7, "number": "CW-26-00000007"}, "body": body}


@settings(max_examples=40, deadline=None)
@given(objects)
def test_canonical_form_ignores_key_order_and_has_no_spaces(data):
    reordered = dict(reversed(list(data.items())))
    assert core.canonical(data) == core.canonical(reordered)
    assert core.digest(data) == core.digest(reordered)
    assert core.digest(data).startswith("sha256:")


@settings(max_examples=40, deadline=None)
@given(objects, objects)
def test_a_sealed_receipt_verifies_whole_and_as_the_filers_copy(body, confidential):
    receipt = core.seal(_content(body), confidential, KEY)
    whole = core.verify(receipt, KEYS)
    assert whole.valid and whole.confidential_checked and whole.kid == KEY.kid
    filer = core.filer_view(receipt)
    assert filer is not None and "confidential" not in filer
    assert core.verify(filer, KEYS).valid
    # the filer's copy carries a keyed digest of the confidential part, never the part itself
    assert receipt["content"]["confidential_mac"] and "confidential" not in filer["content"]


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _leaves(v, (*path, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _leaves(v, (*path, i))]
    return [path]


def _changed(value: Any) -> Any:
    return {"was": value}  # always another JSON value (adding 1 to 1e20 would not change it)


@settings(max_examples=40, deadline=None)
@given(objects, objects, st.data())
def test_any_change_to_a_signed_field_is_detected(body, confidential, data):
    receipt = core.seal(_content(body), confidential, KEY)
    paths = _leaves(receipt["content"])
    path = data.draw(st.sampled_from(paths))
    tampered = copy.deepcopy(receipt)
    target = tampered["content"]
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = _changed(target[path[-1]])
    verdict = core.verify(tampered, KEYS)
    assert not verdict.valid
    assert not core.verify(core.filer_view(tampered), KEYS).valid


@settings(max_examples=40, deadline=None)
@given(objects, objects)
def test_a_changed_confidential_part_is_detected(body, confidential):
    receipt = core.seal(_content(body), confidential, KEY)
    tampered = copy.deepcopy(receipt)
    tampered["confidential"]["added"] = "criterion X"
    verdict = core.verify(tampered, KEYS)
    assert not verdict.valid and "confidential part changed" in verdict.reason


def test_another_key_or_an_unknown_key_id_is_refused_with_its_reason():
    receipt = core.seal(_content({"a": 1}), {"score": 0.5}, OTHER)
    verdict = core.verify(receipt, KEYS)
    assert not verdict.valid and OTHER.kid in verdict.reason
    forged = copy.deepcopy(receipt)
    forged["signature"]["kid"] = KEY.kid  # claims our key, signed with another
    assert not core.verify(forged, KEYS).valid
    # keys rotate by id: an installation holding both keys verifies both receipts
    assert core.verify(receipt, {KEY.kid: KEY, OTHER.kid: OTHER}).valid
    assert KEY.kid != OTHER.kid and "secret" not in repr(KEY)


@settings(max_examples=40, deadline=None)
@given(values)
def test_malformed_receipts_are_not_valid_and_never_raise(anything):
    assert not core.verify(anything, KEYS).valid
    assert not core.verify({"content": {"a": anything}, "signature": {"alg": "none"}}, KEYS).valid


RECORDED = {
    "engine": "kr-tariff-v1",
    "parameters_fingerprint": "sha256:p",
    "exchange_rates": [
        {"currency": "USD", "rate_krw": "1350.00", "per": 1, "week": ["2026-11-15", "2026-11-21"]}
    ],
    "lines": [
        {
            "line_number": 1,
            "commodity_code": "8471300000",
            "rates_fingerprint": "sha256:r1",
            "applied_rate": {"rate_code": "A"},
            "customs_value_krw": "13500000",
            "duty_krw": "0",
            "taxes_krw": "1350000",
            "due_krw": "1350000",
        }
    ],
    "total_due_krw": "1350000",
}


def test_the_same_inputs_and_figures_compare_identical():
    checks = core.compare_tariff(RECORDED, copy.deepcopy(RECORDED))
    assert checks and all(c.same for c in checks)
    assert core.explain(checks) == []


def test_a_changed_rate_is_named_before_the_figures_it_changed():
    now = copy.deepcopy(RECORDED)
    now["lines"][0]["rates_fingerprint"] = "sha256:r2"
    now["lines"][0]["duty_krw"] = "1080000"
    now["total_due_krw"] = "2538000"
    explained = core.explain(core.compare_tariff(RECORDED, now))
    assert explained[0] == "line 1 rates 8471300000: was sha256:r1, now sha256:r2"
    assert "total due (KRW): recorded 1350000, would now be 2538000" in explained
    assert any(line.startswith("line 1 duty_krw: recorded 0") for line in explained)
