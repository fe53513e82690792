"""Trade statistics and trade documents in the portal: the statistics page (filters, paging, charts drawn on the
server, CSV/Parquet links), a company's monthly statement, and the public verification page of an issued
document (no sign-in: it answers only whether a document is genuine and unchanged)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request, Response
from markupsafe import Markup

from clearway.assessment.step import preference_verifier
from clearway.errors import ClearwayError
from clearway.identity.core import Scope
from clearway.records import service as records
from clearway.sme import service as prefiling
from clearway.statistics import core
from clearway.statistics import refresh as statistics_refresh
from clearway.statistics import service as stats
from clearway.web.deps import RuntimeDep, SessionDep
from clearway.web.i18n import translator
from clearway.web.pages import hs_panel
from clearway.web.pages.charts import bar_chart, line_chart
from clearway.web.pages.guard import PageRoute, problem_context
from clearway.web.pages.render import language_of, redirect, render
from clearway.web.pages.security import CsrfForm, PagePrincipal

router = APIRouter(route_class=PageRoute, include_in_schema=False)
PAGE_SIZE = 25
MAX_PDF = 5 * 1024 * 1024


def _million(value: str | None) -> float:
    return round(int(value or 0) / 1_000_000, 1)


def _charts(session: Any, principal: Any, q: stats.Query, lang: str) -> dict[str, Markup]:
    t = translator(lang)
    unit = t("stats.million_krw")
    by_month = stats.query(session, principal, replace(q, group="month"), page_size=36)
    series = sorted(
        (
            (r["key"], _million(r.get("value_krw")) if not r["suppressed"] else None)
            for r in by_month["items"]
        ),
        key=lambda p: p[0],
    )
    partners = stats.query(session, principal, replace(q, group="country"), page_size=8)
    chapters = stats.query(session, principal, replace(q, group="hs2"), page_size=10)
    return {
        "series": line_chart(f"{t('stats.chart.series')} ({unit})", series),
        "partners": bar_chart(
            f"{t('stats.chart.partners')} ({unit})",
            [(r["key"], _million(r.get("value_krw"))) for r in partners["items"] if not r["suppressed"]],
        ),
        "chapters": bar_chart(
            f"{t('stats.chart.chapters')} ({unit})",
            [(r["key"], _million(r.get("value_krw"))) for r in chapters["items"] if not r["suppressed"]],
        ),
    }


@router.get("/statistics")
def statistics_page(
    request: Request,
    principal: PagePrincipal,
    session: SessionDep,
    kind: str = "import",
    group: str = "hs2",
    month_from: str = "",
    month_to: str = "",
    hs: str = "",
    country: str = "",
    view: str = "",
    page: int = 1,
) -> Response:
    lang = language_of(request)
    view = view or ("all" if principal.is_customs else "published")
    filters = {
        "kind": kind,
        "group": group,
        "month_from": month_from,
        "month_to": month_to,
        "hs": hs,
        "country": country,
        "view": view,
    }
    context: dict[str, Any] = {
        "filters": filters,
        "groups": core.GROUPS,
        "views": ("all",) if principal.is_customs else ("published", "own"),
        "answer": None,
        "charts": None,
        "fta": None,
        "status": statistics_refresh.status(session),
        "problem": None,
        "min_companies": core.MIN_COMPANIES,
    }
    try:
        q = stats.Query(
            kind=kind,
            group=group,
            month_from=stats.parse_month(month_from, "month_from"),
            month_to=stats.parse_month(month_to, "month_to"),
            hs=hs.strip() or None,
            country=country.strip().upper() or None,
            view=view,
        )
        page = max(1, min(page, 10_000))
        answer = stats.query(session, principal, q, page=page, page_size=PAGE_SIZE)
        answer["pages"] = max(1, -(-answer["total"] // PAGE_SIZE))
        context["answer"] = answer
        context["charts"] = _charts(session, principal, q, lang)
        context["fta"] = stats.fta_utilisation(
            session, principal, month_from=q.month_from, month_to=q.month_to, view=view
        )
        query = {k: v for k, v in filters.items() if v}
        context["csv_url"] = "/api/v1/trade-statistics/export?" + urlencode({**query, "format": "csv"})
        context["parquet_url"] = "/api/v1/trade-statistics/export?" + urlencode(
            {**query, "format": "parquet"}
        )
        context["query"] = query
    except ClearwayError as error:
        context.update(problem_context(error, lang))
        return render(request, "records/statistics.html", context, status=error.status)
    return render(request, "records/statistics.html", context)


@router.get("/statements")
def statements_page(request: Request, principal: PagePrincipal, runtime: RuntimeDep) -> Response:
    principal.require_scope(Scope.DECLARATIONS_READ)
    today = runtime.today()
    return render(
        request,
        "records/statements.html",
        {"default_period": f"{today:%Y-%m}", "company": principal.company_id is not None},
    )


@router.get("/statements/pdf")
def statement_pdf(request: Request, principal: PagePrincipal, period: str = "") -> Response:
    """The form's answer: the statement's PDF from the API (which issues it and checks the period)."""
    principal.require_scope(Scope.DECLARATIONS_READ)
    return redirect(request, f"/api/v1/statements/{quote(period.strip()[:7], safe='')}.pdf")


def _verify_page(request: Request, answer: dict[str, Any] | None, code: str, status: int = 200) -> Response:
    return render(request, "records/verify.html", {"answer": answer, "code": code}, status=status)


@router.get("/verify")
def verify_page(request: Request, session: SessionDep, code: str = "") -> Response:
    code = code.strip()[:40]
    return _verify_page(request, records.verify(session, code) if code else None, code)


@router.post("/verify")
async def verify_file(request: Request, session: SessionDep) -> Response:
    """A file check changes nothing and needs no account, so the form carries no session token."""
    form = await request.form(max_files=1, max_fields=3, max_part_size=MAX_PDF)
    code = str(form.get("code") or "").strip()[:40]
    upload = form.get("file")
    data = await upload.read(MAX_PDF + 1) if upload is not None and not isinstance(upload, str) else b""
    if not data and not code:
        return _verify_page(request, None, code, status=422)
    return _verify_page(request, records.verify(session, code or None, data[:MAX_PDF] or None), code)


PLAN_FIELDS = (
    "commodity_code",
    "origin_country",
    "quantity",
    "quantity_unit",
    "net_mass_kg",
    "invoice_amount",
    "currency",
    "incoterm",
    "freight",
    "insurance",
)
PLAN_DEFAULTS = {"quantity_unit": "U", "currency": "USD", "incoterm": "FOB", "direction": "import"}
BOM_FIELDS = ("hs", "origin_country", "value", "originating", "description")
BOM_ROWS = 2  # empty rows shown at first; more are added without a reload (HTMX)
MAX_BOM_ROWS = 50


def _bom_rows(form: Any) -> list[dict[str, str]]:
    columns = {name: [str(v).strip()[:200] for v in form.getlist(f"bom_{name}")] for name in BOM_FIELDS}
    count = min(max((len(v) for v in columns.values()), default=0), MAX_BOM_ROWS)
    rows = []
    for i in range(count):
        row = {name: (columns[name][i] if i < len(columns[name]) else "") for name in BOM_FIELDS}
        rows.append(row)
    return rows


def _bom_document(rows: list[dict[str, str]], price: str) -> dict[str, Any] | None:
    components = []
    for row in rows:
        if not any(row[k] for k in ("hs", "origin_country", "value")):
            continue  # an empty row
        flag = {"yes": True, "no": False}.get(row["originating"])
        components.append(
            {
                "hs": row["hs"],
                "origin_country": row["origin_country"],
                "value": row["value"],
                "description": row["description"],
                **({"originating": flag} if flag is not None else {}),
            }
        )
    if not components:
        return None
    return {"ex_works_price": price or None, "components": components}


def _prefiling_page(
    request: Request,
    plan: dict[str, str],
    answer: dict[str, Any] | None,
    error: ClearwayError | None = None,
    savings: dict[str, Any] | None = None,
    bom: list[dict[str, str]] | None = None,
) -> Response:
    rows = list(bom or [])
    rows += [dict.fromkeys(BOM_FIELDS, "") for _ in range(max(0, BOM_ROWS - len(rows)))]
    context: dict[str, Any] = {
        "plan": plan,
        "answer": answer,
        "fields": PLAN_FIELDS,
        "problem": None,
        "savings": savings,
        "bom_rows": rows,
    }
    if error is not None:
        context.update(problem_context(error, language_of(request)))
    return render(request, "records/prefiling.html", context, status=error.status if error else 200)


@router.get("/prefiling")
def prefiling_page(request: Request, principal: PagePrincipal, session: SessionDep) -> Response:
    principal.require_scope(Scope.DECLARATIONS_READ)
    report = None if principal.is_customs else prefiling.savings(session, principal)
    return _prefiling_page(request, dict(PLAN_DEFAULTS), None, savings=report)


@router.get("/prefiling/bom-row")
def prefiling_bom_row(request: Request, principal: PagePrincipal) -> Response:
    """One more empty component row of the bill of materials (HTMX appends it to the table)."""
    principal.require_scope(Scope.DECLARATIONS_READ)
    return render(request, "records/_bom_row.html", {"row": dict.fromkeys(BOM_FIELDS, "")})


@router.post("/prefiling")
def prefiling_submit(
    request: Request, form: CsrfForm, principal: PagePrincipal, session: SessionDep, runtime: RuntimeDep
) -> Response:
    plan = {name: str(form.get(name) or "").strip()[:40] for name in PLAN_FIELDS}
    plan["description"] = str(form.get("description") or "").strip()[
        : hs_panel.MAX_TEXT
    ]  # for the HS panel only
    direction = "export" if form.get("direction") == "export" else "import"
    plan["direction"] = direction
    plan["bom_price"] = str(form.get("bom_price") or "").strip()[:40]
    rows = _bom_rows(form)
    item = {k: v for k, v in plan.items() if v and k in PLAN_FIELDS}
    document: dict[str, Any] = {"item": item, "direction": direction}
    if direction == "export":
        document["destination"] = "GB"
    bom = _bom_document(rows, plan["bom_price"])
    if bom is not None:
        document["bom"] = bom
    try:
        answer = prefiling.simulate(
            session,
            principal,
            document,
            today=runtime.today(),
            verifier=preference_verifier(runtime.declarations.steps),
            nomenclature=runtime.declarations.nomenclature,
        )
    except ClearwayError as error:
        return _prefiling_page(request, plan, None, error, bom=rows)
    return _prefiling_page(request, plan, answer, bom=rows)


def _prefiling_hs(request: Request, context: dict[str, Any]) -> Response:
    context.update(
        panel="prefiling-hs",
        pick_for="p-commodity_code",
        answer_url="/prefiling/hs",
        answer_vals={},
        answer_include="#prefiling-form [name=csrf_token]",
    )
    return render(request, "_hs_panel.html", context)


@router.post("/prefiling/hs")
def prefiling_hs(
    request: Request, form: CsrfForm, principal: PagePrincipal, session: SessionDep, runtime: RuntimeDep
) -> Response:
    """The likely HS codes for the planned goods' description and, when close, the question separating them."""
    principal.require_scope(Scope.DECLARATIONS_READ)
    text = str(form.get("description") or "").strip()
    return _prefiling_hs(request, hs_panel.opened(session, runtime, principal, text, language_of(request)))


@router.post("/prefiling/hs/{classification_id}/answer")
def prefiling_hs_answer(
    classification_id: str,
    request: Request,
    form: CsrfForm,
    principal: PagePrincipal,
    session: SessionDep,
    runtime: RuntimeDep,
) -> Response:
    """The likely codes re-ranked by the answer chosen (kept as evidence)."""
    principal.require_scope(Scope.DECLARATIONS_READ)
    context = hs_panel.answered(
        session, runtime, principal, classification_id, str(form.get("answer") or ""), language_of(request)
    )
    return _prefiling_hs(request, context)
