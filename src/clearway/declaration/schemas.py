"""API shapes of the declaration domain (…Read / …Page / request bodies)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from clearway.declaration import disclosure
from clearway.declaration.decisions import DecisionKind, Finding
from clearway.declaration.lifecycle import Status, allowed_actions
from clearway.declaration.models import Declaration, DeclarationVersion
from clearway.receipts.core import filer_view


def declaration_number(declaration: Declaration) -> str:
    """Printed declaration number: CW-<yy>-<8-digit serial>."""
    return f"CW-{declaration.filed_on:%y}-{declaration.id:08d}"


class VersionSummary(BaseModel):
    version: int
    status: str
    created_at: datetime
    amendment_reason: str | None = None


class DeclarationRead(BaseModel):
    id: int
    number: str
    kind: str
    version: int
    current_version: int
    status: str
    lane: str | None
    declarant_reference: str
    filer_company_id: int
    filed_on: date
    filed_at: datetime
    updated_at: datetime
    total_due_krw: Decimal | None
    assessment: dict[str, Any] | None
    lane_selection: dict[str, Any] | None
    advice: list[dict[str, Any]]
    allowed_actions: list[str]
    content: dict[str, Any]
    versions: list[VersionSummary] = Field(default_factory=list)
    release_times: list[dict[str, Any]] = Field(default_factory=list)
    change_requests: list[dict[str, Any]] = Field(
        default_factory=list, description="Requests to amend or withdraw after selection, and their answers"
    )
    document_requests: list[dict[str, Any]] = Field(
        default_factory=list, description="Documents customs asked for, the deadline, the reply and its files"
    )
    inspections: list[dict[str, Any]] = Field(default_factory=list, description="What the checks found")
    assignee: str | None = Field(None, description="The officer working on it (customs only)")
    receipt: dict[str, Any] | None = Field(
        None,
        description="The signed decision receipt (GET .../receipt); a filer's copy has no confidential part",
    )
    held: bool = Field(
        False, description="A hold stands: the declaration is filed but cannot be accepted until it is lifted"
    )
    holds: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Holds of this version, standing or lifted: code (e.g. bill_not_on_manifest), the bill, "
        "the reason in English and Korean (reason, reason_ko), when placed and lifted",
    )

    @classmethod
    def of(
        cls, declaration: Declaration, version: DeclarationVersion, *, customs: bool = True, **extra: Any
    ) -> DeclarationRead:
        """``customs=False`` gives the filer's view, through :mod:`clearway.declaration.disclosure`."""
        who = disclosure.audience(customs)
        selection = disclosure.selection(version.lane_selection, who)
        advice = disclosure.advice(version.advice or [], who)
        return cls(
            id=declaration.id,
            number=declaration_number(declaration),
            kind=declaration.kind,
            version=version.version,
            current_version=declaration.current_version,
            status=version.status,
            lane=version.lane,
            declarant_reference=declaration.declarant_reference,
            filer_company_id=declaration.filer_company_id,
            filed_on=declaration.filed_on,
            filed_at=declaration.filed_at,
            updated_at=declaration.updated_at,
            total_due_krw=declaration.total_due_krw,
            assessment=version.assessment,
            lane_selection=selection,
            advice=advice,
            allowed_actions=[a.value for a in allowed_actions(Status(version.status))],
            content=version.content,
            receipt=version.receipt if customs else filer_view(version.receipt),
            **extra,
        )


class DeclarationSummary(BaseModel):
    id: int
    number: str
    kind: str
    version: int
    status: str
    lane: str | None
    declarant_reference: str
    importer_name: str | None
    customs_office: str
    filed_on: date
    total_due_krw: Decimal | None

    @classmethod
    def of(cls, d: Declaration) -> DeclarationSummary:
        return cls(
            id=d.id,
            number=declaration_number(d),
            kind=d.kind,
            version=d.current_version,
            status=d.status,
            lane=d.lane,
            declarant_reference=d.declarant_reference,
            importer_name=d.importer_name,
            customs_office=d.customs_office,
            filed_on=d.filed_on,
            total_due_krw=d.total_due_krw,
        )


