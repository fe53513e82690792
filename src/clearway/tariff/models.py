"""Tariff tables: where each load came from, rate measures, internal-tax rules, exchange rates, parameters.

Every row carries its validity dates and the load (``tariff_source``) it came from, so an assessment can say
which file a rate was read from, and DEMO DATA is never mistaken for an official rate.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from clearway.db import Base, Money, UTCDateTime


class TariffSource(Base):
    """One load: an official file, the bundled data, the demo set, or an administrator's correction."""

    __tablename__ = "tariff_source"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    label: Mapped[str] = mapped_column(String(300))
    country: Mapped[str] = mapped_column(String(2))
    file_name: Mapped[str | None] = mapped_column(String(300))
    sha256: Mapped[str | None] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer)
    demo: Mapped[bool] = mapped_column(Boolean)
    attribution: Mapped[str | None] = mapped_column(Text)
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    loaded_by: Mapped[str | None] = mapped_column(String(100))
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TariffMeasure(Base):
    """A rate for one commodity code (관세율표의 한 행): rate code, area, duty expression, validity."""

    __tablename__ = "tariff_measure"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("tariff_source.id", ondelete="CASCADE"), index=True)
    country: Mapped[str] = mapped_column(String(2))
    commodity_code: Mapped[str] = mapped_column(String(10))
    rate_code: Mapped[str] = mapped_column(String(16))
    geo_area: Mapped[str] = mapped_column(String(20))
    excluded: Mapped[list[str] | None] = mapped_column(JSON)
    expression: Mapped[dict[str, Any]] = mapped_column(JSON)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    reference_price: Mapped[Decimal | None] = mapped_column(Money)
    country_type: Mapped[str | None] = mapped_column(String(8))
    use_type: Mapped[str | None] = mapped_column(String(20))
    order_number: Mapped[str | None] = mapped_column(String(20))
    additional_code: Mapped[str | None] = mapped_column(String(20))
    conditional: Mapped[bool] = mapped_column(Boolean)
    demo: Mapped[bool] = mapped_column(Boolean)
    sid: Mapped[int | None] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"))
    description: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_tariff_measure_code_from", "commodity_code", "valid_from"),)


class TariffInternalTaxRule(Base):
    """An internal-tax rule (개별소비세, 주세, 교통·에너지·환경세, VAT exemption) for codes by prefix."""

    __tablename__ = "tariff_internal_tax_rule"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("tariff_source.id", ondelete="CASCADE"), index=True)
    country: Mapped[str] = mapped_column(String(2))
    rule_id: Mapped[str] = mapped_column(String(60), index=True)
    tax: Mapped[str] = mapped_column(String(40))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(30))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)  # the whole rule (InternalTaxRule.as_dict)


class TariffExchangeRate(Base):
    """과세환율: KRW per ``per`` units of a currency, for a Sunday-to-Saturday week."""

    __tablename__ = "tariff_exchange_rate"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("tariff_source.id", ondelete="CASCADE"), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    rate_krw: Mapped[Decimal] = mapped_column(Money)
    per: Mapped[int] = mapped_column(Integer)
    valid_from: Mapped[date] = mapped_column(Date, index=True)
    valid_to: Mapped[date] = mapped_column(Date)
    demo: Mapped[bool] = mapped_column(Boolean)

    __table_args__ = (UniqueConstraint("currency", "valid_from"),)


class TariffParameter(Base):
    """A dated assessment parameter (VAT rate, rounding, minimum collection, de minimis, allowance ...)."""

    __tablename__ = "tariff_parameter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("tariff_source.id", ondelete="CASCADE"), index=True)
    country: Mapped[str] = mapped_column(String(2))
    key: Mapped[str] = mapped_column(String(80), index=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(30))
    legal_basis: Mapped[str] = mapped_column(Text)
    sources: Mapped[list[str] | None] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text)


class TariffGeneration(Base):
    """One row whose token changes with every change to the tariff tables, so every process knows when its
    cached tariff is stale (one cheap read per transaction instead of re-reading the tariff)."""

    __tablename__ = "tariff_generation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(32))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
