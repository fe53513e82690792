"""Electronic certificates of origin (e-CO) end to end: registered through the API, checked field by field,
refused when already on record, drawn down over the declarations that cite them (overdraw refused with the
reason, a withdrawn declaration giving its quantity back, concurrent filings taking turns on PostgreSQL),
and a request to the exporting authority tracked as a case whose denial withdraws the preference.

The tariff is the demo one: microwave ovens 8516.50 from China, basic rate A 8 %, Korea–China FCN1 4 %.
Filing holds an import whose bill is on no manifest (ManifestHold), so a declaration stays before acceptance
and can be withdrawn.
"""

from __future__ import annotations

import copy
import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from clearway.assessment.step import TariffAssessment
from clearway.audit.models import AuditEvent
from clearway.cargo.step import ManifestHold
from clearway.declaration.steps import FilingSteps
from clearway.origin.verification import CertificateVerifier
from clearway.uow import unit_of_work
from tests.documents import HANBIT, import_declaration

API = "/api/v1"
NOW = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)
NUMBER = "K263300012345"

ECO: dict[str, Any] = {
    "agreement": "KR-CN",
    "certificate_number": NUMBER,
    "issuing_authority": {"name": "China Council for the Promotion of International Trade", "country": "CN"},
    "issue_date": "2026-11-02",
    "exporter": {
        "name": "Ningbo Bright Appliances Co., Ltd.",
        "address": "88 Yinzhou Rd, Ningbo",
        "country": "CN",
    },
    "producer": {"name": "Ningbo Bright Appliances Co., Ltd.", "country": "CN"},
    "importer": {"name": HANBIT.name, "address": HANBIT.address, "country": "KR"},
    "consignment": {
        "means_of_transport": "sea",
        "departure_date": "2026-11-05",
        "vessel_or_flight": "HANBIT STAR 012E",
        "port_of_loading": "Ningbo, China",
        "port_of_discharge": "Busan, Korea",
    },
    "invoices": [{"number": "NB-2026-1101", "date": "2026-11-01"}],
    "items": [
        {
            "item_number": 1,
            "hs_code": "8516.50",
            "hs_version": "HS2022",
            "description": "Microwave ovens, 20 litre",
            "quantity": "500",
            "unit": "U",
            "gross_weight_kg": "7600",
            "origin_criterion": "WP",
            "marks": "N/M",
        }
    ],
}


@pytest.fixture
def steps() -> FilingSteps:
    return FilingSteps(assessment=TariffAssessment(CertificateVerifier()), hold_checks=(ManifestHold(),))


def ovens(reference: str, quantity: str = "300", **overrides: Any) -> dict[str, Any]:
    return import_declaration(
        reference,
        **{
            "seller__name": "Ningbo Bright Appliances Co., Ltd.",
            "seller__country": "CN",
            "items__0__commodity_code": "8516500000",
            "items__0__description": "Microwave ovens",
            "items__0__origin_country": "CN",
            "items__0__quantity": quantity,
            "items__0__quantity_unit": "U",
            "items__0__net_mass_kg": str(int(quantity) * 14),
            "items__0__invoice_amount": str(int(quantity) * 60) + ".00",
            "items__0__preference": {"agreement": "KR-CN", "certificate_reference": NUMBER},
            "documents": [
                {"kind": "invoice", "reference": "NB-2026-1101", "issue_date": "2026-11-01"},
                {"kind": "certificate_of_origin", "reference": NUMBER, "issue_date": "2026-11-02"},
            ],
            **overrides,
        },
    )


def file(client, auth, document: dict[str, Any]) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    response = client.post(f"{API}/declarations", json=document, headers=auth("trader"))
    assert response.status_code == 201, response.text
    return response.json()


def preference(body: dict[str, Any]) -> tuple[dict[str, Any], str]:
    line = body["assessment"]["lines"][0]
    assert "rates" in line, line
    return line["preference"], line["rates"]["applied"]


def register(client, auth, document: dict[str, Any] | None = None, user: str = "trader"):  # type: ignore[no-untyped-def]
    return client.post(f"{API}/origin/certificates/electronic", json=document or ECO, headers=auth(user))


