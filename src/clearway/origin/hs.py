"""Harmonized System codes and ranges as the origin rules use them (pure).

A code is kept as its digits only ("8501.10" -> "850110"); its length says its level: 2 chapter, 4 heading,
6 subheading, 8/10 national tariff lines (HSK, HTSUS). A :class:`HsRange` is a closed range of codes written
at any level ("8501-8504", "8501.10-8501.30", "0406", "04"), compared digit by digit so that "8504" contains
"850410" and every 10-digit line below it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

LEVEL_NAMES = {2: "chapter", 4: "heading", 6: "subheading", 8: "tariff item", 10: "tariff line"}
_NOT_DIGIT = re.compile(r"[^0-9]")
_RANGE_TEXT = re.compile(r"^\s*(?:ex\s+)?\d[\d.]*\s*(?:(?:-|–|through|to)\s*\d[\d.]*)?\s*$", re.I)


def digits(code: str) -> str:
    """The digits of a printed code: '8471.30-0000' -> '8471300000'."""
    return _NOT_DIGIT.sub("", str(code))


def well_formed(code: str) -> bool:
    return code.isdigit() and len(code) in (2, 4, 6, 8, 10)


def printed(code: str) -> str:
    """Readable form: '850110' -> '8501.10', '8501109000' -> '8501.10.9000'."""
    if len(code) <= 4:
        return code
    if len(code) == 6:
        return f"{code[:4]}.{code[4:]}"
    return f"{code[:4]}.{code[4:6]}.{code[6:]}"


def level_name(length: int) -> str:
    return LEVEL_NAMES.get(length, f"{length}-digit")


@dataclass(frozen=True, slots=True)
class HsRange:
    low: str  # digits, any even length
    high: str

    @classmethod
    def parse(cls, text: str) -> HsRange:
        """'8501-8504', '8501.10 - 8501.30', '0406', 'Chapter 4' style ranges (digits only are kept)."""
        if not _RANGE_TEXT.match(text):
            raise ValueError(f"not an HS range: {text!r}")
        parts = re.split(r"\s*(?:-|–|through|to)\s*", text.strip(), maxsplit=1)
        low = digits(parts[0])
        high = digits(parts[1]) if len(parts) > 1 else low
        if len(low) % 2:
            low = "0" + low
        if len(high) % 2:
            high = "0" + high
        if not low or not high:
            raise ValueError(f"not an HS range: {text!r}")
        return cls(low, high)

    @classmethod
    def of(cls, code: str) -> HsRange:
        code = digits(code)
        return cls(code, code)

    @property
    def padded_low(self) -> str:
        return self.low.ljust(10, "0")

    @property
    def padded_high(self) -> str:
        return self.high.ljust(10, "9")

    def contains(self, code: str) -> bool:
        """True when every tariff line under ``code`` is inside the range."""
        return self.padded_low <= code.ljust(10, "0") and code.ljust(10, "9") <= self.padded_high

    def overlaps(self, code: str) -> bool:
        """True when some tariff line under ``code`` is inside the range."""
        return self.padded_low <= code.ljust(10, "9") and code.ljust(10, "0") <= self.padded_high

    def width(self) -> int:
        return int(self.padded_high) - int(self.padded_low)

    def __str__(self) -> str:
        low, high = self.low, self.high
        while len(low) > 2 and len(low) == len(high) and low.endswith("00") and high.endswith("99"):
            low, high = low[:-2], high[:-2]
        return printed(low) if low == high else f"{printed(low)}-{printed(high)}"


def ranges_text(ranges: Iterable[HsRange]) -> str:
    return ", ".join(str(r) for r in ranges)


def membership(code: str, ranges: Iterable[HsRange]) -> str:
    """'in' when the whole of ``code`` is inside one of the ranges, 'maybe' when only part of it could be
    (a material given at 4 digits against a 6-digit range), 'out' otherwise."""
    result = "out"
    for r in ranges:
        if r.contains(code):
            return "in"
        if r.overlaps(code):
            result = "maybe"
    return result


TEXTILE_RANGE = HsRange("50", "63")  # Section XI, textiles and textile articles
