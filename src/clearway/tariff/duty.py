"""Evaluating a duty expression for one goods line: country-neutral and exact (no rounding here).

* ad valorem: value × rate / 100;
* specific: quantity in the component's unit × amount, converted to the working currency;
* greater of (선택세): the larger of the terms; sum: their total.

Rounding is a country rule (Korea truncates tax amounts, 국고금 관리법 제47조) and is applied by the caller.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from clearway.reference.codes import units
from clearway.tariff.measures import (
    Combination,
    ComponentKind,
    DutyExpression,
    MeasureComponent,
    format_number,
)

HUNDRED = Decimal(100)
ZERO = Decimal(0)
_AD_VALOREM = ComponentKind.AD_VALOREM  # module constants: enum attribute look-ups are slow in the hot path
_GREATER_OF = Combination.GREATER_OF

QuantityOf = Callable[[str, "str | None"], "Decimal | None"]  # (unit, qualifier) -> quantity in that unit
ToWorking = Callable[[str], "Decimal | None"]  # currency -> working-currency units per 1 unit of it


class CannotCompute(Exception):
    """A duty expression cannot be evaluated for this line (a unit it cannot use, a currency without a rate)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class ComponentResult:
    component: MeasureComponent
    base: Decimal  # the value (ad valorem) or the quantity in the component's unit (specific)
    amount: Decimal  # exact, in the working currency
    fx: Decimal | None = None  # rate used to convert a specific amount, when its currency differs

    def computation(self) -> str:
        c = self.component
        if c.kind is ComponentKind.AD_VALOREM:
            return f"{format_number(self.base)} × {format_number(c.amount)}%"
        text = (
            f"{format_number(self.base)} {c.unit}{c.qualifier or ''} × {format_number(c.amount)} {c.currency}"
        )
        if self.fx is not None:
            text += f" × {format_number(self.fx)}"
        return text


@dataclass(frozen=True, slots=True)
class DutyResult:
    amount: Decimal  # exact, in the working currency, never negative
    parts: tuple[ComponentResult, ...]
    chosen: int | None = None  # greater-of: which part won

    def computation(self) -> str:
        if len(self.parts) == 1:
            return self.parts[0].computation()
        texts = [f"{p.computation()} = {format_number(p.amount)}" for p in self.parts]
        if self.chosen is not None:
            return "greater of (" + "; ".join(texts) + ")"
        return " + ".join(texts)


def evaluate(
    expression: DutyExpression,
    value: Decimal,
    quantity_of: QuantityOf,
    to_working: ToWorking,
    working_currency: str,
) -> DutyResult:
    """Duty for one line. Raises :class:`CannotCompute` when a specific term cannot be evaluated."""
    components = expression.components
    if not components:
        raise CannotCompute("empty_duty_expression", "the measure has no duty components")
    if len(components) == 1 and components[0].kind is _AD_VALOREM:  # the common case, fast
        c = components[0]
        amount = value * c.amount / HUNDRED
        return DutyResult(amount if amount > ZERO else ZERO, (ComponentResult(c, value, amount),))
    parts = tuple(_component(c, value, quantity_of, to_working, working_currency) for c in components)
    if expression.combination is _GREATER_OF:
        chosen = max(range(len(parts)), key=lambda i: parts[i].amount)
        amount = parts[chosen].amount
        return DutyResult(amount if amount > ZERO else ZERO, parts, chosen)
    amount = sum((p.amount for p in parts), ZERO)
    return DutyResult(amount if amount > ZERO else ZERO, parts)


def _component(
    c: MeasureComponent, value: Decimal, quantity_of: QuantityOf, to_working: ToWorking, working: str
) -> ComponentResult:
    if c.kind is _AD_VALOREM:
        return ComponentResult(c, value, value * c.amount / HUNDRED)
    if not c.unit:
        raise CannotCompute("specific_without_unit", f"the specific duty {c.text()} names no unit")
    quantity = quantity_of(c.unit, c.qualifier)
    if quantity is None:
        raise CannotCompute(
            "unit_not_usable",
            f"the specific duty {c.text()} needs the quantity in {c.unit}{c.qualifier or ''}, "
            "which this line does not give (declare the net mass, or the quantity in a unit of that kind)",
        )
    currency = c.currency or working
    fx: Decimal | None = None
    if currency != working:
        fx = to_working(currency)
        if fx is None:
            raise CannotCompute(
                "no_exchange_rate", f"no exchange rate to convert the specific duty amount in {currency}"
            )
        return ComponentResult(c, quantity, quantity * c.amount * fx, fx)
    return ComponentResult(c, quantity, quantity * c.amount)


def declared_quantity_resolver(
    quantity: Decimal, quantity_unit: str, net_mass_kg: Decimal | None
) -> QuantityOf:
    """Quantities a Korean goods line can give a specific duty.

    Mass comes from the net mass (순중량), which every line declares; other dimensions (volume, count, length,
    area ...) from the declared quantity when its unit has the same dimension (UN/ECE Rec 20 factors).
    """
    table = units()
    declared = table.get(quantity_unit)

    def quantity_of(unit: str, qualifier: str | None) -> Decimal | None:
        if qualifier:
            return (
                None  # qualified units (of alcohol, of biodiesel ...) need a measured amount the line lacks
            )
        target = table.get(unit)
        if target is None:
            return None
        if target.dimension == "mass" and net_mass_kg is not None:
            return net_mass_kg / target.factor_to_base
        if declared is not None and declared.dimension == target.dimension:
            return quantity * declared.factor_to_base / target.factor_to_base
        return None

    return quantity_of
