"""The traveller's own declaration in the product: checked, assessed with the arrival date's customs exchange
rates and traveller parameters, stored, and joined to the passenger's record for the officer.

Travellers do not sign in. The answer never says whether the document was found on the flight (that would let
anyone probe who is travelling); the officer sees the declaration on the passenger's page when the carrier's
data names the same document. Flushes, never commits; no personal data in the audit trail.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clearway.audit.service import Actor, record
from clearway.errors import FieldError, ValidationFailed
from clearway.tariff.parameters import (
    TAX_AMOUNT_UNIT,
    TRAVELLER_ALLOWANCE_USD,
    TRAVELLER_REDUCTION_CAP,
    TRAVELLER_REDUCTION_PCT,
)
from clearway.tariff.service import snapshot_for
from clearway.traveller.declaration import TravellerParameters, compute, read_declaration
from clearway.traveller.models import TravellerDeclarationRecord, TravellerPassenger
from clearway.traveller.watch_service import person_ref

TRAVELLER = Actor("traveller-self-declaration")
_FLIGHT = re.compile(r"^[A-Z0-9]{2}[A-Z]?\d{1,4}[A-Z]?$")
_DOCUMENT = re.compile(r"^[A-Z0-9]{1,20}$")
_COUNTRY = re.compile(r"^[A-Z]{3}$")


def _trip(data: Any, today: date) -> tuple[str, date, str]:
    errors: list[FieldError] = []
    if not isinstance(data, dict):
        raise ValidationFailed(
            "a declaration is a JSON object", errors=[FieldError("", "not_an_object", "object")]
        )
    flight = str(data.get("flight_number") or "").strip().upper()
    if not _FLIGHT.match(flight):
        errors.append(FieldError("/flight_number", "bad_format", "a flight number such as KE082"))
    arrival = date.min
    try:
        arrival = date.fromisoformat(str(data.get("arrival_date") or ""))
    except ValueError:
        errors.append(FieldError("/arrival_date", "bad_date", "a real date as YYYY-MM-DD"))
    else:
        if not today - timedelta(days=1) <= arrival <= today + timedelta(days=3):
            errors.append(
                FieldError(
                    "/arrival_date", "out_of_range", "declare from 3 days before arrival to 1 day after"
                )
            )
    issuer = str(data.get("document_issuer") or "").strip().upper()
    number = str(data.get("document_number") or "").strip().upper()
    if not _COUNTRY.match(issuer):
        errors.append(
            FieldError("/document_issuer", "bad_format", "the passport's issuing country (KOR, USA ...)")
        )
    if not _DOCUMENT.match(number):
        errors.append(FieldError("/document_number", "bad_format", "the passport number, letters and digits"))
    try:
        read_declaration(data)
    except ValidationFailed as exc:
        errors += exc.errors
    if errors:
        raise ValidationFailed(
            f"the declaration has {len(errors)} problem(s); nothing was stored", errors=errors
        )
    return flight, arrival, f"{issuer}:{number}"


def submit(
    session: Session, data: Any, *, now: datetime
) -> tuple[TravellerDeclarationRecord, dict[str, Any]]:
    """Check, assess and store a traveller's declaration; the stored row and the assessment."""
    flight, arrival, key = _trip(data, now.date())
    declaration = read_declaration(data)
    snapshot = snapshot_for(session, [], [arrival])
    params_on = snapshot.parameters.on(arrival)
    try:
        params = TravellerParameters(
            params_on.decimal(TRAVELLER_ALLOWANCE_USD),
            params_on.decimal(TRAVELLER_REDUCTION_PCT),
            params_on.decimal(TRAVELLER_REDUCTION_CAP),
            params_on.decimal(TAX_AMOUNT_UNIT),
        )
    except Exception as exc:  # a missing parameter: the tariff data is not loaded for this date
        raise ValidationFailed(
            "the traveller regime's parameters are not available for the arrival date",
            errors=[FieldError("/arrival_date", "no_parameters", str(exc))],
        ) from None

    def krw_per_unit(currency: str) -> Decimal | None:
        if currency == "KRW":
            return Decimal(1)
        rate = snapshot.exchange_rates.rate(currency, arrival)
        return None if rate is None else rate.rate_krw / rate.per

    result = compute(declaration, params, krw_per_unit)
    passenger = session.scalar(
        select(TravellerPassenger).where(
            TravellerPassenger.flight_number == flight,
            TravellerPassenger.arrival_date == arrival,
            TravellerPassenger.passenger_key == key,
        )
    )
    row = TravellerDeclarationRecord(
        passenger_id=passenger.id if passenger else None,
        flight_number=flight,
        arrival_date=arrival,
        document_ref=person_ref(key),
        content=data,
        result=result.as_dict(),
        total_krw=result.total_krw,
        submitted_at=now,
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor=TRAVELLER,
        subject_type="traveller_declaration",
        subject_id=row.id,
        action="submitted",
        at=now,
        data={"joined": passenger is not None},
    )
    return row, result.as_dict()


def join_waiting(session: Session, passenger: TravellerPassenger) -> None:
    """Join declarations sent before the carrier's data (same flight, day and document) to the passenger."""
    ref = person_ref(passenger.passenger_key)
    for row in session.scalars(
        select(TravellerDeclarationRecord).where(
            TravellerDeclarationRecord.passenger_id.is_(None),
            TravellerDeclarationRecord.document_ref == ref,
            TravellerDeclarationRecord.flight_number == passenger.flight_number,
            TravellerDeclarationRecord.arrival_date == passenger.arrival_date,
        )
    ):
        row.passenger_id = passenger.id


def passenger_declarations(session: Session, passenger_id: int) -> list[TravellerDeclarationRecord]:
    return list(
        session.scalars(
            select(TravellerDeclarationRecord)
            .where(TravellerDeclarationRecord.passenger_id == passenger_id)
            .order_by(TravellerDeclarationRecord.submitted_at.desc())
        )
    )
