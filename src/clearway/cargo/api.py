"""Cargo endpoints (mounted under /api/v1). Thin: parse the request, call the service, shape the answer."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request, Response

from clearway.cargo import custody, service
from clearway.cargo import repository as repo
from clearway.cargo.schemas import (
    ArrivalIn,
    CarryInIn,
    CarryOutIn,
    HoldIn,
    HoldResultIn,
    bill_summary,
    manifest_summary,
)
from clearway.errors import FieldError, ValidationFailed
from clearway.identity.core import Scope
from clearway.web.deps import PrincipalDep, ResourceId, RuntimeDep, SessionDep

router = APIRouter(tags=["cargo"])
MAX_EDIFACT_BYTES = 4 * 1024 * 1024
_MANIFEST_EXAMPLE = {
    "reference": "HDMU-2611-01",
    "voyage": {
        "mode": "sea",
        "carrier_code": "HDMU",
        "number": "0042E",
        "imo": "9074729",
        "vessel_name": "HYUNDAI PRIDE",
        "port_of_loading": "CNSHA",
        "port_of_discharge": "KRPUS",
        "departure_date": "2026-11-15",
        "arrival_date": "2026-11-19",
    },
    "containers": [{"number": "CSQU3054383", "size_type": "22G1", "seals": ["SL778812"]}],
    "masters": [
        {
            "master_bill": "HDMUSHA0001",
            "houses": [
                {
                    "house_bill": "HBSHA000101",
                    "shipper": {"name": "Shenzhen Everbright Trading Co.", "country": "CN"},
                    "consignee": {
                        "name": "Hanbit Electronics Co., Ltd.",
                        "brn": "1208112342",
                        "country": "KR",
                    },
                    "description": "Notebook computers 14 inch",
                    "hs6": "847130",
                    "packages": 10,
                    "package_type": "CT",
                    "gross_weight_kg": "1600",
                    "containers": ["CSQU3054383"],
                }
            ],
        }
    ],
}


def _submitted(session: Any, done: service.Submitted, customs: bool) -> dict[str, Any]:
    counts = repo.risk_counts(session, [done.manifest.id])[done.manifest.id]
    return {
        **manifest_summary(done.manifest, counts, customs=customs),
        "replayed": done.replayed,
        "bills": [bill_summary(b, customs=customs) for b in repo.houses_of(session, done.manifest.id)],
    }


@router.post("/cargo/manifests", status_code=201, summary="Submit a manifest (적하목록) as JSON")
def submit_manifest(
    document: Annotated[dict[str, Any], Body(examples=[_MANIFEST_EXAMPLE])],
    principal: PrincipalDep,
    session: SessionDep,
    runtime: RuntimeDep,
    response: Response,
) -> dict[str, Any]:
    now = runtime.clock()
    done = service.submit(
        session, principal, document, now=now, today=runtime.today(), models_dir=runtime.settings.models_dir
    )
    if done.replayed:
        response.status_code = 200
    return _submitted(session, done, principal.is_customs)


@router.post(
    "/cargo/manifests:cuscar",
    summary="Submit UN/EDIFACT CUSCAR messages; one answer per message",
    openapi_extra={
        "requestBody": {
            "description": "The interchange as UTF-8 text (text/plain or application/edifact)",
            "content": {"text/plain": {"schema": {"type": "string"}}},
            "required": True,
        }
    },
)
async def submit_cuscar(
    request: Request, principal: PrincipalDep, session: SessionDep, runtime: RuntimeDep
) -> dict[str, Any]:
    raw = await request.body()
    if len(raw) > MAX_EDIFACT_BYTES:
        raise ValidationFailed(
            "the interchange is too large", errors=[FieldError("", "too_large", "at most 4 MB")]
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationFailed(
            "the interchange is not UTF-8 text",
            errors=[FieldError("", "not_text", "send UTF-8 (UNOC/UNOW) text")],
        ) from None
    outcomes = service.submit_cuscar(
        session,
        principal,
        text,
        now=runtime.clock(),
        today=runtime.today(),
        models_dir=runtime.settings.models_dir,
    )
    return {
        "messages": [o.__dict__ for o in outcomes],
        "accepted": sum(o.status == "accepted" for o in outcomes),
        "rejected": sum(o.status == "rejected" for o in outcomes),
    }


@router.get("/cargo/manifests", summary="Arrivals board: manifests with risk counts (a carrier sees its own)")
def list_manifests(
    principal: PrincipalDep, session: SessionDep, arrival_from: Annotated[date | None, Query()] = None
) -> list[dict[str, Any]]:
    principal.require_scope(Scope.CARGO_READ)
    rows = repo.manifests(
        session,
        company_id=None if principal.is_customs else principal.company_id or -1,
        arrival_from=arrival_from,
    )
    counts = repo.risk_counts(session, [r.id for r in rows])
    return [manifest_summary(r, counts[r.id], customs=principal.is_customs) for r in rows]


@router.get("/cargo/manifests/{manifest_id}", summary="A manifest with its house bills")
def get_manifest(manifest_id: ResourceId, principal: PrincipalDep, session: SessionDep) -> dict[str, Any]:
    row = service.visible_manifest(session, principal, manifest_id)
    return _submitted(session, service.Submitted(row), principal.is_customs)


@router.put("/cargo/manifests/{manifest_id}", summary="Amend a manifest (a new version; not after arrival)")
def amend_manifest(
    manifest_id: ResourceId,
    document: Annotated[dict[str, Any], Body()],
    principal: PrincipalDep,
    session: SessionDep,
    runtime: RuntimeDep,
) -> dict[str, Any]:
    done = service.amend(
        session, principal, manifest_id, document, now=runtime.clock(), models_dir=runtime.settings.models_dir
    )
    return _submitted(session, done, principal.is_customs)


@router.post("/cargo/manifests/{manifest_id}/arrival", summary="Arrival report (입항보고)")
def report_arrival(
    manifest_id: ResourceId,
    body: ArrivalIn,
    principal: PrincipalDep,
    session: SessionDep,
    runtime: RuntimeDep,
) -> dict[str, Any]:
    return manifest_summary(
        service.report_arrival(session, principal, manifest_id, on=body.on, now=runtime.clock())
    )


@router.get(
    "/cargo/bills/{key}", summary="A bill by CCN or house bill number: storage, declarations, risk, holds"
)
def get_bill(key: str, principal: PrincipalDep, session: SessionDep, runtime: RuntimeDep) -> dict[str, Any]:
    return custody.bill_view(session, principal, key, today=runtime.today())


@router.post("/cargo/bills/{key}/carry-in", status_code=201, summary="Carry-in to a bonded area (반입)")
def carry_in(
    key: str, body: CarryInIn, principal: PrincipalDep, session: SessionDep, runtime: RuntimeDep
) -> dict[str, Any]:
    event = custody.carry_in(
        session, principal, key, shed=body.shed, area_kind=body.area_kind, on=body.on, now=runtime.clock()
    )
    return {"id": event.id, "kind": event.kind, "shed": event.shed, "on": event.event_date.isoformat()}


@router.post(
    "/cargo/bills/{key}/carry-out", status_code=201, summary="Carry-out (반출): after release, or transit"
)
def carry_out(
    key: str, body: CarryOutIn, principal: PrincipalDep, session: SessionDep, runtime: RuntimeDep
) -> dict[str, Any]:
    event = custody.carry_out(
        session,
        principal,
        key,
        reason=body.reason,
        reason_text=body.reason_text,
        on=body.on,
        now=runtime.clock(),
    )
    return {
        "id": event.id,
        "kind": event.kind,
        "shed": event.shed,
        "on": event.event_date.isoformat(),
        "reason": event.reason,
        "declaration_id": event.declaration_id,
    }


@router.post("/cargo/bills/{key}/holds", status_code=201, summary="Hold or examination order (officer)")
def place_hold(
    key: str, body: HoldIn, principal: PrincipalDep, session: SessionDep, runtime: RuntimeDep
) -> dict[str, Any]:
    hold = custody.place_hold(
        session, principal, key, kind=body.kind, reason=body.reason, now=runtime.clock()
    )
    return {"id": hold.id, "kind": hold.kind, "reason": hold.reason}


@router.post("/cargo/holds/{hold_id}/result", summary="Record an examination result and close the hold")
def close_hold(
    hold_id: ResourceId, body: HoldResultIn, principal: PrincipalDep, session: SessionDep, runtime: RuntimeDep
) -> dict[str, Any]:
    hold = custody.close_hold(
        session, principal, hold_id, result=body.result, note=body.note, now=runtime.clock()
    )
    return {"id": hold.id, "kind": hold.kind, "result": hold.result}


@router.get("/cargo/declarations/{declaration_id}/match", summary="Match a declaration to its manifest line")
def match_declaration(
    declaration_id: ResourceId, principal: PrincipalDep, session: SessionDep
) -> dict[str, Any]:
    return custody.match_declaration(session, principal, declaration_id).as_dict()


@router.get("/cargo/undeclared", summary="Cargo in bonded storage with no declaration, days counted")
def undeclared(
    principal: PrincipalDep,
    session: SessionDep,
    runtime: RuntimeDep,
    on: Annotated[date | None, Query()] = None,
) -> list[dict[str, Any]]:
    return custody.undeclared_cargo(session, principal, on=on or runtime.today())


@router.get("/cargo/sheds/{shed}/stock", summary="A bonded area's stock at the end of a date")
def stock(
    shed: str,
    principal: PrincipalDep,
    session: SessionDep,
    runtime: RuntimeDep,
    on: Annotated[date | None, Query()] = None,
) -> list[dict[str, Any]]:
    return custody.stock(session, principal, shed, on=on or runtime.today())
