"""All certificate queries. Flushes, never commits."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from clearway.db import MEMO_PREFIX
from clearway.origin.models import OriginCertificate

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
