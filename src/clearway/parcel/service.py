"""Reading parcels (carriers their own, customs all), the holder's parcels, disputes, statistics.

Flushes, never commits. A carrier asking for another carrier's parcel or list gets a 404.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from clearway.audit.service import Actor, record
from clearway.errors import Conflict, Forbidden, NotFound
from clearway.identity.core import Principal
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
