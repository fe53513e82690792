"""How a direct-purchase parcel is cleared: by list (목록통관), by a simplified declaration (간이신고) or by a
general declaration (일반수입신고). Pure: values in, a routing with its reasons out.

* **List** — personal use, goods price within the small-parcel de minimis of its dispatch country (tariff
  parameters ``de_minimis.small_parcel_usd`` / ``..._from_us``), no item whose goods are taxed whatever the
  value (``de_minimis.excluded_prefixes``: alcohol, tobacco), no item of a category excluded from list
  clearance.
* **Simplified** — personal use, above the de minimis (alone or together with the buyer's other parcels of the
  same day from the same country: the combined-arrival rule) or holding goods taxed whatever the value, and
  within ``simplified_limit_usd`` of the rules file.
* **General** — commercial goods, a price above the simplified limit, or an item of an excluded category
  (medicines, health supplements, food, quarantine goods, CITES, restricted goods; cosmetics above the
  self-use quantity).

The category rules are data (``data/parcel/list_clearance_rules.json``), each with its legal basis. Split
shipments (one buyer, one shop, parcels each under the limit whose sum is over it within a few days) are a
risk signal, reported but not a route on their own.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

SPLIT_WINDOW_DAYS = 3
DE_MINIMIS_BASIS = "관세법 제94조 제4호; 관세법 시행규칙 제45조 (소액물품 면세)"
COMBINED_BASIS = (
    "관세법 시행규칙 제45조 (같은 날 같은 국가에서 반입된 한 사람의 물품은 합산하여 면세 여부 판단)"
)


class Route(StrEnum):
    LIST = "list"  # 목록통관
    SIMPLIFIED = "simplified"  # 간이신고
    GENERAL = "general"  # 일반수입신고


@dataclass(frozen=True, slots=True)
class CategoryRule:
    key: str
    name_ko: str
    effect: str  # "general" (excluded from list clearance, general declaration) or "none"
    hs_prefixes: tuple[str, ...]
    legal_basis: str
    status: str
    max_quantity: Decimal | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Rules:
    version: str
    simplified_limit_usd: Decimal
    simplified_basis: str
    commercial_basis: str
    categories: dict[str, CategoryRule]

    def category_of(self, declared: str | None, hs_code: str | None) -> CategoryRule | None:
        """The declared category's rule; else the first rule whose HS prefix the item's code starts with."""
        if declared and declared in self.categories:
            return self.categories[declared]
        if hs_code:
            for rule in self.categories.values():
                if any(hs_code.startswith(p) for p in rule.hs_prefixes):
                    return rule
        return None


def parse_rules(text: str) -> Rules:
    raw = json.loads(text)
    categories = {}
    for c in raw["categories"]:
        limit = c.get("max_quantity")
        categories[c["key"]] = CategoryRule(
            key=c["key"],
            name_ko=c["name_ko"],
            effect=c["effect"],
            hs_prefixes=tuple(c.get("hs_prefixes", ())),
            legal_basis=c["legal_basis"],
            status=c["status"],
            max_quantity=Decimal(limit) if limit else None,
            note=c.get("note", ""),
        )
    return Rules(
        version=raw["version"],
        simplified_limit_usd=Decimal(raw["simplified_limit_usd"]["value"]),
        simplified_basis=raw["simplified_limit_usd"]["legal_basis"],
        commercial_basis=raw["commercial_use"]["legal_basis"],
        categories=categories,
    )


@cache
def bundled_rules() -> Rules:
    text = resources.files("clearway.data").joinpath("parcel/list_clearance_rules.json").read_text("utf-8")
    return parse_rules(text)


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The tariff parameters routing reads (in force on the arrival date)."""

    de_minimis_usd: Decimal
    de_minimis_us_usd: Decimal
    taxed_whatever_value: tuple[str, ...]  # HS prefixes

    def de_minimis_for(self, dispatch_country: str) -> Decimal:
        return self.de_minimis_us_usd if dispatch_country == "US" else self.de_minimis_usd


@dataclass(frozen=True, slots=True)
class ItemFacts:
    description: str
    quantity: Decimal
    category: str | None = None
    hs_code: str | None = None


@dataclass(frozen=True, slots=True)
class ParcelFacts:
    goods_usd: Decimal
    dispatch_country: str
    items: tuple[ItemFacts, ...]
    personal_use: bool = True
    combined_usd: Decimal | None = None  # with the buyer's other parcels of the day from the same country


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    message: str
    legal_basis: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "legal_basis": self.legal_basis}


@dataclass(frozen=True, slots=True)
class Routing:
    route: Route
    reasons: tuple[Reason, ...]
    taxable: bool  # above the de minimis or holding goods taxed whatever the value

    def as_dict(self) -> dict[str, Any]:
        return {
            "route": self.route.value,
            "taxable": self.taxable,
            "reasons": [r.as_dict() for r in self.reasons],
        }