class DeclarationPage(BaseModel):
    items: list[DeclarationSummary]
    total: int
    page: int
    page_size: int


class BatchFiled(BaseModel):
    """What a batch answers for each filed declaration: enough to follow it up (GET it for everything)."""

    id: int
    number: str
    version: int
    status: str
    lane: str | None
    declarant_reference: str
    total_due_krw: Decimal | None
    advice: list[dict[str, Any]]

    @classmethod
    def of(cls, declaration: Declaration, version: DeclarationVersion, *, customs: bool) -> BatchFiled:
        return cls(
            id=declaration.id,
            number=declaration_number(declaration),
            version=version.version,
            status=version.status,
            lane=version.lane,
            declarant_reference=declaration.declarant_reference,
            total_due_krw=declaration.total_due_krw,
            advice=disclosure.advice(version.advice or [], disclosure.audience(customs)),
        )


class BatchResult(BaseModel):
    index: int
    status: int = Field(
        description="201 filed, 200 already filed (idempotent replay), or the problem's status"
    )
    declaration: BatchFiled | None = None
    problem: dict[str, Any] | None = None


class BatchResponse(BaseModel):
    filed: int
    replayed: int
    failed: int
    results: list[BatchResult]


class CheckResult(BaseModel):
    valid: bool
    total_due_krw: Decimal | None = Field(description="The duty and tax estimate as of today")
    assessment: dict[str, Any]
    advice: list[dict[str, Any]] = Field(
        description="Every warning (e.g. a code unlikely for the description)"
    )


class AmendRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=3, max_length=500)
    declaration: dict[str, Any] = Field(description="The full corrected declaration (DeclarationContent)")
    base_version: int | None = Field(
        None,
        ge=1,
        le=100_000,
        description='The version you corrected (or send If-Match: "<version>"); a stale one is answered 409',
    )


class CancelRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=3, max_length=500)


class FindingBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    finding: Finding
    description: str | None = Field(None, max_length=2000)
    additional_duty_krw: Decimal = Field(Decimal(0), ge=0, le=Decimal("1e13"), decimal_places=0)
    critical: bool = False


class DecisionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: DecisionKind
    reason: str | None = Field(None, max_length=1000, description="Internal note: officers only")
    message: str | None = Field(None, max_length=1000, description="What the filer is told")
    finding: FindingBody | None = None
    deadline_days: int = Field(10, ge=1, le=60, description="For request_documents: days to reply")
    override: bool = Field(False, description="Accept although the requested documents have not arrived")


class RequestDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    grant: bool
    message: str = Field(min_length=1, max_length=1000, description="The answer to the filer")
    reason: str | None = Field(None, max_length=1000, description="Internal note: officers only")


class AssignmentRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    take: bool = Field(description="True to take the declaration, False to give it back to the queue")


class QueueItem(BaseModel):
    declaration: DeclarationSummary
    stage: str
    age_seconds: int
    deadline: datetime | None
    reasons: list[str]
    assignee: str | None
    request: str | None


class QueuePage(BaseModel):
    items: list[QueueItem]
    total: int
    page: int
    page_size: int


class PaymentRequest(BaseModel):
    """Accepted for older clients and ignored: a typed payment no longer pays (see the payment order)."""

    amount_krw: Decimal | None = Field(None, ge=0, le=Decimal("1e13"), decimal_places=0)
    method: Literal["bank_transfer", "virtual_account", "card", "duty_account"] | None = None
    reference: str | None = Field(None, max_length=60)


class EventRead(BaseModel):
    seq: int
    occurred_at: datetime
    actor: str
    action: str
    reason: str | None
    data: dict[str, Any]
    prev_hash: str
    hash: str
