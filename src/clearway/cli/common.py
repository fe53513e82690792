"""What every command shares: settings, the runtime, the acting user, and readable errors.

Imported by every command module and by ``clearway --help``, so it imports the database and the runtime only
when a command asks for them.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.markup import escape

from clearway.errors import ClearwayError, FieldError, ValidationFailed
from clearway.identity.core import Principal, Role, scopes_for

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from clearway.runtime import Runtime

console = Console()
errors = Console(stderr=True)


@contextmanager
def readable_errors(exit_code: int = 1) -> Iterator[None]:
    """Expected failures print their title, detail and field errors, and exit with ``exit_code``."""
    try:
        yield
    except ClearwayError as error:
        errors.print(f"[bold red]error:[/] {escape(str(error))}", highlight=False)
        raise typer.Exit(exit_code) from None
    except FileNotFoundError as error:
        said = (
            f"no such file: {error.filename}" if error.filename else str(error)
        )  # raised with a message only
        errors.print(f"[bold red]error:[/] {escape(said)}", highlight=False)
        raise typer.Exit(exit_code) from None
    except json.JSONDecodeError as error:
        errors.print(f"[bold red]error:[/] the file is not valid JSON: {escape(str(error))}", highlight=False)
        raise typer.Exit(exit_code) from None


def runtime() -> Runtime:
    from clearway.config import Settings
    from clearway.runtime import build_runtime

    return build_runtime(Settings())


def acting_user(session: Session, username: str) -> Principal:
    """The CLI runs on the server with operator trust; ``--as`` says on whose behalf a command acts."""
    from clearway.identity.service import user_by_username

    user = user_by_username(session, username)
    role = Role(user.role)
    return Principal(user.id, user.username, role, user.company_id, scopes_for(role))


def iso_date(text: str | None, option: str) -> date | None:
    """A YYYY-MM-DD option, or a readable error naming the option."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(
            f"{option} takes a date as YYYY-MM-DD",
            errors=[FieldError(option, "bad_date", f"'{text}' is not YYYY-MM-DD")],
        ) from None


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
