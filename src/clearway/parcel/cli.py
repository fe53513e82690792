"""``clearway parcel``: personal customs codes, bulk reissue, parcel lists, holder notifications, statistics.

Every command runs in its own unit of work (a bulk reissue: one per chunk, so progress survives an
interruption and a rerun with the same key resumes). Bad input exits 1 with the reasons.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from clearway.audit.service import Actor
from clearway.cli.common import acting_user, console, print_json, readable_errors, runtime
from clearway.identity.core import Scope
from clearway.parcel import clearance, code_service, service
from clearway.parcel import codes as code_format
from clearway.parcel import repository as repo
from clearway.parcel.notify import LocalNotifier, deliver_pending
from clearway.parcel.protection import cipher_for
from clearway.parcel.screener import screener_for
from clearway.uow import unit_of_work

app = typer.Typer(
    help="Direct purchases: personal customs codes, parcel lists cleared by list, notifications.",
    no_args_is_help=True,
    add_completion=False,
)
As = Annotated[str, typer.Option("--as", help="Act as this user (officer: codes; a carrier's user: lists)")]
AsJson = Annotated[bool, typer.Option("--json", help="Machine-readable output")]
Reason = Annotated[str, typer.Option("--reason", help="Why (recorded in the audit trail)")]
CODE_PATTERN = re.compile(r"P\d{12}")


@app.command()
def issue(
    person_id: Annotated[str, typer.Option("--person-id", help="Resident, alien or passport number")],
    name: Annotated[str, typer.Option("--name")],
    phone: Annotated[str, typer.Option("--phone")],
    user: As = "officer",
    as_json: AsJson = False,
) -> None:
    """Issue a personal customs code (printed once)."""
    rt = runtime()
    with readable_errors(), unit_of_work(rt.sessions) as session:
        principal = acting_user(session, user)
        principal.require_scope(Scope.CODES_ADMIN)
        row, code = code_service.issue(
            session,
            cipher_for(rt.settings.personal_data_key),
            person_id=person_id,
            name=name,
            phone=phone,
            actor=Actor(principal.username, principal.user_id),
            now=rt.clock(),
        )
        answer = {**code_service.summary(row), "code": code}
    if as_json:
        print_json(answer)
    else:
        console.print(
            f"issued [bold]{code}[/] (id {row.id}) to {escape(row.name_masked)}, {row.phone_masked}"
        )


@app.command()
def verify(
    code: str,
    name: Annotated[str, typer.Option("--name")],
    phone: Annotated[str, typer.Option("--phone")],
    user: As = "trader",
) -> None:
    """Check name + code + phone as a carrier does before filing; exits 1 when they do not match."""
    rt = runtime()
    with readable_errors(), unit_of_work(rt.sessions) as session:
        principal = acting_user(session, user)
        principal.require_scope(Scope.PARCELS_WRITE)
        result = code_service.verify(
            session,
            cipher_for(rt.settings.personal_data_key),
            code=code,
            name=name,
            phone=phone,
            actor=Actor(principal.username, principal.user_id),
            now=rt.clock(),
        )
    if result["valid"]:
        console.print("[green]valid[/]: name, code and phone match an active code")
        return
    for problem in result["problems"]:
        console.print(f"[red]{problem['code']}[/]: {escape(problem['message'])}")
    raise typer.Exit(1)


@app.command()
def reissue(code_id: int, reason: Reason, user: As = "officer") -> None:
    """Reissue one code: the old one stops at once; its parcels awaiting a declaration are held."""
    rt = runtime()
    with readable_errors(), unit_of_work(rt.sessions) as session:
        principal = acting_user(session, user)
        principal.require_scope(Scope.CODES_ADMIN)
        row, code, held = code_service.reissue(
            session,
            cipher_for(rt.settings.personal_data_key),
            code_id,
            reason=reason,
            now=rt.clock(),
            actor=Actor(principal.username, principal.user_id),
        )
    console.print(f"new code [bold]{code}[/] (id {row.id}); parcels held: {len(held)}")


@app.command()
def suspend(code_id: int, reason: Reason, user: As = "officer") -> None:
    """Suspend a code (its parcels awaiting a declaration are held)."""
    rt = runtime()
    with readable_errors(), unit_of_work(rt.sessions) as session:
        principal = acting_user(session, user)
        principal.require_scope(Scope.CODES_ADMIN)
        result = code_service.suspend(
            session,
            code_id,
            reason=reason,
            actor=Actor(principal.username, principal.user_id),
            now=rt.clock(),
        )
    console.print(f"code {result['code']} suspended; parcels held: {len(result['held_parcels'])}")


@app.command("reissue-bulk")
def reissue_bulk(
    file: Annotated[Path, typer.Argument(help="Text file: one code per line")],
    key: Annotated[str, typer.Option("--key", help="Job key: the same key resumes")],
    reason: Reason,
    user: As = "officer",
    chunk: Annotated[int, typer.Option(min=1, max=50_000)] = code_service.JOB_CHUNK,
    as_json: AsJson = False,
) -> None:
    """Reissue many codes (a leak response) as an idempotent job with progress and a report."""
    rt = runtime()
    cipher = cipher_for(rt.settings.personal_data_key)
    with readable_errors():
        texts = [line.strip() for line in file.read_text("utf-8").splitlines() if line.strip()]
        with unit_of_work(rt.sessions) as session:
            principal = acting_user(session, user)
            principal.require_scope(Scope.CODES_ADMIN)
            actor = Actor(principal.username, principal.user_id)
            started = code_service.start_job(
                session, cipher, key=key, code_texts=texts, reason=reason, actor=actor, now=rt.clock()
            )
            job_id, already_done = started.job.id, started.replayed and started.job.status == "done"
        began, more = time.perf_counter(), True
        while more:
            with unit_of_work(rt.sessions) as session:
                job = repo.job(session, job_id)
                assert job is not None
                more = code_service.run_chunk(session, cipher, job, actor=actor, now=rt.clock(), chunk=chunk)
                view = code_service.job_view(job)
            if not as_json:
                console.print(f"  {view['processed']}/{view['total']} codes", highlight=False)
        seconds = time.perf_counter() - began
    view["seconds"] = round(seconds, 3)
    if as_json:
        print_json(view)
        return
    report = view["report"]
    if already_done:
        console.print(
            f"job {view['id']} ({escape(key)}) was already done with these codes; nothing was reissued twice"
        )
        return
    rate = report["reissued"] / seconds if seconds > 0 else 0.0
    console.print(
        f"job {view['id']} ({escape(key)}) {view['status']}: reissued {report['reissued']}, "
        f"not found {report['not_found']}, already reissued {report['already_reissued']}, invalid "
        f"{report['invalid']}, parcels held {report['held_parcels']} — {rate:,.0f} codes/s"
    )


@app.command()
def submit(
    file: Annotated[Path, typer.Argument(help="Parcel list JSON: {reference, carrier_kind, parcels}")],
    user: As = "trader",
    as_json: AsJson = False,
) -> None:
    """Submit a carrier's parcel list; every parcel is answered on its own."""
    rt = runtime()
    with readable_errors():
        document = json.loads(file.read_text("utf-8"))
        with unit_of_work(rt.sessions) as session:
            principal = acting_user(session, user)
            principal.require_scope(Scope.PARCELS_WRITE)
            answer = clearance.submit_list(
                session,
                cipher_for(rt.settings.personal_data_key),
                document,
                principal=principal,
                now=rt.clock(),
                screener=screener_for(rt),
            )
    if as_json:
        print_json(answer)
        return
    table = Table("#", "house bill", "outcome", "USD", "duty KRW", "signals / errors")
    for r in answer["results"]:
        if r["accepted"]:
            table.add_row(
                str(r["index"]),
                r["house_bill"],
                r["route"],
                r["goods_usd"],
                r["duty_krw"] or "",
                ", ".join(r["signals"]),
            )
        else:
            table.add_row(
                str(r["index"]),
                r["house_bill"] or "",
                "[red]rejected[/]",
                "",
                "",
                escape("; ".join(f"{e['pointer']} {e['code']}" for e in r["errors"])),
            )
    console.print(table)
    console.print(f"list {answer['id']}: {answer['counts']}")


