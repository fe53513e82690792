"""Cargo shell, custody: bonded storage, customs holds, matching to declarations, undeclared cargo, a bill's
whole story. Flushes, never commits."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from clearway.audit.service import record
from clearway.cargo import matching
from clearway.cargo import repository as repo
from clearway.cargo.models import CargoHold, CargoHouseBill, CargoStorageEvent
from clearway.cargo.service import actor_of, visible_manifest
from clearway.cargo.signals import stored_goods
from clearway.cargo.storage import (
    AreaKind,
    BillState,
    CargoConflict,
    CarryOutReason,
    StorageEvent,
    check_carry_in,
    check_carry_out,
    check_shed,
    declaration_deadline,
    stock_at,
    storage_deadline,
    undeclared,
)
from clearway.declaration import holds as declaration_holds
from clearway.declaration.access import may_see
from clearway.errors import FieldError, Forbidden, NotFound, ValidationFailed
from clearway.identity.core import Principal, Scope

_Choice = TypeVar("_Choice", bound=StrEnum)
HOLD_KINDS = ("hold", "xray", "physical")
RESULTS = ("no_irregularity", "irregularity")


def visible_bill(session: Session, principal: Principal, key: str) -> CargoHouseBill:
    principal.require_scope(Scope.CARGO_READ)
    bill = repo.bill(session, key.strip())
    if bill is None:
        raise NotFound(f"no cargo {key}")
    visible_manifest(session, principal, bill.manifest_id)  # another company's bill is a 404
    return bill


def _state(session: Session, bill: CargoHouseBill) -> tuple[BillState, list[CargoStorageEvent]]:
    manifest = repo.manifest(session, bill.manifest_id)
    events = repo.storage_events(session, bill.id)
    declarations = repo.declarations_naming(session, [bill.house_bill])
    open_holds = sum(h.closed_at is None for h in repo.holds(session, bill.id))
    state = BillState(
        bill.ccn,
        manifest is not None and manifest.status == "arrived",
        tuple(StorageEvent(e.kind, e.shed, e.event_date) for e in events),
        any(d.status == "released" for _, d, _ in declarations),
        open_holds,
        manifest.arrived_on if manifest is not None else None,
    )
    return state, events


def _chosen(choices: type[_Choice], raw: str, pointer: str, code: str, title: str) -> _Choice:
    """The member of ``choices`` a form or request named, else a 422 listing them at ``pointer``."""
    try:
        return choices(raw)
    except ValueError:
        one_of = ", ".join(c.value for c in choices)
        raise ValidationFailed(title, errors=[FieldError(pointer, code, f"one of {one_of}")]) from None


def _on_bill_trail(
    session: Session,
    principal: Principal,
    bill: CargoHouseBill,
    action: str,
    data: dict[str, Any],
    *,
    at: datetime,
    reason: str | None = None,
) -> None:
    """Write a custody step (carry-in, carry-out, a hold) to the bill's audit trail."""
    record(
        session,
        actor=actor_of(principal),
        subject_type="cargo_bill",
        subject_id=bill.ccn,
        action=action,
        at=at,
        reason=reason,
        data=data,
    )


def carry_in(
    session: Session, principal: Principal, key: str, *, shed: str, area_kind: str, on: date, now: datetime
) -> CargoStorageEvent:
    """반입신고: the bill enters a bonded area."""
    principal.require_scope(Scope.CARGO_WRITE)
    kind = _chosen(AreaKind, area_kind, "/area_kind", "unknown_area_kind", "unknown bonded area kind")
    bill = visible_bill(session, principal, key)
    state, _ = _state(session, bill)
    check_carry_in(state, shed, on)
    event = CargoStorageEvent(
        house_bill_id=bill.id,
        kind="carry_in",
        shed=shed,
        area_kind=kind.value,
        event_date=on,
        reason=None,
        reason_text=None,
        declaration_id=None,
        recorded_by=principal.user_id,
        recorded_at=now,
    )
    session.add(event)
    session.flush()
    _on_bill_trail(session, principal, bill, "carry_in", {"shed": shed, "on": on.isoformat()}, at=now)
    return event


def carry_out(
    session: Session,
    principal: Principal,
    key: str,
    *,
    reason: str,
    reason_text: str | None,
    on: date,
    now: datetime,
) -> CargoStorageEvent:
    """반출신고: only after release (수리), or for transit/return with the reason stated."""
    principal.require_scope(Scope.CARGO_WRITE)
    why = _chosen(CarryOutReason, reason, "/reason", "unknown_reason", "unknown carry-out reason")
    bill = visible_bill(session, principal, key)
    state, events = _state(session, bill)
    check_carry_out(state, why, reason_text, on)
    released = [
        d.id for _, d, _ in repo.declarations_naming(session, [bill.house_bill]) if d.status == "released"
    ]
    event = CargoStorageEvent(
        house_bill_id=bill.id,
        kind="carry_out",
        shed=events[-1].shed,
        area_kind=events[-1].area_kind,
        event_date=on,
        reason=why.value,
        reason_text=reason_text,
        declaration_id=released[0] if released else None,
        recorded_by=principal.user_id,
        recorded_at=now,
    )
    session.add(event)
    session.flush()
    _on_bill_trail(
        session,
        principal,
        bill,
        "carry_out",
        {"shed": event.shed, "on": on.isoformat(), "reason": why.value},
        at=now,
    )
    return event


