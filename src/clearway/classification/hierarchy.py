"""The nomenclature as a tree: section → chapter → heading → subheading (HS6) → HSK national line.

Built from the core's vendored files (``src/clearway/data/hs``): HS 2022 (English descriptions, sections) and
the HSK 10-digit lines (Korean name and parent path, English leaf name). Pure once built.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from clearway.tariff.nomenclature import NomenclatureLine, read_hsk_csv


@dataclass(frozen=True, slots=True)
class PathStep:
    """One line on a code's path through the nomenclature."""

    level: str  # "section", "chapter", "heading", "subheading", "national"
    code: str  # roman numeral for a section, else 2/4/6/10 digits
    description: str  # English
    description_ko: str = ""

    def as_dict(self) -> dict[str, str]:
        out = {"level": self.level, "code": self.code, "description": self.description}
        if self.description_ko:
            out["description_ko"] = self.description_ko
        return out


class Hierarchy:
    """Descriptions by code at every level, and the path of any code."""

    def __init__(
        self,
        hs_rows: Iterable[dict[str, str]],
        sections: dict[str, str],
        hsk_lines: Iterable[NomenclatureLine],
    ) -> None:
        self.sections = dict(sections)
        self.section_of: dict[str, str] = {}  # chapter (2 digits) -> roman numeral
        self.description: dict[str, str] = {}  # 2/4/6 digits -> English description
        for row in hs_rows:
            code, level = row["hscode"].strip(), row["level"].strip()
            if level not in ("2", "4", "6") or not code.isdigit() or code.startswith("99"):
                continue
            self.description[code] = row["description"].strip()
            if level == "2":
                self.section_of[code] = row["section"].strip()
        self.lines: dict[str, NomenclatureLine] = {}
        self.lines_by_hs6: dict[str, list[str]] = {}
        self.heading_ko: dict[str, str] = {}
        for line in hsk_lines:
            self.lines[line.code] = line
            self.lines_by_hs6.setdefault(line.hs6, []).append(line.code)
            first = line.path_ko.split(" > ")[0].strip() if line.path_ko else line.name_ko
            self.heading_ko.setdefault(line.code[:4], first)
        for codes in self.lines_by_hs6.values():
            codes.sort()

    @property
    def hs6_codes(self) -> list[str]:
        """Every HS6 subheading (the HS 2022 list, plus any HSK-only one)."""
        return sorted({c for c in self.description if len(c) == 6} | set(self.lines_by_hs6))

    def subheading_ko(self, hs6: str) -> str:
        """A Korean description of an HS6: the HSK path down to it, and its lines' names when it has one line."""
        codes = self.lines_by_hs6.get(hs6, [])
        if not codes:
            return ""
        line = self.lines[codes[0]]
        if len(codes) == 1:
            return f"{line.path_ko} > {line.name_ko}" if line.path_ko else line.name_ko
        return line.path_ko

    def national_lines(self, hs6: str) -> list[NomenclatureLine]:
        return [self.lines[c] for c in self.lines_by_hs6.get(hs6, [])]

    def known(self, code: str) -> bool:
        return (
            code in self.lines if len(code) == 10 else code in self.description or code in self.lines_by_hs6
        )

    def path(self, code: str) -> list[PathStep]:
        """Section → chapter → heading → subheading (→ national line when ``code`` has 10 digits)."""
        steps: list[PathStep] = []
        chapter = code[:2]
        roman = self.section_of.get(chapter)
        if roman:
            steps.append(PathStep("section", roman, self.sections.get(roman, "")))
        if chapter in self.description:
            steps.append(PathStep("chapter", chapter, self.description[chapter]))
        if len(code) >= 4 and code[:4] in self.description:
            steps.append(
                PathStep("heading", code[:4], self.description[code[:4]], self.heading_ko.get(code[:4], ""))
            )
        if len(code) >= 6 and (code[:6] in self.description or code[:6] in self.lines_by_hs6):
            steps.append(
                PathStep(
                    "subheading", code[:6], self.description.get(code[:6], ""), self.subheading_ko(code[:6])
                )
            )
        if len(code) == 10 and code in self.lines:
            line = self.lines[code]
            ko = f"{line.path_ko} > {line.name_ko}" if line.path_ko else line.name_ko
            steps.append(PathStep("national", code, line.name_en, ko))
        return steps


def read_hs_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def read_sections_csv(text: str) -> dict[str, str]:
    return {
        row["section"].strip(): row["name"].strip()
        for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    }


@cache
def bundled_hierarchy() -> Hierarchy:
    folder = resources.files("clearway.data").joinpath("hs")
    return Hierarchy(
        read_hs_csv(folder.joinpath("harmonized-system.csv").read_text("utf-8")),
        read_sections_csv(folder.joinpath("sections.csv").read_text("utf-8")),
        read_hsk_csv(folder.joinpath("hsk_codes.csv").read_text("utf-8")),
    )
