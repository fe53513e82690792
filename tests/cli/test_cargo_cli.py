"""``clearway manifest submit`` and ``clearway cargo …`` as a user runs them (real processes, SQLite)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from clearway.config import Settings
from clearway.demo.run import seed
from clearway.runtime import build_runtime
from clearway.uow import unit_of_work
from tests.integration.cargo.manifests import house, manifest

CLEARWAY = [sys.executable, "-m", "clearway.cli.main"]

# runs the CLI as processes over a demo database: part of the whole suite, not of the fast target
pytestmark = pytest.mark.slow
GOLDEN = Path(__file__).parents[1] / "unit" / "cargo" / "golden"


def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CLEARWAY_HOME": str(home), "COLUMNS": "200"}
    env.pop("CLEARWAY_DATABASE_URL", None)
    return subprocess.run([*CLEARWAY, *args], env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("cargo-cli")
    assert run(home, "db", "upgrade").returncode == 0
    rt = build_runtime(Settings(home=home))
    with unit_of_work(rt.sessions) as session:
        seed(session, rt)  # the demo companies and users, without filing the demo's declarations
    rt.close()
    return home


def test_submit_arrive_store_and_status(home: Path, tmp_path: Path) -> None:
    file = tmp_path / "manifest.json"
    file.write_text(
        json.dumps(manifest("CLI-M1", houses=[house("CLIBILL0001", description="general cargo")]))
    )
    done = run(home, "manifest", "submit", str(file), "--as", "carrier", "--json")
    assert done.returncode == 0, done.stderr
    body = json.loads(done.stdout)
    ccn = body["bills"][0]["ccn"]
    assert "risk" not in body["bills"][0]
    again = run(home, "cargo", "submit", str(file), "--as", "carrier")
    assert again.returncode == 0 and "already submitted" in again.stdout
    early = run(home, "cargo", "carry-in", ccn, "--shed", "03077001", "--on", "2026-11-19", "--as", "carrier")
    assert early.returncode == 1 and "not_arrived" in early.stderr and "Traceback" not in early.stderr
    assert (
        run(home, "cargo", "arrive", str(body["id"]), "--on", "2026-11-19", "--as", "carrier").returncode == 0
    )
    stored = run(
        home, "cargo", "carry-in", ccn, "--shed", "03077001", "--on", "2026-11-19", "--as", "carrier"
    )
    assert stored.returncode == 0, stored.stderr
    refused = run(home, "cargo", "carry-out", ccn, "--on", "2026-11-20", "--as", "carrier")
    assert refused.returncode == 1 and "not_released" in refused.stderr
    status = run(home, "cargo", "status", ccn, "--as", "officer")
    assert status.returncode == 0, status.stderr
    assert "carry_in 03077001" in status.stdout and "does not say what the goods are" in status.stdout
    late = run(home, "cargo", "undeclared", "--on", "2026-12-30", "--as", "officer", "--json")
    assert [(r["ccn"], r["days"], r["overdue"]) for r in json.loads(late.stdout)] == [(ccn, 41, True)]
    hidden = run(home, "cargo", "status", ccn, "--as", "trader")
    assert hidden.returncode == 1 and "cargo:read" in hidden.stderr


def test_cuscar_and_bad_files(home: Path, tmp_path: Path) -> None:
    mixed = run(home, "manifest", "submit", str(GOLDEN / "mixed_two_messages.edi"), "--as", "carrier")
    assert mixed.returncode == 3
    assert "message 1: accepted" in mixed.stdout and "message 2: rejected" in mixed.stdout
    assert "bad_segment_count" in mixed.stdout
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(manifest("CLI-M2", houses=[house("CLIBILL0002")], port_of_loading="ZZABC")))
    result = run(home, "manifest", "submit", str(bad), "--as", "carrier")
    assert (
        result.returncode == 1
        and "/voyage/port_of_loading" in result.stderr
        and "unknown_locode" in result.stderr
    )
    broken = tmp_path / "broken.json"
    broken.write_text("{nope")
    result = run(home, "manifest", "submit", str(broken), "--as", "carrier")
    assert result.returncode == 1 and "neither CUSCAR nor valid JSON" in result.stderr


def test_train_the_pre_arrival_model_and_screen_with_it(home: Path, tmp_path: Path) -> None:
    refused = run(home, "cargo", "train", "--weeks", "6", "--as", "carrier")
    assert refused.returncode == 1 and "risk analyst" in refused.stderr
    done = run(home, "cargo", "train", "--weeks", "8", "--as", "analyst", "--json")
    assert done.returncode == 0, done.stderr
    body = json.loads(done.stdout)
    assert body["metrics"]["examined"] > 100 and body["metrics"]["holdout"]["auc"] > 0.6
    assert (home / "models" / "cargo" / "current.json").exists()
    houses = [house(f"MODELBILL{i:03d}") for i in range(40)]
    houses.append(
        house(
            "MODELBILLX",
            description="general cargo",
            packages=10,
            gross_weight_kg="0.2",
            value=None,
            currency=None,
        )
    )
    file = tmp_path / "model-manifest.json"
    file.write_text(json.dumps(manifest("CLI-MODEL", houses=houses)))
    submitted = run(home, "manifest", "submit", str(file), "--as", "carrier", "--json")
    assert submitted.returncode == 0, submitted.stderr
    ccn = next(b["ccn"] for b in json.loads(submitted.stdout)["bills"] if b["house_bill"] == "MODELBILLX")
    status = run(home, "cargo", "status", ccn, "--as", "officer", "--json")
    reasons = json.loads(status.stdout)["risk"]["reasons"]
    model = [r for r in reasons if r["kind"] == "model"]
    assert model and model[0]["version"] == body["version"] and model[0]["top"]
