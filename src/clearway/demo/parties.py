"""Demo companies and users. Passwords are fixed so the README can show them; never use them in production."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from clearway.identity.core import Role


def valid_brn(first_nine: str) -> str:
    """Complete a 사업자등록번호 with its check digit (weights 1 3 7 1 3 7 1 3 5)."""
    digits = [int(c) for c in first_nine]
    weights = (1, 3, 7, 1, 3, 7, 1, 3, 5)
    total = sum(d * w for d, w in zip(digits, weights, strict=True)) + (digits[8] * 5) // 10
    return first_nine + str((10 - total % 10) % 10)


@dataclass(frozen=True, slots=True)
class DemoCompany:
    key: str
    name: str
    kind: str
    brn: str | None
    address: str
    customs_code: str | None = None  # 통관고유부호 (5 letters + 10 digits, see clearway.party.core)


@dataclass(frozen=True, slots=True)
class DemoUser:
    username: str
    password: str
    role: Role
    company: str
    display_name: str


COMPANIES = (
    DemoCompany("customs", "Korea Customs Service (demo)", "customs", None, "Daejeon, Republic of Korea"),
    DemoCompany(
        "hanbit",
        "Hanbit Electronics Co., Ltd.",
        "trader",
        valid_brn("120811234"),
        "12 Teheran-ro, Gangnam-gu, Seoul",
        "HANBT1998000101",
    ),
    DemoCompany(
        "seoul-broker",
        "Seoul Customs Brokerage (관세법인 서울)",
        "broker",
        valid_brn("214863456"),
        "45 Sejong-daero, Jung-gu, Seoul",
        "SEOUL2005000207",
    ),
    DemoCompany(
        "daehan",
        "Daehan Food Trading Co.",
        "trader",
        valid_brn("617812345"),
        "88 Jungang-daero, Busan",
        "DAEHN2011000315",
    ),
    # The broker's clients (they file nothing themselves; the broker files for them under a mandate).
    DemoCompany(
        "gangnam-footwear",
        "Gangnam Footwear Co.",
        "trader",
        valid_brn("211812345"),
        "31 Dosan-daero, Gangnam-gu, Seoul",
        "GANGF2014000421",
    ),
    DemoCompany(
        "mapo-fashion",
        "Mapo Fashion Ltd.",
        "trader",
        valid_brn("105869876"),
        "7 World Cup-ro, Mapo-gu, Seoul",
        "MAPOF2016000533",
    ),
    DemoCompany(
        "incheon-meat",
        "Incheon Meat Distribution Co.",
        "trader",
        valid_brn("121813579"),
        "150 Incheon-ro, Incheon",
        "INCHM2009000640",
    ),
    DemoCompany(
        "hanriver-wine",
        "Han River Wine & Spirits",
        "trader",
        valid_brn("220874321"),
        "22 Hannam-daero, Yongsan-gu, Seoul",
        "HANRW2019000752",
    ),
    DemoCompany(
        "hmm-lines",
        "Haeyang Container Lines (demo carrier)",
        "carrier",
        valid_brn("605810987"),
        "25 Chungjang-daero, Jung-gu, Busan",
        "HAEYL2012000861",
    ),
)


@dataclass(frozen=True, slots=True)
class DemoMandate:
    """A client's mandate for a broker (위임), recorded by the administrator."""

    broker: str
    client: str
    scope: str  # import | export | both
    valid_from: date
    valid_to: date | None = None


MANDATES = (
    DemoMandate("seoul-broker", "gangnam-footwear", "import", date(2025, 1, 1)),
    DemoMandate("seoul-broker", "mapo-fashion", "import", date(2025, 1, 1)),
    DemoMandate("seoul-broker", "incheon-meat", "import", date(2025, 1, 1)),
    DemoMandate("seoul-broker", "hanriver-wine", "both", date(2025, 1, 1)),
    # Hanbit files its own declarations but also lets the broker file its imports.
    DemoMandate("seoul-broker", "hanbit", "import", date(2025, 1, 1)),
)

USERS = (
    DemoUser("trader", "trader-demo-2026", Role.TRADER, "hanbit", "Kim Minji (Hanbit Electronics)"),
    DemoUser("broker", "broker-demo-2026", Role.BROKER, "seoul-broker", "Lee Junho (관세사)"),
    DemoUser("trader2", "trader2-demo-2026", Role.TRADER, "daehan", "Park Soyeon (Daehan Food)"),
    DemoUser("officer", "officer-demo-2026", Role.OFFICER, "customs", "Choi Hyun (Incheon Customs)"),
    DemoUser("analyst", "analyst-demo-2026", Role.RISK_ANALYST, "customs", "Jung Eun (Risk Analysis)"),
    DemoUser("admin", "admin-demo-2026", Role.ADMIN, "customs", "Administrator"),
    DemoUser("carrier", "carrier-demo-2026", Role.CARRIER, "hmm-lines", "Yoon Seojun (Haeyang Lines)"),
    DemoUser(
        "traveller",
        "traveller-demo-2026",
        Role.TRAVELLER_OFFICER,
        "customs",
        "Yoon Seri (Traveller Unit, Incheon Airport)",
    ),
)