def _require_officer(principal: Principal) -> None:
    principal.require_scope(Scope.CARGO_WRITE)
    if not principal.is_customs:
        raise Forbidden("only customs places holds and examination orders")


def place_hold(
    session: Session, principal: Principal, key: str, *, kind: str, reason: str, now: datetime
) -> CargoHold:
    _require_officer(principal)
    if kind not in HOLD_KINDS:
        raise ValidationFailed(
            "unknown hold kind",
            errors=[FieldError("/kind", "unknown_hold_kind", f"one of {', '.join(HOLD_KINDS)}")],
        )
    if not reason.strip():
        raise ValidationFailed("a hold states its reason", errors=[FieldError("/reason", "required", "why")])
    bill = visible_bill(session, principal, key)
    hold = CargoHold(
        house_bill_id=bill.id,
        kind=kind,
        reason=reason.strip(),
        placed_by=principal.user_id,
        placed_at=now,
        result=None,
        result_note=None,
        closed_by=None,
        closed_at=None,
    )
    session.add(hold)
    session.flush()
    _on_bill_trail(
        session, principal, bill, "hold", {"hold_id": hold.id, "kind": kind}, at=now, reason=reason
    )
    return hold


def close_hold(
    session: Session, principal: Principal, hold_id: int, *, result: str, note: str | None, now: datetime
) -> CargoHold:
    """The examination's result: it closes the hold and is kept for the pre-arrival model's outcomes."""
    _require_officer(principal)
    if result not in RESULTS:
        raise ValidationFailed(
            "unknown result", errors=[FieldError("/result", "unknown_result", f"one of {', '.join(RESULTS)}")]
        )
    hold = repo.hold(session, hold_id)
    if hold is None:
        raise NotFound(f"no hold {hold_id}")
    if hold.closed_at is not None:
        raise CargoConflict(f"hold {hold_id} was closed on {hold.closed_at:%Y-%m-%d}", code="hold_closed")
    hold.result, hold.result_note, hold.closed_by, hold.closed_at = result, note, principal.user_id, now
    session.flush()
    record(
        session,
        actor=actor_of(principal),
        subject_type="cargo_hold",
        subject_id=hold.id,
        action="close",
        at=now,
        data={"result": result},
    )
    return hold


def _line(bill: CargoHouseBill) -> matching.ManifestLine:
    return matching.ManifestLine(
        bill.house_bill,
        bill.consignee_name,
        bill.consignee_brn,
        bill.description,
        bill.hs6,
        bill.packages,
        bill.gross_weight_kg,
    )


def match_declaration(session: Session, principal: Principal, declaration_id: int) -> matching.MatchResult:
    """The declaration against the manifest line of the bill it names."""
    principal.require_scope(Scope.CARGO_READ)
    found = repo.declaration_with_content(session, declaration_id)
    if found is None or not may_see(principal, found[0]):
        raise NotFound(f"no declaration {declaration_id}")
    declaration, version = found
    bill_number = str(version.content.get("consignment", {}).get("transport_document", "")).upper()
    bill = repo.bill(session, bill_number) if bill_number else None
    return matching.match(_line(bill) if bill else None, stored_goods(declaration, version), bill_number)


def undeclared_cargo(session: Session, principal: Principal, *, on: date) -> list[dict[str, Any]]:
    """Cargo in bonded storage that no declaration names, with the days since carry-in (관세법 제241조)."""
    principal.require_scope(Scope.CARGO_READ)
    if not principal.is_customs:
        raise Forbidden("the undeclared-cargo list is for customs")
    stored = repo.in_storage(session)
    declared = {b for b, _, _ in repo.declarations_naming(session, [bill.house_bill for bill, _ in stored])}
    by_ccn = {bill.ccn: bill for bill, _ in stored}
    events = [
        (bill.ccn, StorageEvent(e.kind, e.shed, e.event_date)) for bill, e in stored if e.event_date <= on
    ]
    declared_ccns = {bill.ccn for bill, _ in stored if bill.house_bill in declared}
    return [
        {
            "ccn": u.bill,
            "house_bill": by_ccn[u.bill].house_bill,
            "shed": u.shed,
            "carried_in": u.carried_in.isoformat(),
            "days": u.days,
            "overdue": u.overdue,
            "declaration_due": declaration_deadline(u.carried_in).isoformat(),
            "consignee": by_ccn[u.bill].consignee_name,
        }
        for u in undeclared(events, declared_ccns, on)
    ]


