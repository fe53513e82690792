"""Shared fixtures.

Database tests run on SQLite always and also on PostgreSQL when ``CLEARWAY_TEST_DATABASE_URL`` is set (CI sets
it). Each backend's database is built once per session by the real Alembic migrations; between tests every
table except the identity tables is emptied, so the seeded companies, users and tokens are reused (argon2 is
deliberately slow).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import settings as hypothesis_settings
from sqlalchemy import text
from sqlalchemy.engine import Engine

from clearway.app import create_app
from clearway.config import Settings
from clearway.db import Base, make_engine, scratch_database
from clearway.declaration.steps import FilingSteps
from clearway.demo.parties import COMPANIES, MANDATES, USERS
from clearway.identity import service as identity
from clearway.migrate import upgrade
from clearway.party.models import Mandate
from clearway.runtime import Runtime, build_runtime
from clearway.schema import import_all_models
from clearway.uow import unit_of_work

# Property tests assert behaviour, never speed: no per-example deadline (a busy machine is not a failure).
hypothesis_settings.register_profile("clearway", deadline=None)
hypothesis_settings.load_profile("clearway")

PG_ENV = "CLEARWAY_TEST_DATABASE_URL"

# The fast target is `pytest -m "not slow and not browser"` (README, "Tests"). A test is `browser` when it lives
# in tests/e2e, and `slow` when it uses one of these fixtures, which train a model for the session; modules mark
# their other slow tests themselves (`pytestmark = pytest.mark.slow`: the CLI's end-to-end runs).
SLOW_FIXTURES = {"tiny_model", "tiny_models", "tiny_model_folder"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    root = Path(__file__).parent
    for item in items:
        parts = item.path.relative_to(root).parts if item.path.is_relative_to(root) else ()
        if parts[:1] == ("e2e",):
            item.add_marker(pytest.mark.browser)
        elif SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


KEEP_TABLES = {"company", "app_user", "api_token", "alembic_version", "audit_chain_head"}


def _backends() -> list[str]:
    return ["sqlite", "postgresql"] if os.environ.get(PG_ENV) else ["sqlite"]


class Clock:
    """A settable clock; starts at a fixed moment so tests are reproducible."""

    def __init__(self, start: datetime = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@dataclass
class Database:
    backend: str
    url: str
    engine: Engine


@pytest.fixture(scope="session", params=_backends())
def database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'clearway.sqlite3'}"
    else:
        # A database of our own beside the one CI names, so parallel workers never share one.
        url = scratch_database(os.environ[PG_ENV], f"cw_{worker}")
    upgrade(url)
    engine = make_engine(url)
    _seed_identity(engine)
    yield Database(request.param, url, engine)
    engine.dispose()


def _seed_identity(engine: Engine) -> None:
    factory = build_runtime(Settings(home=Path("/tmp")), engine=engine).sessions
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with unit_of_work(factory) as session:
        ids = {}
        for c in COMPANIES:
            company = identity.create_company(session, name=c.name, kind=c.kind, brn=c.brn, now=now)
            company.customs_code = c.customs_code
            ids[c.key] = company.id
        for u in USERS:
            identity.create_user(
                session,
                username=u.username,
                password=u.password,
                role=u.role,
                company_id=ids[u.company],
                display_name=u.display_name,
                now=now,
            )


def _seed_mandates(engine: Engine) -> None:
    """The demo mandates (emptied with the other tables between tests, so a test may revoke one)."""
    with engine.begin() as conn:
        rows = conn.execute(text("SELECT brn, id FROM company WHERE brn IS NOT NULL"))
        companies = {brn: company_id for brn, company_id in rows}
        admin = conn.execute(text("SELECT id FROM app_user WHERE username = 'admin'")).scalar_one()
        by_key = {c.key: companies[c.brn] for c in COMPANIES if c.brn}
        conn.execute(
            Mandate.__table__.insert(),
            [
                {
                    "broker_company_id": by_key[m.broker],
                    "client_company_id": by_key[m.client],
                    "scope": m.scope,
                    "valid_from": m.valid_from,
                    "valid_to": m.valid_to,
                    "recorded_by": admin,
                    "recorded_at": datetime(2026, 1, 1, tzinfo=UTC),
                }
                for m in MANDATES
            ],
        )


def _empty(engine: Engine) -> None:
    import_all_models()
    tables = [t for t in reversed(Base.metadata.sorted_tables) if t.name not in KEEP_TABLES]
    with engine.begin() as conn:
        for table in tables:
            conn.execute(table.delete())
        conn.execute(text("UPDATE audit_chain_head SET last_seq = 0, last_hash = :h"), {"h": "0" * 64})


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def steps() -> FilingSteps:
    """The filing steps the runtime uses; override in a test module to plug in another step."""
    return FilingSteps()


@pytest.fixture
def runtime(database: Database, clock: Clock, steps: FilingSteps, tmp_path: Path) -> Iterator[Runtime]:
    _empty(database.engine)
    _seed_mandates(database.engine)
    # The outbox relay is driven by the tests themselves (relay_once), not by a background thread.
    settings = Settings(
        home=tmp_path, database_url=database.url, max_body_bytes=8 * 1024 * 1024, inprocess_worker=False
    )
    rt = build_runtime(settings, clock=clock, steps=steps, engine=database.engine)
    yield rt


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(
        create_app(runtime.settings, runtime=_no_dispose(runtime)), raise_server_exceptions=False
    ) as c:
        yield c


def _no_dispose(runtime: Runtime) -> Runtime:
    """The engine is shared by the whole session; the app must not dispose of it on shutdown."""
    runtime.close = lambda: None  # type: ignore[method-assign]
    return runtime


@pytest.fixture(scope="session")
def tokens(database: Database) -> dict[str, str]:
    """A bearer token for each demo user (username → token)."""
    factory = build_runtime(Settings(home=Path("/tmp")), engine=database.engine).sessions
    out = {}
    with unit_of_work(factory) as session:
        for u in USERS:
            user = identity.user_by_username(session, u.username)
            out[u.username] = identity.issue_token(
                session, user=user, now=datetime.now(UTC), name="tests", ttl=timedelta(days=3650)
            )  # tests move the clock by months
    return out


@pytest.fixture
def auth(tokens: dict[str, str]):  # type: ignore[no-untyped-def]
    """``auth("trader")`` → headers carrying that user's bearer token."""
    return lambda username: {"Authorization": f"Bearer {tokens[username]}"}


@pytest.fixture
def unique() -> str:
    return uuid.uuid4().hex[:8]
