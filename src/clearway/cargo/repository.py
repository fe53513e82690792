"""All cargo queries. Flushes, never commits."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from clearway.cargo.models import (
    CargoHold,
    CargoHouseBill,
    CargoManifest,
    CargoManifestVersion,
    CargoStorageEvent,
)
from clearway.declaration.models import Declaration, DeclarationVersion

CLOSED_DECLARATIONS = ("cancelled", "rejected", "amended")


def manifest(session: Session, manifest_id: int, *, for_update: bool = False) -> CargoManifest | None:
    return session.get(CargoManifest, manifest_id, with_for_update=for_update)


def manifest_by_reference(session: Session, company_id: int, reference: str) -> CargoManifest | None:
    return session.scalar(
        select(CargoManifest).where(
            CargoManifest.company_id == company_id, CargoManifest.reference == reference
        )
    )


def manifests(
    session: Session, *, company_id: int | None, arrival_from: date | None = None, limit: int = 200
) -> list[CargoManifest]:
    q = (
        select(CargoManifest)
        .order_by(CargoManifest.arrival_date.desc(), CargoManifest.id.desc())
        .limit(limit)
    )
    if company_id is not None:
        q = q.where(CargoManifest.company_id == company_id)
    if arrival_from is not None:
        q = q.where(CargoManifest.arrival_date >= arrival_from)
    return list(session.scalars(q))


def next_serial(session: Session, carrier_code: str, year: int) -> int:
    prefix = f"{year % 100:02d}{carrier_code:X<4}"
    count = (
        session.scalar(
            select(func.count()).select_from(CargoManifest).where(CargoManifest.mrn.like(f"{prefix}%"))
        )
        or 0
    )
    return count + 1


def latest_version(session: Session, manifest_id: int) -> CargoManifestVersion | None:
    return session.scalar(
        select(CargoManifestVersion)
        .where(CargoManifestVersion.manifest_id == manifest_id)
        .order_by(CargoManifestVersion.version.desc())
        .limit(1)
    )


def houses_of(session: Session, manifest_id: int) -> list[CargoHouseBill]:
    return list(
        session.scalars(
            select(CargoHouseBill)
            .where(CargoHouseBill.manifest_id == manifest_id)
            .order_by(CargoHouseBill.master_seq, CargoHouseBill.house_seq)
        )
    )


def risk_counts(session: Session, manifest_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = {i: {"low": 0, "medium": 0, "high": 0} for i in manifest_ids}
    if not manifest_ids:
        return out
    rows = session.execute(
        select(CargoHouseBill.manifest_id, CargoHouseBill.risk_level, func.count())
        .where(CargoHouseBill.manifest_id.in_(list(manifest_ids)))
        .group_by(CargoHouseBill.manifest_id, CargoHouseBill.risk_level)
    )
    for manifest_id, level, n in rows:
        out[manifest_id][level] = n
    return out


def bills_taken(session: Session, bills: Iterable[str], *, other_than: int | None) -> list[str]:
    wanted = list(bills)
    found: list[str] = []
    for start in range(0, len(wanted), 1000):
        q = select(CargoHouseBill.house_bill).where(
            CargoHouseBill.house_bill.in_(wanted[start : start + 1000])
        )
        if other_than is not None:
            q = q.where(CargoHouseBill.manifest_id != other_than)
        found += session.scalars(q)
    return found


def known_consignees(session: Session, keys: Iterable[str], *, other_than: int | None) -> set[str]:
    wanted = sorted(set(keys))
    found: set[str] = set()
    for start in range(0, len(wanted), 1000):
        q = select(CargoHouseBill.consignee_key).where(
            CargoHouseBill.consignee_key.in_(wanted[start : start + 1000])
        )
        if other_than is not None:
            q = q.where(CargoHouseBill.manifest_id != other_than)
        found.update(session.scalars(q.distinct()))
    return found


def bill(session: Session, key: str) -> CargoHouseBill | None:
    """A house bill by its cargo control number or its house bill number."""
    return session.scalar(
        select(CargoHouseBill).where((CargoHouseBill.ccn == key) | (CargoHouseBill.house_bill == key.upper()))
    )


def storage_events(session: Session, house_bill_id: int) -> list[CargoStorageEvent]:
    return list(
        session.scalars(
            select(CargoStorageEvent)
            .where(CargoStorageEvent.house_bill_id == house_bill_id)
            .order_by(CargoStorageEvent.event_date, CargoStorageEvent.id)
        )
    )


def holds(session: Session, house_bill_id: int) -> list[CargoHold]:
    return list(
        session.scalars(
            select(CargoHold).where(CargoHold.house_bill_id == house_bill_id).order_by(CargoHold.id)
        )
    )


def hold(session: Session, hold_id: int) -> CargoHold | None:
    return session.get(CargoHold, hold_id, with_for_update=True)


def shed_events(session: Session, shed: str, on: date) -> list[tuple[str, CargoStorageEvent]]:
    rows = session.execute(
        select(CargoHouseBill.ccn, CargoStorageEvent)
        .join(CargoHouseBill, CargoHouseBill.id == CargoStorageEvent.house_bill_id)
        .where(CargoStorageEvent.shed == shed, CargoStorageEvent.event_date <= on)
        .order_by(CargoStorageEvent.event_date, CargoStorageEvent.id)
    )
    return [(ccn, event) for ccn, event in rows]


def in_storage(session: Session) -> list[tuple[CargoHouseBill, CargoStorageEvent]]:
    """Every bill whose latest storage event is a carry-in."""
    latest = (
        select(CargoStorageEvent.house_bill_id, func.max(CargoStorageEvent.id).label("last_id"))
        .group_by(CargoStorageEvent.house_bill_id)
        .subquery()
    )
    rows = session.execute(
        select(CargoHouseBill, CargoStorageEvent)
        .join(latest, latest.c.house_bill_id == CargoHouseBill.id)
        .join(CargoStorageEvent, CargoStorageEvent.id == latest.c.last_id)
        .where(CargoStorageEvent.kind == "carry_in")
    )
    return [(b, e) for b, e in rows]


def _transport_document() -> Any:
    return DeclarationVersion.content["consignment"]["transport_document"].as_string()


def declarations_naming(
    session: Session, bills: Iterable[str]
) -> list[tuple[str, Declaration, DeclarationVersion]]:
    """Open import declarations (current version) whose transport document is one of ``bills``."""
    wanted = sorted(set(bills))
    out: list[tuple[str, Declaration, DeclarationVersion]] = []
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            select(_transport_document(), Declaration, DeclarationVersion)
            .join(
                DeclarationVersion,
                and_(
                    DeclarationVersion.declaration_id == Declaration.id,
                    DeclarationVersion.version == Declaration.current_version,
                ),
            )
            .where(
                _transport_document().in_(wanted[start : start + 500]),
                Declaration.status.not_in(CLOSED_DECLARATIONS),
            )
            .order_by(Declaration.id)
        )
        out += [(b, d, v) for b, d, v in rows]
    return out


def declaration_with_content(
    session: Session, declaration_id: int
) -> tuple[Declaration, DeclarationVersion] | None:
    row = session.execute(
        select(Declaration, DeclarationVersion)
        .join(
            DeclarationVersion,
            and_(
                DeclarationVersion.declaration_id == Declaration.id,
                DeclarationVersion.version == Declaration.current_version,
            ),
        )
        .where(Declaration.id == declaration_id)
    ).first()
    return None if row is None else (row[0], row[1])
