"""Working days for the IPR hold's deadlines. Pure.

A deadline "within N days" of the hold procedure is counted in working days (행정기관의 근무일): Saturdays,
Sundays and the Korean public holidays (관공서의 공휴일에 관한 규정, with its substitute holidays 대체공휴일 and
election days) are not counted; the day of notice is not counted (민법 제157조 초일 불산입), and a period that
would end on a non-working day ends on the next working day (민법 제161조).

:data:`KR_PUBLIC_HOLIDAYS` lists 2025–2027 as announced (lunar holidays converted to the solar calendar);
a year outside it raises, rather than silently counting a holiday as a working day.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

KR_PUBLIC_HOLIDAYS: frozenset[date] = frozenset(
    date.fromisoformat(d)
    for d in (
        # 2025
        "2025-01-01",
        "2025-01-27",
        "2025-01-28",
        "2025-01-29",
        "2025-01-30",
        "2025-03-01",
        "2025-03-03",
        "2025-05-05",
        "2025-05-06",
        "2025-06-03",
        "2025-06-06",
        "2025-08-15",
        "2025-10-03",
        "2025-10-05",
        "2025-10-06",
        "2025-10-07",
        "2025-10-08",
        "2025-10-09",
        "2025-12-25",
        # 2026: 설날 2/16–18, 삼일절 (Sunday) → 3/2, 부처님오신날 (Sunday) → 5/25, 지방선거 6/3, 광복절 (Saturday)
        # → 8/17, 추석 9/24–26 (26 a Saturday) → 9/28, 개천절 (Saturday) → 10/5
        "2026-01-01",
        "2026-02-16",
        "2026-02-17",
        "2026-02-18",
        "2026-03-01",
        "2026-03-02",
        "2026-05-05",
        "2026-05-24",
        "2026-05-25",
        "2026-06-03",
        "2026-06-06",
        "2026-08-15",
        "2026-08-17",
        "2026-09-24",
        "2026-09-25",
        "2026-09-26",
        "2026-09-28",
        "2026-10-03",
        "2026-10-05",
        "2026-10-09",
        "2026-12-25",
        # 2027: 설날 2/6–8 (6 a Saturday, 7 a Sunday) → 2/9, 광복절 → 8/16, 개천절 → 10/4, 한글날 → 10/11,
        # 성탄절 (Saturday) → 12/27
        "2027-01-01",
        "2027-02-06",
        "2027-02-07",
        "2027-02-08",
        "2027-02-09",
        "2027-03-01",
        "2027-05-05",
        "2027-05-13",
        "2027-06-06",
        "2027-08-15",
        "2027-08-16",
        "2027-09-14",
        "2027-09-15",
        "2027-09-16",
        "2027-10-03",
        "2027-10-04",
        "2027-10-09",
        "2027-10-11",
        "2027-12-25",
        "2027-12-27",
    )
)
COVERED_YEARS = frozenset({2025, 2026, 2027})


class CalendarNotCovered(ValueError):
    """The holiday table does not cover the year asked about."""


def is_working_day(
    day: date, holidays: Collection[date] = KR_PUBLIC_HOLIDAYS, years: Collection[int] = COVERED_YEARS
) -> bool:
    if day.year not in years:
        raise CalendarNotCovered(f"the public holidays of {day.year} are not loaded")
    return day.weekday() < 5 and day not in holidays


def add_working_days(
    start: date,
    days: int,
    holidays: Collection[date] = KR_PUBLIC_HOLIDAYS,
    years: Collection[int] = COVERED_YEARS,
) -> date:
    """The last day of a period of ``days`` working days that starts the day after ``start``."""
    if days < 1:
        raise ValueError("a period has at least one day")
    current, counted = start, 0
    while counted < days:
        current += timedelta(days=1)
        if is_working_day(current, holidays, years):
            counted += 1
    return current


def working_days_between(
    start: date,
    end: date,
    holidays: Collection[date] = KR_PUBLIC_HOLIDAYS,
    years: Collection[int] = COVERED_YEARS,
) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not after ``start``)."""
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current, holidays, years):
            count += 1
    return count
