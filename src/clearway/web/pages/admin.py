"""Administrator pages: users, companies, mandates, tariff and exchange-rate loads, parameters, audit check,
webhook dead letters.

Administrators only. Each form posts with the session's CSRF token, runs its service in a savepoint and shows
the page again: with a notice on success, with the problem next to the form on failure (nothing stored).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request, Response
from starlette.datastructures import FormData, UploadFile

from clearway.audit.service import Actor, savepoint
from clearway.audit.service import verify as verify_chain
from clearway.clock import korea_date
from clearway.errors import ClearwayError, FieldError, ValidationFailed
from clearway.identity import admin as users
from clearway.identity.core import Principal, Role
from clearway.messaging import webhooks as webhook_delivery
from clearway.party import repository as party_records
from clearway.party import service as parties
from clearway.tariff import repository as tariff_records
from clearway.tariff import service as tariff
from clearway.web.deps import ResourceId, RuntimeDep, SessionDep
from clearway.web.pages import forms
from clearway.web.pages.guard import PageRoute, form_page_context
from clearway.web.pages.render import redirect, render
from clearway.web.pages.security import CsrfForm, PagePrincipal

router = APIRouter(route_class=PageRoute, include_in_schema=False, prefix="/admin")
SECTIONS = ("users", "companies", "mandates", "tariff", "parameters", "audit", "webhooks")
ROLES = [r.value for r in Role]
UPLOAD_SUFFIXES = (".csv", ".xlsx", ".txt")


def require_admin(principal: Principal) -> None:
    principal.require_role(Role.ADMIN)


def show(
    request: Request,
    section: str,
    context: dict[str, Any],
    *,
    error: ClearwayError | None = None,
    form_name: str | None = None,
    values: dict[str, str] | None = None,
) -> Response:
    """One administrator page; with ``error`` the problem is shown beside the form named ``form_name``."""
    context = form_page_context(
        request,
        {"section": section, "sections": SECTIONS, **context},
        error=error,
        form_name=form_name,
        values=values,
    )
    return render(
        request,
        f"admin/{section}.html",
        context,
        status=error.status if error else 200,
        here=f"/admin/{section}",
    )


def attempt(
    request: Request,
    section: str,
    view: Callable[[], dict[str, Any]],
    action: Callable[[], object],
    *,
    session: SessionDep,
    form_name: str,
    values: dict[str, str],
    notice: str,
) -> Response:
    try:
        with savepoint(session):
            action()
    except ClearwayError as error:
        return show(request, section, view(), error=error, form_name=form_name, values=values)
    return redirect(request, f"/admin/{section}?notice={notice}")


def _id(raw: str, pointer: str) -> int:
    if not raw.isdigit() or len(raw) > 9:
        raise ValidationFailed("choose one", errors=[FieldError(pointer, "required", "choose one")])
    return int(raw)


@router.get("")
def index(request: Request, principal: PagePrincipal) -> Response:
    require_admin(principal)
    return redirect(request, "/admin/users")


# ---- users ------------------------------------------------------------------------------------------------
def users_view(session: SessionDep) -> dict[str, Any]:
    companies = party_records.companies(session)
    return {
        "users": party_records.users(session),
        "companies": companies,
        "roles": ROLES,
        "company_names": {c.id: c.name for c in companies},
    }


@router.get("/users")
def users_page(request: Request, principal: PagePrincipal, session: SessionDep) -> Response:
    require_admin(principal)
    return show(request, "users", users_view(session))


@router.post("/users")
def create_user(
    request: Request, form: CsrfForm, principal: PagePrincipal, session: SessionDep, runtime: RuntimeDep
) -> Response:
    require_admin(principal)
    values = {k: forms.text(form, k) for k in ("username", "display_name", "role", "company_id")}
    password = str(form.get("password") or "")

    def action() -> None:
        company = _id(values["company_id"], "/company_id") if values["company_id"] else None
        users.create(
            session,
            principal,
            username=values["username"],
            password=password,
            role=values["role"],
            company_id=company,
            display_name=values["display_name"],
            now=runtime.clock(),
        )

    return attempt(
        request,
        "users",
        lambda: users_view(session),
        action,
        session=session,
        form_name="create",
        values=values,
        notice="user_created",
    )


@router.post("/users/{user_id}/role")
def change_role(
    user_id: ResourceId,
    request: Request,
    form: CsrfForm,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    require_admin(principal)
    role = forms.text(form, "role")
    return attempt(
        request,
        "users",
        lambda: users_view(session),
        lambda: users.set_role(session, principal, user_id, role, now=runtime.clock()),
        session=session,
        form_name=f"role:{user_id}",
        values={"role": role},
        notice="role_changed",
    )


@router.post("/users/{user_id}/active")
def set_active(
    user_id: ResourceId,
    request: Request,
    form: CsrfForm,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    require_admin(principal)
    active = forms.checked(form, "active")
    return attempt(
        request,
        "users",
        lambda: users_view(session),
        lambda: users.set_active(session, principal, user_id, active, now=runtime.clock()),
        session=session,
        form_name=f"active:{user_id}",
        values={},
        notice="activated" if active else "deactivated",
    )


# ---- companies --------------------------------------------------------------------------------------------
def companies_view(session: SessionDep) -> dict[str, Any]:
    return {"companies": party_records.companies(session), "kinds": ("trader", "broker", "customs")}


@router.get("/companies")
def companies_page(request: Request, principal: PagePrincipal, session: SessionDep) -> Response:
    require_admin(principal)
    return show(request, "companies", companies_view(session))


@router.post("/companies")
def register_company(
    request: Request, form: CsrfForm, principal: PagePrincipal, session: SessionDep, runtime: RuntimeDep
) -> Response:
    require_admin(principal)
    values = {k: forms.text(form, k) for k in ("name", "kind", "brn", "customs_code")}

    def action() -> None:
        if values["kind"] not in ("trader", "broker", "customs"):
            forms.fail_if([FieldError("/kind", "not_allowed", "trader, broker or customs")], "unknown kind")
        parties.register_company(
            session,
            principal,
            name=values["name"],
            kind=values["kind"],
            brn=values["brn"] or None,
            customs_code=values["customs_code"] or None,
            now=runtime.clock(),
        )

    return attempt(
        request,
        "companies",
        lambda: companies_view(session),
        action,
        session=session,
        form_name="create",
        values=values,
        notice="company_registered",
    )


@router.post("/companies/{company_id}/customs-code")
def set_customs_code(
    company_id: ResourceId,
    request: Request,
    form: CsrfForm,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    require_admin(principal)
    code = forms.text(form, "customs_code")
    return attempt(
        request,
        "companies",
        lambda: companies_view(session),
        lambda: parties.set_customs_code(session, principal, company_id, code or None, now=runtime.clock()),
        session=session,
        form_name=f"code:{company_id}",
        values={"customs_code": code},
        notice="customs_code_set",
    )


# ---- mandates ---------------------------------------------------------------------------------------------
def mandates_view(session: SessionDep, principal: Principal) -> dict[str, Any]:
    companies = party_records.companies(session)
    return {
        "mandates": parties.visible_mandates(session, principal),
        "companies": {c.id: c for c in companies},
        "brokers": [c for c in companies if c.kind == "broker"],
        "clients": [c for c in companies if c.kind == "trader"],
        "scopes": ("import", "export", "both"),
    }


@router.get("/mandates")
def mandates_page(request: Request, principal: PagePrincipal, session: SessionDep) -> Response:
    require_admin(principal)
    return show(request, "mandates", mandates_view(session, principal))


@router.post("/mandates")
def record_mandate(
    request: Request, form: CsrfForm, principal: PagePrincipal, session: SessionDep, runtime: RuntimeDep
) -> Response:
    require_admin(principal)
    values = {
        k: forms.text(form, k)
        for k in ("broker_company_id", "client_company_id", "scope", "valid_from", "valid_to")
    }

    def action() -> None:
        parties.record_mandate(
            session,
            principal,
            broker_company_id=_id(values["broker_company_id"], "/broker_company_id"),
            client_company_id=_id(values["client_company_id"], "/client_company_id"),
            scope=values["scope"],
            valid_from=forms.required_date(values["valid_from"], "/valid_from"),
            valid_to=forms.optional_date(values["valid_to"], "/valid_to"),
            now=runtime.clock(),
        )

    return attempt(
        request,
        "mandates",
        lambda: mandates_view(session, principal),
        action,
        session=session,
        form_name="create",
        values=values,
        notice="mandate_recorded",
    )


@router.post("/mandates/{mandate_id}/revoke")
def revoke_mandate(
    mandate_id: ResourceId,
    request: Request,
    form: CsrfForm,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    require_admin(principal)
    reason = forms.text(form, "reason")
    now = runtime.clock()
    return attempt(
        request,
        "mandates",
        lambda: mandates_view(session, principal),
        lambda: parties.revoke_mandate(
            session, principal, mandate_id, reason=reason, on=korea_date(now), now=now
        ),
        session=session,
        form_name=f"revoke:{mandate_id}",
        values={"reason": reason},
        notice="mandate_revoked",
    )


# ---- tariff and exchange-rate loads ---------------------------------------------------------------------
def tariff_view(session: SessionDep) -> dict[str, Any]:
    return {"sources": tariff_records.sources(session), "counts": tariff_records.counts(session)}


def _upload(form: FormData, max_bytes: int, folder: Path) -> Path:
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise ValidationFailed("choose a file", errors=[FieldError("/file", "no_file", "choose a file")])
    name = Path(upload.filename).name
    if not name.lower().endswith(UPLOAD_SUFFIXES):
        raise ValidationFailed("a CSV or XLSX file", errors=[FieldError("/file", "not_allowed", name)])
    data = upload.file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationFailed("the file is too large", errors=[FieldError("/file", "too_large", name)])
    path = folder / name
    path.write_bytes(data)
    return path


@router.get("/tariff")
def tariff_page(request: Request, principal: PagePrincipal, session: SessionDep) -> Response:
    require_admin(principal)
    return show(request, "tariff", tariff_view(session))


@router.post("/tariff")
def load_file(
    request: Request, form: CsrfForm, principal: PagePrincipal, session: SessionDep, runtime: RuntimeDep
) -> Response:
    """Load the KCS rate file or the customs exchange rates; the page shows the load's report."""
    require_admin(principal)
    kind = forms.text(form, "kind")
    actor = Actor(principal.username, principal.user_id)
    try:
        with tempfile.TemporaryDirectory() as folder, savepoint(session):
            path = _upload(form, runtime.settings.max_body_bytes, Path(folder))
            if kind == "rates":
                result = tariff.load_kcs_file(session, path, now=runtime.clock(), actor=actor)
            elif kind == "exchange_rates":
                result = tariff.load_exchange_rate_file(session, path, now=runtime.clock(), actor=actor)
            else:
                raise ValidationFailed(
                    "choose what the file holds",
                    errors=[FieldError("/kind", "not_allowed", "rates or exchange_rates")],
                )
    except ClearwayError as error:
        return show(
            request, "tariff", tariff_view(session), error=error, form_name="load", values={"kind": kind}
        )
    return show(request, "tariff", {**tariff_view(session), "loaded": result.as_dict()})


