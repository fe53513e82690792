"""Reading parcels (carriers their own, customs all), the holder's parcels, disputes, statistics.

Flushes, never commits. A carrier asking for another carrier's parcel or list gets a 404.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from clearway.audit.service import Actor, record
from clearway.errors import Conflict, Forbidden, NotFound
from clearway.identity.core import Principal
from clearway.identity.models import Company
from clearway.parcel import code_service
from clearway.parcel import repository as repo
from clearway.parcel.models import Parcel, ParcelList


def parcel_view(row: Parcel, code_masked: str | None = None) -> dict[str, Any]:
    return {
        "id": row.id,
        "house_bill": row.house_bill,
        "carrier_company_id": row.carrier_company_id,
        "list_id": row.list_id,
        "code_id": row.code_id,
        "code": code_masked,
        "arrival_date": row.arrival_date.isoformat(),
        "dispatch_country": row.dispatch_country,
        "shop": row.shop,
        "weight_kg": None if row.weight_kg is None else str(row.weight_kg),
        "goods_usd": str(row.goods_usd),
        "items": row.items,
        "route": row.route,
        "status": row.status,
        "reasons": row.reasons,
        "signals": row.signals,
        "duty_krw": None if row.duty_krw is None else str(row.duty_krw),
        "assessment": row.assessment,
        "dispute": row.dispute,
        "screening": row.screening,
        "inspection": row.inspection,
        "simplified": row.simplified,
        "declaration_id": row.declaration_id,
        "submitted_at": row.submitted_at.isoformat(),
        "status_changed_at": row.status_changed_at.isoformat(),
    }


def _masked(session: Session, row: Parcel) -> str | None:
    holder = repo.code(session, row.code_id)
    return holder.code_masked if holder else None


def _views(session: Session, rows: list[Parcel]) -> list[dict[str, Any]]:
    masks = repo.masked_codes(session, {r.code_id for r in rows})
    return [parcel_view(r, masks.get(r.code_id)) for r in rows]


def _visible(principal: Principal, company_id: int) -> bool:
    return principal.sees_company(company_id)


def get_parcel(session: Session, principal: Principal, parcel_id: int) -> dict[str, Any]:
    row = repo.parcel(session, parcel_id)
    if row is None or not _visible(principal, row.carrier_company_id):
        raise NotFound(f"no parcel {parcel_id}")
    return parcel_view(row, _masked(session, row))


def list_parcels(
    session: Session, principal: Principal, *, route: str | None, status: str | None, limit: int, offset: int
) -> list[dict[str, Any]]:
    company = None if principal.is_customs else principal.company_id
    if company is None and not principal.is_customs:
        return []
    rows = repo.parcels(
        session, carrier_company_id=company, route=route, status=status, limit=limit, offset=offset
    )
    return _views(session, rows)


def get_list(session: Session, principal: Principal, list_id: int) -> dict[str, Any]:
    row: ParcelList | None = repo.parcel_list(session, list_id)
    if row is None or not _visible(principal, row.carrier_company_id):
        raise NotFound(f"no parcel list {list_id}")
    return {
        "id": row.id,
        "reference": row.reference,
        "carrier_kind": row.carrier_kind,
        "submitted_at": row.submitted_at.isoformat(),
        "counts": row.counts,
        "results": row.results,
    }


def holder_parcels(
    session: Session, code_id: int, *, actor: Actor, now: datetime, purpose: str
) -> dict[str, Any]:
    """Every parcel cleared under a code (what the holder is shown); a view of personal data, audited."""
    holder = code_service.get(session, code_id)
    rows = repo.parcels(session, code_id=code_id, limit=10_000)
    record(
        session,
        actor=actor,
        subject_type="personal_code",
        subject_id=code_id,
        action="parcels_viewed",
        at=now,
        reason=purpose,
        data={"parcels": len(rows)},
    )
    return {
        "code": code_service.summary(holder),
        "parcels": [parcel_view(r, holder.code_masked) for r in rows],
        "notifications": [
            {
                "id": n.id,
                "event": n.event,
                "parcel_id": n.parcel_id,
                "status": n.status,
                "created_at": n.created_at.isoformat(),
            }
            for n in repo.notifications_of(session, code_id)
        ],
    }


def dispute(session: Session, parcel_id: int, *, reason: str, actor: Actor, now: datetime) -> dict[str, Any]:
    """The holder says "not mine": the code is suspended (its parcels in flight held), a case opens."""
    row = repo.parcel(session, parcel_id)
    if row is None:
        raise NotFound(f"no parcel {parcel_id}")
    if row.dispute is not None:
        raise Conflict("this parcel is already disputed")
    holder = code_service.get(session, row.code_id)
    row.dispute = {"status": "open", "reason": reason, "opened_at": now.isoformat(), "opened_by": actor.name}
    held: list[int] = []
    if holder.status == "active":
        held = code_service.suspend(
            session, holder.id, reason=f"holder disputes parcel {row.house_bill}", actor=actor, now=now
        )["held_parcels"]
    if row.status in repo.IN_FLIGHT or row.status == "held_code_suspended":
        row.status, row.status_changed_at = "held_disputed", now
    record(
        session,
        actor=actor,
        subject_type="parcel",
        subject_id=row.id,
        action="disputed",
        at=now,
        reason=reason,
        data={"code_id": holder.id, "held_parcels": held},
    )
    code_service.notify(
        session, holder.id, "parcel_disputed", {"house_bill": row.house_bill}, now, parcel_id=row.id
    )
    session.flush()
    return parcel_view(row, holder.code_masked)


def statistics(session: Session, principal: Principal) -> dict[str, Any]:
    if not principal.is_customs:
        raise Forbidden("parcel statistics are for customs")
    return repo.statistics(session)


# ---- the express-cargo X-ray / inspection queue ----------------------------------------------------------
def inspection_queue(
    session: Session, principal: Principal, *, check: str | None, limit: int, offset: int
) -> list[dict[str, Any]]:
    """Parcels the screening sent to an X-ray or a physical inspection, oldest first (officers)."""
    if not principal.is_customs:
        raise Forbidden("the inspection queue is for customs")
    statuses = [f"awaiting_{check}"] if check else ["awaiting_xray", "awaiting_inspection"]
    rows = repo.parcels_in(session, statuses, limit=limit, offset=offset)
    return _views(session, rows)


def record_inspection(
    session: Session,
    principal: Principal,
    parcel_id: int,
    *,
    result: str,
    note: str,
    actor: Actor,
    now: datetime,
) -> dict[str, Any]:
    """An officer's finding: ``clear`` lets the parcel go on its route, ``found`` detains it."""
    if not principal.is_customs:
        raise Forbidden("inspection results are recorded by customs")
    row = repo.parcel(session, parcel_id, for_update=True)
    if row is None:
        raise NotFound(f"no parcel {parcel_id}")
    if row.inspection is None or row.inspection.get("status") != "open":
        raise Conflict("this parcel has no open X-ray or inspection")
    if row.status not in ("awaiting_xray", "awaiting_inspection"):
        raise Conflict(f"this parcel is {row.status}; its check cannot be recorded now")
    after = row.inspection["then"] if result == "clear" else "detained"
    row.inspection = {
        **row.inspection,
        "status": "done",
        "result": result,
        "note": note,
        "by": actor.name,
        "at": now.isoformat(),
    }
    row.status, row.status_changed_at = after, now
    record(
        session,
        actor=actor,
        subject_type="parcel",
        subject_id=row.id,
        action=f"{row.inspection['check']}_{result}",
        at=now,
        reason=note,
        data={"status": after},
    )
    code_service.notify(
        session,
        row.code_id,
        "parcel_checked",
        {"house_bill": row.house_bill, "result": result},
        now,
        parcel_id=row.id,
    )
    session.flush()
    return parcel_view(row, _masked(session, row))


