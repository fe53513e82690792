"""Traveller endpoints: carriers' passenger messages in, the traveller unit's reads out.

Sending a message needs ``travellers:write``; reading passengers needs ``travellers:read``, which only the
traveller unit (role ``traveller_officer``) and admins hold. Every read is recorded in the audit trail.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query, Request

from clearway.identity.core import Scope
from clearway.traveller import declaration_service, risk_service, service, watch_service
from clearway.traveller.risk import DEFAULT_RULES
from clearway.traveller.schemas import (
    MESSAGE_EXAMPLE,
    CheckIn,
    CheckRead,
    HitDecision,
    HitRead,
    PassengerRead,
    RuleIn,
    RuleRead,
    ScreeningRead,
    SelectionRead,
    SelectionRow,
    TrainIn,
    TrainRead,
    WatchlistRead,
)
from clearway.traveller.screening import DEFAULT_THRESHOLD
from clearway.web.deps import PrincipalDep, ResourceId, RuntimeDep, SessionDep

router = APIRouter(prefix="/travellers", tags=["travellers"])

MessageJson = Annotated[Any, Body(openapi_examples={"API and PNR": {"value": MESSAGE_EXAMPLE}})]


async def _edifact_body(request: Request) -> str:
    return (await request.body()).decode("utf-8", errors="replace")


EdifactBody = Annotated[str, Depends(_edifact_body)]
FlightNumber = Annotated[str, Path(pattern=r"^[A-Za-z0-9]{3,8}$")]


@router.post("/messages", status_code=200)
def receive_message(
    body: MessageJson, session: SessionDep, runtime: RuntimeDep, principal: PrincipalDep
) -> dict[str, Any]:
    """Receive a carrier's API/PNR message; answers its acknowledgement, or 422 naming each rejected field."""
    return service.receive(session, principal, body, now=runtime.clock())


EDIFACT_BODY = {"requestBody": {"content": {"text/plain": {"schema": {"type": "string"}}}}}


@router.post("/messages/paxlst", status_code=200, openapi_extra=EDIFACT_BODY)
def receive_paxlst(
    text: EdifactBody, session: SessionDep, runtime: RuntimeDep, principal: PrincipalDep
) -> dict[str, Any]:
    """Receive a UN/EDIFACT PAXLST interchange (a text/plain body); the same acknowledgement."""
    return service.receive_paxlst(session, principal, text, now=runtime.clock())


@router.get("/passengers/{passenger_id}", response_model=PassengerRead)
def get_passenger(
    passenger_id: ResourceId, session: SessionDep, runtime: RuntimeDep, principal: PrincipalDep
) -> PassengerRead:
    return PassengerRead.of(service.get_passenger(session, principal, passenger_id, now=runtime.clock()))


@router.get("/flights/{flight_number}/{arrival_date}", response_model=list[PassengerRead])
def flight_passengers(
    flight_number: FlightNumber,
    arrival_date: date,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: PrincipalDep,
) -> list[PassengerRead]:
    rows = service.flight_passengers(session, principal, flight_number, arrival_date, now=runtime.clock())
    return [PassengerRead.of(r) for r in rows]


ListName = Annotated[str, Path(pattern=r"^[A-Za-z0-9_.-]{1,80}$")]
CSV_BODY = {"requestBody": {"content": {"text/csv": {"schema": {"type": "string"}}}}}


@router.post("/watchlists/{name}", status_code=201, response_model=WatchlistRead, openapi_extra=CSV_BODY)
def load_watchlist(
    name: ListName, text: EdifactBody, session: SessionDep, runtime: RuntimeDep, principal: PrincipalDep
) -> WatchlistRead:
    """Load a CSV file (entry_id,name,aliases,date_of_birth,nationality,reason,source) as the list's next
    version; a file with a broken row is refused whole (422 naming each row)."""
    wl = watch_service.load_watchlist(session, principal, name, text, now=runtime.clock())
    return WatchlistRead.model_validate(wl, from_attributes=True)


@router.get("/watchlists", response_model=list[WatchlistRead])
def list_watchlists(session: SessionDep, principal: PrincipalDep) -> list[WatchlistRead]:
    return [
        WatchlistRead.model_validate(w, from_attributes=True)
        for w in watch_service.watchlists(session, principal)
    ]


@router.post("/flights/{flight_number}/{arrival_date}/screening", response_model=ScreeningRead)
def screen_flight(
    flight_number: FlightNumber,
    arrival_date: date,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: PrincipalDep,
    threshold: Annotated[float, Query(ge=0, le=100)] = DEFAULT_THRESHOLD,
) -> ScreeningRead:
    """Screen the flight against the newest version of every stored watchlist; the hits with why and score."""
    result = watch_service.screen_flight(
        session, principal, flight_number, arrival_date, now=runtime.clock(), threshold=threshold
    )
    return ScreeningRead(
        passengers=result.passengers,
        lists=[{"name": n, "version": v} for n, v in result.lists],
        suppressed=result.suppressed,
        hits=[HitRead.model_validate(h, from_attributes=True) for h in result.hits],
    )


@router.get("/passengers/{passenger_id}/hits", response_model=list[HitRead])
def passenger_hits(
    passenger_id: ResourceId, session: SessionDep, runtime: RuntimeDep, principal: PrincipalDep
) -> list[HitRead]:
    service.get_passenger(session, principal, passenger_id, now=runtime.clock())
    return [
        HitRead.model_validate(h, from_attributes=True)
        for h in watch_service.passenger_hits(session, passenger_id)
    ]


