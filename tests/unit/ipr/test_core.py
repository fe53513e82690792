"""Screening signals and score, the hold's states and its deadlines on Korean public holidays."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearway.ipr.calendar import CalendarNotCovered, add_working_days, is_working_day, working_days_between
from clearway.ipr.core import (
    HoldAction,
    HoldStatus,
    PriceBand,
    RecordedRight,
    ScreenLine,
    answer_due,
    combine,
    next_status,
    overdue,
    required_security,
    screen_line,
)

ON = date(2026, 11, 20)


def right(**kw: object) -> RecordedRight:
    base: dict[str, object] = dict(
        id=1,
        marks=("NIKE", "나이키"),
        hs_scopes=("64",),
        authorised_brns=frozenset({"2208100001"}),
        genuine_origins=frozenset({"VN"}),
        parallel_imports_allowed=True,
        price_bands=(PriceBand("640411", "*", "USD", Decimal(40), Decimal(200)),),
    )
    base.update(kw)
    return RecordedRight(**base)  # type: ignore[arg-type]


def line(
    description: str = "NIKE shoes",
    *,
    unit: str = "10",
    origin: str = "CN",
    brn: str | None = None,
    code: str = "6404110000",
    currency: str = "USD",
) -> ScreenLine:
    return ScreenLine(1, description, code, origin, Decimal(10), Decimal(unit) * 10, currency, brn)


def codes(found: list) -> set[str]:  # type: ignore[type-arg]
    return {s.code for s in found[0].signals}


def test_a_cheap_unauthorised_import_from_a_non_genuine_origin_is_suspected() -> None:
    found = screen_line(line(unit="5"), [right()], on=ON)
    assert found[0].suspected
    assert codes(found) == {
        "mark_mentioned",
        "importer_not_authorised",
        "price_far_below_genuine",
        "origin_not_genuine",
    }


def test_a_genuine_parallel_import_is_not_suspected() -> None:
    found = screen_line(line(unit="90", origin="VN"), [right()], on=ON)
    assert found and not found[0].suspected


def test_without_parallel_imports_an_unauthorised_importer_is_suspected() -> None:
    found = screen_line(line(unit="90", origin="VN"), [right(parallel_imports_allowed=False)], on=ON)
    assert found[0].suspected


def test_the_authorised_importer_gets_no_importer_signal() -> None:
    found = screen_line(line(unit="90", origin="VN", brn="220-81-00001"), [right()], on=ON)
    assert "importer_not_authorised" not in codes(found)


def test_goods_outside_the_scope_or_an_expired_recording_are_not_screened() -> None:
    assert screen_line(line(code="8471300000"), [right()], on=ON) == []
    assert screen_line(line(), [right(valid_to=date(2026, 1, 1))], on=ON) == []


def test_prices_in_another_currency_are_compared_in_krw() -> None:
    rates = {"USD": Decimal(1400), "EUR": Decimal(1500)}
    found = screen_line(line(unit="5", currency="EUR"), [right()], on=ON, rates=rates)
    assert "price_far_below_genuine" in codes(found)
    unknown = screen_line(line(unit="5", currency="JPY"), [right()], on=ON, rates=rates)
    assert not {"price_far_below_genuine", "price_below_genuine"} & codes(unknown)


@given(st.lists(st.floats(0, 1), max_size=6), st.floats(0, 1))
def test_combining_signals_never_lowers_the_score_nor_exceeds_one(weights: list[float], extra: float) -> None:
    assert 0 <= combine(weights) <= combine([*weights, extra]) <= 1


def test_a_hold_is_seized_only_after_the_right_holder_confirms() -> None:
    assert next_status(HoldStatus.AWAITING_RIGHT_HOLDER, HoldAction.SEIZE) is None
    confirmed = next_status(HoldStatus.AWAITING_RIGHT_HOLDER, HoldAction.CONFIRM)
    assert confirmed is HoldStatus.CONFIRMED
    assert next_status(confirmed, HoldAction.SEIZE) is HoldStatus.SEIZED
    assert next_status(HoldStatus.SEIZED, HoldAction.RELEASE) is None


def test_security_is_120_percent_of_the_customs_value_rounded_up_to_the_won() -> None:
    assert required_security(Decimal("1000000")) == Decimal("1200000")
    assert required_security(Decimal("10.01")) == Decimal("13")


@pytest.mark.parametrize(
    ("notified", "due"),
    [
        (date(2026, 11, 20), date(2026, 12, 4)),  # two plain weeks
        (
            date(2026, 9, 22),
            date(2026, 10, 13),
        ),  # 추석 9/24–26, substitute 9/28, 개천절 substitute 10/5, 한글날 10/9
        (date(2026, 2, 13), date(2026, 3, 5)),  # 설날 2/16–18, 삼일절 substitute 3/2
        (date(2027, 2, 5), date(2027, 2, 23)),  # 설날 2027 and its substitute 2/9
    ],
)
def test_answer_deadline_counts_working_days_skipping_korean_holidays(notified: date, due: date) -> None:
    assert answer_due(notified) == due
    assert working_days_between(notified, due) == 10


def test_overdue_only_while_the_right_holder_has_not_answered() -> None:
    assert overdue(HoldStatus.AWAITING_RIGHT_HOLDER, date(2026, 12, 4), date(2026, 12, 5))
    assert not overdue(HoldStatus.AWAITING_RIGHT_HOLDER, date(2026, 12, 4), date(2026, 12, 4))
    assert not overdue(HoldStatus.CONFIRMED, date(2026, 12, 4), date(2026, 12, 9))


def test_a_year_without_a_holiday_table_is_refused_rather_than_guessed() -> None:
    with pytest.raises(CalendarNotCovered):
        is_working_day(date(2031, 1, 2))


@given(st.dates(date(2025, 1, 1), date(2027, 11, 30)), st.integers(1, 15))
def test_a_deadline_is_a_working_day_that_many_working_days_later(start: date, days: int) -> None:
    end = add_working_days(start, days)
    assert is_working_day(end) and working_days_between(start, end) == days
