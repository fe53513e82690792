"""The filing form (수입신고서 작성): a declaration field by field, for traders, brokers and officers' counter use.

Every field is named after the JSON pointer it fills (:mod:`clearway.declaration.form`), so the form files exactly
the document the JSON API receives, through the same :meth:`DeclarationService.file`, and a validation error's
pointer puts its message next to its field. HTMX partials add and remove goods lines and documents, ask the HS
classifier for codes from a line's description, and re-estimate duties and taxes through the estimate service
(:func:`clearway.assessment.service.estimate`, nothing filed) as lines change. Drafts are kept server-side per
user (:mod:`clearway.declaration.drafts`). The JSON paste stays at ``/declarations/new`` as the advanced way.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from clearway.assessment import service as assessment
from clearway.assessment.step import preference_verifier
from clearway.audit.service import savepoint
from clearway.declaration import drafts
from clearway.declaration import form as core
from clearway.errors import ClearwayError, FieldError, ValidationFailed
from clearway.identity.core import Principal
from clearway.identity.models import Company
from clearway.runtime import Runtime
from clearway.web.deps import ResourceId, RuntimeDep, SessionDep
from clearway.web.i18n import translator
from clearway.web.pages import form_lists, hs_panel
from clearway.web.pages.filing import PartyChoice, party_choice, selected_party, with_party
from clearway.web.pages.guard import PageRoute, problem_context
from clearway.web.pages.render import field_message, language_of, redirect, render
from clearway.web.pages.security import CsrfForm, PagePrincipal

router = APIRouter(route_class=PageRoute, include_in_schema=False)
HERE = "/declarations/form"
ESTIMATED = (
    "commodity_code",
    "origin_country",
    "quantity",
    "quantity_unit",
    "invoice_amount",
    "currency",
    "incoterm",
)


# ---- reading the form -------------------------------------------------------------------------------------
def posted_fields(form: FormData) -> dict[str, str]:
    """The declaration's fields of a posted form (the CSRF token, buttons and choices left out)."""
    out: dict[str, str] = {}
    for name, value in form.multi_items():
        if isinstance(value, str) and name not in ("csrf_token", "op", "draft", "party", "row"):
            out[name] = value
    return out


def draft_of(form: FormData) -> int | None:
    value = form.get("draft")
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 10 else None


def defaults(session: Session, principal: Principal, runtime: Runtime, choice: PartyChoice) -> dict[str, str]:
    """A new form: the signed-in company declares (and imports and buys, for a trader), by sea into Busan, today,
    one goods line in US dollars FOB and an invoice to cite."""
    company = session.get(Company, principal.company_id) if principal.company_id is not None else None
    today = runtime.today()
    fields = {
        "kind": "import",
        "declarant_reference": f"WEB-{today:%Y%m%d}-{secrets.token_hex(2).upper()}",
        "declarant-name": company.name if company else "",
        "declarant-brn": (company.brn or "") if company else "",
        "declarant-country": "KR",
        "consignment-transport_mode": "sea",
        "consignment-arrival_date": today.isoformat(),
        "consignment-customs_office": "030",
        "consignment-port": "KRPUS",
        "documents-0-kind": "invoice",
        "documents-0-issue_date": (today - timedelta(days=1)).isoformat(),
        "importer-country": "KR",
        "buyer-country": "KR",
    }
    if choice.fixed and company is not None:
        for party in ("importer", "buyer"):
            fields.update({f"{party}-name": company.name, f"{party}-brn": company.brn or ""})
    fields.update(blank_item(0))
    return fields


def blank_item(index: int) -> dict[str, str]:
    return {
        f"items-{index}-currency": "USD",
        f"items-{index}-incoterm": "FOB",
        f"items-{index}-valuation_method": "1",
    }


