"""A filer's request to amend or withdraw after selection (shell): recorded, and the declaration stays put.
Officers decide them in :mod:`clearway.declaration.decisions`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clearway.audit.service import Actor
from clearway.declaration import repository as repo
from clearway.declaration.lifecycle import Action, Party
from clearway.declaration.models import ChangeRequest, Declaration, DeclarationVersion
from clearway.declaration.transitions import step
from clearway.identity.core import Principal

KINDS = {Action.REQUEST_AMENDMENT: "amend", Action.REQUEST_CANCELLATION: "cancel"}


def ask(
    session: Session,
    declaration: Declaration,
    version: DeclarationVersion,
    principal: Principal,
    action: Action,
    *,
    reason: str,
    document: dict[str, Any] | None,
    now: datetime,
) -> ChangeRequest:
    step(
        session,
        declaration,
        version,
        action,
        actor=Actor(principal.username, principal.user_id),
        at=now,
        party=Party.FILER,
        reason=reason,
        data={"request": KINDS[action]},
    )
    row = ChangeRequest(
        declaration_id=declaration.id,
        version=version.version,
        kind=KINDS[action],
        reason=reason,
        document=document,
        status="pending",
        requested_by=principal.user_id,
        requested_at=now,
    )
    repo.add(session, row)
    return row


def pending(session: Session, declaration_id: int) -> ChangeRequest | None:
    return session.scalar(
        select(ChangeRequest).where(
            ChangeRequest.declaration_id == declaration_id, ChangeRequest.status == "pending"
        )
    )


def history(session: Session, declaration_id: int) -> list[ChangeRequest]:
    return list(
        session.scalars(
            select(ChangeRequest)
            .where(ChangeRequest.declaration_id == declaration_id)
            .order_by(ChangeRequest.id)
        )
    )
