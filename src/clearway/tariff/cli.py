"""``clearway tariff``: load the official rate file, exchange rates, the bundled and demo data; show rates and
parameters; correct a parameter.

Exit status 0 on success; 1 when the command could not do its work (an unreadable file, an unknown parameter),
with the reasons printed.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from clearway.audit.service import Actor
from clearway.cli.common import console, print_json, readable_errors, runtime
from clearway.tariff import service
from clearway.tariff.demo import DEMO_CODES
from clearway.uow import unit_of_work

app = typer.Typer(
    help="The tariff as data: rates, exchange rates, internal taxes and parameters.",
    no_args_is_help=True,
    add_completion=False,
)

AsJson = Annotated[bool, typer.Option("--json", help="Machine-readable output")]
On = Annotated[str | None, typer.Option("--on", help="Date (YYYY-MM-DD); default today in Korea")]
Actor_ = Annotated[
    str, typer.Option("--as", help="Who is acting (recorded in the audit trail)", envvar="CLEARWAY_CLI_USER")
]


def _date(text: str | None, rt: Any) -> date:
    if text is None:
        return rt.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"'{text}' is not a date (YYYY-MM-DD)") from None


def _report(result: dict[str, Any], as_json: bool, title: str) -> None:
    if as_json:
        print_json(result)
        return
    console.print(f"[bold]{escape(title)}[/]")
    for key, value in result.items():
        if (
            key in ("skipped_examples", "rate_codes", "codes_without_basic_rate_examples", "warnings")
            and value
        ):
            value = json.dumps(value, ensure_ascii=False)[:300]
        elif isinstance(value, dict | list):
            value = json.dumps(value, ensure_ascii=False)
        console.print(f"  {key}: {escape(str(value))}", highlight=False)


@app.command("load")
def load(
    file: Annotated[
        Path, typer.Argument(help="관세청_품목번호별 관세율표 (data.go.kr 15051179), .csv or .xlsx")
    ],
    label: Annotated[str | None, typer.Option(help="Label shown with every rate from this file")] = None,
    unit: Annotated[str, typer.Option(help="Unit of 단위당세액 when the file has no unit column")] = "KGM",
    keep_previous: Annotated[bool, typer.Option("--keep-previous", help="Add to earlier KCS loads")] = False,
    sheet: Annotated[str | None, typer.Option(help="Sheet to load (default: the latest, e.g. 2.12)")] = None,
    partial: Annotated[
        bool,
        typer.Option(
            "--partial",
            help="The file is knowingly a part of the tariff: do not refuse it for covering few codes",
        ),
    ] = False,
    actor: Actor_ = "admin",
    as_json: AsJson = False,
) -> None:
    """Load the official KCS rate file (관세청_품목번호별 관세율표): the first step of a real deployment.

    Replaces the rates of earlier KCS files, in one transaction: a file that cannot be read or looks
    truncated is refused and the rates loaded before stay as they were.
    """
    with readable_errors():
        rt = runtime()
        with unit_of_work(rt.sessions) as session:
            result = service.load_kcs_file(
                session,
                file,
                now=rt.clock(),
                actor=Actor(actor),
                label=label,
                default_unit=unit,
                replace=not keep_previous,
                sheet=sheet,
                partial=partial,
            )
        _report(result.as_dict(), as_json, f"loaded {file.name}")


@app.command("load-rates")
def load_rates(
    file: Annotated[Path, typer.Argument(help="Customs exchange rates (과세환율), .csv or .xlsx")],
    label: Annotated[str | None, typer.Option(help="Label of this load")] = None,
    actor: Actor_ = "admin",
    as_json: AsJson = False,
) -> None:
    """Load weekly customs exchange rates (a rate for the same currency and week replaces the earlier one)."""
    with readable_errors():
        rt = runtime()
        with unit_of_work(rt.sessions) as session:
            result = service.load_exchange_rate_file(
                session, file, now=rt.clock(), actor=Actor(actor), label=label
            )
        _report(result.as_dict(), as_json, f"loaded {file.name}")


@app.command("load-bundled")
def load_bundled(actor: Actor_ = "admin", as_json: AsJson = False) -> None:
    """Load the real data shipped with Clearway: quota (P3) rates 2007-2026, VKFTA reference lines,
    assessment parameters and internal-tax rules. Idempotent."""
    with readable_errors():
        rt = runtime()
        with unit_of_work(rt.sessions) as session:
            counts = service.load_bundled(session, now=rt.clock(), actor=Actor(actor))
        _report(counts, as_json, "bundled tariff data loaded")


@app.command("load-demo")
def load_demo(actor: Actor_ = "admin", as_json: AsJson = False) -> None:
    """Load the bundled data plus the DEMO rate set and DEMO exchange rates (not official figures)."""
    with readable_errors():
        rt = runtime()
        with unit_of_work(rt.sessions) as session:
            counts = service.load_demo_tariff(session, now=rt.clock(), actor=Actor(actor))
        _report(counts, as_json, "demo tariff loaded (DEMO DATA: not official rates)")


@app.command("status")
def status(as_json: AsJson = False) -> None:
    """What is loaded: counts and every load with its source."""
    with readable_errors():
        rt = runtime()
        with unit_of_work(rt.sessions) as session:
            data = service.status(session)
    if as_json:
        print_json(data)
        return
    console.print(" ".join(f"{k}: {v}" for k, v in data["counts"].items()))
    table = Table("id", "kind", "label", "rows", "demo", "loaded")
    for s in data["sources"]:
        table.add_row(
            str(s["id"]),
            s["kind"],
            escape(s["label"]),
            str(s["rows"]),
            "DEMO" if s["demo"] else "",
            s["loaded_at"][:19],
        )
    console.print(table)


@app.command("show")
def show(
    code: Annotated[str, typer.Argument(help="HSK 10-digit code (8471.30-0000 also accepted)")],
    on: On = None,
    origin: Annotated[str | None, typer.Option("--origin", help="Country of origin (ISO alpha-2)")] = None,
    as_json: AsJson = False,
) -> None:
    """A code's rates on a date, and which apply to an origin."""
    code = code.replace(".", "").replace("-", "").replace(" ", "")
    with readable_errors():
        rt = runtime()
        with unit_of_work(rt.sessions) as session:
            data = service.rates_on(session, code, _date(on, rt), origin.upper() if origin else None)
    if as_json:
        print_json(data)
        return
    name = data["nomenclature"]
    console.print(
        f"[bold]{code}[/] {escape(name['name_ko'] + ' / ' + name['name_en']) if name else ''} "
        f"on {data['on']}" + (f", origin {origin.upper()}" if origin else ""),
        highlight=False,
    )
    if data["nomenclature_problem"]:
        console.print(f"[yellow]{escape(data['nomenclature_problem']['message'])}[/]")
    if data["no_rate_loaded"]:
        console.print(
            f"[red]{data['message']}[/]: load the official KCS file with `clearway tariff load FILE`"
        )
    table = Table("code", "rank", "name", "rate", "origins", "applies", "valid", "source")
    for r in data["rates"]:
        applies = {True: "yes", False: "no", None: "-"}[r["applies_to_origin"]] if origin else ""
        table.add_row(
            r["rate_code"],
            str(r["rank"] or ""),
            escape(r["name_ko"] or ""),
            escape(r["rate"]),
            escape(r["origins"]),
            applies + (" (conditional)" if r["conditional"] else ""),
            f"{r['valid_from']}..{r['valid_to'] or ''}",
            escape(r["source"]),
        )
    console.print(table)
    for t in data["internal_taxes"]:
        console.print(
            f"internal tax: {t['tax']} — {escape(t['description'])} ({t['status']})", highlight=False
        )
    if data["attribution"]:
        console.print(escape(data["attribution"]), style="dim")


