"""Which scheduled jobs are due: intervals and daily times in Korea."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearway.clock import KOREA
from clearway.jobs.schedule import Schedule, due

instants = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2035, 1, 1), timezones=st.just(UTC)
)
intervals = st.integers(min_value=1, max_value=3 * 24 * 3600).map(lambda s: timedelta(seconds=s))
times = st.builds(time, st.integers(0, 23), st.integers(0, 59))


@given(now=instants, every=intervals, ago=st.integers(min_value=0, max_value=10 * 24 * 3600))
def test_an_interval_job_is_due_exactly_when_its_interval_has_passed(now, every, ago):
    last = now - timedelta(seconds=ago)
    assert Schedule(every=every).is_due(last, now) == (timedelta(seconds=ago) >= every)
    assert Schedule(every=every).is_due(None, now)  # never ran: due at once


@given(now=instants, at=times, ago=st.integers(min_value=0, max_value=3 * 24 * 3600))
def test_a_daily_job_is_due_once_per_korean_day_after_its_time(now, at, ago):
    schedule = Schedule(daily_at=at)
    slot = schedule.last_slot(now)
    local = slot.astimezone(KOREA)
    assert (local.hour, local.minute) == (at.hour, at.minute)
    assert slot <= now < slot + timedelta(days=1)
    last = now - timedelta(seconds=ago)
    assert schedule.is_due(last, now) == (last < slot)
    # after a run now, it is next due at the same time tomorrow (KST), not before
    assert not schedule.is_due(now, now)
    assert schedule.next_due(now, now) == slot + timedelta(days=1)
    assert schedule.is_due(now, slot + timedelta(days=1))


def test_a_daily_time_is_korean_time():
    schedule = Schedule.parse("daily 03:00")
    # 03:00 KST on 21 Nov is 18:00 UTC on 20 Nov
    ran = datetime(2026, 11, 20, 17, 0, tzinfo=UTC)  # 02:00 KST
    assert not schedule.is_due(ran, datetime(2026, 11, 20, 17, 59, tzinfo=UTC))
    assert schedule.is_due(ran, datetime(2026, 11, 20, 18, 0, tzinfo=UTC))


@given(
    now=instants,
    table=st.dictionaries(st.sampled_from("abcdef"), intervals, min_size=1),
    ago=st.dictionaries(st.sampled_from("abcdef"), st.integers(0, 4 * 24 * 3600)),
)
def test_due_lists_exactly_the_due_jobs_in_table_order(now, table, ago):
    schedules = {name: Schedule(every=every) for name, every in table.items()}
    last = {name: now - timedelta(seconds=s) for name, s in ago.items()}
    names = due(schedules, dict(last), now)
    assert names == [n for n in schedules if n not in last or now - last[n] >= table[n]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15m", Schedule(every=timedelta(minutes=15))),
        ("2h", Schedule(every=timedelta(hours=2))),
        ("30s", Schedule(every=timedelta(seconds=30))),
        ("daily 03:05", Schedule(daily_at=time(3, 5))),
    ],
)
def test_schedules_parse(text, expected):
    assert Schedule.parse(text) == expected


@pytest.mark.parametrize("text", ["", "0m", "15", "daily 25:00", "daily 3", "weekly 03:00", "-5m"])
def test_bad_schedules_are_refused(text):
    with pytest.raises(ValueError):
        Schedule.parse(text)
