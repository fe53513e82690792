"""Risk analyst pages: selectivity criteria and watchlists with their versions and a dry run, the model
registry with promote and roll back, and the risk report with its drift alert drawn as charts.

For risk analysts and administrators; the pages call the same services as the risk API.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request, Response

from clearway.audit.service import Actor, savepoint
from clearway.errors import ClearwayError, FieldError, ValidationFailed
from clearway.identity.core import Principal, Role, Scope
from clearway.risk import repository as repo
from clearway.risk import service, versions
from clearway.risk.conditions import validate
from clearway.web.deps import RuntimeDep, SessionDep
from clearway.web.i18n import translator
from clearway.web.pages import forms
from clearway.web.pages.charts import Line, bar_chart, line_chart
from clearway.web.pages.guard import PageRoute, problem_context
from clearway.web.pages.render import language_of, redirect, render
from clearway.web.pages.security import CsrfForm, PagePrincipal

router = APIRouter(route_class=PageRoute, include_in_schema=False, prefix="/analyst")
SECTIONS = ("criteria", "models", "report")
LANE_CSS = {lane: f"bar lane-{lane}" for lane in ("green", "blue", "yellow", "red")}
PSI_SOME, PSI_SHIFTED = 0.1, 0.25  # the report's drift thresholds (risk.report)


def require_analyst(principal: Principal) -> None:
    principal.require_role(Role.RISK_ANALYST, Role.ADMIN)
    principal.require_scope(Scope.RISK_READ)


def writer(principal: Principal) -> Actor:
    principal.require_scope(Scope.RISK_WRITE)
    return Actor(principal.username, principal.user_id)


def show(
    request: Request,
    section: str,
    context: dict[str, Any],
    *,
    error: ClearwayError | None = None,
    form_name: str | None = None,
) -> Response:
    context = {
        "section": section,
        "sections": SECTIONS,
        "notice": request.query_params.get("notice"),
        "failed_form": form_name if error else None,
        "problem": None,
        **context,
    }
    if error is not None:
        context.update(problem_context(error, language_of(request)), notice=None)
    return render(
        request,
        f"analyst/{section}.html",
        context,
        status=error.status if error else 200,
        here=f"/analyst/{section}",
    )


@router.get("")
def index(request: Request, principal: PagePrincipal) -> Response:
    require_analyst(principal)
    return redirect(request, "/analyst/criteria")


# ---- criteria and watchlists ----------------------------------------------------------------------------
def criteria_view(session: SessionDep) -> dict[str, Any]:
    criteria = service.list_criteria(session)
    lists = repo.watchlists(session)
    entries = repo.entries(session, [w.id for w in lists], current=False)
    return {
        "criteria": criteria,
        "history": {v.criterion.id: service.criterion_history(session, v.criterion.id) for v in criteria},
        "watchlists": lists,
        "entries": {w.id: [e for e in entries if e.watchlist_id == w.id] for w in lists},
        "condition": "",
        "dry_run": None,
    }


@router.get("/criteria")
def criteria_page(request: Request, principal: PagePrincipal, session: SessionDep) -> Response:
    require_analyst(principal)
    return show(request, "criteria", criteria_view(session))


@router.post("/criteria/dry-run")
def dry_run(request: Request, form: CsrfForm, principal: PagePrincipal, session: SessionDep) -> Response:
    """Validate a condition and count how many recent declarations it would have matched (nothing saved)."""
    require_analyst(principal)
    raw = forms.text(form, "condition")
    context = criteria_view(session)
    context["condition"] = raw
    try:
        try:
            document = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ValidationFailed(
                "the condition is not valid JSON",
                errors=[FieldError("/condition", "invalid_json", f"line {exc.lineno}, column {exc.colno}")],
            ) from None
        condition = validate(document, watchlists=repo.watchlist_names(session))
        context["dry_run"] = service.dry_run(session, condition)
    except ClearwayError as error:
        return show(request, "criteria", context, error=error, form_name="dry_run")
    return show(request, "criteria", context)


# ---- model registry -------------------------------------------------------------------------------------
@router.get("/models")
def models_page(request: Request, principal: PagePrincipal, session: SessionDep) -> Response:
    require_analyst(principal)
    return show(request, "models", {"models": repo.model_versions(session)})


@router.post("/models/{version}/promote")
def promote(
    version: str,
    request: Request,
    form: CsrfForm,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    """Promote a candidate, or roll back to a retired version (the same step: it serves from now on)."""
    require_analyst(principal)
    note = forms.text(form, "note")
    try:
        with savepoint(session):
            forms.fail_if(
                forms.reason_errors(note, "/note", required=True, maximum=500), "a note is required"
            )
            versions.promote(
                session,
                version=version,
                models_dir=runtime.settings.models_dir,
                actor=writer(principal),
                now=runtime.clock(),
                note=note,
            )
    except ClearwayError as error:
        return show(
            request,
            "models",
            {"models": repo.model_versions(session)},
            error=error,
            form_name=f"promote:{version}",
        )
    return redirect(request, "/analyst/models?notice=promoted")


# ---- report ---------------------------------------------------------------------------------------------
def charts(report: dict[str, Any], lang: str) -> dict[str, Any]:
    t = translator(lang)
    lanes = [(t(f"lane.{lane}"), float(n)) for lane, n in report.get("lanes", {}).items()]
    css = {t(f"lane.{lane}"): LANE_CSS.get(lane, "bar") for lane in report.get("lanes", {})}
    weeks = [(w["week"], w.get("hit_rate")) for w in report.get("weeks", [])]
    drift = report.get("drift", [])
    alert = [d for d in drift if d.get("psi") is not None and d["psi"] >= PSI_SHIFTED]
    return {
        "lanes_chart": bar_chart(t("analyst.report.lanes"), lanes, css=css),
        "hits_chart": line_chart(t("analyst.report.hit_rate"), weeks),
        "drift_chart": line_chart(
            t("analyst.report.drift"),
            [(f"{d['week']}", d.get("psi")) for d in drift],
            lines=(
                Line(PSI_SOME, t("analyst.report.psi_some")),
                Line(PSI_SHIFTED, t("analyst.report.psi_shifted"), "alert-line"),
            ),
        ),
        "drift_alert": alert,
    }


@router.get("/report")
def report_page(request: Request, principal: PagePrincipal, session: SessionDep) -> Response:
    require_analyst(principal)
    report = versions.report(session)
    return show(request, "report", {"report": report, **charts(report, language_of(request))})