@app.command("parameters")
def parameters(on: On = None, as_json: AsJson = False) -> None:
    """Assessment parameters in force on a date, with their status (sourced / recalled)."""
    with readable_errors():
        rt = runtime()
        with unit_of_work(rt.sessions) as session:
            rows = service.parameter_list(session, _date(on, rt))
    if as_json:
        print_json(rows)
        return
    table = Table("key", "value", "from", "status", "legal basis")
    for p in rows:
        value = (
            p["value"]["decimal"]
            if isinstance(p["value"], dict)
            else json.dumps(p["value"], ensure_ascii=False)
        )
        table.add_row(p["key"], escape(str(value)), p["valid_from"], p["status"], escape(p["legal_basis"]))
    console.print(table)


@app.command("set-parameter")
def set_parameter(
    key: Annotated[str, typer.Argument(help="e.g. minimum_collection.amount_krw")],
    value: Annotated[str, typer.Argument(help="A number, a text, or a JSON list")],
    valid_from: Annotated[str, typer.Option("--from", help="First day the corrected value applies")],
    note: Annotated[str, typer.Option(help="Why (the source of the correction)")],
    status_: Annotated[
        str, typer.Option("--status", help="sourced | sourced_secondary | statute_recalled")
    ] = "sourced",
    actor: Actor_ = "admin",
    as_json: AsJson = False,
) -> None:
    """Correct a parameter from a date (earlier versions end the day before; recorded in the audit trail)."""
    try:
        parsed: Any = json.loads(value)
    except json.JSONDecodeError:
        parsed = value
    if isinstance(parsed, (int, float)) and not isinstance(parsed, bool):
        parsed = {"decimal": value}
    with readable_errors():
        rt = runtime()
        with unit_of_work(rt.sessions) as session:
            p = service.set_parameter(
                session,
                key=key,
                value=parsed,
                valid_from=_date(valid_from, rt),
                now=rt.clock(),
                actor=Actor(actor),
                note=note,
                status=status_,
            )
        _report(p.as_dict(), as_json, f"parameter {key} corrected")


@app.command("demo-codes")
def demo_codes(as_json: AsJson = False) -> None:
    """The codes the DEMO rate set covers (demo declarations use only these)."""
    if as_json:
        print_json(list(DEMO_CODES))
        return
    table = Table("code", "description", "unit", "origin")
    for d in DEMO_CODES:
        table.add_row(d["code"], escape(d["description"]), d["unit"], d["origin"])
    console.print(table)
