from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from clearway.declaration.release_time import stage_times, summarise

SEOUL = ZoneInfo("Asia/Seoul")


def test_stages_are_measured_between_events():
    t0 = datetime(2026, 11, 20, 0, 0, tzinfo=UTC)  # 09:00 in Seoul
    events = [
        ("file", t0),
        ("assess", t0),
        ("assign_lane", t0 + timedelta(seconds=2)),
        ("start_inspection", t0 + timedelta(seconds=2)),
        ("accept", t0 + timedelta(hours=5)),
        ("pay", t0 + timedelta(hours=6)),
        ("release", t0 + timedelta(hours=8)),
    ]
    stages = {s.stage: s.seconds for s in stage_times(events, arrival=date(2026, 11, 20), tz=SEOUL)}
    assert stages["arrival_to_filing"] == 9 * 3600  # arrival counts from midnight local time
    assert stages["filing_to_lane"] == 2
    assert stages["lane_to_acceptance"] == 5 * 3600 - 2
    assert stages["acceptance_to_payment"] == 3600
    assert stages["payment_to_release"] == 2 * 3600
    assert stages["filing_to_release"] == 8 * 3600


def test_an_amendment_restarts_the_clock_of_the_new_version():
    t0 = datetime(2026, 11, 20, tzinfo=UTC)
    events = [
        ("file", t0),
        ("assign_lane", t0),
        ("file", t0 + timedelta(hours=1)),
        ("assign_lane", t0 + timedelta(hours=1, seconds=1)),
    ]
    stages = {s.stage: s.seconds for s in stage_times(events, arrival=None, tz=SEOUL)}
    assert stages == {"filing_to_lane": 1}


def test_unfinished_stages_are_absent():
    t0 = datetime(2026, 11, 20, tzinfo=UTC)
    assert [s.stage for s in stage_times([("file", t0)], arrival=None, tz=SEOUL)] == []


def test_a_study_summarises_each_stage_over_declarations():
    t0 = datetime(2026, 11, 20, tzinfo=UTC)

    def declaration(hours_to_accept: float) -> list:  # type: ignore[type-arg]
        events = [("file", t0), ("assign_lane", t0), ("accept", t0 + timedelta(hours=hours_to_accept))]
        return stage_times(events, arrival=None, tz=SEOUL)

    summary = {s.stage: s for s in summarise([declaration(h) for h in (1, 2, 3, 10)])}
    lane = summary["lane_to_acceptance"]
    assert (lane.count, lane.mean_hours, lane.median_hours, lane.p90_hours) == (4, 4.0, 2.5, 10.0)
    assert "payment_to_release" not in summary  # no declaration reached it
