"""A company's own mandates: a trader records and revokes its brokers' mandates; a broker sees (and may
resign) the mandates it holds. The administrator's page for every company is in
:mod:`clearway.web.pages.admin`."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request, Response

from clearway.audit.service import savepoint
from clearway.clock import korea_date
from clearway.errors import ClearwayError, FieldError, Forbidden
from clearway.identity.core import COMPANY_ROLES, Principal, Role
from clearway.party import repository as party_records
from clearway.party import service as parties
from clearway.web.deps import ResourceId, RuntimeDep, SessionDep
from clearway.web.pages import forms
from clearway.web.pages.guard import PageRoute, form_page_context
from clearway.web.pages.render import redirect, render
from clearway.web.pages.security import CsrfForm, PagePrincipal

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def require_company(principal: Principal) -> None:
    if principal.role not in COMPANY_ROLES or principal.company_id is None:
        raise Forbidden("mandates are managed by traders and brokers of a company (administrators: /admin)")


def view(session: SessionDep, principal: Principal) -> dict[str, Any]:
    companies = party_records.companies(session)
    return {
        "mandates": parties.visible_mandates(session, principal),
        "companies": {c.id: c for c in companies},
        "brokers": [c for c in companies if c.kind == "broker"],
        "scopes": ("import", "export", "both"),
        "can_record": principal.role is Role.TRADER,
    }


def show(
    request: Request,
    context: dict[str, Any],
    *,
    error: ClearwayError | None = None,
    form_name: str | None = None,
    values: dict[str, str] | None = None,
) -> Response:
    context = form_page_context(request, context, error=error, form_name=form_name, values=values)
    return render(request, "mandates.html", context, status=error.status if error else 200, here="/mandates")


@router.get("/mandates")
def mandates_page(request: Request, principal: PagePrincipal, session: SessionDep) -> Response:
    require_company(principal)
    return show(request, view(session, principal))


@router.post("/mandates")
def record(
    request: Request, form: CsrfForm, principal: PagePrincipal, session: SessionDep, runtime: RuntimeDep
) -> Response:
    """The client company mandates a broker (for itself only; the service refuses anything else)."""
    require_company(principal)
    values = {k: forms.text(form, k) for k in ("broker_company_id", "scope", "valid_from", "valid_to")}
    try:
        with savepoint(session):
            broker = values["broker_company_id"]
            if not broker.isdigit() or len(broker) > 9:
                forms.fail_if(
                    [FieldError("/broker_company_id", "required", "choose a broker")], "choose a broker"
                )
            valid_from = forms.optional_date(values["valid_from"], "/valid_from")
            if valid_from is None:
                forms.fail_if(
                    [FieldError("/valid_from", "required", "the first day")], "a start date is needed"
                )
            parties.record_mandate(
                session,
                principal,
                broker_company_id=int(broker),
                client_company_id=principal.company_id or 0,
                scope=values["scope"],
                valid_from=valid_from or date.min,
                valid_to=forms.optional_date(values["valid_to"], "/valid_to"),
                now=runtime.clock(),
            )
    except ClearwayError as error:
        return show(request, view(session, principal), error=error, form_name="create", values=values)
    return redirect(request, "/mandates?notice=mandate_recorded")


@router.post("/mandates/{mandate_id}/revoke")
def revoke(
    mandate_id: ResourceId,
    request: Request,
    form: CsrfForm,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    require_company(principal)
    reason = forms.text(form, "reason")
    now = runtime.clock()
    try:
        with savepoint(session):
            parties.revoke_mandate(
                session,
                principal,
                mandate_id,
                reason=reason,
                on=korea_date(now),
                now=now,
            )
    except ClearwayError as error:
        return show(
            request,
            view(session, principal),
            error=error,
            form_name=f"revoke:{mandate_id}",
            values={"reason": reason},
        )
    return redirect(request, "/mandates?notice=mandate_revoked")
