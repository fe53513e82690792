"""The real Korean tariff data bundled with Clearway (``clearway/data/tariff/korea``; see its SOURCES.md).

* ``rates/quota_p3_periods.csv`` — 할당관세(전량) P3 rates 2007–2026 per HSK code, from KCS data as processed
  by pilsunchoi/KCSTARIFF (KOGL Type 1, attribution required: :data:`KCS_ATTRIBUTION`);
* ``vkfta_kr_schedule_sectionA_sample.csv`` — 54 lines of the Korea–Vietnam FTA Korea schedule (base rates,
  HS2012), kept as reference rates, never applied;
* ``kr_tariff_rate_priority.csv`` — the rate priority (see :mod:`clearway.tariff.priority`);
* ``kr_parameters.json`` and ``kr_internal_tax_rules.json`` — assessment parameters and internal-tax rules
  compiled for the engine (statuses inside).

This is not the full tariff: the basic (A), WTO (C) and FTA rates of other codes come from the official KCS
file (``clearway tariff load``).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from clearway.tariff.internal_tax import InternalTaxRule, parse_rules_json
from clearway.tariff.loaders import parse_quota_p3, parse_vkfta_sample
from clearway.tariff.measures import Measure
from clearway.tariff.parameters import Parameter, parse_parameters_json

KCS_ATTRIBUTION = (
    "출처: 관세청 관세법령정보포털 관세율표 / 공공데이터포털 관세청_품목번호별 관세율표(15051179); "
    "가공: pilsunchoi/KCSTARIFF (KOGL Type 1). 10-digit rates are for reference only and have no legal effect."
)
QUOTA_SOURCE = "KCS 할당관세 P3 2007-2026 via pilsunchoi/KCSTARIFF (KOGL Type 1)"
VKFTA_SOURCE = "Korea-Vietnam FTA Annex 2-A Korea schedule, Section A sample (base rates, HS2012)"
PARAMETERS_SOURCE = "Clearway bundled parameters (kr_parameters.json)"
INTERNAL_TAX_SOURCE = "Clearway bundled internal-tax rules (kr_internal_tax_rules.json)"


def _read(*parts: str) -> str:
    return resources.files("clearway.data").joinpath("tariff", "korea", *parts).read_text("utf-8")


@cache
def quota_measures() -> tuple[Measure, ...]:
    return tuple(parse_quota_p3(_read("rates", "quota_p3_periods.csv"), source=QUOTA_SOURCE))


@cache
def vkfta_reference_measures() -> tuple[Measure, ...]:
    return tuple(parse_vkfta_sample(_read("vkfta_kr_schedule_sectionA_sample.csv"), source=VKFTA_SOURCE))


@cache
def parameters() -> tuple[Parameter, ...]:
    return tuple(parse_parameters_json(_read("kr_parameters.json")))


@cache
def internal_tax_rules() -> tuple[InternalTaxRule, ...]:
    return tuple(parse_rules_json(_read("kr_internal_tax_rules.json")))


def real_measures() -> list[Measure]:
    """Every bundled real rate measure (quota P3 and VKFTA reference lines)."""
    return [*quota_measures(), *vkfta_reference_measures()]
