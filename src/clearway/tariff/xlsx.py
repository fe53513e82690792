"""Read the rows of an .xlsx workbook with the standard library (zip + XML), or with openpyxl if installed.

Enough for the official KCS rate workbook (data.go.kr 15051179, about 300k rows): every sheet, cell values as
text, shared and inline strings, numbers as written. No formulas are evaluated and no styles are read
(dates the workbook stores as serial numbers are converted only where the caller asks for a date).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import iterparse

try:  # optional: faster and more forgiving with unusual workbooks
    import openpyxl  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - depends on the environment
    openpyxl = None

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


def iter_sheets(path: Path) -> Iterator[tuple[str, Iterator[list[str]]]]:
    """Yield (sheet name, rows) for each sheet; a row is a list of cell texts (missing cells are '')."""
    if openpyxl is not None:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        for sheet in workbook.worksheets:
            yield sheet.title, ([_text(v) for v in row] for row in sheet.iter_rows(values_only=True))
        return
    with zipfile.ZipFile(path) as archive:
        strings = _shared_strings(archive)
        for name, target in _sheet_targets(archive):
            yield name, _rows(archive, target, strings)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    strings: list[str] = []
    with archive.open("xl/sharedStrings.xml") as f:
        for _, element in iterparse(f):
            if element.tag == _NS + "si":
                strings.append("".join(t.text or "" for t in element.iter(_NS + "t")))
                element.clear()
    return strings


def _sheet_targets(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    rels: dict[str, str] = {}
    with archive.open("xl/_rels/workbook.xml.rels") as f:
        for _, element in iterparse(f):
            if element.tag == _PKG_REL_NS + "Relationship":
                target = element.get("Target", "")
                target = target.lstrip("/")
                rels[element.get("Id", "")] = target if target.startswith("xl/") else "xl/" + target
    sheets: list[tuple[str, str]] = []
    with archive.open("xl/workbook.xml") as f:
        for _, element in iterparse(f):
            if element.tag == _NS + "sheet":
                sheets.append((element.get("name", ""), rels.get(element.get(_REL_NS + "id", ""), "")))
    return [(n, t) for n, t in sheets if t]


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def _rows(archive: zipfile.ZipFile, target: str, strings: list[str]) -> Iterator[list[str]]:
    with archive.open(target) as f:
        for _, element in iterparse(f):
            if element.tag != _NS + "row":
                continue
            row: list[str] = []
            for cell in element.iter(_NS + "c"):
                match = _CELL_REF.match(cell.get("r", ""))
                index = _column_index(match.group(1)) if match else len(row)
                while len(row) < index:
                    row.append("")
                kind = cell.get("t")
                if kind == "inlineStr":
                    value = "".join(t.text or "" for t in cell.iter(_NS + "t"))
                else:
                    v = cell.find(_NS + "v")
                    value = v.text if v is not None and v.text is not None else ""
                    if kind == "s" and value:
                        value = strings[int(value)]
                    elif kind is None and value.endswith(".0"):
                        value = value[:-2]
                row.append(value.strip())
            element.clear()
            yield row
