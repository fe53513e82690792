"""API shapes of payment."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from clearway.payment.core import display_number
from clearway.payment.models import PaymentOrder, PaymentReceipt


class ReceiptRead(BaseModel):
    payment_number: str
    amount_krw: Decimal
    bank_reference: str
    received_at: datetime
    accepted: bool
    note: str | None

    @classmethod
    def of(cls, r: PaymentReceipt) -> ReceiptRead:
        return cls(
            payment_number=r.payment_number,
            amount_krw=r.amount_krw,
            bank_reference=r.bank_reference,
            received_at=r.received_at,
            accepted=r.accepted,
            note=r.note,
        )


class PaymentOrderRead(BaseModel):
    declaration_id: int
    version: int
    payment_number: str = Field(description="전자납부번호 (16 digits, the last a Luhn check digit)")
    payment_number_display: str
    amount_krw: Decimal
    status: str = Field(description="open, paid or void (superseded by an amendment)")
    issued_on: date
    paid_at: datetime | None
    receipts: list[ReceiptRead] = Field(default_factory=list)

    @classmethod
    def of(cls, o: PaymentOrder, receipts: list[PaymentReceipt] | None = None) -> PaymentOrderRead:
        return cls(
            declaration_id=o.declaration_id,
            version=o.version,
            payment_number=o.number,
            payment_number_display=display_number(o.number),
            amount_krw=o.amount_krw,
            status=o.status,
            issued_on=o.issued_on,
            paid_at=o.paid_at,
            receipts=[ReceiptRead.of(r) for r in receipts or [] if r.order_id == o.id],
        )


class BankPaymentRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount_krw: Decimal | None = Field(
        None,
        ge=0,
        le=Decimal("1e13"),
        decimal_places=0,
        description="What the bank transfers; the amount due when left out",
    )


class PaymentOutcomeRead(BaseModel):
    applied: bool = Field(description="True when the confirmation made the declaration paid")
    message: str
    receipt: ReceiptRead


class ReconciliationRead(BaseModel):
    day: date
    report: dict[str, Any]
