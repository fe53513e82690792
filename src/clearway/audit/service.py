"""Recording and verifying the audit trail.

Services call :func:`record` while they work; the events wait in the session until the unit of work calls
:func:`flush_pending` just before commit, which takes the chain lock, numbers and hashes them and inserts them.
Writing them last keeps the lock short; committing with the rest of the transaction means an event exists
exactly when the change it describes exists.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clearway.audit import chain
from clearway.audit.keys import key_of
from clearway.audit.models import AuditChainHead, AuditEvent
from clearway.db import bulk_insert

_PENDING = "clearway.audit.pending"


@dataclass(frozen=True, slots=True)
class Actor:
    name: str
    user_id: int | None = None


SYSTEM = Actor("system")


def record(
    session: Session,
    *,
    actor: Actor,
    subject_type: str,
    subject_id: str | int,
    action: str,
    at: datetime,
    reason: str | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    session.info.setdefault(_PENDING, []).append(
        (
            actor.user_id,
            {
                "occurred_at": at,
                "actor": actor.name,
                "subject_type": subject_type,
                "subject_id": str(subject_id),
                "action": action,
                "reason": reason,
                "data": data or {},
            },
        )
    )


@contextmanager
def savepoint(session: Session) -> Iterator[None]:
    """A nested transaction whose pending events are dropped with it when it rolls back."""
    pending = session.info.setdefault(_PENDING, [])
    mark = len(pending)
    nested = session.begin_nested()
    try:
        yield
        nested.commit()
    except BaseException:
        nested.rollback()
        del pending[mark:]
        raise


def discard_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)


def flush_pending(session: Session) -> list[chain.ChainedEvent]:
    """Chain, hash and insert the events recorded in this session; returns them."""
    pending = session.info.pop(_PENDING, [])
    if not pending:
        return []
    key = key_of(session)
    head = session.execute(
        select(AuditChainHead).where(AuditChainHead.id == 1).with_for_update()
    ).scalar_one()
    events = chain.chain(
        (head.last_seq, head.last_hash),
        ({**draft, "actor_user_id": user_id} for user_id, draft in pending),
        key,
    )
    bulk_insert(
        session,
        AuditEvent.__table__,
        [
            {
                "seq": e.seq,
                "occurred_at": e.occurred_at,
                "actor": e.actor,
                "actor_user_id": e.actor_user_id,
                "subject_type": e.subject_type,
                "subject_id": e.subject_id,
                "action": e.action,
                "reason": e.reason,
                "data": e.data,
                "prev_hash": e.prev_hash,
                "hash": e.hash,
                "scheme": e.scheme,
            }
            for e in events
        ],
    )
    head.last_seq, head.last_hash = events[-1].seq, events[-1].hash
    head.mac = chain.head_mac(key, head.last_seq, head.last_hash)
    session.flush()
    return events


def _as_chained(row: AuditEvent) -> chain.ChainedEvent:
    return chain.ChainedEvent(
        seq=row.seq,
        occurred_at=row.occurred_at,
        actor=row.actor,
        subject_type=row.subject_type,
        subject_id=row.subject_id,
        action=row.action,
        reason=row.reason,
        data=row.data,
        prev_hash=row.prev_hash,
        hash=row.hash,
        actor_user_id=row.actor_user_id,
        scheme=row.scheme,
    )


def events_for(session: Session, subject_type: str, subject_id: str | int) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.subject_type == subject_type, AuditEvent.subject_id == str(subject_id))
            .order_by(AuditEvent.seq)
        )
    )


def verify(
    session: Session,
    batch_size: int = 5000,
    *,
    anchors: list[chain.Anchor] | None = None,
    key: bytes | None = None,
) -> chain.Verification:
    """Verify the whole chain with the session's audit key, against ``anchors`` when given."""
    head_row = session.get(AuditChainHead, 1)
    head = (head_row.last_seq, head_row.last_hash) if head_row else None
    rows = session.scalars(
        select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=batch_size)
    )
    return chain.verify(
        (_as_chained(r) for r in rows),
        head,
        key=key or key_of(session),
        head_signature=head_row.mac if head_row else None,
        anchors=anchors or (),
    )


def head(session: Session) -> tuple[int, str]:
    """The last event's (seq, hash): what an anchor records."""
    row = session.get(AuditChainHead, 1)
    return (row.last_seq, row.last_hash) if row else (0, chain.GENESIS)
