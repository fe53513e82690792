"""Traveller services: receiving carriers' passenger messages, reading passengers (every view audited), and
the masking and deletion job. Flushes, never commits; dates and moments are passed in.

No personal data goes into the audit trail or logs: events name the passenger row and the message, never the
person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from clearway.audit.service import Actor, record
from clearway.errors import NotFound
from clearway.identity.core import Principal, Scope
from clearway.traveller import paxlst
from clearway.traveller.apd import Message, Passenger, read_message
from clearway.traveller.models import (
    TravellerCheck,
    TravellerDeclarationRecord,
    TravellerHit,
    TravellerMessage,
    TravellerPassenger,
)
from clearway.traveller.privacy import Retention, masked_api, masked_pnr

PASSENGER = "traveller_passenger"


def actor_of(principal: Principal) -> Actor:
    return Actor(principal.username, principal.user_id)


def receive(session: Session, principal: Principal, data: Any, *, now: datetime) -> dict[str, Any]:
    """Check and store a carrier's message; returns its acknowledgement. A message id already received is
    acknowledged again with its first answer (``duplicate_message``) and changes nothing."""
    principal.require_scope(Scope.TRAVELLERS_WRITE)
    message = read_message(data, today=now.date())
    earlier = session.scalar(
        select(TravellerMessage).where(TravellerMessage.message_id == message.message_id)
    )
    if earlier is not None:
        return {
            **earlier.acknowledgement,
            "status": "duplicate_message",
            "reasons": [
                {
                    "code": "DUPLICATE_MESSAGE",
                    "message": "this message id was already received; "
                    "the first acknowledgement is repeated and nothing changed",
                }
            ],
        }
    results = [_store(session, message, p, now=now) for p in message.passengers]
    session.flush()
    from clearway.traveller.declaration_service import join_waiting

    for row, _ in results:
        join_waiting(session, row)
    actor = actor_of(principal)
    for row, result in results:
        if result != "unchanged":
            record(
                session,
                actor=actor,
                subject_type=PASSENGER,
                subject_id=row.id,
                action=result,
                at=now,
                data={"message_id": message.message_id, "version": row.version},
            )
    ack = {
        "message_id": message.message_id,
        "status": "accepted",
        "flight": {"number": message.flight.number, "arrival_date": message.flight.arrival_date.isoformat()},
        "passengers": [
            {"index": i, "passenger_id": row.id, "result": result, "version": row.version}
            for i, (row, result) in enumerate(results)
        ],
        "reasons": [],
    }
    session.add(
        TravellerMessage(
            message_id=message.message_id,
            carrier=message.carrier,
            flight_number=message.flight.number,
            arrival_date=message.flight.arrival_date,
            received_at=now,
            received_by=principal.username,
            acknowledgement=ack,
        )
    )
    record(
        session,
        actor=actor,
        subject_type="traveller_message",
        subject_id=message.message_id,
        action="accepted",
        at=now,
        data={"passengers": len(results), "carrier": message.carrier},
    )
    session.flush()
    return ack


def receive_paxlst(session: Session, principal: Principal, text: str, *, now: datetime) -> dict[str, Any]:
    """The same as :func:`receive` for a UN/EDIFACT PAXLST message."""
    principal.require_scope(Scope.TRAVELLERS_WRITE)
    return receive(session, principal, paxlst.parse(text, today=now.date()), now=now)


def _store(
    session: Session, message: Message, p: Passenger, *, now: datetime
) -> tuple[TravellerPassenger, str]:
    flight = message.flight
    row = session.scalar(
        select(TravellerPassenger).where(
            TravellerPassenger.flight_number == flight.number,
            TravellerPassenger.arrival_date == flight.arrival_date,
            TravellerPassenger.passenger_key == p.key,
        )
    )
    api = p.api_fields()
    if row is None:
        row = TravellerPassenger(
            flight_number=flight.number,
            arrival_date=flight.arrival_date,
            passenger_key=p.key,
            carrier=message.carrier,
            departure_port=flight.departure_port,
            arrival_port=flight.arrival_port,
            scheduled_arrival=flight.scheduled_arrival,
            api=api,
            pnr=p.pnr,
            version=1,
            last_message_id=message.message_id,
            received_at=now,
            updated_at=now,
            masked_at=None,
        )
        session.add(row)
        return row, "created"
    pnr = p.pnr if p.pnr is not None else row.pnr  # an API-only update keeps the booking already received
    if row.api == api and row.pnr == pnr and row.scheduled_arrival == flight.scheduled_arrival:
        return row, "unchanged"
    row.api, row.pnr, row.scheduled_arrival = api, pnr, flight.scheduled_arrival
    row.version += 1
    row.last_message_id, row.updated_at = message.message_id, now
    return row, "updated"


def get_passenger(
    session: Session, principal: Principal, passenger_id: int, *, now: datetime
) -> TravellerPassenger:
    """One passenger with API and PNR; only the traveller unit may, and the view is recorded."""
    principal.require_scope(Scope.TRAVELLERS_READ)
    row = session.get(TravellerPassenger, passenger_id)
    if row is None:
        raise NotFound(f"no passenger {passenger_id}")
    record(
        session,
        actor=actor_of(principal),
        subject_type=PASSENGER,
        subject_id=row.id,
        action="viewed",
        at=now,
        data={"pnr": row.pnr is not None},
    )
    return row


def flight_passengers(
    session: Session, principal: Principal, flight_number: str, arrival_date: date, *, now: datetime
) -> list[TravellerPassenger]:
    """The passengers of one arriving flight; the listing is recorded with the rows it showed."""
    principal.require_scope(Scope.TRAVELLERS_READ)
    rows = list(
        session.scalars(
            select(TravellerPassenger)
            .where(
                TravellerPassenger.flight_number == flight_number.upper(),
                TravellerPassenger.arrival_date == arrival_date,
            )
            .order_by(TravellerPassenger.id)
        )
    )
    record(
        session,
        actor=actor_of(principal),
        subject_type="traveller_flight",
        subject_id=f"{flight_number.upper()}/{arrival_date.isoformat()}",
        action="viewed",
        at=now,
        data={"passenger_ids": [r.id for r in rows]},
    )
    return rows


@dataclass(frozen=True, slots=True)
class PurgeResult:
    masked: int
    deleted: int
    messages_deleted: int
    mask_before: date
    delete_before: date


def purge(
    session: Session, principal: Principal, retention: Retention, *, today: date, now: datetime
) -> PurgeResult:
    """Mask the passengers past the masking period and delete those past the retention period."""
    principal.require_scope(Scope.TRAVELLERS_WRITE)
    mask_before, delete_before = retention.mask_before(today), retention.delete_before(today)
    old = TravellerPassenger.arrival_date < delete_before
    deleted = session.scalar(select(func.count()).select_from(TravellerPassenger).where(old)) or 0
    old_messages = TravellerMessage.arrival_date < delete_before
    messages = session.scalar(select(func.count()).select_from(TravellerMessage).where(old_messages)) or 0
    doomed = select(TravellerPassenger.id).where(old)
    session.execute(
        delete(TravellerDeclarationRecord).where(TravellerDeclarationRecord.arrival_date < delete_before)
    )
    session.execute(delete(TravellerHit).where(TravellerHit.passenger_id.in_(doomed)))
    session.execute(
        update(TravellerCheck).where(TravellerCheck.passenger_id.in_(doomed)).values(passenger_id=None)
    )
    session.execute(delete(TravellerPassenger).where(old))
    session.execute(delete(TravellerMessage).where(old_messages))
    masked = 0
    rows = session.scalars(
        select(TravellerPassenger).where(
            TravellerPassenger.arrival_date < mask_before, TravellerPassenger.masked_at.is_(None)
        )
    ).all()
    for row in rows:
        row.api, row.pnr = masked_api(row.api), masked_pnr(row.pnr)
        row.passenger_key, row.masked_at = f"masked:{row.id}", now
        for hit in session.scalars(select(TravellerHit).where(TravellerHit.passenger_id == row.id)):
            hit.reasons = ["masked after the masking period"]
        for own in session.scalars(
            select(TravellerDeclarationRecord).where(TravellerDeclarationRecord.passenger_id == row.id)
        ):
            own.content = {**own.content, "document_number": "masked"}
        masked += 1
    session.flush()
    result = PurgeResult(masked, deleted, messages, mask_before, delete_before)
    record(
        session,
        actor=actor_of(principal),
        subject_type=PASSENGER,
        subject_id="retention",
        action="purged",
        at=now,
        data={
            "masked": result.masked,
            "deleted": result.deleted,
            "messages_deleted": result.messages_deleted,
            "mask_before": mask_before.isoformat(),
            "delete_before": delete_before.isoformat(),
        },
    )
    return result


def flights(session: Session, principal: Principal) -> list[dict[str, Any]]:
    """Arriving flights with passenger data, newest first (no personal data: counts only)."""
    principal.require_scope(Scope.TRAVELLERS_READ)
    rows = session.execute(
        select(
            TravellerPassenger.flight_number,
            TravellerPassenger.arrival_date,
            TravellerPassenger.departure_port,
            TravellerPassenger.arrival_port,
            func.min(TravellerPassenger.scheduled_arrival),
            func.count(),
        )
        .group_by(
            TravellerPassenger.flight_number,
            TravellerPassenger.arrival_date,
            TravellerPassenger.departure_port,
            TravellerPassenger.arrival_port,
        )
        .order_by(TravellerPassenger.arrival_date.desc(), TravellerPassenger.flight_number)
        .limit(200)
    ).all()
    return [
        {
            "flight_number": f,
            "arrival_date": d,
            "route": f"{dep} → {arr}",
            "scheduled_arrival": at,
            "passengers": n,
        }
        for f, d, dep, arr, at, n in rows
    ]
