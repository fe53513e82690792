"""Shared by the origin integration tests that file declarations against the demo tariff."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import delete

from clearway.tariff import service as tariff
from clearway.tariff.models import (
    TariffExchangeRate,
    TariffInternalTaxRule,
    TariffMeasure,
    TariffParameter,
    TariffSource,
)
from clearway.uow import unit_of_work

LOADED_AT = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)


@pytest.fixture
def demo_tariff(runtime):  # type: ignore[no-untyped-def]
    """The demo tariff alone in the tariff tables."""
    with unit_of_work(runtime.sessions) as session:
        for table in (
            TariffMeasure,
            TariffInternalTaxRule,
            TariffExchangeRate,
            TariffParameter,
            TariffSource,
        ):
            session.execute(delete(table))
        tariff.load_demo_tariff(session, now=LOADED_AT)