def test_an_electronic_certificate_gets_the_fta_rate_when_it_holds_and_a_reasoned_refusal_when_not(
    client, auth, demo_tariff
):  # type: ignore[no-untyped-def]
    response = register(client, auth)
    assert response.status_code == 201, response.text
    cert = response.json()
    assert cert["channel"] == "electronic" and cert["issuing_country"] == "CN"
    assert cert["items"][0]["hs6"] == "851650" and cert["items"][0]["hs_version"] == "HS2022"
    assert cert["valid_until"] == "2027-11-02"  # one year from issue (Korea–China)
    assert cert["drawdown"][0] == {
        "item_number": 1,
        "hs6": "851650",
        "unit": "U",
        "certified": "500.0000",
        "used": "0.0000",
        "left": "500.0000",
        "uses": [],
    }

    granted, applied = preference(file(client, auth, ovens("OV-1")))
    assert granted["granted"] is True and applied == "FCN1"

    # another exporter's shipment, an invoice the certificate does not cite, a different subheading
    refused_doc = ovens(
        "OV-2",
        seller__name="Guangzhou Oven Works Ltd.",
        items__0__commodity_code="3926909000",
        items__0__description="Plastic oven trays",
        documents=[
            {"kind": "invoice", "reference": "GZ-77", "issue_date": "2026-11-01"},
            {"kind": "certificate_of_origin", "reference": NUMBER, "issue_date": "2026-11-02"},
        ],
    )
    refused, applied = preference(file(client, auth, refused_doc))
    assert refused["granted"] is False and applied != "FCN1"
    failed = {r.split(":", 1)[0] for r in refused["reasons"]}
    assert {"exporter", "invoice reference", "hs6"} <= failed
    assert all(" — to fix: " in r for r in refused["reasons"])  # every reason says what would fix it

    # the verification endpoint shows the same checks, each failed one with its fix
    declaration_id = client.get(f"{API}/declarations?reference=OV-2", headers=auth("trader")).json()
    checks = client.get(
        f"{API}/origin/declarations/{declaration_id['items'][0]['id']}/items/1/preference",
        headers=auth("trader"),
    ).json()["checks"]
    exporter = next(c for c in checks if c["check"] == "exporter")
    assert exporter["passed"] is False and "certificate made out for this exporter" in exporter["fix"]


def test_the_origin_criterion_must_be_the_agreement_s_and_the_rule_s(client, auth, demo_tariff):  # type: ignore[no-untyped-def]
    # a criterion that relies on the product-specific rule is refused while Korea–China's rules are not loaded,
    # and says so; "WP" (produced from originating materials) needs no rule
    document = copy.deepcopy(ECO)
    document["items"][0]["origin_criterion"] = "PSR"
    assert register(client, auth, document).status_code == 201
    refused, applied = preference(file(client, auth, ovens("OV-PSR")))
    assert refused["granted"] is False and applied == "A"
    reason = next(r for r in refused["reasons"] if r.startswith("origin criterion"))
    assert "product-specific rule" in reason


def test_invalid_electronic_certificates_are_refused_field_by_field_and_nothing_is_stored(client, auth):  # type: ignore[no-untyped-def]
    bad = copy.deepcopy(ECO)
    bad["issuing_authority"]["country"] = "JP"
    bad["importer"]["country"] = "CN"
    bad["items"][0]["origin_criterion"] = "CTH"  # an AKFTA criterion, not Korea–China's
    bad["items"][0]["hs_version"] = "HS1999"
    bad["items"][0].pop("gross_weight_kg")
    bad["items"].append({**ECO["items"][0], "hs_code": "85165"})
    bad["invoices"] = [{"number": "NB-2026-1101", "date": "2026-11-09"}]
    response = register(client, auth, bad)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    pointers = {e["pointer"] for e in response.json()["errors"]}
    assert pointers == {"/items/1/hs_code"}  # the schema's error comes first: the data is not even read
    bad["items"].pop()
    response = register(client, auth, bad)
    assert response.status_code == 422
    errors = {e["pointer"]: e for e in response.json()["errors"]}
    assert set(errors) == {
        "/issuing_authority/country",
        "/importer/country",
        "/items/0/origin_criterion",
        "/items/0/hs_version",
        "/items/0",
        "/invoices/0/date",
    }
    assert "WO, WP, PSR" in errors["/items/0/origin_criterion"]["message"]
    unknown = {**ECO, "agreement": "KR-EU"}
    response = register(client, auth, unknown)
    assert response.status_code == 422 and response.json()["errors"][0]["pointer"] == "/agreement"
    assert client.get(f"{API}/origin/certificates", headers=auth("trader")).json() == []


