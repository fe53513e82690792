"""Origin endpoints and the certificate verifier against a database built by the migrations."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient

from clearway.app import create_app
from clearway.declaration.content import DeclarationContent
from clearway.origin.api import router
from clearway.origin.verification import CertificateVerifier
from clearway.runtime import Runtime
from clearway.uow import unit_of_work
from tests.documents import HANBIT, import_declaration
from tests.unit.origin.samples import (
    KORUS_CERTIFICATION,
    RCEP_CERTIFICATE,
    UK_KR_INVOICE,
    pdf_with_text,
    pdf_without_text,
)
from tests.unit.origin.test_origin_cli import BOM

API = "/api/v1/origin"

KORUS = {
    "reference": "CVW-KORUS-2026-017",
    "agreement": "KORUS",
    "certifier_role": "exporter",
    "exporter_name": "Cascade Valve Works Inc.",
    "exporter_country": "US",
    "importer_name": HANBIT.name,
    "importer_country": "KR",
    "issue_date": "2026-01-05",
    "blanket_from": "2026-01-01",
    "blanket_to": "2026-12-31",
    "signatory": "Laura Chen, Compliance Director",
    "origin_criterion": "CTH",
    "items": [
        {
            "description": "Ball valve, stainless steel, flanged, DN50",
            "hs6": "8481.80",
            "quantity": "1200",
            "unit": "PCS",
            "origin_criterion": "CTH",
            "origin_country": "US",
        }
    ],
}


def valve_declaration(**overrides: object) -> dict:  # type: ignore[type-arg]
    return import_declaration(
        **{
            "seller__name": "Cascade Valve Works Inc.",
            "seller__country": "US",
            "items__0__commodity_code": "8481809000",
            "items__0__description": "Stainless steel ball valves DN50",
            "items__0__origin_country": "US",
            "items__0__quantity": "400",
            "items__0__quantity_unit": "U",
            "items__0__preference": {"agreement": "KORUS", "certificate_reference": "CVW-KORUS-2026-017"},
            "documents": [
                {"kind": "invoice", "reference": "INV-1", "issue_date": "2026-11-05"},
                {
                    "kind": "certificate_of_origin",
                    "reference": "CVW-KORUS-2026-017",
                    "issue_date": "2026-01-05",
                },
            ],
            **overrides,
        }
    )


@pytest.fixture
def api(runtime: Runtime) -> Iterator[TestClient]:
    runtime.close = lambda: None  # type: ignore[method-assign]  # the engine is shared by the session
    app = create_app(runtime.settings, runtime=runtime)
    if not any(getattr(r, "path", "").startswith(API) for r in app.routes):
        app.include_router(router, prefix="/api/v1")  # until the core mounts the origin router
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_determination(api, auth) -> None:  # type: ignore[no-untyped-def]
    response = api.post(f"{API}/determinations", json=BOM, headers=auth("trader"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "originating" and body["rules"][0]["alternatives"][0]["tolerance"]["used"]
    bad = copy.deepcopy(BOM)
    bad["materials"][0]["hs"] = "8599.99"
    bad["product"]["ex_works_price"] = "-1"
    response = api.post(f"{API}/determinations", json=bad, headers=auth("trader"))
    assert response.status_code == 422
    assert {e["pointer"] for e in response.json()["errors"]} == {"/product/ex_works_price"}
    bad["product"]["ex_works_price"] = "1000"
    response = api.post(f"{API}/determinations", json=bad, headers=auth("trader"))
    assert response.status_code == 422 and response.json()["errors"][0]["code"] == "unknown_hs_code"
    response = api.post(f"{API}/determinations?agreement=XX-YY", json=BOM, headers=auth("trader"))
    assert response.status_code == 404
    assert api.post(f"{API}/determinations", json=BOM).status_code == 401


def test_rules_and_agreements(api, auth) -> None:  # type: ignore[no-untyped-def]
    agreements = api.get(f"{API}/agreements", headers=auth("broker")).json()
    assert {"UK-KR", "KR-EU", "KORUS", "US-102"} <= {a["code"] for a in agreements}
    rules = api.get(f"{API}/agreements/UK-KR/rules", params={"hs": "850152"}, headers=auth("broker")).json()
    assert [c["rule"] for alt in rules["rules"][0]["alternatives"] for c in alt["criteria"]] == [
        "CTH",
        "MaxNOM 45% EXW",
    ]


def test_read_pdf_and_text_without_storing(api, auth) -> None:  # type: ignore[no-untyped-def]
    files = {"file": ("invoice.pdf", pdf_with_text(UK_KR_INVOICE), "application/pdf")}
    response = api.post(f"{API}/certificates/read", files=files, headers=auth("trader"))
    assert response.status_code == 200, response.text
    assert response.json()["fields"]["origin_country"]["value"] == "GB"
    response = api.post(
        f"{API}/certificates/read", json={"text": KORUS_CERTIFICATION}, headers=auth("trader")
    )
    assert response.json()["agreement"] == "KORUS" and response.json()["missing"] == []
    files = {"file": ("scan.pdf", pdf_without_text(), "application/pdf")}
    response = api.post(f"{API}/certificates/read", files=files, headers=auth("trader"))
    assert response.status_code == 422
    assert (
        response.json()["type"].endswith("certificate-unreadable")
        and "no text layer" in response.json()["detail"]
    )


def test_upload_registers_what_was_read(api, auth) -> None:  # type: ignore[no-untyped-def]
    scan = {"file": ("scan.pdf", pdf_without_text(), "application/pdf")}
    assert api.post(f"{API}/certificates/upload", files=scan, headers=auth("trader")).status_code == 422
    files = {"file": ("rcep.pdf", pdf_with_text(RCEP_CERTIFICATE), "application/pdf")}
    response = api.post(f"{API}/certificates/upload", files=files, headers=auth("trader"))
    assert response.status_code == 201, response.text
    cert = response.json()["certificate"]
    assert cert["reference"] == "RCEP-CN-2026-000381" and cert["agreement"] == "RCEP"
    assert cert["valid_until"] == "2027-10-30"  # one year from the date of issue
    assert cert["items"][0]["hs6"] == "851679" and cert["reading"]["missing"] == []
    again = api.post(f"{API}/certificates/upload", files=files, headers=auth("trader"))
    assert again.status_code == 409
    got = api.get(f"{API}/certificates/{cert['id']}", headers=auth("trader"))
    assert got.status_code == 200 and got.json()["exporter_country"] == "CN"
    assert (
        api.get(f"{API}/certificates/{cert['id']}", headers=auth("trader2")).status_code == 404
    )  # another company
    assert api.get(f"{API}/certificates/{cert['id']}", headers=auth("officer")).status_code == 200
    found = api.get(
        f"{API}/certificates", params={"reference": "RCEP-CN-2026-000381"}, headers=auth("officer")
    ).json()
    assert [c["id"] for c in found] == [cert["id"]]


def test_register_and_verify_against_a_declaration(api, auth) -> None:  # type: ignore[no-untyped-def]
    response = api.post(f"{API}/certificates", json=KORUS, headers=auth("trader"))
    assert response.status_code == 201, response.text
    assert response.json()["valid_until"] == "2030-01-05"  # four years (KORUS Art. 6.15)
    body = {"declaration": valve_declaration(), "line_number": 1, "on": "2026-11-20"}
    verdict = api.post(f"{API}/verifications", json=body, headers=auth("trader")).json()
    assert verdict["granted"], verdict["reasons"]
    assert {c["check"] for c in verdict["checks"]} >= {"hs6", "exporter", "importer", "validity", "quantity"}
    # another exporter, and the certificate's blanket period over
    other = {"declaration": valve_declaration(seller__name="Pacific Valve Trading LLC"), "on": "2026-11-20"}
    verdict = api.post(f"{API}/verifications", json=other, headers=auth("trader")).json()
    assert not verdict["granted"] and any(r.startswith("exporter:") for r in verdict["reasons"])
    late = {"declaration": valve_declaration(consignment__arrival_date="2027-02-01"), "on": "2027-02-03"}
    verdict = api.post(f"{API}/verifications", json=late, headers=auth("trader")).json()
    assert not verdict["granted"] and any(r.startswith("blanket period") for r in verdict["reasons"])


def test_verifying_a_filed_declaration(api, auth) -> None:  # type: ignore[no-untyped-def]
    assert api.post(f"{API}/certificates", json=KORUS, headers=auth("trader")).status_code == 201
    filed = api.post("/api/v1/declarations", json=valve_declaration(), headers=auth("trader"))
    assert filed.status_code == 201, filed.text
    url = f"{API}/declarations/{filed.json()['id']}/items/1/preference"
    verdict = api.get(url, headers=auth("trader")).json()
    assert verdict["granted"], verdict["reasons"]
    assert api.get(url, headers=auth("trader2")).status_code == 404
    expired = api.get(url, params={"on": "2030-01-06"}, headers=auth("officer")).json()
    assert not expired["granted"] and any("expired" in r for r in expired["reasons"])


def test_certificate_verifier_port(runtime: Runtime, api, auth) -> None:  # type: ignore[no-untyped-def]
    content = DeclarationContent.model_validate(valve_declaration())
    item = content.items[0]
    verifier = CertificateVerifier()
    with unit_of_work(runtime.sessions) as session:
        verdict = verifier.verify(session, content, item, date(2026, 11, 20))
    assert not verdict.granted and "not registered" in verdict.reasons[0]
    assert api.post(f"{API}/certificates", json=KORUS, headers=auth("trader")).status_code == 201
    with unit_of_work(runtime.sessions) as session:
        verdict = verifier.verify(session, content, item, date(2026, 11, 20))
    assert verdict.granted and all(c["passed"] for c in verdict.checks)
    assert not verifier.verify(None, content, item, date(2026, 11, 20)).granted


def test_a_certificate_registered_under_another_agreement_is_named(runtime: Runtime, api, auth) -> None:  # type: ignore[no-untyped-def]
    assert (
        api.post(
            f"{API}/certificates", json={**KORUS, "agreement": "RCEP"}, headers=auth("trader")
        ).status_code
        == 201
    )
    content = DeclarationContent.model_validate(valve_declaration())
    with unit_of_work(runtime.sessions) as session:
        verdict = CertificateVerifier().verify(session, content, content.items[0], date(2026, 11, 20))
    assert not verdict.granted
    assert any(
        r.startswith(
            "agreement: certificate under RCEP, the claim is under KORUS — to fix: claim the agreement"
        )
        for r in verdict.reasons
    )
