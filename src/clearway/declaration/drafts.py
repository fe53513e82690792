"""Drafts of the filing form: saved as typed (nothing is validated), listed, resumed and deleted by the user who
saved them — another user, even of the same company, never sees them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from clearway.declaration.form import MAX_ROWS, document_from_fields
from clearway.declaration.models import DeclarationDraft
from clearway.errors import FieldError, NotFound, ValidationFailed
from clearway.identity.core import Principal

MAX_DRAFTS = 200  # per user
MAX_FIELD_CHARS = 2000
MAX_FIELDS = 40 + MAX_ROWS * 20


def title_of(fields: dict[str, str]) -> str:
    """What the draft list shows: the reference, else the first line's description."""
    document = document_from_fields(fields)
    items = document.get("items") or [{}]
    title = str(document.get("declarant_reference") or items[0].get("description") or "")
    return title[:200]


def _checked(fields: dict[str, str]) -> dict[str, str]:
    if len(fields) > MAX_FIELDS or any(len(v) > MAX_FIELD_CHARS or len(k) > 80 for k, v in fields.items()):
        raise ValidationFailed(
            "the draft is too large to keep",
            errors=[
                FieldError("", "too_large", f"at most {MAX_FIELDS} fields of {MAX_FIELD_CHARS} characters")
            ],
        )
    return {k: v for k, v in fields.items() if v}


def save(
    session: Session, principal: Principal, fields: dict[str, str], now: datetime, draft_id: int | None = None
) -> DeclarationDraft:
    """Create the draft, or replace the fields of the user's draft ``draft_id``."""
    kept = _checked(fields)
    if draft_id is not None:
        draft = get(session, principal, draft_id)
        draft.fields, draft.title, draft.updated_at = kept, title_of(kept), now
        session.flush()
        return draft
    if len(mine(session, principal)) >= MAX_DRAFTS:
        raise ValidationFailed(
            "too many drafts",
            errors=[FieldError("", "too_many", f"delete one of your {MAX_DRAFTS} drafts first")],
        )
    draft = DeclarationDraft(
        user_id=principal.user_id,
        company_id=principal.company_id,
        title=title_of(kept),
        fields=kept,
        created_at=now,
        updated_at=now,
    )
    session.add(draft)
    session.flush()
    return draft


def mine(session: Session, principal: Principal) -> list[DeclarationDraft]:
    rows = session.scalars(
        select(DeclarationDraft)
        .where(DeclarationDraft.user_id == principal.user_id)
        .order_by(DeclarationDraft.updated_at.desc(), DeclarationDraft.id.desc())
    )
    return list(rows)


def get(session: Session, principal: Principal, draft_id: int) -> DeclarationDraft:
    draft = session.get(DeclarationDraft, draft_id)
    if draft is None or draft.user_id != principal.user_id:
        raise NotFound(f"no draft {draft_id} of yours")
    return draft


def delete(session: Session, principal: Principal, draft_id: int) -> None:
    session.delete(get(session, principal, draft_id))
    session.flush()
