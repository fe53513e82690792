"""The officer's work queue: every declaration that needs an officer, with what the officer needs to pick
it up (age, deadline, lane, a reasons summary, the assignee, a pending request). Queries and shaping.

Needing an officer: under document check, awaiting documents (the deadline shows), under inspection, a filer's
pending request to amend or withdraw, and paid declarations waiting for release (release is manual here).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, String, cast, exists, func, or_, select
from sqlalchemy.orm import Session

from clearway.declaration.lifecycle import Status
from clearway.declaration.models import (
    ChangeRequest,
    Declaration,
    DeclarationLine,
    DeclarationVersion,
    DocumentRequest,
)
from clearway.identity.models import User

STAGES = {
    "document_check": (Status.UNDER_DOCUMENT_CHECK.value,),
    "awaiting_documents": (Status.AWAITING_DOCUMENTS.value,),
    "inspection": (Status.UNDER_INSPECTION.value,),
    "release": (Status.PAID.value,),
}
WORK_STATUSES = tuple(s for group in STAGES.values() for s in group)
NUMBER = re.compile(r"^CW-\d{2}-(\d{1,8})$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class QueueFilter:
    stage: str | None = None  # a key of STAGES, or "request"
    lane: str | None = None
    number: str | None = None  # CW-26-00000042
    transport_document: str | None = None  # B/L or AWB number
    commodity_code: str | None = None  # HS, any leading digits
    importer: str | None = None  # BRN or part of the name
    filed_from: date | None = None
    filed_to: date | None = None
    assignee_id: int | None = None


@dataclass(frozen=True, slots=True)
class QueueRow:
    declaration: Declaration
    age_seconds: int
    deadline: datetime | None
    reasons: list[str]
    assignee: str | None
    request: str | None
    stage: str = field(default="")


def _query(f: QueueFilter) -> Select[Declaration]:
    pending = exists().where(
        ChangeRequest.declaration_id == Declaration.id, ChangeRequest.status == "pending"
    )
    if f.stage == "request":
        query = select(Declaration).where(pending)
    elif f.stage:
        query = select(Declaration).where(Declaration.status.in_(STAGES[f.stage]))
    else:
        query = select(Declaration).where(or_(Declaration.status.in_(WORK_STATUSES), pending))
    if f.lane:
        query = query.where(Declaration.lane == f.lane)
    if f.number:
        match = NUMBER.match(f.number.strip())
        query = query.where(Declaration.id == (int(match.group(1)) if match else -1))
    current = (DeclarationVersion.declaration_id == Declaration.id) & (
        DeclarationVersion.version == Declaration.current_version
    )
    if f.transport_document:
        needle = f.transport_document.strip().replace("%", "").replace("_", "")
        query = query.where(
            exists().where(
                current,
                cast(DeclarationVersion.content, String).ilike(f'%"transport_document": "%{needle}%')
                | cast(DeclarationVersion.content, String).ilike(f'%"transport_document":"%{needle}%'),
            )
        )
    if f.commodity_code:
        digits = "".join(ch for ch in f.commodity_code if ch.isdigit())
        query = query.where(
            exists().where(
                current,
                DeclarationLine.version_id == DeclarationVersion.id,
                DeclarationLine.commodity_code.startswith(digits),
            )
        )
    if f.importer:
        needle = f.importer.replace("-", "")
        query = query.where(
            or_(Declaration.importer_brn == needle, Declaration.importer_name.ilike(f"%{f.importer}%"))
        )
    if f.filed_from:
        query = query.where(Declaration.filed_on >= f.filed_from)
    if f.filed_to:
        query = query.where(Declaration.filed_on <= f.filed_to)
    if f.assignee_id is not None:
        query = query.where(Declaration.assignee_user_id == f.assignee_id)
    return query


def _summary(selection: dict[str, Any] | None) -> list[str]:
    reasons = (selection or {}).get("reasons") or []
    return [str(r.get("message") or r.get("kind") or "")[:160] for r in reasons[:3] if isinstance(r, dict)]


def page(
    session: Session, f: QueueFilter, *, now: datetime, offset: int, limit: int
) -> tuple[list[QueueRow], int]:
    """The queue, oldest first."""
    query = _query(f)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = list(
        session.scalars(query.order_by(Declaration.filed_at, Declaration.id).offset(offset).limit(limit))
    )
    ids = [d.id for d in rows]
    if not ids:
        return [], total
    versions = {
        v.declaration_id: v
        for v in session.scalars(
            select(DeclarationVersion)
            .join(Declaration, Declaration.id == DeclarationVersion.declaration_id)
            .where(Declaration.id.in_(ids), DeclarationVersion.version == Declaration.current_version)
        )
    }
    deadlines = dict(
        session.execute(
            select(DocumentRequest.declaration_id, func.max(DocumentRequest.deadline))
            .where(
                DocumentRequest.declaration_id.in_(ids),
                DocumentRequest.answered_at.is_(None),
                DocumentRequest.override_reason.is_(None),
            )
            .group_by(DocumentRequest.declaration_id)
        ).all()
    )
    requests = dict(
        session.execute(
            select(ChangeRequest.declaration_id, ChangeRequest.kind).where(
                ChangeRequest.declaration_id.in_(ids), ChangeRequest.status == "pending"
            )
        ).all()
    )
    users = dict(
        session.execute(
            select(User.id, User.username).where(
                User.id.in_({d.assignee_user_id for d in rows if d.assignee_user_id})
            )
        ).all()
    )
    out = []
    for d in rows:
        v = versions.get(d.id)
        stage = next((k for k, statuses in STAGES.items() if d.status in statuses), "request")
        out.append(
            QueueRow(
                d,
                max(0, int((now - d.filed_at).total_seconds())),
                deadlines.get(d.id),
                _summary(v.lane_selection if v else None),
                users.get(d.assignee_user_id) if d.assignee_user_id is not None else None,
                requests.get(d.id),
                stage,
            )
        )
    return out, total
