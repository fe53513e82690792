"""Right holders for the IPR tests: two brand owners, each with a right-holder user and a bearer token."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from clearway.config import Settings
from clearway.declaration.steps import FilingSteps
from clearway.identity import service as identity
from clearway.identity.core import Role
from clearway.identity.models import Company
from clearway.ipr.step import IprAdvisor
from clearway.runtime import build_runtime
from clearway.uow import unit_of_work
from tests.conftest import Database
from tests.steps import FixedLane

HOLDERS = {
    "nikeholder": "Swoosh Brand Korea (demo right holder)",
    "otherholder": "Stripes Brand Korea (demo right holder)",
}


@pytest.fixture(scope="session")
def holder_tokens(database: Database) -> dict[str, str]:
    factory = build_runtime(Settings(home=Path("/tmp")), engine=database.engine).sessions
    now = datetime(2026, 1, 1, tzinfo=UTC)
    out = {}
    with unit_of_work(factory) as session:
        for username, name in HOLDERS.items():
            company = session.scalars(select(Company).where(Company.name == name)).first()
            if company is None:
                company = identity.create_company(session, name=name, kind="trader", brn=None, now=now)
                identity.create_user(
                    session,
                    username=username,
                    password="holder-demo-2026",
                    role=Role.RIGHT_HOLDER,
                    company_id=company.id,
                    now=now,
                )
            user = identity.user_by_username(session, username)
            out[username] = identity.issue_token(session, user=user, now=datetime.now(UTC), name="tests")
    return out


@pytest.fixture
def lanes() -> FixedLane:
    return FixedLane()


@pytest.fixture
def steps(lanes: FixedLane) -> FilingSteps:
    return FilingSteps(advisors=(IprAdvisor(),), lane_selector=lanes)


@pytest.fixture
def as_user(auth, holder_tokens):  # type: ignore[no-untyped-def]
    """Headers for a demo user or a right holder."""
    return lambda name: (
        {"Authorization": f"Bearer {holder_tokens[name]}"} if name in holder_tokens else auth(name)
    )
