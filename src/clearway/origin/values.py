"""Values printed on certificates: country names, dates, numbers (pure)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

import pycountry

COUNTRY_ALIASES = {
    "KOREA": "KR",
    "REPUBLIC OF KOREA": "KR",
    "SOUTH KOREA": "KR",
    "KOREA (REPUBLIC OF)": "KR",
    "KOREA, REPUBLIC OF": "KR",
    "대한민국": "KR",
    "한국": "KR",
    "UK": "GB",
    "U.K.": "GB",
    "UNITED KINGDOM": "GB",
    "GREAT BRITAIN": "GB",
    "ENGLAND": "GB",
    "SCOTLAND": "GB",
    "WALES": "GB",
    "USA": "US",
    "U.S.A.": "US",
    "U.S.": "US",
    "UNITED STATES": "US",
    "UNITED STATES OF AMERICA": "US",
    "CHINA": "CN",
    "PRC": "CN",
    "PEOPLE'S REPUBLIC OF CHINA": "CN",
    "VIETNAM": "VN",
    "VIET NAM": "VN",
    "EU": "EU",
    "EUROPEAN UNION": "EU",
    "TAIWAN": "TW",
    "HONG KONG": "HK",
    "RUSSIA": "RU",
    "TURKEY": "TR",
    "TÜRKIYE": "TR",
    "CZECH REPUBLIC": "CZ",
    "LAOS": "LA",
    "BRUNEI": "BN",
}
MONTHS = {
    m.lower(): i
    for i, m in enumerate(
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], start=1
    )
}


def country_code(text: str | None) -> str | None:
    if not text:
        return None
    name = re.sub(r"\s+", " ", text.strip().strip(".,;:")).upper()
    if name in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[name]
    if len(name) == 2 and name.isalpha():
        try:
            return pycountry.countries.get(alpha_2=name).alpha_2  # type: ignore[union-attr]
        except (KeyError, AttributeError):
            return None
    try:
        return pycountry.countries.lookup(name).alpha_2
    except LookupError:
        return None


def country_in(text: str) -> str | None:
    """The country named at the end of an address ('..., Seoul, Republic of Korea' -> KR)."""
    for piece in reversed([p for p in re.split(r"[,\n]", text) if p.strip()]):
        code = country_code(piece)
        if code:
            return code
        words = piece.strip().split()
        for n in (3, 2, 1):
            if len(words) >= n:
                code = country_code(" ".join(words[-n:]))
                if code:
                    return code
    return None


_DATE_PATTERNS = (
    (re.compile(r"\b(\d{4})[-./](\d{1,2})[-./](\d{1,2})\b"), "ymd"),
    (re.compile(r"\b(\d{1,2})[-./ ]([A-Za-z]{3})[A-Za-z]*\.?[-./ ,]+(\d{4})\b"), "dmy_name"),
    (re.compile(r"\b([A-Za-z]{3})[A-Za-z]*\.? (\d{1,2}),? (\d{4})\b"), "mdy_name"),
    (re.compile(r"\b(\d{1,2})[./-](\d{1,2})[./-](\d{4})\b"), "dmy"),
)


def parse_date(text: str | None) -> tuple[date | None, float]:
    """A date in the text and how sure the reading is (day-first numeric dates are ambiguous: 0.7)."""
    if not text:
        return None, 0.0
    for pattern, kind in _DATE_PATTERNS:
        m = pattern.search(text)
        if not m:
            continue
        try:
            if kind == "ymd":
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3))), 1.0
            if kind == "dmy_name":
                month = MONTHS.get(m.group(2)[:3].lower())
                if month:
                    return date(int(m.group(3)), month, int(m.group(1))), 1.0
                continue
            if kind == "mdy_name":
                month = MONTHS.get(m.group(1)[:3].lower())
                if month:
                    return date(int(m.group(3)), month, int(m.group(2))), 1.0
                continue
            day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
            if day <= 12 and month <= 12 and day != month:
                return date(year, month, day), 0.7
            return date(year, month, day), 1.0
        except ValueError:
            continue
    return None, 0.0


def number(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None
