"""The records around a declaration (requests, document requests with their files, check results, assignee)
as the reader may see them, and the reading of a multipart reply. Shared by the API and the pages."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from clearway.declaration import disclosure, documents, requests
from clearway.declaration import repository as repo
from clearway.declaration.attachments import MAX_BYTES, MAX_FILES, Upload
from clearway.declaration.models import Declaration
from clearway.errors import FieldError, ValidationFailed
from clearway.identity.core import Principal
from clearway.identity.models import User


def disclosed(session: Session, principal: Principal, declaration: Declaration) -> dict[str, Any]:
    who = disclosure.audience(principal.is_customs)
    change = [
        disclosure.change_request(
            {
                "id": r.id,
                "kind": r.kind,
                "reason": r.reason,
                "status": r.status,
                "requested_at": r.requested_at,
                "decided_at": r.decided_at,
                "message": r.message,
                "internal_note": r.internal_note,
                "version": r.version,
            },
            who,
        )
        for r in requests.history(session, declaration.id)
    ]
    docs = []
    for r, files in documents.for_declaration(session, declaration.id):
        own = [f for f in files if principal.is_customs or f.company_id == principal.company_id]
        docs.append(
            disclosure.document_request(
                {
                    "id": r.id,
                    "message": r.message,
                    "internal_note": r.internal_note,
                    "deadline": r.deadline,
                    "requested_at": r.requested_at,
                    "answered_at": r.answered_at,
                    "reply": r.reply,
                    "override_reason": r.override_reason,
                    "attachments": [
                        {
                            "id": f.id,
                            "filename": f.filename,
                            "content_type": f.content_type,
                            "size_bytes": f.size_bytes,
                            "url": f"/api/v1/declarations/{declaration.id}/attachments/{f.id}",
                        }
                        for f in own
                    ],
                },
                who,
            )
        )
    inspections = [
        disclosure.finding(
            {
                "recorded_at": r.recorded_at,
                "stage": r.stage,
                "finding": r.finding,
                "description": r.description,
                "additional_duty_krw": r.additional_duty_krw,
                "critical": r.critical,
            },
            who,
        )
        for r in repo.inspection_results(session, declaration.id)
    ]
    assignee = None
    if principal.is_customs and declaration.assignee_user_id:
        user = session.get(User, declaration.assignee_user_id)
        assignee = user.username if user else None
    return {
        "change_requests": change,
        "document_requests": docs,
        "inspections": inspections,
        "assignee": assignee,
    }


async def uploads_of(form: FormData) -> list[Upload]:
    """The files of a multipart form's ``files`` field (an empty file input is no file)."""
    uploads = []
    for item in form.getlist("files"):
        if isinstance(item, UploadFile):
            if not item.filename and not item.size:
                continue
            content = await item.read(MAX_BYTES + 1)
            uploads.append(Upload(item.filename or "document", content))
    return uploads


async def read_reply(request: Request) -> tuple[str, list[Upload]]:
    """``reply`` (text) and ``files`` (one or more) from a multipart form."""
    form = await request.form(max_files=MAX_FILES + 1, max_fields=20)
    text = form.get("reply")
    if text is not None and not isinstance(text, str):
        raise ValidationFailed("the reply is text", errors=[FieldError("/reply", "not_text", "text")])
    return text or "", await uploads_of(form)
