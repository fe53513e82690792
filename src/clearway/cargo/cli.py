"""``clearway cargo`` (and ``clearway manifest submit``): manifests, arrival, bonded storage, a bill's status.

Exit status: 0 on success, 1 on a refused step or bad input (printed with its code), 3 when a CUSCAR
interchange had a rejected message.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from clearway.audit.service import Actor, record
from clearway.cargo import custody, service, training
from clearway.cargo import repository as repo
from clearway.cargo.schemas import bill_summary, manifest_summary
from clearway.cli.common import acting_user, console, errors, iso_date, print_json, readable_errors, runtime
from clearway.errors import ClearwayError, Forbidden
from clearway.identity.core import Role
from clearway.uow import unit_of_work

app = typer.Typer(
    help="Cargo: manifests (적하목록), arrival, bonded storage, undeclared cargo.",
    no_args_is_help=True,
    add_completion=False,
)
manifest_app = typer.Typer(
    help="Manifests (적하목록): submit JSON or UN/EDIFACT CUSCAR.", no_args_is_help=True, add_completion=False
)
AsUser = Annotated[str, typer.Option("--as", help="Act as this user", envvar="CLEARWAY_CLI_USER")]
AsJson = Annotated[bool, typer.Option("--json", help="Machine-readable output")]
On = Annotated[str | None, typer.Option("--on", help="Date (YYYY-MM-DD); today in Korea if omitted")]


def _on(rt: Any, text: str | None) -> date:
    return iso_date(text, "--on") or rt.today()


def _coded(error: ClearwayError) -> None:
    code = error.extra.get("code")
    errors.print(
        f"[bold red]error:[/] {escape(str(error) + (f' [{code}]' if code else ''))}", highlight=False
    )
    raise typer.Exit(1)


def _print_bills(rows: list[dict[str, Any]]) -> None:
    table = Table()
    for column in ("CCN", "house bill", "consignee", "description", "packages", "kg", "risk"):
        table.add_column(column)
    for b in rows:
        risk = b.get("risk")
        table.add_row(
            b["ccn"],
            b["house_bill"],
            escape(b["consignee"]),
            escape(b["description"][:40]),
            str(b["packages"]),
            b["gross_weight_kg"],
            f"{risk['level']} → {risk['action']}" if risk else "",
        )
    console.print(table)


def submit_file(file: Path, user: str, as_json: bool) -> None:
    rt = runtime()
    with readable_errors():
        text = file.read_text("utf-8")
    try:
        with unit_of_work(rt.sessions) as session:
            principal = acting_user(session, user)
            now = rt.clock()
            if text.lstrip().startswith(("UNA", "UNB")):
                outcomes = service.submit_cuscar(
                    session, principal, text, now=now, today=_on(rt, None), models_dir=rt.settings.models_dir
                )
                result: dict[str, Any] = {"messages": [o.__dict__ for o in outcomes]}
            else:
                done = service.submit(
                    session,
                    principal,
                    json.loads(text),
                    now=now,
                    today=_on(rt, None),
                    models_dir=rt.settings.models_dir,
                )
                result = {
                    **manifest_summary(done.manifest),
                    "replayed": done.replayed,
                    "bills": [
                        bill_summary(b, customs=principal.is_customs)
                        for b in repo.houses_of(session, done.manifest.id)
                    ],
                }
    except ClearwayError as error:
        _coded(error)
    except json.JSONDecodeError as error:
        errors.print(f"[bold red]error:[/] the file is neither CUSCAR nor valid JSON: {escape(str(error))}")
        raise typer.Exit(1) from None
    if as_json:
        print_json(result)
    elif "messages" in result:
        for m in result["messages"]:
            colour = "green" if m["status"] == "accepted" else "red"
            console.print(f"message {m['reference']}: [{colour}]{m['status']}[/] {m['mrn'] or ''}")
            for e in m["errors"]:
                console.print(escape(f"  {e['pointer']}: {e['message']} [{e['code']}]"), highlight=False)
    else:
        note = " (already submitted: this is the stored manifest)" if result["replayed"] else ""
        console.print(f"manifest [bold]{result['mrn']}[/] v{result['version']} {result['status']}{note}")
        _print_bills(result["bills"])
    if "messages" in result and any(m["status"] == "rejected" for m in result["messages"]):
        raise typer.Exit(3)


@app.command("submit")
def submit(
    file: Annotated[Path, typer.Argument(help="Manifest JSON or CUSCAR interchange")],
    user: AsUser,
    as_json: AsJson = False,
) -> None:
    """Submit a manifest (JSON, or UN/EDIFACT CUSCAR when the file starts with UNA/UNB)."""
    submit_file(file, user, as_json)


@manifest_app.command("submit")
def manifest_submit(
    file: Annotated[Path, typer.Argument(help="Manifest JSON or CUSCAR interchange")],
    user: AsUser,
    as_json: AsJson = False,
) -> None:
    """Submit a manifest (JSON, or UN/EDIFACT CUSCAR when the file starts with UNA/UNB)."""
    submit_file(file, user, as_json)


@app.command("arrive")
def arrive(
    manifest_id: Annotated[int, typer.Argument(help="Manifest id")], user: AsUser, on: On = None
) -> None:
    """Report the arrival of a manifest's voyage or flight (입항보고)."""
    rt = runtime()
    try:
        with unit_of_work(rt.sessions) as session:
            row = service.report_arrival(
                session, acting_user(session, user), manifest_id, on=_on(rt, on), now=rt.clock()
            )
            console.print(f"manifest {row.mrn} arrived on {row.arrived_on}")
    except ClearwayError as error:
        _coded(error)


