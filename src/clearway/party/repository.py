"""Queries of the party domain. Flushes; never commits."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from clearway.identity.models import Company, User
from clearway.party.models import Mandate


def companies(session: Session) -> list[Company]:
    return list(session.scalars(select(Company).order_by(Company.kind, Company.name)))


def company_by_brn(session: Session, brn: str) -> Company | None:
    return session.scalar(select(Company).where(Company.brn == brn))


def company_by_customs_code(session: Session, code: str) -> Company | None:
    return session.scalar(select(Company).where(Company.customs_code == code))


def mandates(session: Session, company_id: int | None = None) -> list[Mandate]:
    """Every mandate (``company_id`` None) or those a company gives or holds, newest first."""
    query = select(Mandate).order_by(Mandate.id.desc())
    if company_id is not None:
        query = query.where(
            or_(Mandate.broker_company_id == company_id, Mandate.client_company_id == company_id)
        )
    return list(session.scalars(query))


def held_mandates(session: Session, broker_company_id: int) -> list[tuple[Mandate, Company]]:
    """The mandates a broker holds (revoked ones too: the core judges validity), with the client."""
    rows = session.execute(
        select(Mandate, Company)
        .join(Company, Company.id == Mandate.client_company_id)
        .where(Mandate.broker_company_id == broker_company_id)
        .order_by(Mandate.id)
    )
    return [(row[0], row[1]) for row in rows]


def users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))
