"""Realistic demo declarations: real HSK codes, real countries and ports, plausible quantities and prices.

Deterministic for a given seed, so the demo tells the same story every time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from clearway.demo.parties import COMPANIES, DemoCompany, valid_brn


@dataclass(frozen=True, slots=True)
class Goods:
    code: str
    description: str
    unit: str
    kg_per_unit: Decimal
    price_range: tuple[str, str]  # per unit, in the currency below
    currency: str
    origins: tuple[str, ...]


CATALOGUE: dict[str, tuple[Goods, ...]] = {
    "hanbit": (
        Goods(
            "8471300000",
            "Notebook computer, 14-inch, 16 GB RAM, 512 GB SSD",
            "U",
            Decimal("1.6"),
            ("620", "1150"),
            "USD",
            ("CN", "VN", "US"),
        ),
        Goods(
            "8517130000", "Smartphone, 5G, 256 GB", "U", Decimal("0.21"), ("280", "790"), "USD", ("VN", "CN")
        ),
        Goods(
            "8516500000",
            "Microwave oven, 23 litre, household",
            "U",
            Decimal("12.5"),
            ("58", "95"),
            "USD",
            ("CN", "TH", "MY"),
        ),
        Goods(
            "9018909000",
            "Parts for ultrasound diagnostic apparatus (probe housings)",
            "U",
            Decimal("0.4"),
            ("120", "340"),
            "USD",
            ("US", "DE", "JP"),
        ),
        Goods(
            "3926909000",
            "Plastic cable ties and clips, assorted",
            "KGM",
            Decimal("1"),
            ("3.2", "5.5"),
            "USD",
            ("CN", "VN"),
        ),
    ),
    "seoul-broker": (
        Goods(
            "6403999000",
            "Men's leather shoes, rubber soles",
            "PR",
            Decimal("0.9"),
            ("24", "78"),
            "USD",
            ("VN", "IT", "ID"),
        ),
        Goods(
            "6402999000",
            "Sports sandals, rubber and plastic",
            "PR",
            Decimal("0.5"),
            ("6", "14"),
            "USD",
            ("CN", "VN"),
        ),
        Goods(
            "6110200000",
            "Knitted cotton pullovers",
            "U",
            Decimal("0.38"),
            ("7.5", "16"),
            "USD",
            ("VN", "CN", "BD"),
        ),
        Goods(
            "3304991000",
            "Skin care cream, 50 ml jars",
            "U",
            Decimal("0.14"),
            ("4.5", "28"),
            "EUR",
            ("FR", "IT"),
        ),
        Goods(
            "0201300000",
            "Boneless beef, chilled, vacuum packed",
            "KGM",
            Decimal("1"),
            ("9.2", "14.5"),
            "USD",
            ("AU", "US", "NZ"),
        ),
        Goods(
            "2204211000",
            "Red wine, 750 ml bottles",
            "LTR",
            Decimal("1.7"),
            ("5", "24"),
            "EUR",
            ("FR", "IT", "CL"),
        ),
        Goods(
            "2203000000",
            "Beer made from malt, 500 ml cans",
            "LTR",
            Decimal("1.1"),
            ("1.1", "2.3"),
            "EUR",
            ("DE", "NL", "US"),
        ),
    ),
    "daehan": (
        Goods(
            "0805100000",
            "Fresh navel oranges",
            "KGM",
            Decimal("1"),
            ("1.1", "1.9"),
            "USD",
            ("US", "ES", "AU"),
        ),
        Goods(
            "0303540000", "Frozen mackerel, whole round", "KGM", Decimal("1"), ("1.4", "2.6"), "USD", ("NO",)
        ),
        Goods(
            "2106909099",
            "Food preparation: protein powder blends",
            "KGM",
            Decimal("1"),
            ("6", "11"),
            "USD",
            ("US", "CN"),
        ),
    ),
}

FOREIGN_SELLERS = {
    "CN": ("Shenzhen Everbright Trading Co.", "Futian District, Shenzhen"),
    "VN": ("Saigon Precision Manufacturing JSC", "District 7, Ho Chi Minh City"),
    "US": ("Pacific Rim Exports Inc.", "Long Beach, California"),
    "TH": ("Siam Appliance Co., Ltd.", "Bang Na, Bangkok"),
    "MY": ("Penang Electric Sdn Bhd", "Bayan Lepas, Penang"),
    "DE": ("Rheinland Medizintechnik GmbH", "Köln"),
    "JP": ("Osaka Instruments K.K.", "Kita-ku, Osaka"),
    "IT": ("Calzaturificio Adriatico S.r.l.", "Fermo"),
    "ID": ("PT Sepatu Nusantara", "Tangerang, Banten"),
    "BD": ("Dhaka Knit Composite Ltd.", "Gazipur, Dhaka"),
    "FR": ("Laboratoires Provence SAS", "Marseille"),
    "AU": ("Riverina Meat Exporters Pty Ltd", "Wagga Wagga, NSW"),
    "NZ": ("Canterbury Beef Ltd", "Christchurch"),
    "CL": ("Viña Valle Central S.A.", "Santiago"),
    "NL": ("Brouwerij Lage Landen B.V.", "Amsterdam"),
    "ES": ("Citricos Valencianos S.L.", "Valencia"),
    "NO": ("Nordic Pelagic AS", "Ålesund"),
}

BROKER_CLIENTS = (
    ("Gangnam Footwear Co.", "211812345", "31 Dosan-daero, Gangnam-gu, Seoul"),
    ("Mapo Fashion Ltd.", "105869876", "7 World Cup-ro, Mapo-gu, Seoul"),
    ("Incheon Meat Distribution Co.", "121813579", "150 Incheon-ro, Incheon"),
    ("Han River Wine & Spirits", "220874321", "22 Hannam-daero, Yongsan-gu, Seoul"),
)

AGREEMENTS_BY_ORIGIN = {
    "US": "KORUS",
    "VN": "KR-VN",
    "AU": "KR-AU",
    "CL": "KR-CL",
    "NZ": "KR-NZ",
    "FR": "KR-EU",
    "IT": "KR-EU",
    "DE": "KR-EU",
    "NL": "KR-EU",
    "ES": "KR-EU",
    "CN": "KR-CN",
    "TH": "KR-ASEAN",
    "MY": "KR-ASEAN",
    "ID": "KR-ASEAN",
}

SEA_PORTS = (("KRPUS", "030"), ("KRINC", "020"), ("KRPTK", "050"), ("KRKAN", "060"))


def _money(rng: random.Random, low: str, high: str) -> Decimal:
    lo, hi = Decimal(low), Decimal(high)
    return (lo + (hi - lo) * Decimal(rng.random())).quantize(Decimal("0.01"))


def _party(company: DemoCompany) -> dict[str, Any]:
    return {"name": company.name, "brn": company.brn, "address": company.address, "country": "KR"}


# The hidden truth the demo's officers find on inspection: some sellers undervalue their invoices far more often
# than others, so the risk model has something real to learn from the demo's history.
UNDERVALUING_SELLERS = {"PT Sepatu Nusantara": 0.6, "Shenzhen Everbright Trading Co.": 0.35}
BASE_UNDERVALUATION = 0.05


@dataclass(frozen=True, slots=True)
class DemoCase:
    company: str
    document: dict[str, Any]
    undervalued_by: Decimal | None = None  # share of the real price left off the invoice


def declaration(
    rng: random.Random, company_key: str, serial: int, today: date, undervalue: Decimal | None = None
) -> dict[str, Any]:
    """One import declaration by the company ``company_key`` (its ``serial``-th); with ``undervalue`` the
    invoice shows only that fraction of the real price."""
    company = next(c for c in COMPANIES if c.key == company_key)
    catalogue = CATALOGUE[company_key]
    origin_pick = rng.choice(catalogue)
    origin = rng.choice(origin_pick.origins)
    goods = [g for g in catalogue if origin in g.origins] or [origin_pick]
    lines = rng.sample(goods, k=min(len(goods), rng.choice((1, 1, 2, 3))))
    if company.kind == "broker":
        client = rng.choice(BROKER_CLIENTS)
        importer = {"name": client[0], "brn": valid_brn(client[1][:9]), "address": client[2], "country": "KR"}
    else:
        importer = _party(company)
    seller_name, seller_address = FOREIGN_SELLERS[origin]
    seller = {"name": seller_name, "address": seller_address, "country": origin}
    by_air = lines[0].kg_per_unit < Decimal("2") and rng.random() < 0.5 and lines[0].unit == "U"
    port, office = ("KRICN", "040") if by_air else rng.choice(SEA_PORTS)
    incoterm = rng.choice(("FOB", "FOB", "CIF", "CFR", "EXW"))
    items, documents = (
        [],
        [
            {
                "kind": "invoice",
                "reference": f"INV-{company_key[:3].upper()}-{serial:05d}",
                "issue_date": (today - timedelta(days=12)).isoformat(),
                "issuer": seller_name,
            }
        ],
    )
    claim_agreement = AGREEMENTS_BY_ORIGIN.get(origin) if rng.random() < 0.45 else None
    certificate = f"CO-{origin}-{today:%y}-{serial:06d}" if claim_agreement else None
    if certificate:
        documents.append(
            {
                "kind": "certificate_of_origin",
                "reference": certificate,
                "issue_date": (today - timedelta(days=15)).isoformat(),
                "issuer": seller_name,
            }
        )
    for number, g in enumerate(lines, start=1):
        quantity = (
            Decimal(rng.choice((20, 50, 120, 300, 800, 1500, 4000)))
            if g.unit != "KGM"
            else Decimal(rng.choice((500, 1200, 5000, 12000, 24000)))
        )
        amount = (quantity * _money(rng, *g.price_range) * (undervalue or 1)).quantize(Decimal("0.01"))
        mass = (quantity * g.kg_per_unit).quantize(Decimal("0.001"))
        item: dict[str, Any] = {
            "line_number": number,
            "commodity_code": g.code,
            "description": g.description,
            "origin_country": origin,
            "quantity": str(quantity),
            "quantity_unit": g.unit,
            "net_mass_kg": str(mass),
            "invoice_amount": str(amount),
            "currency": g.currency,
            "incoterm": incoterm,
        }
        if incoterm in ("FOB", "EXW"):
            item["freight"] = str((amount * Decimal("0.04")).quantize(Decimal("0.01")))
        if incoterm in ("FOB", "EXW", "CFR"):
            item["insurance"] = str((amount * Decimal("0.0015")).quantize(Decimal("0.01")))
        if certificate:
            item["preference"] = {"agreement": claim_agreement, "certificate_reference": certificate}
        items.append(item)
    return {
        "kind": "import",
        "declarant_reference": f"{company_key[:3].upper()}-{today:%Y%m%d}-{serial:04d}",
        "declarant": _party(company),
        "importer": importer,
        "seller": seller,
        "buyer": importer,
        "consignment": {
            "transport_mode": "air" if by_air else "sea",
            "transport_document": (
                f"180-{rng.randrange(10**7, 10**8)}"
                if by_air
                else f"{rng.choice(('HDMU', 'MAEU', 'COSU', 'ONEY'))}{rng.randrange(10**7, 10**8)}"
            ),
            "arrival_date": (today - timedelta(days=rng.choice((0, 1, 1, 2, 3)))).isoformat(),
            "customs_office": office,
            "port": port,
        },
        "items": items,
        "documents": documents,
    }


EXPORTS = (
    Goods(
        "8542311000",
        "Processors and controllers, monolithic integrated circuits",
        "U",
        Decimal("0.002"),
        ("18", "95"),
        "USD",
        ("KR",),
    ),
    Goods(
        "8703239010",
        "Passenger cars, new, petrol, 1,500-3,000 cc",
        "U",
        Decimal("1400"),
        ("14000", "26000"),
        "USD",
        ("KR",),
    ),
)
EXPORT_BUYERS = (
    ("US", "Pacific Rim Imports LLC", "Los Angeles, California"),
    ("VN", "Hanoi Electronics Assembly JSC", "Bac Ninh"),
    ("DE", "Rhein Elektronik Vertrieb GmbH", "Düsseldorf"),
)


def export_declaration(rng: random.Random, serial: int, today: date) -> dict[str, Any]:
    """An export declaration (수출신고) by the demo trader: Korean goods to a foreign buyer, FOB Busan."""
    company = next(c for c in COMPANIES if c.key == "hanbit")
    country, buyer_name, buyer_address = rng.choice(EXPORT_BUYERS)
    goods = EXPORTS[0]
    quantity = Decimal(rng.choice((5000, 20000, 80000)))
    amount = (quantity * _money(rng, *goods.price_range)).quantize(Decimal("0.01"))
    return {
        "kind": "export",
        "declarant_reference": f"HAN-EX-{today:%Y%m%d}-{serial:04d}",
        "declarant": _party(company),
        "exporter": _party(company),
        "seller": _party(company),
        "buyer": {"name": buyer_name, "address": buyer_address, "country": country},
        "consignment": {
            "transport_mode": "air",
            "transport_document": f"180-{rng.randrange(10**7, 10**8)}",
            "arrival_date": today.isoformat(),
            "customs_office": "040",
            "port": "KRICN",
        },
        "items": [
            {
                "line_number": 1,
                "commodity_code": goods.code,
                "description": goods.description,
                "origin_country": "KR",
                "quantity": str(quantity),
                "quantity_unit": goods.unit,
                "net_mass_kg": str((quantity * goods.kg_per_unit).quantize(Decimal("0.001"))),
                "invoice_amount": str(amount),
                "currency": goods.currency,
                "incoterm": "FCA",
            }
        ],
        "documents": [
            {"kind": "invoice", "reference": f"INV-EX-{serial:05d}", "issue_date": today.isoformat()}
        ],
    }


def declarations(count: int, today: date, seed: int = 2026) -> list[tuple[str, dict[str, Any]]]:
    """``count`` (company key, declaration) pairs spread over the demo companies; every tenth is an export."""
    return [(case.company, case.document) for case in cases(count, today, seed)]


def cases(count: int, today: date, seed: int = 2026, first_serial: int = 1) -> list[DemoCase]:
    """``count`` demo declarations filed on ``today``, each with the truth an inspection would find."""
    rng = random.Random(seed)
    filers = ("hanbit", "seoul-broker", "daehan", "seoul-broker")
    out = []
    for i in range(count):
        serial = first_serial + i
        if i % 10 == 9:
            out.append(DemoCase("hanbit", export_declaration(rng, serial, today)))
            continue
        company = filers[i % len(filers)]
        case_seed = rng.random()  # the same seed gives the same goods, seller and quantities
        document = declaration(random.Random(case_seed), company, serial, today)
        share = UNDERVALUING_SELLERS.get(document["seller"]["name"], BASE_UNDERVALUATION)
        factor = Decimal(str(round(rng.uniform(0.35, 0.6), 2))) if rng.random() < share else None
        if factor is not None:
            document = declaration(random.Random(case_seed), company, serial, today, undervalue=factor)
        out.append(DemoCase(company, document, None if factor is None else 1 - factor))
    return out