# ---- the general declaration of a parcel ---------------------------------------------------------------
def general_draft(
    row: Parcel, *, reference: str, importer: dict[str, Any], declarant: dict[str, Any]
) -> dict[str, Any]:
    """An import declaration document pre-filled from the parcel (pure): the filer completes and files it."""
    items = [
        {
            "line_number": n,
            "commodity_code": item.get("hs_code") or "",
            "description": item["description"],
            "origin_country": row.dispatch_country,
            "quantity": str(item["quantity"]),
            "quantity_unit": "U",
            "net_mass_kg": str((row.weight_kg or 0) / len(row.items) if row.weight_kg else "0.1"),
            "invoice_amount": str(Decimal(str(item["quantity"])) * Decimal(str(item["unit_price"]))),
            "currency": item["currency"],
            "incoterm": "CIF",
        }
        for n, item in enumerate(row.items, start=1)
    ]
    return {
        "kind": "import",
        "declarant_reference": reference,
        "declarant": declarant,
        "importer": importer,
        "seller": {"name": row.shop or "overseas seller", "country": row.dispatch_country},
        "buyer": importer,
        "consignment": {
            "transport_mode": "air",
            "transport_document": row.house_bill,
            "arrival_date": row.arrival_date.isoformat(),
            "customs_office": "040",
            "port": "KRICN",
        },
        "items": items,
    }


