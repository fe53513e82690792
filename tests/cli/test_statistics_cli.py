"""``clearway statistics`` as an operator runs it: the refresh job applies only what changed, queries print
JSON or write CSV/Parquet files, a wrong option gets a readable error."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from sqlalchemy import select

from clearway.assessment.step import TariffAssessment
from clearway.config import Settings
from clearway.declaration.steps import FilingSteps
from clearway.demo.run import principal_of, seed
from clearway.identity.models import User
from clearway.migrate import upgrade
from clearway.runtime import build_runtime
from clearway.tariff.service import load_demo_tariff
from clearway.uow import unit_of_work
from tests.cli.test_cli import run
from tests.documents import daehan_declaration, import_declaration
from tests.steps import FixedLane

NOW = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)


def _file(home: Path, documents: list[tuple[str, dict]]) -> None:  # type: ignore[type-arg]
    settings = Settings(home=home, inprocess_worker=False)
    steps = FilingSteps(lane_selector=FixedLane(), assessment=TariffAssessment())
    runtime = build_runtime(settings, steps=steps, clock=lambda: NOW)
    with unit_of_work(runtime.sessions) as session:
        for username, document in documents:
            user = session.scalars(select(User).where(User.username == username)).one()
            runtime.declarations.file(session, principal_of(user), document)
    runtime.close()


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("statistics-cli")
    settings = Settings(home=home, inprocess_worker=False)
    upgrade(settings.resolved_database_url)
    runtime = build_runtime(settings)
    with unit_of_work(runtime.sessions) as session:
        seed(session, runtime)
        load_demo_tariff(session, now=NOW)
    runtime.close()
    _file(home, [("trader", import_declaration("SC-1")), ("trader2", daehan_declaration("SC-2"))])
    return home


def test_refresh_then_query_and_export(home: Path, tmp_path: Path) -> None:
    first = run(home, "statistics", "refresh", "--json")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["changed"] == 2
    again = run(home, "statistics", "refresh")
    assert again.returncode == 0 and "0 changed" in again.stdout

    answer = run(home, "statistics", "query", "--group", "hs4")
    assert answer.returncode == 0, answer.stderr
    (cell,) = json.loads(answer.stdout)["items"]
    assert cell["key"] == "8471" and cell["declarations"] == 2 and cell["suppressed"] is False
    published = json.loads(run(home, "statistics", "query", "--group", "hs4", "--published").stdout)
    assert published["items"][0]["suppressed"] is True  # two companies: below the rule's three

    out = tmp_path / "by-country.parquet"
    written = run(home, "statistics", "query", "--group", "country", "--output", str(out))
    assert written.returncode == 0 and "1 groups written" in written.stdout
    assert pq.read_table(out).to_pylist()[0]["key"] == "CN"
    csv_out = tmp_path / "by-month.csv"
    assert run(home, "statistics", "query", "--group", "month", "--output", str(csv_out)).returncode == 0
    assert csv_out.read_text("utf-8").splitlines()[1].startswith("2026-11,2,False,2,")

    _file(home, [("trader", import_declaration("SC-3"))])
    third = json.loads(run(home, "statistics", "refresh", "--json").stdout)
    assert third["changed"] == 1 and third["declarations_counted"] == 3


def test_a_wrong_group_is_a_readable_error(home: Path) -> None:
    result = run(home, "statistics", "query", "--group", "colour")
    assert result.returncode != 0
    assert "/group" in result.stdout + result.stderr and "Traceback" not in result.stderr
