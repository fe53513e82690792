"""Pure look-ups in the code lists a declaration is checked against.

Countries and currencies come from pycountry (ISO 3166-1 / ISO 4217); the others are bundled JSON files in
``clearway/data/reference`` (see ``data/SOURCES.md``). Each check returns ``None`` when the value is valid or a
reason code and message when it is not, so callers can name the field themselves.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

import pycountry

INCOTERMS_2020: dict[str, str] = {
    # term: which of freight / insurance to Korea the invoice price already includes
    "EXW": "",
    "FCA": "",
    "FAS": "",
    "FOB": "",
    "CFR": "F",
    "CPT": "F",
    "CIF": "FI",
    "CIP": "FI",
    "DAP": "FI",
    "DPU": "FI",
    "DDP": "FI",
}

TRANSPORT_MODES: dict[str, str] = {
    # WCO / UN Rec 19 mode codes
    "sea": "1",
    "rail": "2",
    "road": "3",
    "air": "4",
    "post": "5",
    "fixed_installation": "7",
    "inland_water": "8",
}


@dataclass(frozen=True, slots=True)
class Unit:
    code: str
    name: str
    dimension: str
    factor_to_base: Decimal


@dataclass(frozen=True, slots=True)
class Agreement:
    code: str
    name: str
    rate_code: str
    partners: frozenset[str]
    in_force_from: date


def _load(name: str) -> Any:
    return json.loads(resources.files("clearway.data").joinpath("reference", name).read_text("utf-8"))


@cache
def units() -> dict[str, Unit]:
    return {
        u["code"]: Unit(u["code"], u["name"], u["dimension"], Decimal(u["factor_to_base"]))
        for u in _load("units.json")["units"]
    }


@cache
def customs_offices() -> dict[str, dict[str, str]]:
    return {o["code"]: o for o in _load("customs_offices.json")["offices"]}


@cache
def ports() -> dict[str, dict[str, str]]:
    return {p["code"]: p for p in _load("ports.json")["ports"]}


@cache
def agreements() -> dict[str, Agreement]:
    return {
        a["code"]: Agreement(
            a["code"],
            a["name"],
            a["rate_code"],
            frozenset(a["partners"]),
            date.fromisoformat(a["in_force_from"]),
        )
        for a in _load("agreements.json")["agreements"]
    }


@cache
def country_codes() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries)


@cache
def currency_codes() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.currencies)


Problem = tuple[str, str] | None


def check_country(value: str) -> Problem:
    if value not in country_codes():
        return "unknown_country", f"'{value}' is not an ISO 3166-1 alpha-2 country code"
    return None


def check_currency(value: str) -> Problem:
    if value not in currency_codes():
        return "unknown_currency", f"'{value}' is not an ISO 4217 currency code"
    return None


def check_unit(value: str) -> Problem:
    if value not in units():
        return (
            "unknown_unit",
            f"'{value}' is not an accepted UN/ECE Rec 20 unit ({', '.join(sorted(units()))})",
        )
    return None


def check_incoterm(value: str) -> Problem:
    if value not in INCOTERMS_2020:
        return "unknown_incoterm", f"'{value}' is not an Incoterms 2020 rule ({', '.join(INCOTERMS_2020)})"
    return None


def check_transport_mode(value: str) -> Problem:
    if value not in TRANSPORT_MODES:
        return "unknown_transport_mode", f"'{value}' is not a transport mode ({', '.join(TRANSPORT_MODES)})"
    return None


def check_customs_office(value: str) -> Problem:
    if value not in customs_offices():
        return "unknown_customs_office", f"'{value}' is not a customs office code"
    return None


def check_port(value: str) -> Problem:
    if value not in ports():
        return "unknown_port", f"'{value}' is not a known UN/LOCODE port of entry"
    return None


def check_agreement(value: str) -> Problem:
    if value not in agreements():
        return "unknown_agreement", f"'{value}' is not a trade agreement ({', '.join(agreements())})"
    return None


def korean_brn_is_valid(brn: str) -> bool:
    """사업자등록번호 check digit (10 digits, weights 1 3 7 1 3 7 1 3 5)."""
    digits = [int(c) for c in brn if c.isdigit()]
    if len(digits) != 10:
        return False
    weights = (1, 3, 7, 1, 3, 7, 1, 3, 5)
    total = sum(d * w for d, w in zip(digits[:9], weights, strict=False))
    total += (digits[8] * 5) // 10
    return (10 - total % 10) % 10 == digits[9]