def held_declarations(session: Session, principal: Principal) -> list[dict[str, Any]]:
    """Import declarations filed and held because their bill is on no manifest yet (the other side of the
    undeclared-cargo list: declarations waiting for their cargo), oldest first."""
    principal.require_scope(Scope.CARGO_READ)
    if not principal.is_customs:
        raise Forbidden("the list of held declarations is for customs")
    return [
        {
            "declaration_id": d.id,
            "bill": h.subject,
            "importer": d.importer_name,
            "status": d.status,
            "lane": d.lane,
            "placed_at": h.placed_at,
            "code": h.code,
        }
        for h, d in declaration_holds.standing(session, declaration_holds.BILL_NOT_ON_MANIFEST)
    ]


def stock(session: Session, principal: Principal, shed: str, *, on: date) -> list[dict[str, Any]]:
    """The bills in a bonded area at the end of ``on``, with their storage deadlines."""
    principal.require_scope(Scope.CARGO_READ)
    if not principal.is_customs:
        raise Forbidden("a bonded area's stock is for customs")
    check_shed(shed)
    pairs = repo.shed_events(session, shed, on)
    carried = {ccn: e for ccn, e in pairs if e.kind == "carry_in"}
    present = stock_at(((ccn, StorageEvent(e.kind, e.shed, e.event_date)) for ccn, e in pairs), on)
    out = []
    for ccn in present:
        e = carried[ccn]
        deadline = storage_deadline(e.event_date, AreaKind(e.area_kind))
        out.append(
            {
                "ccn": ccn,
                "carried_in": e.event_date.isoformat(),
                "storage_deadline": deadline.isoformat(),
                "days_stored": (on - e.event_date).days,
                "over_limit": on > deadline,
            }
        )
    return out


def bill_view(session: Session, principal: Principal, key: str, *, today: date) -> dict[str, Any]:
    bill = visible_bill(session, principal, key)
    manifest = repo.manifest(session, bill.manifest_id)
    assert manifest is not None
    events = repo.storage_events(session, bill.id)
    declarations = repo.declarations_naming(session, [bill.house_bill])
    view: dict[str, Any] = {
        "ccn": bill.ccn,
        "house_bill": bill.house_bill,
        "master_bill": bill.master_bill,
        "manifest": {
            "id": manifest.id,
            "mrn": manifest.mrn,
            "reference": manifest.reference,
            "status": manifest.status,
            "version": manifest.version,
            "mode": manifest.mode,
            "voyage": manifest.voyage_number,
            "vessel": manifest.vessel_name,
            "port_of_loading": manifest.port_of_loading,
            "port_of_discharge": manifest.port_of_discharge,
            "arrival_date": manifest.arrival_date.isoformat(),
            "arrived_on": manifest.arrived_on.isoformat() if manifest.arrived_on else None,
        },
        "shipper": bill.shipper_name,
        "consignee": bill.consignee_name,
        "description": bill.description,
        "hs6": bill.hs6,
        "packages": bill.packages,
        "package_type": bill.package_type,
        "gross_weight_kg": str(bill.gross_weight_kg),
        "containers": bill.containers,
        "transshipment_ports": bill.transshipment_ports,
        "storage": [
            {
                "kind": e.kind,
                "shed": e.shed,
                "on": e.event_date.isoformat(),
                "reason": e.reason,
                "reason_text": e.reason_text,
            }
            for e in events
        ],
        "declarations": [
            {
                "id": d.id,
                "status": d.status,
                "lane": d.lane,
                "holds": [
                    declaration_holds.view(h)
                    for h in declaration_holds.of_declaration(session, d.id, v.version)
                ],
            }
            for _, d, v in declarations
        ],
    }
    if events and events[-1].kind == "carry_in":
        view["declaration_due"] = declaration_deadline(events[-1].event_date).isoformat()
        view["storage_deadline"] = storage_deadline(
            events[-1].event_date, AreaKind(events[-1].area_kind)
        ).isoformat()
    if principal.is_customs:  # the risk reasons and holds are confidential to customs
        view["risk"] = {
            "level": bill.risk_level,
            "score": bill.risk_score,
            "action": bill.risk_action,
            "reasons": bill.risk_reasons,
        }
        view["holds"] = [
            {
                "id": h.id,
                "kind": h.kind,
                "reason": h.reason,
                "placed_at": h.placed_at.isoformat(),
                "result": h.result,
                "closed_at": h.closed_at.isoformat() if h.closed_at else None,
            }
            for h in repo.holds(session, bill.id)
        ]
        view["matching"] = [
            matching.match(_line(bill), stored_goods(d, v), bill.house_bill).as_dict()
            for _, d, v in declarations
        ]
    return view
