"""All queries of the declaration domain. Flushes; never commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVarTuple

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from clearway.db import one_of
from clearway.declaration.content import DeclarationContent
from clearway.declaration.models import (
    Declaration,
    DeclarationLine,
    DeclarationVersion,
    IdempotencyKey,
    InspectionResult,
    Payment,
)

_Row = TypeVarTuple("_Row")


@dataclass(frozen=True, slots=True)
class ListFilter:
    company_id: int | None = None  # None: every company (customs users)
    with_named_party: bool = False  # company_id also matches the importer/exporter the filing was bound to
    status: str | None = None
    statuses: tuple[str, ...] = ()  # any of these (work queues)
    lane: str | None = None
    kind: str | None = None
    filed_from: date | None = None
    filed_to: date | None = None
    importer: str | None = None  # business registration number or part of the name
    customs_office: str | None = None
    declarant_reference: str | None = None
    oldest_first: bool = False


def get(session: Session, declaration_id: int, *, for_update: bool = False) -> Declaration | None:
    if for_update:
        return session.execute(
            select(Declaration).where(Declaration.id == declaration_id).with_for_update()
        ).scalar_one_or_none()
    return session.get(Declaration, declaration_id)


def version(session: Session, declaration_id: int, number: int) -> DeclarationVersion | None:
    return session.scalar(
        select(DeclarationVersion).where(
            DeclarationVersion.declaration_id == declaration_id, DeclarationVersion.version == number
        )
    )


def versions(session: Session, declaration_id: int) -> list[DeclarationVersion]:
    return list(
        session.scalars(
            select(DeclarationVersion)
            .where(DeclarationVersion.declaration_id == declaration_id)
            .order_by(DeclarationVersion.version)
        )
    )


def lines(session: Session, version_id: int) -> list[DeclarationLine]:
    return list(
        session.scalars(
            select(DeclarationLine)
            .where(DeclarationLine.version_id == version_id)
            .order_by(DeclarationLine.line_number)
        )
    )


def by_reference(session: Session, company_id: int, reference: str) -> Declaration | None:
    return session.scalar(
        select(Declaration).where(
            Declaration.filer_company_id == company_id, Declaration.declarant_reference == reference
        )
    )


def by_references(session: Session, company_id: int, references: list[str]) -> dict[str, Declaration]:
    if not references:
        return {}
    rows = session.scalars(
        select(Declaration).where(
            Declaration.filer_company_id == company_id,
            one_of(session, Declaration.declarant_reference, references),
        )
    )
    return {row.declarant_reference: row for row in rows}


def current_versions(session: Session, declaration_ids: list[int]) -> dict[int, DeclarationVersion]:
    if not declaration_ids:
        return {}
    rows = session.execute(
        select(DeclarationVersion)
        .join(Declaration, Declaration.id == DeclarationVersion.declaration_id)
        .where(
            one_of(session, Declaration.id, declaration_ids),
            DeclarationVersion.version == Declaration.current_version,
        )
    ).scalars()
    return {row.declaration_id: row for row in rows}


def idempotency_key(session: Session, company_id: int, key: str) -> IdempotencyKey | None:
    return session.scalar(
        select(IdempotencyKey).where(IdempotencyKey.company_id == company_id, IdempotencyKey.key == key)
    )


def _filtered(query: Select[*_Row], f: ListFilter) -> Select[*_Row]:
    if f.company_id is not None and f.with_named_party:
        query = query.where(
            or_(Declaration.filer_company_id == f.company_id, Declaration.party_company_id == f.company_id)
        )
    elif f.company_id is not None:
        query = query.where(Declaration.filer_company_id == f.company_id)
    if f.status:
        query = query.where(Declaration.status == f.status)
    if f.statuses:
        query = query.where(Declaration.status.in_(f.statuses))
    if f.lane:
        query = query.where(Declaration.lane == f.lane)
    if f.kind:
        query = query.where(Declaration.kind == f.kind)
    if f.filed_from:
        query = query.where(Declaration.filed_on >= f.filed_from)
    if f.filed_to:
        query = query.where(Declaration.filed_on <= f.filed_to)
    if f.declarant_reference:
        query = query.where(Declaration.declarant_reference == f.declarant_reference)
    if f.customs_office:
        query = query.where(Declaration.customs_office == f.customs_office)
    if f.importer:
        needle = f.importer.replace("-", "")
        query = query.where(
            or_(Declaration.importer_brn == needle, Declaration.importer_name.ilike(f"%{f.importer}%"))
        )
    return query


def page(session: Session, f: ListFilter, *, offset: int, limit: int) -> tuple[list[Declaration], int]:
    total = session.scalar(_filtered(select(func.count(Declaration.id)), f)) or 0
    rows = session.scalars(
        _filtered(select(Declaration), f)
        .order_by(Declaration.id.asc() if f.oldest_first else Declaration.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return list(rows), total


def inspection_results(session: Session, declaration_id: int) -> list[InspectionResult]:
    return list(
        session.scalars(
            select(InspectionResult)
            .where(InspectionResult.declaration_id == declaration_id)
            .order_by(InspectionResult.id)
        )
    )


def payments(session: Session, declaration_id: int) -> list[Payment]:
    return list(session.scalars(select(Payment).where(Payment.declaration_id == declaration_id)))


# ---- new rows -------------------------------------------------------------------------------------------


def add(session: Session, *rows: object) -> None:
    """Stage new rows in the caller's transaction (the caller flushes when it needs their ids)."""
    session.add_all(rows)


def version_row(
    declaration: Declaration,
    content: DeclarationContent,
    number: int,
    user_id: int,
    now: datetime,
    reason: str | None = None,
) -> DeclarationVersion:
    return DeclarationVersion(
        declaration_id=declaration.id,
        version=number,
        status="draft",
        content=content.model_dump(mode="json"),
        created_at=now,
        created_by=user_id,
        amendment_reason=reason,
    )


def line_rows(version: DeclarationVersion, content: DeclarationContent) -> list[DeclarationLine]:
    return [
        DeclarationLine(
            version_id=version.id,
            line_number=item.line_number,
            commodity_code=item.commodity_code,
            origin_country=item.origin_country,
            net_mass_kg=item.net_mass_kg,
            invoice_amount=item.invoice_amount,
            currency=item.currency,
        )
        for item in content.items
    ]
