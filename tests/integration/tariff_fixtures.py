"""Shared by the tariff and assessment integration tests (imported by their conftest files)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import delete
from sqlalchemy.orm import Session, sessionmaker

from clearway.db import make_session_factory
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
