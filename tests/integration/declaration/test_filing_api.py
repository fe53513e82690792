"""Filing through the HTTP API: success, every kind of bad input, and the database left unchanged."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from clearway.declaration.models import Declaration, DeclarationVersion
from clearway.tariff.nomenclature import Nomenclature, NomenclatureLine
from tests.documents import import_declaration

URL = "/api/v1/declarations"


def _count(runtime) -> int:  # type: ignore[no-untyped-def]
    with runtime.sessions() as session:
        return session.scalar(select(func.count(Declaration.id))) or 0


def test_filing_returns_201_with_id_version_status_and_labelled_placeholders(client, auth, runtime):
    response = client.post(URL, json=import_declaration(), headers=auth("trader"))
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["version"] == 1
    assert body["number"].startswith("CW-26-")
    assert response.headers["location"].endswith(f"/declarations/{body['id']}")
    # No assessment engine or risk selection configured: the defaults say so.
    assert body["assessment"]["placeholder"] is True
    assert "no duty assessed" in body["assessment"]["notes"][0]
    assert body["lane_selection"] == {**body["lane_selection"], "lane": "green", "placeholder": True}
    assert body["status"] == "accepted"  # green lane: accepted automatically
    assert _count(runtime) == 1


def test_every_invalid_field_is_listed_with_a_pointer_and_reason(client, auth, runtime):
    document = import_declaration(
        items__0__commodity_code="8471309999",  # not in the HSK
        items__0__origin_country="XX",
        items__0__currency="DOLLARS",
        items__0__quantity="-5",
        items__0__invoice_amount="0",
        consignment__port="NOPE1",
        seller__country="ZZ",
    )
    response = client.post(URL, json=document, headers=auth("trader"))
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    errors = {e["pointer"]: e["code"] for e in response.json()["errors"]}
    assert errors == {
        "/items/0/commodity_code": "unknown_commodity_code",
        "/items/0/origin_country": "unknown_country",
        "/items/0/currency": "unknown_currency",
        "/items/0/quantity": "must_be_positive",
        "/items/0/invoice_amount": "must_be_positive",
        "/consignment/port": "unknown_port",
        "/seller/country": "unknown_country",
    }
    assert _count(runtime) == 0


@pytest.mark.parametrize(
    ("overrides", "pointer", "code"),
    [
        ({"items": ...}, "/items", "required"),
        ({"consignment__arrival_date": "yesterday"}, "/consignment/arrival_date", "bad_date"),
        ({"items__0__quantity": "lots"}, "/items/0/quantity", "not_a_number"),
        ({"items__0__quantity": "1e30"}, "/items/0/quantity", "too_large"),
        ({"items__0__net_mass_kg": 0}, "/items/0/net_mass_kg", "must_be_positive"),
        ({"items__0__invoice_amount": "9999999999999"}, "/items/0/invoice_amount", "too_large"),
        ({"items__0__freight": "-10"}, "/items/0/freight", "must_not_be_negative"),
        ({"items__0__commodity_code": "84713"}, "/items/0/commodity_code", "malformed_commodity_code"),
        ({"items__0__incoterm": "FOO"}, "/items/0/incoterm", "unknown_incoterm"),
        ({"items__0__quantity_unit": "BUCKET"}, "/items/0/quantity_unit", "unknown_unit"),
        ({"kind": "transit"}, "/kind", "not_allowed"),
        ({"importer": ...}, "/importer", "required"),
        ({"importer__brn": "1234567890"}, "/importer/brn", "invalid_business_registration_number"),
        ({"surprise": 1}, "/surprise", "unknown_field"),
    ],
)
def test_bad_field_is_named(client, auth, runtime, overrides, pointer, code):
    response = client.post(URL, json=import_declaration(**overrides), headers=auth("trader"))
    assert response.status_code == 422, response.text
    assert {"pointer": pointer, "code": code} in [
        {"pointer": e["pointer"], "code": e["code"]} for e in response.json()["errors"]
    ]
    assert _count(runtime) == 0


def test_malformed_json_is_a_400_problem(client, auth, runtime):
    response = client.post(
        URL, content=b'{"kind": "import",', headers={**auth("trader"), "content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["type"].endswith("/malformed-json")
    assert _count(runtime) == 0


def test_wrong_json_type_is_a_422(client, auth, runtime):
    response = client.post(URL, json=["not", "an", "object"], headers=auth("trader"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "not_an_object"


def test_ten_megabyte_body_is_a_413_problem(client, auth, runtime):
    body = json.dumps({**import_declaration(), "padding": "x" * (10 * 1024 * 1024)})
    response = client.post(URL, content=body, headers={**auth("trader"), "content-type": "application/json"})
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")
    assert _count(runtime) == 0


def test_no_credential_is_401_and_bad_token_is_401(client):
    assert client.post(URL, json=import_declaration()).status_code == 401
    response = client.post(URL, json=import_declaration(), headers={"Authorization": "Bearer cw_nonsense"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_officers_cannot_file(client, auth, runtime):
    response = client.post(URL, json=import_declaration(), headers=auth("officer"))
    assert response.status_code == 403
    assert _count(runtime) == 0


def test_unknown_route_and_declaration_are_404_problems(client, auth):
    assert client.get("/api/v1/nowhere").headers["content-type"].startswith("application/problem+json")
    response = client.get(f"{URL}/999999", headers=auth("officer"))
    assert response.status_code == 404
    assert response.json()["status"] == 404


def test_preference_claim_must_cite_an_attached_certificate(client, auth, runtime):
    document = import_declaration(items__0__origin_country="US")
    document["items"][0]["preference"] = {"agreement": "KORUS", "certificate_reference": "CO-1"}
    response = client.post(URL, json=document, headers=auth("trader"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "/items/0/preference/certificate_reference"
    document["documents"].append({"kind": "certificate_of_origin", "reference": "CO-1"})
    assert client.post(URL, json=document, headers=auth("trader")).status_code == 201


def test_versions_and_lines_are_stored(client, auth, runtime):
    document = import_declaration()
    document["items"].append(
        {
            **document["items"][0],
            "line_number": 2,
            "commodity_code": "8517130000",
            "description": "Smartphones",
        }
    )
    body = client.post(URL, json=document, headers=auth("trader")).json()
    with runtime.sessions() as session:
        version = session.scalar(
            select(DeclarationVersion).where(DeclarationVersion.declaration_id == body["id"])
        )
        assert version.content["items"][1]["commodity_code"] == "8517130000"


def test_an_export_declaration_names_the_exporter(client, auth, runtime):
    document = import_declaration("EX-1", kind="export", importer=...)
    document["exporter"] = document["declarant"]
    document["seller"], document["buyer"] = (
        document["declarant"],
        {"name": "Pacific Rim Imports LLC", "country": "US"},
    )
    response = client.post(URL, json=document, headers=auth("trader"))
    assert response.status_code == 201, response.text
    assert response.json()["kind"] == "export"
    del document["exporter"]
    document["declarant_reference"] = "EX-2"
    response = client.post(URL, json=document, headers=auth("trader"))
    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        "pointer": "/exporter",
        "code": "required",
        "message": "an export declaration names the exporter",
    }


def test_an_expired_commodity_code_is_refused(client, auth, runtime):
    hsk = runtime.declarations.nomenclature
    withdrawn = NomenclatureLine(
        "8471309000", "구형", "자동자료처리기계", "Old line", date(2017, 1, 1), date(2025, 12, 31)
    )
    runtime.declarations.nomenclature = Nomenclature(
        [*(hsk.line(c, date(2026, 11, 20)) for c in hsk.codes()), withdrawn]
    )
    response = client.post(
        URL, json=import_declaration(items__0__commodity_code="8471309000"), headers=auth("trader")
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "expired_commodity_code"
    assert _count(runtime) == 0
