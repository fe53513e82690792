"""Shared by the integration tests that need the tariff tables (imported by their conftest files)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete
from sqlalchemy.orm import Session, sessionmaker

from clearway.db import make_session_factory
from clearway.tariff import service as tariff
from clearway.tariff.models import (
    TariffExchangeRate,
    TariffGeneration,
    TariffInternalTaxRule,
    TariffMeasure,
    TariffParameter,
    TariffSource,
)
from clearway.uow import unit_of_work


@pytest.fixture
def tariff_sessions(database) -> Iterator[sessionmaker[Session]]:  # type: ignore[no-untyped-def]
    """A session factory on the migrated test database, with the tariff tables emptied."""
    factory = make_session_factory(database.engine)
    with unit_of_work(factory) as session:
        for table in (
            TariffMeasure,
            TariffInternalTaxRule,
            TariffExchangeRate,
            TariffParameter,
            TariffSource,
            TariffGeneration,
        ):
            session.execute(delete(table))
    yield factory


DEMO_LOADED_AT = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)


@pytest.fixture
def demo_tariff(runtime):  # type: ignore[no-untyped-def]
    """The demo tariff alone in the tariff tables of the running application."""
    with unit_of_work(runtime.sessions) as session:
        for table in (
            TariffMeasure,
            TariffInternalTaxRule,
            TariffExchangeRate,
            TariffParameter,
            TariffSource,
        ):
            session.execute(delete(table))
        tariff.load_demo_tariff(session, now=DEMO_LOADED_AT)
