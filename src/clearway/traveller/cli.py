"""``clearway traveller``: receive a passenger message; mask and delete past their periods (scheduled).

Run ``clearway traveller purge --as admin`` daily (cron or a systemd timer); it is idempotent.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from clearway.cli.common import acting_user, console, iso_date, print_json, readable_errors, runtime
from clearway.errors import FieldError, ValidationFailed
from clearway.traveller import service
from clearway.traveller.privacy import DEFAULT_DELETE_AFTER_DAYS, DEFAULT_MASK_AFTER_DAYS, Retention
from clearway.traveller.screening import DEFAULT_THRESHOLD
from clearway.traveller.watchlist import read_watchlist
from clearway.uow import unit_of_work

app = typer.Typer(
    help="Travellers: advance passenger data (API/PNR) and its retention.",
    no_args_is_help=True,
    add_completion=False,
)

AsUser = Annotated[
    str, typer.Option("--as", help="Act as this user (traveller unit or admin)", envvar="CLEARWAY_CLI_USER")
]
AsJson = Annotated[bool, typer.Option("--json", help="Machine-readable output")]


@app.command("receive")
def receive(
    file: Annotated[Path, typer.Argument(help="API/PNR message: JSON or PAXLST")],
    user: AsUser,
    as_json: AsJson = False,
) -> None:
    """Receive a carrier's passenger message (JSON, or UN/EDIFACT PAXLST) and print its acknowledgement."""
    rt = runtime()
    with readable_errors():
        text = file.read_text("utf-8")
        edifact = text.lstrip().startswith(("UNA", "UNB"))
        data = None if edifact else json.loads(text)
        with unit_of_work(rt.sessions) as session:
            principal = acting_user(session, user)
            ack = (
                service.receive_paxlst(session, principal, text, now=rt.clock())
                if edifact
                else service.receive(session, principal, data, now=rt.clock())
            )
    if as_json:
        print_json(ack)
        return
    console.print(f"message {ack['message_id']}: {ack['status']}")
    for p in ack["passengers"]:
        console.print(
            f"  passenger {p['index']}: {p['result']} (id {p['passenger_id']}, version {p['version']})"
        )


@app.command("purge")
def purge(
    user: AsUser,
    mask_after_days: Annotated[
        int, typer.Option(help="Mask identifying fields this many days after arrival")
    ] = DEFAULT_MASK_AFTER_DAYS,
    delete_after_days: Annotated[
        int, typer.Option(help="Delete passenger data this many days after arrival")
    ] = DEFAULT_DELETE_AFTER_DAYS,
    as_json: AsJson = False,
) -> None:
    """Mask passengers past the masking period and delete those past retention (run daily)."""
    rt = runtime()
    with readable_errors():
        retention = Retention(mask_after_days, delete_after_days)
        now = rt.clock()
        with unit_of_work(rt.sessions) as session:
            result = service.purge(session, acting_user(session, user), retention, today=now.date(), now=now)
    if as_json:
        print_json(
            {
                "masked": result.masked,
                "deleted": result.deleted,
                "messages_deleted": result.messages_deleted,
                "mask_before": result.mask_before,
                "delete_before": result.delete_before,
            }
        )
        return
    console.print(
        f"masked {result.masked} passenger(s) who arrived before {result.mask_before}; deleted "
        f"{result.deleted} (and {result.messages_deleted} message(s)) "
        f"from before {result.delete_before}"
    )


@app.command("screen")
def screen(
    flight: Annotated[str, typer.Argument(help="Flight number, e.g. KE082")],
    arrival: Annotated[str, typer.Argument(help="Arrival date, YYYY-MM-DD")],
    watchlist: Annotated[Path, typer.Option("--list", help="Watchlist CSV (entry_id,name,aliases,...)")],
    user: AsUser,
    threshold: Annotated[
        float, typer.Option(help="Score from which a match is a hit (0-100)")
    ] = DEFAULT_THRESHOLD,
    as_json: AsJson = False,
) -> None:
    """Screen an arriving flight's passengers against a watchlist; each hit with its score and reasons."""
    rt = runtime()
    with readable_errors():
        on = iso_date(arrival, "ARRIVAL") or date.min
        if not 0 <= threshold <= 100:
            raise ValidationFailed(
                "the threshold is a score from 0 to 100",
                errors=[FieldError("--threshold", "bad_threshold", f"{threshold} is not 0-100")],
            )
        entries = read_watchlist(watchlist.read_text("utf-8"))
        with unit_of_work(rt.sessions) as session:
            found = service.screen_flight(
                session, acting_user(session, user), flight, on, entries, now=rt.clock(), threshold=threshold
            )
            result: list[dict[str, Any]] = [
                {
                    "passenger_id": row.id,
                    "hits": [
                        {
                            "entry_id": m.entry_id,
                            "score": m.score,
                            "name_score": m.name_score,
                            "reasons": list(m.reasons),
                        }
                        for m in matches
                    ],
                }
                for row, matches in found
            ]
    if as_json:
        print_json(result)
        return
    console.print(f"{flight.upper()} {on}: {len(result)} passenger(s) with watchlist hits")
    for item in result:
        for hit in item["hits"]:
            console.print(
                f"  passenger {item['passenger_id']} ~ entry {hit['entry_id']}: score {hit['score']}"
            )
            for reason in hit["reasons"]:
                console.print(f"    · {escape(reason)}")