# ---- the page ---------------------------------------------------------------------------------------------
def field_errors(error: ClearwayError, fields: dict[str, str], lang: str) -> tuple[dict[str, str], list[str]]:
    """Each error's message next to its field (by pointer), and those the form has no field for."""
    names = set(core.header_names()) | {"party"}
    for i in core.row_indexes(fields, "items") or [0]:
        names.update(core.item_names(i))
    for i in core.row_indexes(fields, "documents"):
        names.update(core.document_names(i))
    ordered = sorted(names, key=_form_order(fields))
    placed: dict[str, str] = {}
    loose: list[str] = []
    for e in error.errors:
        name = core.field_for_pointer(e.pointer, ordered)
        message = field_message(e, lang)
        if name is None:
            loose.append(f"{e.pointer or '/'}: {message}")
        elif name in placed:
            placed[name] += f"; {message}"
        else:
            placed[name] = message
    return placed, loose


def _form_order(fields: dict[str, str]) -> Any:
    """Fields in the order the page shows them (so the first error focused is the first on the page)."""
    order = ["party", *core.header_names()]
    for i in core.row_indexes(fields, "items") or [0]:
        order += core.item_names(i)
    for i in core.row_indexes(fields, "documents"):
        order += core.document_names(i)
    rank = {n: k for k, n in enumerate(order)}
    return lambda name: rank.get(name, len(rank))


def context_of(
    request: Request,
    fields: dict[str, str],
    choice: PartyChoice,
    *,
    draft_id: int | None = None,
    error: ClearwayError | None = None,
    focus: str | None = None,
) -> dict[str, Any]:
    lang = language_of(request)
    errors, loose = field_errors(error, fields, lang) if error is not None else ({}, [])
    first_error = min(errors, key=_form_order(fields)) if errors else None
    return {
        "f": fields,
        "errors": errors,
        "loose_errors": loose,
        "first_error": first_error,
        "problem": problem_context(error, lang)["problem"] if error is not None else None,
        "items": core.row_indexes(fields, "items") or [0],
        "documents": core.row_indexes(fields, "documents"),
        "lists": form_lists.all_lists(lang),
        "choice": choice,
        "draft_id": draft_id,
        "focus": focus,
        "oob": False,
        "notice": request.query_params.get("notice"),
        "parties": [p for p in core.PARTIES if p != "declarant"],
    }


def show_form(
    request: Request,
    session: Session,
    runtime: Runtime,
    principal: Principal,
    fields: dict[str, str],
    choice: PartyChoice,
    *,
    draft_id: int | None = None,
    error: ClearwayError | None = None,
    status: int = 200,
) -> Response:
    context = context_of(request, fields, choice, draft_id=draft_id, error=error)
    context["estimate"] = estimate_of(session, runtime, principal, fields, language_of(request))
    here = f"{HERE}?draft={draft_id}" if draft_id else HERE
    return render(request, "declarations/form.html", context, status=status, here=here)


@router.get("/declarations/form")
def new_form(
    request: Request,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
    draft: int | None = None,
) -> Response:
    runtime.declarations.require_filer(principal)
    choice = party_choice(session, principal, runtime)
    if draft is not None:
        saved = drafts.get(session, principal, draft)
        fields = {str(k): str(v) for k, v in saved.fields.items() if k != "party"}
        choice.selected = _int(saved.fields.get("party")) if not choice.fixed else choice.selected
        return show_form(request, session, runtime, principal, fields, choice, draft_id=saved.id)
    fields = defaults(session, principal, runtime, choice)
    return show_form(request, session, runtime, principal, fields, choice)


def _int(value: object) -> int | None:
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 10 else None


@router.post("/declarations/form")
def file_from_form(
    request: Request, form: CsrfForm, principal: PagePrincipal, session: SessionDep, runtime: RuntimeDep
) -> Response:
    """File what the form says through the declaration service, as the JSON API files a document."""
    service = runtime.declarations
    service.require_filer(principal)
    choice = party_choice(session, principal, runtime, selected_party(form))
    fields, draft_id = posted_fields(form), draft_of(form)
    try:
        with savepoint(session):
            filing = service.file(session, principal, with_party(core.document_from_fields(fields), choice))
            if draft_id is not None:  # filed: the draft has served its purpose
                drafts.delete(session, principal, draft_id)
    except ClearwayError as error:
        return show_form(
            request,
            session,
            runtime,
            principal,
            fields,
            choice,
            draft_id=draft_id,
            error=error,
            status=error.status,
        )
    notice = "filed" if filing.created else "replayed"
    return redirect(request, f"/declarations/{filing.declaration.id}?notice={notice}")


