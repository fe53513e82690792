"""The ``clearway`` command."""

from __future__ import annotations

import importlib
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from typer import _click  # the click that typer's commands are built on (typer.core)
from typer.core import DEFAULT_MARKUP_MODE, TyperCommand, TyperGroup
from typer.models import CommandInfo

from clearway.cli.common import acting_user, console, iso_date, print_json, readable_errors, runtime

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy.orm import Session

    from clearway.declaration.filing import Filing
    from clearway.declaration.schemas import DeclarationRead
    from clearway.identity.core import Principal
    from clearway.runtime import Runtime

# The domains' commands, imported only when one of them runs (or is asked for its own help): importing them
# all would import every model library (LightGBM, scikit-learn, kiwipiepy, …) before `clearway --help`.
# (name, "module:attribute" of a Typer app or a command function, the one-line help the top-level help shows)
DOMAIN_COMMANDS: tuple[tuple[str, str, str], ...] = (
    (
        "tariff",
        "clearway.tariff.cli:app",
        "The tariff as data: rates, exchange rates, internal taxes and parameters.",
    ),
    (
        "duty",
        "clearway.assessment.cli:app",
        "Duties and taxes: estimates without filing, and the engine benchmark.",
    ),
    (
        "origin",
        "clearway.origin.cli:app",
        "Rules of origin, origin determination and certificates of origin.",
    ),
    ("risk", "clearway.risk.cli:app", "Risk selection: criteria, the learned model, monitoring, benchmark."),
    (
        "classify",
        "clearway.classification.cli:app",
        'HS classification: `clearway classify "TEXT"`, `classify train`, `classify benchmark`.',
    ),
    (
        "ipr",
        "clearway.ipr.cli:app",
        "Intellectual property: recorded rights, counterfeit screening and holds (통관보류).",
    ),
    ("assist", "clearway.assistant.cli:app", "The consultation assistant: model, benchmark."),
    ("ask", "clearway.assistant.cli:ask", "Ask the consultation assistant."),
    ("payment", "clearway.payment.cli:app", "Payment orders, bank confirmations and reconciliation."),
    (
        "parcel",
        "clearway.parcel.cli:app",
        "Direct purchases: personal customs codes, parcel lists cleared by list, notifications.",
    ),
    ("parties", "clearway.party.cli:app", "Brokers' mandates: who files for whom."),
    (
        "cargo",
        "clearway.cargo.cli:app",
        "Cargo: manifests (적하목록), arrival, bonded storage, undeclared cargo.",
    ),
    (
        "worker",
        "clearway.messaging.cli:app",
        "Background workers: the outbox relay, webhook delivery, scheduled jobs.",
    ),
    (
        "manifest",
        "clearway.cargo.cli:manifest_app",
        "Manifests (적하목록): submit JSON or UN/EDIFACT CUSCAR.",
    ),
    (
        "traveller",
        "clearway.traveller.cli:app",
        "Travellers: advance passenger data (API/PNR) and its retention.",
    ),
    ("statistics", "clearway.statistics.cli:app", "Trade statistics: refresh, query, export."),
    ("edifact", "clearway.filing.cli:app", "UN/EDIFACT CUSDEC declarations, answered with CUSRES."),
    (
        "replay",
        "clearway.receipts.cli:replay",
        "Recompute a declaration's duty and risk score from its decision receipt: same, or what changed since.",
    ),
)


def load_command(name: str, target: str) -> _click.Command:
    """The click command for a domain's Typer app (a group) or command function, importing its module."""
    module, _, attribute = target.partition(":")
    found: Any = getattr(importlib.import_module(module), attribute)
    if isinstance(found, typer.Typer):
        command: _click.Command = typer.main.get_group(found)
    else:
        command = typer.main.get_command_from_info(
            CommandInfo(name=name, callback=found),
            pretty_exceptions_short=True,
            rich_markup_mode=DEFAULT_MARKUP_MODE,
        )
    command.name = name
    return command


class _Deferred(TyperCommand):
    """Stands for a domain's commands in the top-level help until one of them runs."""

    def __init__(self, name: str, target: str, help: str) -> None:
        super().__init__(name, help=help)
        self.target = target


