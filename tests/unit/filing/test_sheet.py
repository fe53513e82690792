"""Spreadsheet rows → declaration documents, and each field's cell (pure; no workbook file involved)."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clearway.filing import sheet
from clearway.filing.service import read_xlsx
from clearway.filing.template import TEMPLATE, write_workbook
from tests.documents import import_declaration


def grid(rows: list[dict[str, Any]], name: str) -> list[list[Any]]:
    """Rows as a sheet: keys, labels, then data, in the template's column order."""
    keys = list(sheet.COLUMNS[name])
    return [keys, ["label"] * len(keys), *[[r.get(k) for k in keys] for r in rows]]


def sheets_of(documents: list[dict[str, Any]]) -> dict[str, list[list[Any]]]:
    return {name: grid(rows, name) for name, rows in sheet.to_rows(documents).items()}


@pytest.mark.parametrize(
    ("row", "column", "name"), [(3, 0, "A3"), (1, 25, "Z1"), (12, 26, "AA12"), (7, 27, "AB7")]
)
def test_cell_names(row: int, column: int, name: str) -> None:
    assert sheet.cell_name(row, column) == name


def test_a_declaration_reads_back_with_the_cell_of_every_field() -> None:
    document = import_declaration("XL-1")
    book = sheet.read_workbook(sheets_of([document]))
    assert book.errors == [] and book.lines == 1
    [found] = book.declarations
    assert found.document == document
    quantity_column = sheet.cell_name(3, sheet.LINE_COLUMNS.index("quantity"))
    assert found.cell_of("/items/0/quantity") == f"Lines!{quantity_column}"
    assert found.cell_of("/consignment/port").startswith("Header!") and found.cell_of(
        "/consignment/port"
    ).endswith("3")
    # a field left empty still points at its cell
    assert found.cell_of("/exporter/name") == "Header!" + sheet.cell_name(
        3, sheet.HEADER_COLUMNS.index("exporter.name")
    )


def test_cells_become_document_values() -> None:
    document = import_declaration("XL-2")
    sheets = sheets_of([document])
    line = sheets["Lines"][2]
    line[sheet.LINE_COLUMNS.index("quantity")] = 100.0  # numbers typed as numbers
    line[sheet.LINE_COLUMNS.index("net_mass_kg")] = 0.1
    line[sheet.LINE_COLUMNS.index("line_number")] = 1.0
    sheets["Header"][2][sheet.HEADER_COLUMNS.index("consignment.arrival_date")] = datetime(2026, 11, 19)
    sheets["Documents"][2][sheet.DOCUMENT_COLUMNS.index("issue_date")] = date(2026, 11, 5)
    [found] = sheet.read_workbook(sheets).declarations
    item = found.document["items"][0]
    assert (item["quantity"], item["net_mass_kg"], item["line_number"]) == ("100", "0.1", 1)
    assert found.document["consignment"]["arrival_date"] == "2026-11-19"
    assert found.document["documents"][0]["issue_date"] == "2026-11-05"


def test_lines_of_several_declarations_and_the_workbook_errors() -> None:
    one, two = import_declaration("XL-A"), import_declaration("XL-B", items__0__description="Tablet")
    book = sheet.read_workbook(sheets_of([one, two]))
    assert [d.document for d in book.declarations] == [one, two]
    sheets = sheets_of([one, two])
    sheets["Lines"][2][0] = "XL-Z"  # a line of no declaration
    sheets["Lines"][0].append("colour")  # a column the template does not have
    errors = sheet.read_workbook(sheets).errors
    assert {(e.code, e.cell) for e in errors} == {
        ("unknown_declaration", "Lines!A3"),
        ("unknown_column", "Lines!" + sheet.cell_name(1, len(sheet.LINE_COLUMNS))),
    }
    assert [e.code for e in sheet.read_workbook({"Header": []}).errors] == ["missing_sheet"]


def test_the_shipped_template_is_the_one_the_reader_expects() -> None:
    sheets = read_xlsx(TEMPLATE.read_bytes())
    for name in (sheet.HEADER, sheet.LINES, sheet.DOCUMENTS):
        assert tuple(sheets[name][0]) == sheet.COLUMNS[name]
    assert sheet.read_workbook(sheets).declarations == []
    rebuilt = BytesIO()
    write_workbook(rebuilt)
    assert rebuilt.getvalue() == TEMPLATE.read_bytes(), "rebuild it: python -m clearway.filing.template"


text = st.text(alphabet="abcXYZ 0123456789-한글.,/()", min_size=1, max_size=40).map(str.strip).filter(bool)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(text, st.decimals(min_value="0.0001", max_value="1e9", places=4)), min_size=1, max_size=6
    ),
    st.booleans(),
)
def test_a_written_workbook_reads_back_as_the_same_documents(lines: list[Any], as_numbers: bool) -> None:
    """Through a real .xlsx file: written by xlsxwriter, read by calamine (numbers typed as text or as numbers)."""
    base = import_declaration("XL-RT")
    items = [
        {**base["items"][0], "line_number": n, "description": d, "invoice_amount": str(a)}
        for n, (d, a) in enumerate(lines, 1)
    ]
    document = {**base, "items": items}
    rows = sheet.to_rows([document])
    if as_numbers:
        for row in rows["Lines"]:
            row["quantity"] = float(row["quantity"])
    out = BytesIO()
    write_workbook(out, header=rows["Header"], lines=rows["Lines"], documents=rows["Documents"])
    [found] = sheet.read_workbook(read_xlsx(out.getvalue())).declarations
    assert found.document == document
