"""A trader or broker sees and acts on only their own company's declarations."""

from __future__ import annotations

from sqlalchemy import func, select

from clearway.declaration.models import DeclarationVersion
from tests.documents import broker_declaration, import_declaration

URL = "/api/v1/declarations"
GANGNAM = {"name": "Gangnam Footwear Co.", "brn": "2118123451", "country": "KR"}


def test_no_cross_company_read_list_amend_or_cancel(client, auth, runtime):
    mine = client.post(URL, json=import_declaration("X-1"), headers=auth("trader")).json()
    other = auth("trader2")  # another company
    assert client.get(f"{URL}/{mine['id']}", headers=other).status_code == 404
    assert client.get(f"{URL}/{mine['id']}/events", headers=other).status_code == 404
    assert client.get(URL, headers=other).json()["total"] == 0
    amend = client.post(
        f"{URL}/{mine['id']}/amend",
        headers=other,
        json={"reason": "hijack", "declaration": import_declaration("X-1")},
    )
    assert amend.status_code == 404
    assert (
        client.post(f"{URL}/{mine['id']}/cancel", headers=other, json={"reason": "hijack"}).status_code == 404
    )
    assert (
        client.post(
            f"{URL}/{mine['id']}/payment", headers=other, json={"amount_krw": "0", "reference": "x"}
        ).status_code
        == 404
    )
    with runtime.sessions() as session:
        assert session.scalar(select(func.count(DeclarationVersion.id))) == 1
    assert client.get(f"{URL}/{mine['id']}", headers=auth("trader")).json()["status"] == "accepted"


def test_customs_sees_every_company_and_the_owner_lists_its_own(client, auth):
    client.post(URL, json=import_declaration("Y-1"), headers=auth("trader"))
    client.post(URL, json=broker_declaration("Y-2", importer=GANGNAM), headers=auth("broker"))
    assert client.get(URL, headers=auth("officer")).json()["total"] == 2
    assert client.get(URL, headers=auth("analyst")).json()["total"] == 2
    own = client.get(URL, headers=auth("trader")).json()
    assert own["total"] == 1 and own["items"][0]["declarant_reference"] == "Y-1"


def test_list_filters_and_pagination(client, auth):
    for i in range(7):
        client.post(URL, json=import_declaration(f"F-{i}"), headers=auth("trader"))
    page = client.get(URL, params={"page": 2, "page_size": 3}, headers=auth("trader")).json()
    assert page["total"] == 7 and len(page["items"]) == 3
    assert (
        client.get(URL, params={"status": "accepted", "lane": "green"}, headers=auth("trader")).json()[
            "total"
        ]
        == 7
    )
    assert client.get(URL, params={"status": "released"}, headers=auth("trader")).json()["total"] == 0
    by_importer = client.get(URL, params={"importer": "Hanbit"}, headers=auth("officer")).json()
    assert by_importer["total"] == 7
    assert client.get(URL, params={"filed_from": "2026-11-21"}, headers=auth("trader")).json()["total"] == 0
    bad = client.get(URL, params={"status": "flying"}, headers=auth("trader"))
    assert bad.status_code == 422 and bad.json()["errors"][0]["pointer"] == "/query/status"


def test_a_token_narrowed_to_read_cannot_file(client):
    token = client.post(
        "/api/v1/auth/token",
        json={"username": "trader", "password": "trader-demo-2026", "scopes": ["declarations:read"]},
    ).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get(URL, headers=headers).status_code == 200
    r = client.post(URL, json=import_declaration("Z-1"), headers=headers)
    assert r.status_code == 403 and "declarations:write" in r.json()["detail"]


def test_tokens_cannot_exceed_the_role_and_can_be_revoked(client):
    r = client.post(
        "/api/v1/auth/token",
        json={"username": "trader", "password": "trader-demo-2026", "scopes": ["decisions:write"]},
    )
    assert r.status_code == 403
    wrong = client.post("/api/v1/auth/token", json={"username": "trader", "password": "nope-nope-nope"})
    assert wrong.status_code == 401
    token = client.post(
        "/api/v1/auth/token", json={"username": "trader", "password": "trader-demo-2026"}
    ).json()
    headers = {"Authorization": f"Bearer {token['token']}"}
    assert client.get("/api/v1/auth/me", headers=headers).json()["role"] == "trader"
    assert client.post("/api/v1/auth/revoke", headers=headers).status_code == 204
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 401


def test_repeated_wrong_passwords_pause_sign_in_even_with_the_right_one(client, clock):
    attempt = {"username": "broker", "password": "wrong-password-x"}
    assert [client.post("/api/v1/auth/token", json=attempt).status_code for _ in range(5)] == [401] * 5
    paused = client.post("/api/v1/auth/token", json={**attempt, "password": "broker-demo-2026"})
    assert paused.status_code == 429 and paused.json()["type"].endswith("/too-many-attempts")
    assert int(paused.headers["retry-after"]) > 0
    clock.advance(minutes=16)
    assert (
        client.post("/api/v1/auth/token", json={**attempt, "password": "broker-demo-2026"}).status_code == 201
    )