def test_a_korea_asean_electronic_certificate_is_read_with_its_own_criteria(client, auth):  # type: ignore[no-untyped-def]
    document = copy.deepcopy(ECO)
    document.update(agreement="KR-ASEAN", certificate_number="VN-AK-2026-000917")
    document["issuing_authority"] = {"name": "Ministry of Industry and Trade, Hai Phong", "country": "VN"}
    document["exporter"] = {"name": "Hai Phong Home Appliances JSC", "country": "VN"}
    document["items"][0].update(
        origin_criterion="RVC 40%", hs_version="2017", fob_value="42000", currency="USD"
    )
    response = register(client, auth, document)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["items"][0]["origin_criterion"] == "RVC 40%" and body["items"][0]["hs_version"] == "HS2017"
    assert body["elements"]["exchange"] == "EODES" and body["valid_until"] == "2027-11-02"
    document["items"][0]["origin_criterion"] = "WP"  # Korea–China's, not AKFTA's
    document["certificate_number"] = "VN-AK-2026-000918"
    response = register(client, auth, document)
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "/items/0/origin_criterion"


def test_a_certificate_is_registered_once_per_issuing_country(client, auth):  # type: ignore[no-untyped-def]
    assert register(client, auth).status_code == 201
    again = register(client, auth)
    assert again.status_code == 409
    assert again.json()["errors"][0]["pointer"] == "/reference"
    # the same number from the same country keyed in as fields, under another agreement: still the same paper
    fields = {
        "reference": NUMBER,
        "agreement": "RCEP",
        "issuing_country": "CN",
        "issuer": "CCPIT",
        "issue_date": "2026-11-02",
        "exporter_name": "Ningbo Bright Appliances Co., Ltd.",
        "importer_name": HANBIT.name,
    }
    response = client.post(f"{API}/origin/certificates", json=fields, headers=auth("broker"))
    assert response.status_code == 409 and "issued in CN is already registered" in response.json()["detail"]
    # another authority's certificate may carry the same number
    other = {**fields, "issuing_country": "VN", "agreement": "KR-VN"}
    assert client.post(f"{API}/origin/certificates", json=other, headers=auth("broker")).status_code == 201


def test_quantities_are_drawn_down_over_declarations_and_a_withdrawal_gives_them_back(
    client, auth, demo_tariff
):  # type: ignore[no-untyped-def]
    certificate_id = register(client, auth).json()["id"]
    first = file(client, auth, ovens("OV-1", "300"))
    assert preference(first)[0]["granted"] is True

    over, applied = preference(file(client, auth, ovens("OV-2", "300")))
    assert over["granted"] is False and applied == "A"
    reason = next(r for r in over["reasons"] if r.startswith("quantity"))
    assert "300 U already used by other declarations: 200 U left" in reason
    assert "claim the preference for at most 200 U" in reason

    assert preference(file(client, auth, ovens("OV-3", "200")))[0]["granted"] is True
    cert = client.get(f"{API}/origin/certificates/{certificate_id}", headers=auth("trader")).json()
    item = cert["drawdown"][0]
    assert (item["used"], item["left"]) == ("500.0000", "0.0000")
    assert [u["declarant_reference"] for u in item["uses"]] == ["OV-1", "OV-3"]

    # withdrawing the first declaration puts its 300 back on the certificate
    cancelled = client.post(
        f"{API}/declarations/{first['id']}/cancel", json={"reason": "shipment split"}, headers=auth("trader")
    )
    assert cancelled.status_code == 200, cancelled.text
    item = client.get(f"{API}/origin/certificates/{certificate_id}", headers=auth("trader")).json()[
        "drawdown"
    ][0]
    assert (item["used"], item["left"]) == ("200.0000", "300.0000")
    assert preference(file(client, auth, ovens("OV-4", "300")))[0]["granted"] is True


