"""The traveller's own declaration (여행자 휴대품 신고): reading it and computing the duty. Pure.

The traveller lists goods bought abroad (description, category, price, currency, quantity), alcohol (kind,
bottles, litres, price), cigarettes, perfume (mL), cash and restricted items. The duty follows the traveller
regime of the assessment engine — its parameters (the basic allowance in USD, the self-declaration reduction
and its cap, the tax-amount unit) come from the same tariff parameter table — with the simplified traveller
rates (간이세율) and the separate allowances for alcohol, tobacco and perfume from
``data/traveller/traveller_rates.json`` (each with its legal basis):

1. every price is converted to won at the customs exchange rate of the arrival date (truncated to the won);
2. alcohol within the separate allowance (bottles, litres and USD all within) is free; beyond it, all of it
   is taxed with its kind's duty, liquor tax, education tax and VAT;
3. perfume up to the separate allowance is free; the value of the millilitres beyond joins the general goods;
4. the basic allowance (USD → won) is deducted from the goods at a simplified rate, highest rate first;
5. each remaining value is taxed at its simplified rate; the total is truncated to the tax-amount unit;
6. declared voluntarily, the customs duty part is reduced by the reduction share up to the cap (관세법 제96조
   제3항) — the simplified rate stands for duty and taxes together, so the whole simplified tax is the base;
7. goods the simplified rates do not cover (excise goods, beer, tobacco beyond the allowance) are listed for
   the officer to assess, cash above the threshold must be declared, restricted items go to inspection.

Every step adds a sentence to the explanation, so the traveller sees how the amount came about.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import Any

from clearway.errors import FieldError, ValidationFailed

ZERO = Decimal(0)
HUNDRED = Decimal(100)
MAX_ITEMS = 50
_CURRENCY_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


@cache
def rates_data() -> dict[str, Any]:
    text = resources.files("clearway.data").joinpath("traveller/traveller_rates.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@dataclass(frozen=True, slots=True)
class Goods:
    description: str
    category: str
    price: Decimal  # per unit
    currency: str
    quantity: int


@dataclass(frozen=True, slots=True)
class Alcohol:
    kind: str
    bottles: int
    litres: Decimal
    price: Decimal  # all bottles together
    currency: str


@dataclass(frozen=True, slots=True)
class TravellerDeclaration:
    goods: tuple[Goods, ...] = ()
    alcohol: tuple[Alcohol, ...] = ()
    cigarettes: int = 0
    perfume_ml: Decimal = ZERO
    perfume_price: Decimal = ZERO
    perfume_currency: str = "USD"
    cash: Decimal = ZERO
    cash_currency: str = "USD"
    restricted: tuple[str, ...] = ()
    self_declared: bool = True


def _decimal(value: Any, at: str, errors: list[FieldError], *, positive: bool = False) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        errors.append(FieldError(at, "not_a_number", "a number is required"))
        return ZERO
    try:
        d = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        errors.append(FieldError(at, "not_a_number", "a number is required"))
        return ZERO
    if not d.is_finite() or d < 0:
        errors.append(FieldError(at, "negative", "must be zero or more"))
        return ZERO
    if positive and d == 0:
        errors.append(FieldError(at, "zero", "must be more than zero"))
    if d > Decimal("1e12"):
        errors.append(FieldError(at, "too_large", "the amount is too large"))
        return ZERO
    return d


def _count(value: Any, at: str, errors: list[FieldError], *, positive: bool = False) -> int:
    if value in (None, "") and not positive:
        return 0
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).strip().isdigit():
        errors.append(FieldError(at, "not_a_count", "a whole number of zero or more is required"))
        return 0
    n = int(str(value).strip())
    if positive and n == 0:
        errors.append(FieldError(at, "zero", "must be at least 1"))
    if n > 100_000:
        errors.append(FieldError(at, "too_large", "too many"))
    return n


def _currency(value: Any, at: str, errors: list[FieldError]) -> str:
    text = str(value or "").strip().upper()
    if len(text) != 3 or not set(text) <= _CURRENCY_CHARS:
        errors.append(FieldError(at, "bad_currency", "a three-letter currency code (USD, EUR, JPY ...)"))
    return text


def read_declaration(data: Any) -> TravellerDeclaration:
    """Check a declaration; every problem named by JSON pointer, nothing accepted when one is wrong."""
    if not isinstance(data, dict):
        raise ValidationFailed(
            "a declaration is a JSON object", errors=[FieldError("", "not_an_object", "object")]
        )
    errors: list[FieldError] = []
    categories = {c["category"] for c in rates_data()["simplified_rates"]}
    kinds = {k["kind"] for k in rates_data()["alcohol"]["kinds"]}
    restricted_codes = {r["code"] for r in rates_data()["restricted"]}
    goods = []
    items = data.get("goods") or []
    if not isinstance(items, list) or len(items) > MAX_ITEMS:
        errors.append(FieldError("/goods", "bad_list", f"a list of at most {MAX_ITEMS} goods"))
        items = []
    for i, g in enumerate(items):
        at = f"/goods/{i}"
        if not isinstance(g, dict):
            errors.append(FieldError(at, "not_an_object", "each good is an object"))
            continue
        description = str(g.get("description") or "").strip()
        if not description or len(description) > 200:
            errors.append(
                FieldError(f"{at}/description", "missing", "say what the goods are (1-200 characters)")
            )
        category = str(g.get("category") or "general")
        if category not in categories:
            errors.append(
                FieldError(f"{at}/category", "bad_choice", f"one of {', '.join(sorted(categories))}")
            )
        goods.append(
            Goods(
                description,
                category,
                _decimal(g.get("price"), f"{at}/price", errors, positive=True),
                _currency(g.get("currency"), f"{at}/currency", errors),
                _count(g.get("quantity", 1), f"{at}/quantity", errors, positive=True),
            )
        )
    alcohol = []
    drinks = data.get("alcohol") or []
    if not isinstance(drinks, list) or len(drinks) > MAX_ITEMS:
        errors.append(FieldError("/alcohol", "bad_list", "a list of drinks"))
        drinks = []
    for i, a in enumerate(drinks):
        at = f"/alcohol/{i}"
        if not isinstance(a, dict):
            errors.append(FieldError(at, "not_an_object", "each drink is an object"))
            continue
        kind = str(a.get("kind") or "")
        if kind not in kinds:
            errors.append(FieldError(f"{at}/kind", "bad_choice", f"one of {', '.join(sorted(kinds))}"))
        alcohol.append(
            Alcohol(
                kind,
                _count(a.get("bottles"), f"{at}/bottles", errors, positive=True),
                _decimal(a.get("litres"), f"{at}/litres", errors, positive=True),
                _decimal(a.get("price"), f"{at}/price", errors, positive=True),
                _currency(a.get("currency"), f"{at}/currency", errors),
            )
        )
    restricted = data.get("restricted") or []
    if not isinstance(restricted, list) or not all(r in restricted_codes for r in restricted):
        errors.append(
            FieldError("/restricted", "bad_choice", f"a list of: {', '.join(sorted(restricted_codes))}")
        )
        restricted = []
    perfume_ml = _decimal(data.get("perfume_ml") or 0, "/perfume_ml", errors)
    declaration = TravellerDeclaration(
        goods=tuple(goods),
        alcohol=tuple(alcohol),
        cigarettes=_count(data.get("cigarettes"), "/cigarettes", errors),
        perfume_ml=perfume_ml,
        perfume_price=_decimal(data.get("perfume_price") or 0, "/perfume_price", errors),
        perfume_currency=_currency(data.get("perfume_currency") or "USD", "/perfume_currency", errors),
        cash=_decimal(data.get("cash") or 0, "/cash", errors),
        cash_currency=_currency(data.get("cash_currency") or "USD", "/cash_currency", errors),
        restricted=tuple(restricted),
        self_declared=data.get("self_declared", True) is not False,
    )
    if perfume_ml > 0 and declaration.perfume_price == 0:
        errors.append(FieldError("/perfume_price", "missing", "the price paid for the perfume"))
    if errors:
        raise ValidationFailed(
            f"the declaration has {len(errors)} problem(s); nothing was stored", errors=errors
        )
    return declaration


@dataclass(frozen=True, slots=True)
class TravellerParameters:
    """The traveller regime's parameters on the arrival date (from the tariff parameter table)."""

    allowance_usd: Decimal
    reduction_pct: Decimal
    reduction_cap_krw: Decimal
    tax_unit_krw: Decimal


