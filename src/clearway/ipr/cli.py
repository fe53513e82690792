"""``clearway ipr``: recorded rights, screening, holds and their decisions, from the command line.

``--as`` names the user a command acts for (the CLI runs with operator trust, as the other commands).
Exit status 0 on success, 1 on a refused or invalid request (the reasons are printed).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.markup import escape
from rich.table import Table
from sqlalchemy.orm import Session

from clearway.cli.common import acting_user, console, print_json, readable_errors, runtime
from clearway.clock import korea_date
from clearway.identity import service as identity
from clearway.identity.core import Principal, Role
from clearway.ipr import service
from clearway.ipr.schemas import (
    EvidenceCreate,
    HoldAnswer,
    HoldCreate,
    HoldDecision,
    RecordingCreate,
    RecordingRead,
    Review,
    parse,
)
from clearway.uow import unit_of_work

app = typer.Typer(
    help="Intellectual property: recorded rights, counterfeit screening and holds (통관보류).",
    no_args_is_help=True,
    add_completion=False,
)

AsUser = Annotated[str, typer.Option("--as", help="Username the command acts for")]
AsJson = Annotated[bool, typer.Option("--json", help="Machine-readable output")]
Note = Annotated[str | None, typer.Option("--note", help="A note for the record")]
T = TypeVar("T")


def _run(user: str, work: Callable[[Session, Principal, datetime, date], T]) -> T:
    rt = runtime()
    with readable_errors(), unit_of_work(rt.sessions) as session:
        now = rt.clock()
        return work(session, acting_user(session, user), now, korea_date(now))


def _print(data: Any, as_json: bool, line: str) -> None:
    if as_json:
        print_json(data)
    else:
        console.print(line, highlight=False)


@app.command("holder-add")
def holder_add(
    company: Annotated[str, typer.Option(help="The right holder's company name")],
    username: Annotated[str, typer.Option(help="Username of its right-holder user")],
    password: Annotated[str, typer.Option(help="Initial password", prompt=True, hide_input=True)],
) -> None:
    """Register a right holder: a company and one user with the right_holder role."""
    rt = runtime()
    with readable_errors(), unit_of_work(rt.sessions) as session:
        row = identity.create_company(session, name=company, kind="trader", brn=None, now=rt.clock())
        identity.create_user(
            session,
            username=username,
            password=password,
            role=Role.RIGHT_HOLDER,
            company_id=row.id,
            now=rt.clock(),
        )
    console.print(f"right holder {escape(company)} registered; user {escape(username)}", highlight=False)


@app.command()
def record(
    file: Annotated[Path, typer.Argument(help="Recording JSON (see README, IPR)")],
    user: AsUser,
    as_json: AsJson = False,
) -> None:
    """Record a trademark with customs (a right holder); an officer then reviews it."""

    def work(session: Session, principal: Principal, now: datetime, today: date) -> RecordingRead:
        data = parse(RecordingCreate, json.loads(file.read_text("utf-8")))
        row = service.create_recording(session, principal, data, now=now, today=today)
        return RecordingRead.of(row, today)

    read = _run(user, work)
    _print(
        read.model_dump(mode="json"), as_json, f"recording {read.id} ({', '.join(read.marks)}): {read.status}"
    )


@app.command()
def recordings(user: AsUser, as_json: AsJson = False) -> None:
    """List the recordings this user may see."""
    rows = _run(
        user, lambda s, p, now, today: [RecordingRead.of(r, today) for r in service.list_recordings(s, p)]
    )
    if as_json:
        print_json([r.model_dump(mode="json") for r in rows])
        return
    table = Table("id", "marks", "registration", "status", "valid to")
    for r in rows:
        table.add_row(
            str(r.id),
            escape(", ".join(r.marks)),
            f"{r.registration_office} {r.registration_number}",
            r.status + (" (expired)" if r.expired else ""),
            r.valid_to.isoformat(),
        )
    console.print(table)


@app.command()
def review(
    recording_id: int,
    user: AsUser,
    approve: Annotated[bool, typer.Option("--approve/--reject")] = True,
    note: Note = None,
) -> None:
    """Approve or reject a pending recording (an officer)."""
    row = _run(
        user,
        lambda s, p, now, today: service.review_recording(
            s, p, recording_id, parse(Review, {"approve": approve, "note": note}), now=now, today=today
        ),
    )
    console.print(f"recording {row.id}: {row.status}")


@app.command()
def screen(declaration_id: int, user: AsUser, as_json: AsJson = False) -> None:
    """Screen a declaration against the approved recordings (an officer)."""
    found: list[dict[str, Any]] = _run(
        user, lambda s, p, now, today: [x.as_dict() for x in service.screen_declaration(s, p, declaration_id)]
    )
    if as_json:
        print_json(found)
        return
    if not found:
        console.print("no recorded mark mentioned")
    for f in found:
        verdict = "[bold red]SUSPECTED[/]" if f["suspected"] else "mentioned"
        console.print(
            f"line {f['line_number']}: {verdict} {escape(str(f['mark']))} (recording "
            f"{f['recording_id']}, score {f['score']:.2f})"
        )
        for sig in f["signals"]:
            console.print(f"  - {escape(sig['message'])}", highlight=False)


@app.command()
def hold(
    declaration_id: int,
    line_number: int,
    recording_id: int,
    user: AsUser,
    reason: Annotated[str, typer.Option(help="Why the goods are held (officers only see it)")],
    as_json: AsJson = False,
) -> None:
    """Hold a goods line (통관보류); the right holder and the importer are notified."""
    view = _run(
        user,
        lambda s, p, now, today: service.hold_view(
            s,
            p,
            service.open_hold(
                s,
                p,
                parse(
                    HoldCreate,
                    {
                        "declaration_id": declaration_id,
                        "line_number": line_number,
                        "recording_id": recording_id,
                        "reason": reason,
                    },
                ),
                now=now,
                today=today,
            ),
            today=today,
        ).model_dump(mode="json"),
    )
    _print(
        view, as_json, f"hold {view['id']}: {view['status']}, right holder to answer by {view['answer_due']}"
    )


@app.command()
def holds(
    user: AsUser,
    overdue: Annotated[bool, typer.Option(help="Only unanswered holds past due")] = False,
    as_json: AsJson = False,
) -> None:
    """List the holds this user may see, earliest deadline first."""
    views = _run(
        user,
        lambda s, p, now, today: [
            service.hold_view(s, p, h, today=today).model_dump(mode="json")
            for h in service.list_holds(s, p, today=today, only_overdue=overdue)
        ],
    )
    if as_json:
        print_json(views)
        return
    table = Table("hold", "declaration/line", "mark", "status", "answer due")
    for v in views:
        due = f"{v['answer_due']}" + (" OVERDUE" if v["overdue"] else "")
        table.add_row(
            str(v["id"]), f"{v['declaration_id']}/{v['line_number']}", escape(v["mark"]), v["status"], due
        )
    console.print(table)


@app.command()
def answer(
    hold_id: int,
    user: AsUser,
    confirm: Annotated[bool, typer.Option("--confirm/--not-counterfeit", help="Counterfeit or genuine")],
    security: Annotated[str | None, typer.Option(help="Security in KRW (required to confirm)")] = None,
    note: Note = None,
) -> None:
    """Answer a hold as the right holder, within the deadline."""
    body: dict[str, Any] = {"answer": "confirm" if confirm else "not_counterfeit", "note": note}
    if security is not None:
        body["security_krw"] = security
    view = _run(
        user,
        lambda s, p, now, today: (
            service.answer_hold(s, p, hold_id, parse(HoldAnswer, body), now=now, today=today).status
        ),
    )
    console.print(f"hold {hold_id}: {view}")


@app.command()
def evidence(hold_id: int, text: str, user: AsUser) -> None:
    """Submit evidence about a hold (the right holder or the importer)."""
    _run(
        user,
        lambda s, p, now, today: service.add_evidence(
            s, p, hold_id, parse(EvidenceCreate, {"text": text}), now=now
        ),
    )
    console.print(f"evidence added to hold {hold_id}")


@app.command()
def decide(
    hold_id: int,
    decision: Annotated[str, typer.Argument(help="release or seize")],
    user: AsUser,
    note: Annotated[str, typer.Option("--note", help="The decision's grounds")],
) -> None:
    """Release the held goods, or seize them (an officer)."""
    status = _run(
        user,
        lambda s, p, now, today: (
            service.decide_hold(
                s, p, hold_id, parse(HoldDecision, {"decision": decision, "note": note}), now=now
            ).status
        ),
    )
    console.print(f"hold {hold_id}: {status}")


@app.command()
def stats(user: AsUser) -> None:
    """Seizures by mark, HS chapter and origin."""
    print_json(_run(user, lambda s, p, now, today: service.seizure_statistics(s, p)))
