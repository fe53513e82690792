"""Document requests (서류제출 요구) and the filer's reply with files (shell)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from clearway.declaration import attachments
from clearway.declaration import repository as repo
from clearway.declaration.filing import Filing, actor_of
from clearway.declaration.lifecycle import Action, Party
from clearway.declaration.models import Attachment, Declaration, DeclarationVersion, DocumentRequest
from clearway.declaration.transitions import step
from clearway.errors import Conflict, FieldError, NotFound, ValidationFailed
from clearway.identity.core import Principal

if TYPE_CHECKING:  # the service is passed in; this module knows its type only (no import cycle)
    from clearway.declaration.service import DeclarationService


def open_request(
    session: Session,
    declaration: Declaration,
    version: DeclarationVersion,
    principal: Principal,
    *,
    message: str,
    internal_note: str | None,
    deadline: datetime,
    now: datetime,
) -> DocumentRequest:
    row = DocumentRequest(
        declaration_id=declaration.id,
        version=version.version,
        message=message,
        internal_note=internal_note,
        deadline=deadline,
        requested_by=principal.user_id,
        requested_at=now,
    )
    repo.add(session, row)
    return row


def waiting(session: Session, declaration_id: int) -> DocumentRequest | None:
    return session.scalar(
        select(DocumentRequest)
        .where(
            DocumentRequest.declaration_id == declaration_id,
            DocumentRequest.answered_at.is_(None),
            DocumentRequest.override_reason.is_(None),
        )
        .order_by(DocumentRequest.id.desc())
    )


def overridden(session: Session, declaration_id: int, *, reason: str) -> None:
    row = waiting(session, declaration_id)
    if row is not None:
        row.override_reason = reason


def for_declaration(session: Session, declaration_id: int) -> list[tuple[DocumentRequest, list[Attachment]]]:
    rows = list(
        session.scalars(
            select(DocumentRequest)
            .where(DocumentRequest.declaration_id == declaration_id)
            .order_by(DocumentRequest.id)
        )
    )
    files = list(
        session.scalars(
            select(Attachment).where(Attachment.declaration_id == declaration_id).order_by(Attachment.id)
        )
    )
    return [(r, [f for f in files if f.document_request_id == r.id]) for r in rows]


def reply(
    service: DeclarationService,
    session: Session,
    principal: Principal,
    declaration_id: int,
    *,
    text: str,
    uploads: list[attachments.Upload],
    root: Path,
) -> Filing:
    """The filer answers the open document request with a note and files; the check goes back to the
    officer."""
    service.require_filer(principal)
    declaration = service.owned(session, principal, declaration_id, for_update=True)
    request = waiting(session, declaration.id)
    if request is None:
        raise Conflict("no documents are awaited for this declaration")
    checked, errors = attachments.check(uploads)
    if not text.strip() and not uploads:
        errors.append(FieldError("/reply", "required", "write a reply or attach the documents"))
    if len(text) > 2000:
        errors.append(FieldError("/reply", "too_long", "at most 2000 characters"))
    if errors:
        raise ValidationFailed("the reply cannot be sent", errors=errors)
    version = repo.version(session, declaration.id, declaration.current_version)
    assert version is not None
    now = service.clock()
    step(
        session,
        declaration,
        version,
        Action.SUBMIT_DOCUMENTS,
        actor=actor_of(principal),
        at=now,
        party=Party.FILER,
        reason=text.strip() or None,
        data={"attachments": [f.filename for f in checked], "request": request.id},
    )
    for f in checked:
        attachments.store(root, f)
        assert principal.company_id is not None
        repo.add(
            session,
            Attachment(
                document_request_id=request.id,
                declaration_id=declaration.id,
                filename=f.filename,
                content_type=f.content_type,
                size_bytes=f.size,
                sha256=f.sha256,
                uploaded_by=principal.user_id,
                company_id=principal.company_id,
                uploaded_at=now,
            ),
        )
    request.answered_at, request.reply = now, text.strip() or None
    session.flush()
    return Filing(declaration, version, created=False)


def attachment(
    service: DeclarationService,
    session: Session,
    principal: Principal,
    declaration_id: int,
    attachment_id: int,
    root: Path,
) -> tuple[Attachment, Path]:
    """A file for customs or for the company that sent it; for anyone else it does not exist."""
    service.get(session, principal, declaration_id)
    row = session.get(Attachment, attachment_id)
    if (
        row is None
        or row.declaration_id != declaration_id
        or not (principal.is_customs or principal.company_id == row.company_id)
    ):
        raise NotFound(f"no attachment {attachment_id}")
    return row, attachments.path_of(root, row.sha256)
