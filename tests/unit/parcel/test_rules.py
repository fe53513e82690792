"""Routing of a parcel (list, simplified, general), split shipments and combined arrivals. Pure."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from clearway.parcel.rules import (
    ItemFacts,
    ParcelFacts,
    Route,
    ShopParcel,
    Thresholds,
    bundled_rules,
    combined_totals,
    route_parcel,
    split_shipments,
)

RULES = bundled_rules()
LIMITS = Thresholds(Decimal(150), Decimal(200), ("22", "24"))
SHIRT = ItemFacts("t-shirt", Decimal(1), None, "6109101000")
usd = st.decimals(min_value=0, max_value=5000, places=2)


def facts(price: Decimal, country: str = "CN", *items: ItemFacts, **kw: object) -> ParcelFacts:
    return ParcelFacts(price, country, items or (SHIRT,), **kw)  # type: ignore[arg-type]


@given(usd, st.sampled_from(["CN", "US", "JP", "DE"]))
def test_plain_goods_route_by_value(price: Decimal, country: str) -> None:
    limit = Decimal(200) if country == "US" else Decimal(150)
    routing = route_parcel(facts(price, country), LIMITS, RULES)
    if price <= limit:
        assert routing.route is Route.LIST and not routing.taxable
    elif price <= RULES.simplified_limit_usd:
        assert routing.route is Route.SIMPLIFIED and routing.taxable
    else:
        assert routing.route is Route.GENERAL
    assert all(r.legal_basis for r in routing.reasons)


@given(usd)
def test_excluded_categories_never_go_by_list(price: Decimal) -> None:
    for key in ("medicine", "health_supplement", "food", "wildlife"):
        item = ItemFacts("x", Decimal(1), key, None)
        assert route_parcel(facts(price, "CN", item), LIMITS, RULES).route is Route.GENERAL


@given(usd)
def test_commercial_goods_need_a_general_declaration(price: Decimal) -> None:
    routing = route_parcel(facts(price, personal_use=False), LIMITS, RULES)
    assert routing.route is Route.GENERAL and routing.reasons[0].code == "commercial_use"


def test_category_from_the_hs_code_and_quantity_limits() -> None:
    pills = ItemFacts("vitamins", Decimal(2), None, "2106909099")
    assert (
        route_parcel(facts(Decimal(20), "US", pills), LIMITS, RULES).reasons[0].code
        == "excluded_health_supplement"
    )
    few = ItemFacts("lotion", Decimal(3), "cosmetics", "3304991000")
    many = ItemFacts("lotion", Decimal(7), "cosmetics", "3304991000")
    assert route_parcel(facts(Decimal(40), "FR", few), LIMITS, RULES).route is Route.LIST
    assert route_parcel(facts(Decimal(40), "FR", many), LIMITS, RULES).route is Route.GENERAL


def test_alcohol_is_taxed_whatever_the_value() -> None:
    wine = ItemFacts("wine", Decimal(1), None, "2204211000")
    routing = route_parcel(facts(Decimal(10), "FR", wine), LIMITS, RULES)
    assert routing.route is Route.SIMPLIFIED and routing.reasons[0].code == "taxed_whatever_value"


def test_combined_arrival_takes_a_parcel_out_of_the_list() -> None:
    alone = route_parcel(facts(Decimal(100), combined_usd=Decimal(100)), LIMITS, RULES)
    together = route_parcel(facts(Decimal(100), combined_usd=Decimal(160)), LIMITS, RULES)
    assert alone.route is Route.LIST
    assert together.route is Route.SIMPLIFIED and together.reasons[0].code == "combined_arrival"
    day = date(2026, 12, 1)
    totals = combined_totals(
        [
            (1, day, "CN", Decimal(100)),
            (1, day, "CN", Decimal(60)),
            (1, day, "US", Decimal(90)),
            (2, day, "CN", Decimal(10)),
        ]
    )
    assert totals == {(1, day, "CN"): Decimal(160), (1, day, "US"): Decimal(90), (2, day, "CN"): Decimal(10)}


def test_split_shipments_are_flagged() -> None:
    def p(key: int, holder: int, shop: str, day: int, price: str) -> ShopParcel:
        return ShopParcel(key, holder, shop, date(2026, 12, day), Decimal(price), Decimal(150))

    flagged = split_shipments(
        [
            p(1, 1, "Shop", 1, "100"),
            p(2, 1, "shop ", 3, "90"),  # same order split
            p(3, 1, "other", 1, "100"),  # another shop
            p(4, 2, "shop", 1, "100"),
            p(5, 2, "shop", 20, "100"),  # weeks apart
            p(6, 3, "shop", 1, "60"),
            p(7, 3, "shop", 2, "60"),
        ]
    )  # together still under
    assert flagged == {1, 2}


@given(st.lists(st.tuples(st.integers(1, 3), st.integers(1, 10), usd), max_size=20))
def test_a_flagged_parcel_is_within_its_limit(rows: list[tuple[int, int, Decimal]]) -> None:
    parcels = [
        ShopParcel(i, h, "s", date(2026, 12, day), price, Decimal(150))
        for i, (h, day, price) in enumerate(rows)
    ]
    for key in split_shipments(parcels):
        assert parcels[key].goods_usd <= Decimal(150)
