"""``clearway duty``: estimate duties and taxes from a JSON file without filing; measure the engine's speed.

Exit status: 0 when every line was assessed, 1 when a line cannot be assessed (the reasons are printed),
2 on bad input (an unreadable file, invalid fields).
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from clearway.assessment import service
from clearway.assessment.preference import DocumentaryOnlyVerifier, PreferenceVerifier
from clearway.assessment.step import TariffAssessment
from clearway.benchmarks import assessment as bench
from clearway.cli.common import console, print_json, readable_errors, runtime
from clearway.tariff.measures import format_number
from clearway.uow import unit_of_work

app = typer.Typer(
    help="Duties and taxes: estimates without filing, and the engine benchmark.",
    no_args_is_help=True,
    add_completion=False,
)

AsJson = Annotated[bool, typer.Option("--json", help="Machine-readable output")]


def verifier_of(steps_assessment: Any) -> PreferenceVerifier:
    """The verifier filing uses, so an estimate treats a preference claim as filing would."""
    return (
        steps_assessment.verifier
        if isinstance(steps_assessment, TariffAssessment)
        else DocumentaryOnlyVerifier()
    )


def _won(value: str | None) -> str:
    return "-" if value is None else format_number(Decimal(value))


def print_estimate(result: dict[str, Any]) -> None:
    head = f"[bold]Estimate[/] on {result['on']} ({result['regime']})"
    if result.get("demo_data"):
        head += "  [yellow]DEMO DATA: demo rates or exchange rates, not official figures[/]"
    console.print(head)
    for line in result["lines"]:
        console.print(
            f"\n[bold]line {line['line_number']}[/] {line['commodity_code']} from {line['origin']}",
            highlight=False,
        )
        for r in line.get("reasons", []):
            console.print(f"  [red]cannot assess[/] [{r['code']}] {escape(r['message'])}", highlight=False)
        valuation = line.get("valuation")
        if valuation:
            console.print(
                f"  customs value: {escape(valuation['computation'])} "
                f"({valuation['legal_basis']}, method {valuation['method']}, {valuation['incoterm']})",
                highlight=False,
            )
        rates = line.get("rates")
        if rates:
            console.print(
                f"  rate applied: [bold]{rates['applied']}[/]"
                + (f" + {', '.join(rates['added'])}" if rates["added"] else ""),
                highlight=False,
            )
            for c in rates["candidates"]:
                console.print(
                    f"    {c['rate_code']:<6} {escape(c['rate']):<32} {c['status']:<12} "
                    f"{escape(c['reason'])}",
                    highlight=False,
                )
        if "figures" in line:
            table = Table("tax", "base", "rate", "computation", "amount (KRW)", "legal basis")
            for f in line["figures"]:
                table.add_row(
                    f"{f['name_ko']} {f['name']}",
                    escape(f.get("base", "")),
                    escape(f.get("rate", "")),
                    escape(f["computation"]),
                    format_number(Decimal(f["amount_krw"])),
                    escape(f["legal_basis"]),
                )
            console.print(table)
            if line.get("relief"):
                console.print(f"  relief: {escape(line['relief'])}", highlight=False)
        for n in line.get("notes", []):
            console.print(f"  note: {escape(n)}", highlight=False)
    console.print()
    for a in result["adjustments"]:
        console.print(
            f"{a['adjustment']}: {_won(a['amount_krw'])} won ({escape(a['explanation'])}; "
            f"{a['legal_basis']})",
            highlight=False,
        )
    for r in result["reasons"]:
        console.print(f"[red]cannot assess[/] [{r['code']}] {escape(r['message'])}", highlight=False)
    for n in result["notes"]:
        console.print(f"note: {escape(n)}", highlight=False)
    totals = ", ".join(f"{k} {_won(v)}" for k, v in result["totals_krw"].items())
    console.print(f"totals: {totals}", highlight=False)
    if result["can_assess"]:
        console.print(f"[bold]total due: {_won(result['total_due_krw'])} won[/]")
    else:
        console.print("[bold red]not every line could be assessed: no total[/]")


@app.command("estimate")
def estimate(
    file: Annotated[
        Path, typer.Argument(help='Estimate request JSON: {"items": [...]} or {"declaration": {...}}')
    ],
    on: Annotated[
        str | None, typer.Option("--on", help="Declaration date (YYYY-MM-DD); default today in Korea")
    ] = None,
    rate: Annotated[
        list[str] | None, typer.Option("--rate", help="What-if exchange rate, e.g. USD=1450")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Compute duties and taxes for a planned shipment, with the explanation of every figure. Nothing is filed."""
    with readable_errors(exit_code=2):
        document = json.loads(file.read_text(encoding="utf-8"))
        if not isinstance(document, dict):
            raise typer.BadParameter("the file must hold a JSON object")
        if on:
            document["on"] = on
        for item in rate or []:
            currency, _, value = item.partition("=")
            if not value:
                raise typer.BadParameter(f"'{item}' is not CURRENCY=RATE")
            document.setdefault("exchange_rates", {})[currency.strip().upper()] = value.strip()
        rt = runtime()
        with unit_of_work(rt.sessions) as session:
            today: date = rt.today()
            result = service.estimate(
                session, document, today=today, verifier=verifier_of(rt.declarations.steps.assessment)
            )
    if as_json:
        print_json(result)
    else:
        print_estimate(result)
    if not result["can_assess"]:
        raise typer.Exit(1)


@app.command("benchmark")
def benchmark(
    lines: Annotated[int, typer.Option(help="Lines for the pure-engine run")] = 20_000,
    repeats: Annotated[int, typer.Option(help="Repeats of the pure-engine run")] = 5,
    postgres: Annotated[
        str | None, typer.Option(help="PostgreSQL URL for the filing run (scratch database)")
    ] = None,
    filings: Annotated[int, typer.Option(help="Declarations to file with assessment (0 = skip)")] = 2000,
    batch_size: Annotated[int, typer.Option(help="Declarations per batch")] = 1000,
    out: Annotated[Path, typer.Option(help="Where to write the results")] = bench.RESULTS,
) -> None:
    """Line assessments per second (pure engine, one core) and filing with assessment in batches."""
    print_json(bench.run(lines, repeats, postgres, filings, batch_size, out))
