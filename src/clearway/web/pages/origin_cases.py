"""Origin verification cases in the portal (officers): the queue of cases not yet closed, opening a request to
the exporting country's authority (from a declaration's line or a certificate), and a case's page where the
request is recorded as sent, the answer (confirmed or denied) recorded with its consequence, and the case
closed. Same services as the API (:mod:`clearway.origin.cases`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from clearway.audit.service import savepoint
from clearway.errors import ClearwayError, FieldError, ValidationFailed
from clearway.identity.core import Role, Scope
from clearway.origin import cases
from clearway.web.deps import ResourceId, RuntimeDep, SessionDep
from clearway.web.pages import forms, origin_views
from clearway.web.pages.guard import PageRoute, form_page_context
from clearway.web.pages.render import redirect, render
from clearway.web.pages.security import CsrfForm, PagePrincipal

router = APIRouter(route_class=PageRoute, include_in_schema=False)
NOTICES = ("opened", "sent", "answered", "closed")
STATUSES = ("open", "sent", "answered", "closed")


@router.get("/origin/cases")
def cases_page(request: Request, principal: PagePrincipal, session: SessionDep, status: str = "") -> Response:
    principal.require_scope(Scope.ORIGIN_READ)
    chosen = status if status in STATUSES else None
    rows = cases.list_cases(session, principal, status=chosen, certificate_id=None)
    shown = [
        cases.case_read(c) for c in rows if chosen is not None or c.status in origin_views.OPEN_CASE_STATUSES
    ]
    return render(
        request,
        "origin/cases.html",
        {"rows": shown, "status": chosen, "statuses": STATUSES},
    )


def _id(raw: str, pointer: str, *, required: bool) -> int | None:
    if not raw:
        if required:
            raise ValidationFailed("enter a number", errors=[FieldError(pointer, "required", "a number")])
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise ValidationFailed(
            "enter a number", errors=[FieldError(pointer, "not_a_number", f"'{raw}' is not a whole number")]
        )
    return int(raw)


def _new_case_page(
    request: Request,
    values: dict[str, str],
    *,
    error: ClearwayError | None = None,
) -> Response:
    context = form_page_context(request, {}, error=error, form_name="case", values=values)
    return render(
        request,
        "origin/new_case.html",
        context,
        status=error.status if error else 200,
        here="/origin/cases/new",
    )


@router.get("/origin/cases/new")
def new_case_page(
    request: Request,
    principal: PagePrincipal,
    certificate_id: str = "",
    declaration_id: str = "",
    line_number: str = "",
) -> Response:
    principal.require_role(Role.OFFICER)
    principal.require_scope(Scope.ORIGIN_WRITE)
    values = {
        "certificate_id": certificate_id[:12],
        "declaration_id": declaration_id[:12],
        "line_number": line_number[:4],
    }
    return _new_case_page(request, values)


@router.post("/origin/cases")
def open_case(
    request: Request, form: CsrfForm, principal: PagePrincipal, session: SessionDep, runtime: RuntimeDep
) -> Response:
    principal.require_role(Role.OFFICER)
    principal.require_scope(Scope.ORIGIN_WRITE)
    names = ("certificate_id", "declaration_id", "line_number", "grounds", "questions")
    values = {name: forms.text(form, name) for name in names}
    try:
        document: dict[str, Any] = {
            "certificate_id": _id(values["certificate_id"], "/certificate_id", required=True),
            "declaration_id": _id(values["declaration_id"], "/declaration_id", required=False),
            "line_number": _id(values["line_number"], "/line_number", required=False),
            "grounds": values["grounds"],
            "questions": [q.strip() for q in values["questions"].splitlines() if q.strip()],
        }
        with savepoint(session):
            case = cases.open_case(session, document, principal=principal, now=runtime.clock())
    except ClearwayError as error:
        return _new_case_page(request, values, error=error)
    return redirect(request, f"/origin/cases/{case.id}?notice=opened")


def _case_page(
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: PagePrincipal,
    case_id: int,
    *,
    error: ClearwayError | None = None,
    form_name: str | None = None,
    values: dict[str, str] | None = None,
) -> Response:
    context = form_page_context(
        request,
        origin_views.case_page(runtime, session, principal, case_id),
        error=error,
        form_name=form_name,
        values=values,
    )
    if context["notice"] not in NOTICES:
        context["notice"] = None
    context["can_act"] = principal.role is Role.OFFICER
    return render(
        request, "origin/case.html", context, status=error.status if error else 200, here="/origin/cases"
    )


@router.get("/origin/cases/{case_id}")
def case_page(
    case_id: ResourceId,
    request: Request,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    principal.require_scope(Scope.ORIGIN_READ)
    return _case_page(request, runtime, session, principal, case_id)


STEPS: dict[str, tuple[str, ...]] = {
    "send": ("sent_reference",),
    "answer": ("result", "answer"),
    "close": ("note",),
}


@router.post("/origin/cases/{case_id}/{step}")
def case_step(
    case_id: ResourceId,
    step: str,
    request: Request,
    form: CsrfForm,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    if step not in STEPS:
        raise ValidationFailed(
            "no such step", errors=[FieldError("/step", "unknown", "send, answer or close")]
        )
    principal.require_scope(Scope.ORIGIN_WRITE)
    values = {name: forms.text(form, name) for name in STEPS[step]}
    document = {k: v for k, v in values.items() if v or k != "note"}
    now = runtime.clock()
    try:
        with savepoint(session):
            if step == "send":
                cases.send_case(session, case_id, document, principal=principal, now=now)
            elif step == "answer":
                cases.answer_case(
                    session,
                    case_id,
                    document,
                    principal=principal,
                    now=now,
                    declarations=runtime.declarations,
                )
            else:
                cases.close_case(session, case_id, document, principal=principal, now=now)
    except ClearwayError as error:
        return _case_page(
            request, runtime, session, principal, case_id, error=error, form_name=step, values=values
        )
    notice = {"send": "sent", "answer": "answered", "close": "closed"}[step]
    return redirect(request, f"/origin/cases/{case_id}?notice={notice}")
