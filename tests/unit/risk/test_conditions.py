"""The condition language: clear errors naming the field, no criterion that matches everything or nothing."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clearway.errors import ValidationFailed
from clearway.risk.conditions import EvalContext, compile_condition, constant_verdict, describe, validate
from tests.unit.risk.helpers import record


def errors_of(condition, **kw):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as exc:
        validate(condition, **kw)
    return {(e.pointer, e.code) for e in exc.value.errors}


def test_a_simple_condition_is_normalised_and_matches():
    c = validate(
        {
            "all": [
                {"field": "commodity_code", "op": "prefix", "value": "8471"},
                {"field": "origin_country", "op": "in", "value": ["cn", "VN"]},
            ]
        }
    )
    assert c["all"][1]["value"] == ["CN", "VN"]
    match = compile_condition(c)
    assert match(record(), EvalContext())
    assert not match(record(origin_country="US"), EvalContext())
    assert describe(c) == "commodity_code prefix 8471 and origin_country in [CN, VN]"


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"field": "colour", "op": "eq", "value": "red"}, ("/condition/field", "unknown_field")),
        ({"field": "origin_country", "op": "gt", "value": "CN"}, ("/condition/op", "bad_op")),
        ({"field": "origin_country", "op": "eq", "value": "China"}, ("/condition/value", "bad_country")),
        ({"field": "commodity_code", "op": "prefix", "value": "84x"}, ("/condition/value", "bad_code")),
        ({"field": "net_mass_kg", "op": "gt", "value": "heavy"}, ("/condition/value", "not_a_number")),
        ({"field": "net_mass_kg", "op": "gt"}, ("/condition/value", "required")),
        ({"field": "net_mass_kg", "op": "missing", "value": 3}, ("/condition/value", "unexpected_value")),
        (
            {"all": [{"field": "origin_country", "op": "eq", "value": "CN"}, {"field": "x"}]},
            ("/condition/all/1/field", "unknown_field"),
        ),
        ({"any": []}, ("/condition/any", "empty")),
        ({"all": []}, ("/condition/all", "empty")),
        ({"field": "origin_country", "op": "in", "value": []}, ("/condition/value", "empty_list")),
        ({"field": "value_per_kg", "op": "between", "value": [10, 1]}, ("/condition/value", "empty_range")),
        (
            {"field": "importer", "op": "in_watchlist", "value": "nope"},
            ("/condition/value", "unknown_watchlist"),
        ),
        ("origin is China", ("/condition", "not_an_object")),
        ({"all": [], "field": "x"}, ("/condition", "mixed_condition")),
    ],
)
def test_malformed_conditions_name_the_field(condition, expected):
    assert expected in errors_of(condition, watchlists={"known"})


@pytest.mark.parametrize(
    "condition",
    [
        {
            "all": [
                {"field": "origin_country", "op": "eq", "value": "CN"},
                {"field": "origin_country", "op": "eq", "value": "VN"},
            ]
        },
        {
            "all": [
                {"field": "net_mass_kg", "op": "gt", "value": 10},
                {"field": "net_mass_kg", "op": "lt", "value": 5},
            ]
        },
        {
            "all": [
                {"field": "hs6", "op": "prefix", "value": "84"},
                {"field": "hs6", "op": "prefix", "value": "85"},
            ]
        },
        {"all": [{"field": "seller", "op": "present"}, {"field": "seller", "op": "missing"}]},
        {"not": {"any": [{"field": "tax_rate", "op": "missing"}, {"field": "tax_rate", "op": "present"}]}},
    ],
)
def test_contradictions_are_refused_as_matching_nothing(condition):
    assert ("/condition", "matches_nothing") in errors_of(condition)


@pytest.mark.parametrize(
    "condition",
    [
        {
            "any": [
                {"field": "origin_country", "op": "eq", "value": "CN"},
                {"not": {"field": "origin_country", "op": "eq", "value": "CN"}},
            ]
        },
        {"any": [{"field": "importer", "op": "missing"}, {"field": "importer", "op": "present"}]},
        {
            "any": [
                {"field": "value_krw", "op": "le", "value": 5},
                {"field": "value_krw", "op": "gt", "value": 5},
                {"field": "value_krw", "op": "missing"},
            ]
        },
    ],
)
def test_tautologies_are_refused_as_matching_everything(condition):
    assert ("/condition", "matches_everything") in errors_of(condition)


def test_watchlist_conditions_are_neither_always_nor_never():
    c = validate({"field": "importer", "op": "in_watchlist", "value": "known"}, watchlists={"known"})
    assert constant_verdict(c) is None


def test_missing_values_never_satisfy_a_comparison():
    match = compile_condition(validate({"field": "value_per_kg", "op": "lt", "value": 100}))
    assert not match(record(value_krw=None), EvalContext())
    ne = compile_condition(validate({"field": "seller", "op": "ne", "value": "ACME|CN"}))
    assert not ne(record(seller=None), EvalContext())


def test_value_per_kg_against_the_commodity_reference():
    class Ref(EvalContext):
        def reference_value_per_kg(self, hs6):  # type: ignore[no-untyped-def]
            return 10_000.0 if hs6 == "847130" else None

    match = compile_condition(validate({"field": "value_per_kg_ratio", "op": "outside", "value": [0.3, 3]}))
    assert match(record(value_krw=100_000.0, net_mass_kg=100.0), Ref())  # 1,000 per kg = 0.1 × reference
    assert not match(record(value_krw=1_000_000.0, net_mass_kg=100.0), Ref())
    assert not match(record(hs6="999999"), Ref())  # no reference: missing, not a match


def test_party_values_accept_a_business_registration_number_with_hyphens():
    c = validate({"field": "importer", "op": "eq", "value": "123-45-67890"})
    assert c["value"] == "BRN:1234567890"
    assert compile_condition(c)(record(), EvalContext())


# ---- property: a verdict is always right -------------------------------------------------------------------

TEXT = st.sampled_from(["CN", "VN", "US"])
atoms = st.one_of(
    st.builds(lambda v: {"field": "origin_country", "op": "eq", "value": v}, TEXT),
    st.builds(lambda v: {"field": "origin_country", "op": "ne", "value": v}, TEXT),
    st.builds(lambda vs: {"field": "origin_country", "op": "in", "value": vs}, st.lists(TEXT, min_size=1)),
    st.builds(lambda v: {"field": "hs6", "op": "prefix", "value": v}, st.sampled_from(["84", "8471", "85"])),
    st.builds(lambda v: {"field": "net_mass_kg", "op": "gt", "value": v}, st.sampled_from([1, 10, 100])),
    st.builds(lambda v: {"field": "net_mass_kg", "op": "le", "value": v}, st.sampled_from([1, 10, 100])),
    st.builds(
        lambda lo, d: {"field": "net_mass_kg", "op": "between", "value": [lo, lo + d]},
        st.sampled_from([0, 5, 50]),
        st.sampled_from([0, 10]),
    ),
    st.sampled_from(
        [{"field": "origin_country", "op": "missing"}, {"field": "net_mass_kg", "op": "present"}]
    ),
)
conditions = st.recursive(
    atoms,
    lambda inner: st.one_of(
        st.builds(lambda xs: {"all": xs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda xs: {"any": xs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda x: {"not": x}, inner),
    ),
    max_leaves=6,
)
records = st.builds(
    lambda o, h, m: record(origin_country=o, hs6=h, commodity_code=None, net_mass_kg=m),
    st.one_of(st.none(), st.sampled_from(["CN", "VN", "US", "KR"])),
    st.sampled_from(["847130", "851712", "030354"]),
    st.one_of(st.none(), st.sampled_from([0.5, 1.0, 5.0, 10.0, 50.0, 100.0, 1000.0])),
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(conditions, st.lists(records, min_size=1, max_size=20))
def test_a_refused_condition_really_is_constant(condition, sample):
    try:
        normalised = validate(condition)
    except ValidationFailed as exc:
        codes = {e.code for e in exc.errors}
        match = compile_condition(condition)
        results = {match(r, EvalContext()) for r in sample}
        if "matches_nothing" in codes:
            assert results == {False}
        if "matches_everything" in codes:
            assert results == {True}
        return
    assert constant_verdict(normalised) is None
