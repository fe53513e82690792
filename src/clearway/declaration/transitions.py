"""Apply a lifecycle step to stored rows and record it in the audit trail (shell around lifecycle.apply)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from clearway.audit.service import Actor, record
from clearway.declaration.lifecycle import Action, Lane, Status, apply
from clearway.declaration.models import Declaration, DeclarationVersion

SUBJECT = "declaration"


def step(
    session: Session,
    declaration: Declaration,
    version: DeclarationVersion,
    action: Action,
    *,
    actor: Actor,
    at: datetime,
    reason: str | None = None,
    data: dict[str, Any] | None = None,
) -> Status:
    lane = Lane(declaration.lane) if declaration.lane else None
    transition = apply(Status(version.status), action, lane=lane)
    version.status = transition.target.value
    if version.version == declaration.current_version or action is Action.FILE:
        declaration.status = transition.target.value
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
            "from": transition.source.value,
            "to": transition.target.value,
            **(data or {}),
        },
    )
    return transition.target
