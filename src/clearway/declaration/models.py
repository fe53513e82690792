from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from clearway.db import Base, Money, UTCDateTime


class Declaration(Base):
    """A declaration across its versions; ``current_version`` points at the one in force."""

    __tablename__ = "declaration"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    filer_company_id: Mapped[int] = mapped_column(ForeignKey("company.id"))
    filer_user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    declarant_reference: Mapped[str] = mapped_column(String(35))
    content_hash: Mapped[str] = mapped_column(String(64))  # of the first version, to recognise a resubmission
    current_version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(30), index=True)
    lane: Mapped[str | None] = mapped_column(String(10), index=True)
    importer_name: Mapped[str | None] = mapped_column(String(200))
    importer_brn: Mapped[str | None] = mapped_column(String(20), index=True)
    # The registered importer (import) or exporter (export) the filing was bound to; it may read the declaration.
    party_company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id"), index=True)
    customs_office: Mapped[str] = mapped_column(String(10))
    arrival_date: Mapped[date | None] = mapped_column(Date)
    filed_on: Mapped[date] = mapped_column(Date, index=True)
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    total_due_krw: Mapped[Decimal | None] = mapped_column(Money)

    __table_args__ = (
        # 신고인 자체 참조번호: a filer's own reference identifies one declaration (idempotent filing).
        UniqueConstraint("filer_company_id", "declarant_reference"),
        Index("ix_declaration_company_filed", "filer_company_id", "filed_on"),
    )


class DeclarationVersion(Base):
    __tablename__ = "declaration_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declaration.id"))
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(30))
    lane: Mapped[str | None] = mapped_column(String(10))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    assessment: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    lane_selection: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    advice: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    amendment_reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("declaration_id", "version"),)


class DeclarationLine(Base):
    """Goods-item facts and assessed figures, one row per line of a version (for queries and statistics)."""

    __tablename__ = "declaration_line"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("declaration_version.id"), index=True)
    line_number: Mapped[int] = mapped_column(Integer)
    commodity_code: Mapped[str] = mapped_column(String(10), index=True)
    origin_country: Mapped[str] = mapped_column(String(2))
    net_mass_kg: Mapped[Decimal] = mapped_column(Money)
    invoice_amount: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    customs_value_krw: Mapped[Decimal | None] = mapped_column(Money)
    duty_krw: Mapped[Decimal | None] = mapped_column(Money)
    taxes_krw: Mapped[Decimal | None] = mapped_column(Money)


class InspectionResult(Base):
    """An officer's finding on a document check or inspection (검사결과): the label risk models learn from."""

    __tablename__ = "inspection_result"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declaration.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    stage: Mapped[str] = mapped_column(String(20))  # document_check | inspection
    finding: Mapped[str] = mapped_column(String(20))  # no_irregularity | irregularity
    description: Mapped[str | None] = mapped_column(Text)
    additional_duty_krw: Mapped[Decimal] = mapped_column(Money)
    critical: Mapped[bool] = mapped_column(Boolean)
    officer_user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Payment(Base):
    __tablename__ = "payment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declaration.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    amount_krw: Mapped[Decimal] = mapped_column(Money)
    method: Mapped[str] = mapped_column(String(20))
    reference: Mapped[str] = mapped_column(String(60))
    paid_at: Mapped[datetime] = mapped_column(UTCDateTime)
    paid_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))


class IdempotencyKey(Base):
    __tablename__ = "idempotency_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"))
    key: Mapped[str] = mapped_column(String(100))
    request_hash: Mapped[str] = mapped_column(String(64))
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declaration.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("company_id", "key"),)