@app.command("carry-in")
def carry_in(
    key: Annotated[str, typer.Argument(help="CCN or house bill")],
    user: AsUser,
    shed: Annotated[str, typer.Option(help="Bonded area code (8 characters)")],
    kind: Annotated[str, typer.Option(help="designated | warehouse")] = "designated",
    on: On = None,
) -> None:
    """Carry a bill into a bonded area (반입)."""
    rt = runtime()
    try:
        with unit_of_work(rt.sessions) as session:
            event = custody.carry_in(
                session,
                acting_user(session, user),
                key,
                shed=shed,
                area_kind=kind,
                on=_on(rt, on),
                now=rt.clock(),
            )
            console.print(f"{key} carried into {event.shed} on {event.event_date}")
    except ClearwayError as error:
        _coded(error)


@app.command("carry-out")
def carry_out(
    key: Annotated[str, typer.Argument(help="CCN or house bill")],
    user: AsUser,
    reason: Annotated[str, typer.Option(help="release | transit | return")] = "release",
    text: Annotated[str | None, typer.Option("--text", help="Why (transit / return)")] = None,
    on: On = None,
) -> None:
    """Carry a bill out of bonded storage (반출): after release, or for transit/return with a reason."""
    rt = runtime()
    try:
        with unit_of_work(rt.sessions) as session:
            event = custody.carry_out(
                session,
                acting_user(session, user),
                key,
                reason=reason,
                reason_text=text,
                on=_on(rt, on),
                now=rt.clock(),
            )
            console.print(f"{key} carried out of {event.shed} on {event.event_date} ({event.reason})")
    except ClearwayError as error:
        _coded(error)


