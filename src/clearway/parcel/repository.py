"""Queries of the parcel domain. Flushes, never commits."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from clearway.parcel.models import CodeReissueJob, Parcel, ParcelList, ParcelNotification, PersonalCode

IN_FLIGHT = (
    "awaiting_simplified",
    "awaiting_general",
    "simplified_filed",
    "awaiting_xray",
    "awaiting_inspection",
)
HELD = ("held_code_suspended", "held_code_reissued", "held_disputed")


def codes_by_index(session: Session, indexes: Collection[str]) -> dict[str, PersonalCode]:
    if not indexes:
        return {}
    rows = session.scalars(select(PersonalCode).where(PersonalCode.code_index.in_(list(indexes))))
    return {row.code_index: row for row in rows}


def code(session: Session, code_id: int) -> PersonalCode | None:
    return session.get(PersonalCode, code_id)


def masked_codes(session: Session, code_ids: Collection[int]) -> dict[int, str]:
    if not code_ids:
        return {}
    query = select(PersonalCode.id, PersonalCode.code_masked).where(PersonalCode.id.in_(list(code_ids)))
    return {code_id: masked for code_id, masked in session.execute(query)}


def active_code_of(session: Session, person_index: str) -> PersonalCode | None:
    return session.scalar(select(PersonalCode).where(PersonalCode.active_person_index == person_index))


def list_codes(session: Session, *, status: str | None, limit: int, offset: int) -> list[PersonalCode]:
    query = select(PersonalCode).order_by(PersonalCode.id.desc()).limit(limit).offset(offset)
    if status:
        query = query.where(PersonalCode.status == status)
    return list(session.scalars(query))


def parcels_by_house_bill(session: Session, house_bills: Collection[str]) -> dict[str, Parcel]:
    if not house_bills:
        return {}
    rows = session.scalars(select(Parcel).where(Parcel.house_bill.in_(list(house_bills))))
    return {p.house_bill: p for p in rows}


def parcels_of_codes_on(session: Session, code_ids: Collection[int], dates: Collection[date]) -> list[Any]:
    """The holders' parcels arriving on those dates (for the combined-arrival rule and split shipments): only
    the columns those rules read (no JSON decoded)."""
    if not code_ids or not dates:
        return []
    query = select(
        Parcel.id, Parcel.code_id, Parcel.arrival_date, Parcel.dispatch_country, Parcel.goods_usd, Parcel.shop
    ).where(Parcel.code_id.in_(list(code_ids)), Parcel.arrival_date.in_(list(dates)))
    return list(session.execute(query))


def hold_in_flight(session: Session, code_ids: Iterable[int], status: str, now: Any) -> list[int]:
    """Put the codes' parcels still waiting for a declaration on hold; the ids of the parcels held."""
    ids = list(code_ids)
    if not ids:
        return []
    held = list(
        session.scalars(select(Parcel.id).where(Parcel.code_id.in_(ids), Parcel.status.in_(IN_FLIGHT)))
    )
    if held:
        session.execute(
            update(Parcel).where(Parcel.id.in_(held)).values(status=status, status_changed_at=now)
        )
    return held


def parcels(
    session: Session,
    *,
    carrier_company_id: int | None = None,
    code_id: int | None = None,
    route: str | None = None,
    status: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[Parcel]:
    query = select(Parcel).order_by(Parcel.id.desc()).limit(limit).offset(offset)
    if carrier_company_id is not None:
        query = query.where(Parcel.carrier_company_id == carrier_company_id)
    if code_id is not None:
        query = query.where(Parcel.code_id == code_id)
    if route:
        query = query.where(Parcel.route == route)
    if status:
        query = query.where(Parcel.status == status)
    return list(session.scalars(query))


def parcel_list(session: Session, list_id: int) -> ParcelList | None:
    return session.get(ParcelList, list_id)


def parcel(session: Session, parcel_id: int, *, for_update: bool = False) -> Parcel | None:
    if for_update:
        return session.scalars(select(Parcel).where(Parcel.id == parcel_id).with_for_update()).first()
    return session.get(Parcel, parcel_id)


def parcels_in(session: Session, statuses: Collection[str], *, limit: int, offset: int) -> list[Parcel]:
    """Parcels in these statuses, oldest first (a work queue)."""
    query = (
        select(Parcel)
        .where(Parcel.status.in_(list(statuses)))
        .order_by(Parcel.status_changed_at, Parcel.id)
        .limit(limit)
        .offset(offset)
    )
    return list(session.scalars(query))


def pending_notifications(session: Session, limit: int) -> list[ParcelNotification]:
    return list(
        session.scalars(
            select(ParcelNotification)
            .where(ParcelNotification.status == "pending")
            .order_by(ParcelNotification.id)
            .limit(limit)
        )
    )


def notifications_of(session: Session, code_id: int) -> list[ParcelNotification]:
    return list(
        session.scalars(
            select(ParcelNotification)
            .where(ParcelNotification.code_id == code_id)
            .order_by(ParcelNotification.id)
        )
    )


def job_by_key(session: Session, key: str) -> CodeReissueJob | None:
    return session.scalar(select(CodeReissueJob).where(CodeReissueJob.key == key))


def job(session: Session, job_id: int) -> CodeReissueJob | None:
    return session.get(CodeReissueJob, job_id)


def statistics(session: Session) -> dict[str, Any]:
    """Parcels by dispatch country, route and status, and the duty assessed (officers' figures)."""

    def grouped(column: Any) -> dict[str, int]:
        return {str(k): int(n) for k, n in session.execute(select(column, func.count()).group_by(column))}

    duty = session.execute(
        select(Parcel.route, func.sum(Parcel.duty_krw))
        .where(Parcel.duty_krw.is_not(None))
        .group_by(Parcel.route)
    ).all()
    by_category: dict[str, int] = {}
    recent = select(Parcel.items).order_by(Parcel.id.desc()).limit(CATEGORY_SAMPLE)
    for (items,) in session.execute(recent):
        for key in {category_of(i) for i in items}:
            by_category[key] = by_category.get(key, 0) + 1
    return {
        "by_country": grouped(Parcel.dispatch_country),
        "by_route": grouped(Parcel.route),
        "by_status": grouped(Parcel.status),
        "by_category": by_category,
        "category_sample": CATEGORY_SAMPLE,
        "duty_assessed_krw": {k: str(v) for k, v in duty if v is not None},
    }


CATEGORY_SAMPLE = 50_000  # parcels by category: counted over the latest parcels (items are JSON)


def category_of(item: dict[str, Any]) -> str:
    """An item's category: the declared one, else its HS chapter, else "uncoded"."""
    if item.get("category"):
        return str(item["category"])
    code = item.get("hs_code")
    return f"HS {code[:2]}" if code else "uncoded"