class _Commands(TyperGroup):
    """The top-level group: the domains' commands are listed from DOMAIN_COMMANDS and imported when run."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        for name, target, help in DOMAIN_COMMANDS:
            self.commands.setdefault(name, _Deferred(name, target, help))

    def resolve_command(
        self, ctx: _click.Context, args: list[str]
    ) -> tuple[str | None, _click.Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        if name is not None and isinstance(command, _Deferred):
            command = self.commands[name] = load_command(name, command.target)
        return name, command, rest


app = typer.Typer(
    help="Clearway: electronic customs clearance.", no_args_is_help=True, add_completion=False, cls=_Commands
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
audit_app = typer.Typer(help="The tamper-evident audit trail.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(audit_app, name="audit")

AsUser = Annotated[
    str,
    typer.Option(
        "--as", help="Act as this user (the CLI runs with operator trust)", envvar="CLEARWAY_CLI_USER"
    ),
]
AsJson = Annotated[bool, typer.Option("--json", help="Machine-readable output")]


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or upgrade the database schema to the latest migration."""
    from clearway.config import Settings
    from clearway.migrate import upgrade

    settings = Settings()
    settings.home.mkdir(parents=True, exist_ok=True)
    with readable_errors():
        upgrade(settings.resolved_database_url)
    console.print(f"database at the latest schema: {settings.resolved_database_url}")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="Worker processes, each with its own runtime (PostgreSQL only; one more than the cores keeps "
            "them busy while another waits for the database)",
        ),
    ] = 1,
    graceful_seconds: Annotated[
        int, typer.Option(min=1, help="On SIGTERM: how long in-flight requests may take to finish")
    ] = 30,
) -> None:
    """Serve the API and web pages.

    SIGTERM (or Ctrl-C) stops accepting connections, lets the requests in flight finish (up to
    --graceful-seconds), stops the in-process relay and closes the database pool."""
    import uvicorn

    from clearway.app import create_app
    from clearway.config import Settings, production_problems

    settings = Settings()
    host, port = host or settings.host, port or settings.port
    problems = production_problems(settings, host)
    if problems:
        typer.echo("refusing to start in production mode (PostgreSQL or a non-loopback bind):", err=True)
        for problem in problems:
            typer.echo(f"  - {problem}", err=True)
        raise typer.Exit(2)
    if workers > 1 and not settings.resolved_database_url.startswith("postgres"):
        typer.echo(
            f"refusing --workers {workers}: the embedded SQLite database has one writer and its in-process "
            "relay belongs to one process; serve it with one worker, or set CLEARWAY_DATABASE_URL to "
            "PostgreSQL to run several processes",
            err=True,
        )
        raise typer.Exit(2)
    options: dict[str, Any] = {"host": host, "port": port, "timeout_graceful_shutdown": graceful_seconds}
    if workers > 1:  # each worker process builds its own runtime from the environment
        uvicorn.run("clearway.app:app_from_env", factory=True, workers=workers, **options)
    else:
        uvicorn.run(create_app(settings), **options)


@app.command()
def demo(
    count: Annotated[int, typer.Option(help="How many declarations to file")] = 80,
    serve_after: Annotated[bool, typer.Option("--serve/--no-serve", help="Keep serving afterwards")] = True,
) -> None:
    """Create the database, load reference data and demo users, file realistic declarations, serve."""
    import uvicorn
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
    from rich.table import Table

    from clearway.app import create_app
    from clearway.config import Settings
    from clearway.demo.parties import USERS
    from clearway.demo.run import DemoClock, walk
    from clearway.migrate import upgrade
    from clearway.runtime import build_runtime
    from clearway.statistics import refresh as trade_statistics
    from clearway.tariff.demo import DEMO_NOTICE
    from clearway.uow import unit_of_work

    settings = Settings()
    settings.home.mkdir(parents=True, exist_ok=True)
    with readable_errors():
        console.print(f"[bold]Clearway demo[/] — database {settings.resolved_database_url}")
        upgrade(settings.resolved_database_url)
        rt = build_runtime(settings, clock=DemoClock())
        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=console
        ) as bar:
            task = bar.add_task("filing declarations (a week of history, then today)", total=count)
            summary = walk(rt, count, lambda stage, n: bar.update(task, completed=n))
        with unit_of_work(rt.sessions) as session:
            trade_statistics.refresh(session, now=rt.clock())  # the figures of the statistics pages
    table = Table(title="Demo declarations")
    table.add_column("status")
    table.add_column("count", justify="right")
    for status, n in sorted(summary.statuses.items()):
        table.add_row(status, str(n))
    console.print(table)
    console.print("lanes: " + ", ".join(f"{lane} {n}" for lane, n in sorted(summary.lanes.items())))
    console.print(f"total assessed: {summary.total_due_krw:,} KRW")
    console.print(f"[bold yellow]{escape(DEMO_NOTICE)}[/]")
    console.print(f"risk model in use: {escape(summary.model)}")
    users = Table(title="Demo users (demo passwords — change them for any real use)")
    for column in ("username", "password", "role", "who"):
        users.add_column(column)
    for u in USERS:
        users.add_row(u.username, u.password, u.role.value, u.display_name)
    console.print(users)
    url = f"http://{settings.host}:{settings.port}"
    console.print(f"API docs: {url}/docs   health: {url}/api/v1/health")
    if serve_after:
        uvicorn.run(create_app(settings, runtime=rt), host=settings.host, port=settings.port)


