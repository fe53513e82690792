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
from clearway.traveller import risk_service, service, watch_service
from clearway.traveller.privacy import DEFAULT_DELETE_AFTER_DAYS, DEFAULT_MASK_AFTER_DAYS, Retention
from clearway.traveller.screening import DEFAULT_THRESHOLD
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
FlightNumber = Annotated[str, typer.Argument(help="Flight number, e.g. KE082")]
ArrivalDate = Annotated[str, typer.Argument(help="Arrival date, YYYY-MM-DD")]


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


@app.command("load-watchlist")
def load_watchlist(
    name: Annotated[str, typer.Argument(help="The list's name, e.g. interpol-notices")],
    file: Annotated[Path, typer.Argument(help="CSV: entry_id,name,aliases,date_of_birth,nationality,...")],
    user: AsUser,
    as_json: AsJson = False,
) -> None:
    """Load a watchlist file as the next version of the named list (a broken row refuses the whole file)."""
    rt = runtime()
    with readable_errors():
        text = file.read_text("utf-8")
        with unit_of_work(rt.sessions) as session:
            wl = watch_service.load_watchlist(session, acting_user(session, user), name, text, now=rt.clock())
            result = {"id": wl.id, "name": wl.name, "version": wl.version, "entries": wl.entry_count}
    if as_json:
        print_json(result)
        return
    console.print(f"watchlist {result['name']} version {result['version']}: {result['entries']} entries")


@app.command("screen")
def screen(
    flight: FlightNumber,
    arrival: ArrivalDate,
    user: AsUser,
    threshold: Annotated[
        float, typer.Option(help="Score from which a match is a hit (0-100)")
    ] = DEFAULT_THRESHOLD,
    as_json: AsJson = False,
) -> None:
    """Screen an arriving flight against the stored watchlists; each hit with its score and reasons."""
    rt = runtime()
    with readable_errors():
        on = iso_date(arrival, "ARRIVAL") or date.min
        with unit_of_work(rt.sessions) as session:
            found = watch_service.screen_flight(
                session, acting_user(session, user), flight, on, now=rt.clock(), threshold=threshold
            )
            hits: list[dict[str, Any]] = [
                {
                    "hit_id": h.id,
                    "passenger_id": h.passenger_id,
                    "watchlist": h.watchlist,
                    "entry_id": h.entry_id,
                    "score": h.score,
                    "status": h.status,
                    "reasons": list(h.reasons),
                }
                for h in found.hits
            ]
    if as_json:
        print_json({"passengers": found.passengers, "suppressed": found.suppressed, "hits": hits})
        return
    console.print(
        f"{flight.upper()} {on}: {found.passengers} passenger(s), {len(hits)} hit(s), "
        f"{found.suppressed} cleared before and not raised again"
    )
    for hit in hits:
        console.print(
            f"  hit {hit['hit_id']}: passenger {hit['passenger_id']} ~ {hit['watchlist']}/{hit['entry_id']}"
            f" score {hit['score']} ({hit['status']})"
        )
        for reason in hit["reasons"]:
            console.print(f"    · {escape(reason)}")


@app.command("decide")
def decide(
    hit_id: Annotated[int, typer.Argument(help="The hit's id (from `screen`)")],
    decision: Annotated[str, typer.Argument(help="confirmed or cleared")],
    user: AsUser,
    note: Annotated[str, typer.Option(help="Why")] = "",
) -> None:
    """Confirm or clear a watchlist hit; a cleared hit is not raised again for the same person and entry."""
    rt = runtime()
    with readable_errors(), unit_of_work(rt.sessions) as session:
        hit = watch_service.decide_hit(
            session, acting_user(session, user), hit_id, decision, note, now=rt.clock()
        )
        console.print(f"hit {hit.id}: {hit.status}")