# ---- partials: lines and documents, the estimate, HS code suggestions -------------------------------------
@router.post("/declarations/form/rows")
def change_rows(
    request: Request, form: CsrfForm, principal: PagePrincipal, session: SessionDep, runtime: RuntimeDep
) -> Response:
    """Add or remove a goods line (``op=add-item`` / ``remove-item-N``) or a document (``add-document`` /
    ``remove-document-N``); answers the changed list (and, for lines, the new estimate out of band)."""
    runtime.declarations.require_filer(principal)
    choice = party_choice(session, principal, runtime, selected_party(form))
    fields = posted_fields(form)
    op = str(form.get("op") or "")
    container = "documents" if "document" in op else "items"
    rows = core.row_indexes(fields, container)
    if op.startswith("remove-") and op.rsplit("-", 1)[-1].isdigit():
        dropped = int(op.rsplit("-", 1)[-1])
        fields = core.renumbered(fields, container, drop=dropped)
        left = core.row_indexes(fields, container)
        last = len(left) - 1
        keeps_remove = last >= (1 if container == "items" else 0)  # a single line has no remove button
        focus = f"remove-{container}-{min(dropped, last)}" if keeps_remove else f"add-{container}"
    elif op in ("add-item", "add-document") and len(rows) < core.MAX_ROWS:
        fields = core.renumbered(fields, container)
        new = len(rows)
        fields.update(blank_item(new) if container == "items" else {f"documents-{new}-kind": "invoice"})
        if container == "items" and new > 0:  # a new line starts with the previous line's terms
            for name in ("origin_country", "currency", "incoterm", "quantity_unit"):
                value = fields.get(f"items-{new - 1}-{name}")
                if value:
                    fields[f"items-{new}-{name}"] = value
        focus = f"items-{new}-description" if container == "items" else f"documents-{new}-reference"
    else:
        raise ValidationFailed(
            "unknown change", errors=[FieldError("/op", "not_allowed", "add or remove a row")]
        )
    context = context_of(request, fields, choice, focus=focus)
    if container == "items":
        context["estimate"] = estimate_of(session, runtime, principal, fields, language_of(request))
        context["oob"] = True
    template = (
        "declarations/_form_items.html" if container == "items" else "declarations/_form_documents.html"
    )
    return render(request, template, context)


def estimate_of(
    session: Session, runtime: Runtime, principal: Principal, fields: dict[str, str], lang: str
) -> dict[str, Any]:
    """The duty and tax estimate of the lines filled in enough (nothing filed); which lines are not yet."""
    t = translator(lang)
    items, lines, waiting = [], [], []
    for n, index in enumerate(core.row_indexes(fields, "items") or [0], start=1):
        item = core.item_of(fields, index)
        missing = [name for name in ESTIMATED if not item.get(name)]
        if missing:
            waiting.append(
                t("form.estimate.waiting", n=n, fields=", ".join(t(f"form.f.{m}") for m in missing))
            )
            continue
        item.pop("description", None)
        preference = item.get("preference")
        if isinstance(preference, dict):
            if preference.get("agreement"):
                item["preference"] = {**preference, "assume_granted": True}
            else:
                item.pop("preference")
        items.append({**item, "line_number": n})
        lines.append(n)
    shown: dict[str, Any] = {"waiting": waiting, "result": None, "problems": []}
    if not items:
        return shown
    try:
        with savepoint(session):
            shown["result"] = assessment.estimate(
                session,
                {"items": items},
                today=runtime.today(),
                verifier=preference_verifier(runtime.declarations.steps),
                nomenclature=runtime.declarations.nomenclature,
                sees=principal.sees_company,
            )
    except ClearwayError as error:
        for e in error.errors:
            parts = e.pointer.split("/")
            at = int(parts[2]) if len(parts) > 2 and parts[1] == "items" and parts[2].isdigit() else None
            line = lines[at] if at is not None and at < len(lines) else None
            field = t(f"form.f.{parts[3]}") if len(parts) > 3 and t.has(f"form.f.{parts[3]}") else ""
            where = t("form.line", n=line) if line else ""
            shown["problems"].append(" ".join(p for p in (where, field, "—", field_message(e, lang)) if p))
    return shown


