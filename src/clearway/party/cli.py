"""`clearway parties`: companies and broker mandates from the command line (acting as a named user)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from clearway.cli.common import acting_user, console, iso_date, print_json, readable_errors, runtime
from clearway.clock import korea_date
from clearway.errors import FieldError, ValidationFailed
from clearway.party import repository as repo
from clearway.party import service
from clearway.party.api import mandate_read
from clearway.uow import unit_of_work

app = typer.Typer(help="Brokers' mandates: who files for whom.", no_args_is_help=True)

AsJson = Annotated[bool, typer.Option("--json", help="Machine-readable output")]
AsUser = Annotated[str, typer.Option("--as", help="Act as this user", envvar="CLEARWAY_CLI_USER")]


@app.command("mandates")
def mandates(user: AsUser = "admin", as_json: AsJson = False) -> None:
    """The mandates this user's company gives or holds (every mandate for an administrator)."""
    rt = runtime()
    with readable_errors(), unit_of_work(rt.sessions) as session:
        rows = [
            mandate_read(m).model_dump(mode="json")
            for m in service.visible_mandates(session, acting_user(session, user))
        ]
        names = {c.id: c.name for c in repo.companies(session)}
    if as_json:
        print_json(rows)
        return
    table = Table("id", "broker", "client", "scope", "valid", "revoked", title="mandates")
    for r in rows:
        broker, client = names[r["broker_company_id"]], names[r["client_company_id"]]
        table.add_row(
            str(r["id"]),
            escape(broker),
            escape(client),
            r["scope"],
            f"{r['valid_from']} .. {r['valid_to'] or ''}",
            r["revoked_on"] or "",
        )
    console.print(table)


@app.command("mandate")
def mandate(
    broker_brn: Annotated[str, typer.Argument(help="The broker's 사업자등록번호")],
    client_brn: Annotated[str, typer.Argument(help="The client's 사업자등록번호")],
    valid_from: Annotated[str, typer.Option("--from", help="First day (YYYY-MM-DD)")],
    valid_to: Annotated[str | None, typer.Option("--to", help="Last day (YYYY-MM-DD); none: no end")] = None,
    scope: Annotated[str, typer.Option(help="import | export | both")] = "import",
    user: AsUser = "admin",
    as_json: AsJson = False,
) -> None:
    """Record a client's mandate for a broker (as an administrator or as the client's trader)."""
    rt = runtime()
    with readable_errors():
        start = iso_date(valid_from, "--from")
        end = iso_date(valid_to, "--to")
        with unit_of_work(rt.sessions) as session:
            companies = {c.brn: c for c in repo.companies(session) if c.brn}
            missing = [
                FieldError(name, "not_found", f"no company {brn}")
                for name, brn in (("broker_brn", broker_brn), ("client_brn", client_brn))
                if brn.replace("-", "") not in companies
            ]
            if missing:
                raise ValidationFailed("unknown company", errors=missing)
            row = service.record_mandate(
                session,
                acting_user(session, user),
                broker_company_id=companies[broker_brn.replace("-", "")].id,
                client_company_id=companies[client_brn.replace("-", "")].id,
                scope=scope,
                valid_from=start or rt.today(),
                valid_to=end,
                now=rt.clock(),
            )
            out = mandate_read(row).model_dump(mode="json")
    if as_json:
        print_json(out)
    else:
        console.print(f"mandate {out['id']} recorded ({out['scope']}, from {out['valid_from']})")


@app.command("revoke")
def revoke(
    mandate_id: Annotated[int, typer.Argument(help="The mandate's id")],
    reason: Annotated[str, typer.Option(help="Why the mandate ends")],
    user: AsUser = "admin",
) -> None:
    """Revoke a mandate from today."""
    rt = runtime()
    with readable_errors(), unit_of_work(rt.sessions) as session:
        now = rt.clock()
        row = service.revoke_mandate(
            session,
            acting_user(session, user),
            mandate_id,
            reason=reason,
            on=korea_date(now),
            now=now,
        )
        revoked_on = row.revoked_on
    console.print(f"mandate {mandate_id} revoked from {revoked_on}")
