"""A second country pack: the UK Online Tariff, read into the same measure model as the Korean tariff.

The input is a commodity document of the UK Trade Tariff API as the HMRC/DBT duty calculator receives it
(``data/tariff/uk/commodity_7202118000.json``, a test fixture of trade-tariff-duty-calculator, MIT). Each
import measure becomes a :class:`~clearway.tariff.measures.Measure`: measure type → ``rate_code``,
geographical area and exclusions, additional code, quota order number, validity, and its measure components
(duty expression ``01`` = a percentage or an amount per unit; ``04``/``19``/``20`` = "+ ..." terms summed).

The calculator asks the API for the commodity *filtered by the country of origin*, so every measure in such a
document already applies to that origin; :class:`UkCommodity` keeps the areas for display only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from clearway.tariff.measures import Combination, ComponentKind, DutyExpression, Measure, MeasureComponent

UK_SOURCE = "UK Online Tariff duty-calculator fixture (trade-tariff-duty-calculator, MIT)"
_PLUS = frozenset({"04", "19", "20"})


class UnsupportedExpression(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class UkMeasure:
    measure: Measure
    vat: bool
    excise: bool
    series: str | None
    area_description: str
    base_text: str  # the duty expression as the API writes it ("144.10 GBP / 1000 kg/biodiesel")

    @property
    def type_id(self) -> str:
        return self.measure.rate_code

    def all_zero(self) -> bool:
        return all(c.amount == 0 for c in self.measure.expression.components)


@dataclass(frozen=True, slots=True)
class UkCommodity:
    code: str
    description: str
    measures: tuple[UkMeasure, ...]
    unit_questions: dict[str, dict[str, Any]]


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text[:10]) if text else None


def _expression(components: list[dict[str, Any]]) -> DutyExpression:
    parts: list[MeasureComponent] = []
    for c in components:
        expression_id = c.get("duty_expression_id")
        if expression_id not in ("01", *_PLUS):
            raise UnsupportedExpression(f"duty expression {expression_id} is not supported")
        amount = Decimal(str(c["duty_amount"]))
        if c.get("monetary_unit_code"):
            parts.append(
                MeasureComponent(
                    ComponentKind.SPECIFIC,
                    amount,
                    c["monetary_unit_code"],
                    c.get("measurement_unit_code"),
                    c.get("measurement_unit_qualifier_code"),
                )
            )
        else:
            parts.append(MeasureComponent(ComponentKind.AD_VALOREM, amount))
    return DutyExpression(tuple(parts), Combination.SUM if len(parts) > 1 else Combination.SINGLE)


def parse_commodity(document: dict[str, Any]) -> UkCommodity:
    code = document["goods_nomenclature_item_id"]
    measures = []
    for m in document["import_measures"]:
        area = m["geographical_area"]
        measure_type = m["measure_type"]
        additional = m.get("additional_code") or {}
        order = m.get("order_number") or {}
        measure = Measure(
            commodity_code=code,
            rate_code=str(measure_type["id"]),
            expression=_expression(m["measure_components"]),
            valid_from=_date(m["effective_start_date"]) or date.min,
            valid_to=_date(m.get("effective_end_date")),
            geo_area=str(area["id"]),
            excluded=frozenset(c["id"] for c in m.get("excluded_countries") or ()),
            order_number=order.get("number"),
            additional_code=additional.get("code"),
            source=UK_SOURCE,
            sid=int(m["id"]),
            description=measure_type.get("description"),
        )
        measures.append(
            UkMeasure(
                measure,
                bool(m.get("vat")),
                bool(m.get("excise")),
                measure_type.get("measure_type_series_id"),
                area.get("description", ""),
                m["duty_expression"]["base"],
            )
        )
    units = (document.get("meta") or {}).get("duty_calculator", {}).get("applicable_measure_units", {})
    return UkCommodity(code, document.get("description", ""), tuple(measures), units)


def _read(name: str) -> str:
    return resources.files("clearway.data").joinpath("tariff", "uk", name).read_text("utf-8")


@cache
def fixture_commodity() -> UkCommodity:
    """The bundled fixture: UK commodity 7202118000 (ferro-manganese)."""
    return parse_commodity(json.loads(_read("commodity_7202118000.json")))


@cache
def fixture_schemes() -> tuple[dict[str, Any], ...]:
    """The rules-of-origin schemes the calculator's spec is given (a stub answering every origin)."""
    return tuple(json.loads(_read("rules_of_origin_schemes.json")))


def fixture_expected() -> dict[str, Any]:
    return json.loads(_read("expected_duty_calculator_7202118000.json"))
