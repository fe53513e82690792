"""`clearway worker scheduler`: due jobs run once each in their own transaction, failures are recorded and do not
stop the others, two schedulers never run one job at once (PostgreSQL), SIGTERM stops it cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from clearway.audit.keys import read_anchors
from clearway.audit.models import AuditEvent
from clearway.jobs.runner import SUBJECT, Job, Scheduler, job_table, status
from clearway.jobs.schedule import Schedule

SRC = Path(__file__).resolve().parents[3] / "src"


def _runs(runtime) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    with runtime.sessions() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.subject_type == SUBJECT).order_by(AuditEvent.seq)
        )
        return [(e.subject_id, e.action) for e in events]


def _broken(rt, session, now):  # type: ignore[no-untyped-def]
    session.execute(select(AuditEvent.seq).limit(1))
    raise RuntimeError("the exchange-rate feed is away")


def test_two_ticks_run_each_due_job_once_and_a_failing_job_does_not_stop_the_others(runtime, clock):
    jobs = [Job("broken", Schedule.parse("15m"), _broken, "always fails"), *job_table()]
    scheduler = Scheduler(runtime, jobs)

    assert scheduler.tick() == ["broken", "statistics-refresh", "traveller-purge", "audit-anchor"]
    clock.advance(minutes=1)
    assert scheduler.tick() == []  # nothing is due again a minute later

    assert _runs(runtime) == [
        ("broken", "failed"),
        ("statistics-refresh", "succeeded"),
        ("traveller-purge", "succeeded"),
        ("audit-anchor", "succeeded"),
    ]
    assert len(read_anchors(runtime.settings.resolved_anchor_file)) == 1
    rows = {row["job"]: row for row in status(runtime, jobs)}
    assert rows["broken"]["error"] == "RuntimeError: the exchange-rate feed is away"
    assert rows["statistics-refresh"]["outcome"] == "succeeded"

    # the failing job and the 15-minute refresh are due again at their next interval; the daily ones are not
    clock.advance(minutes=15)
    assert scheduler.tick() == ["broken", "statistics-refresh"]


def test_a_new_scheduler_knows_the_last_runs_from_the_audit_trail(runtime, clock):
    Scheduler(runtime, job_table(only=["audit-anchor"])).tick()
    clock.advance(hours=1)
    assert Scheduler(runtime, job_table(only=["audit-anchor"])).tick() == []


def test_schedules_can_be_overridden_and_unknown_jobs_are_refused():
    (job,) = job_table({"statistics-refresh": "5m"}, only=["statistics-refresh"])
    assert str(job.schedule) == "every 0:05:00"
    with pytest.raises(ValueError, match="no scheduled job"):
        job_table(only=["nightly-coffee"])


def test_two_schedulers_never_run_the_same_job_at_once(runtime, database):
    if database.backend != "postgresql":
        pytest.skip("the advisory lock is PostgreSQL's; on SQLite one scheduler runs")
    entered, release = threading.Event(), threading.Event()
    calls: list[str] = []

    def slow(rt, session, now):  # type: ignore[no-untyped-def]
        calls.append("run")
        entered.set()
        assert release.wait(30)
        return {}

    jobs = [Job("slow", Schedule.parse("1h"), slow, "holds the lock")]
    first, second = Scheduler(runtime, jobs), Scheduler(runtime, jobs)
    thread = threading.Thread(target=first.tick)
    thread.start()
    try:
        assert entered.wait(30)
        assert second.tick() == []  # the first holds the job's lock
    finally:
        release.set()
        thread.join()
    assert second.tick() == []  # and afterwards the run it just finished is seen: not due
    assert calls == ["run"]
    assert _runs(runtime) == [("slow", "succeeded")]


@pytest.mark.slow
def test_the_scheduler_process_exits_0_on_sigterm(runtime):
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "CLEARWAY_HOME": str(runtime.settings.home),
        "CLEARWAY_DATABASE_URL": runtime.settings.resolved_database_url,
        "CLEARWAY_INPROCESS_WORKER": "false",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "clearway.cli.main",
            "worker",
            "scheduler",
            "--tick",
            "0.2",
            "--only",
            "audit-anchor",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while ("audit-anchor", "succeeded") not in _runs(runtime):
            assert process.poll() is None, process.stdout.read().decode() if process.stdout else ""
            assert time.monotonic() < deadline, "the scheduler did not run the anchor job"
            time.sleep(0.2)
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=30)[0].decode()
        assert process.returncode == 0, output
        assert "scheduler stopped after 1 runs (0 failed)" in output
    finally:
        if process.poll() is None:
            process.kill()
