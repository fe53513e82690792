"""``clearway edifact send|watch`` and ``clearway declare FILE.xlsx`` as a user runs them (real processes,
SQLite)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest

from clearway.config import Settings
from clearway.demo.run import seed
from clearway.filing import sheet
from clearway.filing.cusres import read_response
from clearway.filing.template import write_workbook
from clearway.runtime import build_runtime
from clearway.uow import unit_of_work
from tests.documents import import_declaration

CLEARWAY = [sys.executable, "-m", "clearway.cli.main"]
GOLDEN = Path(__file__).parents[1] / "unit" / "filing" / "golden"


def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CLEARWAY_HOME": str(home), "COLUMNS": "200"}
    env.pop("CLEARWAY_DATABASE_URL", None)
    return subprocess.run([*CLEARWAY, *args], env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("filing-cli")
    assert run(home, "db", "upgrade").returncode == 0
    rt = build_runtime(Settings(home=home))
    with unit_of_work(rt.sessions) as session:
        seed(session, rt)
    rt.close()
    return home


def test_watch_files_the_drop_directory_once(home: Path, tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    for name in ("accepted_import_d96b.edi", "rejected_segment_order.edi"):
        (drop / name).write_bytes((GOLDEN / name).read_bytes())
    done = run(home, "edifact", "watch", str(drop), "--once", "--as", "trader")
    assert done.returncode == 0, done.stderr
    assert "accepted_import_d96b.edi → done/: 1 accepted, 0 rejected" in done.stdout
    assert "rejected_segment_order.edi → failed/: 0 accepted, 1 rejected" in done.stdout
    answer = read_response((drop / "done" / "accepted_import_d96b.edi.cusres.edi").read_text())
    assert answer[0]["status"] == "accepted"
    assert [p.name for p in drop.iterdir() if p.is_file()] == []
    # the same interchange sent again: the same declaration, answered again (idempotent)
    again = run(home, "edifact", "send", str(GOLDEN / "accepted_import_d96b.edi"), "--as", "trader")
    assert again.returncode == 0, again.stderr
    assert read_response(again.stdout)[0]["references"]["ABT"] == answer[0]["references"]["ABT"]


def test_send_shows_the_rejection_with_its_segment(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "answer.edi"
    done = run(
        home,
        "edifact",
        "send",
        str(GOLDEN / "rejected_field_errors.edi"),
        "--as",
        "trader",
        "--out",
        str(out),
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "LOC segment 28 element 2.1 /items/1/origin_country" in done.stdout
    assert read_response(out.read_text())[0]["status"] == "rejected"


def test_declare_a_workbook(home: Path, tmp_path: Path) -> None:
    rows = sheet.to_rows(
        [import_declaration("CLI-XL-1"), import_declaration("CLI-XL-2", items__0__currency="XYZ")]
    )
    data = BytesIO()
    write_workbook(data, header=rows["Header"], lines=rows["Lines"], documents=rows["Documents"])
    file = tmp_path / "declarations.xlsx"
    file.write_bytes(data.getvalue())
    done = run(home, "declare", str(file), "--as", "trader")
    assert done.returncode == 1, done.stderr
    currency = "Lines!" + sheet.cell_name(4, sheet.LINE_COLUMNS.index("currency"))
    assert "Header!A3 CLI-XL-1: filed CW-" in done.stdout
    assert f"{currency}  /items/0/currency" in done.stdout
    assert "1 filed, 0 already filed, 1 refused" in done.stdout
    as_json = run(home, "declare", str(file), "--as", "trader", "--json")
    body = json.loads(as_json.stdout)
    assert (body["replayed"], body["failed"]) == (1, 1)
    assert body["results"][1]["problem"]["errors"][0]["cell"] == currency
