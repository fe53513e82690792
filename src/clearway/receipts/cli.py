"""``clearway replay DECLARATION``: recompute a declaration's duty and risk score from the inputs its decision
receipt names and print recorded against replayed. Exit 0: identical; 1: something differs (each difference
explained); 2: it cannot be replayed (no receipt, unknown declaration)."""

from __future__ import annotations

import re
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from clearway.cli.common import acting_user, console, print_json, readable_errors, runtime
from clearway.errors import FieldError, ValidationFailed
from clearway.uow import unit_of_work

_NUMBER = re.compile(r"^(?:CW-\d{2}-)?0*(\d{1,12})$", re.IGNORECASE)


def declaration_id(text: str) -> int:
    """``CW-26-00000012`` (the printed number) or ``12``."""
    found = _NUMBER.match(text.strip())
    if found is None or int(found.group(1)) == 0:
        raise ValidationFailed(
            "name the declaration by its number (CW-26-00000012) or its id",
            errors=[FieldError("DECLARATION", "bad_number", f"'{text}' is not a declaration number")],
        )
    return int(found.group(1))


def _shown(value: object) -> str:
    return "—" if value is None else escape(str(value))


def replay(
    declaration: Annotated[str, typer.Argument(help="Declaration number (CW-26-00000012) or id")],
    version: Annotated[
        int | None, typer.Option(help="The version to replay (default: the current one)")
    ] = None,
    user: Annotated[
        str, typer.Option("--as", help="Replay as this customs user", envvar="CLEARWAY_CLI_USER")
    ] = "officer",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Recompute a declaration's duty and risk score from its decision receipt: same, or what changed since."""
    from clearway.receipts import core, service

    rt = runtime()
    with readable_errors(exit_code=2), unit_of_work(rt.sessions) as session:
        result = service.replay(
            rt.declarations,
            session,
            acting_user(session, user),
            declaration_id(declaration),
            key=core.signing_key(rt.settings.secret_key),
            models_dir=rt.settings.models_dir,
            version=version,
        )
    if as_json:
        print_json(result.as_dict())
    else:
        table = Table(title=f"replay of {result.number} version {result.version}")
        for column in ("part", "input or figure", "recorded", "replayed", ""):
            table.add_column(column, overflow="fold")
        for c in result.checks:
            table.add_row(
                c.part,
                escape(c.item),
                _shown(c.recorded),
                _shown(c.replayed),
                "[green]same[/]" if c.same else "[bold red]differs[/]",
            )
        console.print(table)
        for note in result.notes:
            console.print(f"[dim]{escape(note)}[/]")
        if result.identical:
            console.print(
                "[bold green]identical[/]: the recorded inputs give the recorded duty and risk score"
            )
        else:
            console.print("[bold red]different[/]:")
            for line in result.differences:
                console.print(f"  {escape(line)}")
    rt.close()
    raise typer.Exit(0 if result.identical else 1)
