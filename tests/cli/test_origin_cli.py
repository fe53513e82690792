"""``clearway origin certificate register-eco`` / ``list`` through Typer's runner, on the tests' database: an
e-CO registered from a JSON file is listed for its company (with what is left to draw) and for customs, not for
another company; an invalid one is refused field by field and nothing is stored."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clearway.origin.cli import app
from clearway.runtime import Runtime
from tests.integration.origin.test_electronic_certificates import ECO, NUMBER

runner = CliRunner()


@pytest.fixture
def on_test_database(runtime: Runtime, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The CLI builds its runtime from the environment: point it at the tests' (emptied) database."""
    monkeypatch.setenv("CLEARWAY_DATABASE_URL", runtime.settings.database_url)
    monkeypatch.setenv("CLEARWAY_HOME", str(tmp_path))
    monkeypatch.setenv("CLEARWAY_INPROCESS_WORKER", "false")
    monkeypatch.setenv("COLUMNS", "200")


def write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_an_e_co_file_is_registered_and_listed_for_its_company(on_test_database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    file = write(tmp_path, "eco.json", ECO)
    registered = runner.invoke(app, ["certificate", "register-eco", str(file), "--as", "trader"])
    assert registered.exit_code == 0, registered.output
    assert f"registered {NUMBER} under KR-CN" in registered.output and "left 500 U" in registered.output

    listed = runner.invoke(app, ["certificate", "list", "--as", "trader", "--json"])
    assert listed.exit_code == 0, listed.output
    [certificate] = json.loads(listed.output)
    assert certificate["reference"] == NUMBER and certificate["channel"] == "electronic"
    assert certificate["drawdown"][0]["left"] == "500.0000"
    table = runner.invoke(app, ["certificate", "list", "--as", "officer"])
    assert NUMBER in table.output and "500 U" in table.output
    other = runner.invoke(app, ["certificate", "list", "--as", "trader2"])
    assert other.exit_code == 0 and "no certificate of origin" in other.output

    again = runner.invoke(app, ["certificate", "register-eco", str(file), "--as", "trader"])
    assert again.exit_code == 2 and "already registered" in again.output


def test_an_invalid_e_co_is_refused_field_by_field(on_test_database, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    wrong = copy.deepcopy(ECO)
    wrong["importer"]["country"] = "JP"
    file = write(tmp_path, "wrong.json", wrong)
    refused = runner.invoke(app, ["certificate", "register-eco", str(file), "--as", "trader"])
    assert refused.exit_code == 2
    assert "/importer/country" in refused.output and "Korean importer" in refused.output
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    assert runner.invoke(app, ["certificate", "register-eco", str(broken), "--as", "trader"]).exit_code == 2
    listed = runner.invoke(app, ["certificate", "list", "--as", "trader"])
    assert "no certificate of origin" in listed.output
