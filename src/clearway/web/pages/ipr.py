"""IPR pages: the holds each party works on (officer queue with deadlines, right-holder portal, importer
view), a hold's page with the forms its reader may use, and opening a hold. Same services as the API."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from clearway.audit.service import savepoint
from clearway.clock import korea_date
from clearway.errors import FieldError, ValidationFailed
from clearway.identity.core import Role, Scope
from clearway.ipr import service
from clearway.ipr.schemas import EvidenceCreate, HoldAnswer, HoldCreate, HoldDecision, parse
from clearway.web.deps import ResourceId, RuntimeDep, SessionDep
from clearway.web.pages import forms
from clearway.web.pages.guard import PageRoute
from clearway.web.pages.render import redirect, render
from clearway.web.pages.security import CsrfForm, PagePrincipal

router = APIRouter(route_class=PageRoute, include_in_schema=False)
NOTICES = ("opened", "answered", "evidence", "decided")


def _int(raw: str, pointer: str) -> int:
    if not raw.strip().isdigit():
        raise ValidationFailed(
            "enter a number", errors=[FieldError(pointer, "not_a_number", "a whole number")]
        )
    return int(raw)


@router.get("/ipr/holds")
def holds_page(
    request: Request,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
    overdue: bool = False,
) -> Response:
    principal.require_scope(Scope.IPR_READ)
    today = runtime.today()
    rows = [
        service.hold_view(session, principal, h, today=today)
        for h in service.list_holds(session, principal, today=today, only_overdue=overdue)
    ]
    return render(
        request,
        "ipr/holds.html",
        {"rows": rows, "overdue": overdue, "can_open": principal.role is Role.OFFICER},
    )


@router.post("/ipr/holds")
def open_hold(
    request: Request, form: CsrfForm, principal: PagePrincipal, session: SessionDep, runtime: RuntimeDep
) -> Response:
    now = runtime.clock()
    data: dict[str, Any] = {
        "declaration_id": _int(forms.text(form, "declaration_id"), "/declaration_id"),
        "line_number": _int(forms.text(form, "line_number"), "/line_number"),
        "recording_id": _int(forms.text(form, "recording_id"), "/recording_id"),
        "reason": forms.text(form, "reason"),
    }
    with savepoint(session):
        hold = service.open_hold(session, principal, parse(HoldCreate, data), now=now, today=korea_date(now))
    return redirect(request, f"/ipr/holds/{hold.id}?notice=opened")


@router.get("/ipr/holds/{hold_id}")
def hold_page(
    hold_id: ResourceId,
    request: Request,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
    notice: str | None = None,
) -> Response:
    today = runtime.today()
    hold = service.visible_hold(session, principal, hold_id)
    who = service.audience(session, principal, hold)
    view = service.hold_view(session, principal, hold, today=today)
    open_ = view.status in ("awaiting_right_holder", "confirmed", "disputed")
    return render(
        request,
        "ipr/hold.html",
        {
            "h": view,
            "who": who,
            "notice": notice if notice in NOTICES else None,
            "can_answer": who == "right_holder" and view.status == "awaiting_right_holder",
            "can_evidence": who in ("right_holder", "importer") and open_,
            "can_decide": principal.role is Role.OFFICER and open_,
        },
    )


@router.post("/ipr/holds/{hold_id}/answer")
def answer(
    hold_id: ResourceId,
    request: Request,
    form: CsrfForm,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    now = runtime.clock()
    data: dict[str, Any] = {"answer": forms.text(form, "answer"), "note": forms.text(form, "note") or None}
    if forms.text(form, "security_krw"):
        data["security_krw"] = forms.text(form, "security_krw").replace(",", "")
    with savepoint(session):
        service.answer_hold(
            session,
            principal,
            hold_id,
            parse(HoldAnswer, data),
            now=now,
            today=korea_date(now),
        )
    return redirect(request, f"/ipr/holds/{hold_id}?notice=answered")


@router.post("/ipr/holds/{hold_id}/evidence")
def evidence(
    hold_id: ResourceId,
    request: Request,
    form: CsrfForm,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    data = parse(EvidenceCreate, {"text": forms.text(form, "text")})
    with savepoint(session):
        service.add_evidence(session, principal, hold_id, data, now=runtime.clock())
    return redirect(request, f"/ipr/holds/{hold_id}?notice=evidence")


@router.post("/ipr/holds/{hold_id}/decide")
def decide(
    hold_id: ResourceId,
    request: Request,
    form: CsrfForm,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    data = {"decision": forms.text(form, "decision"), "note": forms.text(form, "note")}
    with savepoint(session):
        service.decide_hold(session, principal, hold_id, parse(HoldDecision, data), now=runtime.clock())
    return redirect(request, f"/ipr/holds/{hold_id}?notice=decided")
