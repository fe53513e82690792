"""Parcel screening (pure): watchlists, exploration, IP marks and the parcel signals decide the check."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from clearway.declaration.lifecycle import Lane
from clearway.ipr.core import RecordedRight
from clearway.parcel.screening import ScreenItem, ScreenParcel, floor_of, records_of, screen
from clearway.risk.criteria import Watchlist
from clearway.risk.selection import Policy
from clearway.risk.snapshot import Snapshot

ON = date(2026, 11, 20)


def snapshot(*, exploration: float = 0.0, watch: frozenset[str] = frozenset()) -> Snapshot:
    lists = [Watchlist(1, "parcel buyers", Lane.RED, {"importer": watch})] if watch else []
    policy = Policy(exploration_share=exploration)
    return Snapshot(0, [], lists, policy, None, None, "no model", None)


def parcel(key: str, description: str = "cotton t-shirt", *, holder: int = 7, signals=()) -> ScreenParcel:  # type: ignore[no-untyped-def]
    item = ScreenItem(description, "6109101000", Decimal(1), Decimal(20), "USD", Decimal(28_000))
    return ScreenParcel(key, ON, "CN", "Swift Express", holder, Decimal("0.4"), (item,), tuple(signals))


def test_a_plain_parcel_is_released_and_a_watched_buyer_inspected() -> None:
    plain, watched = screen([parcel("A1"), parcel("A2", holder=99)], snapshot(watch=frozenset({"PCC:99"})))
    assert plain.lane is Lane.GREEN and plain.check is None
    assert watched.lane is Lane.RED and watched.check == "inspection" and watched.method == "watchlist"
    assert watched.reasons[0]["kind"] == "watchlist"


def test_a_counterfeit_mark_is_inspected_and_a_split_shipment_xrayed() -> None:
    nike = RecordedRight(1, ("NIKE",), ("6404", "6109"))
    fake, split, plain = screen(
        [parcel("B1", "NIKE logo t-shirt"), parcel("B2", signals=["split_shipment_suspected"]), parcel("B3")],
        snapshot(),
        [nike],
        {"USD": Decimal(1400)},
    )
    assert fake.check == "inspection" and "ipr_suspected" in fake.signals and fake.ipr[0]["mark"] == "NIKE"
    assert split.check == "xray" and split.method == "signal"
    assert all(r["kind"] != "green" for r in split.reasons)  # the reasons say why it was selected
    assert plain.check is None


def test_records_carry_the_buyer_carrier_and_value() -> None:
    (record,) = records_of(parcel("C1"))
    assert record.importer == "PCC:7" and record.courier == "Swift Express" and record.kind == "parcel"
    assert record.value_krw == 28_000 and record.net_mass_kg == 0.4 and record.hs6 == "610910"


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.sampled_from(["split_shipment_suspected", "ipr_suspected", "combined_arrival"]), max_size=3)
)
def test_a_signal_never_lowers_the_check(signals: list[str]) -> None:
    (found,) = screen([parcel("D1", signals=signals)], snapshot())
    floor = floor_of(signals)
    if floor is not None:
        assert found.lane in (floor, Lane.RED)


def test_exploration_draws_its_share_reproducibly() -> None:
    batch = [parcel(f"E{i}") for i in range(2000)]
    first = screen(batch, snapshot(exploration=0.1))
    explored = sum(s.explored for s in first)
    assert 140 < explored < 260  # 10 % of 2,000
    assert [s.lane for s in screen(batch, snapshot(exploration=0.1))] == [s.lane for s in first]
