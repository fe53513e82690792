"""Traveller tables: the carriers' passenger messages (their acknowledgements) and the passengers on flights.

A passenger row is identified on a flight (number + arrival date) by ``passenger_key`` (the travel document's
issuer and number); a later message updates it and bumps ``version``. ``masked_at`` is set when the
identifying fields were masked after the masking period (the key then becomes ``masked:<id>``); rows are
deleted after the retention period.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from clearway.db import Base


class TravellerMessage(Base):
    __tablename__ = "traveller_message"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[str] = mapped_column(String(64), unique=True)
    carrier: Mapped[str] = mapped_column(String(3))
    flight_number: Mapped[str] = mapped_column(String(8))
    arrival_date: Mapped[date] = mapped_column(Date)
    received_at: Mapped[datetime]
    received_by: Mapped[str] = mapped_column(String(80))
    acknowledgement: Mapped[dict[str, Any]] = mapped_column(JSON)


class TravellerPassenger(Base):
    __tablename__ = "traveller_passenger"
    __table_args__ = (UniqueConstraint("flight_number", "arrival_date", "passenger_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    flight_number: Mapped[str] = mapped_column(String(8), index=True)
    arrival_date: Mapped[date] = mapped_column(Date, index=True)
    passenger_key: Mapped[str] = mapped_column(String(40))
    carrier: Mapped[str] = mapped_column(String(3))
    departure_port: Mapped[str] = mapped_column(String(3))
    arrival_port: Mapped[str] = mapped_column(String(3))
    scheduled_arrival: Mapped[datetime]
    api: Mapped[dict[str, Any]] = mapped_column(JSON)
    pnr: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer)
    last_message_id: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    masked_at: Mapped[datetime | None]


class TravellerWatchlist(Base):
    """One loaded version of a named watchlist of persons; screening uses the newest version of each name."""

    __tablename__ = "traveller_watchlist"
    __table_args__ = (UniqueConstraint("name", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    version: Mapped[int] = mapped_column(Integer)
    entry_count: Mapped[int] = mapped_column(Integer)
    loaded_at: Mapped[datetime]
    loaded_by: Mapped[str] = mapped_column(String(80))


class TravellerWatchEntry(Base):
    __tablename__ = "traveller_watch_entry"
    __table_args__ = (UniqueConstraint("watchlist_id", "entry_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    watchlist_id: Mapped[int] = mapped_column(
        ForeignKey("traveller_watchlist.id", ondelete="CASCADE"), index=True
    )
    entry_id: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[list[str]] = mapped_column(JSON)
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    nationality: Mapped[str | None] = mapped_column(String(3))
    reason: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(200))


class TravellerHit(Base):
    """A passenger matched a watchlist entry: the score, why, and the officer's decision.

    ``person_ref`` is a SHA-256 digest of the passenger's document key (not the key itself), so a clearance
    can outlive the passenger row without keeping the document number.
    """

    __tablename__ = "traveller_hit"
    __table_args__ = (UniqueConstraint("passenger_id", "watchlist", "entry_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    passenger_id: Mapped[int] = mapped_column(
        ForeignKey("traveller_passenger.id", ondelete="CASCADE"), index=True
    )
    person_ref: Mapped[str] = mapped_column(String(64))
    watchlist: Mapped[str] = mapped_column(String(80))
    list_version: Mapped[int] = mapped_column(Integer)
    entry_id: Mapped[str] = mapped_column(String(40))
    score: Mapped[float] = mapped_column(Float)
    name_score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[str]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10))  # open, confirmed, cleared
    raised_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[str | None] = mapped_column(String(80))
    note: Mapped[str | None] = mapped_column(String(500))


class TravellerClearance(Base):
    """An officer cleared a false hit: the same person (by ``person_ref``) is not raised again on this entry."""

    __tablename__ = "traveller_clearance"
    __table_args__ = (UniqueConstraint("person_ref", "watchlist", "entry_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_ref: Mapped[str] = mapped_column(String(64))
    watchlist: Mapped[str] = mapped_column(String(80))
    entry_id: Mapped[str] = mapped_column(String(40))
    cleared_at: Mapped[datetime]
    cleared_by: Mapped[str] = mapped_column(String(80))


class TravellerCheck(Base):
    """The result of an officer's check of a passenger at the gate: what the traveller risk model learns from.

    ``features`` is the passenger's feature snapshot at check time (no names or document numbers), so the
    training data outlives the masking and deletion of the passenger row (``passenger_id`` becomes NULL).
    """

    __tablename__ = "traveller_check"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    passenger_id: Mapped[int | None] = mapped_column(
        ForeignKey("traveller_passenger.id", ondelete="SET NULL"), index=True
    )
    flight_number: Mapped[str] = mapped_column(String(8))
    arrival_date: Mapped[date] = mapped_column(Date, index=True)
    found: Mapped[bool]
    finding: Mapped[str] = mapped_column(String(500))
    features: Mapped[dict[str, Any]] = mapped_column(JSON)
    selected_by: Mapped[str] = mapped_column(String(20))  # rule, model, exploration, hit, officer
    checked_at: Mapped[datetime]
    checked_by: Mapped[str] = mapped_column(String(80))


class TravellerDeclarationRecord(Base):
    """A traveller's own declaration (여행자 휴대품 신고) with its computed duty, joined to the passenger's record
    when advance passenger data names the same document on the same flight. Deleted with the passenger data."""

    __tablename__ = "traveller_declaration"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    passenger_id: Mapped[int | None] = mapped_column(
        ForeignKey("traveller_passenger.id", ondelete="CASCADE"), index=True
    )
    flight_number: Mapped[str] = mapped_column(String(8))
    arrival_date: Mapped[date] = mapped_column(Date, index=True)
    document_ref: Mapped[str] = mapped_column(String(64), index=True)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    total_krw: Mapped[Decimal]
    submitted_at: Mapped[datetime]


class TravellerRule(Base):
    """An analyst's traveller selection rule: a condition of the risk engine's language over traveller facts.
    Used with the built-in rules (``clearway.traveller.risk.DEFAULT_RULES``) while ``active``."""

    __tablename__ = "traveller_rule"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    description: Mapped[str] = mapped_column(String(300))
    condition: Mapped[dict[str, Any]] = mapped_column(JSON)
    active: Mapped[bool]
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(80))
