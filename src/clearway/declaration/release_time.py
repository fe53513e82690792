"""Release time by stage, after the WCO Time Release Study, derived from a declaration's events. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from math import ceil
from zoneinfo import ZoneInfo

# (stage name, event that starts it, event that ends it)
STAGES: tuple[tuple[str, str, str], ...] = (
    ("arrival_to_filing", "arrival", "file"),
    ("filing_to_lane", "file", "assign_lane"),
    ("lane_to_acceptance", "assign_lane", "accept"),
    ("acceptance_to_payment", "accept", "pay"),
    ("payment_to_release", "pay", "release"),
    ("filing_to_release", "file", "release"),
    ("arrival_to_release", "arrival", "release"),
)


@dataclass(frozen=True, slots=True)
class StageTime:
    stage: str
    started_at: datetime
    ended_at: datetime

    @property
    def seconds(self) -> float:
        return (self.ended_at - self.started_at).total_seconds()

    def as_dict(self) -> dict[str, object]:
        return {
            "stage": self.stage,
            "started_at": self.started_at.isoformat(),
            "ended_at": self.ended_at.isoformat(),
            "seconds": round(self.seconds, 3),
            "hours": round(self.seconds / 3600, 2),
        }


def stage_times(
    events: Iterable[tuple[str, datetime]], *, arrival: date | None, tz: ZoneInfo
) -> list[StageTime]:
    """``events`` are (action, when) in order. The first occurrence of each action marks its stage, except
    filing, where the latest version's filing counts (an amendment restarts the clock of that version)."""
    marks: dict[str, datetime] = {}
    if arrival is not None:
        marks["arrival"] = datetime.combine(arrival, time(0, 0), tzinfo=tz)
    for action, when in events:
        if when.tzinfo is None:
            when = when.replace(tzinfo=ZoneInfo("UTC"))
        if action == "file":
            marks["file"] = when
            for later in ("assign_lane", "accept", "pay", "release"):
                marks.pop(later, None)
        elif action not in marks:
            marks[action] = when
    return [
        StageTime(name, marks[start], marks[end])
        for name, start, end in STAGES
        if start in marks and end in marks and marks[end] >= marks[start]
    ]


@dataclass(frozen=True, slots=True)
class StageSummary:
    stage: str
    count: int
    mean_hours: float
    median_hours: float
    p90_hours: float

    def as_dict(self) -> dict[str, object]:
        return {
            "stage": self.stage,
            "declarations": self.count,
            "mean_hours": self.mean_hours,
            "median_hours": self.median_hours,
            "p90_hours": self.p90_hours,
        }


def summarise(per_declaration: Iterable[list[StageTime]]) -> list[StageSummary]:
    """Release time by stage over many declarations (a Time Release Study): count, mean, median and 90th
    percentile of each stage, in hours, over the declarations that completed it."""
    hours: dict[str, list[float]] = {name: [] for name, _, _ in STAGES}
    for stages in per_declaration:
        for stage in stages:
            hours[stage.stage].append(stage.seconds / 3600)
    out = []
    for name, _, _ in STAGES:
        values = sorted(hours[name])
        if not values:
            continue
        n = len(values)
        median = values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2
        p90 = values[min(n - 1, max(0, ceil(0.9 * n) - 1))]
        out.append(StageSummary(name, n, round(sum(values) / n, 2), round(median, 2), round(p90, 2)))
    return out
