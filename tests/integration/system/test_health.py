"""The probes a load balancer reads, and what a client gets when the database is not there."""

from __future__ import annotations

import socket
from pathlib import Path

from fastapi.testclient import TestClient

from clearway.app import create_app
from clearway.config import Settings


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once the socket is closed


def test_live_and_ready_on_a_migrated_database(client):
    for prefix in ("/api/v1", ""):
        live = client.get(f"{prefix}/health/live")
        assert live.status_code == 200 and live.json()["status"] == "live"
        ready = client.get(f"{prefix}/health/ready")
        assert ready.status_code == 200, ready.text
        checks = ready.json()["checks"]
        assert checks["database"]["ok"] and checks["migrations"] == {"ok": True, "detail": "at head"}
        assert "broker" not in checks  # embedded: events stay in-process
    assert client.get("/api/v1/health").json()["status"] == "ok"  # the older probe is unchanged


def test_ready_names_a_schema_behind_the_migrations(tmp_path: Path):
    settings = Settings(home=tmp_path, inprocess_worker=False)  # a fresh SQLite file: nothing migrated
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        assert client.get("/health/live").status_code == 200
        response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["retry-after"]
    body = response.json()
    assert body["failing"] == ["migrations"]
    assert "clearway db upgrade" in body["checks"]["migrations"]["detail"]


def test_an_unreachable_database_and_broker_are_named_and_requests_get_503(tmp_path: Path):
    settings = Settings(
        home=tmp_path,
        database_url=f"postgresql://postgres@127.0.0.1:{_closed_port()}/nowhere",
        broker_url=f"amqp://guest:guest@127.0.0.1:{_closed_port()}/%2F",
        inprocess_worker=False,
        secret_key="x" * 40,
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        assert client.get("/api/v1/health/live").status_code == 200  # the process itself is fine
        ready = client.get("/api/v1/health/ready")
        filing = client.post("/api/v1/declarations", json={}, headers={"Authorization": "Bearer whatever"})
    assert ready.status_code == 503
    body = ready.json()
    assert set(body["failing"]) == {"database", "migrations", "broker"}
    assert "not reachable" in body["checks"]["database"]["detail"]
    assert "not reachable" in body["checks"]["broker"]["detail"]
    assert filing.status_code == 503, filing.text
    assert filing.headers["content-type"].startswith("application/problem+json")
    assert filing.headers["retry-after"] == "1"
    assert filing.json()["type"].endswith("/database-unavailable")