@router.post("/hits/{hit_id}/decision", response_model=HitRead)
def decide_hit(
    hit_id: ResourceId, body: HitDecision, session: SessionDep, runtime: RuntimeDep, principal: PrincipalDep
) -> HitRead:
    """Confirm or clear an open hit; a cleared hit is not raised again for the same person and entry."""
    hit = watch_service.decide_hit(session, principal, hit_id, body.decision, body.note, now=runtime.clock())
    return HitRead.model_validate(hit, from_attributes=True)


def selection_read(result: risk_service.SelectionList) -> SelectionRead:
    return SelectionRead(
        flight_number=result.flight_number,
        arrival_date=result.arrival_date,
        model_version=result.model_version,
        exploration_share=result.exploration_share,
        rows=[
            SelectionRow(
                passenger_id=row.id,
                name=f"{row.api['family_name']} {row.api['given_names']}",
                seat=row.api.get("seat"),
                nationality=row.api["nationality"],
                selected=s.selected,
                selected_by=s.by,
                score=None if s.score is None else round(s.score, 4),
                reasons=s.reasons,
            )
            for row, s in result.rows
        ],
    )


@router.get("/flights/{flight_number}/{arrival_date}/selection", response_model=SelectionRead)
def flight_selection(
    flight_number: FlightNumber,
    arrival_date: date,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: PrincipalDep,
) -> SelectionRead:
    """The flight's passengers to check at the gate, with reasons (watchlist, rule, model, exploration)."""
    result = risk_service.selection_list(
        session,
        principal,
        flight_number,
        arrival_date,
        models_dir=runtime.settings.models_dir,
        now=runtime.clock(),
    )
    return selection_read(result)


@router.post("/passengers/{passenger_id}/checks", status_code=201, response_model=CheckRead)
def record_check(
    passenger_id: ResourceId, body: CheckIn, session: SessionDep, runtime: RuntimeDep, principal: PrincipalDep
) -> CheckRead:
    """Record what checking the passenger found (the next model learns from it)."""
    check = risk_service.record_check(
        session,
        principal,
        passenger_id,
        found=body.found,
        finding=body.finding,
        selected_by=body.selected_by,
        now=runtime.clock(),
    )
    return CheckRead.model_validate(check, from_attributes=True)


@router.get("/passengers/{passenger_id}/checks", response_model=list[CheckRead])
def passenger_checks(
    passenger_id: ResourceId, session: SessionDep, runtime: RuntimeDep, principal: PrincipalDep
) -> list[CheckRead]:
    service.get_passenger(session, principal, passenger_id, now=runtime.clock())
    return [
        CheckRead.model_validate(c, from_attributes=True)
        for c in risk_service.passenger_checks(session, passenger_id)
    ]


@router.post("/model/training", status_code=201, response_model=TrainRead)
def train_model(
    body: TrainIn, session: SessionDep, runtime: RuntimeDep, principal: PrincipalDep
) -> TrainRead:
    """Retrain the traveller risk model on every recorded check result; a new versioned model file."""
    trained = risk_service.train_model(
        session,
        principal,
        models_dir=runtime.settings.models_dir,
        generated_days=body.generated_days,
        now=runtime.clock(),
    )
    return TrainRead(version=trained.version, sha256=trained.sha256, metrics=trained.metrics)


DECLARATION_EXAMPLE = {
    "flight_number": "KE082",
    "arrival_date": "2026-11-21",
    "document_issuer": "KOR",
    "document_number": "M12345678",
    "goods": [
        {"description": "handbag", "category": "general", "price": "1000", "currency": "USD", "quantity": 1}
    ],
    "alcohol": [{"kind": "spirits", "bottles": 1, "litres": "0.7", "price": "80", "currency": "USD"}],
    "cigarettes": 200,
    "perfume_ml": 50,
    "perfume_price": "90",
    "perfume_currency": "EUR",
    "cash": 0,
    "restricted": [],
    "self_declared": True,
}


@router.post("/declarations", status_code=201)
def submit_declaration(
    body: Annotated[Any, Body(openapi_examples={"declaration": {"value": DECLARATION_EXAMPLE}})],
    session: SessionDep,
    runtime: RuntimeDep,
) -> dict[str, Any]:
    """The traveller's own declaration (여행자 휴대품 신고); no sign-in. Answers the duty with its explanation."""
    row, result = declaration_service.submit(session, body, now=runtime.clock())
    return {"declaration_id": row.id, **result}


@router.get("/passengers/{passenger_id}/declarations")
def passenger_declarations(
    passenger_id: ResourceId, session: SessionDep, runtime: RuntimeDep, principal: PrincipalDep
) -> list[dict[str, Any]]:
    service.get_passenger(session, principal, passenger_id, now=runtime.clock())
    return [
        {"id": d.id, "submitted_at": d.submitted_at, "content": d.content, "result": d.result}
        for d in declaration_service.passenger_declarations(session, passenger_id)
    ]


@router.get("/rules", response_model=list[RuleRead])
def list_rules(session: SessionDep, principal: PrincipalDep) -> list[RuleRead]:
    """The traveller selection rules in force: built-in ones and the analysts' ones."""
    principal.require_scope(Scope.TRAVELLERS_READ)
    built_in = {r.code for r in DEFAULT_RULES}
    return [
        RuleRead(code=r.code, description=r.description, condition=r.condition, built_in=r.code in built_in)
        for r in risk_service.active_rules(session)
    ]


@router.post("/rules", status_code=201, response_model=RuleRead)
def add_rule(body: RuleIn, session: SessionDep, runtime: RuntimeDep, principal: PrincipalDep) -> RuleRead:
    """Add a rule: a condition in the risk engine's language over the traveller fields (422 names problems)."""
    row = risk_service.add_rule(
        session, principal, body.code, body.description, body.condition, now=runtime.clock()
    )
    return RuleRead(code=row.code, description=row.description, condition=row.condition, built_in=False)
