"""Everything the assessment engine reads from the tariff, in memory: one value, no session.

The service builds a snapshot from the database for the codes and dates a request needs
(:func:`clearway.tariff.service.snapshot_for`); tests and benchmarks build one directly from bundled or
synthetic data with :func:`make_snapshot`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from clearway.tariff.exchange import ExchangeRate, ExchangeRateTable
from clearway.tariff.geography import Geography, bundled_geography
from clearway.tariff.internal_tax import InternalTaxIndex, InternalTaxRule
from clearway.tariff.measures import Measure, TariffIndex
from clearway.tariff.nomenclature import Nomenclature, bundled_nomenclature
from clearway.tariff.parameters import Parameter, ParameterTable
from clearway.tariff.priority import RatePriority, bundled_priority


@dataclass
class TariffSnapshot:
    measures: TariffIndex
    internal_taxes: InternalTaxIndex
    exchange_rates: ExchangeRateTable
    parameters: ParameterTable
    nomenclature: Nomenclature
    priority: RatePriority = field(default_factory=bundled_priority)
    geography: Geography = field(default_factory=bundled_geography)
    currency: str = "KRW"
    _checks: dict[tuple[str, date], tuple[str, str] | None] = field(default_factory=dict, repr=False)
    # content fingerprints by (commodity code or "" for the parameters, date), memoised for decision receipts
    fingerprints: dict[tuple[str, date], str] = field(default_factory=dict, repr=False)

    def check_code(self, code: str, on: date) -> tuple[str, str] | None:
        """The nomenclature check of ``code`` on ``on`` (memoised: a batch repeats the same codes)."""
        key = (code, on)
        try:
            return self._checks[key]
        except KeyError:
            found = self._checks[key] = self.nomenclature.check(code, on)
            return found


def make_snapshot(
    *,
    measures: Iterable[Measure] = (),
    internal_taxes: Iterable[InternalTaxRule] = (),
    exchange_rates: Iterable[ExchangeRate] = (),
    parameters: Iterable[Parameter] = (),
    nomenclature: Nomenclature | None = None,
    priority: RatePriority | None = None,
    geography: Geography | None = None,
) -> TariffSnapshot:
    return TariffSnapshot(
        measures=TariffIndex.of(measures),
        internal_taxes=InternalTaxIndex.of(internal_taxes),
        exchange_rates=ExchangeRateTable.of(exchange_rates),
        parameters=ParameterTable.of(parameters),
        nomenclature=nomenclature if nomenclature is not None else bundled_nomenclature(),
        priority=priority if priority is not None else bundled_priority(),
        geography=geography if geography is not None else bundled_geography(),
    )
