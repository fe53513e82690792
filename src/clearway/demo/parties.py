"""Demo companies and users. Passwords are fixed so the README can show them; never use them in production."""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class DemoUser:
    username: str
    password: str
    role: Role
    company: str
    display_name: str


COMPANIES = (
    DemoCompany("customs", "Korea Customs Service (demo)", "customs", None, "Daejeon, Republic of Korea"),
    DemoCompany("hanbit", "Hanbit Electronics Co., Ltd.", "trader", valid_brn("120811234"),
                "12 Teheran-ro, Gangnam-gu, Seoul"),
    DemoCompany("seoul-broker", "Seoul Customs Brokerage (관세법인 서울)", "broker", valid_brn("214863456"),
                "45 Sejong-daero, Jung-gu, Seoul"),
    DemoCompany("daehan", "Daehan Food Trading Co.", "trader", valid_brn("617812345"),
                "88 Jungang-daero, Busan"),
)

USERS = (
    DemoUser("trader", "trader-demo-2026", Role.TRADER, "hanbit", "Kim Minji (Hanbit Electronics)"),
    DemoUser("broker", "broker-demo-2026", Role.BROKER, "seoul-broker", "Lee Junho (관세사)"),
    DemoUser("trader2", "trader2-demo-2026", Role.TRADER, "daehan", "Park Soyeon (Daehan Food)"),
    DemoUser("officer", "officer-demo-2026", Role.OFFICER, "customs", "Choi Hyun (Incheon Customs)"),
    DemoUser("analyst", "analyst-demo-2026", Role.RISK_ANALYST, "customs", "Jung Eun (Risk Analysis)"),
    DemoUser("admin", "admin-demo-2026", Role.ADMIN, "customs", "Administrator"),
    DemoUser("traveller", "traveller-demo-2026", Role.TRAVELLER_OFFICER, "customs",
             "Yoon Seri (Traveller Unit, Incheon Airport)"),
)
