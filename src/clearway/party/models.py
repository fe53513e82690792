from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from clearway.db import Base, UTCDateTime


class Mandate(Base):
    """A client company's mandate (위임) for a customs broker to file its declarations."""

    __tablename__ = "mandate"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    broker_company_id: Mapped[int] = mapped_column(ForeignKey("company.id"))
    client_company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), index=True)
    scope: Mapped[str] = mapped_column(String(10))  # import | export | both
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    recorded_by: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_on: Mapped[date | None] = mapped_column(Date)
    revoked_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    revoke_reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_mandate_broker", "broker_company_id", "valid_from"),)
