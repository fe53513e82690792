"""Trade statistics: imports and exports by HS (2/4/6/10), country, office, transport mode and month, with
filters and paging; FTA utilisation; CSV and Parquet export; the refresh job for customs."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from clearway.errors import Forbidden
from clearway.identity.core import Principal, Scope
from clearway.statistics import refresh as statistics_refresh
from clearway.statistics import service
from clearway.web.deps import PrincipalDep, RuntimeDep, SessionDep

router = APIRouter(tags=["statistics"])

Month = Annotated[str | None, Query(max_length=10, pattern=r"^\d{4}-\d{2}(-\d{2})?$", description="YYYY-MM")]


def query_of(
    kind: str,
    group: str,
    month_from: str | None,
    month_to: str | None,
    hs: str | None,
    country: str | None,
    office: str | None,
    mode: str | None,
    view: str,
) -> service.Query:
    return service.Query(
        kind=kind,
        group=group,
        month_from=service.parse_month(month_from, "month_from"),
        month_to=service.parse_month(month_to, "month_to"),
        hs=hs or None,
        country=country or None,
        office=office or None,
        mode=mode or None,
        view=view,
    )


Kind = Annotated[str, Query(pattern="^(import|export)$")]
Group = Annotated[
    str, Query(max_length=8, description="hs2 | hs4 | hs6 | hs10 | country | office | mode | month")
]
View = Annotated[str, Query(max_length=10, description="published (suppressed) | own | all (customs)")]
Text = Annotated[str | None, Query(max_length=10)]


@router.get("/trade-statistics", summary="Trade figures grouped by one dimension, filtered and paged")
def trade_statistics(
    session: SessionDep,
    principal: PrincipalDep,
    kind: Kind = "import",
    group: Group = "hs2",
    month_from: Month = None,
    month_to: Month = None,
    hs: Text = None,
    country: Text = None,
    office: Text = None,
    mode: Text = None,
    view: View = "published",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=500)] = 50,
) -> dict[str, Any]:
    q = query_of(kind, group, month_from, month_to, hs, country, office, mode, view)
    return service.query(session, principal, q, page=page, page_size=page_size)


@router.get(
    "/trade-statistics/export",
    summary="The same figures, every group, as CSV or Parquet",
    response_class=Response,
)
def export(
    session: SessionDep,
    principal: PrincipalDep,
    format: Annotated[str, Query(pattern="^(csv|parquet)$")] = "csv",
    kind: Kind = "import",
    group: Group = "hs2",
    month_from: Month = None,
    month_to: Month = None,
    hs: Text = None,
    country: Text = None,
    office: Text = None,
    mode: Text = None,
    view: View = "published",
) -> Response:
    q = query_of(kind, group, month_from, month_to, hs, country, office, mode, view)
    rows = service.all_rows(session, principal, q)
    name = f"trade-{kind}-{group}-{view}"
    if format == "parquet":
        return Response(
            service.to_parquet(rows),
            media_type="application/vnd.apache.parquet",
            headers={"Content-Disposition": f'attachment; filename="{name}.parquet"'},
        )
    return Response(
        service.to_csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


@router.get("/trade-statistics/fta", summary="FTA utilisation per agreement (claimed ÷ eligible imports)")
def fta(
    session: SessionDep,
    principal: PrincipalDep,
    month_from: Month = None,
    month_to: Month = None,
    view: View = "published",
) -> dict[str, Any]:
    return service.fta_utilisation(
        session,
        principal,
        month_from=service.parse_month(month_from, "month_from"),
        month_to=service.parse_month(month_to, "month_to"),
        view=view,
    )


def _customs(principal: Principal) -> None:
    principal.require_scope(Scope.DECLARATIONS_READ)
    if not principal.is_customs:
        raise Forbidden("the statistics refresh is run by customs")


@router.post("/trade-statistics/refresh", summary="Apply the declarations changed since the last refresh")
def refresh(session: SessionDep, principal: PrincipalDep, runtime: RuntimeDep) -> dict[str, Any]:
    _customs(principal)
    return statistics_refresh.refresh(session, now=runtime.clock()).as_dict() | statistics_refresh.status(
        session
    )


@router.get("/trade-statistics/status", summary="When the figures were last refreshed, and the rule")
def status(session: SessionDep, principal: PrincipalDep) -> dict[str, Any]:
    principal.require_scope(Scope.DECLARATIONS_READ)
    return statistics_refresh.status(session)
