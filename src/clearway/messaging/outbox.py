"""The transactional outbox: every audited event becomes a message in the same transaction, and a relay hands
committed messages to the bus. Nothing is announced that did not happen, and nothing that happened is lost: a
message stays in the outbox until the bus has confirmed it.

The relay works in small steps so that a crash repeats at most what was in flight:

* on PostgreSQL a round claims up to ``batch`` unpublished rows with ``FOR UPDATE SKIP LOCKED`` (concurrent
  relays take different rows; a relay that dies releases its locks with its connection), publishes them as one
  confirmed batch and marks the confirmed ones published, all in one short transaction;
* on SQLite (one writer) a round first takes a *lease* on the rows (owner and expiry, committed at once), then
  publishes outside any write lock and marks them; a relay that dies leaves a lease that expires; one that is
  stopped releases its leases.

A message the bus did not take (the broker unreachable, a nack, an unroutable return) keeps ``published_at``
empty with the reason in ``last_error``, and is retried by a later round.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, and_, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from clearway.audit.chain import ChainedEvent, canonical_time
from clearway.db import bulk_insert, one_of
from clearway.messaging.bus import Message, MessageBus
from clearway.messaging.models import OutboxMessage

log = logging.getLogger("clearway.outbox")
BATCH = 500
LEASE = timedelta(seconds=60)
T = cast(Table, OutboxMessage.__table__)


def topic_of(event: ChainedEvent) -> str:
    return f"clearway.{event.subject_type}.{event.action}"


def enqueue_events(session: Session, events: Iterable[ChainedEvent], now: datetime) -> None:
    rows = [
        {
            "topic": topic_of(e),
            "key": f"event-{e.seq}",
            "payload": {
                "seq": e.seq,
                "occurred_at": canonical_time(e.occurred_at) + "Z",
                "actor": e.actor,
                "subject_type": e.subject_type,
                "subject_id": e.subject_id,
                "action": e.action,
                "reason": e.reason,
                "data": e.data,
            },
            "created_at": now,
            "attempts": 0,
        }
        for e in events
    ]
    bulk_insert(session, OutboxMessage.__table__, rows)


def _columns() -> Any:
    return select(T.c.id, T.c.topic, T.c.key, T.c.payload).order_by(T.c.id)


def _publish_and_mark(session: Session, bus: MessageBus, rows: list[Any], now: datetime) -> int:
    failed = bus.publish_batch([Message(r.topic, r.key, r.payload) for r in rows], session)
    return _mark(session, rows, failed, now)


def _mark(session: Session, rows: list[Any], failed: dict[str, str], now: datetime) -> int:
    """Record the round: the rows the bus took are published, the others keep their reason for a retry."""
    done = [r.id for r in rows if r.key not in failed]
    if done:
        session.execute(
            update(T)
            .where(one_of(session, T.c.id, done))
            .values(published_at=now, attempts=T.c.attempts + 1, lease_owner=None, lease_until=None)
        )
    kept = [r for r in rows if r.key in failed]
    for reason in {failed[r.key] for r in kept}:
        ids = [r.id for r in kept if failed[r.key] == reason]
        session.execute(
            update(T)
            .where(one_of(session, T.c.id, ids))
            .values(attempts=T.c.attempts + 1, last_error=reason, lease_owner=None, lease_until=None)
        )
        log.warning("outbox: %d messages kept for a retry: %s", len(ids), reason)
    return len(done)


def relay_once(
    sessions: sessionmaker[Session],
    bus: MessageBus,
    clock: Callable[[], datetime],
    batch: int = BATCH,
    owner: str | None = None,
    lease: timedelta = LEASE,
) -> int:
    """Publish up to ``batch`` unpublished messages in order; returns how many the bus confirmed."""
    with sessions() as session:
        postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        with sessions() as session, session.begin():
            rows = list(
                session.execute(
                    _columns()
                    .where(T.c.published_at.is_(None))
                    .limit(batch)
                    .with_for_update(skip_locked=True)
                )
            )
            published = _publish_and_mark(session, bus, rows, clock()) if rows else 0
    else:
        owner = owner or uuid.uuid4().hex
        now = clock()
        with sessions() as session, session.begin():
            free = or_(T.c.lease_until.is_(None), T.c.lease_until < now)
            ids = list(
                session.scalars(
                    select(T.c.id).where(T.c.published_at.is_(None), free).order_by(T.c.id).limit(batch)
                )
            )
            if ids:
                session.execute(
                    update(T)
                    .where(T.c.id.in_(ids), T.c.published_at.is_(None), free)
                    .values(lease_owner=owner, lease_until=now + lease)
                )
        if not ids:
            return 0
        if bus.remote:
            # SQLite has one write lock for the whole database: hold it to claim and to mark, never while a
            # broker answers (the lease keeps other relays off these rows meanwhile)
            with sessions() as session:
                rows = list(session.execute(_columns().where(T.c.id.in_(ids), T.c.lease_owner == owner)))
            failed = bus.publish_batch([Message(r.topic, r.key, r.payload) for r in rows]) if rows else {}
            with sessions() as session, session.begin():
                published = _mark(session, rows, failed, clock()) if rows else 0
        else:
            with sessions() as session, session.begin():
                rows = list(
                    session.execute(
                        _columns().where(
                            T.c.id.in_(ids), T.c.lease_owner == owner, T.c.published_at.is_(None)
                        )
                    )
                )
                published = _publish_and_mark(session, bus, rows, clock()) if rows else 0
    bus.after_commit()
    return published


def release_leases(sessions: sessionmaker[Session], owner: str) -> int:
    """Hand back the rows a stopping relay had claimed (SQLite) so another relay takes them at once."""
    with sessions() as session, session.begin():
        result = session.execute(
            update(T)
            .where(and_(T.c.lease_owner == owner, T.c.published_at.is_(None)))
            .values(lease_owner=None, lease_until=None)
        )
        return int(getattr(result, "rowcount", 0) or 0)


def backlog(sessions: sessionmaker[Session]) -> int:
    from sqlalchemy import func

    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(T).where(T.c.published_at.is_(None))) or 0)


class Relay:
    """Runs :func:`relay_once` until stopped: in a background thread (the embedded default's in-process worker)
    or in the foreground (``clearway worker relay``)."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        bus: MessageBus,
        clock: Callable[[], datetime],
        interval: float = 0.5,
        batch: int = BATCH,
        lease: timedelta = LEASE,
    ) -> None:
        self.sessions, self.bus, self.clock, self.interval, self.batch = sessions, bus, clock, interval, batch
        self.lease = lease
        self.owner = f"relay-{uuid.uuid4().hex[:12]}"
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.published = 0

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, name="clearway-outbox-relay", daemon=True)
        self._thread.start()

    def run(self) -> None:
        while not self._stop.is_set():
            try:
                while not self._stop.is_set():
                    count = relay_once(
                        self.sessions, self.bus, self.clock, self.batch, self.owner, self.lease
                    )
                    self.published += count
                    if count == 0:
                        break
            except Exception:  # keep the worker alive; the message stays in the outbox
                log.exception("outbox relay failed")
            self._stop.wait(self.interval)
        try:
            release_leases(self.sessions, self.owner)
        except Exception:
            log.exception("outbox relay could not release its leases (they expire)")

    def request_stop(self) -> None:
        self._stop.set()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=20)
        self.bus.close()
