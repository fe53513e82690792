"""Finding 2: every API operation requires a scope. The operations are enumerated from the app's own OpenAPI,
so a new endpoint is covered (or named here) without anyone remembering to add it."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from clearway.identity import service as identity
from clearway.identity.core import Scope
from clearway.web.scopes import PUBLIC, REQUIRED, SELF_SERVICE

PARAMS = re.compile(r"\{[^}]+\}")


def _token(runtime, username: str, scopes: list[str]) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with runtime.sessions() as session, session.begin():
        user = identity.user_by_username(session, username)
        token = identity.issue_token(
            session, user=user, now=datetime.now(UTC), scopes=scopes, name="scope test"
        )
    return {"Authorization": f"Bearer {token}"}


def _operations(client) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    paths = client.get("/openapi.json").json()["paths"]
    return sorted(
        (method.upper(), path.removeprefix("/api/v1"))
        for path, ops in paths.items()
        for method in ops
        if path.startswith("/api/v1")
    )


def _call(client, method: str, path: str, headers: dict[str, str]):  # type: ignore[no-untyped-def]
    url = "/api/v1" + PARAMS.sub("1", path)
    body = {} if method in ("POST", "PUT", "PATCH") else None
    return client.request(method, url, json=body, headers=headers)


def test_every_operation_is_public_self_service_or_names_its_scope(client):
    operations = _operations(client)
    unlisted = [op for op in operations if op not in PUBLIC | SELF_SERVICE and op not in REQUIRED]
    assert unlisted == [], f"operations without a scope in clearway.web.scopes.REQUIRED: {unlisted}"
    assert len(operations) >= 50


def test_a_token_without_scopes_is_refused_everywhere_but_the_public_and_self_service_operations(
    client, runtime
):  # type: ignore[no-untyped-def]
    bare = _token(runtime, "admin", [])
    answered = {}
    revoke = ("POST", "/auth/revoke")  # last: it ends the token
    for method, path in sorted(_operations(client), key=lambda op: op == revoke):
        if (method, path) in PUBLIC:
            continue
        response = _call(client, method, path, bare)
        if (method, path) in SELF_SERVICE:
            assert response.status_code < 400, (method, path, response.text)
            continue
        answered[(method, path)] = response.status_code
        assert response.status_code == 403, (method, path, response.text)
        assert response.json().get("required_scope") == REQUIRED[(method, path)].value
    assert len(answered) == len(REQUIRED)


@pytest.mark.parametrize("scope", sorted(Scope, key=lambda s: s.value))
def test_a_token_with_every_scope_but_one_cannot_use_that_ones_operations(  # type: ignore[no-untyped-def]
    client,
    runtime,
    scope,
):
    headers = _token(runtime, "admin", sorted(s.value for s in Scope if s is not scope))
    for (method, path), required in REQUIRED.items():
        if required is scope:
            response = _call(client, method, path, headers)
            assert response.status_code == 403, (method, path)
            assert response.json()["required_scope"] == scope.value, (method, path)


def test_without_a_credential_every_non_public_operation_is_401(client):  # type: ignore[no-untyped-def]
    for method, path in _operations(client):
        if (method, path) not in PUBLIC:
            assert _call(client, method, path, {}).status_code == 401, (method, path)


def test_a_read_only_token_cannot_touch_webhooks_or_certificates(  # type: ignore[no-untyped-def]
    client,
    runtime,
):
    reader = _token(runtime, "trader", ["declarations:read"])
    hook = {"url": "https://example.com/h"}
    assert client.post("/api/v1/webhooks", json=hook, headers=reader).status_code == 403
    assert client.delete("/api/v1/webhooks/1", headers=reader).status_code == 403
    assert client.post("/api/v1/origin/certificates", json={}, headers=reader).status_code == 403