# ---- parameters -------------------------------------------------------------------------------------------
def parameters_view(session: SessionDep, runtime: RuntimeDep, on: date | None) -> dict[str, Any]:
    day = on or runtime.today()
    rows = tariff.parameter_list(session, day)
    return {"parameters": rows, "on": day.isoformat(), "shown": {r["key"]: _value(r["value"]) for r in rows}}


def _value(value: Any) -> str:
    return (
        str(value["decimal"])
        if isinstance(value, dict) and "decimal" in value
        else json.dumps(value, ensure_ascii=False)
    )


@router.get("/parameters")
def parameters_page(
    request: Request,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
    on: date | None = None,
) -> Response:
    require_admin(principal)
    return show(request, "parameters", parameters_view(session, runtime, on))


@router.post("/parameters")
def set_parameter(
    request: Request, form: CsrfForm, principal: PagePrincipal, session: SessionDep, runtime: RuntimeDep
) -> Response:
    """A corrected value from a date, with the note saying why (as ``clearway tariff set-parameter``)."""
    require_admin(principal)
    values = {k: forms.text(form, k) for k in ("key", "value", "valid_from", "note")}

    def action() -> None:
        errors = forms.reason_errors(values["note"], "/note", required=True, maximum=500)
        if not values["value"]:
            errors.append(FieldError("/value", "required", "the corrected value"))
        forms.fail_if(errors, "the correction is incomplete")
        try:
            parsed: Any = json.loads(values["value"])
        except json.JSONDecodeError:
            parsed = values["value"]
        if isinstance(parsed, int | float) and not isinstance(parsed, bool):
            parsed = {"decimal": values["value"]}
        tariff.set_parameter(
            session,
            key=values["key"],
            value=parsed,
            valid_from=forms.required_date(values["valid_from"], "/valid_from"),
            now=runtime.clock(),
            actor=Actor(principal.username, principal.user_id),
            note=values["note"],
        )

    return attempt(
        request,
        "parameters",
        lambda: parameters_view(session, runtime, None),
        action,
        session=session,
        form_name="set",
        values=values,
        notice="parameter_set",
    )