def file_general(
    session: Session,
    declarations: Any,
    principal: Principal,
    parcel_id: int,
    document: Any,
    *,
    now: datetime,
) -> dict[str, Any]:
    """File the parcel's general import declaration through the declaration service (the importer's or a
    mandated broker's path) and link it to the parcel."""
    row = repo.parcel(session, parcel_id, for_update=True)
    consignment = document.get("consignment") if isinstance(document, dict) else None
    bill = consignment.get("transport_document") if isinstance(consignment, dict) else None
    if row is None or not (_visible(principal, row.carrier_company_id) or bill == row.house_bill):
        raise NotFound(f"no parcel {parcel_id}")  # a filer names the parcel by its house bill
    if row.route != "general":
        raise Conflict(f"parcel {row.house_bill} is routed to {row.route}, not to a general declaration")
    if row.declaration_id is not None:
        raise Conflict(f"parcel {row.house_bill} already has declaration {row.declaration_id}")
    if row.status != "awaiting_general":
        raise Conflict(f"parcel {row.house_bill} is {row.status}; its declaration cannot be filed now")
    filing = declarations.file(session, principal, document)
    declaration = filing.declaration
    row.declaration_id = declaration.id
    row.status, row.status_changed_at = "general_filed", now
    record(
        session,
        actor=Actor(principal.username, principal.user_id),
        subject_type="parcel",
        subject_id=row.id,
        action="general_declaration_filed",
        at=now,
        data={"declaration_id": declaration.id},
    )
    session.flush()
    return {
        "parcel": parcel_view(row, _masked(session, row)),
        "declaration": {
            "id": declaration.id,
            "reference": declaration.declarant_reference,
            "status": declaration.status,
        },
    }


def general_draft_for(
    session: Session, principal: Principal, parcel_id: int, *, reference: str
) -> dict[str, Any]:
    """The draft of a visible parcel's general declaration, the signed-in company as declarant and importer
    (a broker replaces the importer with its mandating client before filing)."""
    row = repo.parcel(session, parcel_id)
    if row is None or not _visible(principal, row.carrier_company_id):
        raise NotFound(f"no parcel {parcel_id}")
    if row.route != "general":
        raise Conflict(f"parcel {row.house_bill} is routed to {row.route}, not to a general declaration")
    company = session.get(Company, principal.company_id) if principal.company_id else None
    party: dict[str, Any] = {"name": company.name if company else "importer", "country": "KR"}
    if company is not None and company.brn:
        party["brn"] = company.brn
    return general_draft(row, reference=reference, importer=party, declarant=party)
