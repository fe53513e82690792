from __future__ import annotations

from sqlalchemy import event, func, select

from clearway.declaration.models import Declaration
from tests.documents import broker_declaration as import_declaration

URL = "/api/v1/declarations:batch"


def test_each_item_is_answered_on_its_own(client, auth, runtime):
    documents = [import_declaration(f"BATCH-{i}") for i in range(5)]
    documents[2]["items"][0]["commodity_code"] = "0000000000"
    documents[4] = import_declaration("BATCH-0")  # resubmission of the first
    response = client.post(URL, json={"declarations": documents}, headers=auth("broker"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert [r["status"] for r in body["results"]] == [201, 201, 422, 201, 200]
    assert body["results"][2]["problem"]["errors"][0]["pointer"] == "/items/0/commodity_code"
    assert body["results"][4]["declaration"]["id"] == body["results"][0]["declaration"]["id"]
    assert (body["filed"], body["replayed"], body["failed"]) == (3, 1, 1)
    with runtime.sessions() as session:
        assert session.scalar(select(func.count(Declaration.id))) == 3


def test_more_than_the_batch_limit_is_refused_whole(client, auth, runtime):
    runtime.settings.batch_limit = 3
    response = client.post(
        URL, json={"declarations": [import_declaration(f"L-{i}") for i in range(4)]}, headers=auth("broker")
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "too_many"


def test_an_empty_or_malformed_batch_is_a_clear_error(client, auth):
    assert client.post(URL, json={"declarations": []}, headers=auth("broker")).status_code == 422
    assert client.post(URL, json={"nope": 1}, headers=auth("broker")).status_code == 422
    items = client.post(URL, json={"declarations": [7, "x"]}, headers=auth("broker")).json()["results"]
    assert [i["problem"]["errors"][0]["code"] for i in items] == ["not_an_object", "not_an_object"]


def test_a_batch_costs_the_same_round_trips_whatever_its_size(client, auth, runtime):
    """Filing a batch looks nothing up per declaration (holds, payment orders and lifecycle checks of
    declarations not stored yet): a batch of 12 runs as many queries and hold inserts as a batch of 4."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, _params, _context, _many):  # type: ignore[no-untyped-def]
        statements.append(statement)

    def batch_statements(tag: str, n: int) -> int:
        statements.clear()
        documents = [import_declaration(f"{tag}-{i}") for i in range(n)]
        response = client.post(URL, json={"declarations": documents}, headers=auth("broker"))
        assert response.status_code == 200 and response.json()["filed"] == n, response.text
        # payment orders of accepted declarations are still inserted one by one by the ORM on SQLite
        return sum(1 for s in statements if "INSERT INTO payment_order" not in s)

    event.listen(runtime.engine, "before_cursor_execute", count)
    try:
        small, large = batch_statements("RT-S", 4), batch_statements("RT-L", 12)
    finally:
        event.remove(runtime.engine, "before_cursor_execute", count)
    assert large == small
