"""Cargo pages: the arrivals board (with the manifest submission form for carriers), a manifest (arrival
report), a bill's page (carry-in, carry-out, holds and examination orders with their results), and the
undeclared-cargo list (customs). Each form posts to this site and redirects to the page it changed; a refused
step shows its coded problem beside the form it came from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from clearway.audit.service import savepoint
from clearway.cargo import custody, service
from clearway.cargo import repository as repo
from clearway.cargo.schemas import bill_summary, manifest_summary
from clearway.errors import ClearwayError, FieldError, ValidationFailed
from clearway.identity.core import Principal, Role, Scope
from clearway.runtime import Runtime
from clearway.web.deps import ResourceId, RuntimeDep, SessionDep
from clearway.web.pages import forms
from clearway.web.pages.guard import PageRoute, form_page_context
from clearway.web.pages.render import redirect, render
from clearway.web.pages.security import CsrfForm, PagePrincipal

router = APIRouter(route_class=PageRoute, include_in_schema=False)
MAX_MANIFEST_BYTES = 20_000_000


def _may_submit(principal: Principal) -> bool:
    return principal.role in (Role.CARRIER, Role.ADMIN) and principal.company_id is not None


def _board(
    request: Request,
    principal: Principal,
    session: SessionDep,
    *,
    error: ClearwayError | None = None,
    values: dict[str, str] | None = None,
    outcomes: list[dict[str, Any]] | None = None,
) -> Response:
    principal.require_scope(Scope.CARGO_READ)
    rows = repo.manifests(session, company_id=None if principal.is_customs else principal.company_id or -1)
    counts = repo.risk_counts(session, [r.id for r in rows])
    context = {
        "rows": [manifest_summary(r, counts[r.id], customs=principal.is_customs) for r in rows],
        "may_submit": _may_submit(principal),
        "outcomes": outcomes or [],
    }
    context = form_page_context(request, context, error=error, form_name="submit", values=values)
    return render(request, "cargo/board.html", context, status=error.status if error else 200)


@router.get("/cargo")
def board(request: Request, principal: PagePrincipal, session: SessionDep) -> Response:
    return _board(request, principal, session)


def _manifest_text(form: FormData) -> str:
    try:
        return forms.read_text(form, MAX_MANIFEST_BYTES)
    except ValidationFailed:
        raise ValidationFailed(
            "nothing was sent", errors=[FieldError("/document", "required", "paste or upload a manifest")]
        ) from None


@router.post("/cargo/manifests")
def submit_manifest(
    request: Request, form: CsrfForm, principal: PagePrincipal, session: SessionDep, runtime: RuntimeDep
) -> Response:
    """A manifest pasted or uploaded: JSON, or UN/EDIFACT CUSCAR when it starts with UNA/UNB."""
    pasted = forms.text(form, "document")
    models_dir = runtime.settings.models_dir
    try:
        with savepoint(session):
            text = _manifest_text(form)
            if text.lstrip().startswith(("UNA", "UNB")):
                answers = service.submit_cuscar(
                    session,
                    principal,
                    text,
                    now=runtime.clock(),
                    today=runtime.today(),
                    models_dir=models_dir,
                )
                return _board(request, principal, session, outcomes=[a.__dict__ for a in answers])
            done = service.submit(
                session,
                principal,
                forms.parse_json(text),
                now=runtime.clock(),
                today=runtime.today(),
                models_dir=models_dir,
            )
    except ClearwayError as error:
        return _board(request, principal, session, error=error, values={"document": pasted})
    return redirect(request, f"/cargo/manifests/{done.manifest.id}?notice=manifest_submitted")


def _manifest(
    request: Request,
    principal: Principal,
    session: SessionDep,
    manifest_id: int,
    *,
    error: ClearwayError | None = None,
    values: dict[str, str] | None = None,
) -> Response:
    row = service.visible_manifest(session, principal, manifest_id)
    bills = [bill_summary(b, customs=principal.is_customs) for b in repo.houses_of(session, row.id)]
    context = {"m": manifest_summary(row), "bills": bills, "may_write": Scope.CARGO_WRITE in principal.scopes}
    context = form_page_context(request, context, error=error, form_name="arrival", values=values)
    return render(request, "cargo/manifest.html", context, status=error.status if error else 200)


@router.get("/cargo/manifests/{manifest_id}")
def manifest_page(
    manifest_id: ResourceId, request: Request, principal: PagePrincipal, session: SessionDep
) -> Response:
    return _manifest(request, principal, session, manifest_id)


@router.post("/cargo/manifests/{manifest_id}/arrival")
def arrival(
    manifest_id: ResourceId,
    request: Request,
    form: CsrfForm,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    values = {"on": forms.text(form, "on")}
    try:
        with savepoint(session):
            service.report_arrival(
                session,
                principal,
                manifest_id,
                on=forms.required_date(values["on"], "/on"),
                now=runtime.clock(),
            )
    except ClearwayError as error:
        return _manifest(request, principal, session, manifest_id, error=error, values=values)
    return redirect(request, f"/cargo/manifests/{manifest_id}?notice=arrival_reported")


@dataclass(frozen=True, slots=True)
class _BillPage:
    """A bill's page for one request: shown, or shown again with the problem beside the form that failed."""

    request: Request
    principal: Principal
    session: Session
    runtime: Runtime
    key: str

    def show(
        self,
        *,
        error: ClearwayError | None = None,
        form_name: str | None = None,
        values: dict[str, str] | None = None,
    ) -> Response:
        today = self.runtime.today()
        context = {
            "b": custody.bill_view(self.session, self.principal, self.key, today=today),
            "may_write": Scope.CARGO_WRITE in self.principal.scopes,
            "today": today.isoformat(),
            "hold_kinds": custody.HOLD_KINDS,
            "results": custody.RESULTS,
        }
        context = form_page_context(self.request, context, error=error, form_name=form_name, values=values)
        return render(self.request, "cargo/bill.html", context, status=error.status if error else 200)

    def after(
        self, step: Callable[[], object], *, form_name: str, values: dict[str, str], notice: str
    ) -> Response:
        """Run a form's step in a savepoint: the bill with a notice when it is done, else the bill again with
        the problem (and nothing of the step stored)."""
        try:
            with savepoint(self.session):
                step()
        except ClearwayError as error:
            return self.show(error=error, form_name=form_name, values=values)
        return redirect(self.request, f"/cargo/bills/{self.key}?notice={notice}")