# ---- audit ------------------------------------------------------------------------------------------------
@router.get("/audit")
def audit_page(request: Request, principal: PagePrincipal) -> Response:
    require_admin(principal)
    return show(request, "audit", {"result": None})


@router.post("/audit")
def verify_audit(request: Request, form: CsrfForm, principal: PagePrincipal, session: SessionDep) -> Response:
    """Re-hash the whole audit chain and show what (if anything) was edited, inserted or deleted."""
    require_admin(principal)
    return show(request, "audit", {"result": verify_chain(session)})


# ---- webhook dead letters ---------------------------------------------------------------------------------
def webhooks_view(session: SessionDep) -> dict[str, Any]:
    return {
        "letters": webhook_delivery.dead_letters(session),
        "count": webhook_delivery.dead_letter_count(session),
        "company_names": {c.id: c.name for c in party_records.companies(session)},
    }


@router.get("/webhooks")
def webhooks_page(request: Request, principal: PagePrincipal, session: SessionDep) -> Response:
    require_admin(principal)
    return show(request, "webhooks", webhooks_view(session))


@router.post("/webhooks/replay")
def replay_all_dead_letters(
    request: Request, form: CsrfForm, principal: PagePrincipal, session: SessionDep, runtime: RuntimeDep
) -> Response:
    require_admin(principal)
    webhook_delivery.replay(session, principal, None, now=runtime.clock())
    return redirect(request, "/admin/webhooks?notice=replayed")


@router.post("/webhooks/{job_id}/replay")
def replay_dead_letter(
    request: Request,
    job_id: ResourceId,
    form: CsrfForm,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    require_admin(principal)
    return attempt(
        request,
        "webhooks",
        lambda: webhooks_view(session),
        lambda: webhook_delivery.replay(session, principal, job_id, now=runtime.clock()),
        session=session,
        form_name="replay",
        values={},
        notice="replayed",
    )
