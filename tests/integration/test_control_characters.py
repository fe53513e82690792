"""Control characters (NUL above all) in any input: a 422 naming the field, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from clearway.declaration.models import Declaration
from tests.documents import import_declaration


def test_a_nul_in_a_query_parameter_is_a_named_422_not_a_database_error(client, auth):
    response = client.get(
        "/api/v1/statistics/release-times", params={"office": "\x00"}, headers=auth("trader")
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["errors"] == [
        {
            "pointer": "/query/office",
            "code": "control_character",
            "message": "contains the control character U+0000, which is not accepted",
        }
    ]


def test_a_nul_in_a_declaration_names_its_pointer_and_stores_nothing(client, auth, runtime):
    document = import_declaration()
    document["importer"]["name"] = "ACME\x00 Trading"
    document["items"][0]["description"] = "cotton\x07 shirts"
    response = client.post(
        "/api/v1/declarations",
        content=json.dumps(document),
        headers={**auth("trader"), "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert {e["pointer"] for e in response.json()["errors"]} == {"/importer/name", "/items/0/description"}
    with runtime.sessions() as session:
        assert session.scalar(select(func.count(Declaration.id))) == 0


def test_line_breaks_and_tabs_in_a_description_are_still_accepted(client, auth):
    document = import_declaration()
    document["items"][0]["description"] = "men's shirts\n100% cotton\tknitted"
    response = client.post("/api/v1/declarations", json=document, headers=auth("trader"))
    assert response.status_code == 201, response.text


def test_a_page_form_with_a_nul_gets_a_readable_page(client, auth):
    response = client.post("/login", data={"username": "trader\x00", "password": "x"})
    assert response.status_code == 422
    assert "text/html" in response.headers["content-type"]
    assert "control character" in response.text


def test_escaped_text_is_checked_for_what_its_escapes_spell(client, auth):
    """Clients that escape every non-ASCII character (``json.dumps`` by default) send Korean as ``\\uXXXX``: the
    escapes of an override character are refused by name, and plain escaped Korean is filed."""
    headers = {**auth("trader"), "Content-Type": "application/json"}
    document = import_declaration("ESC-1")
    document["items"][0]["description"] = "면 셔츠 \u202eevil"
    body = json.dumps(document)  # ensure_ascii: every Hangul syllable and the override are \u escapes
    assert "\\u202e" in body and "면" not in body
    response = client.post("/api/v1/declarations", content=body, headers=headers)
    assert response.status_code == 422
    assert [(e["pointer"], e["code"]) for e in response.json()["errors"]] == [
        ("/items/0/description", "invisible_character")
    ]
    document["items"][0]["description"] = "면 셔츠, 남성용"
    response = client.post("/api/v1/declarations", content=json.dumps(document), headers=headers)
    assert response.status_code == 201, response.text