@app.command("status")
def status(
    key: Annotated[str, typer.Argument(help="CCN (화물관리번호) or house bill")],
    user: AsUser,
    as_json: AsJson = False,
) -> None:
    """A bill's manifest line, storage, declarations and (for customs) risk and holds."""
    rt = runtime()
    try:
        with unit_of_work(rt.sessions) as session:
            view = custody.bill_view(session, acting_user(session, user), key, today=_on(rt, None))
    except ClearwayError as error:
        _coded(error)
    if as_json:
        print_json(view)
        return
    m = view["manifest"]
    console.print(f"[bold]{view['ccn']}[/] house bill {view['house_bill']} (master {view['master_bill']})")
    console.print(
        f"manifest {m['mrn']} v{m['version']} {m['status']}: {m['port_of_loading']} → "
        f"{m['port_of_discharge']}, arrival {m['arrived_on'] or m['arrival_date']}"
    )
    console.print(
        f"{escape(view['description'])}: {view['packages']} {view['package_type']}, "
        f"{view['gross_weight_kg']} kg, consignee {escape(view['consignee'])}"
    )
    for e in view["storage"]:
        console.print(f"  {e['on']} {e['kind']} {e['shed']} {e['reason'] or ''}")
    if "declaration_due" in view:
        console.print(
            f"in storage: declare by {view['declaration_due']}, storage limit {view['storage_deadline']}"
        )
    for d in view["declarations"]:
        console.print(f"declaration {d['id']}: {d['status']} (lane {d['lane'] or '-'})")
        for h in d.get("holds", []):
            when = f"held {h['placed_at']:%Y-%m-%d %H:%M}" + (
                f", lifted {h['lifted_at']:%Y-%m-%d %H:%M}" if h["lifted_at"] else ""
            )
            console.print(f"  {h['code']} ({when}): {escape(h['lifted_note'] or h['reason'])}")
    if "risk" in view:
        r = view["risk"]
        console.print(
            f"pre-arrival risk: [bold]{r['level']}[/] (score {r['score']:.2f}, action {r['action']})"
        )
        for reason in r["reasons"]:
            console.print(f"  - {escape(reason['message'])}")
        for match in view["matching"]:
            for f in match["findings"]:
                console.print(
                    f"  mismatch with declaration {match['declaration_id']}: {escape(f['message'])}"
                )


@app.command("undeclared")
def undeclared(user: AsUser, on: On = None, as_json: AsJson = False) -> None:
    """Cargo in bonded storage that no declaration names, with the days since carry-in."""
    rt = runtime()
    try:
        with unit_of_work(rt.sessions) as session:
            rows = custody.undeclared_cargo(session, acting_user(session, user), on=_on(rt, on))
    except ClearwayError as error:
        _coded(error)
    if as_json:
        print_json(rows)
        return
    for r in rows:
        flag = " [red]overdue[/]" if r["overdue"] else ""
        console.print(
            f"{r['ccn']} {r['house_bill']} in {r['shed']} since {r['carried_in']}: {r['days']} days{flag}"
        )
    console.print(f"{len(rows)} undeclared bill(s)")


@app.command("train")
def train_command(
    user: AsUser,
    weeks: Annotated[int, typer.Option(help="Weeks of generated manifest history to learn from")] = 20,
    seed: Annotated[int, typer.Option(help="Seed of the generated history")] = 12,
    as_json: AsJson = False,
) -> None:
    """Train the pre-arrival cargo model (generated history + this system's examination results) and make
    the new version the one that screens manifests."""
    rt = runtime()
    try:
        with readable_errors(), unit_of_work(rt.sessions) as session:
            principal = acting_user(session, user)
            if principal.role not in (Role.RISK_ANALYST, Role.ADMIN):
                raise Forbidden(
                    f"only a risk analyst or admin trains the cargo model; {principal.username} is "
                    f"{principal.role.value}"
                )
            now = rt.clock()
            trained = training.train_and_save(
                session,
                models_dir=rt.settings.models_dir,
                now=now,
                trained_by=principal.username,
                weeks=weeks,
                seed=seed,
            )
            record(
                session,
                actor=Actor(principal.username, principal.user_id),
                subject_type="cargo_model",
                subject_id=trained.version,
                action="train",
                at=now,
                data={
                    "fingerprint": trained.document["fingerprint"],
                    "holdout": trained.document["metrics"]["holdout"],
                },
            )
    except ClearwayError as error:
        _coded(error)
    metrics = trained.document["metrics"]
    if as_json:
        print_json({"version": trained.version, "metrics": metrics, "sources": trained.document["sources"]})
        return
    holdout = metrics["holdout"]
    console.print(
        f"cargo model [bold]{trained.version}[/] in use: {metrics['n_records']} bills, "
        f"{metrics['examined']} examined ({metrics['found']} with a finding); holdout from {holdout['from']}: "
        f"precision@5% {holdout['precision@5']}, recall@10% {holdout['recall@10']}, AUC {holdout['auc']}"
    )
