"""Spreadsheet filing over HTTP: a filled-in template files as a batch through the declaration service; each
error names its cell beside the JSON pointer; the three channels file the same declaration identically."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

from clearway.declaration.validation import parse_declaration
from clearway.filing import sheet
from clearway.filing.cusdec_out import interchange
from clearway.filing.cusres import read_response
from clearway.filing.template import write_workbook
from clearway.tariff.nomenclature import bundled_nomenclature
from tests.documents import import_declaration

URL = "/api/v1/declarations:spreadsheet"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(documents: list[dict[str, Any]]) -> bytes:
    rows = sheet.to_rows(documents)
    out = BytesIO()
    write_workbook(out, header=rows["Header"], lines=rows["Lines"], documents=rows["Documents"])
    return out.getvalue()


def _post(client: Any, auth: Any, data: bytes, user: str = "trader") -> Any:
    return client.post(URL, content=data, headers={**auth(user), "Content-Type": XLSX})


def test_the_three_channels_file_the_same_declaration_identically(client, auth) -> None:  # type: ignore[no-untyped-def]
    document = import_declaration("THREE-1")
    by_json = client.post("/api/v1/declarations", json=document, headers=auth("trader"))
    assert by_json.status_code == 201
    number = by_json.json()["number"]
    by_sheet = _post(client, auth, workbook([document])).json()
    # the spreadsheet's declaration is recognised as the one already filed: same content, byte for byte
    assert by_sheet["replayed"] == 1 and by_sheet["results"][0]["declaration"]["number"] == number
    content = parse_declaration(document, nomenclature=bundled_nomenclature(), on=date(2026, 11, 20))
    cusres = client.post(
        "/api/v1/edifact",
        content=interchange([content], sender="HANBIT01", control="X1"),
        headers={**auth("trader"), "Content-Type": "application/edifact"},
    )
    assert read_response(cusres.text)[0]["references"]["ABT"] == number
    assert client.get("/api/v1/declarations", headers=auth("trader")).json()["total"] == 1


def test_five_hundred_lines_file_as_one_batch(client, auth) -> None:  # type: ignore[no-untyped-def]
    base = import_declaration("BIG-0")
    # 100 declarations of 5 lines: 500 lines in the Lines sheet
    documents = [
        {
            **base,
            "declarant_reference": f"BIG-{n:03d}",
            "items": [{**base["items"][0], "line_number": i} for i in range(1, 6)],
        }
        for n in range(100)
    ]
    r = _post(client, auth, workbook(documents))
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["filed"], body["failed"]) == (100, 0)
    assert [x["row"] for x in body["results"][:2]] == ["Header!A3", "Header!A4"]
    listed = client.get("/api/v1/declarations?page_size=500", headers=auth("trader")).json()
    assert listed["total"] == 100
    again = _post(client, auth, workbook(documents)).json()
    assert (again["filed"], again["replayed"]) == (0, 100)


def test_errors_name_the_cell_beside_the_pointer(client, auth) -> None:  # type: ignore[no-untyped-def]
    good = import_declaration("CELL-OK")
    bad = import_declaration("CELL-BAD", items__0__quantity="-3", items__0__origin_country="XX")
    body = _post(client, auth, workbook([good, bad])).json()
    assert [x["status"] for x in body["results"]] == [201, 422]
    errors = {e["pointer"]: e for e in body["results"][1]["problem"]["errors"]}
    quantity = sheet.cell_name(4, sheet.LINE_COLUMNS.index("quantity"))  # the second line row is row 4
    assert errors["/items/0/quantity"]["cell"] == f"Lines!{quantity}"
    assert errors["/items/0/quantity"]["code"] == "must_be_positive"
    assert errors["/items/0/origin_country"]["cell"].startswith("Lines!") and errors[
        "/items/0/origin_country"
    ]["cell"].endswith("4")
    assert client.get("/api/v1/declarations", headers=auth("trader")).json()["total"] == 1


def test_a_file_that_is_not_the_template_is_refused_whole(client, auth) -> None:  # type: ignore[no-untyped-def]
    r = _post(client, auth, b"PK\x03\x04 not really a workbook")
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "not_a_spreadsheet"
    rows = sheet.to_rows([import_declaration("ORPHAN-1")])
    rows["Lines"][0]["declarant_reference"] = "NO-SUCH"
    out = BytesIO()
    write_workbook(out, header=rows["Header"], lines=rows["Lines"])
    r = _post(client, auth, out.getvalue())
    assert r.status_code == 422
    assert r.json()["errors"] == [
        {
            "pointer": "",
            "code": "unknown_declaration",
            "message": "no header row has the reference 'NO-SUCH'",
            "cell": "Lines!A3",
        }
    ]
    assert client.get("/api/v1/declarations", headers=auth("trader")).json()["total"] == 0


def test_the_template_is_downloadable(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/static/clearway-declarations.xlsx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
