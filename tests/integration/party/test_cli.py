"""`clearway parties` as an operator runs it: list, record and revoke mandates, with readable errors."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from clearway.party.cli import app
from tests.documents import BROKER, DAEHAN

runner = CliRunner()


@pytest.fixture
def env(runtime, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CLEARWAY_HOME", str(runtime.settings.home))
    monkeypatch.setenv("CLEARWAY_DATABASE_URL", runtime.settings.resolved_database_url)
    return runtime


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_record_list_and_revoke_a_mandate(env):  # type: ignore[no-untyped-def]
    refused = run("mandate", BROKER.brn, DAEHAN.brn, "--from", "2026-11-01", "--as", "trader")
    assert refused.exit_code == 1 and "a mandate is recorded by the client company" in refused.output
    unknown = run("mandate", "1234567890", DAEHAN.brn, "--from", "2026-11-01")
    assert unknown.exit_code == 1 and "unknown company" in unknown.output
    bad_date = run("mandate", BROKER.brn, DAEHAN.brn, "--from", "01/11/2026")
    assert bad_date.exit_code == 1
    recorded = run(
        "mandate",
        BROKER.brn,
        DAEHAN.brn,
        "--from",
        "2026-11-01",
        "--scope",
        "both",
        "--as",
        "trader2",
        "--json",
    )
    assert recorded.exit_code == 0, recorded.output
    mandate = json.loads(recorded.output)
    assert mandate["scope"] == "both" and mandate["revoked_on"] is None
    held = json.loads(run("mandates", "--as", "broker", "--json").output)
    assert mandate["id"] in [m["id"] for m in held]
    revoked = run("revoke", str(mandate["id"]), "--reason", "contract ended", "--as", "trader2")
    assert revoked.exit_code == 0 and re.search(r"revoked from \d{4}-\d{2}-\d{2}", revoked.output)
    again = run("revoke", str(mandate["id"]), "--reason", "twice")
    assert again.exit_code == 1 and "was revoked" in again.output
