"""The audit trail as stored: verified intact after real work, and tampering found on each database."""

from __future__ import annotations

from sqlalchemy import text

from clearway.audit.service import verify
from tests.documents import broker_declaration, import_declaration


def _verify(runtime):  # type: ignore[no-untyped-def]
    with runtime.sessions() as session:
        return verify(session)


def test_real_work_leaves_an_intact_chain_and_tampering_is_named(client, auth, runtime):
    batch = {"declarations": [import_declaration(f"AU-{i}") for i in range(3)]}
    assert client.post("/api/v1/declarations:batch", json=batch, headers=auth("trader")).status_code == 200
    client.post("/api/v1/declarations", json=broker_declaration("AU-9"), headers=auth("broker"))
    result = _verify(runtime)
    assert result.intact and result.events_checked == 16
    with runtime.engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET reason = 'nothing to see' WHERE seq = 6"))
        conn.execute(text("DELETE FROM audit_event WHERE seq = 10"))
    findings = {(f.seq, f.kind) for f in _verify(runtime).findings}
    assert (6, "edited") in findings and (10, "deleted") in findings
    with runtime.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_event WHERE seq > 14"))
    assert (15, "truncated") in {(f.seq, f.kind) for f in _verify(runtime).findings}
