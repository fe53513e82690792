"""Personal customs codes, parcel lists, parcels, holder notifications and bulk-reissue jobs.

Personal data is never stored in clear: ``*_enc`` columns hold Fernet tokens, ``*_index`` columns HMAC blind
indexes (see :mod:`clearway.parcel.protection`), ``*_masked`` columns what lists and pages may show.
``active_person_index`` equals ``person_index`` while the code is active and is NULL otherwise, so the unique
constraint on it allows exactly one active code per person on every database.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from clearway.db import Base, Money, UTCDateTime


class PersonalCode(Base):
    __tablename__ = "personal_code"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code_index: Mapped[str] = mapped_column(String(64), unique=True)
    code_enc: Mapped[str] = mapped_column(Text)
    code_masked: Mapped[str] = mapped_column(String(20))
    person_index: Mapped[str] = mapped_column(String(64), index=True)
    active_person_index: Mapped[str | None] = mapped_column(String(64), unique=True)
    name_enc: Mapped[str] = mapped_column(Text)
    name_masked: Mapped[str] = mapped_column(String(100))
    phone_enc: Mapped[str] = mapped_column(Text)
    phone_masked: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(12))  # active | suspended | reissued
    status_reason: Mapped[str | None] = mapped_column(String(200))
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("personal_code.id"))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ParcelList(Base):
    """One carrier submission: every item's outcome is kept here, accepted or not (nothing is lost)."""

    __tablename__ = "parcel_list"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    carrier_company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), index=True)
    reference: Mapped[str] = mapped_column(String(60))
    carrier_kind: Mapped[str] = mapped_column(String(10))  # express | post
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    counts: Mapped[dict[str, Any]] = mapped_column(JSON)
    results: Mapped[list[dict[str, Any]]] = mapped_column(JSON)


class Parcel(Base):
    __tablename__ = "parcel"
    __table_args__ = (
        Index("ix_parcel_code_id_arrival_date", "code_id", "arrival_date"),
        Index("ix_parcel_status", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    house_bill: Mapped[str] = mapped_column(String(35), unique=True)
    carrier_company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), index=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("parcel_list.id"), index=True)
    code_id: Mapped[int] = mapped_column(ForeignKey("personal_code.id"))
    address_enc: Mapped[str] = mapped_column(Text)
    arrival_date: Mapped[date] = mapped_column(Date)
    dispatch_country: Mapped[str] = mapped_column(String(2))
    shop: Mapped[str | None] = mapped_column(String(200))
    weight_kg: Mapped[Decimal | None] = mapped_column(Money())
    goods_usd: Mapped[Decimal] = mapped_column(Money())
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    route: Mapped[str] = mapped_column(String(12))  # list | simplified | general
    status: Mapped[str] = mapped_column(String(24))
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    signals: Mapped[list[str]] = mapped_column(JSON)
    duty_krw: Mapped[Decimal | None] = mapped_column(Money())
    assessment: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    dispute: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    screening: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # lane, method, score, reasons, IP hits
    inspection: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # check (xray|inspection), result
    simplified: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # the simplified declaration (간이신고)
    declaration_id: Mapped[int | None] = mapped_column(ForeignKey("declaration.id"), index=True)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ParcelNotification(Base):
    """The transactional outbox of messages to code holders: written with the change, delivered later."""

    __tablename__ = "parcel_notification"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code_id: Mapped[int] = mapped_column(ForeignKey("personal_code.id"), index=True)
    parcel_id: Mapped[int | None] = mapped_column(ForeignKey("parcel.id"), index=True)
    event: Mapped[str] = mapped_column(String(30))
    body: Mapped[dict[str, Any]] = mapped_column(JSON)  # masked: no name, phone or full code
    status: Mapped[str] = mapped_column(String(12), index=True)  # pending | delivered
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CodeReissueJob(Base):
    """A bulk reissue (a leak response): the codes to reissue (as blind indexes), progress and the report."""

    __tablename__ = "code_reissue_job"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    reason: Mapped[str] = mapped_column(String(200))
    requested_by: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(12))  # running | done
    code_indexes: Mapped[list[str]] = mapped_column(JSON)
    processed: Mapped[int] = mapped_column(Integer)
    report: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
