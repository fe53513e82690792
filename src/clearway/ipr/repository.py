"""All IPR queries. Flushes, never commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from clearway.db import MEMO_PREFIX
from clearway.declaration.models import Declaration
from clearway.ipr.core import OPEN_STATUSES, HoldStatus, PriceBand, RecordedRight, RecordingStatus
from clearway.ipr.models import IprEvidence, IprHold, IprRecording
from clearway.tariff.repository import exchange_rates_on

_RIGHTS = MEMO_PREFIX + "ipr.rights_in_force"
_RATES = MEMO_PREFIX + "ipr.rates"


def add(session: Session, row: IprRecording | IprHold | IprEvidence) -> None:
    session.add(row)
    session.flush()
    session.info.pop(_RIGHTS, None)


def recording(session: Session, recording_id: int, *, for_update: bool = False) -> IprRecording | None:
    query = select(IprRecording).where(IprRecording.id == recording_id)
    return session.scalars(query.with_for_update() if for_update else query).first()


def by_registration(session: Session, office: str, number: str) -> IprRecording | None:
    return session.scalars(
        select(IprRecording).where(
            IprRecording.registration_office == office, IprRecording.registration_number == number
        )
    ).first()


def recordings(
    session: Session, *, holder_company_id: int | None = None, status: str | None = None
) -> list[IprRecording]:
    query = select(IprRecording).order_by(IprRecording.id)
    if holder_company_id is not None:
        query = query.where(IprRecording.holder_company_id == holder_company_id)
    if status is not None:
        query = query.where(IprRecording.status == status)
    return list(session.scalars(query))


def right_of(row: IprRecording) -> RecordedRight:
    return RecordedRight(
        id=row.id,
        marks=tuple(row.marks),
        hs_scopes=tuple(row.hs_scopes),
        authorised_brns=frozenset(row.authorised_brns),
        genuine_origins=frozenset(row.genuine_origins),
        price_bands=tuple(
            PriceBand(
                b["hs6"],
                b["origin"],
                b["currency"],
                Decimal(b["min_unit_price"]),
                Decimal(b["max_unit_price"]),
            )
            for b in row.price_bands
        ),
        parallel_imports_allowed=row.parallel_imports_allowed,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
    )


def rights_in_force(session: Session, on: date) -> list[RecordedRight]:
    """Approved recordings valid on ``on``, remembered for the transaction (a batch uses one query)."""
    memo: dict[date, list[RecordedRight]] = session.info.setdefault(_RIGHTS, {})
    if on not in memo:
        rows = session.scalars(
            select(IprRecording)
            .where(
                IprRecording.status == RecordingStatus.APPROVED.value,
                IprRecording.valid_from <= on,
                IprRecording.valid_to >= on,
            )
            .order_by(IprRecording.id)
        )
        memo[on] = [right_of(r) for r in rows]
    return memo[on]


def rates_krw(session: Session, on: date) -> dict[str, Decimal]:
    """KRW per unit of each currency, the week's customs exchange rates (과세환율)."""
    memo: dict[date, dict[str, Decimal]] = session.info.setdefault(_RATES, {})
    if on not in memo:
        memo[on] = {r.currency: r.per_unit for r in exchange_rates_on(session, on)}
    return memo[on]


def hold(session: Session, hold_id: int, *, for_update: bool = False) -> IprHold | None:
    query = select(IprHold).where(IprHold.id == hold_id)
    return session.scalars(query.with_for_update() if for_update else query).first()


def open_hold(session: Session, declaration_id: int, line_number: int, recording_id: int) -> IprHold | None:
    return session.scalars(
        select(IprHold).where(
            IprHold.declaration_id == declaration_id,
            IprHold.line_number == line_number,
            IprHold.recording_id == recording_id,
            IprHold.status.in_([s.value for s in OPEN_STATUSES]),
        )
    ).first()


def holds(
    session: Session,
    *,
    holder_company_id: int | None = None,
    filer_company_id: int | None = None,
    statuses: Sequence[HoldStatus] | None = None,
    due_before: date | None = None,
    declaration_id: int | None = None,
) -> list[IprHold]:
    query = select(IprHold).order_by(IprHold.answer_due, IprHold.id)
    if holder_company_id is not None:
        query = query.join(IprRecording, IprRecording.id == IprHold.recording_id).where(
            IprRecording.holder_company_id == holder_company_id
        )
    if filer_company_id is not None:
        query = query.join(Declaration, Declaration.id == IprHold.declaration_id).where(
            Declaration.filer_company_id == filer_company_id
        )
    if statuses is not None:
        query = query.where(IprHold.status.in_([s.value for s in statuses]))
    if due_before is not None:
        query = query.where(IprHold.answer_due < due_before)
    if declaration_id is not None:
        query = query.where(IprHold.declaration_id == declaration_id)
    return list(session.scalars(query))


def evidence(session: Session, hold_id: int) -> list[IprEvidence]:
    query = select(IprEvidence).where(IprEvidence.hold_id == hold_id).order_by(IprEvidence.id)
    return list(session.scalars(query))


def decided(session: Session) -> list[IprHold]:
    decided_statuses = [HoldStatus.SEIZED.value, HoldStatus.RELEASED.value]
    query = select(IprHold).where(IprHold.status.in_(decided_statuses)).order_by(IprHold.id)
    return list(session.scalars(query))


def seized_with_recordings(session: Session) -> list[tuple[IprHold, IprRecording]]:
    query = (
        select(IprHold, IprRecording)
        .join(IprRecording, IprRecording.id == IprHold.recording_id)
        .where(IprHold.status == HoldStatus.SEIZED.value)
        .order_by(IprHold.id)
    )
    rows = session.execute(query)
    return [(h, r) for h, r in rows]
