"""Filing a declaration from its JSON document (pasted or uploaded), checking it first, and amending it (정정).

Every invalid field is listed with its JSON pointer, reason code, message and what was sent at that pointer;
the document stays in the text area so it can be corrected in place.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from fastapi import APIRouter, Request, Response

from clearway.audit.service import savepoint
from clearway.declaration import disclosure
from clearway.declaration.disclosure import Audience
from clearway.declaration.lifecycle import Action, Status, allowed_actions
from clearway.declaration.schemas import declaration_number
from clearway.declaration.service import Preview
from clearway.errors import ClearwayError, FieldError, ValidationFailed
from clearway.identity.core import Principal
from clearway.identity.models import Company
from clearway.party import service as parties
from clearway.party.core import Account
from clearway.web.deps import ResourceId, RuntimeDep, SessionDep
from clearway.web.i18n import translator
from clearway.web.pages import forms
from clearway.web.pages.guard import PageRoute, problem_context
from clearway.web.pages.json_lines import line_of, pointer_lines
from clearway.web.pages.render import field_message, json_position, language_of, redirect, render, where
from clearway.web.pages.security import CsrfForm, PagePrincipal

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def error_rows(error: ClearwayError, document: Any, lang: str, raw: str = "") -> list[dict[str, Any]]:
    """One row per field error: where (the 1-based goods line, and the line of the pasted text to jump to),
    the message in the page's language, the reason, and what was sent."""
    t = translator(lang)
    lines = pointer_lines(raw) if raw else {}
    rows = []
    for e in error.errors:
        sent = forms.value_at(document, e.pointer) if document is not forms.MISSING else forms.MISSING
        reason = t(f"reason.{e.code}") if t.has(f"reason.{e.code}") else ""
        rows.append(
            {
                "pointer": e.pointer or "/",
                "code": e.code,
                "message": field_message(e, lang),
                "reason": reason if lang == "en" else "",
                "sent": t("new.not_sent") if sent is forms.MISSING else forms.shown(sent),
                "where": where(e.pointer, lang),
                "line": line_of(e.pointer, lines) if e.pointer else (json_position(e) or (None,))[0],
            }
        )
    return rows


def document_form(
    request: Request,
    *,
    raw: str,
    error: ClearwayError | None = None,
    document: Any = forms.MISSING,
    checked: bool = False,
    status: int = 200,
    amend: dict[str, Any] | None = None,
    preview: Preview | None = None,
    choice: PartyChoice | None = None,
) -> Response:
    """The filing form (or, with ``amend``, the amendment form), with the check result or the errors."""
    lang = language_of(request)
    context: dict[str, Any] = {
        "raw": raw,
        "checked": checked,
        "problem": None,
        "rows": [],
        "existing": None,
        "amend": amend,
        "choice": choice,
    }
    if preview is not None:  # check without filing: the duty estimate and every warning
        context["preview"] = {
            "total_due_krw": preview.assessment.total_due_krw,
            "assessment": preview.assessment.as_dict(),
            "advice": disclosure.advice([a.as_dict() for a in preview.advice], Audience.FILER),
        }
    if error is not None:
        context.update(problem_context(error, lang))
        context["rows"] = error_rows(error, document, lang, raw)
        context["existing"] = error.extra.get("declaration_id")
    if checked and request.headers.get("hx-request"):  # the check button: only its result panel
        return render(request, "declarations/_check.html", context, status=status)
    here = f"/declarations/{amend['id']}/amend" if amend else "/declarations/new"
    return render(request, "declarations/new.html", context, status=status, here=here)


# ---- whom the declaration is filed for ---------------------------------------------------------------------
class PartyChoice:
    """The importer/exporter the form offers: the trader's own company (fixed) or a broker's mandated
    clients."""

    def __init__(self, own: Account, offered: list[Account], selected: int | None) -> None:
        self.own, self.offered, self.fixed = own, offered, own.kind != "broker"
        self.selected = own.id if self.fixed else selected

    def chosen(self) -> Account | None:
        return next((a for a in self.offered if a.id == self.selected), None)


def party_choice(
    session: SessionDep, principal: Principal, runtime: RuntimeDep, selected: int | None = None
) -> PartyChoice:
    today = runtime.today()
    own = parties.account(parties.company(session, principal.company_id or 0))
    return PartyChoice(own, parties.clients_on(session, principal, today), selected)


def selected_party(form: Any) -> int | None:
    value = forms.text(form, "party")
    return int(value) if value.isdigit() and len(value) < 10 else None


