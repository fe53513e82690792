"""``clearway payment``: the daily reconciliation of assessed against paid."""

from __future__ import annotations

from typing import Annotated

import typer

from clearway.cli.common import console, iso_date, print_json, readable_errors, runtime
from clearway.payment import service
from clearway.uow import unit_of_work

app = typer.Typer(
    help="Payment orders, bank confirmations and reconciliation.", no_args_is_help=True, add_completion=False
)


@app.command()
def reconcile(
    day: Annotated[str, typer.Option("--day", help="The Korean calendar day (YYYY-MM-DD)")],
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output")] = False,
) -> None:
    """Orders issued on DAY against the bank's confirmed receipts; exit 1 when they do not balance."""
    with readable_errors(exit_code=2):
        on = iso_date(day, "--day")
        assert on is not None
        rt = runtime()
        try:
            with unit_of_work(rt.sessions) as session:
                report = service.reconciliation(session, on)
        finally:
            rt.close()
    if as_json:
        print_json(report.as_dict())
    else:
        console.print(
            f"{on}: assessed {report.assessed_krw:,} KRW, received {report.received_krw:,} KRW; "
            f"{len(report.matched)} matched, {len(report.unpaid)} unpaid, "
            f"{len(report.differing)} differing, {len(report.unknown)} unknown"
        )
        for d in report.differing:
            console.print(
                f"  differs: {d['payment_number']} assessed {d['assessed_krw']} received {d['received_krw']}"
            )
        for n in report.unknown:
            console.print(f"  unknown payment number: {n}")
    if not report.balanced:
        raise typer.Exit(1)
