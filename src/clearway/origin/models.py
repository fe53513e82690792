"""Certificate-of-origin records (원산지증명서): one row per certificate, one per goods line on it.

A certificate is identified by its agreement and its number (``reference``) — the number a declaration cites
in ``items[].preference.certificate_reference``. For an invoice origin declaration (Korea–EU, UK–Korea) the
reference is the invoice number the declaration is made out on. ``valid_until`` is stored as computed at
registration (the certificate's own date, or issue date + the agreement's validity). ``reading`` keeps what
the automatic reader found (confidence per field, fields not found) when the record came from a document.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clearway.db import Base, Money, UTCDateTime


class OriginCertificate(Base):
    __tablename__ = "origin_certificate"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(60))
    agreement: Mapped[str] = mapped_column(String(20))
    form: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="registered")
    issuer: Mapped[str | None] = mapped_column(String(200))
    issuing_country: Mapped[str | None] = mapped_column(String(2))
    issue_date: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    exporter_name: Mapped[str | None] = mapped_column(String(200))
    exporter_address: Mapped[str | None] = mapped_column(Text)
    exporter_country: Mapped[str | None] = mapped_column(String(2))
    exporter_authorisation: Mapped[str | None] = mapped_column(String(60))
    producer_name: Mapped[str | None] = mapped_column(String(200))
    importer_name: Mapped[str | None] = mapped_column(String(200))
    importer_address: Mapped[str | None] = mapped_column(Text)
    importer_country: Mapped[str | None] = mapped_column(String(2))
    certifier_role: Mapped[str | None] = mapped_column(String(20))
    certifier_name: Mapped[str | None] = mapped_column(String(200))
    origin_country: Mapped[str | None] = mapped_column(String(2))
    origin_criterion: Mapped[str | None] = mapped_column(String(20))
    invoice_reference: Mapped[str | None] = mapped_column(String(60))
    invoice_date: Mapped[date | None] = mapped_column(Date)
    blanket_from: Mapped[date | None] = mapped_column(Date)
    blanket_to: Mapped[date | None] = mapped_column(Date)
    place: Mapped[str | None] = mapped_column(String(100))
    signatory: Mapped[str | None] = mapped_column(String(200))
    remarks: Mapped[str | None] = mapped_column(Text)
    declaration_text: Mapped[str | None] = mapped_column(Text)
    transport: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    elements: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reading: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    document_name: Mapped[str | None] = mapped_column(String(200))
    document_sha256: Mapped[str | None] = mapped_column(String(64))
    # how it reached Clearway: "fields" (JSON), "document" (read from a file), "electronic" (e-CO data exchange)
    channel: Mapped[str | None] = mapped_column(String(20))
    company_id: Mapped[int | None] = mapped_column(ForeignKey("company.id"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    items: Mapped[list[OriginCertificateItem]] = relationship(
        back_populates="certificate",
        order_by="OriginCertificateItem.position",
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    __table_args__ = (
        UniqueConstraint("agreement", "reference"),
        Index("ix_origin_certificate_reference", "reference"),
        # one certificate number per issuing country (NULLs are distinct: a self-certification has no issuer)
        UniqueConstraint("issuing_country", "reference", name="uq_origin_certificate_issuer_reference"),
    )


class OriginCertificateItem(Base):
    __tablename__ = "origin_certificate_item"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    certificate_id: Mapped[int] = mapped_column(
        ForeignKey("origin_certificate.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    item_number: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text, default="")
    hs6: Mapped[str | None] = mapped_column(String(6), index=True)
    quantity: Mapped[Decimal | None] = mapped_column(Money)
    unit: Mapped[str | None] = mapped_column(String(10))
    gross_weight_kg: Mapped[Decimal | None] = mapped_column(Money)
    origin_criterion: Mapped[str | None] = mapped_column(String(20))
    origin_country: Mapped[str | None] = mapped_column(String(2))
    value: Mapped[Decimal | None] = mapped_column(Money)
    marks: Mapped[str | None] = mapped_column(String(200))
    hs_version: Mapped[str | None] = mapped_column(
        String(10)
    )  # the HS edition hs6 is written in (HS2017 ...)

    certificate: Mapped[OriginCertificate] = relationship(back_populates="items")


class OriginDrawdown(Base):
    """A declaration line's use of a certificate item's quantity (in the certificate's unit).

    Written when a filed version's claim is granted; the quantity counts against the certificate only while
    the row belongs to the declaration's current version and the declaration is neither cancelled nor rejected,
    so an amendment replaces it and a withdrawal gives it back without touching the ledger."""

    __tablename__ = "origin_drawdown"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    certificate_id: Mapped[int] = mapped_column(
        ForeignKey("origin_certificate.id", ondelete="CASCADE"), index=True
    )
    certificate_item_id: Mapped[int] = mapped_column(
        ForeignKey("origin_certificate_item.id", ondelete="CASCADE"), index=True
    )
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declaration.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    line_number: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[Decimal] = mapped_column(Money)
    unit: Mapped[str | None] = mapped_column(String(10))
    drawn_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint(
            "certificate_item_id", "declaration_id", "version", "line_number", name="uq_origin_drawdown_use"
        ),
    )


class OriginVerificationCase(Base):
    """A request to the exporting country's authority to verify a certificate (원산지 국제공조 검증 요청).

    open → sent → answered (confirmed | denied) → closed. A denied answer withdraws the certificate and
    re-assesses the declarations that rely on it."""

    __tablename__ = "origin_verification_case"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("origin_certificate.id"), index=True)
    declaration_id: Mapped[int | None] = mapped_column(ForeignKey("declaration.id"))
    line_number: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), index=True)
    authority_country: Mapped[str | None] = mapped_column(String(2))
    grounds: Mapped[str] = mapped_column(Text)
    questions: Mapped[list[str]] = mapped_column(JSON, default=list)
    sent_reference: Mapped[str | None] = mapped_column(String(60))
    result: Mapped[str | None] = mapped_column(String(20))  # confirmed | denied
    answer: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # what a denial changed
    opened_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
