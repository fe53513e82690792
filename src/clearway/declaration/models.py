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
    assignee_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))  # the officer working it
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

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
    # the signed decision receipt: what the duty and the lane were computed from (clearway.receipts)
    receipt: Mapped[dict[str, Any] | None] = mapped_column(JSON)

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


class ChangeRequest(Base):
    """A filer's request to amend (정정) or withdraw (취하) a declaration after selection; an officer grants or
    refuses it, and the declaration stays where it is meanwhile."""

    __tablename__ = "declaration_change_request"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declaration.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(12))  # amend | cancel
    reason: Mapped[str] = mapped_column(Text)
    document: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # the proposed version, for an amendment
    status: Mapped[str] = mapped_column(String(10), index=True)  # pending | granted | refused
    requested_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    message: Mapped[str | None] = mapped_column(Text)  # the officer's answer to the filer
    internal_note: Mapped[str | None] = mapped_column(Text)  # officers only


class DocumentRequest(Base):
    """서류제출 요구: what the officer asks the filer for, by when, and the reply."""

    __tablename__ = "document_request"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declaration.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(Text)  # to the filer
    internal_note: Mapped[str | None] = mapped_column(Text)  # officers only
    deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    requested_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reply: Mapped[str | None] = mapped_column(Text)
    override_reason: Mapped[str | None] = mapped_column(Text)  # accepted without the reply, and why


class Attachment(Base):
    """A file the filer sent in reply to a document request; stored under the runtime home by its digest."""

    __tablename__ = "document_attachment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_request_id: Mapped[int] = mapped_column(ForeignKey("document_request.id"), index=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declaration.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DeclarationDraft(Base):
    """A filing form saved before it is filed: the form's fields as typed (valid or not), one user's own."""

    __tablename__ = "declaration_draft"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id"))
    title: Mapped[str] = mapped_column(String(200))
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DeclarationHold(Base):
    """A hold on one version of a declaration, with a coded reason (``bill_not_on_manifest``: the bill it names
    is on no manifest yet) and the subject it is about (the bill number). Placed and lifted by the system; while
    it stands the declaration is filed but not accepted (:attr:`clearway.declaration.lifecycle.Case.held`)."""

    __tablename__ = "declaration_hold"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declaration.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(35), index=True)
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lifted_note: Mapped[str | None] = mapped_column(Text)