@dataclass
class DutyResult:
    total_krw: Decimal = ZERO
    lines: list[dict[str, Any]] = field(default_factory=list)
    explanation: list[str] = field(default_factory=list)
    officer: list[str] = field(default_factory=list)  # what the officer must assess or inspect
    cash_to_declare: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "total_krw": str(self.total_krw),
            "lines": self.lines,
            "explanation": self.explanation,
            "officer": self.officer,
            "cash_to_declare": self.cash_to_declare,
        }


def _won(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1), rounding="ROUND_DOWN")


def _fmt(value: Decimal) -> str:
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,}"


def compute(
    declaration: TravellerDeclaration,
    params: TravellerParameters,
    krw_per_unit: Callable[[str], Decimal | None],
) -> DutyResult:
    """The duty of a checked declaration; ``krw_per_unit(currency)`` is the customs rate (None if none)."""
    data = rates_data()
    rates = {c["category"]: c for c in data["simplified_rates"]}
    result = DutyResult()
    missing = sorted(
        {
            c
            for c in [g.currency for g in declaration.goods]
            + [a.currency for a in declaration.alcohol]
            + ([declaration.perfume_currency] if declaration.perfume_ml else [])
            + ([declaration.cash_currency] if declaration.cash else [])
            + ["USD"]
            if krw_per_unit(c) is None
        }
    )
    if missing:
        raise ValidationFailed(
            "no customs exchange rate for the arrival date",
            errors=[FieldError("/currency", "no_rate", f"no customs rate for {c}") for c in missing],
        )

    def won(amount: Decimal, currency: str) -> Decimal:
        rate = krw_per_unit(currency)
        assert rate is not None
        return _won(amount * rate)

    usd = krw_per_unit("USD") or ZERO
    taxable: list[dict[str, Any]] = []  # general pool: goods at a simplified rate
    for g in declaration.goods:
        value = won(g.price * g.quantity, g.currency)
        spec = rates[g.category]
        if spec["rate_pct"] is None:
            result.officer.append(
                f"{g.description}: {spec['label']} — {spec['note']} ({spec['legal_basis']})"
            )
            result.lines.append(
                {"description": g.description, "value_krw": str(value), "assessed_by": "officer"}
            )
            continue
        taxable.append(
            {"description": g.description, "value": value, "rate": Decimal(spec["rate_pct"]), "spec": spec}
        )

    perfume = data["perfume"]
    if declaration.perfume_ml > 0:
        free_ml = Decimal(perfume["allowance_ml"])
        value = won(declaration.perfume_price, declaration.perfume_currency)
        if declaration.perfume_ml <= free_ml:
            result.explanation.append(
                f"perfume {_fmt(declaration.perfume_ml)} mL within the separate allowance of {_fmt(free_ml)} mL: "
                f"free ({perfume['legal_basis']})"
            )
        else:
            excess = _won(value * (declaration.perfume_ml - free_ml) / declaration.perfume_ml)
            result.explanation.append(
                f"perfume {_fmt(declaration.perfume_ml)} mL: {_fmt(free_ml)} mL free ({perfume['legal_basis']}); "
                f"the {_fmt(declaration.perfume_ml - free_ml)} mL beyond, {_fmt(excess)} won, joins the general goods"
            )
            spec = rates["general"]
            taxable.append(
                {
                    "description": "perfume beyond the allowance",
                    "value": excess,
                    "rate": Decimal(spec["rate_pct"]),
                    "spec": spec,
                }
            )

    allowance = _won(params.allowance_usd * usd)
    remaining = allowance
    for item in sorted(taxable, key=lambda x: -x["rate"]):
        part = min(item["value"], remaining)
        item["deducted"] = part
        remaining -= part
    used = allowance - remaining
    result.explanation.append(
        f"basic allowance USD {_fmt(params.allowance_usd)} = {_fmt(allowance)} won at {_fmt(usd)} won/USD; "
        f"{_fmt(used)} won deducted, goods with the highest simplified rate first (관세법 제96조 제1항 제1호; "
        "관세법 시행규칙 제48조)"
    )
    simplified_tax = ZERO
    for item in taxable:
        base = item["value"] - item["deducted"]
        tax = base * item["rate"] / HUNDRED
        simplified_tax += tax
        result.lines.append(
            {
                "description": item["description"],
                "value_krw": str(item["value"]),
                "allowance_krw": str(item["deducted"]),
                "rate_pct": str(item["rate"]),
                "tax_krw": str(_won(tax)),
                "legal_basis": item["spec"]["legal_basis"],
            }
        )
        if base > 0:
            result.explanation.append(
                f"{item['description']}: {_fmt(base)} won × simplified rate {_fmt(item['rate'])}% = {_fmt(_won(tax))} won "
                f"({item['spec']['legal_basis']})"
            )

    alcohol_tax, alcohol_duty = _alcohol(declaration, data["alcohol"], won, usd, result)
    tobacco = data["tobacco"]
    if declaration.cigarettes > tobacco["allowance_cigarettes"]:
        result.officer.append(
            f"{declaration.cigarettes} cigarettes, beyond the allowance of {tobacco['allowance_cigarettes']}: "
            f"{tobacco['note']} ({tobacco['legal_basis']})"
        )
    elif declaration.cigarettes:
        result.explanation.append(
            f"{declaration.cigarettes} cigarettes within the separate allowance ({tobacco['legal_basis']}): free"
        )

    total = simplified_tax + alcohol_tax
    if declaration.self_declared and total > 0:
        base = _won(simplified_tax) + alcohol_duty
        reduction = min(_won(base * params.reduction_pct / HUNDRED), params.reduction_cap_krw)
        result.explanation.append(
            f"declared voluntarily: {_fmt(params.reduction_pct)}% of {_fmt(base)} won (the simplified tax and the "
            f"customs duty on alcohol), at most "
            f"{_fmt(params.reduction_cap_krw)} won → {_fmt(reduction)} won reduced (관세법 제96조 제3항, 자진신고 감면)"
        )
        total -= reduction
    elif total > 0:
        result.explanation.append(
            "not declared voluntarily: no reduction; goods found undeclared bear a 40% surcharge (not computed here)"
        )
    unit = params.tax_unit_krw
    result.total_krw = (
        (total / unit).quantize(Decimal(1), rounding="ROUND_DOWN") * unit if unit > 0 else _won(total)
    )
    result.explanation.append(f"total {_fmt(result.total_krw)} won (amounts below {_fmt(unit)} won dropped)")

    cash = data["cash"]
    if declaration.cash:
        cash_usd = won(declaration.cash, declaration.cash_currency) / usd if usd else ZERO
        result.cash_to_declare = cash_usd > Decimal(cash["threshold_usd"])
        if result.cash_to_declare:
            result.officer.append(
                f"cash of about USD {_fmt(_won(cash_usd))}, above USD {_fmt(Decimal(cash['threshold_usd']))}: "
                f"declared here for the officer ({cash['legal_basis']})"
            )
    restricted = {r["code"]: r for r in data["restricted"]}
    for code in declaration.restricted:
        r = restricted[code]
        result.officer.append(f"restricted item: {r['label']} — inspection at the gate ({r['legal_basis']})")
    return result


