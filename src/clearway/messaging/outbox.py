"""The transactional outbox: every audited event becomes a message in the same transaction, and a relay hands
committed messages to the bus. Nothing is announced that did not happen, and nothing that happened is lost: a
message stays in the outbox until the bus has taken it."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from clearway.audit.chain import ChainedEvent, canonical_time
from clearway.db import bulk_insert
from clearway.messaging.bus import Message, MessageBus
from clearway.messaging.models import OutboxMessage

log = logging.getLogger("clearway.outbox")


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


def relay_once(
    sessions: sessionmaker[Session], bus: MessageBus, clock: Callable[[], datetime], batch: int = 200
) -> int:
    """Publish up to ``batch`` unpublished messages in order; returns how many were published. Concurrent
    relays skip each other's rows (FOR UPDATE SKIP LOCKED on PostgreSQL)."""
    with sessions() as session, session.begin():
        rows = list(
            session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.published_at.is_(None))
                .order_by(OutboxMessage.id)
                .limit(batch)
                .with_for_update(skip_locked=True)
            )
        )
        published = 0
        for row in rows:
            try:
                bus.publish(Message(row.topic, row.key, row.payload))
            except Exception as error:  # the bus is down: keep the message, try again later
                row.attempts += 1
                row.last_error = f"{type(error).__name__}: {error}"[:1000]
                log.warning("outbox: could not publish %s: %s", row.key, error)
                break
            row.published_at = clock()
            row.attempts += 1
            published += 1
    bus.after_commit()
    return published


class Relay:
    """Runs :func:`relay_once` in a background thread (the embedded default's in-process worker)."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        bus: MessageBus,
        clock: Callable[[], datetime],
        interval: float = 0.5,
    ) -> None:
        self.sessions, self.bus, self.clock, self.interval = sessions, bus, clock, interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="clearway-outbox-relay", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                while relay_once(self.sessions, self.bus, self.clock):
                    pass
            except Exception:  # keep the worker alive; the message stays in the outbox
                log.exception("outbox relay failed")
            self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.bus.close()
