"""API shapes of the IPR domain (…Create / …Read). Each audience gets its own view of a hold."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from clearway.declaration.validation import field_errors_from
from clearway.errors import ValidationFailed
from clearway.ipr.models import IprEvidence, IprHold, IprRecording

Mark = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
HsScope = Annotated[str, StringConstraints(pattern=r"^([0-9]{2}|[0-9]{4}|[0-9]{6})$")]
Brn = Annotated[str, StringConstraints(pattern=r"^[0-9]{3}-?[0-9]{2}-?[0-9]{5}$")]
Country = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PriceBandIn(_In):
    hs6: Annotated[str, StringConstraints(pattern=r"^[0-9]{6}$")]
    origin: Annotated[str, StringConstraints(pattern=r"^([A-Z]{2}|\*)$")] = "*"
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    min_unit_price: Annotated[Decimal, Field(gt=0, max_digits=16, decimal_places=4)]
    max_unit_price: Annotated[Decimal, Field(gt=0, max_digits=16, decimal_places=4)]


class RecordingCreate(_In):
    """A trademark to record (지식재산권 신고, 관세법 제235조). Validity ends with the registration."""

    registration_office: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,10}$")] = "KIPO"
    registration_number: Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z-]{4,40}$")]
    registration_expires: date
    valid_from: date | None = None
    marks: Annotated[list[Mark], Field(min_length=1, max_length=20)]
    nice_classes: Annotated[list[Annotated[int, Field(ge=1, le=45)]], Field(min_length=1, max_length=45)]
    hs_scopes: Annotated[list[HsScope], Field(min_length=1, max_length=100)]
    authorised_brns: Annotated[list[Brn], Field(max_length=500)] = []
    genuine_origins: Annotated[list[Country], Field(max_length=100)] = []
    price_bands: Annotated[list[PriceBandIn], Field(max_length=500)] = []
    parallel_imports_allowed: bool = False
    genuine_features: Annotated[str, StringConstraints(max_length=4000)] | None = None
    contact_email: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=200)]


RECORDING_EXAMPLE: dict[str, Any] = {
    "registration_office": "KIPO",
    "registration_number": "40-0123456",
    "registration_expires": "2030-05-31",
    "marks": ["NIKE", "나이키"],
    "nice_classes": [25],
    "hs_scopes": ["6402", "6403", "6404", "61", "62"],
    "authorised_brns": ["120-81-12345"],
    "genuine_origins": ["VN", "ID", "CN"],
    "price_bands": [
        {"hs6": "640411", "origin": "*", "currency": "USD", "min_unit_price": "35", "max_unit_price": "250"}
    ],
    "parallel_imports_allowed": True,
    "genuine_features": "swoosh stitched, size label with QR",
    "contact_email": "brand-protection@example.com",
}


def parse(model: type[BaseModel], data: Any) -> Any:
    """Validate ``data`` as ``model``; every wrong field becomes a field error with its JSON pointer."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ValidationFailed("the request is not valid", errors=field_errors_from(error)) from None


class Review(_In):
    approve: bool
    note: Note | None = None


class ScreenRequest(_In):
    declaration_id: Annotated[int, Field(ge=1, le=2_147_483_647)]


class HoldCreate(_In):
    declaration_id: Annotated[int, Field(ge=1, le=2_147_483_647)]
    line_number: Annotated[int, Field(ge=1, le=999)]
    recording_id: Annotated[int, Field(ge=1, le=2_147_483_647)]
    reason: Note


class Answer(StrEnum):
    CONFIRM = "confirm"
    NOT_COUNTERFEIT = "not_counterfeit"


class HoldAnswer(_In):
    answer: Answer
    security_krw: Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=0)] | None = None
    note: Note | None = None


class EvidenceCreate(_In):
    text: Note


class Decision(StrEnum):
    RELEASE = "release"
    SEIZE = "seize"


class HoldDecision(_In):
    decision: Decision
    note: Note


class RecordingRead(BaseModel):
    id: int
    status: str
    expired: bool
    registration_office: str
    registration_number: str
    marks: list[str]
    nice_classes: list[int]
    hs_scopes: list[str]
    authorised_brns: list[str]
    genuine_origins: list[str]
    price_bands: list[dict[str, Any]]
    parallel_imports_allowed: bool
    genuine_features: str | None
    contact_email: str
    valid_from: date
    valid_to: date
    created_at: datetime
    reviewed_at: datetime | None
    review_note: str | None

    @classmethod
    def of(cls, row: IprRecording, today: date) -> RecordingRead:
        return cls(
            id=row.id,
            status=row.status,
            expired=today > row.valid_to,
            registration_office=row.registration_office,
            registration_number=row.registration_number,
            marks=row.marks,
            nice_classes=row.nice_classes,
            hs_scopes=row.hs_scopes,
            authorised_brns=row.authorised_brns,
            genuine_origins=row.genuine_origins,
            price_bands=row.price_bands,
            parallel_imports_allowed=row.parallel_imports_allowed,
            genuine_features=row.genuine_features,
            contact_email=row.contact_email,
            valid_from=row.valid_from,
            valid_to=row.valid_to,
            created_at=row.created_at,
            reviewed_at=row.reviewed_at,
            review_note=row.review_note,
        )


class EvidenceRead(BaseModel):
    party: str
    text: str
    submitted_at: datetime

    @classmethod
    def of(cls, row: IprEvidence) -> EvidenceRead:
        return cls(party=row.party, text=row.text, submitted_at=row.submitted_at)


class HoldRead(BaseModel):
    """A hold as its reader may see it: officers everything; the right holder the goods but not the importer's
    identity, price or the screening signals; the importer why the goods are held but not the right holder's
    answer, security or contact."""

    id: int
    declaration_id: int
    line_number: int
    recording_id: int
    mark: str
    status: str
    notified_on: date
    answer_due: date
    overdue: bool
    opened_at: datetime
    decided_at: datetime | None
    decision_note: str | None = None
    goods: dict[str, Any] | None = None
    answer: str | None = None
    answered_at: datetime | None = None
    security_krw: Decimal | None = None
    answer_note: str | None = None
    score: float | None = None
    signals: list[dict[str, Any]] | None = None
    officer_reason: str | None = None
    importer: dict[str, Any] | None = None
    required_security_krw: Decimal | None = None
    evidence: list[EvidenceRead] = []

    @classmethod
    def base(cls, row: IprHold, mark: str, overdue: bool, evidence: list[IprEvidence]) -> dict[str, Any]:
        return {
            "id": row.id,
            "declaration_id": row.declaration_id,
            "line_number": row.line_number,
            "recording_id": row.recording_id,
            "mark": mark,
            "status": row.status,
            "notified_on": row.notified_on,
            "answer_due": row.answer_due,
            "overdue": overdue,
            "opened_at": row.opened_at,
            "decided_at": row.decided_at,
            "decision_note": row.decision_note,
            "evidence": [EvidenceRead.of(e) for e in evidence],
        }
