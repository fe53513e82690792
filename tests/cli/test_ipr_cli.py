"""``clearway ipr`` as a user runs it: record, approve, screen, hold, answer, seize, on a SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import home, run  # noqa: F401 — the demo home fixture
from tests.integration.ipr.test_ipr_api import NIKE, shoes

# runs the CLI as processes over a demo database: part of the whole suite, not of the fast target
pytestmark = pytest.mark.slow


def test_the_hold_procedure_from_the_command_line(home: Path, tmp_path: Path) -> None:  # noqa: F811
    added = run(
        home,
        "ipr",
        "holder-add",
        "--company",
        "Swoosh Korea (CLI)",
        "--username",
        "swoosh",
        "--password",
        "swoosh-demo-2026",
    )
    assert added.returncode == 0, added.stderr
    recording_file = tmp_path / "nike.json"
    recording_file.write_text(json.dumps({**NIKE, "registration_number": "40-5550001"}), encoding="utf-8")
    recorded = run(home, "ipr", "record", str(recording_file), "--as", "swoosh", "--json")
    assert recorded.returncode == 0, recorded.stderr
    recording_id = json.loads(recorded.stdout)["id"]
    assert run(home, "ipr", "review", str(recording_id), "--approve", "--as", "officer").returncode == 0

    declaration = tmp_path / "fake.json"
    fake = shoes("CLI-IPR-1", "NIKEE running shoes", unit_usd="6")
    declaration.write_text(json.dumps(fake), encoding="utf-8")
    filed = run(home, "declare", str(declaration), "--as", "trader", "--json")
    assert filed.returncode == 0, filed.stderr
    declaration_id = json.loads(filed.stdout)["id"]

    screened = run(home, "ipr", "screen", str(declaration_id), "--as", "officer")
    assert screened.returncode == 0 and "SUSPECTED" in screened.stdout and "NIKE" in screened.stdout
    held = run(
        home,
        "ipr",
        "hold",
        str(declaration_id),
        "1",
        str(recording_id),
        "--reason",
        "6 USD a pair",
        "--as",
        "officer",
        "--json",
    )
    assert held.returncode == 0, held.stderr
    hold = json.loads(held.stdout)
    listed = run(home, "ipr", "holds", "--as", "swoosh")
    assert f"{declaration_id}/1" in listed.stdout and "awaiting_right_holder" in listed.stdout

    too_little = run(home, "ipr", "answer", str(hold["id"]), "--confirm", "--security", "0", "--as", "swoosh")
    assert too_little.returncode == 1 and "/security_krw" in too_little.stderr
    security = str(int(float(hold["required_security_krw"])))
    confirmed = run(
        home, "ipr", "answer", str(hold["id"]), "--confirm", "--security", security, "--as", "swoosh"
    )
    assert confirmed.returncode == 0 and "confirmed" in confirmed.stdout, confirmed.stderr
    seized = run(home, "ipr", "decide", str(hold["id"]), "seize", "--note", "counterfeit", "--as", "officer")
    assert seized.returncode == 0 and "seized" in seized.stdout
    stats = json.loads(run(home, "ipr", "stats", "--as", "officer").stdout)
    assert stats["by_mark"] == {"NIKE": 1}


def test_refusals_are_readable(home: Path, tmp_path: Path) -> None:  # noqa: F811
    bad = tmp_path / "apple.json"
    bad.write_text(
        json.dumps(
            {
                **NIKE,
                "registration_number": "40-5550002",
                "marks": ["APPLE"],
                "hs_scopes": ["08"],
                "price_bands": [],
            }
        ),
        encoding="utf-8",
    )
    result = run(home, "ipr", "record", str(bad), "--as", "trader")
    assert result.returncode == 1 and "right_holder" in result.stderr and "Traceback" not in result.stderr
    missing = run(home, "ipr", "decide", "999999", "seize", "--note", "x", "--as", "officer")
    assert missing.returncode == 1 and "no hold 999999" in missing.stderr
