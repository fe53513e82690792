"""The goods nomenclature: HSK 10-digit national lines under HS 2022, with validity dates.

The bundled file is KCS open data 「관세청_HS부호 단위별 품목명」 (data.go.kr 15130660, base date
2026-01-01, KOGL Type 1). Its lines are valid from 2026-01-01 with no end date; lines an administrator
loads later carry their own dates.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

HSK_2026_START = date(2026, 1, 1)


@dataclass(frozen=True, slots=True)
class NomenclatureLine:
    code: str  # 10 digits
    name_ko: str
    path_ko: str  # the Korean parent descriptions, 4 to 9 digit levels joined by " > "
    name_en: str
    valid_from: date
    valid_to: date | None = None

    @property
    def hs6(self) -> str:
        return self.code[:6]

    def valid_on(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


class Nomenclature:
    """Look-up of commodity codes by date. Pure: built from lines, no I/O."""

    def __init__(self, lines: Iterable[NomenclatureLine]) -> None:
        self._by_code: dict[str, list[NomenclatureLine]] = {}
        for line in lines:
            self._by_code.setdefault(line.code, []).append(line)

    def __len__(self) -> int:
        return len(self._by_code)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def codes(self) -> list[str]:
        return sorted(self._by_code)

    def line(self, code: str, on: date) -> NomenclatureLine | None:
        for line in self._by_code.get(code, ()):
            if line.valid_on(on):
                return line
        return None

    def check(self, code: str, on: date) -> tuple[str, str] | None:
        """None if ``code`` is a valid national line on ``on``; else a reason code and message."""
        if len(code) != 10 or not code.isdigit():
            return "malformed_commodity_code", f"'{code}' is not a 10-digit HSK commodity code"
        versions = self._by_code.get(code)
        if not versions:
            return "unknown_commodity_code", f"{code} is not in the HSK nomenclature"
        if any(v.valid_on(on) for v in versions):
            return None
        if all(v.valid_to is not None and v.valid_to < on for v in versions):
            last = max(v.valid_to for v in versions if v.valid_to)
            return "expired_commodity_code", f"{code} was withdrawn from the HSK on {last.isoformat()}"
        first = min(v.valid_from for v in versions)
        return "commodity_code_not_yet_valid", f"{code} is valid only from {first.isoformat()}"


def read_hsk_csv(text: str, valid_from: date = HSK_2026_START) -> list[NomenclatureLine]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    return [
        NomenclatureLine(
            code=row["hs10"].strip(),
            name_ko=row["품목명"].strip(),
            path_ko=row["상위설명"].strip(),
            name_en=row["영문품목명"].strip(),
            valid_from=valid_from,
        )
        for row in reader
    ]


@cache
def bundled_nomenclature() -> Nomenclature:
    text = resources.files("clearway.data").joinpath("hs", "hsk_codes.csv").read_text("utf-8")
    return Nomenclature(read_hsk_csv(text))