@router.post("/declarations/form/estimate")
def estimate(
    request: Request, form: CsrfForm, principal: PagePrincipal, session: SessionDep, runtime: RuntimeDep
) -> Response:
    runtime.declarations.require_filer(principal)
    fields = posted_fields(form)
    shown = estimate_of(session, runtime, principal, fields, language_of(request))
    return render(request, "declarations/_form_estimate.html", {"estimate": shown, "oob": False})


def _hs_panel(request: Request, row: int, context: dict[str, Any]) -> Response:
    context.update(
        panel=f"hs-{row}",
        pick_for=f"f-items-{row}-commodity_code",
        answer_url="/declarations/form/hs",
        answer_vals={"row": str(row)},
        answer_include="#declaration-form [name=csrf_token]",
    )
    return render(request, "_hs_panel.html", context)


def _row(value: object) -> int:
    text = str(value or "0")
    row = int(text) if text.isdigit() and len(text) < 4 else 0
    return row if row < core.MAX_ROWS else 0


@router.post("/declarations/form/hs")
def suggest_codes(
    request: Request, form: CsrfForm, principal: PagePrincipal, session: SessionDep, runtime: RuntimeDep
) -> Response:
    """The classifier's best HS codes for a line's description, each with its description and confidence, and,
    when they are close, the guided question that separates them (:mod:`clearway.web.pages.hs_panel`)."""
    runtime.declarations.require_filer(principal)
    row = _row(form.get("row"))
    text = str(form.get(f"items-{row}-description") or "").strip()
    context = hs_panel.opened(session, runtime, principal, text, language_of(request))
    return _hs_panel(request, row, context)


@router.post("/declarations/form/hs/{classification_id}/answer")
def answer_question(
    classification_id: str,
    request: Request,
    form: CsrfForm,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    """A line's suggestions re-ranked by the answer chosen (the answer shown as evidence, focus on the panel)."""
    runtime.declarations.require_filer(principal)
    row = _row(form.get("row"))
    context = hs_panel.answered(
        session, runtime, principal, classification_id, str(form.get("answer") or ""), language_of(request)
    )
    return _hs_panel(request, row, context)


# ---- drafts -------------------------------------------------------------------------------------------------
@router.post("/declarations/form/draft")
def save_draft(
    request: Request, form: CsrfForm, principal: PagePrincipal, session: SessionDep, runtime: RuntimeDep
) -> Response:
    runtime.declarations.require_filer(principal)
    fields = posted_fields(form)
    party = form.get("party")
    if isinstance(party, str) and party:
        fields["party"] = party
    saved = drafts.save(session, principal, fields, runtime.clock(), draft_of(form))
    return redirect(request, f"{HERE}?draft={saved.id}&notice=draft_saved")


@router.get("/declarations/drafts")
def draft_list(
    request: Request, principal: PagePrincipal, session: SessionDep, runtime: RuntimeDep
) -> Response:
    runtime.declarations.require_filer(principal)
    return render(
        request,
        "declarations/drafts.html",
        {"drafts": drafts.mine(session, principal), "notice": request.query_params.get("notice")},
    )


@router.post("/declarations/drafts/{draft_id}/delete")
def delete_draft(
    draft_id: ResourceId,
    request: Request,
    form: CsrfForm,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    runtime.declarations.require_filer(principal)
    drafts.delete(session, principal, draft_id)
    return redirect(request, "/declarations/drafts?notice=draft_deleted")
