"""Traveller endpoints: carriers' passenger messages in, the traveller unit's reads out.

Sending a message needs ``travellers:write``; reading passengers needs ``travellers:read``, which only the
traveller unit (role ``traveller_officer``) and admins hold. Every read is recorded in the audit trail.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Request

from clearway.traveller import service
from clearway.traveller.schemas import MESSAGE_EXAMPLE, PassengerRead
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
