"""When a scheduled job is due: every N minutes, or daily at a time of day in Korea. Pure: no clock, no I/O.

A schedule is written ``15m`` / ``2h`` / ``30s`` (an interval from the end of the last run's start) or
``daily 03:00`` (once a day at that time in Korea, KST). A job that never ran is due at once if it has an
interval, and at the last daily time already passed if it is daily (so a scheduler started at 10:00 runs a
``daily 03:00`` job that has never run straight away, and next at 03:00 tomorrow).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from clearway.clock import KOREA

_INTERVAL = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")
_DAILY = re.compile(r"^\s*daily\s+(\d{1,2}):(\d{2})\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


@dataclass(frozen=True)
class Schedule:
    every: timedelta | None = None
    daily_at: time | None = None  # a time of day in Korea

    def __post_init__(self) -> None:
        if (self.every is None) == (self.daily_at is None):
            raise ValueError("a schedule is either an interval or a daily time")
        if self.every is not None and self.every <= timedelta(0):
            raise ValueError("an interval must be positive")

    @classmethod
    def parse(cls, text: str) -> Schedule:
        if m := _INTERVAL.match(text):
            return cls(every=timedelta(**{_UNITS[m[2]]: int(m[1])}))
        if m := _DAILY.match(text):
            hour, minute = int(m[1]), int(m[2])
            if hour > 23 or minute > 59:
                raise ValueError(f"not a time of day: {text!r}")
            return cls(daily_at=time(hour, minute))
        raise ValueError(f"not a schedule (want e.g. '15m', '2h' or 'daily 03:00'): {text!r}")

    def __str__(self) -> str:
        if self.every is not None:
            return f"every {self.every}"
        assert self.daily_at is not None
        return f"daily {self.daily_at:%H:%M} KST"

    def last_slot(self, now: datetime) -> datetime:
        """Daily: the latest instant at or before ``now`` that is the time of day in Korea."""
        assert self.daily_at is not None
        local = now.astimezone(KOREA)
        slot = datetime.combine(local.date(), self.daily_at, tzinfo=KOREA)
        if slot > local:
            slot -= timedelta(days=1)
        return slot

    def next_due(self, last_run: datetime | None, now: datetime) -> datetime:
        """When the job is next due, given when its last run started (``None``: never ran)."""
        if self.every is not None:
            return now if last_run is None else last_run + self.every
        slot = self.last_slot(now)
        if last_run is None or last_run < slot:
            return slot
        return slot + timedelta(days=1)  # Korea keeps no daylight saving: a day is 24 h

    def is_due(self, last_run: datetime | None, now: datetime) -> bool:
        return self.next_due(last_run, now) <= now


def due(schedules: dict[str, Schedule], last_runs: dict[str, datetime | None], now: datetime) -> list[str]:
    """The names of the jobs due at ``now``, in the table's order."""
    return [name for name, s in schedules.items() if s.is_due(last_runs.get(name), now)]
