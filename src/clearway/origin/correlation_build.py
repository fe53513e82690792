"""Build the HS correlation files of ``data/origin/hs_correlation/`` from the UN Statistics Division tables.

``python -m clearway.origin.correlation_build HS2022toHS2012ConversionAndCorrelationTables.xlsx 2012 OUT.csv``
reads the "Correlations" sheet of a UNSD workbook (stdlib only: an .xlsx is a zip of XML) and writes the pairs
whose codes differ or whose relationship is not 1:1 — the unchanged subheadings are implied (a code absent from
the file is the same subheading in both versions).
"""

from __future__ import annotations

import csv
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _cell_text(cell: ET.Element, shared: list[str]) -> str:
    value = cell.find(f"{_NS}v")
    if cell.get("t") == "s" and value is not None and value.text is not None:
        return shared[int(value.text)]
    if value is not None and value.text is not None:
        return value.text
    return "".join(t.text or "" for t in cell.iter(f"{_NS}t"))


def correlation_rows(path: Path) -> list[tuple[str, str, str]]:
    """(HS 2022 code, older code, relationship) of the workbook's correlation sheet."""
    with zipfile.ZipFile(path) as book:
        shared = [
            "".join(t.text or "" for t in si.iter(f"{_NS}t"))
            for si in ET.fromstring(book.read("xl/sharedStrings.xml")).findall(f"{_NS}si")
        ]
        names = [s.get("name", "") for s in ET.fromstring(book.read("xl/workbook.xml")).iter(f"{_NS}sheet")]
        index = next(i for i, n in enumerate(names) if "Correlation" in n) + 1
        sheet = ET.fromstring(book.read(f"xl/worksheets/sheet{index}.xml"))
    out = []
    for row in sheet.iter(f"{_NS}row"):
        cells = [_cell_text(c, shared).strip() for c in row.findall(f"{_NS}c")]
        if len(cells) >= 3 and cells[0].isdigit() and len(cells[0]) == 6 and cells[1].isdigit():
            out.append((cells[0], cells[1].zfill(6), cells[2]))
    return out


def write_changed(rows: list[tuple[str, str, str]], older: str, out: Path) -> int:
    changed = [r for r in rows if r[0] != r[1] or r[2] != "1:1"]
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["hs2022", f"hs{older}", "relationship"])
        writer.writerows(sorted(set(changed)))
    return len(changed)


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    source, version, target = sys.argv[1], sys.argv[2], sys.argv[3]
    print(write_changed(correlation_rows(Path(source)), version, Path(target)))