@app.command()
def declare(
    file: Annotated[Path, typer.Argument(help="Declaration JSON file, or a filled-in .xlsx template")],
    user: AsUser,
    as_json: AsJson = False,
) -> None:
    """File a declaration from a JSON file, or every declaration of a spreadsheet (.xlsx template) as a batch."""
    from clearway.filing.cli import WORKBOOK_SUFFIXES, declare_workbook

    if file.suffix.lower() in WORKBOOK_SUFFIXES:
        declare_workbook(file, user, as_json)
        return
    from clearway.declaration import holds
    from clearway.declaration.schemas import DeclarationRead
    from clearway.uow import unit_of_work

    rt = runtime()
    with readable_errors():
        document = json.loads(file.read_text("utf-8"))
        with unit_of_work(rt.sessions) as session:
            principal = acting_user(session, user)
            filing = rt.declarations.file(session, principal, document)
            held = holds.read_fields(session, filing.declaration.id, filing.version.version)
            read = DeclarationRead.of(
                filing.declaration, filing.version, customs=principal.is_customs, **held
            )
    _show(read, as_json, note=None if filing.created else "already filed: this is the existing declaration")


@app.command()
def status(
    declaration_id: Annotated[int, typer.Argument(help="Declaration id")],
    user: AsUser,
    as_json: AsJson = False,
) -> None:
    """Show a declaration's status, lane, figures and history."""
    from clearway.declaration import holds
    from clearway.declaration.schemas import DeclarationRead
    from clearway.uow import unit_of_work

    rt = runtime()
    with readable_errors(), unit_of_work(rt.sessions) as session:
        principal = acting_user(session, user)
        filing = rt.declarations.get(session, principal, declaration_id)
        held = holds.read_fields(session, filing.declaration.id, filing.version.version)
        read = DeclarationRead.of(filing.declaration, filing.version, customs=principal.is_customs, **held)
    _show(read, as_json)


@app.command()
def decide(
    declaration_id: Annotated[int, typer.Argument(help="Declaration id")],
    decision: Annotated[
        str, typer.Argument(help="accept, reject, request_documents, inspect or inspection_result")
    ],
    user: AsUser,
    reason: Annotated[str | None, typer.Option(help="Internal reason (officers only)")] = None,
    message: Annotated[str | None, typer.Option(help="What the filer is told")] = None,
    finding: Annotated[
        str | None, typer.Option(help="inspection_result: no_irregularity or irregularity")
    ] = None,
    additional_duty: Annotated[
        int, typer.Option("--additional-duty", help="inspection_result: additional duty in KRW")
    ] = 0,
    as_json: AsJson = False,
) -> None:
    """An officer's decision on a declaration, as on the officer's page (accept, reject, inspect, ...)."""
    from decimal import Decimal

    from clearway.declaration import decisions
    from clearway.errors import FieldError, ValidationFailed

    def parsed() -> decisions.Decision:
        try:
            kind = decisions.DecisionKind(decision)
            found = decisions.Finding(finding) if finding else None
        except ValueError as error:
            choices = ", ".join(k.value for k in decisions.DecisionKind)
            raise ValidationFailed(
                "the decision is not understood",
                errors=[FieldError("/decision", "unknown", f"{error}; one of {choices}")],
            ) from None
        inspection = (
            decisions.InspectionFinding(found, message or "", Decimal(additional_duty), False)
            if found
            else None
        )
        return decisions.Decision(kind, reason, inspection, message)

    _act(
        declaration_id,
        user,
        as_json,
        lambda rt, session, who: rt.declarations.decide(session, who, declaration_id, parsed()),
    )


