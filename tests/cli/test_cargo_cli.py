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
from tests.documents import import_declaration
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


def test_manifest_to_carry_out_through_the_cli(home: Path, tmp_path: Path) -> None:
    """Manifest → arrival → carry-in → declaration matched → officer's decisions → payment → release →
    carry-out, each step one command as the user who does it."""
    bill = "CLIBILL0009"
    file = tmp_path / "manifest.json"
    file.write_text(json.dumps(manifest("CLI-M9", houses=[house(bill)])))
    submitted = run(home, "manifest", "submit", str(file), "--as", "carrier", "--json")
    assert submitted.returncode == 0, submitted.stderr
    body = json.loads(submitted.stdout)
    ccn = body["bills"][0]["ccn"]
    assert (
        run(home, "cargo", "arrive", str(body["id"]), "--on", "2026-11-19", "--as", "carrier").returncode == 0
    )
    stored = run(
        home, "cargo", "carry-in", ccn, "--shed", "03077001", "--on", "2026-11-19", "--as", "carrier"
    )
    assert stored.returncode == 0, stored.stderr

    declaration = tmp_path / "declaration.json"
    declaration.write_text(
        json.dumps(import_declaration("CLI-CARGO-9", consignment__transport_document=bill)), "utf-8"
    )
    filed = run(home, "declare", str(declaration), "--as", "trader", "--json")
    assert filed.returncode == 0, filed.stderr
    read = json.loads(filed.stdout)
    assert not read["held"]  # its bill is on a manifest: matched, not held
    number = str(read["id"])
    # whatever lane the risk model chose, the officer takes it to acceptance as on the officer's page
    # whatever lane the risk model chose, the officer takes it to acceptance as on the officer's page:
    # an inspection's result is recorded first, a document check is accepted
    trail = [read["status"]]
    for _ in range(3):
        if read["status"] == "accepted":
            break
        if read["status"] == "under_inspection" and "record_inspection_result" in read["allowed_actions"]:
            step = ["inspection_result", "--finding", "no_irregularity", "--message", "as declared"]
        else:
            step = ["accept"]
        done = run(home, "decide", number, *step, "--as", "officer", "--json")
        assert done.returncode == 0, done.stderr
        read = json.loads(done.stdout)
        trail.append(read["status"])
    assert read["status"] == "accepted", trail

    early = run(home, "cargo", "carry-out", ccn, "--on", "2026-12-05", "--as", "carrier")
    assert early.returncode == 1 and "not_released" in early.stderr  # accepted is not released
    refused = run(home, "release", number, "--as", "officer")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr  # not paid yet
    paid = run(home, "pay", number, "--as", "trader", "--json")
    assert paid.returncode == 0, paid.stderr
    assert json.loads(paid.stdout)["status"] == "paid"
    released = run(home, "release", number, "--as", "officer", "--json")
    assert released.returncode == 0, released.stderr
    assert json.loads(released.stdout)["status"] == "released"
    out = run(home, "cargo", "carry-out", ccn, "--on", "2026-12-05", "--as", "carrier")
    assert out.returncode == 0, out.stderr
    status = run(home, "cargo", "status", ccn, "--as", "officer")
    assert status.returncode == 0 and "carry_out" in status.stdout, status.stdout

    unknown = run(home, "decide", number, "approve", "--as", "officer")
    assert unknown.returncode == 1 and "/decision" in unknown.stderr and "Traceback" not in unknown.stderr
    trader = run(home, "release", number, "--as", "trader")
    assert trader.returncode == 1 and "Traceback" not in trader.stderr


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
