"""``clearway edifact``: file CUSDEC interchanges from a file or a watched drop directory."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer
from rich.markup import escape

from clearway.cli.common import acting_user, console, print_json, readable_errors, runtime
from clearway.filing.api import sheet_response
from clearway.filing.cusres import read_response
from clearway.filing.service import answer_cusdec, file_workbook
from clearway.filing.watch import DropWatcher, Processed
from clearway.uow import unit_of_work

app = typer.Typer(help="UN/EDIFACT CUSDEC declarations, answered with CUSRES.", no_args_is_help=True)
AsUser = Annotated[str, typer.Option("--as", help="File on behalf of this user", envvar="CLEARWAY_CLI_USER")]


def _summary(text: str) -> None:
    for n, message in enumerate(read_response(text), 1):
        refs = message["references"]
        if message.get("status") == "accepted":
            console.print(
                f"message {refs.get('ACW', n)}: [green]accepted[/] {refs.get('ABT')} ({escape(refs.get('ABE', ''))}), "
                f"lane {message.get('lane', '-')}"
            )
            continue
        console.print(f"message {refs.get('ACW', n)}: [red]rejected[/] ({escape(refs.get('ABE', '-'))})")
        for e in message["errors"]:
            where = f"{e['segment']} segment {e['segment_number']}" if e["segment_number"] else e["segment"]
            if e["element"]:
                where += f" element {e['element']}" + (f".{e['component']}" if e["component"] else "")
            field = f" {e['field']}" if e.get("field") else ""
            console.print(
                f"  {escape(where)}{escape(field)}: {escape(e.get('reason', ''))} [{escape(e.get('code', ''))}]"
            )


@app.command("send")
def send(
    file: Annotated[Path, typer.Argument(help="A CUSDEC interchange")],
    user: AsUser,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the CUSRES here (default: print it)")
    ] = None,
) -> None:
    """File the CUSDEC messages of one interchange and show the CUSRES answer."""
    rt = runtime()
    with readable_errors():
        text = file.read_text("utf-8")
        with unit_of_work(rt.sessions) as session:
            answered = answer_cusdec(rt.declarations, session, acting_user(session, user), text)
    if out is not None:
        out.write_text(answered.cusres, encoding="utf-8")
        _summary(answered.cusres)
    else:
        typer.echo(answered.cusres, nl=False)
    if answered.rejected:
        raise typer.Exit(1)


@app.command("watch")
def watch(
    directory: Annotated[Path, typer.Argument(help="The drop directory", file_okay=False)],
    user: AsUser,
    interval: Annotated[float, typer.Option(help="Seconds between looks")] = 2.0,
    settle: Annotated[float, typer.Option(help="Leave files changed less than this many seconds ago")] = 1.0,
    once: Annotated[bool, typer.Option("--once", help="File what is there now, then stop")] = False,
) -> None:
    """File every interchange dropped in DIRECTORY; move it to done/ or failed/ with its CUSRES beside it."""
    rt = runtime()
    directory.mkdir(parents=True, exist_ok=True)
    with readable_errors(), unit_of_work(rt.sessions) as session:
        acting_user(session, user)  # fail now, not on the first file, if the user does not exist
    watcher = DropWatcher(
        rt.sessions,
        rt.declarations,
        lambda s: acting_user(s, user),
        directory,
        settle=0.0 if once else settle,
    )

    def report(p: Processed) -> None:
        colour = "green" if p.rejected == 0 else "red"
        console.print(
            f"[{colour}]{escape(p.source)}[/] → {escape(str(p.destination.parent.name))}/: "
            f"{p.accepted} accepted, {p.rejected} rejected; answer {escape(p.response.name)}"
        )

    if once:
        for processed in watcher.run_once():
            report(processed)
        return
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    console.print(f"watching {escape(str(directory))} (done/ and failed/ beside the files); Ctrl-C to stop")
    watcher.run(stop, interval, report)
    console.print("stopped")


WORKBOOK_SUFFIXES = (".xlsx", ".xls", ".ods")


def declare_workbook(file: Path, user: str, as_json: bool) -> None:
    """``clearway declare FILE.xlsx``: every declaration of the workbook filed as one batch; errors name the cell."""
    rt = runtime()
    with readable_errors():
        data = file.read_bytes()
        with unit_of_work(rt.sessions) as session:
            principal = acting_user(session, user)
            results = file_workbook(rt.declarations, session, principal, data, limit=rt.settings.batch_limit)
            answer = sheet_response(results, customs=principal.is_customs, instance=str(file))
    if as_json:
        print_json(answer.model_dump(mode="json"))
    else:
        for r in answer.results:
            if r.declaration is not None:
                note = "filed" if r.status == 201 else "already filed"
                console.print(
                    f"{escape(r.row)} {escape(r.declarant_reference)}: [green]{note}[/] {r.declaration.number} "
                    f"(id {r.declaration.id}) — {r.declaration.status}, lane {r.declaration.lane or '-'}"
                )
                continue
            problem = r.problem or {}
            console.print(
                f"{escape(r.row)} {escape(r.declarant_reference)}: [red]refused[/] {escape(str(problem.get('detail', '')))}"
            )
            for e in problem.get("errors", []):
                console.print(
                    f"  {escape(e.get('cell') or '-')}  {escape(e['pointer'] or '/')}: {escape(e['message'])} [{escape(e['code'])}]"
                )
        console.print(f"{answer.filed} filed, {answer.replayed} already filed, {answer.failed} refused")
    if answer.failed:
        raise typer.Exit(1)
