"""``clearway statistics``: the refresh job of the trade statistics, a query, and an export."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from clearway.cli.common import console, print_json, readable_errors, runtime
from clearway.identity.core import Principal, Role, scopes_for
from clearway.statistics import refresh as statistics_refresh
from clearway.statistics import service
from clearway.uow import unit_of_work

app = typer.Typer(
    help="Trade statistics: refresh, query, export.", no_args_is_help=True, add_completion=False
)

# The job and the operator's queries read as customs (every figure, no suppression unless asked).
OPERATOR = Principal(0, "statistics-job", Role.OFFICER, None, scopes_for(Role.OFFICER))


@app.command()
def refresh(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Apply the declarations changed since the last refresh to the materialised figures."""
    with readable_errors():
        rt = runtime()
        try:
            started = time.perf_counter()
            with unit_of_work(rt.sessions) as session:
                result = statistics_refresh.refresh(session, now=rt.clock())
                state = statistics_refresh.status(session)
            seconds = time.perf_counter() - started
        finally:
            rt.close()
    answer = result.as_dict() | state | {"seconds": round(seconds, 3)}
    if as_json:
        print_json(answer)
    else:
        console.print(
            f"examined {result.examined} declarations, {result.changed} changed, {result.cells_touched} cells "
            f"updated in {seconds:.2f} s; {state['declarations_counted']} declarations counted"
        )


@app.command()
def query(
    group: Annotated[str, typer.Option(help="hs2 hs4 hs6 hs10 country office mode month")] = "hs2",
    kind: Annotated[str, typer.Option(help="import or export")] = "import",
    month_from: Annotated[str | None, typer.Option(help="YYYY-MM")] = None,
    month_to: Annotated[str | None, typer.Option(help="YYYY-MM")] = None,
    hs: Annotated[str | None, typer.Option(help="HS prefix")] = None,
    country: Annotated[str | None, typer.Option()] = None,
    published: Annotated[bool, typer.Option("--published", help="Apply the suppression rule")] = False,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 20,
    output: Annotated[Path | None, typer.Option(help="Write every group to a .csv or .parquet file")] = None,
) -> None:
    """Figures grouped by one dimension (printed as JSON, or written to a CSV/Parquet file)."""
    with readable_errors():
        q = service.Query(
            kind=kind,
            group=group,
            month_from=service.parse_month(month_from, "month_from"),
            month_to=service.parse_month(month_to, "month_to"),
            hs=hs,
            country=country,
            view="published" if published else "all",
        )
        rt = runtime()
        try:
            with unit_of_work(rt.sessions) as session:
                if output is None:
                    print_json(service.query(session, OPERATOR, q, page_size=limit))
                    return
                rows = service.all_rows(session, OPERATOR, q)
        finally:
            rt.close()
    data = service.to_parquet(rows) if output.suffix == ".parquet" else service.to_csv(rows)
    output.write_bytes(data)
    console.print(f"{len(rows)} groups written to {output}")
