"""Issuing the payment order when a declaration is accepted (shell; called by the lifecycle's step)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from clearway.payment.core import payment_number
from clearway.payment.models import PaymentOrder


def issue(
    session: Session,
    *,
    declaration_id: int,
    version: int,
    amount_krw: Decimal | None,
    on: date,
    now: datetime,
    stored: bool = True,
) -> PaymentOrder:
    """The order for this version (one per version; an earlier version's open order is voided).

    ``stored=False`` when the declaration row is not stored yet (the batch path inserts its declarations in bulk
    after the filing steps and flushes the rows the steps added afterwards): no order can refer to it yet, so
    there is nothing to look up, and flushing the order first would break its foreign key and send the whole
    batch down the one-at-a-time path."""
    if stored:
        for old in session.scalars(
            select(PaymentOrder).where(
                PaymentOrder.declaration_id == declaration_id, PaymentOrder.status == "open"
            )
        ):
            old.status = "void"
        existing = session.scalar(
            select(PaymentOrder).where(
                PaymentOrder.declaration_id == declaration_id, PaymentOrder.version == version
            )
        )
        if existing is not None:
            return existing
    order = PaymentOrder(
        declaration_id=declaration_id,
        version=version,
        number=payment_number(declaration_id, version, on.year),
        amount_krw=amount_krw or Decimal(0),
        status="open",
        issued_on=on,
        created_at=now,
    )
    session.add(order)
    if stored:
        session.flush()
    return order


def current(session: Session, declaration_id: int) -> PaymentOrder | None:
    return session.scalar(
        select(PaymentOrder)
        .where(PaymentOrder.declaration_id == declaration_id)
        .order_by(PaymentOrder.version.desc())
    )