@app.command()
def pay(
    declaration_id: Annotated[int, typer.Argument(help="Declaration id")],
    user: AsUser,
    as_json: AsJson = False,
) -> None:
    """Pay a declaration's order at the local bank simulator, which confirms through its signed callback."""
    from clearway.payment import service as payment
    from clearway.payment.core import callback_secret

    def paid(rt: Runtime, session: Session, who: Principal) -> Filing:
        rt.declarations.owned(session, who, declaration_id)
        bank = payment.simulator(session, callback_secret(rt.settings.secret_key), rt.clock)
        outcome = payment.pay(bank, session, declaration_id, None)
        if not outcome.applied:
            console.print(f"[yellow]{escape(outcome.message)}[/]")
        return rt.declarations.get(session, who, declaration_id)

    _act(declaration_id, user, as_json, paid)


@app.command()
def release(
    declaration_id: Annotated[int, typer.Argument(help="Declaration id")],
    user: AsUser,
    as_json: AsJson = False,
) -> None:
    """Release the goods (officer; only once the bank confirmed payment)."""
    _act(
        declaration_id,
        user,
        as_json,
        lambda rt, session, who: rt.declarations.release(session, who, declaration_id),
    )


def _act(
    declaration_id: int,
    user: str,
    as_json: bool,
    action: Callable[[Runtime, Session, Principal], Filing],
) -> None:
    """Run one action on a declaration in one transaction as USER, then show the declaration as it stands."""
    from clearway.declaration import holds
    from clearway.declaration.schemas import DeclarationRead
    from clearway.uow import unit_of_work

    rt = runtime()
    with readable_errors(), unit_of_work(rt.sessions) as session:
        principal = acting_user(session, user)
        filing = action(rt, session, principal)
        held = holds.read_fields(session, filing.declaration.id, filing.version.version)
        read = DeclarationRead.of(filing.declaration, filing.version, customs=principal.is_customs, **held)
    _show(read, as_json)


def _show(read: DeclarationRead, as_json: bool, note: str | None = None) -> None:
    if as_json:
        print_json(read.model_dump(mode="json"))
        return
    if note:
        console.print(f"[yellow]{note}[/]")
    console.print(
        f"[bold]{read.number}[/] (id {read.id}, version {read.version}) — {read.status}, "
        f"lane {read.lane or '-'}"
    )
    for hold in read.holds:  # why a filed declaration waits (e.g. its bill is on no manifest yet)
        console.print(f"[yellow]{'held' if hold['standing'] else 'hold lifted'}:[/] {escape(hold['reason'])}")
    assessment = read.assessment or {}
    label = " [placeholder]" if assessment.get("placeholder") else ""
    console.print(
        f"assessment{label}: {assessment.get('method')} — total due "
        f"{read.total_due_krw if read.total_due_krw is not None else 'not assessed'} KRW"
    )
    for note_text in assessment.get("notes", []):
        console.print(f"  · {escape(str(note_text))}")
    selection = read.lane_selection or {}
    for reason in selection.get("reasons", []):
        console.print(f"  lane reason: {escape(str(reason.get('message', reason)))}")
    for advice in read.advice:
        console.print(f"  [yellow]warning[/] {advice['pointer']}: {escape(advice['message'])}")
    console.print(f"next: {', '.join(read.allowed_actions) or 'nothing (final)'}")


@app.command("setup-models")
def setup_models() -> None:
    """Build or check the models the product serves (run by setup.sh; nothing is downloaded).

    Two builds at a time, each in a process of its own: the others are built while the HS classification
    model (the longest, partly on one core) is."""
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from clearway.config import Settings
    from clearway.wiring import MODEL_BUILDERS

    settings = Settings()
    settings.home.mkdir(parents=True, exist_ok=True)
    with readable_errors(), ProcessPoolExecutor(max_workers=2) as pool:
        builds = {pool.submit(_timed_build, build, settings): name for name, build in MODEL_BUILDERS}
        for done in as_completed(builds):
            said, seconds = done.result()
            console.print(f"model {builds[done]}: {said} ({seconds:.0f} s)")


