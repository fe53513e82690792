"""Materialised trade statistics: one cell per (month, kind, HS10, country, office, mode, company), refreshed
incrementally from each declaration's stored contribution (``trade_stat_source``).

Measures are integers at a fixed scale so that SQL sums are exact on every database: won, US cents, and
quantity and net mass in ten-thousandths (the four decimals a declaration keeps).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from clearway.db import Base, UTCDateTime
from clearway.statistics.core import CELL_KEYS, FTA_KEYS


class CellMeasures:
    """The measures of a cell (``CELL_MEASURES``), and of a rollup row, which sums them."""

    declarations: Mapped[int] = mapped_column(Integer)
    lines: Mapped[int] = mapped_column(Integer)
    value_krw: Mapped[int] = mapped_column(BigInteger)
    value_usd_cents: Mapped[int] = mapped_column(BigInteger)
    quantity_e4: Mapped[int] = mapped_column(BigInteger)
    net_mass_e4: Mapped[int] = mapped_column(BigInteger)
    duty_krw: Mapped[int] = mapped_column(BigInteger)
    taxes_krw: Mapped[int] = mapped_column(BigInteger)
    green: Mapped[int] = mapped_column(Integer)
    blue: Mapped[int] = mapped_column(Integer)
    yellow: Mapped[int] = mapped_column(Integer)
    red: Mapped[int] = mapped_column(Integer)
    checked: Mapped[int] = mapped_column(Integer)
    hits: Mapped[int] = mapped_column(Integer)


class TradeStatCell(CellMeasures, Base):
    __tablename__ = "trade_stat_cell"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(6))
    hs10: Mapped[str] = mapped_column(String(10))
    country: Mapped[str] = mapped_column(String(2))
    office: Mapped[str] = mapped_column(String(10))
    mode: Mapped[str] = mapped_column(String(10))
    company_id: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        UniqueConstraint(*CELL_KEYS, name="uq_trade_stat_cell_key"),
        Index("ix_trade_stat_cell_kind_month", "kind", "month"),
        Index("ix_trade_stat_cell_company", "company_id", "month"),
    )


class TradeStatFta(Base):
    __tablename__ = "trade_stat_fta"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[date] = mapped_column(Date)
    agreement: Mapped[str] = mapped_column(String(12))
    company_id: Mapped[int] = mapped_column(Integer)
    eligible_lines: Mapped[int] = mapped_column(Integer)
    eligible_value_krw: Mapped[int] = mapped_column(BigInteger)
    claimed_lines: Mapped[int] = mapped_column(Integer)
    claimed_value_krw: Mapped[int] = mapped_column(BigInteger)
    granted_lines: Mapped[int] = mapped_column(Integer)
    granted_value_krw: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (UniqueConstraint(*FTA_KEYS, name="uq_trade_stat_fta_key"),)


class TradeStatSource(Base):
    """What one declaration contributes now (its cells and FTA rows), so a change is applied as a delta."""

    __tablename__ = "trade_stat_source"

    declaration_id: Mapped[int] = mapped_column(ForeignKey("declaration.id"), primary_key=True)
    state: Mapped[str] = mapped_column(String(64))
    contribution: Mapped[dict[str, Any]] = mapped_column(JSON)


class TradeStatState(Base):
    """The refresh job's watermark (one row)."""

    __tablename__ = "trade_stat_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    watermark: Mapped[datetime | None] = mapped_column(UTCDateTime)
    refreshed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sources: Mapped[int] = mapped_column(Integer)


ROLLUP_DIMS = ("hs2", "hs4", "hs6", "hs10", "country", "office", "mode")


class TradeStatRollup(CellMeasures, Base):
    """The cells summed over companies per (kind, month, dimension, key): what a published query reads.

    ``companies`` is the exact number of companies in the month's cell and ``company_a``/``company_b`` the
    smallest and largest of them, so that across months the rule "fewer than 3 companies" is still decided
    exactly (when every month has at most two, {a, b} are all of them). Rebuilt per month from the cells by the
    refresh job for the months it touched; the quarters and years holding them (``span`` 3 and 12, ``month``
    their first month) are then rebuilt from the month rows, so a query over a year reads one row per key.
    """

    __tablename__ = "trade_stat_rollup"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(6))
    month: Mapped[date] = mapped_column(Date)  # the period's first month
    span: Mapped[int] = mapped_column(Integer, server_default="1")  # months: 1, 3 (quarter) or 12 (year)
    dim: Mapped[str] = mapped_column(String(8))
    key: Mapped[str] = mapped_column(String(10))
    companies: Mapped[int] = mapped_column(Integer)
    company_a: Mapped[int] = mapped_column(Integer)
    company_b: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_trade_stat_rollup_period", "dim", "kind", "span", "month", "key"),
        Index("ix_trade_stat_rollup_rebuild", "kind", "span", "month"),  # the refresh job's rebuilds
    )
