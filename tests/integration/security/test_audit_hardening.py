"""Findings 6-8: the chain covers who acted, is keyed with a key outside the database and anchored in a file,
the table is append-only for the application's role, and the verifier reports each kind of rewrite."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from clearway.audit import chain
from clearway.audit.protection import protect_statements
from clearway.audit.service import verify
from clearway.config import Settings
from clearway.identity import service as identity
from clearway.identity.core import Role
from clearway.migrate import upgrade
from clearway.runtime import build_runtime
from clearway.uow import unit_of_work
from tests.documents import import_declaration

SRC = str(Path(__file__).resolve().parents[3] / "src")
NOW = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)


def _findings(runtime) -> set[tuple[int | None, str]]:  # type: ignore[no-untyped-def]
    with runtime.sessions() as session:
        return {(f.seq, f.kind) for f in verify(session).findings}


def _work(client, auth) -> None:  # type: ignore[no-untyped-def]
    for reference in ("AH-1", "AH-2"):
        assert (
            client.post(
                "/api/v1/declarations", json=import_declaration(reference), headers=auth("trader")
            ).status_code
            == 201
        )


def test_changing_who_acted_is_caught(client, auth, runtime):  # type: ignore[no-untyped-def]
    _work(client, auth)
    assert _findings(runtime) == set()
    with runtime.engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET actor_user_id = actor_user_id + 1 WHERE seq = 1"))
    assert (1, "edited") in _findings(runtime)


def test_a_rewrite_with_every_hash_and_the_head_recomputed_is_caught(  # type: ignore[no-untyped-def]
    client,
    auth,
    runtime,
):
    _work(client, auth)
    with runtime.engine.begin() as conn:
        rows = conn.execute(
            text(
                "SELECT seq, occurred_at, actor, subject_type, subject_id, action, reason, "
                "data, actor_user_id FROM audit_event ORDER BY seq"
            )
        ).all()
        prev = chain.GENESIS
        for row in rows:  # the insider's rewrite: a new actor on event 2, every later hash redone (no key)
            data = row.data if isinstance(row.data, dict) else json.loads(row.data)
            actor = "someone else" if row.seq == 2 else row.actor
            event = chain.ChainedEvent(
                seq=row.seq,
                occurred_at=_at(row.occurred_at),
                actor=actor,
                subject_type=row.subject_type,
                subject_id=row.subject_id,
                action=row.action,
                reason=row.reason,
                data=data,
                prev_hash=prev,
                scheme=chain.PLAIN,
            )
            digest = chain.compute_hash(event)
            conn.execute(
                text(
                    "UPDATE audit_event SET actor = :a, prev_hash = :p, hash = :h, "
                    "scheme = 'sha256' WHERE seq = :s"
                ),
                {"a": event.actor, "p": prev, "h": digest, "s": row.seq},
            )
            prev = digest
        conn.execute(
            text("UPDATE audit_chain_head SET last_hash = :h, mac = :m"),
            {"h": prev, "m": hashlib.sha256(prev.encode()).hexdigest()},
        )
    assert any(kind == "head_forged" for _, kind in _findings(runtime))


def test_a_truncated_tail_with_the_head_set_back_is_caught(  # type: ignore[no-untyped-def]
    client,
    auth,
    runtime,
):
    _work(client, auth)
    with runtime.engine.begin() as conn:
        last = conn.execute(text("SELECT max(seq) FROM audit_event")).scalar_one()
        conn.execute(text("DELETE FROM audit_event WHERE seq > :n"), {"n": last - 2})
        keep = conn.execute(text("SELECT hash FROM audit_event WHERE seq = :n"), {"n": last - 2}).scalar_one()
        conn.execute(
            text("UPDATE audit_chain_head SET last_seq = :n, last_hash = :h"), {"n": last - 2, "h": keep}
        )
    assert (last - 2, "head_forged") in _findings(runtime)


def test_security_events_are_audited_without_secrets(client, auth, runtime):  # type: ignore[no-untyped-def]
    runtime.settings.webhook_allowed_networks = ["93.184.215.0/24"]
    created = client.post(
        "/api/v1/webhooks", json={"url": "https://93.184.215.14/hook"}, headers=auth("trader")
    )
    assert created.status_code == 201
    client.delete(f"/api/v1/webhooks/{created.json()['id']}", headers=auth("trader"))
    with unit_of_work(runtime.sessions) as session:
        company = identity.user_by_username(session, "trader").company_id
        identity.create_user(
            session,
            username="new-clerk",
            password="a-long-password-1",
            role=Role.TRADER,
            company_id=company,
            now=NOW,
        )
    with runtime.sessions() as session:
        rows = session.execute(text("SELECT action, data FROM audit_event ORDER BY seq")).all()
    actions = [r.action for r in rows]
    assert actions == ["webhook_registered", "webhook_deleted", "user_created"]
    assert created.json()["secret"] not in str(rows) and "a-long-password-1" not in str(rows)


@pytest.mark.slow  # runs the CLI as processes
def test_the_cli_anchors_the_chain_and_reports_a_rewrite_and_a_truncated_tail(  # type: ignore[no-untyped-def]
    tmp_path,
):
    settings = Settings(home=tmp_path)
    upgrade(settings.resolved_database_url)
    runtime = build_runtime(settings)
    with unit_of_work(runtime.sessions) as session:
        company = identity.create_company(session, name="Anchor Co", kind="trader", brn=None, now=NOW).id
        for n in range(4):
            identity.create_user(
                session,
                username=f"u{n}",
                password="a-long-password",
                role=Role.TRADER,
                company_id=company,
                now=NOW,
            )
    runtime.close()
    assert _cli(tmp_path, "audit", "anchor").returncode == 0
    intact = _cli(tmp_path, "audit", "verify")
    assert intact.returncode == 0 and "intact" in intact.stdout
    key = (tmp_path / "audit.key").read_text().strip().encode()
    database = sqlite3.connect(tmp_path / "clearway.sqlite3")
    with database:  # an insider holding the key rewrites event 4 and re-signs the head: only the anchor knows
        _rewrite_last(database, key)
    rewritten = _cli(tmp_path, "audit", "verify", "--json")
    assert rewritten.returncode == 3
    assert {f["kind"] for f in json.loads(rewritten.stdout)["findings"]} == {"anchored_rewrite"}
    with database:  # ... or deletes it and sets the head back
        database.execute("DELETE FROM audit_event WHERE seq = 4")
        seq, last = database.execute("SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1").fetchone()
        database.execute(
            "UPDATE audit_chain_head SET last_seq = ?, last_hash = ?, mac = ?",
            (seq, last, chain.head_mac(key, seq, last)),
        )
    truncated = _cli(tmp_path, "audit", "verify")
    assert truncated.returncode == 3 and "truncated" in truncated.stdout


def test_the_application_role_cannot_change_or_delete_audit_events(  # type: ignore[no-untyped-def]
    database,
    client,
    auth,
):
    if database.backend != "postgresql":
        pytest.skip("database privileges are a PostgreSQL matter")
    _work(client, auth)
    with database.engine.begin() as conn:
        conn.execute(text("DROP ROLE IF EXISTS clearway_app_test"))
        conn.execute(text("CREATE ROLE clearway_app_test"))
        for statement in protect_statements("clearway_app_test"):
            conn.execute(text(statement))
    try:
        for statement in ("UPDATE audit_event SET reason = 'x'", "DELETE FROM audit_event"):
            with database.engine.connect() as conn, conn.begin():
                conn.execute(text("SET LOCAL ROLE clearway_app_test"))
                with pytest.raises(Exception, match="permission denied"):
                    conn.execute(text(statement))
        with database.engine.connect() as conn, conn.begin():
            conn.execute(text("SET LOCAL ROLE clearway_app_test"))
            assert conn.execute(text("SELECT count(*) FROM audit_event")).scalar_one() > 0
    finally:
        with database.engine.begin() as conn:
            conn.execute(text("REVOKE ALL ON audit_event, audit_chain_head FROM clearway_app_test"))
            conn.execute(text("DROP ROLE clearway_app_test"))


def _at(value: object) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def _rewrite_last(database: sqlite3.Connection, key: bytes) -> None:
    row = database.execute(
        "SELECT seq, occurred_at, actor, subject_type, subject_id, action, reason, data, "
        "actor_user_id, prev_hash FROM audit_event ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    event = chain.ChainedEvent(
        seq=row[0],
        occurred_at=_at(row[1]),
        actor=row[2],
        subject_type=row[3],
        subject_id=row[4],
        action=row[5],
        reason="nothing happened",
        data=json.loads(row[7]),
        prev_hash=row[9],
        actor_user_id=row[8],
    )
    digest = chain.compute_hash(event, key)
    database.execute(
        "UPDATE audit_event SET reason = ?, hash = ? WHERE seq = ?", (event.reason, digest, row[0])
    )
    database.execute(
        "UPDATE audit_chain_head SET last_hash = ?, mac = ?", (digest, chain.head_mac(key, row[0], digest))
    )


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CLEARWAY_HOME": str(home), "PYTHONPATH": SRC, "COLUMNS": "200"}
    env.pop("CLEARWAY_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "clearway.cli.main", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
