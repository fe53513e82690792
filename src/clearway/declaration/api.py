"""Declaration endpoints. Thin: parse the request, call the service, shape the answer."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Query, Request, Response
from fastapi.responses import FileResponse

from clearway.audit.service import events_for
from clearway.clock import KOREA
from clearway.declaration import decisions, disclosure, documents, records
from clearway.declaration import holds as declaration_holds
from clearway.declaration import queue as work_queue
from clearway.declaration import repository as repo
from clearway.declaration.content import IsoDate
from clearway.declaration.filing import Filing
from clearway.declaration.lifecycle import Lane, Status
from clearway.declaration.queue import QueueFilter
from clearway.declaration.release_time import stage_times
from clearway.declaration.schemas import (
    AmendRequest,
    AssignmentRequest,
    BatchFiled,
    BatchResponse,
    BatchResult,
    CancelRequest,
    CheckResult,
    DecisionRequest,
    DeclarationPage,
    DeclarationRead,
    DeclarationSummary,
    EventRead,
    PaymentRequest,
    QueueItem,
    QueuePage,
    RequestDecision,
    VersionSummary,
)
from clearway.declaration.transitions import SUBJECT
from clearway.errors import FieldError, ValidationFailed
from clearway.identity.core import Principal, Scope
from clearway.payment import service as payment
from clearway.payment.schemas import PaymentOrderRead
from clearway.web.deps import PrincipalDep, ResourceId, RuntimeDep, SessionDep
from clearway.web.problems import PROBLEM_RESPONSES

router = APIRouter(tags=["declarations"])

_DECLARATION_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DeclarationContent"}}},
    }
}
Document = Annotated[Any, Body()]
_IF_MATCH = r'^\s*(W/)?"?[1-9][0-9]{0,5}"?\s*$'


def _read(
    session: SessionDep, runtime: RuntimeDep, principal: Principal, filing: Filing, *, full: bool = False
) -> DeclarationRead:
    extra: dict[str, Any] = declaration_holds.read_fields(
        session, filing.declaration.id, filing.version.version
    )
    if full:
        declaration = filing.declaration
        extra["versions"] = [
            VersionSummary(
                version=v.version,
                status=v.status,
                created_at=v.created_at,
                amendment_reason=v.amendment_reason,
            )
            for v in repo.versions(session, declaration.id)
        ]
        events = [(e.action, e.occurred_at) for e in events_for(session, SUBJECT, declaration.id)]
        arrival = filing.version.content.get("consignment", {}).get("arrival_date")
        extra["release_times"] = [
            s.as_dict()
            for s in stage_times(
                events,
                arrival=date.fromisoformat(arrival) if arrival else None,
                tz=KOREA,
            )
        ]
        extra.update(records.disclosed(session, principal, declaration))
    return DeclarationRead.of(filing.declaration, filing.version, customs=principal.is_customs, **extra)


@router.post(
    "/declarations",
    status_code=201,
    response_model=DeclarationRead,
    openapi_extra=_DECLARATION_BODY,
    summary="File a declaration (idempotent)",
)
def file_declaration(
    document: Document,
    session: SessionDep,
    principal: PrincipalDep,
    runtime: RuntimeDep,
    response: Response,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=100)] = None,
) -> DeclarationRead:
    filing = runtime.declarations.file(session, principal, document, idempotency_key=idempotency_key)
    if not filing.created:
        response.status_code = 200
        response.headers["Idempotent-Replayed"] = "true"
    response.headers["Location"] = f"/api/v1/declarations/{filing.declaration.id}"
    return _read(session, runtime, principal, filing)


@router.post(
    "/declarations:batch",
    response_model=BatchResponse,
    summary="File up to the batch limit of declarations, each answered on its own",
)
def file_batch(
    body: Annotated[dict[str, Any], Body(examples=[{"declarations": []}])],
    session: SessionDep,
    principal: PrincipalDep,
    runtime: RuntimeDep,
    request: Request,
) -> BatchResponse:
    documents = body.get("declarations")
    limit = runtime.settings.batch_limit
    if not isinstance(documents, list) or not documents:
        raise ValidationFailed(
            'send {"declarations": [...]}',
            errors=[FieldError("/declarations", "required", "a non-empty list")],
        )
    if len(documents) > limit:
        raise ValidationFailed(
            f"at most {limit} declarations per batch",
            errors=[FieldError("/declarations", "too_many", f"{len(documents)} > {limit}")],
        )
    results = []
    for item in runtime.declarations.file_batch(session, principal, documents):
        if item.filing is not None:
            filed = BatchFiled.of(item.filing.declaration, item.filing.version, customs=principal.is_customs)
            results.append(
                BatchResult(index=item.index, status=201 if item.filing.created else 200, declaration=filed)
            )
        else:
            assert item.error is not None
            problem = item.error.to_problem(instance=f"{request.url.path}#/declarations/{item.index}")
            results.append(BatchResult(index=item.index, status=item.error.status, problem=problem))
    return BatchResponse(
        filed=sum(r.status == 201 for r in results),
        replayed=sum(r.status == 200 for r in results),
        failed=sum(r.status >= 400 for r in results),
        results=results,
    )


@router.post(
    "/declarations:check",
    response_model=CheckResult,
    openapi_extra=_DECLARATION_BODY,
    summary="Check without filing: validation, every warning and the duty estimate; nothing stored",
)
def check_declaration(
    document: Document, session: SessionDep, principal: PrincipalDep, runtime: RuntimeDep
) -> CheckResult:
    preview = runtime.declarations.preview(session, principal, document)
    return CheckResult(
        valid=True,
        total_due_krw=preview.assessment.total_due_krw,
        assessment=preview.assessment.as_dict(),
        advice=disclosure.advice(
            [a.as_dict() for a in preview.advice], disclosure.audience(principal.is_customs)
        ),
    )


@router.get("/declarations", response_model=DeclarationPage, summary="Search declarations")
def list_declarations(
    session: SessionDep,
    principal: PrincipalDep,
    runtime: RuntimeDep,
    status: Status | None = None,
    lane: Lane | None = None,
    kind: Annotated[str | None, Query(pattern="^(import|export)$")] = None,
    filed_from: IsoDate | None = None,
    filed_to: IsoDate | None = None,
    importer: Annotated[str | None, Query(max_length=200, description="BRN or part of the name")] = None,
    reference: Annotated[str | None, Query(max_length=35)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=500)] = 50,
) -> DeclarationPage:
    f = repo.ListFilter(
        status=status.value if status else None,
        lane=lane.value if lane else None,
        kind=kind,
        filed_from=filed_from,
        filed_to=filed_to,
        importer=importer,
        declarant_reference=reference,
    )
    rows, total = runtime.declarations.search(
        session, principal, f, offset=(page - 1) * page_size, limit=page_size
    )
    return DeclarationPage(
        items=[DeclarationSummary.of(r) for r in rows], total=total, page=page, page_size=page_size
    )


@router.get("/statistics/release-times", summary="Release time by stage (WCO Time Release Study)")
def release_times(
    session: SessionDep,
    principal: PrincipalDep,
    runtime: RuntimeDep,
    filed_from: IsoDate | None = None,
    filed_to: IsoDate | None = None,
    office: Annotated[str | None, Query(max_length=10, description="Customs office code")] = None,
    lane: Lane | None = None,
    kind: Annotated[str | None, Query(pattern="^(import|export)$")] = None,
) -> dict[str, Any]:
    """Count, mean, median and 90th percentile of each stage (arrival → filing → lane → acceptance →
    payment → release), overall and by lane. Customs see every company; traders and brokers their own."""
    f = repo.ListFilter(
        filed_from=filed_from,
        filed_to=filed_to,
        customs_office=office,
        lane=lane.value if lane else None,
        kind=kind,
    )
    return runtime.declarations.release_study(session, principal, f)


@router.get(
    "/declarations/{declaration_id}",
    response_model=DeclarationRead,
    summary="A declaration (the current version, or ?version=N)",
)
def get_declaration(
    declaration_id: ResourceId,
    session: SessionDep,
    principal: PrincipalDep,
    runtime: RuntimeDep,
    response: Response,
    version: Annotated[int | None, Query(ge=1, le=100_000)] = None,
) -> DeclarationRead:
    filing = runtime.declarations.get(session, principal, declaration_id, version)
    response.headers["ETag"] = f'"{filing.declaration.current_version}"'  # the base version for If-Match
    return _read(session, runtime, principal, filing, full=True)


@router.post(
    "/declarations/{declaration_id}/amend",
    response_model=DeclarationRead,
    summary="Amend: files a new version (or, after selection for a check, asks an officer to)",
    responses={
        202: {"description": "Selected for a check: the amendment waits for an officer"},
        428: {
            "description": "No base version: send If-Match or base_version",
            "content": PROBLEM_RESPONSES[409]["content"],
        },
    },
)
def amend(
    declaration_id: ResourceId,
    body: AmendRequest,
    session: SessionDep,
    principal: PrincipalDep,
    runtime: RuntimeDep,
    response: Response,
    if_match: Annotated[str | None, Header(alias="If-Match", max_length=20, pattern=_IF_MATCH)] = None,
) -> DeclarationRead:
    base = int(if_match.strip().removeprefix("W/").strip('"')) if if_match else body.base_version
    filing = runtime.declarations.amend(
        session, principal, declaration_id, body.declaration, reason=body.reason, base_version=base
    )
    if not filing.created:
        response.status_code = 202
    return _read(session, runtime, principal, filing, full=not filing.created)


@router.post(
    "/declarations/{declaration_id}/cancel",
    response_model=DeclarationRead,
    summary="Withdraw the declaration (취하)",
)
def cancel(
    declaration_id: ResourceId,
    body: CancelRequest,
    session: SessionDep,
    principal: PrincipalDep,
    runtime: RuntimeDep,
    response: Response,
) -> DeclarationRead:
    filing = runtime.declarations.cancel(session, principal, declaration_id, reason=body.reason)
    if filing.version.status != "cancelled":
        response.status_code = 202  # selected for a check: the withdrawal waits for an officer
    return _read(session, runtime, principal, filing, full=True)


@router.get(
    "/declarations/{declaration_id}/events",
    response_model=list[EventRead],
    summary="The declaration's events, hash-chained",
)
def events(
    declaration_id: ResourceId, session: SessionDep, principal: PrincipalDep, runtime: RuntimeDep
) -> list[EventRead]:
    runtime.declarations.get(session, principal, declaration_id)  # access check
    who = disclosure.audience(principal.is_customs)
    out = []
    for e in events_for(session, SUBJECT, declaration_id):
        if not disclosure.shown(e.action, who):
            continue
        actor, reason, data = disclosure.event_parts(e.action, e.actor, e.reason, e.data, who)
        out.append(
            EventRead(
                seq=e.seq,
                occurred_at=e.occurred_at,
                actor=actor,
                action=e.action,
                reason=reason,
                data=data,
                prev_hash=e.prev_hash,
                hash=e.hash,
            )
        )
    return out


@router.post(
    "/declarations/{declaration_id}/decision",
    response_model=DeclarationRead,
    summary="Officer decision: accept, reject, request documents, inspect, record inspection result",
)
def decide(
    declaration_id: ResourceId,
    body: DecisionRequest,
    session: SessionDep,
    principal: PrincipalDep,
    runtime: RuntimeDep,
) -> DeclarationRead:
    finding = None
    if body.finding is not None:
        finding = decisions.InspectionFinding(
            body.finding.finding,
            body.finding.description,
            body.finding.additional_duty_krw,
            body.finding.critical,
        )
    decision = decisions.Decision(
        body.decision, body.reason, finding, body.message, body.deadline_days, body.override
    )
    filing = runtime.declarations.decide(session, principal, declaration_id, decision)
    return _read(session, runtime, principal, filing)


@router.post(
    "/declarations/{declaration_id}/request-decision",
    response_model=DeclarationRead,
    summary="Officer: grant or refuse the filer's request to amend or withdraw",
)
def decide_request(
    declaration_id: ResourceId,
    body: RequestDecision,
    session: SessionDep,
    principal: PrincipalDep,
    runtime: RuntimeDep,
) -> DeclarationRead:
    filing = runtime.declarations.decide_request(
        session,
        principal,
        declaration_id,
        grant=body.grant,
        message=body.message,
        reason=body.reason,
    )
    return _read(session, runtime, principal, filing, full=True)


@router.post(
    "/declarations/{declaration_id}/documents",
    response_model=DeclarationRead,
    summary="Filer: reply to the document request with a note and files (PDF, PNG, JPEG, TIFF)",
)
async def reply_with_documents(
    declaration_id: ResourceId,
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    runtime: RuntimeDep,
) -> DeclarationRead:
    text, uploads = await records.read_reply(request)
    filing = documents.reply(
        runtime.declarations,
        session,
        principal,
        declaration_id,
        text=text,
        uploads=uploads,
        root=runtime.settings.home,
    )
    return _read(session, runtime, principal, filing, full=True)


@router.get(
    "/declarations/{declaration_id}/attachments/{attachment_id}",
    response_class=FileResponse,
    summary="A file sent in reply to a document request (customs and the company that sent it)",
)
def attachment(
    declaration_id: ResourceId,
    attachment_id: ResourceId,
    session: SessionDep,
    principal: PrincipalDep,
    runtime: RuntimeDep,
) -> FileResponse:
    row, path = documents.attachment(
        runtime.declarations, session, principal, declaration_id, attachment_id, runtime.settings.home
    )
    return FileResponse(path, media_type=row.content_type, filename=row.filename)


@router.post(
    "/declarations/{declaration_id}/assignment",
    response_model=DeclarationRead,
    summary="Officer: take the declaration (take=true) or give it back to the queue",
)
def assignment(
    declaration_id: ResourceId,
    body: AssignmentRequest,
    session: SessionDep,
    principal: PrincipalDep,
    runtime: RuntimeDep,
) -> DeclarationRead:
    filing = runtime.declarations.assign(session, principal, declaration_id, take=body.take)
    return _read(session, runtime, principal, filing)


@router.get(
    "/officer/queue",
    response_model=QueuePage,
    summary="Officer: every declaration that needs an officer, oldest first",
)
def officer_queue(
    session: SessionDep,
    principal: PrincipalDep,
    runtime: RuntimeDep,
    stage: Annotated[
        str | None, Query(pattern="^(document_check|awaiting_documents|inspection|release|request)$")
    ] = None,
    lane: Lane | None = None,
    number: Annotated[str | None, Query(max_length=20)] = None,
    transport_document: Annotated[str | None, Query(max_length=35, description="B/L or AWB number")] = None,
    hs: Annotated[str | None, Query(max_length=12, description="Leading digits of the HS code")] = None,
    importer: Annotated[str | None, Query(max_length=200)] = None,
    filed_from: IsoDate | None = None,
    filed_to: IsoDate | None = None,
    mine: bool = False,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
) -> QueuePage:
    principal.require_scope(Scope.DECISIONS_WRITE)
    f = QueueFilter(
        stage=stage,
        lane=lane.value if lane else None,
        number=number,
        transport_document=transport_document,
        commodity_code=hs,
        importer=importer,
        filed_from=filed_from,
        filed_to=filed_to,
        assignee_id=principal.user_id if mine else None,
    )
    rows, total = work_queue.page(
        session, f, now=runtime.clock(), offset=(page - 1) * page_size, limit=page_size
    )
    return QueuePage(
        items=[
            QueueItem(
                declaration=DeclarationSummary.of(r.declaration),
                stage=r.stage,
                age_seconds=r.age_seconds,
                deadline=r.deadline,
                reasons=r.reasons,
                assignee=r.assignee,
                request=r.request,
            )
            for r in rows
        ],
        total=total,
        page=page,
        page_size=page_size,
    )


@router.post(
    "/declarations/{declaration_id}/payment",
    response_model=PaymentOrderRead,
    summary="The payment order (전자납부번호); a typed payment no longer pays",
    description="Payment is confirmed by the bank, not declared: pay the order at the bank (or "
    "POST …/payment-order/pay to the local bank simulator); the bank's signed "
    "confirmation makes the declaration paid. Any body is ignored.",
)
def pay(
    declaration_id: ResourceId,
    session: SessionDep,
    principal: PrincipalDep,
    runtime: RuntimeDep,
    body: Annotated[PaymentRequest | None, Body()] = None,
) -> PaymentOrderRead:
    runtime.declarations.get(session, principal, declaration_id)
    return PaymentOrderRead.of(
        payment.open_order(session, declaration_id), payment.receipts(session, declaration_id)
    )


@router.post(
    "/declarations/{declaration_id}/release",
    response_model=DeclarationRead,
    summary="Release the goods (officer; only once the bank confirmed payment)",
)
def release(
    declaration_id: ResourceId, session: SessionDep, principal: PrincipalDep, runtime: RuntimeDep
) -> DeclarationRead:
    filing = runtime.declarations.release(session, principal, declaration_id)
    return _read(session, runtime, principal, filing)
