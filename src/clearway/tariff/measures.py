"""The tariff as data, in the vocabulary of the UK tariff model (trade-tariff-backend).

* a **measure** (관세율 행) puts a **duty expression** on one commodity code, for a **measure type** (here the
  Korean 관세율구분 rate code: A, C, FUS1, P3, I ...), a **geographical area** (a country, a group or
  ERGA OMNES) and a validity period (start and end dates, both inclusive);
* a duty expression is one or more **measure components**: ad valorem (% of the customs value) or specific
  (an amount of money per unit of quantity), combined singly, as the greater of them (선택세), or summed
  (compound duty).

Pure values: no session, no clock. :class:`TariffIndex` answers "which measures exist for this code on this
date" from measures held in memory.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

ERGA_OMNES = (
    "1011"  # the UK/EU geographical area code for "all third countries"; used here for "every origin"
)
IMPLIED = ""  # the area follows from the rate code (an FTA code's partners, ...); see geography.py


class ComponentKind(StrEnum):
    AD_VALOREM = "ad_valorem"  # 종가세: % of the customs value
    SPECIFIC = "specific"  # 종량세: money per unit of quantity


class Combination(StrEnum):
    SINGLE = "single"
    GREATER_OF = "greater_of"  # 선택세: "X% or Y won/kg, whichever is the greater"
    SUM = "sum"  # compound: "X% + Y won/kg"


@dataclass(frozen=True, slots=True)
class MeasureComponent:
    """One term of a duty expression. ``amount`` is a percentage for ad valorem, money per unit for specific."""

    kind: ComponentKind
    amount: Decimal
    currency: str | None = None  # specific only: the money the amount is in (KRW in Korea, GBP in the UK)
    unit: str | None = None  # specific only: UN/ECE Rec 20 unit (KGM, LTR, TNE, U ...)
    qualifier: str | None = None  # UK measurement-unit qualifier (e.g. "I" = of biodiesel)

    def text(self) -> str:
        if self.kind is ComponentKind.AD_VALOREM:
            return f"{format_number(self.amount)}%"
        unit = self.unit + (self.qualifier or "") if self.unit else "unit"
        return f"{format_number(self.amount)} {self.currency or ''}/{unit}".replace(" /", "/")

    def as_dict(self) -> dict[str, str | None]:
        return {
            "kind": self.kind.value,
            "amount": str(self.amount),
            "currency": self.currency,
            "unit": self.unit,
            "qualifier": self.qualifier,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MeasureComponent:
        return cls(
            ComponentKind(data["kind"]),
            Decimal(str(data["amount"])),
            data.get("currency"),
            data.get("unit"),
            data.get("qualifier"),
        )


@dataclass(frozen=True, slots=True)
class DutyExpression:
    components: tuple[MeasureComponent, ...]
    combination: Combination = Combination.SINGLE

    @classmethod
    def ad_valorem(cls, pct: Decimal | str | int) -> DutyExpression:
        return cls((MeasureComponent(ComponentKind.AD_VALOREM, Decimal(str(pct))),))

    @classmethod
    def specific(cls, amount: Decimal | str | int, unit: str, currency: str = "KRW") -> DutyExpression:
        return cls((MeasureComponent(ComponentKind.SPECIFIC, Decimal(str(amount)), currency, unit),))

    @classmethod
    def greater_of(
        cls, pct: Decimal | str | int, amount: Decimal | str | int, unit: str, currency: str = "KRW"
    ) -> DutyExpression:
        return cls(
            (
                MeasureComponent(ComponentKind.AD_VALOREM, Decimal(str(pct))),
                MeasureComponent(ComponentKind.SPECIFIC, Decimal(str(amount)), currency, unit),
            ),
            Combination.GREATER_OF,
        )

    @property
    def is_pure_ad_valorem(self) -> bool:
        return all(c.kind is ComponentKind.AD_VALOREM for c in self.components)

    def text(self) -> str:
        parts = [c.text() for c in self.components]
        if self.combination is Combination.GREATER_OF:
            return " or ".join(parts) + ", whichever is the greater"
        if self.combination is Combination.SUM:
            return " + ".join(parts)
        return parts[0] if parts else "-"

    def as_dict(self) -> dict[str, object]:
        return {"combination": self.combination.value, "components": [c.as_dict() for c in self.components]}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> DutyExpression:
        components = data.get("components") or []
        assert isinstance(components, list)
        return cls(
            tuple(MeasureComponent.from_dict(c) for c in components),
            Combination(str(data.get("combination", "single"))),
        )


@dataclass(frozen=True, slots=True)
class Measure:
    """One rate for one commodity code: 관세율표의 한 행 (품목번호 × 관세율구분 × 적용기간)."""

    commodity_code: str
    rate_code: str  # measure type: 관세율구분 (A, C, FUS1, P3 ...) or a UK measure type id (103, 142 ...)
    expression: DutyExpression
    valid_from: date
    valid_to: date | None = None  # inclusive; None = open-ended
    geo_area: str = IMPLIED  # ISO country, group code, ERGA_OMNES, or IMPLIED by the rate code
    excluded: frozenset[str] = frozenset()
    reference_price: Decimal | None = None  # 기준가격, when the rate file gives one
    country_type: str | None = None  # 적용국가구분, as in the KCS file
    use_type: str | None = None  # 용도세율구분: the rate applies only to goods declared for that use
    order_number: str | None = None  # quota order number
    additional_code: str | None = None  # e.g. the producer an anti-dumping rate names
    conditional: bool = False  # never applied automatically: needs a condition the declaration cannot show
    source: str = ""  # which load it came from (shown in explanations)
    demo: bool = False  # DEMO DATA: not an official rate
    sid: int | None = None  # measure id in the source, when it has one
    description: str | None = None  # measure-type description as the source gives it

    def valid_on(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


@dataclass
class TariffIndex:
    """Measures by commodity code, for look-up by date. Pure and in memory."""

    _by_code: dict[str, list[Measure]] = field(default_factory=dict)
    _memo: dict[tuple[str, date], list[Measure]] = field(default_factory=dict)

    @classmethod
    def of(cls, measures: Iterable[Measure]) -> TariffIndex:
        index = cls()
        index.extend(measures)
        return index

    def extend(self, measures: Iterable[Measure]) -> None:
        for m in measures:
            self._by_code.setdefault(m.commodity_code, []).append(m)
        self._memo.clear()

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_code.values())

    def codes(self) -> list[str]:
        return sorted(self._by_code)

    def has_code(self, code: str) -> bool:
        return code in self._by_code

    def all_for(self, code: str) -> list[Measure]:
        return self._by_code.get(code, [])

    def on(self, code: str, on: date) -> list[Measure]:
        key = (code, on)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = [
                m
                for m in self._by_code.get(code, ())
                if m.valid_from <= on and (m.valid_to is None or on <= m.valid_to)
            ]
        return found


def format_number(value: Decimal) -> str:
    """1234567.5 → '1,234,567.5'; 8.00 → '8'; never scientific notation."""
    text = f"{value:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