@app.command("ship-models")
def ship_models() -> None:
    """Copy the served classification and assistant models into the package (src/clearway/data/models/), so
    that a fresh set-up installs them instead of training them. Run after retraining on changed data or
    parameters, and commit the result with that change."""
    from clearway.config import Settings
    from clearway.shipped_models import served_folder, ship
    from clearway.wiring import SHIPPED_MODELS

    settings = Settings()
    with readable_errors():
        for kind, shipped_form in SHIPPED_MODELS:
            shipped = ship(kind, served_folder(kind, settings.models_dir), shipped_form=shipped_form)
            size = sum(f.stat().st_size for f in shipped.iterdir())
            console.print(f"{kind}: {shipped.name} shipped in {shipped} ({size / 1e6:.0f} MB)")


def _timed_build(build: Any, settings: Any) -> tuple[str, float]:
    started = time.monotonic()
    return build(settings), time.monotonic() - started


@app.command("release-times")
def release_times(
    user: AsUser,
    filed_from: Annotated[str | None, typer.Option("--from", help="Filed on or after (YYYY-MM-DD)")] = None,
    filed_to: Annotated[str | None, typer.Option("--to", help="Filed on or before (YYYY-MM-DD)")] = None,
    office: Annotated[str | None, typer.Option(help="Customs office code")] = None,
    as_json: AsJson = False,
) -> None:
    """Release time by stage over the declarations filed in a period (WCO Time Release Study)."""
    from rich.table import Table

    from clearway.declaration.repository import ListFilter
    from clearway.uow import unit_of_work

    rt = runtime()
    with readable_errors(), unit_of_work(rt.sessions) as session:
        f = ListFilter(
            filed_from=iso_date(filed_from, "--from"),
            filed_to=iso_date(filed_to, "--to"),
            customs_office=office,
        )
        result = rt.declarations.release_study(session, acting_user(session, user), f)
    if as_json:
        print_json(result)
        return
    table = Table(title=f"Release time by stage — {result['declarations']} declarations")
    for column in ("stage", "declarations", "mean h", "median h", "90th pct h"):
        table.add_column(column, justify="left" if column == "stage" else "right")
    for s in result["stages"]:
        table.add_row(
            s["stage"].replace("_", " "),
            str(s["declarations"]),
            f"{s['mean_hours']:.2f}",
            f"{s['median_hours']:.2f}",
            f"{s['p90_hours']:.2f}",
        )
    console.print(table)


@audit_app.command("anchor")
def audit_anchor() -> None:
    """Append a signed checkpoint of the chain's last event to the anchor file (keep a copy off this host)."""
    from clearway.audit.keys import append_anchor, load_key
    from clearway.audit.service import head as audit_head
    from clearway.uow import unit_of_work

    rt = runtime()
    with readable_errors(), unit_of_work(rt.sessions) as session:
        seq, last_hash = audit_head(session)
    path = rt.settings.resolved_anchor_file
    anchor = append_anchor(path, load_key(rt.settings), seq, last_hash, rt.clock())
    console.print(f"anchored event {anchor.seq} ({anchor.hash[:16]}…) in {escape(str(path))}")


@audit_app.command("verify")
def audit_verify(as_json: AsJson = False) -> None:
    """Check the whole audit chain (keyed hashes, the signed head and the anchors); name every edited,
    inserted, deleted, rewritten or truncated event."""
    from clearway.audit.keys import read_anchors
    from clearway.audit.service import verify
    from clearway.uow import unit_of_work

    rt = runtime()
    with readable_errors(), unit_of_work(rt.sessions) as session:
        result = verify(session, anchors=read_anchors(rt.settings.resolved_anchor_file))
    if as_json:
        print_json(
            {
                "intact": result.intact,
                "events_checked": result.events_checked,
                "findings": [{"seq": f.seq, "kind": f.kind, "message": f.message} for f in result.findings],
            }
        )
    elif result.intact:
        console.print(f"[green]audit chain intact[/]: {result.events_checked} events verified")
    else:
        for finding in result.findings:
            console.print(f"[red]{finding.kind}[/] at event {finding.seq}: {escape(finding.message)}")
        console.print(
            f"[red]audit chain BROKEN[/]: {len(result.findings)} problem(s) in {result.events_checked} events"
        )
    if not result.intact:
        raise typer.Exit(3)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
