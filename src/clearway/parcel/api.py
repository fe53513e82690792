"""Parcel endpoints (mounted under /api/v1): personal customs codes, parcel lists, parcels, disputes.

Thin: check the scope, parse, call the services, shape the answer. The session dependency commits.
Scopes: ``parcels:write`` (carriers submit lists and verify codes), ``parcels:read`` (carriers their own
parcels, customs all), ``codes:admin`` (customs: issue, view, suspend, reissue codes; disputes on the holder's
behalf).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Query, Request, Response

from clearway.audit.service import Actor
from clearway.errors import ClearwayError, NotFound
from clearway.identity.core import Principal, Scope
from clearway.identity.throttle import Attempt, client_address
from clearway.parcel import buyer, clearance, code_service, service
from clearway.parcel import repository as repo
from clearway.parcel.protection import PersonalDataCipher, cipher_for
from clearway.parcel.schemas import (
    BuyerOtpIn,
    BuyerSignInIn,
    GeneralDraftIn,
    InspectionIn,
    IssueCodeIn,
    ReasonIn,
    ReissueJobIn,
    VerifyCodeIn,
    parse,
)
from clearway.parcel.screener import screener_for
from clearway.web.deps import PrincipalDep, ResourceId, RuntimeDep, SessionDep

router = APIRouter(tags=["parcels"])
_PROBLEM = {"content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"description": text, **_PROBLEM}
    for code, text in {
        401: "No or invalid credential",
        403: "The credential lacks the scope",
        404: "No such code, parcel or list (or not yours)",
        409: "Conflict with the code's or parcel's state, or a job key reused with other codes",
        413: "Body too large",
        422: "Invalid fields",
    }.items()
}
Doc = Annotated[dict[str, Any], Body()]
Purpose = Annotated[
    str,
    Query(
        min_length=3,
        max_length=200,
        description="Why the personal data is viewed (recorded in the audit trail)",
    ),
]


def _cipher(runtime: Any) -> PersonalDataCipher:
    return cipher_for(runtime.settings.personal_data_key)


def _actor(principal: Principal) -> Actor:
    return Actor(principal.username, principal.user_id)


# ---- personal customs codes ---------------------------------------------------------------------------
@router.post(
    "/parcels/codes",
    status_code=201,
    responses=ERRORS,
    summary="Issue a personal customs code (the code is shown once)",
)
def issue_code(
    document: Doc, session: SessionDep, principal: PrincipalDep, runtime: RuntimeDep
) -> dict[str, Any]:
    principal.require_scope(Scope.CODES_ADMIN)
    body = parse(IssueCodeIn, document, "code request")
    row, code = code_service.issue(
        session,
        _cipher(runtime),
        person_id=body.person_id,
        name=body.name,
        phone=body.phone,
        actor=_actor(principal),
        now=runtime.clock(),
    )
    return {**code_service.summary(row), "code": code}


@router.get("/parcels/codes", responses=ERRORS, summary="Personal customs codes (masked)")
def list_codes(
    session: SessionDep,
    principal: PrincipalDep,
    status: Annotated[str | None, Query(pattern="^(active|suspended|reissued)$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> list[dict[str, Any]]:
    principal.require_scope(Scope.CODES_ADMIN)
    rows = repo.list_codes(session, status=status, limit=limit, offset=offset)
    return [code_service.summary(r) for r in rows]


@router.post(
    "/parcels/codes/verify",
    responses=ERRORS,
    summary="Check name + code + phone as a carrier does before filing (audited)",
)
def verify_code(
    document: Doc, session: SessionDep, principal: PrincipalDep, runtime: RuntimeDep
) -> dict[str, Any]:
    principal.require_scope(Scope.PARCELS_WRITE)
    body = parse(VerifyCodeIn, document, "verification")
    return code_service.verify(
        session,
        _cipher(runtime),
        code=body.code,
        name=body.name,
        phone=body.phone,
        actor=_actor(principal),
        now=runtime.clock(),
    )


@router.get(
    "/parcels/codes/{code_id}", responses=ERRORS, summary="A code in clear (audited with its purpose)"
)
def view_code(
    code_id: ResourceId, purpose: Purpose, session: SessionDep, principal: PrincipalDep, runtime: RuntimeDep
) -> dict[str, Any]:
    principal.require_scope(Scope.CODES_ADMIN)
    return code_service.view(
        session, _cipher(runtime), code_id, actor=_actor(principal), now=runtime.clock(), purpose=purpose
    )


@router.post(
    "/parcels/codes/{code_id}/suspend",
    responses=ERRORS,
    summary="Suspend a code: it stops at once, its parcels awaiting a declaration are held",
)
def suspend_code(
    code_id: ResourceId, document: Doc, session: SessionDep, principal: PrincipalDep, runtime: RuntimeDep
) -> dict[str, Any]:
    principal.require_scope(Scope.CODES_ADMIN)
    body = parse(ReasonIn, document, "request")
    return code_service.suspend(
        session, code_id, reason=body.reason, actor=_actor(principal), now=runtime.clock()
    )


@router.post(
    "/parcels/codes/{code_id}/reissue",
    status_code=201,
    responses=ERRORS,
    summary="Reissue a code: the old one stops at once; the new one is shown once",
)
def reissue_code(
    code_id: ResourceId, document: Doc, session: SessionDep, principal: PrincipalDep, runtime: RuntimeDep
) -> dict[str, Any]:
    principal.require_scope(Scope.CODES_ADMIN)
    body = parse(ReasonIn, document, "request")
    row, code, held = code_service.reissue(
        session, _cipher(runtime), code_id, reason=body.reason, actor=_actor(principal), now=runtime.clock()
    )
    return {**code_service.summary(row), "code": code, "held_parcels": held}


@router.get(
    "/parcels/codes/{code_id}/parcels",
    responses=ERRORS,
    summary="Every parcel cleared under a code, with the holder's notifications (audited)",
)
def holder_parcels(
    code_id: ResourceId, purpose: Purpose, session: SessionDep, principal: PrincipalDep, runtime: RuntimeDep
) -> dict[str, Any]:
    principal.require_scope(Scope.CODES_ADMIN)
    return service.holder_parcels(
        session, code_id, actor=_actor(principal), now=runtime.clock(), purpose=purpose
    )


@router.post(
    "/parcels/code-reissue-jobs",
    status_code=201,
    responses=ERRORS,
    summary="Bulk reissue (a leak response): idempotent by key, with a report",
)
def reissue_job(
    document: Doc, response: Response, session: SessionDep, principal: PrincipalDep, runtime: RuntimeDep
) -> dict[str, Any]:
    principal.require_scope(Scope.CODES_ADMIN)
    body = parse(ReissueJobIn, document, "job")
    cipher, now, actor = _cipher(runtime), runtime.clock(), _actor(principal)
    started = code_service.start_job(
        session, cipher, key=body.key, code_texts=body.codes, reason=body.reason, actor=actor, now=now
    )
    if started.replayed:
        response.status_code = 200
        response.headers["Idempotent-Replayed"] = "true"
    while code_service.run_chunk(session, cipher, started.job, actor=actor, now=now):
        pass
    return code_service.job_view(started.job)


@router.get(
    "/parcels/code-reissue-jobs/{job_id}", responses=ERRORS, summary="A bulk reissue's progress and report"
)
def get_job(job_id: ResourceId, session: SessionDep, principal: PrincipalDep) -> dict[str, Any]:
    principal.require_scope(Scope.CODES_ADMIN)
    job = repo.job(session, job_id)
    if job is None:
        raise NotFound(f"no reissue job {job_id}")
    return code_service.job_view(job)


# ---- the buyer's own view (signed in with the code, the phone on file confirming) -----------------------
BuyerSession = Annotated[
    str | None, Header(alias="X-Buyer-Session", description="The buyer session from /parcels/buyer/session")
]


def _attempt(request: Request, runtime: Any, who: str) -> Attempt:
    client = client_address(
        request.client.host if request.client else None,
        request.headers.get("x-forwarded-for"),
        runtime.settings.trusted_proxies,
    )
    return Attempt(f"buyer:{who}", client)


@router.post(
    "/parcels/buyer/sign-in",
    status_code=201,
    responses=ERRORS,
    summary="A buyer signs in: name + code + phone; a one-time number is sent to the phone on file",
)
def buyer_sign_in(
    document: Doc, request: Request, session: SessionDep, runtime: RuntimeDep
) -> dict[str, Any]:
    body = parse(BuyerSignInIn, document, "sign-in")
    now, attempt = runtime.clock(), _attempt(request, runtime, body.code.upper())
    runtime.logins.check(attempt, now)
    try:
        started = buyer.start(
            session,
            _cipher(runtime),
            runtime.settings.personal_data_key,
            code=body.code,
            name=body.name,
            phone=body.phone,
            now=now,
        )
    except ClearwayError:
        runtime.logins.failed(attempt, now)
        raise
    return {"challenge": started.challenge, "sent_to": started.phone_masked}


@router.post(
    "/parcels/buyer/session",
    status_code=201,
    responses=ERRORS,
    summary="The one-time number answered: a buyer session (30 minutes) for the X-Buyer-Session header",
)
def buyer_session(document: Doc, request: Request, runtime: RuntimeDep) -> dict[str, Any]:
    body = parse(BuyerOtpIn, document, "one-time number")
    now, attempt = runtime.clock(), _attempt(request, runtime, body.challenge.split(".")[0])
    runtime.logins.check(attempt, now)
    try:
        token = buyer.finish(runtime.settings.personal_data_key, body.challenge, body.number, now)
    except ClearwayError:
        runtime.logins.failed(attempt, now)
        raise
    return {"session": token, "expires_in": int(buyer.SESSION_TTL.total_seconds())}


@router.get(
    "/parcels/buyer/parcels",
    responses=ERRORS,
    summary="The buyer's parcels: every parcel under the code, its status and duty, and the notifications",
)
def buyer_parcels(session: SessionDep, runtime: RuntimeDep, token: BuyerSession = None) -> dict[str, Any]:
    now = runtime.clock()
    code_id = buyer.holder_of(runtime.settings.personal_data_key, token, now)
    return buyer.my_parcels(session, code_id, now)


@router.post(
    "/parcels/buyer/parcels/{parcel_id}/not-mine",
    responses=ERRORS,
    summary="'This is not mine': the code is suspended at once and a case opens",
)
def buyer_not_mine(
    parcel_id: ResourceId,
    document: Doc,
    session: SessionDep,
    runtime: RuntimeDep,
    token: BuyerSession = None,
) -> dict[str, Any]:
    now = runtime.clock()
    code_id = buyer.holder_of(runtime.settings.personal_data_key, token, now)
    body = parse(ReasonIn, document, "report")
    return buyer.not_mine(session, code_id, parcel_id, reason=body.reason, now=now)


# ---- parcel lists and parcels -------------------------------------------------------------------------
@router.post(
    "/parcels/lists",
    status_code=201,
    responses=ERRORS,
    summary="Submit a carrier's parcel list: each parcel routed, assessed and answered on its own",
)
def submit_list(
    document: Doc, session: SessionDep, principal: PrincipalDep, runtime: RuntimeDep
) -> dict[str, Any]:
    principal.require_scope(Scope.PARCELS_WRITE)
    return clearance.submit_list(
        session,
        _cipher(runtime),
        document,
        principal=principal,
        now=runtime.clock(),
        screener=screener_for(runtime),
    )


@router.get(
    "/parcels/lists/{list_id}", responses=ERRORS, summary="A submitted list and every parcel's outcome"
)
def get_list(list_id: ResourceId, session: SessionDep, principal: PrincipalDep) -> dict[str, Any]:
    principal.require_scope(Scope.PARCELS_READ)
    return service.get_list(session, principal, list_id)


@router.get(
    "/parcels/statistics",
    responses=ERRORS,
    summary="Parcels by dispatch country, route and status; duty assessed (customs)",
)
def statistics(session: SessionDep, principal: PrincipalDep) -> dict[str, Any]:
    principal.require_scope(Scope.PARCELS_READ)
    return service.statistics(session, principal)


@router.get(
    "/parcels/inspections",
    responses=ERRORS,
    summary="The express-cargo X-ray / inspection queue: parcels the screening selected, oldest first",
)
def inspection_queue(
    session: SessionDep,
    principal: PrincipalDep,
    check: Annotated[str | None, Query(pattern="^(xray|inspection)$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> list[dict[str, Any]]:
    principal.require_scope(Scope.PARCELS_INSPECT)
    return service.inspection_queue(session, principal, check=check, limit=limit, offset=offset)


@router.get("/parcels", responses=ERRORS, summary="Parcels (a carrier's own; customs all), newest first")
def list_parcels(
    session: SessionDep,
    principal: PrincipalDep,
    route: Annotated[str | None, Query(pattern="^(list|simplified|general)$")] = None,
    status: Annotated[str | None, Query(max_length=24, pattern="^[a-z_]+$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> list[dict[str, Any]]:
    principal.require_scope(Scope.PARCELS_READ)
    return service.list_parcels(session, principal, route=route, status=status, limit=limit, offset=offset)


@router.get("/parcels/{parcel_id}", responses=ERRORS, summary="One parcel (code masked)")
def get_parcel(parcel_id: ResourceId, session: SessionDep, principal: PrincipalDep) -> dict[str, Any]:
    principal.require_scope(Scope.PARCELS_READ)
    return service.get_parcel(session, principal, parcel_id)


@router.post(
    "/parcels/{parcel_id}/dispute",
    responses=ERRORS,
    summary="'This is not mine' (taken from the holder): suspends the code and opens a case",
)
def dispute(
    parcel_id: ResourceId, document: Doc, session: SessionDep, principal: PrincipalDep, runtime: RuntimeDep
) -> dict[str, Any]:
    principal.require_scope(Scope.CODES_ADMIN)
    body = parse(ReasonIn, document, "request")
    return service.dispute(
        session, parcel_id, reason=body.reason, actor=_actor(principal), now=runtime.clock()
    )


@router.post(
    "/parcels/{parcel_id}/inspection",
    responses=ERRORS,
    summary="Record an X-ray or inspection result: clear (the parcel goes on) or found (detained)",
)
def record_inspection(
    parcel_id: ResourceId, document: Doc, session: SessionDep, principal: PrincipalDep, runtime: RuntimeDep
) -> dict[str, Any]:
    principal.require_scope(Scope.PARCELS_INSPECT)
    body = parse(InspectionIn, document, "inspection result")
    return service.record_inspection(
        session,
        principal,
        parcel_id,
        result=body.result,
        note=body.note,
        actor=_actor(principal),
        now=runtime.clock(),
    )


@router.get(
    "/parcels/{parcel_id}/general-draft",
    responses=ERRORS,
    summary="An import declaration document pre-filled from a parcel routed to a general declaration",
)
def general_draft(
    parcel_id: ResourceId,
    session: SessionDep,
    principal: PrincipalDep,
    reference: Annotated[str, Query(min_length=1, max_length=35)],
) -> dict[str, Any]:
    principal.require_scope(Scope.PARCELS_READ)
    body = parse(GeneralDraftIn, {"reference": reference}, "draft request")
    return service.general_draft_for(session, principal, parcel_id, reference=body.reference)


@router.post(
    "/parcels/{parcel_id}/general-declaration",
    status_code=201,
    responses=ERRORS,
    summary="File the parcel's general import declaration (importer or mandated broker); linked to the parcel",
)
def general_declaration(
    parcel_id: ResourceId, document: Doc, session: SessionDep, principal: PrincipalDep, runtime: RuntimeDep
) -> dict[str, Any]:
    principal.require_scope(Scope.DECLARATIONS_WRITE)
    return service.file_general(
        session, runtime.declarations, principal, parcel_id, document, now=runtime.clock()
    )
