"""Reading a watchlist of persons from CSV text. Pure.

Columns (a header row is required): ``entry_id, name, aliases, date_of_birth, nationality, reason, source``;
aliases are separated by ``|``. Names may be in Hangul or Latin script. A file with any broken row is refused
whole, each broken row named (``/rows/<n>/<column>``, counting the header as row 1).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date

from clearway.errors import FieldError, ValidationFailed
from clearway.traveller.names import script_of
from clearway.traveller.screening import WatchEntry

COLUMNS = ("entry_id", "name", "aliases", "date_of_birth", "nationality", "reason", "source")
_NATIONALITY = re.compile(r"^[A-Z]{3}$")


def read_watchlist(text: str) -> list[WatchEntry]:
    rows = list(csv.DictReader(io.StringIO(text)))
    header = text.splitlines()[0] if text.strip() else ""
    missing = [c for c in ("entry_id", "name") if c not in [h.strip() for h in header.split(",")]]
    if missing:
        raise ValidationFailed(
            "the watchlist needs a header row naming its columns",
            errors=[FieldError(f"/columns/{c}", "missing_column", f"no column '{c}'") for c in missing],
        )
    errors: list[FieldError] = []
    entries: list[WatchEntry] = []
    seen: set[str] = set()
    for n, row in enumerate(rows, start=2):
        at = f"/rows/{n}"
        if None in row:
            errors.append(FieldError(at, "extra_fields", "the row has more fields than the header"))
            continue
        values = {k.strip(): (v or "").strip() for k, v in row.items() if k}
        entry_id, name = values.get("entry_id", ""), values.get("name", "")
        before = len(errors)
        if not entry_id:
            errors.append(FieldError(f"{at}/entry_id", "missing", "entry_id is required"))
        elif entry_id in seen:
            errors.append(FieldError(f"{at}/entry_id", "duplicate", f"entry {entry_id} is listed twice"))
        seen.add(entry_id)
        if not name or script_of(name) not in ("latin", "hangul"):
            errors.append(
                FieldError(f"{at}/name", "bad_name", "a name in one script (Latin or Hangul) is required")
            )
        aliases = tuple(a.strip() for a in values.get("aliases", "").split("|") if a.strip())
        if any(script_of(a) not in ("latin", "hangul") for a in aliases):
            errors.append(FieldError(f"{at}/aliases", "bad_name", "each alias is in one script"))
        born = None
        if values.get("date_of_birth"):
            try:
                born = date.fromisoformat(values["date_of_birth"])
            except ValueError:
                errors.append(FieldError(f"{at}/date_of_birth", "bad_date", "not a real date as YYYY-MM-DD"))
        nationality = values.get("nationality", "").upper() or None
        if nationality and not _NATIONALITY.match(nationality):
            errors.append(FieldError(f"{at}/nationality", "bad_format", "a three-letter country code"))
        if len(errors) == before:
            entries.append(
                WatchEntry(
                    entry_id,
                    name,
                    aliases,
                    born,
                    nationality,
                    values.get("reason", ""),
                    values.get("source", ""),
                )
            )
    if errors:
        raise ValidationFailed(
            f"the watchlist has {len(errors)} broken field(s); nothing was loaded", errors=errors
        )
    return entries
