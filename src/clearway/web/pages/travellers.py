"""Traveller unit pages: arrivals by flight, a flight's selection list, a passenger's page, and the forms that
feed them (a carrier message, a watchlist file, screening, hit decisions, check results, retraining).
Same services as the API; only holders of ``travellers:read`` / ``travellers:write`` get past the services."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from fastapi import APIRouter, Request, Response

from clearway.errors import FieldError, ValidationFailed
from clearway.identity.core import Scope
from clearway.traveller import declaration_service, risk_service, service, watch_service
from clearway.traveller.declaration import rates_data
from clearway.traveller.screening import DEFAULT_THRESHOLD
from clearway.web.deps import ResourceId, RuntimeDep, SessionDep
from clearway.web.pages import forms
from clearway.web.pages.guard import PageRoute
from clearway.web.pages.render import redirect, render
from clearway.web.pages.security import CsrfForm, CsrfRejected, PagePrincipal, new_login_nonce, same

router = APIRouter(route_class=PageRoute, include_in_schema=False)
MAX_UPLOAD = 2_000_000


@router.get("/travellers")
def board(request: Request, principal: PagePrincipal, session: SessionDep, runtime: RuntimeDep) -> Response:
    principal.require_scope(Scope.TRAVELLERS_READ)
    latest = risk_service.latest_model(runtime.settings.models_dir, runtime.caches)
    return render(
        request,
        "travellers/board.html",
        {
            "flights": service.flights(session, principal),
            "lists": watch_service.current_watchlists(session),
            "model": None if latest is None else {"version": latest[0], "metrics": latest[2]},
            "notice": request.query_params.get("notice"),
        },
    )


@router.post("/travellers/messages")
def receive(
    request: Request, form: CsrfForm, principal: PagePrincipal, session: SessionDep, runtime: RuntimeDep
) -> Response:
    text = forms.read_text(form, MAX_UPLOAD).strip()
    if text.startswith(("UNA", "UNB")):
        ack = service.receive_paxlst(session, principal, text, now=runtime.clock())
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            where = f"line {exc.lineno}, column {exc.colno}: {exc.msg}"
            raise ValidationFailed(
                "the message is neither PAXLST nor valid JSON", errors=[FieldError("", "invalid_json", where)]
            ) from None
        ack = service.receive(session, principal, data, now=runtime.clock())
    flight = ack["flight"]
    return redirect(
        request, f"/travellers/flights/{flight['number']}/{flight['arrival_date']}?notice={ack['status']}"
    )


@router.post("/travellers/watchlists")
def load_watchlist(
    request: Request, form: CsrfForm, principal: PagePrincipal, session: SessionDep, runtime: RuntimeDep
) -> Response:
    text = forms.read_text(form, MAX_UPLOAD)
    watch_service.load_watchlist(session, principal, forms.text(form, "name"), text, now=runtime.clock())
    return redirect(request, "/travellers?notice=watchlist_loaded")


@router.post("/travellers/model/train")
def train(
    request: Request, form: CsrfForm, principal: PagePrincipal, session: SessionDep, runtime: RuntimeDep
) -> Response:
    days = forms.text(form, "generated_days") or "20"
    if not days.isdigit():
        raise ValidationFailed(
            "days of generated traffic is a whole number",
            errors=[FieldError("/generated_days", "not_a_number", "0-120")],
        )
    risk_service.train_model(
        session,
        principal,
        models_dir=runtime.settings.models_dir,
        generated_days=int(days),
        now=runtime.clock(),
    )
    return redirect(request, "/travellers?notice=trained")


@router.get("/travellers/flights/{flight_number}/{arrival_date}")
def flight_page(
    flight_number: str,
    arrival_date: date,
    request: Request,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    result = risk_service.selection_list(
        session,
        principal,
        flight_number,
        arrival_date,
        models_dir=runtime.settings.models_dir,
        now=runtime.clock(),
    )
    return render(
        request,
        "travellers/flight.html",
        {"s": result, "notice": request.query_params.get("notice")},
    )


@router.post("/travellers/flights/{flight_number}/{arrival_date}/screen")
def screen(
    flight_number: str,
    arrival_date: date,
    request: Request,
    form: CsrfForm,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    found = watch_service.screen_flight(
        session, principal, flight_number, arrival_date, now=runtime.clock(), threshold=DEFAULT_THRESHOLD
    )
    notice = f"screened_{len(found.hits)}"
    return redirect(request, f"/travellers/flights/{flight_number.upper()}/{arrival_date}?notice={notice}")


@router.get("/travellers/passengers/{passenger_id}")
def passenger_page(
    passenger_id: ResourceId,
    request: Request,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    row = service.get_passenger(session, principal, passenger_id, now=runtime.clock())
    selection = risk_service.selection_list(
        session,
        principal,
        row.flight_number,
        row.arrival_date,
        models_dir=runtime.settings.models_dir,
        now=runtime.clock(),
    )
    mine = next((s for r, s in selection.rows if r.id == row.id), None)
    return render(
        request,
        "travellers/passenger.html",
        {
            "p": row,
            "sel": mine,
            "hits": watch_service.passenger_hits(session, row.id),
            "checks": risk_service.passenger_checks(session, row.id),
            "declarations": declaration_service.passenger_declarations(session, row.id),
            "facts": risk_service.facts_of_row(row).as_dict() if row.masked_at is None else {},
            "notice": request.query_params.get("notice"),
        },
    )


@router.post("/travellers/hits/{hit_id}/decide")
def decide(
    hit_id: ResourceId,
    request: Request,
    form: CsrfForm,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    hit = watch_service.decide_hit(
        session,
        principal,
        hit_id,
        forms.text(form, "decision"),
        forms.text(form, "note"),
        now=runtime.clock(),
    )
    return redirect(request, f"/travellers/passengers/{hit.passenger_id}?notice=hit_{hit.status}")


@router.post("/travellers/passengers/{passenger_id}/check")
def check(
    passenger_id: ResourceId,
    request: Request,
    form: CsrfForm,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    outcome = forms.text(form, "outcome")
    if outcome not in ("found", "nothing"):
        raise ValidationFailed(
            "say whether the check found something",
            errors=[FieldError("/outcome", "missing", "found or nothing")],
        )
    risk_service.record_check(
        session,
        principal,
        passenger_id,
        found=outcome == "found",
        finding=forms.text(form, "finding"),
        selected_by=forms.text(form, "selected_by") or "officer",
        now=runtime.clock(),
    )
    return redirect(request, f"/travellers/passengers/{passenger_id}?notice=checked")


# ---- the traveller's own declaration (no sign-in) --------------------------------------------------------------

DECLARE_CSRF_COOKIE = "clearway_declare_csrf"
GOODS_ROWS = 3


def _declare_page(request: Request, *, nonce: str, result: dict[str, Any] | None = None) -> Response:
    response = render(
        request,
        "travellers/declare.html",
        {"nonce": nonce, "result": result, "rows": range(GOODS_ROWS), "data": rates_data()},
    )
    response.set_cookie(
        DECLARE_CSRF_COOKIE,
        nonce,
        max_age=3600,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/declare",
    )
    return response


@router.get("/declare")
def declare_form(request: Request) -> Response:
    return _declare_page(request, nonce=request.cookies.get(DECLARE_CSRF_COOKIE) or new_login_nonce())


@router.post("/declare")
async def declare(request: Request, session: SessionDep, runtime: RuntimeDep) -> Response:
    form = await request.form()
    cookie = request.cookies.get(DECLARE_CSRF_COOKIE)
    if not cookie or not same(form.get("csrf_token"), cookie):
        raise CsrfRejected("the declaration form's security token is missing or does not match")

    def field(name: str) -> str:
        value = form.get(name)
        return value.strip() if isinstance(value, str) else ""

    goods = [
        {
            "description": field(f"goods_{i}_description"),
            "category": field(f"goods_{i}_category") or "general",
            "price": field(f"goods_{i}_price"),
            "currency": field(f"goods_{i}_currency"),
            "quantity": field(f"goods_{i}_quantity") or "1",
        }
        for i in range(GOODS_ROWS)
        if field(f"goods_{i}_description") or field(f"goods_{i}_price")
    ]
    alcohol = (
        [
            {
                "kind": field("alcohol_kind"),
                "bottles": field("alcohol_bottles"),
                "litres": field("alcohol_litres"),
                "price": field("alcohol_price"),
                "currency": field("alcohol_currency"),
            }
        ]
        if field("alcohol_bottles") not in ("", "0")
        else []
    )
    data = {
        "flight_number": field("flight_number"),
        "arrival_date": field("arrival_date"),
        "document_issuer": field("document_issuer"),
        "document_number": field("document_number"),
        "goods": goods,
        "alcohol": alcohol,
        "cigarettes": field("cigarettes") or "0",
        "perfume_ml": field("perfume_ml") or "0",
        "perfume_price": field("perfume_price") or "0",
        "perfume_currency": field("perfume_currency") or "USD",
        "cash": field("cash") or "0",
        "cash_currency": field("cash_currency") or "USD",
        "restricted": [str(v) for v in form.getlist("restricted")],
        "self_declared": True,
    }
    _, result = declaration_service.submit(session, data, now=runtime.clock())
    return _declare_page(request, nonce=cookie, result=result)
