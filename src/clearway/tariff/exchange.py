"""The customs exchange rate (과세환율): weekly, valid Sunday 00:00 to Saturday 24:00.

KCS sets it each week from the previous week's customer TT selling rates (관세법 제18조, 시행규칙 제1조의2,
관세평가 운영에 관한 고시 제3조); the rate that applies is the one of the week containing the import
declaration date (관세법 제17조). Rates are KRW per ``per`` units of the currency (JPY and some others are
quoted per 100).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal


def week_of(on: date) -> tuple[date, date]:
    """The customs-rate week (Sunday..Saturday) containing ``on``."""
    start = on - timedelta(days=(on.weekday() + 1) % 7)  # Monday=0 ... Sunday=6 → days since Sunday
    return start, start + timedelta(days=6)


@dataclass(frozen=True, slots=True)
class ExchangeRate:
    currency: str
    rate_krw: Decimal  # KRW for `per` units of the currency
    valid_from: date  # a Sunday
    valid_to: date  # the Saturday after
    per: int = 1
    source: str = ""
    demo: bool = False

    @property
    def per_unit(self) -> Decimal:
        return self.rate_krw if self.per == 1 else self.rate_krw / self.per

    def as_dict(self) -> dict[str, object]:
        return {
            "currency": self.currency,
            "rate_krw": str(self.rate_krw),
            "per": self.per,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat(),
            "source": self.source,
            "demo": self.demo,
        }


@dataclass
class ExchangeRateTable:
    """Rates by (currency, week start). A rate's validity may span several weeks; look-ups are by date."""

    _rates: dict[str, list[ExchangeRate]] = field(default_factory=dict)
    _cache: dict[tuple[str, date], ExchangeRate | None] = field(default_factory=dict)

    @classmethod
    def of(cls, rates: Iterable[ExchangeRate]) -> ExchangeRateTable:
        table = cls()
        for r in rates:
            table._rates.setdefault(r.currency, []).append(r)
        for rows in table._rates.values():
            rows.sort(key=lambda r: r.valid_from, reverse=True)
        return table

    def __len__(self) -> int:
        return sum(len(v) for v in self._rates.values())

    def currencies(self) -> list[str]:
        return sorted(self._rates)

    def rate(self, currency: str, on: date) -> ExchangeRate | None:
        key = (currency, on)
        try:
            return self._cache[key]
        except KeyError:
            pass
        found = None
        for r in self._rates.get(currency, ()):
            if r.valid_from <= on <= r.valid_to:
                found = r
                break
        self._cache[key] = found
        return found
