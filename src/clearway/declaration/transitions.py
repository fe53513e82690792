"""Apply a lifecycle step to stored rows and record it in the audit trail (shell around lifecycle.advance).

The :class:`~clearway.declaration.lifecycle.Case` the rules decide on is built here from the stored rows: the
version's status and lane, whether an inspection result was recorded, whether the bank confirmed payment,
the filer's pending request and whether a hold stands (:mod:`clearway.declaration.holds`).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import exists, inspect, select
from sqlalchemy.orm import Session

from clearway.audit.service import Actor, record
from clearway.clock import korea_date
from clearway.declaration.lifecycle import Action, Case, Lane, Party, Status, advance
from clearway.declaration.models import (
    ChangeRequest,
    Declaration,
    DeclarationHold,
    DeclarationVersion,
    InspectionResult,
)
from clearway.identity.core import Principal, Role
from clearway.payment import orders
from clearway.payment.models import PaymentOrder

SUBJECT = "declaration"


def party_of(principal: Principal) -> Party:
    return (
        Party.OFFICER
        if principal.role is Role.OFFICER
        else (Party.FILER if not principal.is_customs else Party.SYSTEM)
    )


# Steps of filing itself, decided on the status and lane alone (no queries: batches file thousands).
# A hold is placed while filing (after the lane), so that step takes no query either.
_FILING = frozenset(
    {Action.FILE, Action.ASSESS, Action.ASSIGN_LANE, Action.START_DOCUMENT_CHECK, Action.PLACE_HOLD}
)


def case_of(
    session: Session,
    declaration: Declaration,
    version: DeclarationVersion,
    action: Action | None = None,
    party: Party | None = None,
) -> Case:
    lane = Lane(version.lane) if version.lane else None
    due = declaration.total_due_krw
    nothing_due = due is not None and due == Decimal(0)  # not assessed is not "nothing to pay"
    if action in _FILING or (party is Party.SYSTEM and action in (Action.ACCEPT, Action.START_INSPECTION)):
        return Case(Status(version.status), lane, nothing_due=nothing_due)
    if not inspect(declaration).has_identity:
        # Not stored yet (a batch inserts its declarations in bulk after the filing steps): no inspection
        # result, payment order, request or hold row can refer to it in the database, so nothing to look up.
        return Case(Status(version.status), lane, nothing_due=nothing_due)
    inspected = bool(
        session.scalar(
            select(
                exists().where(
                    InspectionResult.declaration_id == declaration.id,
                    InspectionResult.version == version.version,
                    InspectionResult.stage == "inspection",
                )
            )
        )
    )
    paid = bool(
        session.scalar(
            select(
                exists().where(
                    PaymentOrder.declaration_id == declaration.id,
                    PaymentOrder.version == version.version,
                    PaymentOrder.status == "paid",
                )
            )
        )
    )
    pending = session.scalar(
        select(ChangeRequest.kind).where(
            ChangeRequest.declaration_id == declaration.id, ChangeRequest.status == "pending"
        )
    )
    request = {"amend": Action.REQUEST_AMENDMENT, "cancel": Action.REQUEST_CANCELLATION}.get(pending or "")
    held = bool(
        session.scalar(
            select(
                exists().where(
                    DeclarationHold.declaration_id == declaration.id,
                    DeclarationHold.version == version.version,
                    DeclarationHold.lifted_at.is_(None),
                )
            )
        )
    )
    return Case(
        Status(version.status), lane, inspected, paid, nothing_due=nothing_due, request=request, held=held
    )


def step(
    session: Session,
    declaration: Declaration,
    version: DeclarationVersion,
    action: Action,
    *,
    actor: Actor,
    at: datetime,
    party: Party = Party.SYSTEM,
    reason: str | None = None,
    data: dict[str, Any] | None = None,
    lane: Lane | None = None,
    override: bool = False,
) -> Case:
    before = case_of(session, declaration, version, action, party)
    after = advance(before, action, party, lane=lane, override=override)
    version.status = after.status.value
    version.lane = after.lane.value if after.lane else None
    if version.version == declaration.current_version or action is Action.FILE:
        declaration.status = after.status.value
        declaration.lane = version.lane
    declaration.updated_at = at
    record(
        session,
        actor=actor,
        subject_type=SUBJECT,
        subject_id=declaration.id,
        action=action.value,
        at=at,
        reason=reason,
        data={
            "version": version.version,
            "from": before.status.value,
            "to": after.status.value,
            **({"lane": after.lane.value} if after.lane is not before.lane and after.lane else {}),
            **(data or {}),
        },
    )
    if action is Action.ACCEPT:
        # 납부고지: acceptance issues the payment order; with nothing to pay the declaration is paid at once.
        order = orders.issue(
            session,
            declaration_id=declaration.id,
            version=version.version,
            amount_krw=declaration.total_due_krw,
            on=korea_date(at),
            now=at,
            stored=inspect(declaration).persistent,  # not yet stored: a batch inserts it in bulk after
        )
        if after.nothing_due:
            order.status, order.paid_at = "paid", at
            after = step(
                session,
                declaration,
                version,
                Action.PAY,
                actor=Actor("system"),
                at=at,
                reason="nothing to pay",
                data={"amount_krw": "0", "payment_number": order.number},
            )
    return after
