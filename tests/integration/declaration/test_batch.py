from __future__ import annotations

from sqlalchemy import func, select

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
