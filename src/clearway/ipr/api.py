"""IPR endpoints: recordings, screening, holds and seizure statistics. Each needs an ``ipr:`` scope."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query

from clearway.clock import korea_date
from clearway.ipr import service
from clearway.ipr.schemas import (
    RECORDING_EXAMPLE,
    EvidenceCreate,
    EvidenceRead,
    HoldAnswer,
    HoldCreate,
    HoldDecision,
    HoldRead,
    RecordingCreate,
    RecordingRead,
    Review,
    ScreenRequest,
)
from clearway.web.deps import PrincipalDep, ResourceId, RuntimeDep, SessionDep

router = APIRouter(prefix="/ipr", tags=["ipr"])

RecordingBody = Annotated[RecordingCreate, Body(openapi_examples={"nike": {"value": RECORDING_EXAMPLE}})]


@router.post("/recordings", response_model=RecordingRead, status_code=201)
def create_recording(
    body: RecordingBody, session: SessionDep, runtime: RuntimeDep, principal: PrincipalDep
) -> RecordingRead:
    now = runtime.clock()
    today = korea_date(now)
    return RecordingRead.of(service.create_recording(session, principal, body, now=now, today=today), today)


@router.get("/recordings", response_model=list[RecordingRead])
def list_recordings(
    session: SessionDep,
    runtime: RuntimeDep,
    principal: PrincipalDep,
    status: Annotated[str | None, Query(pattern="^(pending|approved|rejected)$")] = None,
) -> list[RecordingRead]:
    today = runtime.today()
    return [RecordingRead.of(r, today) for r in service.list_recordings(session, principal, status=status)]


@router.get("/recordings/{recording_id}", response_model=RecordingRead)
def get_recording(
    recording_id: ResourceId, session: SessionDep, runtime: RuntimeDep, principal: PrincipalDep
) -> RecordingRead:
    today = runtime.today()
    return RecordingRead.of(service.visible_recording(session, principal, recording_id), today)


@router.post("/recordings/{recording_id}/review", response_model=RecordingRead)
def review_recording(
    recording_id: ResourceId, body: Review, session: SessionDep, runtime: RuntimeDep, principal: PrincipalDep
) -> RecordingRead:
    now = runtime.clock()
    today = korea_date(now)
    row = service.review_recording(session, principal, recording_id, body, now=now, today=today)
    return RecordingRead.of(row, today)


@router.post("/screen")
def screen(body: ScreenRequest, session: SessionDep, principal: PrincipalDep) -> dict[str, Any]:
    """Screen a declaration against the approved recordings (officers; the result is confidential)."""
    found = service.screen_declaration(session, principal, body.declaration_id)
    return {"declaration_id": body.declaration_id, "suspicions": [s.as_dict() for s in found]}


@router.post("/holds", response_model=HoldRead, status_code=201)
def open_hold(
    body: HoldCreate, session: SessionDep, runtime: RuntimeDep, principal: PrincipalDep
) -> HoldRead:
    now = runtime.clock()
    today = korea_date(now)
    hold = service.open_hold(session, principal, body, now=now, today=today)
    return service.hold_view(session, principal, hold, today=today)


@router.get("/holds", response_model=list[HoldRead])
def list_holds(
    session: SessionDep,
    runtime: RuntimeDep,
    principal: PrincipalDep,
    open_only: Annotated[bool, Query(alias="open")] = False,
    overdue: bool = False,
) -> list[HoldRead]:
    """Holds this caller may see: officers all (``overdue=true`` lists unanswered holds past their deadline),
    right holders those of their recordings, importers those of their declarations."""
    today = runtime.today()
    holds = service.list_holds(session, principal, today=today, only_open=open_only, only_overdue=overdue)
    return [service.hold_view(session, principal, h, today=today) for h in holds]


@router.get("/holds/{hold_id}", response_model=HoldRead)
def get_hold(
    hold_id: ResourceId, session: SessionDep, runtime: RuntimeDep, principal: PrincipalDep
) -> HoldRead:
    today = runtime.today()
    hold = service.visible_hold(session, principal, hold_id)
    return service.hold_view(session, principal, hold, today=today)


@router.post("/holds/{hold_id}/answer", response_model=HoldRead)
def answer_hold(
    hold_id: ResourceId, body: HoldAnswer, session: SessionDep, runtime: RuntimeDep, principal: PrincipalDep
) -> HoldRead:
    now = runtime.clock()
    today = korea_date(now)
    hold = service.answer_hold(session, principal, hold_id, body, now=now, today=today)
    return service.hold_view(session, principal, hold, today=today)


@router.post("/holds/{hold_id}/evidence", response_model=EvidenceRead, status_code=201)
def add_evidence(
    hold_id: ResourceId,
    body: EvidenceCreate,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: PrincipalDep,
) -> EvidenceRead:
    return EvidenceRead.of(service.add_evidence(session, principal, hold_id, body, now=runtime.clock()))


@router.post("/holds/{hold_id}/decide", response_model=HoldRead)
def decide_hold(
    hold_id: ResourceId, body: HoldDecision, session: SessionDep, runtime: RuntimeDep, principal: PrincipalDep
) -> HoldRead:
    now = runtime.clock()
    hold = service.decide_hold(session, principal, hold_id, body, now=now)
    return service.hold_view(session, principal, hold, today=korea_date(now))


@router.get("/labels")
def labels(session: SessionDep, principal: PrincipalDep) -> list[dict[str, Any]]:
    """Decided holds with their screening signals and outcome (1 seized, 0 released): the screen's labels."""
    return service.labels(session, principal)


@router.get("/statistics")
def statistics(session: SessionDep, principal: PrincipalDep) -> dict[str, dict[str, int]]:
    """Seizures by mark, HS chapter and origin (customs)."""
    return service.seizure_statistics(session, principal)
