"""Payment shell: the filer pays through the gateway, the bank's signed confirmation makes the declaration
paid (exact amount only), and reconciliation compares each day's orders with the receipts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clearway.audit.service import Actor
from clearway.clock import korea_date
from clearway.declaration import repository as declarations
from clearway.declaration.lifecycle import Action, Party
from clearway.declaration.transitions import step
from clearway.errors import Conflict, FieldError, NotFound, Unauthenticated, ValidationFailed
from clearway.payment import orders
from clearway.payment.core import Assessed, Received, Reconciliation, parse_confirmation, reconcile, verify
from clearway.payment.gateway import BankSimulator, PaymentGateway
from clearway.payment.models import PaymentOrder, PaymentReceipt

BANK = Actor("bank")


@dataclass(frozen=True, slots=True)
class Outcome:
    receipt: PaymentReceipt
    applied: bool
    message: str


def receive(session: Session, secret: bytes, body: Any, signature: str, now: datetime) -> Outcome:
    """Take the bank's confirmation: verify its signature, match its number and amount, and pay."""
    confirmation = parse_confirmation(body)
    if not verify(secret, confirmation, signature):
        raise Unauthenticated("the confirmation's signature does not verify")
    earlier = session.scalar(
        select(PaymentReceipt).where(PaymentReceipt.bank_reference == confirmation.bank_reference)
    )
    if earlier is not None:  # the bank repeats a callback it is unsure we received
        if (
            earlier.payment_number != confirmation.payment_number
            or earlier.amount_krw != confirmation.amount_krw
        ):
            raise Conflict("this bank reference was confirmed with other figures")
        return Outcome(earlier, earlier.accepted, "already received")
    order = session.scalar(select(PaymentOrder).where(PaymentOrder.number == confirmation.payment_number))
    applied, note = False, None
    if order is None:
        note = "no payment order has this number"
    elif order.status != "open":
        note = f"the payment order is {order.status}"
    elif confirmation.amount_krw != order.amount_krw:
        note = f"paid {confirmation.amount_krw} KRW against {order.amount_krw} KRW due"
    else:
        applied = True
    receipt = PaymentReceipt(
        order_id=order.id if order else None,
        payment_number=confirmation.payment_number,
        amount_krw=confirmation.amount_krw,
        bank_reference=confirmation.bank_reference,
        bank_paid_at=confirmation.paid_at,
        received_on=korea_date(now),
        received_at=now,
        accepted=applied,
        note=note,
    )
    session.add(receipt)
    session.flush()
    if applied:
        assert order is not None
        declaration = declarations.get(session, order.declaration_id, for_update=True)
        assert declaration is not None
        version = declarations.version(session, declaration.id, order.version)
        assert version is not None
        # The order is marked paid first: the lifecycle reads "paid" from a paid order of this version.
        order.status, order.paid_at = "paid", now
        session.flush()
        step(
            session,
            declaration,
            version,
            Action.PAY,
            actor=BANK,
            at=now,
            party=Party.BANK,
            data={
                "amount_krw": str(confirmation.amount_krw),
                "payment_number": order.number,
                "bank_reference": confirmation.bank_reference,
            },
        )
    session.flush()
    return Outcome(receipt, applied, note or "paid")


def simulator(session: Session, secret: bytes, clock: Callable[[], datetime]) -> BankSimulator:
    """The local bank, calling back in-process into this session's :func:`receive`."""
    return BankSimulator(
        secret, lambda body, signature: receive(session, secret, body, signature, clock()), clock
    )


def open_order(session: Session, declaration_id: int) -> PaymentOrder:
    order = orders.current(session, declaration_id)
    if order is None or order.status == "void":
        raise NotFound(f"declaration {declaration_id} has no payment order yet (it is issued on acceptance)")
    return order


def pay(
    gateway: PaymentGateway, session: Session, declaration_id: int, amount_krw: Decimal | None
) -> Outcome:
    """The filer pays its order at the bank (the gateway calls back into :func:`receive`)."""
    order = open_order(session, declaration_id)
    if order.status != "open":
        raise Conflict(f"the payment order {order.number} is {order.status}")
    amount = order.amount_krw if amount_krw is None else amount_krw
    if amount < 0:
        raise ValidationFailed(
            "an amount is never negative",
            errors=[FieldError("/amount_krw", "must_not_be_negative", "0 or more")],
        )
    confirmation = gateway.pay(order.number, amount)
    receipt = session.scalar(
        select(PaymentReceipt).where(PaymentReceipt.bank_reference == confirmation.bank_reference)
    )
    assert receipt is not None
    return Outcome(receipt, receipt.accepted, receipt.note or "paid")


def receipts(session: Session, declaration_id: int) -> list[PaymentReceipt]:
    return list(
        session.scalars(
            select(PaymentReceipt)
            .join(PaymentOrder, PaymentOrder.id == PaymentReceipt.order_id)
            .where(PaymentOrder.declaration_id == declaration_id)
            .order_by(PaymentReceipt.id)
        )
    )


def reconciliation(session: Session, day: date) -> Reconciliation:
    """Orders issued on ``day`` (Korean date) against every accepted receipt for them, and the day's receipts
    that match no order."""
    issued = list(
        session.scalars(
            select(PaymentOrder).where(PaymentOrder.issued_on == day, PaymentOrder.status != "void")
        )
    )
    numbers = [o.number for o in issued]
    rows = list(
        session.scalars(
            select(PaymentReceipt).where(
                (PaymentReceipt.payment_number.in_(numbers) & PaymentReceipt.accepted.is_(True))
                | ((PaymentReceipt.received_on == day) & PaymentReceipt.order_id.is_(None))
            )
        )
    )
    return reconcile(
        [Assessed(o.number, o.declaration_id, o.amount_krw, settled=o.status == "paid") for o in issued],
        [Received(r.payment_number, r.amount_krw, r.bank_reference) for r in rows],
    )