def test_two_lines_of_one_declaration_share_the_certificate_s_quantity(client, auth, demo_tariff):  # type: ignore[no-untyped-def]
    assert register(client, auth).status_code == 201
    document = ovens("OV-2L", "300")
    second = {**copy.deepcopy(document["items"][0]), "line_number": 2}
    document["items"].append(second)
    lines = file(client, auth, document)["assessment"]["lines"]
    assert [line["preference"]["granted"] for line in lines] == [True, False]
    assert "300 U already used by other declarations: 200 U left" in " ".join(
        lines[1]["preference"]["reasons"]
    )


def test_concurrent_filings_never_draw_more_than_certified(client, auth, demo_tariff, database):  # type: ignore[no-untyped-def]
    if database.backend != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite runs one writer at a time")
    certificate_id = register(client, auth).json()["id"]

    def one(n: int) -> bool:
        body = file(client, auth, ovens(f"OV-P{n}", "100"))
        return bool(preference(body)[0]["granted"])

    with ThreadPoolExecutor(max_workers=7) as pool:
        granted = list(pool.map(one, range(7)))
    assert sum(granted) == 5  # 500 certified, 100 each
    item = client.get(f"{API}/origin/certificates/{certificate_id}", headers=auth("trader")).json()[
        "drawdown"
    ][0]
    assert item["used"] == "500.0000" and len(item["uses"]) == 5


def test_a_verification_request_is_a_tracked_case_and_a_denial_withdraws_the_preference(
    client, auth, runtime, demo_tariff
):  # type: ignore[no-untyped-def]
    certificate_id = register(client, auth).json()["id"]
    filed = file(client, auth, ovens("OV-1", "300"))
    assert preference(filed)[0]["granted"] is True
    request = {
        "certificate_id": certificate_id,
        "declaration_id": filed["id"],
        "line_number": 1,
        "grounds": "the producer's capacity does not match the quantities certified this year",
        "questions": ["Were the ovens assembled from originating parts only?"],
    }
    # officers only
    assert (
        client.post(f"{API}/origin/verification-cases", json=request, headers=auth("trader")).status_code
        == 403
    )
    assert client.get(f"{API}/origin/verification-cases", headers=auth("broker")).status_code == 403
    opened = client.post(f"{API}/origin/verification-cases", json=request, headers=auth("officer"))
    assert opened.status_code == 201, opened.text
    case = opened.json()
    assert case["status"] == "open" and case["authority_country"] == "CN"
    case_url = f"{API}/origin/verification-cases/{case['id']}"
    # an answer before the request was sent is out of order
    early = client.post(
        f"{case_url}/answer", json={"result": "denied", "answer": "x"}, headers=auth("officer")
    )
    assert early.status_code == 409
    bad = client.post(f"{case_url}/answer", json={"result": "maybe", "answer": "x"}, headers=auth("officer"))
    assert bad.status_code == 422 and bad.json()["errors"][0]["pointer"] == "/result"

    sent = client.post(
        f"{case_url}/send", json={"sent_reference": "KCS-OV-2026-0042"}, headers=auth("officer")
    )
    assert sent.json()["status"] == "sent"
    answer = {"result": "denied", "answer": "CCPIT: the certificate was not issued for this exporter's goods"}
    answered = client.post(f"{case_url}/answer", json=answer, headers=auth("officer"))
    assert answered.status_code == 200, answered.text
    case = answered.json()
    assert case["status"] == "answered" and case["result"] == "denied"
    assert case["outcome"]["certificate_withdrawn"] is True
    assert [r["declaration_id"] for r in case["outcome"]["reassessed"]] == [filed["id"]]

    # the declaration was re-assessed: a new version, the preference refused, the basic rate due
    now = client.get(f"{API}/declarations/{filed['id']}", headers=auth("trader")).json()
    assert now["version"] == 2
    refused, applied = preference(now)
    assert refused["granted"] is False and applied == "A"
    assert any("withdrawn" in r for r in refused["reasons"])
    assert float(now["total_due_krw"]) > float(filed["total_due_krw"])
    cert = client.get(f"{API}/origin/certificates/{certificate_id}", headers=auth("trader")).json()
    assert cert["status"] == "withdrawn" and cert["drawdown"][0]["used"] == "0.0000"

    closed = client.post(
        f"{case_url}/close", json={"note": "duty recovered on re-assessment"}, headers=auth("officer")
    )
    assert closed.json()["status"] == "closed"
    assert client.post(f"{case_url}/close", json={}, headers=auth("officer")).status_code == 409
    listed = client.get(f"{API}/origin/verification-cases?status=closed", headers=auth("officer")).json()
    assert [c["id"] for c in listed] == [case["id"]]
    with unit_of_work(runtime.sessions) as session:
        actions = session.scalars(
            select(AuditEvent.action)
            .where(
                AuditEvent.subject_type == "origin_verification_case",
                AuditEvent.subject_id == str(case["id"]),
            )
            .order_by(AuditEvent.seq)
        ).all()
    assert actions == ["opened", "sent", "answered", "closed"]