@app.command()
def notify(limit: Annotated[int, typer.Option(min=1, max=100_000)] = 1000) -> None:
    """Deliver pending holder notifications through the local adapter (printed, codes and phones masked)."""
    rt = runtime()
    notifier = LocalNotifier()
    with readable_errors(), unit_of_work(rt.sessions) as session:
        count = deliver_pending(
            session, cipher_for(rt.settings.personal_data_key), notifier, now=rt.clock(), limit=limit
        )
    for notice in notifier.sent:
        text = CODE_PATTERN.sub(lambda m: code_format.mask_code(m.group()), notice.text)  # console is a log
        console.print(
            escape(f"→ {code_format.mask_phone(notice.phone)} [{notice.event}] {text}"), highlight=False
        )
    console.print(f"{count} notification(s) delivered")


@app.command()
def stats(user: As = "officer") -> None:
    """Parcels by dispatch country, route and status, and the duty assessed."""
    rt = runtime()
    with readable_errors(), unit_of_work(rt.sessions) as session:
        principal = acting_user(session, user)
        principal.require_scope(Scope.PARCELS_READ)
        print_json(service.statistics(session, principal))


@app.command()
def inspections(
    check: Annotated[str | None, typer.Option(help="xray or inspection (default: both)")] = None,
    user: As = "officer",
    as_json: AsJson = False,
) -> None:
    """The express-cargo X-ray / inspection queue: parcels the screening selected, oldest first."""
    rt = runtime()
    with readable_errors(), unit_of_work(rt.sessions) as session:
        principal = acting_user(session, user)
        principal.require_scope(Scope.PARCELS_INSPECT)
        rows = service.inspection_queue(session, principal, check=check, limit=500, offset=0)
    if as_json:
        print_json(rows)
        return
    table = Table("id", "house bill", "check", "from", "signals", "why")
    for p in rows:
        why = [r["message"] for r in (p["screening"] or {}).get("reasons", []) if r.get("kind") != "green"]
        table.add_row(
            str(p["id"]),
            p["house_bill"],
            p["inspection"]["check"],
            p["dispatch_country"],
            ", ".join(p["signals"]),
            escape("; ".join(why)[:120]),
        )
    console.print(table)


@app.command()
def inspect(
    parcel_id: int,
    result: Annotated[str, typer.Option(help="clear (the parcel goes on) or found (detained)")],
    note: Annotated[str, typer.Option(help="What the officer saw")],
    user: As = "officer",
) -> None:
    """Record an X-ray or inspection result."""
    rt = runtime()
    with readable_errors():
        if result not in ("clear", "found"):
            raise typer.BadParameter("--result is clear or found")
        with unit_of_work(rt.sessions) as session:
            principal = acting_user(session, user)
            principal.require_scope(Scope.PARCELS_INSPECT)
            row = service.record_inspection(
                session,
                principal,
                parcel_id,
                result=result,
                note=note,
                actor=Actor(principal.username, principal.user_id),
                now=rt.clock(),
            )
    console.print(f"parcel {row['house_bill']}: {row['status']}")
