"""Payment orders (납부고지) and the bank's receipts."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from clearway.db import Base, Money, UTCDateTime


class PaymentOrder(Base):
    """What is to be paid for one version of a declaration, under its electronic payment number."""

    __tablename__ = "payment_order"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("declaration.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    amount_krw: Mapped[Decimal] = mapped_column(Money)
    status: Mapped[str] = mapped_column(String(10), index=True)  # open | paid | void
    issued_on: Mapped[date] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PaymentReceipt(Base):
    """A confirmation the bank sent (signature verified); ``accepted`` is False when its amount did not match."""

    __tablename__ = "payment_receipt"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("payment_order.id"), index=True)
    payment_number: Mapped[str] = mapped_column(String(16), index=True)
    amount_krw: Mapped[Decimal] = mapped_column(Money)
    bank_reference: Mapped[str] = mapped_column(String(60), unique=True)
    bank_paid_at: Mapped[str] = mapped_column(String(60))
    received_on: Mapped[date] = mapped_column(Date, index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(Text)