@app.command("select")
def select_list(
    flight: FlightNumber,
    arrival: ArrivalDate,
    user: AsUser,
    as_json: AsJson = False,
) -> None:
    """The flight's selection list for the gate: who to check and why."""
    rt = runtime()
    with readable_errors():
        on = iso_date(arrival, "ARRIVAL") or date.min
        with unit_of_work(rt.sessions) as session:
            result = risk_service.selection_list(
                session,
                acting_user(session, user),
                flight,
                on,
                models_dir=rt.settings.models_dir,
                now=rt.clock(),
            )
            rows: list[dict[str, Any]] = [
                {
                    "passenger_id": row.id,
                    "seat": row.api.get("seat"),
                    "selected": s.selected,
                    "score": None if s.score is None else round(s.score, 4),
                    "reasons": s.reasons,
                }
                for row, s in result.rows
            ]
    if as_json:
        print_json({"model_version": result.model_version, "rows": rows})
        return
    chosen = [r for r in rows if r["selected"]]
    console.print(
        f"{result.flight_number} {on}: {len(chosen)} of {len(rows)} passenger(s) selected "
        f"(model {result.model_version or 'none yet'}, exploration {result.exploration_share:.0%})"
    )
    for r in chosen:
        console.print(f"  passenger {r['passenger_id']} seat {r['seat']} score {r['score']}")
        for reason in r["reasons"]:
            console.print(f"    · {reason['kind']}: {escape(reason['text'])}")


@app.command("check")
def check(
    passenger_id: Annotated[int, typer.Argument(help="The passenger's id")],
    user: AsUser,
    found: Annotated[bool, typer.Option("--found/--nothing-found", help="Did the check find something?")],
    finding: Annotated[str, typer.Option(help="What was found")] = "",
    selected_by: Annotated[
        str, typer.Option(help="rule, model, exploration, watchlist, officer")
    ] = "officer",
) -> None:
    """Record the result of checking a passenger (the next model learns from it)."""
    rt = runtime()
    with readable_errors(), unit_of_work(rt.sessions) as session:
        result = risk_service.record_check(
            session,
            acting_user(session, user),
            passenger_id,
            found=found,
            finding=finding,
            selected_by=selected_by,
            now=rt.clock(),
        )
        console.print(f"check {result.id} recorded: {'found' if result.found else 'nothing found'}")


@app.command("train")
def train(
    user: AsUser,
    generated_days: Annotated[
        int, typer.Option(help="Days of generated traffic to start from, before the recorded checks (0-120)")
    ] = 40,
    as_json: AsJson = False,
) -> None:
    """Train the traveller risk model on the recorded check results; writes a versioned model file."""
    rt = runtime()
    with readable_errors(), unit_of_work(rt.sessions) as session:
        trained = risk_service.train_model(
            session,
            acting_user(session, user),
            models_dir=rt.settings.models_dir,
            generated_days=generated_days,
            now=rt.clock(),
        )
    if as_json:
        print_json({"version": trained.version, "path": str(trained.path), "metrics": trained.metrics})
        return
    v = trained.metrics["validation"]
    console.print(
        f"model {trained.version}: {trained.metrics['examples']} examples "
        f"({trained.metrics['recorded_checks']} recorded checks); validation AUC {v['auc']}, "
        f"precision@5% {v['precision_at_5pct']}, recall@5% {v['recall_at_5pct']} → {trained.path}"
    )


@app.command("add-rule")
def add_rule(
    code: Annotated[str, typer.Argument(help="Rule code, e.g. T-VVO-ONLINE")],
    description: Annotated[str, typer.Argument(help="What the rule looks for")],
    condition: Annotated[
        str, typer.Argument(help='Condition JSON, e.g. {"field":"bags","op":"ge","value":4}')
    ],
    user: AsUser,
) -> None:
    """Add a traveller selection rule in the risk engine's condition language over the traveller fields."""
    rt = runtime()
    with readable_errors():
        try:
            parsed = json.loads(condition)
        except json.JSONDecodeError as exc:
            raise ValidationFailed(
                "the condition is not valid JSON", errors=[FieldError("/condition", "invalid_json", exc.msg)]
            ) from None
        with unit_of_work(rt.sessions) as session:
            row = risk_service.add_rule(
                session, acting_user(session, user), code, description, parsed, now=rt.clock()
            )
            console.print(f"rule {row.code} added")
