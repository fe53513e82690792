"""The scheduler's shell: the job table, one transaction per run, a lock per job, each run in the audit trail.

Each due job runs in its own unit of work with the runtime's clock. On PostgreSQL a session-level
``pg_try_advisory_lock`` per job (on a connection of its own, released after the run) keeps two schedulers from
running the same job at once; the job's last run is read again under the lock, so a run another scheduler just
finished is not repeated. On SQLite there is no such lock: run one scheduler per database.

Every run is recorded in the audit trail (subject ``scheduled_job``/name, action ``succeeded`` or ``failed``,
with start, end and error): a success in the job's own transaction, a failure in a new one after the job's
transaction was rolled back. A failing job is logged and due again at its next interval.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from clearway.audit.models import AuditEvent
from clearway.audit.service import SYSTEM, record
from clearway.jobs.schedule import Schedule, due
from clearway.runtime import Runtime
from clearway.uow import unit_of_work

log = logging.getLogger("clearway.scheduler")
SUBJECT = "scheduled_job"

JobFunction = Callable[[Runtime, Session, datetime], dict[str, Any]]


@dataclass(frozen=True)
class Job:
    name: str
    schedule: Schedule
    run: JobFunction
    help: str


def _statistics_refresh(rt: Runtime, session: Session, now: datetime) -> dict[str, Any]:
    from clearway.statistics import refresh

    return refresh.refresh(session, now=now).as_dict()


def _traveller_purge(rt: Runtime, session: Session, now: datetime) -> dict[str, Any]:
    from clearway.clock import korea_date
    from clearway.identity.core import Principal, Role, scopes_for
    from clearway.traveller import service
    from clearway.traveller.privacy import DEFAULT_DELETE_AFTER_DAYS, DEFAULT_MASK_AFTER_DAYS, Retention

    job = Principal(0, "scheduler", Role.ADMIN, None, scopes_for(Role.ADMIN))
    retention = Retention(DEFAULT_MASK_AFTER_DAYS, DEFAULT_DELETE_AFTER_DAYS)
    result = service.purge(session, job, retention, today=korea_date(now), now=now)
    return {"masked": result.masked, "deleted": result.deleted, "messages_deleted": result.messages_deleted}


def _audit_anchor(rt: Runtime, session: Session, now: datetime) -> dict[str, Any]:
    from clearway.audit.keys import append_anchor, load_key
    from clearway.audit.service import head

    seq, last_hash = head(session)
    anchor = append_anchor(rt.settings.resolved_anchor_file, load_key(rt.settings), seq, last_hash, now)
    return {"seq": anchor.seq}


JOBS: tuple[Job, ...] = (
    Job(
        "statistics-refresh",
        Schedule.parse("15m"),
        _statistics_refresh,
        "apply changed declarations to the figures",
    ),
    Job(
        "traveller-purge",
        Schedule.parse("daily 03:00"),
        _traveller_purge,
        "mask/delete passenger data past retention",
    ),
    Job(
        "audit-anchor",
        Schedule.parse("daily 00:10"),
        _audit_anchor,
        "append a signed checkpoint of the audit chain",
    ),
)


def job_table(overrides: dict[str, str] | None = None, only: list[str] | None = None) -> list[Job]:
    """The declared jobs with their schedules overridden (``CLEARWAY_SCHEDULE``), narrowed to ``only``."""
    names = {j.name for j in JOBS}
    for name in [*(overrides or {}), *(only or [])]:
        if name not in names:
            raise ValueError(f"no scheduled job {name!r} (one of {', '.join(sorted(names))})")
    jobs = [
        Job(
            j.name,
            Schedule.parse(overrides[j.name]) if overrides and j.name in overrides else j.schedule,
            j.run,
            j.help,
        )
        for j in JOBS
    ]
    return [j for j in jobs if not only or j.name in only]


def last_runs(session: Session, names: list[str]) -> dict[str, AuditEvent]:
    """The latest recorded run of each job (from the audit trail)."""
    latest = (
        select(func.max(AuditEvent.seq))
        .where(AuditEvent.subject_type == SUBJECT, AuditEvent.subject_id.in_(names))
        .group_by(AuditEvent.subject_id)
    )
    return {e.subject_id: e for e in session.scalars(select(AuditEvent).where(AuditEvent.seq.in_(latest)))}


def _started(event: AuditEvent | None) -> datetime | None:
    return None if event is None else datetime.fromisoformat(event.data["started"])


def _lock_key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(f"clearway.job.{name}".encode()).digest()[:8], "big", signed=True)


class Scheduler:
    def __init__(self, rt: Runtime, jobs: list[Job]) -> None:
        self.rt, self.jobs = rt, jobs
        self.stop = threading.Event()
        self.runs: list[tuple[str, str]] = []  # (job, outcome) run by this process

    def tick(self) -> list[str]:
        """Run every job due now (unless stopping); returns the names run."""
        now = self.rt.clock()
        with self.rt.sessions() as session:
            last = {n: _started(e) for n, e in last_runs(session, [j.name for j in self.jobs]).items()}
        names = due({j.name: j.schedule for j in self.jobs}, dict(last), now)
        ran = []
        for job in self.jobs:
            if self.stop.is_set():
                break
            if job.name in names and self.run_locked(job):
                ran.append(job.name)
        return ran

    def run_locked(self, job: Job) -> bool:
        """Run the job if it is still due and no other scheduler holds it. Returns whether it ran."""
        if self.rt.engine.dialect.name != "postgresql":
            return self._run_if_due(job)
        with self.rt.engine.connect() as lock:
            key = _lock_key(job.name)
            if not lock.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}):
                log.info("job %s is running in another scheduler; skipped", job.name)
                return False
            try:
                return self._run_if_due(job)
            finally:
                lock.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                lock.commit()

    def _run_if_due(self, job: Job) -> bool:
        started = self.rt.clock()
        with self.rt.sessions() as session:
            last = _started(last_runs(session, [job.name]).get(job.name))
        if not job.schedule.is_due(last, started):
            return False  # another scheduler ran it meanwhile
        log.info("job %s started", job.name)
        try:
            with unit_of_work(self.rt.sessions) as session:
                result = job.run(self.rt, session, started)
                self._record(session, job, started, "succeeded", data={"result": result})
        except Exception as error:
            log.exception("job %s failed; due again at its next interval", job.name)
            with unit_of_work(self.rt.sessions) as session:
                self._record(
                    session, job, started, "failed", data={"error": f"{type(error).__name__}: {error}"}
                )
            self.runs.append((job.name, "failed"))
            return True
        log.info("job %s succeeded: %s", job.name, result)
        self.runs.append((job.name, "succeeded"))
        return True

    def _record(
        self, session: Session, job: Job, started: datetime, outcome: str, data: dict[str, Any]
    ) -> None:
        ended = self.rt.clock()
        record(
            session,
            actor=SYSTEM,
            subject_type=SUBJECT,
            subject_id=job.name,
            action=outcome,
            at=ended,
            data={"started": started.isoformat(), "ended": ended.isoformat(), **data},
        )

    def run(self, tick_seconds: float = 30.0) -> None:
        """Tick until :attr:`stop` is set; the job in hand finishes, no new one starts."""
        while not self.stop.is_set():
            try:
                self.tick()
            except Exception:  # the database is away: try again at the next tick
                log.exception("scheduler tick failed")
            self.stop.wait(tick_seconds)


def status(rt: Runtime, jobs: list[Job]) -> list[dict[str, Any]]:
    now = rt.clock()
    with rt.sessions() as session:
        last = last_runs(session, [j.name for j in jobs])
    rows = []
    for j in jobs:
        e = last.get(j.name)
        rows.append(
            {
                "job": j.name,
                "schedule": str(j.schedule),
                "last_started": e.data["started"] if e else None,
                "last_ended": e.data["ended"] if e else None,
                "outcome": e.action if e else None,
                "error": e.data.get("error") if e else None,
                "next_due": j.schedule.next_due(_started(e), now).isoformat(),
            }
        )
    return rows