def route_parcel(facts: ParcelFacts, thresholds: Thresholds, rules: Rules) -> Routing:
    general: list[Reason] = []
    simplified: list[Reason] = []
    if not facts.personal_use:
        general.append(
            Reason(
                "commercial_use",
                "goods for sale or business use need a general declaration",
                rules.commercial_basis,
            )
        )
    if facts.goods_usd > rules.simplified_limit_usd:
        general.append(
            Reason(
                "above_simplified_limit",
                f"goods price USD {facts.goods_usd:.2f} is above the "
                f"simplified-declaration limit of USD {rules.simplified_limit_usd}",
                rules.simplified_basis,
            )
        )
    for index, item in enumerate(facts.items):
        rule = rules.category_of(item.category, item.hs_code)
        if rule is None or rule.effect != "general":
            if item.hs_code and any(item.hs_code.startswith(p) for p in thresholds.taxed_whatever_value):
                simplified.append(
                    Reason(
                        "taxed_whatever_value",
                        f"item {index + 1} ({item.description}) is "
                        "taxed whatever its value (alcohol, tobacco)",
                        DE_MINIMIS_BASIS,
                    )
                )
            continue
        if rule.max_quantity is None:
            general.append(
                Reason(
                    f"excluded_{rule.key}",
                    f"item {index + 1} ({item.description}) is {rule.name_ko}: excluded from list clearance",
                    rule.legal_basis,
                )
            )
        elif item.quantity > rule.max_quantity:
            general.append(
                Reason(
                    f"excluded_{rule.key}",
                    f"item {index + 1} ({item.description}): "
                    f"{item.quantity} exceeds the self-use quantity of {rule.max_quantity} for "
                    f"{rule.name_ko}",
                    rule.legal_basis,
                )
            )
    limit = thresholds.de_minimis_for(facts.dispatch_country)
    where = "from the US" if facts.dispatch_country == "US" else "not from the US"
    if facts.goods_usd > limit:
        simplified.append(
            Reason(
                "above_de_minimis",
                f"goods price USD {facts.goods_usd:.2f} is above USD {limit} ({where})",
                DE_MINIMIS_BASIS,
            )
        )
    elif facts.combined_usd is not None and facts.combined_usd > limit:
        simplified.append(
            Reason(
                "combined_arrival",
                "with the buyer's other parcels from "
                f"{facts.dispatch_country} on the same day the goods price is USD "
                f"{facts.combined_usd:.2f}, above USD {limit}",
                COMBINED_BASIS,
            )
        )
    taxable = bool(simplified)
    if general:
        return Routing(Route.GENERAL, tuple(general + simplified), taxable)
    if simplified:
        return Routing(Route.SIMPLIFIED, tuple(simplified), taxable)
    return Routing(
        Route.LIST,
        (
            Reason(
                "list_eligible",
                f"personal use, within USD {limit} ({where}), no excluded goods",
                DE_MINIMIS_BASIS,
            ),
        ),
        False,
    )


@dataclass(frozen=True, slots=True)
class ShopParcel:
    """A parcel as split-shipment detection sees it."""

    key: int  # the caller's reference
    holder: int  # the code's id
    shop: str
    arrival: date
    goods_usd: Decimal
    limit_usd: Decimal


def split_shipments(parcels: Iterable[ShopParcel], window_days: int = SPLIT_WINDOW_DAYS) -> set[int]:
    """Keys of parcels that look like one order split to stay under the limit: one holder, one shop, arrivals
    within ``window_days``, each parcel within its limit but together above it."""
    by_holder_shop: dict[tuple[int, str], list[ShopParcel]] = {}
    for p in parcels:
        if p.shop:
            by_holder_shop.setdefault((p.holder, p.shop.casefold().strip()), []).append(p)
    flagged: set[int] = set()
    for group in by_holder_shop.values():
        under = sorted((p for p in group if p.goods_usd <= p.limit_usd), key=lambda p: (p.arrival, p.key))
        for i, first in enumerate(under):
            window = [p for p in under[i:] if (p.arrival - first.arrival).days <= window_days]
            if len(window) > 1 and sum((p.goods_usd for p in window), Decimal(0)) > first.limit_usd:
                flagged.update(p.key for p in window)
    return flagged


def combined_totals(
    parcels: Sequence[tuple[int, date, str, Decimal]],
) -> dict[tuple[int, date, str], Decimal]:
    """Goods price per (holder, arrival date, dispatch country): the combined-arrival groups."""
    totals: dict[tuple[int, date, str], Decimal] = {}
    for holder, arrival, country, usd in parcels:
        key = (holder, arrival, country)
        totals[key] = totals.get(key, Decimal(0)) + usd
    return totals
