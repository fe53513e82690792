"""Defect 6 of issue 21, "who files for whom": filings are bound to the signed-in company and its mandates."""

from __future__ import annotations

from sqlalchemy import select

from clearway.audit.models import AuditEvent
from clearway.declaration.models import Declaration
from tests.documents import BROKER, DAEHAN, broker_declaration, import_declaration, party

URL = "/api/v1/declarations"
GANGNAM = {"name": "anything typed", "brn": "211-81-23451", "country": "KR"}


def _errors(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [f"{e['pointer']}:{e['code']}" for e in response.json()["errors"]]


def test_a_trader_cannot_file_in_another_companys_name(client, auth, runtime):
    # Before: Daehan's trader could name Hanbit as importer and declarant; the filing was accepted.
    refused = client.post(URL, json=import_declaration("P-1"), headers=auth("trader2"))
    assert refused.status_code == 422
    assert set(_errors(refused)) == {"/importer/brn:not_your_company", "/declarant/brn:not_your_company"}
    with runtime.sessions() as session:
        assert session.scalars(select(Declaration)).all() == []


def test_a_broker_files_only_for_mandated_clients_and_the_names_come_from_the_accounts(client, auth):
    unmandated = broker_declaration("P-2", importer=party(DAEHAN))
    refused = client.post(URL, json=unmandated, headers=auth("broker"))
    assert refused.status_code == 422 and _errors(refused) == ["/importer/brn:no_mandate"]
    filed = client.post(URL, json=broker_declaration("P-3", importer=GANGNAM), headers=auth("broker"))
    assert filed.status_code == 201, filed.text
    body = filed.json()
    content = client.get(f"{URL}/{body['id']}", headers=auth("broker")).json()["content"]
    assert (
        content["importer"]["name"] == "Gangnam Footwear Co." and content["importer"]["brn"] == "2118123451"
    )
    assert content["declarant"]["brn"] == BROKER.brn and content["declarant"]["name"] == BROKER.name


def test_the_importer_reads_what_its_broker_filed_but_cannot_change_it(client, auth):
    # Before: a broker's filing for Hanbit was invisible to Hanbit.
    filed = client.post(URL, json=broker_declaration("P-4"), headers=auth("broker")).json()
    hanbit = auth("trader")
    assert client.get(f"{URL}/{filed['id']}", headers=hanbit).status_code == 200
    assert [d["declarant_reference"] for d in client.get(URL, headers=hanbit).json()["items"]] == ["P-4"]
    cancel = client.post(f"{URL}/{filed['id']}/cancel", json={"reason": "not mine to cancel"}, headers=hanbit)
    assert cancel.status_code == 403
    assert client.get(f"{URL}/{filed['id']}", headers=auth("trader2")).status_code == 404


def test_a_revoked_mandate_stops_the_broker_and_is_audited(client, auth, runtime):
    mandates = client.get("/api/v1/parties/mandates", headers=auth("trader")).json()
    hanbit_mandate = next(m for m in mandates if m["scope"] == "import")
    revoked = client.post(
        f"/api/v1/parties/mandates/{hanbit_mandate['id']}/revoke",
        json={"reason": "changed broker"},
        headers=auth("trader"),
    )
    assert revoked.status_code == 200 and revoked.json()["revoked_on"] == "2026-11-20"
    refused = client.post(URL, json=broker_declaration("P-5"), headers=auth("broker"))
    assert _errors(refused) == ["/importer/brn:no_mandate"]
    again = client.post(
        f"/api/v1/parties/mandates/{hanbit_mandate['id']}/revoke",
        json={"reason": "twice"},
        headers=auth("trader"),
    )
    assert again.status_code == 409
    with runtime.sessions() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.subject_type == "mandate")).all()
    assert [(e.action, e.reason) for e in events] == [("revoke", "changed broker")]


def test_a_client_records_a_mandate_for_its_own_company_only(client, auth):
    companies = {c["brn"]: c for c in client.get("/api/v1/parties/companies", headers=auth("admin")).json()}
    broker_id, daehan_id = companies[BROKER.brn]["id"], companies[DAEHAN.brn]["id"]
    body = {
        "broker_company_id": broker_id,
        "client_company_id": daehan_id,
        "scope": "import",
        "valid_from": "2026-11-01",
        "valid_to": "2027-10-31",
    }
    assert client.post("/api/v1/parties/mandates", json=body, headers=auth("trader")).status_code == 403
    assert client.post("/api/v1/parties/mandates", json=body, headers=auth("broker")).status_code == 403
    assert client.post("/api/v1/parties/mandates", json=body, headers=auth("trader2")).status_code == 201
    filed = client.post(URL, json=broker_declaration("P-6", importer=party(DAEHAN)), headers=auth("broker"))
    assert filed.status_code == 201, filed.text
    backwards = {**body, "valid_to": "2026-10-01"}
    assert _errors(client.post("/api/v1/parties/mandates", json=backwards, headers=auth("admin"))) == [
        "/valid_to:before_start"
    ]
    clients = client.get("/api/v1/parties/clients", headers=auth("broker")).json()
    assert "Daehan Food Trading Co." in [c["name"] for c in clients]


def test_companies_are_registered_with_a_checked_brn_and_customs_code(client, auth):
    url = "/api/v1/parties/companies"
    bad = client.post(
        url,
        json={"name": "X", "kind": "trader", "brn": "1234567890", "customs_code": "abc"},
        headers=auth("admin"),
    )
    assert set(_errors(bad)) == {
        "/brn:invalid_business_registration_number",
        "/customs_code:bad_customs_code",
    }
    good = client.post(
        url,
        json={
            "name": "New Trader",
            "kind": "trader",
            "brn": "101-81-00001",
            "customs_code": "NEWTR2026000001",
        },
        headers=auth("admin"),
    )
    assert good.status_code == 201, good.text
    assert good.json()["brn"] == "1018100001" and good.json()["customs_code"] == "NEWTR2026000001"
    assert client.post(url, json={"name": "Y", "kind": "trader"}, headers=auth("trader")).status_code == 403


def test_a_batch_binds_each_declaration_on_its_own(client, auth):
    documents = [broker_declaration("PB-1"), broker_declaration("PB-2", importer=party(DAEHAN))]
    results = client.post(f"{URL}:batch", json={"declarations": documents}, headers=auth("broker")).json()[
        "results"
    ]
    assert [r["status"] for r in results] == [201, 422]
    assert results[1]["problem"]["errors"][0]["code"] == "no_mandate"