@router.get("/cargo/bills/{key}")
def bill_page(
    key: str, request: Request, principal: PagePrincipal, session: SessionDep, runtime: RuntimeDep
) -> Response:
    return _BillPage(request, principal, session, runtime, key).show()


@router.post("/cargo/bills/{key}/carry-in")
def carry_in(
    key: str,
    request: Request,
    form: CsrfForm,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    values = {k: forms.text(form, k) for k in ("shed", "area_kind", "on")}

    def step() -> None:
        custody.carry_in(
            session,
            principal,
            key,
            shed=values["shed"],
            area_kind=values["area_kind"] or "designated",
            on=forms.required_date(values["on"], "/on"),
            now=runtime.clock(),
        )

    page = _BillPage(request, principal, session, runtime, key)
    return page.after(step, form_name="carry_in", values=values, notice="carried_in")


@router.post("/cargo/bills/{key}/carry-out")
def carry_out(
    key: str,
    request: Request,
    form: CsrfForm,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    values = {k: forms.text(form, k) for k in ("reason", "reason_text", "on")}

    def step() -> None:
        custody.carry_out(
            session,
            principal,
            key,
            reason=values["reason"] or "release",
            reason_text=values["reason_text"] or None,
            on=forms.required_date(values["on"], "/on"),
            now=runtime.clock(),
        )

    page = _BillPage(request, principal, session, runtime, key)
    return page.after(step, form_name="carry_out", values=values, notice="carried_out")


@router.post("/cargo/bills/{key}/holds")
def place_hold(
    key: str,
    request: Request,
    form: CsrfForm,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    values = {k: forms.text(form, k) for k in ("kind", "reason")}

    def step() -> None:
        custody.place_hold(
            session, principal, key, kind=values["kind"], reason=values["reason"], now=runtime.clock()
        )

    page = _BillPage(request, principal, session, runtime, key)
    return page.after(step, form_name="hold", values=values, notice="hold_placed")


@router.post("/cargo/bills/{key}/holds/{hold_id}/result")
def hold_result(
    key: str,
    hold_id: ResourceId,
    request: Request,
    form: CsrfForm,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    values = {k: forms.text(form, k) for k in ("result", "note")}

    def step() -> None:
        custody.visible_bill(session, principal, key)
        custody.close_hold(
            session,
            principal,
            hold_id,
            result=values["result"],
            note=values["note"] or None,
            now=runtime.clock(),
        )

    page = _BillPage(request, principal, session, runtime, key)
    return page.after(step, form_name=f"result:{hold_id}", values=values, notice="hold_closed")


@router.get("/cargo/undeclared")
def undeclared_page(
    request: Request,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
    on: date | None = None,
) -> Response:
    day = on or runtime.today()
    return render(
        request,
        "cargo/undeclared.html",
        {
            "rows": custody.undeclared_cargo(session, principal, on=day),
            "held": custody.held_declarations(session, principal),
            "on": day.isoformat(),
        },
    )
