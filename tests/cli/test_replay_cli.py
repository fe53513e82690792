"""Replay reproduces the demo's declarations exactly: the demo's story is run (a week of history without a model,
then a model trained on the officers' findings and promoted), every declaration is replayed from its decision
receipt, and ``clearway replay`` prints the comparison with its exit code (0 identical, 1 different, 2 cannot)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from clearway.audit.service import Actor
from clearway.cli.common import acting_user
from clearway.config import Settings
from clearway.declaration.models import Declaration, DeclarationVersion
from clearway.demo.run import DemoClock, walk
from clearway.migrate import upgrade
from clearway.receipts import core, service
from clearway.runtime import build_runtime
from clearway.tariff import service as tariff
from clearway.uow import unit_of_work
from tests.cli.test_cli import run

pytestmark = pytest.mark.slow  # runs the demo and the CLI as processes

PRETRAINED = Path(__file__).resolve().parents[2] / "var" / "models" / "risk" / "kcs-pretrained.json.gz"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("replay-cli")
    settings = Settings(home=home, inprocess_worker=False)
    if PRETRAINED.exists():  # the model set-up builds; without it the demo trains it again (slower)
        (settings.models_dir / "risk").mkdir(parents=True)
        shutil.copy(PRETRAINED, settings.models_dir / "risk" / PRETRAINED.name)
    upgrade(settings.resolved_database_url)
    runtime = build_runtime(settings, clock=DemoClock())
    walk(runtime, 24)
    runtime.close()
    return home


def test_every_demo_declaration_replays_exactly(home: Path) -> None:
    settings = Settings(home=home, inprocess_worker=False)
    runtime = build_runtime(settings)
    key = core.signing_key(settings.secret_key)
    scored = unscored = 0
    with unit_of_work(runtime.sessions) as session:
        officer = acting_user(session, "officer")
        rows = session.execute(
            select(Declaration.id, DeclarationVersion.version).join(
                DeclarationVersion, DeclarationVersion.declaration_id == Declaration.id
            )
        ).all()
        assert len(rows) >= 24
        for declaration_id, version in rows:
            result = service.replay(
                runtime.declarations,
                session,
                officer,
                declaration_id,
                key=key,
                models_dir=settings.models_dir,
                version=version,
            )
            assert result.identical, (declaration_id, version, result.differences)
            score = next(c for c in result.checks if c.item == "score")
            if score.recorded is None:
                unscored += 1
            else:
                scored += 1
    runtime.close()
    assert scored and unscored  # both halves of the story: before and after the model was promoted


def test_clearway_replay_prints_the_comparison_and_exits_by_the_result(home: Path) -> None:
    settings = Settings(home=home, inprocess_worker=False)
    runtime = build_runtime(settings)
    with unit_of_work(runtime.sessions) as session:
        latest = session.scalars(select(Declaration).order_by(Declaration.id.desc())).first()
        assert latest is not None
        number, filed_on = f"CW-{latest.filed_on:%y}-{latest.id:08d}", latest.filed_on
    runtime.close()

    same = run(home, "replay", number, "--as", "officer")
    assert same.returncode == 0, same.stdout + same.stderr
    assert "identical" in same.stdout and "total due (KRW)" in same.stdout and "score" in same.stdout

    runtime = build_runtime(settings)
    with unit_of_work(runtime.sessions) as session:  # VAT corrected from before the filing date
        tariff.set_parameter(
            session,
            key="vat.rate_pct",
            value={"decimal": "12"},
            valid_from=date(filed_on.year, filed_on.month, 1),
            now=runtime.clock(),
            actor=Actor("admin"),
            note="replay test",
        )
    runtime.close()
    changed = run(home, "replay", number, "--as", "officer")
    assert changed.returncode == 1, changed.stdout + changed.stderr
    assert "different" in changed.stdout and "parameters: was sha256:" in changed.stdout

    assert run(home, "replay", "CW-26-99999999", "--as", "officer").returncode == 2
    trader = run(home, "replay", number, "--as", "trader")  # replay is for customs
    assert trader.returncode == 2 and "risk:read" in trader.stderr
    bad = run(home, "replay", "not-a-number", "--as", "officer")
    assert bad.returncode == 2 and "bad_number" in bad.stderr