def test_a_confirmed_answer_keeps_the_preference(client, auth, demo_tariff):  # type: ignore[no-untyped-def]
    certificate_id = register(client, auth).json()["id"]
    filed = file(client, auth, ovens("OV-1", "300"))
    case = client.post(
        f"{API}/origin/verification-cases",
        json={"certificate_id": certificate_id, "grounds": "random verification"},
        headers=auth("officer"),
    ).json()
    url = f"{API}/origin/verification-cases/{case['id']}"
    client.post(f"{url}/send", json={"sent_reference": "KCS-1"}, headers=auth("officer"))
    answered = client.post(
        f"{url}/answer", json={"result": "confirmed", "answer": "genuine"}, headers=auth("officer")
    )
    assert answered.json()["outcome"] == {"certificate_withdrawn": False, "reassessed": [], "to_recover": []}
    now = client.get(f"{API}/declarations/{filed['id']}", headers=auth("trader")).json()
    assert now["version"] == 1 and preference(now)[0]["granted"] is True


def test_the_declarant_sees_where_a_verification_stands_but_not_the_officer_s_notes(
    client, auth, demo_tariff
):  # type: ignore[no-untyped-def]
    certificate_id = register(client, auth).json()["id"]
    filed = file(client, auth, ovens("OV-1", "300"))
    url = f"{API}/origin/declarations/{filed['id']}/verification-cases"
    assert client.get(url, headers=auth("trader")).json() == []
    grounds = "the producer's capacity does not match the quantities certified this year"
    question = "Were the ovens assembled from originating parts only?"
    case = client.post(
        f"{API}/origin/verification-cases",
        json={"certificate_id": certificate_id, "grounds": grounds, "questions": [question]},
        headers=auth("officer"),
    ).json()  # opened on the certificate, not on the declaration: found through the drawdown

    (seen,) = client.get(url, headers=auth("trader")).json()
    assert seen["id"] == case["id"] and seen["status"] == "open" and seen["outcome"] is None
    assert seen["authority_country"] == "CN" and seen["opened_at"]
    assert not {"grounds", "questions", "answer", "sent_reference"} & seen.keys()
    # another company: no such declaration; customs see the whole case
    assert client.get(url, headers=auth("trader2")).status_code == 404
    (full,) = client.get(url, headers=auth("officer")).json()
    assert full["grounds"] == grounds

    case_url = f"{API}/origin/verification-cases/{case['id']}"
    client.post(f"{case_url}/send", json={"sent_reference": "KCS-OV-2026-0042"}, headers=auth("officer"))
    assert client.get(url, headers=auth("trader")).json()[0]["status"] == "sent"
    answer = "CCPIT: the certificate was not issued for this exporter's goods"
    client.post(f"{case_url}/answer", json={"result": "denied", "answer": answer}, headers=auth("officer"))

    (seen,) = client.get(url, headers=auth("trader")).json()
    assert seen["status"] == "answered" and seen["result"] == "denied" and seen["answered_at"]
    assert seen["outcome"] == {"certificate_withdrawn": True, "reassessed_as_version": 2, "to_recover": False}
    text = json.dumps(seen)
    assert grounds not in text and question not in text and "KCS-OV-2026-0042" not in text
    client.post(f"{case_url}/close", json={"note": "duty recovered"}, headers=auth("officer"))
    assert client.get(url, headers=auth("trader")).json()[0]["status"] == "closed"
