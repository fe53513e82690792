"""UK duty options from the UK country pack, with the shared valuation and duty-expression evaluator.

The UK calculator shows one option per applicable duty measure rather than applying a rate priority:
third-country duty (103/105), tariff preference (142/145/106), quota (122/123/143/146), suspension
(112/115/117/119). Each option adds the additional duties (safeguard 695/696, anti-dumping 551/552,
countervailing 553/554; quota options leave out the 696 safeguard) and VAT on customs value + all duties.
Amounts are exact; the rows show them to 2 decimal places (half up), as the calculator does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from clearway.tariff.duty import DutyResult, evaluate
from clearway.tariff.measures import ComponentKind
from clearway.tariff.uk import UkCommodity, UkMeasure

CENT = Decimal("0.01")

OPTION_TYPES: dict[str, tuple[str, str | None, int, str]] = {
    # measure type: (option type, category, priority, row label)
    "103": ("third_country_tariff", None, 1, "import_duty third-country"),
    "105": ("third_country_tariff", None, 1, "import_duty third-country"),
    "142": ("tariff_preference", None, 2, "import_duty tariff preference"),
    "145": ("tariff_preference", None, 2, "import_duty tariff preference"),
    "106": ("tariff_preference", None, 2, "import_duty tariff preference"),
    "122": ("non_preferential", "quota", 3, "import_duty non-preferential quota"),
    "123": ("non_preferential_end_use", "quota", 3, "import_duty non-preferential quota (end use)"),
    "143": ("preferential", "quota", 3, "import_duty preferential quota"),
    "146": ("preferential_end_use", "quota", 3, "import_duty preferential quota (end use)"),
    "112": ("autonomous", "suspension", 3, "import_duty autonomous suspension"),
    "115": ("autonomous_end_use", "suspension", 3, "import_duty autonomous suspension (end use)"),
    "117": ("certain_category_goods", "suspension", 3, "import_duty suspension (ships/platforms)"),
    "119": ("airworthiness", "suspension", 3, "import_duty suspension (airworthiness)"),
}
ADDITIONAL_TYPES: dict[str, str] = {
    "696": "additional duties (safeguard) 696",
    "695": "additional duties 695",
    "551": "provisional anti-dumping 551",
    "552": "definitive anti-dumping 552",
    "553": "provisional countervailing 553",
    "554": "definitive countervailing 554",
}
VAT_TYPES = {"VTS": "VAT standard rate", "305": "VAT"}
SAFEGUARD_EXCLUDED_FROM_QUOTA = "696"
WAIVER_PRIORITY = 10


@dataclass(frozen=True, slots=True)
class UkInputs:
    origin: str
    destination: str  # "GB" or "XI" (Northern Ireland)
    goods_value: Decimal
    shipping: Decimal
    insurance: Decimal
    currency: str
    quantities: dict[str, Decimal] = field(default_factory=dict)  # e.g. {"TNEI": 2}
    additional_codes: dict[str, str] = field(default_factory=dict)  # measure type → chosen additional code


@dataclass(slots=True)
class Row:
    label: str
    calculation: str | None
    exact: Decimal

    @property
    def shown(self) -> Decimal:
        return self.exact.quantize(CENT, ROUND_HALF_UP)


@dataclass(slots=True)
class UkOption:
    type: str
    category: str | None
    priority: int
    measure: UkMeasure | None
    rows: list[Row]
    value: Decimal | None  # the option's own duty, exact
    scheme_code: str | None = None

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "type": self.type,
            "priority": self.priority,
            "value": None if self.value is None else str(self.value),
        }
        if self.category:
            d["category"] = self.category
        if self.measure is not None:
            d["measure_sid"] = self.measure.measure.sid
            d["measure_type_id"] = self.measure.type_id
            if self.measure.measure.order_number:
                d["order_number"] = self.measure.measure.order_number
        if self.scheme_code:
            d["scheme_code"] = self.scheme_code
        d["rows"] = [[r.label, r.calculation, str(r.shown)] for r in self.rows]
        return d


def _money(value: Decimal) -> str:
    return f"{value.quantize(CENT, ROUND_HALF_UP):f}"


def _calculation(m: UkMeasure, result: DutyResult, value: Decimal) -> str:
    texts = []
    for part in result.parts:
        c = part.component
        if c.kind is ComponentKind.AD_VALOREM:
            texts.append(f"{_money(c.amount)}% * {_money(value)}")
        else:
            unit = m.base_text.split(" / ", 1)[1] if " / " in m.base_text else f"{c.unit}{c.qualifier or ''}"
            texts.append(f"{_money(c.amount)} {c.currency} / {unit} x {part.base.normalize():f}")
    return " + ".join(texts)


def duty_options(
    commodity: UkCommodity, inputs: UkInputs, schemes: tuple[dict[str, Any], ...] = ()
) -> list[UkOption]:
    value = inputs.goods_value + inputs.shipping + inputs.insurance

    def quantity_of(unit: str, qualifier: str | None) -> Decimal | None:
        return inputs.quantities.get(unit + (qualifier or ""))

    def to_working(currency: str) -> Decimal | None:
        return Decimal(1) if currency == inputs.currency else None

    def run(m: UkMeasure) -> DutyResult:
        return evaluate(m.measure.expression, value, quantity_of, to_working, inputs.currency)

    applicable = [
        m
        for m in commodity.measures
        if m.measure.additional_code is None
        or inputs.additional_codes.get(m.type_id) == m.measure.additional_code
    ]
    valuation = Row("valuation", "Value of goods + freight + insurance costs", value)
    additional: list[tuple[UkMeasure, Row]] = []
    for m in applicable:
        if m.type_id in ADDITIONAL_TYPES and not m.all_zero():
            result = run(m)
            label = ADDITIONAL_TYPES[m.type_id]
            if m.measure.additional_code:
                label += f" ({m.measure.additional_code})"
            additional.append((m, Row(label, _calculation(m, result, value), result.amount)))
    vat_measures = [m for m in applicable if m.vat and m.type_id in VAT_TYPES]

    options: list[UkOption] = []
    if inputs.origin == "GB" and inputs.destination == "XI":  # GB → Northern Ireland: the waiver route
        options.append(UkOption("waiver", "waiver", WAIVER_PRIORITY, None, [], None))
    for m in applicable:
        kind = OPTION_TYPES.get(m.type_id)
        if kind is None:
            continue
        option_type, category, priority, label = kind
        result = run(m)
        rows = [valuation, Row(label, _calculation(m, result, value), result.amount)]
        extra = [
            row
            for am, row in additional
            if not (category == "quota" and am.type_id == SAFEGUARD_EXCLUDED_FROM_QUOTA)
        ]
        rows += extra
        duties = result.amount + sum((r.exact for r in extra), Decimal(0))
        vat_total = Decimal(0)
        for v in vat_measures:
            base = value + duties
            vat_result = evaluate(v.measure.expression, base, quantity_of, to_working, inputs.currency)
            rows.append(Row(VAT_TYPES[v.type_id], _calculation(v, vat_result, base), vat_result.amount))
            vat_total += vat_result.amount
        rows.append(Row("duty total incl. VAT", None, duties + vat_total))
        scheme = schemes[0]["scheme_code"] if option_type == "tariff_preference" and schemes else None
        options.append(UkOption(option_type, category, priority, m, rows, result.amount, scheme))
    return sorted(options, key=lambda o: o.priority)