def with_party(document: Any, choice: PartyChoice) -> Any:
    """The document with the importer (import) or exporter (export) set to the company chosen in the form."""
    if not isinstance(document, dict) or choice.selected is None:  # a broker may name the client in the JSON
        return document
    chosen = choice.chosen()
    if chosen is None:
        raise ValidationFailed(
            "choose whom the declaration is filed for",
            errors=[
                FieldError("/party", "no_mandate", "choose one of the clients whose mandate is valid today")
            ],
        )
    role = "exporter" if document.get("kind") == "export" else "importer"
    given = document.get(role)
    named: dict[str, Any] = given if isinstance(given, dict) else {}
    return {
        **document,
        role: {**named, "name": chosen.name, "brn": chosen.brn, "country": named.get("country", "KR")},
    }


@router.get("/declarations/new")
def new_declaration(
    request: Request,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
    example: bool = False,
) -> Response:
    runtime.declarations.require_filer(principal)
    choice = party_choice(session, principal, runtime)
    raw = ""
    if example:
        company = session.get(Company, principal.company_id)
        today = runtime.today()
        client = choice.offered[0] if choice.offered else None
        raw = forms.example_document(
            company,
            today,
            secrets.token_hex(2).upper(),
            client=session.get(Company, client.id) if client else None,
        )
        choice.selected = client.id if client else None
    return document_form(request, raw=raw, choice=choice)


@router.post("/declarations/new")
def file_declaration(
    request: Request, form: CsrfForm, principal: PagePrincipal, session: SessionDep, runtime: RuntimeDep
) -> Response:
    service = runtime.declarations
    service.require_filer(principal)
    choice = party_choice(session, principal, runtime, selected_party(form))
    raw, document = "", forms.MISSING
    try:
        raw = forms.read_text(form, runtime.settings.max_body_bytes)
        document = forms.parse_json(raw)
        with savepoint(session):
            filing = service.file(session, principal, with_party(document, choice))
    except ClearwayError as error:
        return document_form(
            request, raw=raw, error=error, document=document, status=error.status, choice=choice
        )
    notice = "filed" if filing.created else "replayed"
    return redirect(request, f"/declarations/{filing.declaration.id}?notice={notice}")


@router.post("/declarations/check")
def check_declaration(
    request: Request, form: CsrfForm, principal: PagePrincipal, session: SessionDep, runtime: RuntimeDep
) -> Response:
    """Validate without filing (the "check" button; with HTMX only the result panel is replaced)."""
    service = runtime.declarations
    service.require_filer(principal)
    choice = party_choice(session, principal, runtime, selected_party(form))
    raw, document = "", forms.MISSING
    try:
        raw = forms.read_text(form, runtime.settings.max_body_bytes)
        document = forms.parse_json(raw)
        preview = service.preview(session, principal, with_party(document, choice))
    except ClearwayError as error:
        fragment = bool(request.headers.get("hx-request"))
        return document_form(
            request,
            raw=raw,
            error=error,
            document=document,
            checked=True,
            status=200 if fragment else error.status,
            choice=choice,
        )
    return document_form(request, raw=raw, checked=True, preview=preview, choice=choice)


# ---- amendment (정정) ------------------------------------------------------------------------------------------
def _amendable(
    runtime: RuntimeDep, session: SessionDep, principal: PagePrincipal, declaration_id: int
) -> dict[str, Any]:
    runtime.declarations.require_filer(principal)
    filing = runtime.declarations.get(session, principal, declaration_id)
    d, v = filing.declaration, filing.version
    return {
        "id": d.id,
        "number": declaration_number(d),
        "version": v.version,
        "reason": "",
        "allowed": Action.AMEND in allowed_actions(Status(v.status)),
        "content": v.content,
    }


@router.get("/declarations/{declaration_id}/amend")
def amend_form(
    declaration_id: ResourceId,
    request: Request,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    amend = _amendable(runtime, session, principal, declaration_id)
    raw = json.dumps(amend["content"], ensure_ascii=False, indent=2)
    return document_form(request, raw=raw, amend=amend)


@router.post("/declarations/{declaration_id}/amend")
def amend(
    declaration_id: ResourceId,
    request: Request,
    form: CsrfForm,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    target = _amendable(runtime, session, principal, declaration_id)
    target["reason"] = reason = forms.text(form, "reason")
    posted = forms.text(form, "base_version")
    base = int(posted) if posted.isdigit() and 0 < len(posted) <= 6 else None
    target["version"] = base or target["version"]
    raw, document = "", forms.MISSING
    try:
        forms.fail_if(forms.reason_errors(reason, required=True, maximum=500), "the amendment needs a reason")
        raw = forms.read_text(form, runtime.settings.max_body_bytes)
        document = forms.parse_json(raw)
        with savepoint(session):
            filing = runtime.declarations.amend(
                session, principal, declaration_id, document, reason=reason, base_version=base
            )
    except ClearwayError as error:
        raw = raw or str(form.get("document") or "")
        return document_form(
            request, raw=raw, error=error, document=document, status=error.status, amend=target
        )
    notice = "amended" if filing.created else "amend_requested"  # after selection: an officer decides
    return redirect(request, f"/declarations/{declaration_id}?notice={notice}")
