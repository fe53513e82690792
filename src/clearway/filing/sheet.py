"""Spreadsheet filing: the rows of the template's sheets → declaration documents, with the cell of each field.
Pure (the workbook is read by the shell; this module sees rows of cell values).

The template (``/static/clearway-declarations.xlsx``, built by :mod:`clearway.filing.template`) has three sheets,
each with the field keys in row 1, labels in Korean and English in row 2, and data from row 3:

* ``Header``: one row per declaration: its reference, kind, parties and consignment;
* ``Lines``: one row per goods line, naming its declaration's reference (may be left empty when the file has one
  declaration);
* ``Documents`` (optional): one row per supporting document, naming its declaration's reference.

Columns are found by their key in row 1, so they may be reordered; an unknown key is an error (a typo would
otherwise drop a field silently). Every field is recorded with its cell, also when the cell is empty, so an error
about a missing value points at the cell to fill in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from clearway.errors import FieldError
from clearway.filing.places import locate

HEADER, LINES, DOCUMENTS = "Header", "Lines", "Documents"
FIRST_DATA_ROW = 3  # row 1: keys, row 2: labels
PARTY_FIELDS = ("name", "brn", "address", "country")
PARTIES = ("declarant", "importer", "exporter", "seller", "buyer")
CONSIGNMENT = ("transport_mode", "transport_document", "arrival_date", "customs_office", "port")
HEADER_COLUMNS: tuple[str, ...] = (
    "declarant_reference",
    "kind",
    *(f"{p}.{f}" for p in PARTIES for f in PARTY_FIELDS),
    *(f"consignment.{f}" for f in CONSIGNMENT),
)
LINE_COLUMNS: tuple[str, ...] = (
    "declarant_reference",
    "line_number",
    "commodity_code",
    "description",
    "origin_country",
    "quantity",
    "quantity_unit",
    "net_mass_kg",
    "invoice_amount",
    "currency",
    "incoterm",
    "freight",
    "insurance",
    "valuation_method",
    "preference.agreement",
    "preference.certificate_reference",
    "use_type",
)
DOCUMENT_COLUMNS: tuple[str, ...] = ("declarant_reference", "kind", "reference", "issue_date", "issuer")
COLUMNS = {HEADER: HEADER_COLUMNS, LINES: LINE_COLUMNS, DOCUMENTS: DOCUMENT_COLUMNS}
INTEGERS = {"line_number", "valuation_method"}
DATES = {"consignment.arrival_date", "issue_date"}
REQUIRED_SHEETS = (HEADER, LINES)


def cell_name(row: int, column: int) -> str:
    """A1-style name of a 1-based row and 0-based column: (3, 0) → 'A3', (12, 27) → 'AB12'."""
    letters, n = "", column + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


def _value(value: Any, key: str) -> Any:
    """A cell as the JSON document takes it: text trimmed, numbers as exact decimal text, dates ISO; None when
    empty."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
            value = int(value)
        if key in INTEGERS and isinstance(value, int):
            return value
        return repr(value) if isinstance(value, float) else str(value)
    text = str(value).strip()
    if not text:
        return None
    if key in INTEGERS and text.isdigit() and len(text) < 6:
        return int(text)
    return text


@dataclass
class SheetDeclaration:
    """One declaration of the workbook: its document, the cell of each field, and the rows it came from."""

    reference: str
    row: int
    document: dict[str, Any]
    places: dict[str, str] = field(default_factory=dict)

    def cell_of(self, pointer: str) -> str:
        return locate(self.places, pointer) or f"{HEADER}!A{self.row}"


@dataclass
class Workbook:
    declarations: list[SheetDeclaration]
    errors: list[
        FieldError
    ]  # about the workbook itself (a missing sheet or column, a line of no declaration)
    lines: int = 0


def _columns(sheet: str, rows: list[list[Any]], errors: list[FieldError]) -> dict[str, int]:
    keys = [str(k).strip() if k is not None else "" for k in (rows[0] if rows else [])]
    found = {k: i for i, k in enumerate(keys) if k}
    for i, key in enumerate(keys):
        if key and key not in COLUMNS[sheet]:
            errors.append(
                FieldError(
                    "",
                    "unknown_column",
                    f"'{key}' is not a column of the template",
                    f"{sheet}!{cell_name(1, i)}",
                )
            )
    for key in COLUMNS[sheet]:
        if key not in found and key != "declarant_reference":
            found[key] = -1  # absent column: the field is simply not given
    if "declarant_reference" not in found:
        if sheet == HEADER:
            errors.append(
                FieldError(
                    "",
                    "missing_column",
                    "the Header sheet needs the declarant_reference column",
                    f"{sheet}!A1",
                )
            )
        found["declarant_reference"] = -1
    return found