def _alcohol(
    declaration: TravellerDeclaration,
    spec: Mapping[str, Any],
    won: Callable[[Decimal, str], Decimal],
    usd: Decimal,
    result: DutyResult,
) -> tuple[Decimal, Decimal]:
    """The alcohol's taxes and, of them, the customs duty."""
    if not declaration.alcohol:
        return ZERO, ZERO
    allowance = spec["allowance"]
    bottles = sum(a.bottles for a in declaration.alcohol)
    litres = sum((a.litres for a in declaration.alcohol), ZERO)
    values = [won(a.price, a.currency) for a in declaration.alcohol]
    value_usd = sum(values, ZERO) / usd if usd else ZERO
    if (
        bottles <= allowance["bottles"]
        and litres <= Decimal(allowance["litres"])
        and value_usd <= Decimal(allowance["usd"])
    ):
        result.explanation.append(
            f"alcohol: {bottles} bottle(s), {_fmt(litres)} L, about USD {_fmt(_won(value_usd))} — within the separate "
            f"allowance of {allowance['bottles']} bottles, {allowance['litres']} L and USD {allowance['usd']}: free "
            f"({allowance['legal_basis']})"
        )
        return ZERO, ZERO
    result.explanation.append(
        f"alcohol: {bottles} bottle(s), {_fmt(litres)} L, about USD {_fmt(_won(value_usd))} — beyond the separate "
        f"allowance ({allowance['bottles']} bottles, {allowance['litres']} L, USD {allowance['usd']}): all of it "
        f"is taxed ({allowance['legal_basis']})"
    )
    kinds = {k["kind"]: k for k in spec["kinds"]}
    total = duties = ZERO
    for a, value in zip(declaration.alcohol, values, strict=True):
        k = kinds[a.kind]
        if k["duty_pct"] is None:
            result.officer.append(f"{k['label']}: {k['note']} ({k['legal_basis']})")
            result.lines.append(
                {"description": k["label"], "value_krw": str(value), "assessed_by": "officer"}
            )
            continue
        duty = _won(value * Decimal(k["duty_pct"]) / HUNDRED)
        liquor = _won((value + duty) * Decimal(k["liquor_tax_pct"]) / HUNDRED)
        education = _won(liquor * Decimal(k["education_tax_pct_of_liquor_tax"]) / HUNDRED)
        vat = _won((value + duty + liquor + education) * Decimal(k["vat_pct"]) / HUNDRED)
        tax = duty + liquor + education + vat
        total += tax
        duties += duty
        result.lines.append(
            {
                "description": k["label"],
                "value_krw": str(value),
                "tax_krw": str(tax),
                "legal_basis": k["legal_basis"],
            }
        )
        result.explanation.append(
            f"{k['label']} {_fmt(value)} won: duty {k['duty_pct']}% {_fmt(duty)} + liquor tax {k['liquor_tax_pct']}% "
            f"{_fmt(liquor)} + education tax {_fmt(education)} + VAT {_fmt(vat)} = {_fmt(tax)} won ({k['legal_basis']})"
        )
    return total, duties
