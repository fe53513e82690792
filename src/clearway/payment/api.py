"""Payment endpoints: the order, paying it at the (simulated) bank, the bank's signed callback and the daily
reconciliation for customs."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Header

from clearway.errors import Forbidden
from clearway.identity.core import Scope
from clearway.payment import service
from clearway.payment.core import callback_secret
from clearway.payment.schemas import (
    BankPaymentRequest,
    PaymentOrderRead,
    PaymentOutcomeRead,
    ReceiptRead,
    ReconciliationRead,
)
from clearway.web.deps import PrincipalDep, ResourceId, RuntimeDep, SessionDep

router = APIRouter(tags=["payments"])


@router.get(
    "/declarations/{declaration_id}/payment-order",
    response_model=PaymentOrderRead,
    summary="The payment order (전자납부번호, amount, status) issued on acceptance",
)
def payment_order(
    declaration_id: ResourceId, session: SessionDep, principal: PrincipalDep, runtime: RuntimeDep
) -> PaymentOrderRead:
    runtime.declarations.get(session, principal, declaration_id)  # scope and access
    return PaymentOrderRead.of(
        service.open_order(session, declaration_id), service.receipts(session, declaration_id)
    )


@router.post(
    "/declarations/{declaration_id}/payment-order/pay",
    response_model=PaymentOutcomeRead,
    summary="Pay the order at the local bank simulator, which confirms through the signed callback",
)
def pay_at_bank(
    declaration_id: ResourceId,
    session: SessionDep,
    principal: PrincipalDep,
    runtime: RuntimeDep,
    body: Annotated[BankPaymentRequest | None, Body()] = None,
) -> PaymentOutcomeRead:
    principal.require_scope(Scope.DECLARATIONS_WRITE)
    runtime.declarations.owned(session, principal, declaration_id)
    bank = service.simulator(session, callback_secret(runtime.settings.secret_key), runtime.clock)
    outcome = service.pay(bank, session, declaration_id, body.amount_krw if body else None)
    return PaymentOutcomeRead(
        applied=outcome.applied, message=outcome.message, receipt=ReceiptRead.of(outcome.receipt)
    )


@router.post(
    "/payments/callback",
    response_model=PaymentOutcomeRead,
    summary="The bank's confirmation, signed with HMAC-SHA256 in X-Clearway-Signature",
)
def bank_callback(
    body: Annotated[dict[str, Any], Body()],
    session: SessionDep,
    runtime: RuntimeDep,
    signature: Annotated[str, Header(alias="X-Clearway-Signature", max_length=128)] = "",
) -> PaymentOutcomeRead:
    """Authenticated by the signature, not a user credential: only the bank holds the shared key."""
    outcome = service.receive(
        session, callback_secret(runtime.settings.secret_key), body, signature, runtime.clock()
    )
    return PaymentOutcomeRead(
        applied=outcome.applied, message=outcome.message, receipt=ReceiptRead.of(outcome.receipt)
    )


@router.get(
    "/payments/reconciliation",
    response_model=ReconciliationRead,
    summary="Assessed (orders issued that day) against paid (bank receipts), for customs",
)
def reconciliation(day: date, session: SessionDep, principal: PrincipalDep) -> ReconciliationRead:
    principal.require_scope(Scope.DECLARATIONS_READ)
    if not principal.is_customs:
        raise Forbidden("reconciliation is for customs")
    return ReconciliationRead(day=day, report=service.reconciliation(session, day).as_dict())
