"""DEMO DATA — a small, clearly labelled rate set and weekly exchange rates for demonstrations.

The full Korean basic-rate table is not bundled (it is loaded from the official KCS file with
``clearway tariff load``). So that the demo can file and assess declarations, this module provides rates for
the codes in :data:`DEMO_CODES` only. The codes and descriptions are real HSK 2026 lines; the **rates are
demo values**, set from the published schedule as remembered (or, for honey and garlic, the Korea–Vietnam
FTA base rates bundled in ``vkfta_kr_schedule_sectionA_sample.csv``). They are NOT official figures: every
measure and exchange rate loaded from here carries ``demo=True`` and the source label :data:`DEMO_SOURCE`,
and every assessment that uses one says so.

Demo declarations must use only the codes listed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from clearway.tariff.exchange import ExchangeRate
from clearway.tariff.loaders import weekly_rates
from clearway.tariff.measures import DutyExpression, Measure

DEMO_SOURCE = "DEMO DATA (not official rates)"
DEMO_FX_SOURCE = "DEMO DATA (not official customs exchange rates)"
DEMO_NOTICE = (
    "This demo uses DEMO rates: a labelled DEMO rate set for a few dozen codes and DEMO exchange "
    "rates, not official figures. For real use, load the official KCS rate file first: "
    "clearway tariff load 관세율(2026).xlsx (data.go.kr 15051179), then clearway tariff load-rates."
)
DEMO_FROM = date(2026, 1, 1)
DEMO_FX_FIRST_SUNDAY = date(2025, 12, 28)  # the week containing 2026-01-01
DEMO_FX_WEEKS = 106  # through 2027-12-31


@dataclass(frozen=True, slots=True)
class DemoCode:
    code: str
    description: str
    unit: str  # the quantity unit a demo declaration should use (UN/ECE Rec 20)
    origin: str  # a typical origin (ISO 3166-1 alpha-2)
    rates: tuple[tuple[str, DutyExpression], ...]  # (rate code, expression) — DEMO values
    note: str = ""  # for the person writing a demo declaration
    rate_note: str = ""  # shown with the demo basic rate in explanations


def _av(pct: str) -> DutyExpression:
    return DutyExpression.ad_valorem(pct)


_DEMO: tuple[DemoCode, ...] = (
    DemoCode(
        "0201300000",
        "Bovine meat, boneless, fresh or chilled",
        "KGM",
        "AU",
        (("A", _av("40")), ("FUS1", _av("0")), ("FAU1", _av("8"))),
    ),
    DemoCode(
        "0409000000",
        "Natural honey",
        "KGM",
        "VN",
        (("A", DutyExpression.greater_of("243", "1864", "KGM")),),
        "specific duty per kg of net mass",
        "demo basic rate = the VKFTA base rate (243% or 1,864 won/kg, whichever is the greater)",
    ),
    DemoCode(
        "0703201000",
        "Garlic, peeled",
        "KGM",
        "CN",
        (("A", DutyExpression.greater_of("360", "1800", "KGM")),),
        "specific duty per kg of net mass",
        "demo basic rate = the VKFTA base rate (360% or 1,800 won/kg, whichever is the greater)",
    ),
    DemoCode("0805100000", "Oranges, fresh", "KGM", "US", (("A", _av("50")), ("FUS1", _av("0")))),
    DemoCode(
        "0901210000", "Coffee, roasted, not decaffeinated", "KGM", "US", (("A", _av("8")), ("FUS1", _av("0")))
    ),
    DemoCode(
        "1806901000",
        "Chocolate and chocolate confectionery",
        "KGM",
        "BE",
        (("A", _av("8")), ("FEU1", _av("0"))),
    ),
    DemoCode(
        "1905901040", "Biscuits, cookies and crackers", "KGM", "US", (("A", _av("8")), ("FUS1", _av("0")))
    ),
    DemoCode(
        "2203000000",
        "Beer made from malt",
        "LTR",
        "DE",
        (("A", _av("30")), ("FEU1", _av("0"))),
        "liquor tax is specific (won per litre): declare the quantity in LTR",
    ),
    DemoCode(
        "2204211000",
        "Red wine, in containers of 2 L or less",
        "LTR",
        "FR",
        (("A", _av("15")), ("FEU1", _av("0")), ("FCL1", _av("0")), ("FUS1", _av("0"))),
    ),
    DemoCode("2208301000", "Scotch whisky", "LTR", "GB", (("A", _av("20")), ("FEU1", _av("0")))),
    DemoCode(
        "2710121000",
        "Motor spirit (petrol)",
        "LTR",
        "SG",
        (("A", _av("5")), ("FSG1", _av("0"))),
        "transport-energy-environment tax is per litre: declare the quantity in LTR",
    ),
    DemoCode(
        "2711110000",
        "Natural gas, liquefied (LNG)",
        "KGM",
        "AU",
        (("A", _av("3")), ("FAU1", _av("0"))),
        "the bundled real quota rate (P3) applies over the demo basic rate in 2026",
    ),
    DemoCode("3004909900", "Medicaments, other, in doses", "KGM", "DE", (("A", _av("8")), ("C", _av("0")))),
    DemoCode(
        "3206110000",
        "Titanium dioxide pigments (80% or more TiO2)",
        "KGM",
        "CN",
        (("A", _av("8")), ("C", _av("6.5")), ("FCN1", _av("4"))),
        "the bundled real quota rate (P3, 3% in 2026) takes precedence over the demo basic rate",
    ),
    DemoCode("3303001000", "Perfumes", "U", "FR", (("A", _av("8")), ("C", _av("6.5")), ("FEU1", _av("0")))),
    DemoCode(
        "3304991000",
        "Skin-care preparations",
        "KGM",
        "FR",
        (("A", _av("8")), ("C", _av("6.5")), ("FEU1", _av("0"))),
    ),
    DemoCode(
        "3926909000",
        "Other articles of plastics",
        "KGM",
        "CN",
        (("A", _av("8")), ("C", _av("6.5")), ("FCN1", _av("5.2"))),
    ),
    DemoCode(
        "4202211090",
        "Handbags with outer surface of leather",
        "U",
        "IT",
        (("A", _av("8")), ("FEU1", _av("0"))),
        "individual consumption tax on the part of the price per bag above 2,000,000 won",
    ),
    DemoCode("4901999000", "Printed books, other", "U", "US", (("A", _av("0")),)),
    DemoCode(
        "6109101000",
        "T-shirts of cotton, knitted",
        "U",
        "VN",
        (("A", _av("13")), ("FVN1", _av("0")), ("FAS1", _av("0"))),
    ),
    DemoCode("6203421000", "Men's trousers of cotton denim (jeans)", "U", "BD", (("A", _av("13")),)),
    DemoCode(
        "6403991000", "Dress shoes with leather uppers", "PR", "IT", (("A", _av("13")), ("FEU1", _av("0")))
    ),
    DemoCode(
        "7113192000",
        "Jewellery of gold",
        "U",
        "IT",
        (("A", _av("8")), ("FEU1", _av("0"))),
        "individual consumption tax on the part of the price per item above 2,000,000 won",
    ),
    DemoCode(
        "8471300000",
        "Portable computers (laptops), 10 kg or less",
        "U",
        "CN",
        (("A", _av("8")), ("CIT", _av("0"))),
    ),
    DemoCode("8517130000", "Smartphones", "U", "CN", (("A", _av("8")), ("CIT", _av("0")))),
    DemoCode("8528722000", "Colour television receivers, LCD", "U", "MX", (("A", _av("8")),)),
    DemoCode(
        "8542311000",
        "Monolithic integrated circuits (processors, controllers)",
        "U",
        "TW",
        (("A", _av("8")), ("CIT", _av("0"))),
    ),
    DemoCode(
        "8703231010",
        "Passenger cars, spark ignition, 1,500-3,000 cc, new",
        "U",
        "DE",
        (("A", _av("8")), ("FEU1", _av("0")), ("FUS1", _av("0"))),
        "individual consumption tax 5% and education tax apply",
    ),
    DemoCode(
        "8703801000",
        "Passenger cars, electric only, new",
        "U",
        "US",
        (("A", _av("8")), ("FUS1", _av("0")), ("FEU1", _av("0"))),
    ),
    DemoCode("8708991030", "Parts of passenger cars (heading 87.03), other", "KGM", "JP", (("A", _av("8")),)),
    DemoCode(
        "9102119090",
        "Wrist-watches, battery, mechanical display, other",
        "U",
        "CH",
        (("A", _av("8")), ("FEF1", _av("0"))),
        "individual consumption tax on the part of the price per watch above 2,000,000 won",
    ),
    DemoCode("0303540000", "Mackerel, frozen", "KGM", "NO", (("A", _av("10")), ("FEF1", _av("0")))),
    DemoCode(
        "2106909099", "Food preparations n.e.s., other", "KGM", "US", (("A", _av("8")), ("FUS1", _av("0")))
    ),
    DemoCode(
        "6110200000",
        "Jerseys, pullovers and cardigans of cotton, knitted",
        "U",
        "VN",
        (("A", _av("13")), ("FVN1", _av("0")), ("FAS1", _av("0"))),
    ),
    DemoCode(
        "6402999000",
        "Footwear with rubber or plastic soles and uppers, other",
        "PR",
        "CN",
        (("A", _av("13")), ("FCN1", _av("10.4"))),
    ),
    DemoCode(
        "6403999000",
        "Footwear with leather uppers, other",
        "PR",
        "VN",
        (("A", _av("13")), ("FVN1", _av("0")), ("FEU1", _av("0"))),
    ),
    DemoCode(
        "8516500000", "Microwave ovens", "U", "CN", (("A", _av("8")), ("FAS1", _av("0")), ("FCN1", _av("4")))
    ),
    DemoCode(
        "9018909000",
        "Parts and accessories of medical instruments, other",
        "U",
        "US",
        (("A", _av("8")), ("FUS1", _av("0")), ("FEU1", _av("0"))),
    ),
    DemoCode(
        "9503001800",
        "Toys, other (wheeled toys for children)",
        "U",
        "CN",
        (("A", _av("8")), ("FCN1", _av("0"))),
    ),
    DemoCode(
        "9504501000",
        "Video game consoles used with a television",
        "U",
        "JP",
        (("A", _av("8")), ("C", _av("0"))),
    ),
)

DEMO_CODES: tuple[dict[str, str], ...] = tuple(
    {"code": d.code, "description": d.description, "unit": d.unit, "origin": d.origin, "note": d.note}
    for d in _DEMO
)
"""The codes demo declarations may use: code, description, typical quantity unit, typical origin."""

# KRW per unit (JPY per 100) — DEMO values near late-2025 market levels, NOT customs rates.
DEMO_EXCHANGE_RATES: dict[str, tuple[Decimal, int]] = {
    "USD": (Decimal("1400.00"), 1),
    "EUR": (Decimal("1520.00"), 1),
    "GBP": (Decimal("1780.00"), 1),
    "JPY": (Decimal("940.00"), 100),
    "CNY": (Decimal("195.00"), 1),
    "CHF": (Decimal("1600.00"), 1),
    "AUD": (Decimal("910.00"), 1),
    "CAD": (Decimal("1000.00"), 1),
    "SGD": (Decimal("1060.00"), 1),
    "HKD": (Decimal("180.00"), 1),
    "TWD": (Decimal("43.00"), 1),
    "VND": (Decimal("5.40"), 100),
    "THB": (Decimal("40.00"), 1),
    "MXN": (Decimal("75.00"), 1),
    "NZD": (Decimal("820.00"), 1),
}


def demo_measures() -> list[Measure]:
    return [
        Measure(
            commodity_code=d.code,
            rate_code=rate_code,
            expression=expression,
            valid_from=DEMO_FROM,
            source=DEMO_SOURCE,
            demo=True,
            description=(d.rate_note or None) if rate_code == "A" else None,
        )
        for d in _DEMO
        for rate_code, expression in d.rates
    ]


def demo_exchange_rates() -> list[ExchangeRate]:
    rates: list[ExchangeRate] = []
    for currency, (rate, per) in DEMO_EXCHANGE_RATES.items():
        rates += weekly_rates(
            currency, rate, DEMO_FX_FIRST_SUNDAY, DEMO_FX_WEEKS, per=per, source=DEMO_FX_SOURCE, demo=True
        )
    return rates
