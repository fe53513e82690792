"""Storage rules, stock at a date, matching and pre-arrival screening (pure)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearway.cargo import matching, screening, storage
from clearway.cargo.storage import BillState, CargoConflict, CarryOutReason, StorageEvent
from clearway.declaration.lifecycle import Lane
from clearway.errors import ValidationFailed
from clearway.risk.conditions import EvalContext
from clearway.risk.criteria import Criterion, CriterionSpec, Watchlist

D = date(2026, 11, 19)


def _state(*events: StorageEvent, arrived: bool = True, released: bool = False, holds: int = 0) -> BillState:
    return BillState("CCN", arrived, tuple(events), released, holds)


def test_carry_in_and_out_rules() -> None:
    with pytest.raises(CargoConflict) as e:
        storage.check_carry_in(_state(arrived=False), "03077001", D)
    assert e.value.extra["code"] == "not_arrived"
    storage.check_carry_in(_state(), "03077001", D)
    with pytest.raises(CargoConflict) as e:
        storage.check_carry_in(BillState("CCN", True, (), False, 0, D), "03077001", D - timedelta(days=1))
    assert e.value.extra["code"] == "date_out_of_order"
    inside = StorageEvent("carry_in", "03077001", D)
    with pytest.raises(CargoConflict) as e:
        storage.check_carry_in(_state(inside), "03077001", D)
    assert e.value.extra["code"] == "already_in_storage"
    with pytest.raises(ValidationFailed):
        storage.check_carry_in(_state(), "shed 1", D)
    for state, reason, code in [
        (_state(), CarryOutReason.RELEASE, "not_in_storage"),
        (_state(inside), CarryOutReason.RELEASE, "not_released"),
        (_state(inside, released=True, holds=1), CarryOutReason.RELEASE, "on_hold"),
    ]:
        with pytest.raises(CargoConflict) as e:
            storage.check_carry_out(state, reason, None, D)
        assert e.value.extra["code"] == code
    with pytest.raises(CargoConflict) as e:
        storage.check_carry_out(
            _state(inside, released=True), CarryOutReason.RELEASE, None, D - timedelta(days=1)
        )
    assert e.value.extra["code"] == "date_out_of_order"
    storage.check_carry_out(_state(inside, released=True), CarryOutReason.RELEASE, None, D)
    storage.check_carry_out(_state(inside), CarryOutReason.RETURN, "shipper asked for it back", D)


def test_deadlines() -> None:
    assert storage.declaration_deadline(D) == date(2026, 12, 19)
    assert storage.storage_deadline(D, storage.AreaKind.DESIGNATED) == D + timedelta(days=180)
    listed = storage.undeclared(
        [("A", StorageEvent("carry_in", "S", D)), ("B", StorageEvent("carry_in", "S", D))],
        {"B"},
        D + timedelta(days=31),
    )
    assert [(u.bill, u.days, u.overdue) for u in listed] == [("A", 31, True)]


@st.composite
def histories(draw: st.DrawFn) -> list[tuple[str, StorageEvent]]:
    out = []
    for bill in draw(st.lists(st.sampled_from("ABCDE"), unique=True)):
        day = D
        for i in range(draw(st.integers(min_value=1, max_value=4))):
            day += timedelta(days=draw(st.integers(min_value=0, max_value=5)))
            out.append((bill, StorageEvent("carry_in" if i % 2 == 0 else "carry_out", "S", day)))
    return out


@given(histories(), st.integers(min_value=-1, max_value=25))
def test_stock_is_the_bills_carried_in_and_not_yet_out(
    events: list[tuple[str, StorageEvent]], offset: int
) -> None:
    on = D + timedelta(days=offset)
    stock = storage.stock_at(events, on)
    for bill in {b for b, _ in events}:
        before = [e for b, e in events if b == bill and e.on <= on]
        ins = sum(e.kind == "carry_in" for e in before)
        outs = sum(e.kind == "carry_out" for e in before)
        assert (bill in stock) == (ins > outs)


LINE = matching.ManifestLine(
    "HB1", "Hanbit Electronics Co., Ltd.", "120-81-12342", "Notebook computers", "847130", 10, Decimal("200")
)


def _goods(**kw: object) -> matching.DeclaredGoods:
    base = dict(
        declaration_id=1,
        importer_name="HANBIT ELECTRONICS",
        importer_brn="1208112342",
        descriptions=("Notebook computer, 14-inch",),
        commodity_codes=("8471300000",),
        net_mass_kg=Decimal("160"),
    )
    return matching.DeclaredGoods(**{**base, **kw})  # type: ignore[arg-type]


def test_matching() -> None:
    assert matching.match(LINE, _goods(), "HB1").matched
    found = matching.match(
        LINE,
        _goods(
            net_mass_kg=Decimal("260"),
            importer_brn="6178123455",
            commodity_codes=("0306170000",),
            descriptions=("frozen shrimp",),
        ),
        "HB1",
    )
    assert {f.code for f in found.findings} == {
        "weight_over_manifest",
        "consignee_not_importer",
        "hs_mismatch",
        "description_mismatch",
    }
    assert matching.match(None, _goods(), "HB9").findings[0].code == "bill_not_on_manifest"
    assert matching.same_party("Hanbit Electronics Co Ltd", None, "HANBIT ELECTRONICS CO., LTD.", None)


def _screen_line(**kw: object) -> screening.ScreenLine:
    base = dict(
        bill="HB1",
        mode="sea",
        arrival_date=D,
        port_of_loading="CNSHA",
        port_of_discharge="KRPUS",
        transshipment_ports=(),
        shipper_key="SHENZHEN EVERBRIGHT|CN",
        consignee_key="BRN:1208112342",
        description="Notebook computers",
        hs6="847130",
        packages=10,
        gross_weight_kg=Decimal("200"),
        has_value=True,
    )
    return screening.ScreenLine(**{**base, **kw})  # type: ignore[arg-type]


def test_screening_explains_its_level() -> None:
    known = frozenset({"BRN:1208112342"})
    clean = screening.screen(
        [_screen_line()], criteria=[], watchlists=[], context=EvalContext(), known_consignees=known
    )[0]
    assert (clean.level, clean.action, clean.reasons) == ("low", "none", ())
    vague = screening.screen(
        [
            _screen_line(
                description="General cargo",
                hs6=None,
                has_value=False,
                gross_weight_kg=Decimal("0.1"),
                transshipment_ports=("SGSIN",),
            )
        ],
        criteria=[],
        watchlists=[],
        context=EvalContext(),
        known_consignees=frozenset(),
    )[0]
    assert vague.level == "high" and vague.action == "physical"
    assert {r["code"] for r in vague.reasons} == {
        "vague_description",
        "no_hs_code",
        "no_value",
        "weight_per_package",
        "transshipment",
        "new_consignee",
    }
    listed = Watchlist(1, "sanctioned", Lane.RED, {"seller": frozenset({"SHENZHEN EVERBRIGHT|CN"})})
    hit = screening.screen(
        [_screen_line()], criteria=[], watchlists=[listed], context=EvalContext(), known_consignees=known
    )[0]
    assert hit.level == "high" and hit.reasons[0]["field"] == "shipper"
    spec = CriterionSpec(
        "LAPTOP-CN",
        "laptops from China",
        {"field": "hs6", "op": "eq", "value": "847130"},
        Lane.YELLOW,
        date(2026, 1, 1),
    )
    crit = screening.screen(
        [_screen_line()],
        criteria=[Criterion.of(7, 1, spec)],
        watchlists=[],
        context=EvalContext(),
        known_consignees=known,
    )[0]
    assert crit.level == "medium" and crit.reasons[0]["code"] == "LAPTOP-CN"


def test_vague_descriptions() -> None:
    assert (
        screening.is_vague("general cargo")
        and screening.is_vague("parts")
        and screening.is_vague("STC 10 items")
    )
    assert not screening.is_vague("Notebook computers 14 inch") and not screening.is_vague("frozen shrimp")
