"""The unit of work: one transaction per request, command or job.

Repositories and services flush, never commit. The boundary (the HTTP session dependency, a CLI command, a
job) opens a unit of work; when the block ends normally the pending audit events are chained and written, each
also becomes an outbox message, and the transaction commits; on any exception everything is rolled back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session, sessionmaker

from clearway.audit.service import discard_pending, flush_pending
from clearway.gcpause import collection_paused
from clearway.messaging.outbox import enqueue_events


def commit(session: Session) -> None:
    with collection_paused():  # a batch's thousands of events: no full collections while they are written
        events = flush_pending(session)
        if events:
            enqueue_events(session, events, now=events[-1].occurred_at)
        session.commit()


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    session = factory()
    try:
        yield session
        commit(session)
    except BaseException:
        session.rollback()
        discard_pending(session)
        raise
    finally:
        session.close()
