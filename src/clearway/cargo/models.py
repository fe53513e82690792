"""Cargo tables: manifests and their versions, house bills (one row per bill, with its screening), bonded
storage events and customs holds."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from clearway.db import Base, Money, UTCDateTime


class CargoManifest(Base):
    __tablename__ = "cargo_manifest"
    __table_args__ = (UniqueConstraint("company_id", "reference"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), index=True)
    submitted_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    reference: Mapped[str] = mapped_column(String(35))
    mrn: Mapped[str] = mapped_column(String(11), unique=True)
    mode: Mapped[str] = mapped_column(String(5))
    carrier_code: Mapped[str] = mapped_column(String(4))
    voyage_number: Mapped[str] = mapped_column(String(17))
    vessel_name: Mapped[str | None] = mapped_column(String(200))
    imo: Mapped[str | None] = mapped_column(String(7))
    port_of_loading: Mapped[str] = mapped_column(String(5))
    port_of_discharge: Mapped[str] = mapped_column(String(5), index=True)
    departure_date: Mapped[date] = mapped_column(Date)
    arrival_date: Mapped[date] = mapped_column(Date, index=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12))  # submitted | arrived
    arrived_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CargoManifestVersion(Base):
    __tablename__ = "cargo_manifest_version"
    __table_args__ = (UniqueConstraint("manifest_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    manifest_id: Mapped[int] = mapped_column(ForeignKey("cargo_manifest.id"))
    version: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(10))  # json | cuscar
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CargoHouseBill(Base):
    """A house bill as the current manifest version gives it; its CCN (화물관리번호) never changes."""

    __tablename__ = "cargo_house_bill"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    manifest_id: Mapped[int] = mapped_column(ForeignKey("cargo_manifest.id"), index=True)
    ccn: Mapped[str] = mapped_column(String(19), unique=True)
    master_bill: Mapped[str] = mapped_column(String(35), index=True)
    house_bill: Mapped[str] = mapped_column(String(35), unique=True)
    master_seq: Mapped[int] = mapped_column(Integer)
    house_seq: Mapped[int] = mapped_column(Integer)
    shipper_name: Mapped[str] = mapped_column(String(200))
    shipper_key: Mapped[str] = mapped_column(String(220))
    consignee_name: Mapped[str] = mapped_column(String(200))
    consignee_brn: Mapped[str | None] = mapped_column(String(20))
    consignee_key: Mapped[str] = mapped_column(String(220), index=True)
    description: Mapped[str] = mapped_column(Text)
    hs6: Mapped[str | None] = mapped_column(String(6))
    packages: Mapped[int] = mapped_column(Integer)
    package_type: Mapped[str] = mapped_column(String(2))
    gross_weight_kg: Mapped[Decimal] = mapped_column(Money)
    volume_m3: Mapped[Decimal | None] = mapped_column(Money)
    value: Mapped[Decimal | None] = mapped_column(Money)
    currency: Mapped[str | None] = mapped_column(String(3))
    transshipment_ports: Mapped[list[str]] = mapped_column(JSON)
    containers: Mapped[list[str]] = mapped_column(JSON)
    risk_level: Mapped[str] = mapped_column(String(6), index=True)
    risk_score: Mapped[float] = mapped_column(Float)
    risk_action: Mapped[str] = mapped_column(String(10))
    risk_reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON)


class CargoStorageEvent(Base):
    """Carry-in (반입) or carry-out (반출) of a house bill at a bonded area."""

    __tablename__ = "cargo_storage_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    house_bill_id: Mapped[int] = mapped_column(ForeignKey("cargo_house_bill.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # carry_in | carry_out
    shed: Mapped[str] = mapped_column(String(8), index=True)
    area_kind: Mapped[str] = mapped_column(String(12))
    event_date: Mapped[date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(String(10))  # carry-out: release | transit | return
    reason_text: Mapped[str | None] = mapped_column(Text)
    declaration_id: Mapped[int | None] = mapped_column(ForeignKey("declaration.id"))
    recorded_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CargoHold(Base):
    """A customs hold or examination order (X-ray scan, physical) on a house bill, and its result."""

    __tablename__ = "cargo_hold"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    house_bill_id: Mapped[int] = mapped_column(ForeignKey("cargo_house_bill.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # hold | xray | physical
    reason: Mapped[str] = mapped_column(Text)
    placed_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    result: Mapped[str | None] = mapped_column(String(20))  # no_irregularity | irregularity
    result_note: Mapped[str | None] = mapped_column(Text)
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
