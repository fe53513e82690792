"""The CLI as a user runs it: real processes, a real SQLite file, readable output and exit codes."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.documents import import_declaration
from tests.traveller_messages import message as traveller_message

CLEARWAY = [sys.executable, "-m", "clearway.cli.main"]

# runs the CLI as processes over a demo database: part of the whole suite, not of the fast target
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("cli")
    result = run(home, "demo", "--no-serve", "--count", "6")
    assert result.returncode == 0, result.stderr
    assert "trader-demo-2026" in result.stdout  # the demo prints the credentials
    assert "This demo uses DEMO rates" in result.stdout  # and says its rates are not official
    return home


def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CLEARWAY_HOME": str(home), "COLUMNS": "200"}
    env.pop("CLEARWAY_DATABASE_URL", None)
    return subprocess.run([*CLEARWAY, *args], env=env, capture_output=True, text=True, timeout=300)


def test_declare_then_status(home: Path, tmp_path: Path) -> None:
    file = tmp_path / "declaration.json"
    file.write_text(json.dumps(import_declaration("CLI-1")), encoding="utf-8")
    filed = run(home, "declare", str(file), "--as", "trader", "--json")
    assert filed.returncode == 0, filed.stderr
    body = json.loads(filed.stdout)
    assert body["declarant_reference"] == "CLI-1" and body["version"] == 1
    again = run(home, "declare", str(file), "--as", "trader")
    assert "already filed" in again.stdout
    status = run(home, "status", str(body["id"]), "--as", "trader")
    assert status.returncode == 0
    assert body["number"] in status.stdout and "lane" in status.stdout


def test_a_bad_file_gets_a_readable_error(home: Path, tmp_path: Path) -> None:
    file = tmp_path / "bad.json"
    file.write_text(json.dumps(import_declaration("CLI-2", items__0__currency="DOLLARS")), encoding="utf-8")
    result = run(home, "declare", str(file), "--as", "trader")
    assert result.returncode == 1
    assert "/items/0/currency" in result.stderr and "unknown_currency" in result.stderr
    assert "Traceback" not in result.stderr
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    result = run(home, "declare", str(broken), "--as", "trader")
    assert result.returncode == 1 and "not valid JSON" in result.stderr
    missing = run(home, "declare", str(tmp_path / "nope.json"), "--as", "trader")
    assert missing.returncode == 1 and "no such file" in missing.stderr


def test_another_company_cannot_see_the_declaration(home: Path) -> None:
    result = run(home, "status", "1", "--as", "trader2")
    own = run(home, "status", "1", "--as", "trader")
    assert (result.returncode, own.returncode) in ((1, 0), (0, 1))  # it belongs to exactly one of them
    assert "Not found" in (result.stderr + own.stderr)


def test_audit_verify_detects_tampering(home: Path, tmp_path: Path) -> None:
    intact = run(home, "audit", "verify")
    assert intact.returncode == 0 and "intact" in intact.stdout
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "clearway.sqlite3").write_bytes((home / "clearway.sqlite3").read_bytes())
    with sqlite3.connect(copy / "clearway.sqlite3") as db:
        db.execute("UPDATE audit_event SET actor = 'mallory' WHERE seq = 3")
        db.execute("DELETE FROM audit_event WHERE seq = 7")
    result = run(copy, "audit", "verify", "--json")
    assert result.returncode == 3
    findings = {(f["seq"], f["kind"]) for f in json.loads(result.stdout)["findings"]}
    assert (3, "edited") in findings and (7, "deleted") in findings


def test_db_upgrade_is_idempotent(home: Path) -> None:
    assert run(home, "db", "upgrade").returncode == 0


def test_traveller_receive_and_the_purge_job(home: Path, tmp_path: Path) -> None:
    file = tmp_path / "paxlst.json"
    file.write_text(json.dumps(traveller_message("CLI-TRAVELLER-1")), encoding="utf-8")
    received = run(home, "traveller", "receive", str(file), "--as", "traveller", "--json")
    assert received.returncode == 0, received.stderr
    assert json.loads(received.stdout)["passengers"][0]["result"] == "created"
    watchlist = tmp_path / "watchlist.csv"
    watchlist.write_text(
        "entry_id,name,aliases,date_of_birth,nationality\nW1,김민수,,1985-03-14,KOR\nW2,,broken row,,\n",
        encoding="utf-8",
    )
    broken = run(home, "traveller", "load-watchlist", "suspects", str(watchlist), "--as", "traveller")
    assert broken.returncode == 1 and "/rows/3/name" in broken.stderr and "Traceback" not in broken.stderr
    watchlist.write_text(
        "entry_id,name,aliases,date_of_birth,nationality\nW1,김민수,,1985-03-14,KOR\n", encoding="utf-8"
    )
    loaded = run(
        home, "traveller", "load-watchlist", "suspects", str(watchlist), "--as", "traveller", "--json"
    )
    assert loaded.returncode == 0, loaded.stderr
    assert json.loads(loaded.stdout)["version"] == 1  # the broken file stored nothing
    screened = run(home, "traveller", "screen", "KE082", "2026-11-21", "--as", "traveller", "--json")
    assert screened.returncode == 0, screened.stderr
    (hit,) = json.loads(screened.stdout)["hits"]
    assert hit["entry_id"] == "W1" and any("romanised as GIM MINSU" in r for r in hit["reasons"])
    cleared = run(home, "traveller", "decide", str(hit["hit_id"]), "cleared", "--as", "traveller")
    assert cleared.returncode == 0 and "cleared" in cleared.stdout, cleared.stderr
    again = run(home, "traveller", "decide", str(hit["hit_id"]), "confirmed", "--as", "traveller")
    assert again.returncode == 1 and "already cleared" in again.stderr
    bad_rule = run(home, "traveller", "add-rule", "T-X", "x", "{not json", "--as", "traveller")
    assert bad_rule.returncode == 1 and "/condition" in bad_rule.stderr
    rule = '{"field": "nationality", "op": "eq", "value": "KOR"}'
    added = run(home, "traveller", "add-rule", "T-KOR", "Korean nationals", rule, "--as", "traveller")
    assert added.returncode == 0 and "T-KOR" in added.stdout, added.stderr
    selected = run(home, "traveller", "select", "KE082", "2026-11-21", "--as", "traveller", "--json")
    assert selected.returncode == 0, selected.stderr
    listed = json.loads(selected.stdout)
    assert listed["model_version"] is None
    assert [r.get("code") for r in listed["rows"][0]["reasons"]][-1] == "T-KOR"
    pid = hit["passenger_id"]
    checked = run(home, "traveller", "check", str(pid), "--found", "--as", "traveller")
    assert checked.returncode == 1 and "/finding" in checked.stderr  # a finding must say what was found
    checked = run(home, "traveller", "check", str(pid), "--found", "--finding", "cash", "--as", "traveller")
    assert checked.returncode == 0 and "found" in checked.stdout, checked.stderr
    trained = run(home, "traveller", "train", "--generated-days", "10", "--as", "traveller", "--json")
    assert trained.returncode == 0, trained.stderr
    model = json.loads(trained.stdout)
    assert model["metrics"]["recorded_checks"] == 1 and Path(model["path"]).exists()
    rescored = run(home, "traveller", "select", "KE082", "2026-11-21", "--as", "traveller", "--json")
    assert json.loads(rescored.stdout)["model_version"] == model["version"]
    refused = run(home, "traveller", "receive", str(file), "--as", "trader")
    assert refused.returncode == 1 and "travellers:write" in refused.stderr
    bad = run(
        home, "traveller", "purge", "--as", "admin", "--mask-after-days", "9", "--delete-after-days", "3"
    )
    assert bad.returncode == 1 and "delete_after_days" in bad.stderr and "Traceback" not in bad.stderr
    # the flight arrived on 2026-11-21, long enough ago (today's clock) for a one-day masking period
    purged = run(home, "traveller", "purge", "--as", "admin", "--mask-after-days", "1", "--json")
    assert purged.returncode == 0, purged.stderr
    assert json.loads(purged.stdout)["masked"] >= 1
    again = run(home, "traveller", "purge", "--as", "admin", "--mask-after-days", "1", "--json")
    assert json.loads(again.stdout)["masked"] == 0
