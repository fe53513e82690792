"""Direct-purchase parcels in the portal: a carrier submits a parcel list (JSON) and sees every parcel's
outcome and its own parcels; customs sees every carrier's parcels (filtered by route and status) and the
statistics."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from clearway.audit.service import Actor, savepoint
from clearway.errors import ClearwayError, FieldError, Forbidden, ValidationFailed
from clearway.identity.core import Principal, Scope
from clearway.parcel import clearance, service
from clearway.parcel.protection import cipher_for
from clearway.parcel.screener import screener_for
from clearway.web.deps import RuntimeDep, SessionDep
from clearway.web.pages import forms
from clearway.web.pages.guard import PageRoute, problem_context
from clearway.web.pages.render import language_of, render
from clearway.web.pages.security import CsrfForm, PagePrincipal

router = APIRouter(route_class=PageRoute, include_in_schema=False)
ROUTES = ("list", "simplified", "general")
STATUSES = (
    "list_cleared",
    "awaiting_simplified",
    "awaiting_general",
    "held_code_suspended",
    "held_code_reissued",
    "held_disputed",
    "simplified_filed",
    "general_filed",
    "awaiting_xray",
    "awaiting_inspection",
    "detained",
)
PAGE_SIZE = 100


def _page(
    request: Request,
    session: Any,
    principal: Principal,
    *,
    route: str | None,
    status: str | None,
    raw: str = "",
    answer: dict[str, Any] | None = None,
    error: ClearwayError | None = None,
    recorded: dict[str, Any] | None = None,
) -> Response:
    principal.require_scope(Scope.PARCELS_READ)
    route = route if route in ROUTES else None
    status = status if status in STATUSES else None
    context: dict[str, Any] = {
        "parcels": service.list_parcels(
            session, principal, route=route, status=status, limit=PAGE_SIZE, offset=0
        ),
        "stats": service.statistics(session, principal) if principal.is_customs else None,
        "queue": (
            service.inspection_queue(session, principal, check=None, limit=PAGE_SIZE, offset=0)
            if Scope.PARCELS_INSPECT in principal.scopes
            else None
        ),
        "carrier": Scope.PARCELS_WRITE in principal.scopes and not principal.is_customs,
        "routes": ROUTES,
        "statuses": STATUSES,
        "filters": {"route": route or "", "status": status or ""},
        "raw": raw,
        "answer": answer,
        "problem": None,
        "recorded": recorded,
    }
    if error is not None:
        context.update(problem_context(error, language_of(request)))
    return render(request, "parcels.html", context, status=error.status if error else 200, here="/parcels")


@router.get("/parcels")
def parcels_page(
    request: Request,
    principal: PagePrincipal,
    session: SessionDep,
    route: str | None = None,
    status: str | None = None,
) -> Response:
    return _page(request, session, principal, route=route, status=status)


@router.post("/parcels")
def submit_parcel_list(
    request: Request, form: CsrfForm, principal: PagePrincipal, session: SessionDep, runtime: RuntimeDep
) -> Response:
    if Scope.PARCELS_WRITE not in principal.scopes or principal.is_customs:
        raise Forbidden("parcel lists are submitted by a carrier's company account")
    raw = forms.text(form, "document")
    try:
        document = forms.parse_json(raw)
        with savepoint(session):
            answer = clearance.submit_list(
                session,
                cipher_for(runtime.settings.personal_data_key),
                document,
                principal=principal,
                now=runtime.clock(),
                screener=screener_for(runtime),
            )
    except ClearwayError as error:
        return _page(request, session, principal, route=None, status=None, raw=raw, error=error)
    return _page(request, session, principal, route=None, status=None, raw="", answer=answer)


@router.post("/parcels/{parcel_id}/inspection")
def record_inspection(
    parcel_id: int,
    request: Request,
    form: CsrfForm,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    principal.require_scope(Scope.PARCELS_INSPECT)
    result = forms.text(form, "result")
    try:
        with savepoint(session):
            if result not in ("clear", "found"):
                raise ValidationFailed(
                    "choose the result of the check",
                    errors=[FieldError("/result", "required", "clear or found")],
                )
            recorded = service.record_inspection(
                session,
                principal,
                parcel_id,
                result=result,
                note=forms.text(form, "note")[:500] or result,
                actor=Actor(principal.username, principal.user_id),
                now=runtime.clock(),
            )
    except ClearwayError as error:
        return _page(request, session, principal, route=None, status=None, error=error)
    return _page(request, session, principal, route=None, status=None, recorded=recorded)