def _put(
    target: dict[str, Any], places: dict[str, str], pointer: str, key: str, value: Any, cell: str
) -> None:
    path = key.split(".")
    for part in path[:-1]:
        pointer += f"/{part}"
        target = target.setdefault(part, {})
        places.setdefault(pointer, cell)
    places[f"{pointer}/{path[-1]}"] = cell
    if value is not None:
        target[path[-1]] = value


def _rows(rows: list[list[Any]]) -> list[tuple[int, list[Any]]]:
    """The data rows with their 1-based row numbers, blank rows left out."""
    out = []
    for n, row in enumerate(rows[FIRST_DATA_ROW - 1 :], FIRST_DATA_ROW):
        if any(v is not None and str(v).strip() != "" for v in row):
            out.append((n, row))
    return out


def _cell(row: list[Any], index: int) -> Any:
    return row[index] if 0 <= index < len(row) else None


def read_workbook(sheets: dict[str, list[list[Any]]]) -> Workbook:
    """The declarations of a workbook given as sheet name → rows of cell values."""
    errors: list[FieldError] = []
    for name in REQUIRED_SHEETS:
        if name not in sheets:
            errors.append(
                FieldError("", "missing_sheet", f"the workbook needs a sheet named {name}", f"{name}!A1")
            )
    if errors:
        return Workbook([], errors)
    declarations: dict[str, SheetDeclaration] = {}
    order: list[SheetDeclaration] = []
    columns = _columns(HEADER, sheets[HEADER], errors)
    for n, row in _rows(sheets[HEADER]):
        document: dict[str, Any] = {"items": []}
        places: dict[str, str] = {}
        for key in HEADER_COLUMNS:
            index = columns[key]
            if index < 0:
                continue
            _put(document, places, "", key, _value(_cell(row, index), key), f"{HEADER}!{cell_name(n, index)}")
        for party in PARTIES:  # a party with no cell filled in is not named at all
            if party in document and not document[party]:
                del document[party]
        reference = str(document.get("declarant_reference") or "")
        places["/items"] = f"{HEADER}!{cell_name(n, max(columns['declarant_reference'], 0))}"
        found = SheetDeclaration(reference, n, document, places)
        if reference and reference in declarations:
            errors.append(
                FieldError(
                    "/declarant_reference",
                    "repeated_reference",
                    f"{reference} has two header rows",
                    places["/declarant_reference"],
                )
            )
            continue
        declarations[reference] = found
        order.append(found)
    lines = 0
    for sheet, plural in ((LINES, "items"), (DOCUMENTS, "documents")):
        if sheet not in sheets:
            continue
        cols = _columns(sheet, sheets[sheet], errors)
        for n, row in _rows(sheets[sheet]):
            ref_index = cols["declarant_reference"]
            reference = str(_value(_cell(row, ref_index), "declarant_reference") or "")
            target = declarations.get(reference) if reference else (order[0] if len(order) == 1 else None)
            if target is None:
                where = f"{sheet}!{cell_name(n, max(ref_index, 0))}"
                message = (
                    f"no header row has the reference '{reference}'"
                    if reference
                    else "name the declaration's reference (the file has several)"
                )
                errors.append(FieldError("", "unknown_declaration", message, where))
                continue
            entries = target.document.setdefault(plural, [])
            pointer = f"/{plural}/{len(entries)}"
            entry: dict[str, Any] = {}
            entries.append(entry)
            target.places[pointer] = f"{sheet}!A{n}"
            for key in COLUMNS[sheet][1:]:
                index = cols[key]
                if index < 0:
                    continue
                _put(
                    entry,
                    target.places,
                    pointer,
                    key,
                    _value(_cell(row, index), key),
                    f"{sheet}!{cell_name(n, index)}",
                )
            if "preference" in entry and not entry["preference"]:
                del entry["preference"]
            lines += sheet == LINES
    return Workbook(order, errors, lines)


def _flat(prefix: str, value: Any, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flat(f"{prefix}.{key}" if prefix else key, inner, out)
    else:
        out[prefix] = value


def to_rows(documents: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Declaration documents as the template's rows (column key → value), the inverse of :func:`read_workbook`."""
    rows: dict[str, list[dict[str, Any]]] = {HEADER: [], LINES: [], DOCUMENTS: []}
    for document in documents:
        reference = document["declarant_reference"]
        header: dict[str, Any] = {}
        _flat("", {k: v for k, v in document.items() if k not in ("items", "documents")}, header)
        rows[HEADER].append(header)
        for sheet_name, plural in ((LINES, "items"), (DOCUMENTS, "documents")):
            for entry in document.get(plural, []):
                row: dict[str, Any] = {"declarant_reference": reference}
                _flat("", entry, row)
                rows[sheet_name].append(row)
    return rows
