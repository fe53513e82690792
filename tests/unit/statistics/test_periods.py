"""The rollup's periods: any range of months is tiled exactly by years, quarters and months, aligned to the
calendar, and a whole year is one tile."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from clearway.statistics import core

months = st.builds(lambda y, m: date(y, m, 1), st.integers(2000, 2040), st.integers(1, 12))


def _expand(tiles: list[tuple[int, date]]) -> list[date]:
    return [core.add_months(start, i) for span, start in tiles for i in range(span)]


@given(months, st.integers(0, 60))
def test_tiles_cover_every_month_of_the_range_once(first: date, length: int) -> None:
    last = core.add_months(first, length)
    tiles = core.periods(first, last)
    assert _expand(tiles) == [core.add_months(first, i) for i in range(length + 1)]
    for span, start in tiles:
        assert core.period_start(start, span) == start  # calendar quarters and years only
    # at most two partial quarters and two partial years' worth of smaller tiles at each end
    assert len(tiles) <= (length + 1) // 12 + 10


def test_a_calendar_year_is_one_row_and_an_unaligned_year_six() -> None:
    assert core.periods(date(2026, 1, 1), date(2026, 12, 1)) == [(12, date(2026, 1, 1))]
    assert core.periods(date(2025, 1, 1), date(2026, 12, 1)) == [
        (12, date(2025, 1, 1)),
        (12, date(2026, 1, 1)),
    ]
    assert core.periods(date(2025, 9, 1), date(2026, 8, 1)) == [
        (1, date(2025, 9, 1)),
        (3, date(2025, 10, 1)),
        (3, date(2026, 1, 1)),
        (3, date(2026, 4, 1)),
        (1, date(2026, 7, 1)),
        (1, date(2026, 8, 1)),
    ]
    assert core.periods(date(2026, 5, 1), date(2026, 4, 1)) == []


@given(st.lists(months, min_size=1, max_size=10))
def test_changed_months_rebuild_the_quarters_and_years_holding_them(changed: list[date]) -> None:
    periods = core.enclosing_periods(changed)
    for m in changed:
        assert (3, core.period_start(m, 3)) in periods and (12, date(m.year, 1, 1)) in periods
    assert all(span in (3, 12) for span, _ in periods)
