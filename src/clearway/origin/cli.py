"""``clearway origin``: determine origin from a bill of materials, read certificates, show rules, replay cases.

Exit status: ``check`` exits 0 when the product is originating and 1 when it is not (or cannot be decided);
every command exits 2 on bad input (an unreadable file, invalid fields), printing the reasons.
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

from clearway.cli.common import acting_user, console, print_json, readable_errors, runtime
from clearway.clock import korea_date, utcnow
from clearway.errors import NotFound
from clearway.origin import cases as origin_cases
from clearway.origin import electronic, service
from clearway.origin.casebook import run_agreement_cases, run_textile_cases
from clearway.origin.hs import printed
from clearway.origin.loader import bundled_agreements, get_agreement, originshift_cases, textile_corpus
from clearway.uow import unit_of_work

app = typer.Typer(
    help="Rules of origin, origin determination and certificates of origin.",
    no_args_is_help=True,
    add_completion=False,
)
certificate_app = typer.Typer(help="Certificates of origin.", no_args_is_help=True)
app.add_typer(certificate_app, name="certificate")
case_app = typer.Typer(
    help="Verification requests to the exporting country's authority.", no_args_is_help=True
)
app.add_typer(case_app, name="case")

AsJson = Annotated[bool, typer.Option("--json", help="Machine-readable output")]
AsUser = Annotated[str, typer.Option("--as", help="Username the command acts for")]
Agreement = Annotated[
    str | None, typer.Option("--agreement", "-a", help="Agreement code, e.g. UK-KR, KR-EU, KORUS")
]


@app.command()
def check(
    bom: Annotated[Path, typer.Argument(help="Bill of materials JSON (see docs/notes/origin.md)")],
    agreement: Agreement = None,
    on: Annotated[str | None, typer.Option("--date", help="Read the rules on this date (YYYY-MM-DD)")] = None,
    as_json: AsJson = False,
) -> None:
    """Decide whether the product of BOM.json originates under an agreement, with the reasoning."""
    with readable_errors(exit_code=2):
        document = json.loads(bom.read_text("utf-8"))
        if on and isinstance(document, dict):
            document.setdefault("on", on)
        det = service.determine_origin(document, agreement=agreement, today=korea_date(utcnow()))
    if as_json:
        print_json(det.as_dict())
    else:
        colour = {"originating": "green", "not_originating": "red"}.get(det.status, "yellow")
        console.print(
            f"[bold {colour}]{det.status.replace('_', ' ').upper()}[/] under {det.agreement} — HS {printed(det.product_hs)}"
        )
        for reason in det.reasons:
            console.print(f"  {escape(reason)}")
        console.print()
        for step in det.steps:
            console.print(escape(step), highlight=False)
        for warning in det.warnings:
            console.print(f"[yellow]note:[/] {escape(warning)}")
        for need in det.attestations_needed[:10]:
            console.print(f"[yellow]attest?[/] {need['id']}: {escape(need['text'][:140])}")
    raise typer.Exit(0 if det.originating else 1)


@certificate_app.command("read")
def certificate_read(
    file: Annotated[
        Path,
        typer.Argument(help="Certificate document: PDF, a scan (PNG, JPEG, TIFF; read by OCR) or plain text"),
    ],
    agreement: Agreement = None,
    as_json: AsJson = False,
) -> None:
    """Read a certificate of origin into its data elements, with a confidence per field."""
    with readable_errors(exit_code=2):
        reading = service.read_document(file.read_bytes(), filename=file.name, agreement=agreement)
    if as_json:
        print_json(reading.as_dict())
        return
    console.print(
        f"[bold]{reading.form}[/] — agreement {reading.agreement or '?'} "
        f"(confidence {reading.agreement_confidence:.2f})"
    )
    table = Table("field", "value", "confidence")
    for name, found in reading.fields.items():
        value = found.value.isoformat() if isinstance(found.value, date) else str(found.value)
        doubt = " [yellow]confirm[/]" if name in reading.needs_confirmation else ""
        table.add_row(name, escape(value[:90]), f"{found.confidence:.2f}{doubt}")
    console.print(table)
    for item in reading.items:
        console.print(
            f"item: HS {item['hs6']} {escape(item.get('description', ''))} {item.get('quantity', '')} "
            f"{item.get('unit', '')} {item.get('origin_criterion', '')}"
        )
    if reading.missing:
        console.print(f"[yellow]not found:[/] {', '.join(reading.missing)}")
    for warning in reading.warnings:
        console.print(f"[yellow]note:[/] {escape(warning)}")


def _left(view: dict[str, Any]) -> str:
    parts = [
        f"{Decimal(item['left']).normalize():f} {item['unit'] or ''}".strip()
        for item in view["drawdown"]
        if item["left"] is not None
    ]
    return ", ".join(parts) or "-"


@certificate_app.command("register-eco")
def certificate_register_eco(
    file: Annotated[Path, typer.Argument(help="Electronic certificate of origin (e-CO data as JSON)")],
    user: AsUser,
    as_json: AsJson = False,
) -> None:
    """Register an electronic certificate of origin (the boxes exchanged between authorities, as JSON)."""
    rt = runtime()
    with readable_errors(exit_code=2), unit_of_work(rt.sessions) as session:
        document = json.loads(file.read_text("utf-8"))
        row = electronic.register_electronic(
            session, document, principal=acting_user(session, user), now=rt.clock()
        )
        view = service.certificate_read(row, session)
    if as_json:
        print_json(view)
        return
    console.print(
        f"registered {escape(view['reference'])} under {view['agreement']} (id {view['id']}): "
        f"{len(view['items'])} item(s), left {escape(_left(view))}",
        highlight=False,
    )


@certificate_app.command("list")
def certificate_list(
    user: AsUser,
    reference: Annotated[str | None, typer.Option("--reference", help="Only this certificate number")] = None,
    agreement: Agreement = None,
    as_json: AsJson = False,
) -> None:
    """List the certificates the user may see (a company's own; customs: all), with what is left to use."""
    rt = runtime()
    with readable_errors(), unit_of_work(rt.sessions) as session:
        principal = acting_user(session, user)
        rows = service.find_certificates(session, principal, reference=reference, agreement=agreement)
        views = [service.certificate_read(r, session) for r in rows]
    if as_json:
        print_json(views)
        return
    if not views:
        console.print("no certificate of origin")
        return
    table = Table("id", "number", "agreement", "issued by", "received as", "status", "left")
    for v in views:
        table.add_row(
            str(v["id"]),
            escape(v["reference"]),
            v["agreement"],
            v["issuing_country"] or "-",
            v["channel"] or "-",
            v["status"],
            escape(_left(v)),
        )
    console.print(table)


@app.command()
def rules(
    hs: Annotated[str, typer.Argument(help="HS code (4 to 10 digits)")],
    agreement: Agreement = None,
    as_json: AsJson = False,
) -> None:
    """Show the product-specific rule(s) an agreement has for an HS code."""
    with readable_errors(exit_code=2):
        found = get_agreement(agreement or "UK-KR").rules_for("".join(c for c in hs if c.isdigit()))
    out: list[dict[str, Any]] = [
        {
            "ranges": [str(r) for r in rule.ranges],
            "variant": rule.variant,
            "source": rule.source,
            "alternatives": [
                {"text": a.text, "criteria": [f"{c.kind}: {c.describe()}" for c in a.criteria]}
                for a in rule.alternatives
            ],
        }
        for rule in found
    ]
    if as_json:
        print_json(out)
        return
    if not out:
        console.print("no product-specific rule covers this code")
    for rule in out:
        console.print(f"[bold]{', '.join(rule['ranges'])}[/] {escape(rule['variant'])} ({rule['source']})")
        for n, alt in enumerate(rule["alternatives"], start=1):
            console.print(f"  {n}. {escape(alt['text'][:200])}")
            console.print(f"     -> {escape('; '.join(alt['criteria']))}")


@app.command()
def agreements(as_json: AsJson = False) -> None:
    """List the agreements whose rules of origin are loaded."""
    rows = [
        {"code": a.code, "name": a.name, "rules": len(a.rules), "partial": a.partial}
        for a in bundled_agreements().values()
    ]
    if as_json:
        print_json(rows)
        return
    for row in rows:
        console.print(
            f"{row['code']:10} {row['rules']:5} rules  {row['name']}"
            + ("  [yellow](partial sample)[/]" if row["partial"] else "")
        )


@app.command()
def cases(as_json: AsJson = False) -> None:
    """Replay the CBP ruling cases shipped with originshift and report how many Clearway reproduces."""
    shift = run_agreement_cases(get_agreement("US-102"), originshift_cases("agreement-cases.json"))
    textile = run_textile_cases(textile_corpus(), originshift_cases("textile-cases.json"))
    if as_json:
        print_json({"agreement_cases": shift, "textile_cases": textile})
        return
    console.print(
        f"102.20 tariff-shift cases: {shift['reproduced']}/{shift['cases']} reproduce CBP's verdict "
        f"({shift['reproduced_on_codes_alone']} on the codes alone)"
    )
    for row in shift["rows"]:
        if not row["agrees"] or row.get("why"):
            mark = "differs" if not row["agrees"] else "note"
            console.print(
                f"  {mark}: {row['ruling']} {row['good']} — CBP {row['cbp']}, Clearway {row['clearway']}: "
                f"{escape(row.get('why', '')[:200])}"
            )
    console.print(
        f"102.21 textile cases: country {textile['country_reproduced']}/{textile['cases']}, "
        f"country and paragraph {textile['country_and_step_reproduced']}/{textile['cases']}"
    )
    for row in textile["rows"]:
        if row.get("why"):
            console.print(f"  note: {row['ruling']} {row['good']}: {escape(row['why'])}")


# ---- verification cases: customs see every case whole; a declarant the cases about its declaration -----
Declaration = Annotated[
    int | None, typer.Option("--declaration", help="The declaration (record number) the cases are about")
]


def _cases_seen(rt: Any, session: Any, user: str, declaration: int | None) -> list[dict[str, Any]]:
    principal = acting_user(session, user)
    if declaration is not None:
        rt.declarations.get(session, principal, declaration)  # not found unless it may see it
        return origin_cases.declaration_cases(session, principal, declaration)
    if not principal.is_customs:
        raise NotFound("give --declaration: a declarant sees the cases about its own declarations")
    found = origin_cases.list_cases(session, principal, status=None, certificate_id=None)
    return [origin_cases.case_read(c) for c in found]


@case_app.command("list")
def case_list(user: AsUser, declaration: Declaration = None, as_json: AsJson = False) -> None:
    """List verification cases: about a declaration (its declarant or customs), or every one (customs)."""
    rt = runtime()
    with readable_errors(2), unit_of_work(rt.sessions) as session:
        views = _cases_seen(rt, session, user, declaration)
    if as_json:
        print_json(views)
        return
    if not views:
        console.print("no verification case")
        return
    table = Table("case", "certificate", "authority", "status", "result", "opened")
    for v in views:
        table.add_row(
            str(v["id"]),
            str(v["certificate_id"]),
            v["authority_country"] or "-",
            v["status"],
            v["result"] or "-",
            v["opened_at"][:10],
        )
    console.print(table)


@case_app.command("show")
def case_show(
    case_id: Annotated[int, typer.Argument(help="The case number")],
    user: AsUser,
    declaration: Declaration = None,
    as_json: AsJson = False,
) -> None:
    """One verification case as the user may see it (a declarant: give the declaration it is about)."""
    rt = runtime()
    with readable_errors(2), unit_of_work(rt.sessions) as session:
        view = next((v for v in _cases_seen(rt, session, user, declaration) if v["id"] == case_id), None)
        if view is None:
            raise NotFound(f"no verification case {case_id} here")
    if as_json:
        print_json(view)
        return
    for key, value in view.items():
        if value not in (None, [], {}):
            console.print(
                f"{key}: {escape(json.dumps(value) if isinstance(value, dict | list) else str(value))}"
            )
