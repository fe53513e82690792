"""``clearway origin certificate register-eco`` / ``list`` and ``case list`` / ``show`` through Typer's runner, on
the tests' database: an e-CO registered from a JSON file is listed for its company (with what is left to draw) and
for customs, not for another company; an invalid one is refused field by field and nothing is stored; a
verification case is shown to the declarant without the officer's grounds, to customs whole."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clearway.origin.cli import app
from clearway.runtime import Runtime
from tests.integration.origin.test_electronic_certificates import (  # noqa: F401 - steps: the fixture
    API,
    ECO,
    NUMBER,
    file,
    ovens,
    register,
    steps,
)
from tests.integration.tariff_fixtures import demo_tariff  # noqa: F401 - the shared fixture

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


@pytest.mark.usefixtures("demo_tariff", "on_test_database")
def test_the_case_cli_shows_a_declarant_its_view_and_customs_the_whole_case(client, auth):  # type: ignore[no-untyped-def]
    def run(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, ["case", *args], catch_exceptions=False)

    certificate_id = register(client, auth).json()["id"]
    filed = file(client, auth, ovens("OV-1", "300"))
    grounds = "the producer's capacity does not match the quantities certified this year"
    case = client.post(
        f"{API}/origin/verification-cases",
        json={"certificate_id": certificate_id, "grounds": grounds},
        headers=auth("officer"),
    ).json()
    declaration = str(filed["id"])

    listed = run("list", "--as", "trader", "--declaration", declaration, "--json")
    assert listed.exit_code == 0, listed.output
    (seen,) = json.loads(listed.output)
    assert seen["id"] == case["id"] and seen["status"] == "open" and "grounds" not in seen
    shown = run("show", str(case["id"]), "--as", "trader", "--declaration", declaration)
    assert shown.exit_code == 0 and "status: open" in shown.output and grounds not in shown.output
    # a declarant must name its declaration; another company's is not found
    assert run("list", "--as", "trader").exit_code == 2
    other = run("list", "--as", "trader2", "--declaration", declaration)
    assert other.exit_code == 2 and "not found" in other.output.lower()
    # customs: every case, whole
    (full,) = json.loads(run("list", "--as", "officer", "--json").output)
    assert full["grounds"] == grounds
    assert grounds in run("show", str(case["id"]), "--as", "officer").output
