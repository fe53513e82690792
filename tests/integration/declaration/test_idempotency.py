"""Filing is idempotent: by Idempotency-Key and by the filer's own reference — also under concurrency."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from clearway.audit.models import AuditEvent
from clearway.declaration.models import Declaration
from tests.documents import broker_declaration, import_declaration

URL = "/api/v1/declarations"


def _declarations(runtime) -> int:  # type: ignore[no-untyped-def]
    with runtime.sessions() as session:
        return session.scalar(select(func.count(Declaration.id))) or 0


def test_same_idempotency_key_returns_the_first_declaration(client, auth, runtime):
    headers = {**auth("trader"), "Idempotency-Key": "key-1"}
    first = client.post(URL, json=import_declaration("A-1"), headers=headers)
    again = client.post(URL, json=import_declaration("A-1"), headers=headers)
    assert first.status_code == 201 and again.status_code == 200
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert _declarations(runtime) == 1


def test_same_key_with_a_different_declaration_is_a_conflict(client, auth, runtime):
    headers = {**auth("trader"), "Idempotency-Key": "key-2"}
    client.post(URL, json=import_declaration("B-1"), headers=headers)
    response = client.post(URL, json=import_declaration("B-2"), headers=headers)
    assert response.status_code == 409
    assert response.json()["declaration_id"]
    assert _declarations(runtime) == 1


def test_same_reference_returns_the_first_and_a_changed_one_is_a_conflict(client, auth, runtime):
    first = client.post(URL, json=import_declaration("C-1"), headers=auth("trader")).json()
    again = client.post(URL, json=import_declaration("C-1"), headers=auth("trader"))
    assert again.status_code == 200 and again.json()["id"] == first["id"]
    changed = client.post(
        URL, json=import_declaration("C-1", items__0__quantity="101"), headers=auth("trader")
    )
    assert changed.status_code == 409
    assert changed.json()["errors"][0]["pointer"] == "/declarant_reference"
    assert _declarations(runtime) == 1


def test_references_are_per_company(client, auth, runtime):
    a = client.post(URL, json=import_declaration("SAME"), headers=auth("trader"))
    b = client.post(URL, json=broker_declaration("SAME"), headers=auth("broker"))
    assert a.status_code == b.status_code == 201
    assert a.json()["id"] != b.json()["id"]


def test_parallel_identical_filings_create_one_declaration(client, auth, runtime):
    """Eight clients send the same declaration at once: one is filed, the others get it back."""
    headers = {**auth("trader"), "Idempotency-Key": "parallel-1"}
    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(
            pool.map(lambda _: client.post(URL, json=import_declaration("P-1"), headers=headers), range(8))
        )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * 7 + [201], [r.text for r in responses if r.status_code >= 400]
    assert len({r.json()["id"] for r in responses}) == 1
    assert _declarations(runtime) == 1
    with runtime.sessions() as session:
        files = session.scalar(select(func.count()).where(AuditEvent.action == "file"))
    assert files == 1


def test_parallel_filings_by_reference_only_create_one(client, auth, runtime):
    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(
            pool.map(
                lambda _: client.post(URL, json=import_declaration("P-2"), headers=auth("trader")), range(8)
            )
        )
    assert sorted(r.status_code for r in responses) == [200] * 7 + [201]
    assert _declarations(runtime) == 1
