"""Builds the spreadsheet filing template (and filled-in workbooks for tests and samples) with xlsxwriter.

xlsxwriter is a development dependency: the template is built here and shipped as a static file
(``web/static/clearway-declarations.xlsx``); the service only reads workbooks (python-calamine). Rebuild it with
``python -m clearway.filing.template`` after changing the columns of :mod:`clearway.filing.sheet`.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from clearway.filing import sheet
from clearway.reference import codes

TEMPLATE = Path(__file__).parents[1] / "web" / "static" / "clearway-declarations.xlsx"
_PARTY = {
    "declarant": ("신고인", "Declarant"),
    "importer": ("수입자", "Importer"),
    "exporter": ("수출자", "Exporter"),
    "seller": ("판매자", "Seller"),
    "buyer": ("구매자", "Buyer"),
}
_PARTY_FIELD = {
    "name": ("상호", "name"),
    "brn": ("사업자등록번호", "BRN"),
    "address": ("주소", "address"),
    "country": ("국가", "country"),
}
LABELS: dict[str, tuple[str, str]] = {
    "declarant_reference": ("신고인 참조번호 (필수)", "Your reference (required)"),
    "kind": ("신고 종류: import / export", "Kind: import / export"),
    "consignment.transport_mode": ("운송수단", "Transport mode"),
    "consignment.transport_document": ("B/L·AWB 번호", "Bill of lading / air waybill"),
    "consignment.arrival_date": ("입항일 (YYYY-MM-DD)", "Arrival date (YYYY-MM-DD)"),
    "consignment.customs_office": ("세관 부호 (예: 030)", "Customs office (e.g. 030)"),
    "consignment.port": ("항구 (UN/LOCODE)", "Port (UN/LOCODE)"),
    "line_number": ("란번호", "Line number"),
    "commodity_code": ("HSK 10단위", "HSK code (10 digits)"),
    "description": ("품명·규격", "Description"),
    "origin_country": ("원산지", "Origin country"),
    "quantity": ("수량", "Quantity"),
    "quantity_unit": ("수량 단위", "Quantity unit"),
    "net_mass_kg": ("순중량 (kg)", "Net mass (kg)"),
    "invoice_amount": ("송품장 금액", "Invoice amount"),
    "currency": ("통화", "Currency"),
    "incoterm": ("인도조건", "Incoterm"),
    "freight": ("운임", "Freight"),
    "insurance": ("보험료", "Insurance"),
    "valuation_method": ("과세가격 결정방법 (1-6)", "Valuation method (1-6)"),
    "preference.agreement": ("FTA 협정", "FTA agreement"),
    "preference.certificate_reference": ("원산지증명서 번호", "Certificate of origin number"),
    "use_type": ("용도세율 구분", "Use type"),
    "reference": ("문서 번호", "Document number"),
    "issue_date": ("발급일 (YYYY-MM-DD)", "Issue date (YYYY-MM-DD)"),
    "issuer": ("발급자", "Issuer"),
}
for _p, (_pk, _pe) in _PARTY.items():
    for _f, (_fk, _fe) in _PARTY_FIELD.items():
        LABELS[f"{_p}.{_f}"] = (f"{_pk} {_fk}", f"{_pe} {_fe}")
TEXT_COLUMNS = {
    "declarant_reference",
    "commodity_code",
    "consignment.customs_office",
    "consignment.transport_document",
    "preference.certificate_reference",
    "reference",
    "use_type",
} | {f"{p}.brn" for p in sheet.PARTIES}
LISTS: dict[str, list[str]] = {
    "kind": ["import", "export"],
    "consignment.transport_mode": sorted(codes.TRANSPORT_MODES),
    "consignment.customs_office": sorted(codes.customs_offices()),
    "consignment.port": sorted(codes.ports()),
    "quantity_unit": sorted(codes.units()),
    "incoterm": list(codes.INCOTERMS_2020),
    "preference.agreement": sorted(codes.agreements()),
    "Documents:kind": [
        "invoice",
        "certificate_of_origin",
        "licence",
        "packing_list",
        "transport_document",
        "other",
    ],
}
GUIDE = [
    ("Clearway 수출입신고 서식 / Clearway declaration workbook", ""),
    ("Header: 신고서 한 건당 한 행 (당사자, 운송)", "Header: one row per declaration (parties, consignment)"),
    (
        "Lines: 물품 한 란당 한 행; declarant_reference로 신고서를 지정",
        "Lines: one row per goods line; "
        "declarant_reference names its declaration (may be empty when the file has one)",
    ),
    ("Documents: 첨부 서류 (선택)", "Documents: supporting documents (optional)"),
    (
        "1행은 열 이름(변경 금지), 2행은 설명, 3행부터 입력",
        "Row 1: column keys (do not change), row 2: labels, data from row 3",
    ),
    ("오류는 시트!셀 (예: Lines!F5)로 표시됩니다", "Errors name the cell, e.g. Lines!F5"),
]


def write_workbook(
    target: str | Path | IO[bytes],
    *,
    header: list[dict[str, Any]] | None = None,
    lines: list[dict[str, Any]] | None = None,
    documents: list[dict[str, Any]] | None = None,
) -> None:
    """The template, optionally with rows filled in (each row a dict of column key → value)."""
    import xlsxwriter  # type: ignore[import-untyped]  # development dependency, see the module docstring

    book = xlsxwriter.Workbook(target, {"in_memory": True})
    book.set_properties({"title": "Clearway declarations", "created": datetime(2026, 1, 1)})
    keys = book.add_format({"bold": True, "bg_color": "#DDE6F0", "locked": True})
    labels = book.add_format({"italic": True, "font_color": "#555555", "text_wrap": True})
    text = book.add_format({"num_format": "@"})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    lists = book.add_worksheet("Lists")
    list_ranges: dict[str, str] = {}
    for col, (key, values) in enumerate(LISTS.items()):
        lists.write(0, col, key, keys)
        for row, value in enumerate(values, 1):
            lists.write_string(row, col, value)
        letter = sheet.cell_name(1, col)[:-1]
        list_ranges[key] = f"=Lists!${letter}$2:${letter}${len(values) + 1}"
    for name, rows in ((sheet.HEADER, header), (sheet.LINES, lines), (sheet.DOCUMENTS, documents)):
        ws = book.add_worksheet(name)
        ws.freeze_panes(sheet.FIRST_DATA_ROW - 1, 1)
        for col, key in enumerate(sheet.COLUMNS[name]):
            ko, en = LABELS[key]
            ws.write_string(0, col, key, keys)
            ws.write_string(1, col, f"{ko}\n{en}", labels)
            ws.set_column(
                col, col, 22, text if key in TEXT_COLUMNS else (day if key.endswith("date") else None)
            )
            source = list_ranges.get(f"{name}:{key}") or (
                list_ranges.get(key) if name != sheet.DOCUMENTS else None
            )
            if source:
                ws.data_validation(
                    sheet.FIRST_DATA_ROW - 1, col, 10_000, col, {"validate": "list", "source": source}
                )
            for r, cells in enumerate(rows or [], sheet.FIRST_DATA_ROW - 1):
                given = cells.get(key)
                if given is None:
                    continue
                if isinstance(given, str):
                    ws.write_string(r, col, given)
                else:
                    ws.write(r, col, given)
        ws.set_row(1, 45)
    guide = book.add_worksheet("Guide")
    guide.set_column(0, 1, 70)
    for row, (ko, en) in enumerate(GUIDE):
        guide.write_string(row, 0, ko)
        guide.write_string(row, 1, en)
    lists.hide()
    book.get_worksheet_by_name(sheet.HEADER).activate()
    book.close()


if __name__ == "__main__":  # pragma: no cover - a build step
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATE
    write_workbook(out)
    print(f"wrote {out}")
