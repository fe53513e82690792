"""Risk tables: criteria and their versions, watchlists, the selection policy, model versions, lane decisions.

Every change to a criterion, watchlist or policy writes a new row (who, when); nothing is updated in place
except the small pointers (a criterion's current version, a watchlist entry's removal stamp, a model version's
status). ``risk_generation`` is a counter bumped by every change so the lane selector reloads its cached
configuration only when something changed.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from clearway.db import Base


class RiskGeneration(Base):
    __tablename__ = "risk_generation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    generation: Mapped[int] = mapped_column(Integer)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RiskCriterion(Base):
    """A criterion across its versions; ``code`` is the analyst's stable name for it."""

    __tablename__ = "risk_criterion"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    current_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(80))


class RiskCriterionVersion(Base):
    """One immutable version of a criterion: what it was, who wrote it and when."""

    __tablename__ = "risk_criterion_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("risk_criterion.id"))
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    condition: Mapped[dict[str, Any]] = mapped_column(JSON)
    lane: Mapped[str] = mapped_column(String(10))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    random_rate: Mapped[float] = mapped_column(Float)
    expected_rate: Mapped[float | None] = mapped_column(Float)
    active: Mapped[bool] = mapped_column(Boolean)
    changed_by: Mapped[str] = mapped_column(String(80))
    changed_by_user_id: Mapped[int | None] = mapped_column(Integer)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    change_note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("criterion_id", "version"),)


class RiskWatchlist(Base):
    __tablename__ = "risk_watchlist"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    lane: Mapped[str] = mapped_column(String(10))
    description: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    changed_by: Mapped[str] = mapped_column(String(80))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RiskWatchlistEntry(Base):
    """A party on a watchlist; removal is a stamp, so the history of who was listed when stays."""

    __tablename__ = "risk_watchlist_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    watchlist_id: Mapped[int] = mapped_column(ForeignKey("risk_watchlist.id"), index=True)
    field: Mapped[str] = mapped_column(String(20))
    party: Mapped[str] = mapped_column(String(220))
    reason: Mapped[str | None] = mapped_column(Text)
    added_by: Mapped[str] = mapped_column(String(80))
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    removed_by: Mapped[str | None] = mapped_column(String(80))
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RiskPolicy(Base):
    """Versions of the selection policy; the highest version is in force."""

    __tablename__ = "risk_policy"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    red_share: Mapped[float] = mapped_column(Float)
    yellow_share: Mapped[float] = mapped_column(Float)
    exploration_share: Mapped[float] = mapped_column(Float)
    exploration_red_share: Mapped[float] = mapped_column(Float)
    seed: Mapped[str] = mapped_column(String(80))
    changed_by: Mapped[str] = mapped_column(String(80))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RiskModelVersion(Base):
    """A trained model file. ``status``: candidate → promoted (one at a time) → retired."""

    __tablename__ = "risk_model_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[str] = mapped_column(String(60), unique=True)
    file_name: Mapped[str] = mapped_column(String(200))
    file_sha256: Mapped[str] = mapped_column(String(64))
    fingerprint: Mapped[str] = mapped_column(String(64))
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    metrics: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), index=True)
    trained_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    promoted_by: Mapped[str | None] = mapped_column(String(80))
    promoted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    note: Mapped[str | None] = mapped_column(Text)


class RiskLaneDecision(Base):
    """The selection log: one row per filed declaration version — lane, reasons, and the record scored.

    ``records`` keeps the risk records exactly as they were at filing, so training from the product's own
    inspection results needs only this table and ``inspection_result``.
    """

    __tablename__ = "risk_lane_decision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    declaration_id: Mapped[int] = mapped_column(Integer)
    declaration_version: Mapped[int] = mapped_column(Integer)
    declared_on: Mapped[date] = mapped_column(Date, index=True)
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    lane: Mapped[str] = mapped_column(String(10))
    method: Mapped[str] = mapped_column(String(20))
    score: Mapped[float | None] = mapped_column(Float)
    model_version: Mapped[str | None] = mapped_column(String(60))
    model_lane: Mapped[str | None] = mapped_column(String(10))
    explored: Mapped[bool] = mapped_column(Boolean)
    criteria: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    records: Mapped[list[dict[str, Any]]] = mapped_column(JSON)

    __table_args__ = (
        UniqueConstraint("declaration_id", "declaration_version"),
        Index("ix_risk_lane_decision_model_day", "model_version", "declared_on"),
    )
