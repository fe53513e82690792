"""Findings 4 and 5: sign-in throttling per (user, client), equal work for unknown users, forwarded addresses
only from trusted proxies; tokens that expire visibly; no production start with the default secret."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from clearway.audit.models import AuditEvent
from clearway.config import Settings, production_problems
from clearway.identity import service as identity
from clearway.identity.throttle import client_address

TOKEN = "/api/v1/auth/token"
WRONG = {"username": "officer", "password": "wrong-password-x"}
RIGHT = {"username": "officer", "password": "officer-demo-2026"}
SRC = str(Path(__file__).resolve().parents[3] / "src")


def _from(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


def test_a_guesser_locks_only_its_own_pair_not_the_user_for_everyone(  # type: ignore[no-untyped-def]
    client,
    runtime,
):
    runtime.settings.trusted_proxies = ["testclient"]  # the test client's peer plays the reverse proxy
    assert [client.post(TOKEN, json=WRONG, headers=_from("203.0.113.9")).status_code for _ in range(5)] == [
        401
    ] * 5
    assert client.post(TOKEN, json=RIGHT, headers=_from("203.0.113.9")).status_code == 429
    # the real officer, from another address, signs in
    assert client.post(TOKEN, json=RIGHT, headers=_from("198.51.100.7")).status_code == 201


def test_the_pause_grows_with_each_further_failure(client, runtime, clock):  # type: ignore[no-untyped-def]
    for _ in range(5):
        client.post(TOKEN, json=WRONG)
    first = int(client.post(TOKEN, json=RIGHT).headers["retry-after"])
    clock.advance(seconds=first + 1)
    assert client.post(TOKEN, json=WRONG).status_code == 401  # another failure: a longer pause
    second = int(client.post(TOKEN, json=RIGHT).headers["retry-after"])
    assert second > first


def test_one_address_trying_many_usernames_meets_the_generous_address_limit(  # type: ignore[no-untyped-def]
    client,
    runtime,
):
    runtime.logins.address_limit = 12
    codes = [
        client.post(TOKEN, json={"username": f"nobody{i}", "password": "x" * 12}).status_code
        for i in range(12)
    ]
    assert codes == [401] * 12
    assert client.post(TOKEN, json=RIGHT).status_code == 429


def test_forwarded_addresses_count_only_from_a_trusted_proxy():
    assert client_address("203.0.113.9", "10.0.0.1", []) == "203.0.113.9"  # not a proxy: header ignored
    assert client_address("10.0.0.2", "198.51.100.7", ["10.0.0.0/24"]) == "198.51.100.7"
    # the left part is the client's to forge; the right-most untrusted hop is the client
    assert client_address("10.0.0.2", "1.2.3.4, 198.51.100.7, 10.0.0.3", ["10.0.0.0/24"]) == "198.51.100.7"
    assert client_address("10.0.0.2", "not-an-address", ["10.0.0.0/24"]) == "10.0.0.2"


def test_an_unknown_username_costs_the_same_argon2_work(runtime, monkeypatch):  # type: ignore[no-untyped-def]
    calls: list[str] = []
    real = identity._hasher

    class Counting:
        def verify(self, hash_: str, password: str) -> bool:
            calls.append(hash_)
            return real.verify(hash_, password)

        def hash(self, password: str) -> str:
            return real.hash(password)

    monkeypatch.setattr(identity, "_hasher", Counting())
    with runtime.sessions() as session:
        for username in ("officer", "no-such-user"):
            with contextlib.suppress(Exception):
                identity.authenticate(session, username=username, password="wrong-password")
    assert len(calls) == 2 and all(h.startswith("$argon2") for h in calls)


def test_failed_sign_ins_and_the_lockout_are_audited_without_the_password(  # type: ignore[no-untyped-def]
    client,
    runtime,
):
    for _ in range(5):
        client.post(TOKEN, json=WRONG)
    client.post(TOKEN, json=RIGHT)
    with runtime.sessions() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.subject_type == "user").order_by(AuditEvent.seq)
        ).all()
    actions = [e.action for e in events]
    assert actions == ["sign_in_failed"] * 4 + ["sign_in_locked", "sign_in_refused_paused"]
    assert all("wrong-password" not in str(e.data) and "officer-demo" not in str(e.data) for e in events)


def test_a_token_expires_by_default_and_says_when(client, runtime, clock):  # type: ignore[no-untyped-def]
    issued = client.post(TOKEN, json={"username": "trader", "password": "trader-demo-2026", "name": "erp"})
    assert issued.status_code == 201
    expires = issued.json()["expires_at"]
    assert expires is not None and expires.startswith("2027-02-18")  # 90 days after the test clock
    headers = {"Authorization": f"Bearer {issued.json()['token']}"}
    me = client.get("/api/v1/auth/me", headers=headers)
    assert me.json()["expires_at"] == expires and "clearway-token-warning" not in me.headers
    listed = client.get("/api/v1/auth/tokens", headers=headers).json()
    assert [(t["name"], t["expires_at"]) for t in listed if t["name"] == "erp"] == [("erp", expires)]
    assert all("token" not in t for t in listed)  # never the secret
    clock.advance(days=81)
    warning = client.get("/api/v1/auth/me", headers=headers).headers["clearway-token-warning"]
    assert "expires in 9 day" in warning
    clock.advance(days=10)
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 401


def test_token_issue_and_revocation_are_audited(client, runtime):  # type: ignore[no-untyped-def]
    token = client.post(TOKEN, json={"username": "trader", "password": "trader-demo-2026"}).json()["token"]
    client.post("/api/v1/auth/revoke", headers={"Authorization": f"Bearer {token}"})
    with runtime.sessions() as session:
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    assert [e.action for e in events] == ["token_issued", "token_revoked"]
    assert token not in str([e.data for e in events]) and events[0].actor_user_id is not None


def test_an_unknown_scope_is_a_422_naming_the_field(client):  # type: ignore[no-untyped-def]
    r = client.post(
        TOKEN, json={"username": "trader", "password": "trader-demo-2026", "scopes": ["root:all"]}
    )
    assert r.status_code == 422 and r.json()["errors"][0]["pointer"] == "/scopes"


@pytest.mark.slow  # runs the CLI as processes
def test_production_mode_refuses_the_default_secret(tmp_path):  # type: ignore[no-untyped-def]
    env = {
        **os.environ,
        "PYTHONPATH": SRC,
        "CLEARWAY_HOME": str(tmp_path),
        "CLEARWAY_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
    }
    env.pop("CLEARWAY_SECRET_KEY", None)
    run = subprocess.run(
        [sys.executable, "-m", "clearway.cli.main", "serve", "--port", "8799"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2 and "CLEARWAY_SECRET_KEY" in run.stderr
    env.pop("CLEARWAY_DATABASE_URL")
    env["CLEARWAY_SECRET_KEY"] = "short"
    run = subprocess.run(
        [sys.executable, "-m", "clearway.cli.main", "serve", "--host", "0.0.0.0", "--port", "8799"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2 and "refusing to start in production mode" in run.stderr


def test_embedded_mode_keeps_the_default_secret():
    assert production_problems(Settings(), "127.0.0.1") == []
    assert production_problems(Settings(secret_key="x" * 40), "0.0.0.0") == []
    assert production_problems(Settings(database_url="postgresql://h/db"), "127.0.0.1") != []
    assert timedelta(days=Settings().token_ttl_days) == identity.API_TOKEN_TTL
