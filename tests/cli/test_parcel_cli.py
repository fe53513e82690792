"""``clearway parcel`` as a user runs it: real processes, a real SQLite file, readable output and exit codes."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from clearway.config import Settings
from clearway.demo.run import seed
from clearway.migrate import upgrade
from clearway.runtime import build_runtime
from clearway.tariff.service import load_demo_tariff
from clearway.uow import unit_of_work
from tests.cli.test_cli import run

# runs the CLI as processes over a demo database: part of the whole suite, not of the fast target
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home with the migrated database, the demo users and the demo tariff (set up in-process: the full
    ``clearway demo`` is exercised by test_cli.py; here only the parcel commands run as processes)."""
    home = tmp_path_factory.mktemp("parcel-cli")
    settings = Settings(home=home, inprocess_worker=False)
    upgrade(settings.resolved_database_url)
    runtime = build_runtime(settings)
    with unit_of_work(runtime.sessions) as session:
        seed(session, runtime)
        load_demo_tariff(session, now=datetime(2026, 11, 20, 1, 0, tzinfo=UTC))
    runtime.close()
    return home


def _parcel(house_bill: str, code: str, price: str) -> dict[str, object]:
    return {
        "house_bill": house_bill,
        "buyer_name": "Kim Minsu",
        "personal_code": code,
        "buyer_phone": "010-1234-5678",
        "address": "Seoul",
        "arrival_date": "2026-11-20",
        "dispatch_country": "CN",
        "items": [
            {
                "description": "cotton t-shirt",
                "quantity": "1",
                "unit_price": price,
                "currency": "USD",
                "hs_code": "6109101000",
            }
        ],
    }


def test_codes_lists_notifications_and_a_bulk_reissue(home: Path, tmp_path: Path) -> None:
    issued = run(
        home,
        "parcel",
        "issue",
        "--person-id",
        "CLI-1",
        "--name",
        "Kim Minsu",
        "--phone",
        "010-1234-5678",
        "--json",
    )
    assert issued.returncode == 0, issued.stderr
    code = json.loads(issued.stdout)["code"]
    assert run(home, "parcel", "verify", code, "--name", "kim minsu", "--phone", "5678").returncode == 0
    wrong = run(home, "parcel", "verify", code, "--name", "Lee Junho", "--phone", "5678")
    assert wrong.returncode == 1 and "name_mismatch" in wrong.stdout

    listing = tmp_path / "list.json"
    listing.write_text(
        json.dumps(
            {
                "reference": "CLI-L1",
                "parcels": [
                    _parcel("CLI0001", code, "40"),
                    _parcel("CLI0002", code[:-1] + str((int(code[-1]) + 1) % 10), "40"),
                ],
            }
        )
    )
    submitted = run(home, "parcel", "submit", str(listing), "--json")
    assert submitted.returncode == 0, submitted.stderr
    results = json.loads(submitted.stdout)["results"]
    assert results[0]["route"] == "list" and results[1]["errors"][0]["code"] == "code_invalid"

    notified = run(home, "parcel", "notify")
    assert "CLI0001" in notified.stdout and "cleared by list" in notified.stdout
    assert code not in notified.stdout and "010-****-5678" in notified.stdout  # the console is a log: masked

    leaked = tmp_path / "leaked.txt"
    leaked.write_text(f"{code}\nP123\n")
    bulk = run(home, "parcel", "reissue-bulk", str(leaked), "--key", "leak-cli", "--reason", "leak", "--json")
    assert bulk.returncode == 0, bulk.stderr
    report = json.loads(bulk.stdout)["report"]
    assert report["reissued"] == 1 and report["invalid"] == 1
    again = run(home, "parcel", "reissue-bulk", str(leaked), "--key", "leak-cli", "--reason", "leak")
    assert again.returncode == 0 and "already done" in again.stdout
    stale = run(home, "parcel", "verify", code, "--name", "Kim Minsu", "--phone", "5678")
    assert stale.returncode == 1 and "code_reissued" in stale.stdout


def test_bad_input_is_readable(home: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    result = run(home, "parcel", "submit", str(broken))
    assert result.returncode == 1 and "not valid JSON" in result.stderr and "Traceback" not in result.stderr
    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps({"reference": "X", "parcels": []}))
    result = run(home, "parcel", "submit", str(empty))
    assert result.returncode == 1 and "/parcels" in result.stderr
    officer = run(home, "parcel", "submit", str(empty), "--as", "officer")
    assert officer.returncode == 1 and "scope" in officer.stderr
    twice = run(home, "parcel", "issue", "--person-id", "CLI-9", "--name", "A B", "--phone", "01099998888")
    assert twice.returncode == 0
    twice = run(home, "parcel", "issue", "--person-id", "CLI-9", "--name", "A B", "--phone", "01099998888")
    assert twice.returncode == 1 and "already holds" in twice.stderr


def test_a_list_of_100000_parcels_is_answered_parcel_by_parcel(home: Path, tmp_path: Path) -> None:
    issued = run(
        home,
        "parcel",
        "issue",
        "--person-id",
        "CLI-BIG",
        "--name",
        "Kim Minsu",
        "--phone",
        "010-1234-5678",
        "--json",
    )
    code = json.loads(issued.stdout)["code"]
    parcels: list[object] = [{**_parcel(f"BIG{i:06d}", code, "60"), "shop": "one.example"} for i in range(3)]
    parcels += [_parcel("BIG000000", code, "20"), {"house_bill": "X"}] + [{}] * (100_000 - 5)
    listing = tmp_path / "big.json"
    listing.write_text(json.dumps({"reference": "CLI-BIG", "parcels": parcels}))
    submitted = run(home, "parcel", "submit", str(listing), "--json")
    assert submitted.returncode == 0, submitted.stderr
    answer = json.loads(submitted.stdout)
    assert answer["counts"]["parcels"] == 100_000 and answer["counts"]["accepted"] == 3
    results = answer["results"]
    assert len(results) == 100_000 and all(r["accepted"] for r in results[:3])
    assert results[3]["errors"][0]["code"] == "duplicate_in_list"
    assert {e["code"] for e in results[4]["errors"]} >= {"required"}
    assert results[99_999]["errors"][0]["code"] == "over_list_limit"

    queue = run(home, "parcel", "inspections", "--json")
    assert queue.returncode == 0, queue.stderr
    waiting = [p for p in json.loads(queue.stdout) if p["house_bill"].startswith("BIG")]
    assert waiting and all(p["status"].startswith("awaiting_") for p in waiting)  # a split shipment: X-ray
    done = run(home, "parcel", "inspect", str(waiting[0]["id"]), "--result", "clear", "--note", "as declared")
    assert done.returncode == 0 and "simplified_filed" in done.stdout, done.stderr  # combined: 180 > 150
    again = run(home, "parcel", "inspect", str(waiting[0]["id"]), "--result", "clear", "--note", "again")
    assert again.returncode == 1 and "no open" in again.stderr
    trader = run(home, "parcel", "inspections", "--as", "trader")
    assert trader.returncode == 1 and "scope" in trader.stderr
