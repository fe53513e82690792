"""The embedded SQLite default when its file is full or read-only: a clear error naming the cause (507 / 503
problem+json with Retry-After), nothing half-written, the file intact (PRAGMA integrity_check), what was accepted
before still there, the audit chain intact, and filing works again once the cause is gone.

The faults are SQLite's own: ``PRAGMA max_page_count`` at the file's current size makes the next page it needs
fail with SQLITE_FULL, as a full disk does; a connection opened ``mode=ro`` gets SQLITE_READONLY on its first
write, as a read-only file does (tests run as root, who may write a file whatever its permissions)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.engine import Engine

from benchmarks.filing import documents
from clearway.app import create_app
from clearway.config import Settings
from clearway.runtime import Runtime, build_runtime
from tests.faults.serving import SECRET, TRADER, audit_intact, declaration_counts, prepare

pytestmark = [pytest.mark.fault, pytest.mark.slow]

BATCH = "/api/v1/declarations:batch"


@pytest.fixture
def embedded(tmp_path: Path) -> Iterator[tuple[Runtime, TestClient, dict[str, str]]]:
    runtime = prepare(f"sqlite:///{tmp_path / 'clearway.sqlite3'}", tmp_path)
    with TestClient(create_app(runtime=runtime), raise_server_exceptions=False) as client:
        token = client.post("/api/v1/auth/token", json=TRADER).json()["token"]
        yield runtime, client, {"Authorization": f"Bearer {token}"}


def _integrity(engine: Engine) -> str:
    with engine.connect() as conn:
        return str(conn.exec_driver_sql("PRAGMA integrity_check").scalar())


def _file(client: TestClient, headers: dict[str, str], docs: list[dict[str, Any]]) -> dict[int, str]:
    response = client.post(BATCH, json={"declarations": docs}, headers=headers)
    assert response.status_code == 200, response.text[:500]
    assert response.json()["filed"] == len(docs)
    return {r["declaration"]["id"]: r["declaration"]["number"] for r in response.json()["results"]}


def _still_there(client: TestClient, headers: dict[str, str], accepted: dict[int, str]) -> None:
    for declaration_id, number in accepted.items():
        response = client.get(f"/api/v1/declarations/{declaration_id}", headers=headers)
        assert response.status_code == 200 and response.json()["number"] == number


def test_a_full_database_answers_507_and_keeps_what_it_had(embedded):
    runtime, client, headers = embedded
    accepted = _file(client, headers, documents(30, "before-full"))
    with runtime.engine.connect() as conn:
        pages = int(conn.exec_driver_sql("PRAGMA page_count").scalar() or 0)

    def limit(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(runtime.engine, "connect", limit)
    runtime.engine.dispose()  # every connection from now on has no room to grow
    more = documents(200, "while-full")
    response = client.post(BATCH, json={"declarations": more}, headers=headers)
    assert response.status_code == 507, response.text[:500]
    assert response.headers["content-type"].startswith("application/problem+json")
    assert int(response.headers["retry-after"]) > 0
    problem = response.json()
    assert problem["type"].endswith("/insufficient-storage") and problem["cause"] == "database_full"
    assert "no room" in problem["detail"]

    assert _integrity(runtime.engine) == "ok"
    assert declaration_counts(runtime) == (30, 30)  # nothing of the refused batch was written
    _still_there(client, headers, accepted)
    audit_intact(runtime)

    event.remove(runtime.engine, "connect", limit)
    runtime.engine.dispose()  # room again: the same batch is filed, once
    _file(client, headers, more)
    assert declaration_counts(runtime) == (230, 230)
    assert _integrity(runtime.engine) == "ok"
    audit_intact(runtime)


def test_a_read_only_database_answers_503_naming_it_and_is_not_damaged(embedded, tmp_path: Path):
    runtime, client, headers = embedded
    accepted = _file(client, headers, documents(30, "before-ro"))
    path = tmp_path / "clearway.sqlite3"
    read_only = build_runtime(
        Settings(
            home=tmp_path,
            database_url=f"sqlite:///file:{path}?mode=ro&uri=true",
            inprocess_worker=False,
            secret_key=SECRET,
        )
    )
    more = documents(50, "while-ro")
    with TestClient(create_app(runtime=read_only), raise_server_exceptions=False) as ro_client:
        response = ro_client.post(BATCH, json={"declarations": more}, headers=headers)
        ready = ro_client.get("/health/ready")
    assert response.status_code == 503, response.text[:500]
    assert response.headers["content-type"].startswith("application/problem+json")
    assert int(response.headers["retry-after"]) > 0
    problem = response.json()
    assert problem["type"].endswith("/database-unavailable") and problem["cause"] == "database_read_only"
    assert "read-only" in problem["detail"]
    assert ready.status_code == 200  # reading works: the process is not taken out for a write fault

    assert _integrity(runtime.engine) == "ok"
    assert declaration_counts(runtime) == (30, 30)
    _still_there(client, headers, accepted)
    audit_intact(runtime)
    _file(client, headers, more)  # writable again
    assert declaration_counts(runtime) == (80, 80)
    audit_intact(runtime)
