"""Tables of the IPR domain: recordings (지식재산권 신고), holds (통관보류) and the evidence either side submits."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from clearway.db import Base, Money, UTCDateTime


class IprRecording(Base):
    """A right holder's trademark recorded with customs; screening uses it once an officer approved it."""

    __tablename__ = "ipr_recording"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    holder_company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), index=True)
    registration_office: Mapped[str] = mapped_column(String(20))
    registration_number: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), index=True)
    marks: Mapped[list[str]] = mapped_column(JSON)
    nice_classes: Mapped[list[int]] = mapped_column(JSON)
    hs_scopes: Mapped[list[str]] = mapped_column(JSON)
    authorised_brns: Mapped[list[str]] = mapped_column(JSON)
    genuine_origins: Mapped[list[str]] = mapped_column(JSON)
    price_bands: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    parallel_imports_allowed: Mapped[bool] = mapped_column(Boolean)
    genuine_features: Mapped[str | None] = mapped_column(Text)
    contact_email: Mapped[str] = mapped_column(String(200))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    review_note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("registration_office", "registration_number"),)


class IprHold(Base):
    """A goods line of a declaration held on suspicion of infringing a recorded right (관세법 제235조)."""

    __tablename__ = "ipr_hold"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declaration.id"))
    version: Mapped[int] = mapped_column(Integer)
    line_number: Mapped[int] = mapped_column(Integer)
    recording_id: Mapped[int] = mapped_column(ForeignKey("ipr_recording.id"), index=True)
    status: Mapped[str] = mapped_column(String(30), index=True)
    score: Mapped[float | None] = mapped_column(Float)
    signals: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    officer_reason: Mapped[str] = mapped_column(Text)
    customs_value_krw: Mapped[Decimal | None] = mapped_column(Money)
    notified_on: Mapped[date] = mapped_column(Date)
    answer_due: Mapped[date] = mapped_column(Date, index=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    opened_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    answer: Mapped[str | None] = mapped_column(String(20))
    answer_note: Mapped[str | None] = mapped_column(Text)
    security_krw: Mapped[Decimal | None] = mapped_column(Money)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    decision_note: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    __table_args__ = (Index("ix_ipr_hold_declaration_status", "declaration_id", "status"),)


class IprEvidence(Base):
    """What the right holder or the importer submitted about a hold."""

    __tablename__ = "ipr_evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    hold_id: Mapped[int] = mapped_column(ForeignKey("ipr_hold.id"), index=True)
    party: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    text: Mapped[str] = mapped_column(Text)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
