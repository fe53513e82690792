"""Traveller tables: the carriers' passenger messages (their acknowledgements) and the passengers on flights.

A passenger row is identified on a flight (number + arrival date) by ``passenger_key`` (the travel document's
issuer and number); a later message updates it and bumps ``version``. ``masked_at`` is set when the
identifying fields were masked after the masking period (the key then becomes ``masked:<id>``); rows are
deleted after the retention period.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Integer, String, UniqueConstraint
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
