"""All certificate queries. Flushes, never commits."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from clearway.db import MEMO_PREFIX
from clearway.declaration.models import Declaration
from clearway.origin.models import OriginCertificate, OriginDrawdown, OriginVerificationCase

# a declaration in one of these states uses nothing: its quantities are back on the certificate
RELEASED_STATES = ("cancelled", "rejected")

_BY_REFERENCE = MEMO_PREFIX + "origin.certificates_by_reference"


def add(session: Session, row: OriginCertificate) -> OriginCertificate:
    session.add(row)
    session.flush()
    session.info.pop(_BY_REFERENCE, None)
    return row


def recall_references(session: Session, references: set[str]) -> None:
    """Load every certificate numbered one of ``references`` with one query, for :func:`with_reference`."""
    memo: dict[str, list[OriginCertificate]] = session.info.setdefault(_BY_REFERENCE, {})
    wanted = sorted(references - memo.keys())
    for start in range(0, len(wanted), 1000):
        chunk = wanted[start : start + 1000]
        for reference in chunk:
            memo[reference] = []
        rows = session.scalars(
            select(OriginCertificate)
            .where(OriginCertificate.reference.in_(chunk))
            .order_by(OriginCertificate.id)
        )
        for row in rows:
            memo[row.reference].append(row)


def with_reference(session: Session, reference: str) -> list[OriginCertificate]:
    """Every certificate numbered ``reference`` (under any agreement), oldest first; remembered for the rest of
    the transaction, so the lines of a batch that cite one certificate read it once."""
    memo: dict[str, list[OriginCertificate]] = session.info.setdefault(_BY_REFERENCE, {})
    if reference not in memo:
        memo[reference] = list(
            session.scalars(
                select(OriginCertificate)
                .where(OriginCertificate.reference == reference)
                .order_by(OriginCertificate.id)
            )
        )
    return memo[reference]


def get(session: Session, certificate_id: int) -> OriginCertificate | None:
    return session.get(OriginCertificate, certificate_id)


def by_reference(session: Session, agreement: str, reference: str) -> OriginCertificate | None:
    return session.scalars(
        select(OriginCertificate).where(
            OriginCertificate.agreement == agreement, OriginCertificate.reference == reference
        )
    ).first()


def search(
    session: Session,
    *,
    reference: str | None = None,
    agreement: str | None = None,
    company_id: int | None = None,
    limit: int = 100,
) -> list[OriginCertificate]:
    query = select(OriginCertificate).order_by(OriginCertificate.id.desc()).limit(limit)
    if reference:
        query = query.where(OriginCertificate.reference == reference)
    if agreement:
        query = query.where(OriginCertificate.agreement == agreement)
    if company_id is not None:
        query = query.where(OriginCertificate.company_id == company_id)
    return list(session.scalars(query))


def by_issuer(session: Session, issuing_country: str, reference: str) -> OriginCertificate | None:
    return session.scalars(
        select(OriginCertificate).where(
            OriginCertificate.issuing_country == issuing_country, OriginCertificate.reference == reference
        )
    ).first()


def lock(session: Session, certificate_id: int) -> None:
    """Hold the certificate's row until the transaction ends (SELECT ... FOR UPDATE on PostgreSQL; SQLite
    serialises writers anyway), so two filings drawing on one certificate take turns."""
    session.execute(
        select(OriginCertificate.id).where(OriginCertificate.id == certificate_id).with_for_update()
    )


def uses(session: Session, certificate_id: int) -> list[tuple[OriginDrawdown, Declaration]]:
    """The drawdowns that count: of each declaration's current version, the declaration not withdrawn."""
    rows = session.execute(
        select(OriginDrawdown, Declaration)
        .join(Declaration, Declaration.id == OriginDrawdown.declaration_id)
        .where(
            OriginDrawdown.certificate_id == certificate_id,
            OriginDrawdown.version == Declaration.current_version,
            Declaration.status.not_in(RELEASED_STATES),
        )
        .order_by(OriginDrawdown.id)
    )
    return [(d, decl) for d, decl in rows]


def drawn(session: Session, certificate_id: int, *, excluding: tuple[int, int] | None) -> dict[int, Decimal]:
    """Quantity used per certificate item id by every declaration line but ``excluding`` (declaration id, line
    number): the line being verified; the other lines of its declaration count like any other use."""
    out: dict[int, Decimal] = {}
    for use, declaration in uses(session, certificate_id):
        if (declaration.id, use.line_number) != excluding:
            out[use.certificate_item_id] = out.get(use.certificate_item_id, Decimal(0)) + use.quantity
    return out


def replace_drawdowns(
    session: Session, declaration_id: int, version: int, line_number: int, rows: list[OriginDrawdown]
) -> None:
    session.execute(
        delete(OriginDrawdown).where(
            OriginDrawdown.declaration_id == declaration_id,
            OriginDrawdown.version == version,
            OriginDrawdown.line_number == line_number,
        )
    )
    session.add_all(rows)
    session.flush()


def certificate_declarations(session: Session, certificate_id: int) -> list[int]:
    """The declarations whose current version draws on the certificate (any state but withdrawn)."""
    return sorted({declaration.id for _, declaration in uses(session, certificate_id)})


def add_case(session: Session, case: OriginVerificationCase) -> OriginVerificationCase:
    session.add(case)
    session.flush()
    return case


def get_case(session: Session, case_id: int, *, for_update: bool = False) -> OriginVerificationCase | None:
    query = select(OriginVerificationCase).where(OriginVerificationCase.id == case_id)
    if for_update:
        query = query.with_for_update()
    return session.scalars(query).first()


def cases(
    session: Session,
    *,
    status: str | None = None,
    certificate_id: int | None = None,
    declaration_id: int | None = None,
    limit: int = 100,
) -> list[OriginVerificationCase]:
    query = select(OriginVerificationCase).order_by(OriginVerificationCase.id.desc()).limit(limit)
    if status:
        query = query.where(OriginVerificationCase.status == status)
    if certificate_id is not None:
        query = query.where(OriginVerificationCase.certificate_id == certificate_id)
    if declaration_id is not None:
        query = query.where(OriginVerificationCase.declaration_id == declaration_id)
    return list(session.scalars(query))


def declaration_cases(session: Session, declaration_id: int) -> list[OriginVerificationCase]:
    """The cases about a declaration: opened on it, or on a certificate any of its versions drew on (so a case
    whose denial re-assessed it stays listed after the drawdown went), oldest first."""
    drawn_on = select(OriginDrawdown.certificate_id).where(OriginDrawdown.declaration_id == declaration_id)
    query = (
        select(OriginVerificationCase)
        .where(
            or_(
                OriginVerificationCase.declaration_id == declaration_id,
                OriginVerificationCase.certificate_id.in_(drawn_on),
            )
        )
        .order_by(OriginVerificationCase.id)
    )
    return list(session.scalars(query))
