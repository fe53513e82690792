"""Manifest line ↔ import declaration: is what was declared what was carried? Pure.

Each finding has a stable code, so a mismatch can be shown to the officer and counted as a risk signal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

# The declared net mass may exceed the manifest's gross weight only by weighing tolerance (5 %), and a net
# mass under 30 % of the gross is more packaging than goods for most cargo: both are flagged.
OVER_GROSS = Decimal("1.05")
UNDER_GROSS = Decimal("0.30")
NAME_OVERLAP = 0.5
_WORD = re.compile(r"[0-9a-z가-힣]{2,}")
_NOISE = frozenset(
    {
        "co",
        "ltd",
        "inc",
        "corp",
        "corporation",
        "company",
        "limited",
        "the",
        "and",
        "of",
        "llc",
        "gmbh",
        "주식회사",
        "trading",
    }
)


@dataclass(frozen=True, slots=True)
class ManifestLine:
    bill: str
    consignee_name: str
    consignee_brn: str | None
    description: str
    hs6: str | None
    packages: int
    gross_weight_kg: Decimal


@dataclass(frozen=True, slots=True)
class DeclaredGoods:
    declaration_id: int
    importer_name: str | None
    importer_brn: str | None
    descriptions: tuple[str, ...]
    commodity_codes: tuple[str, ...]
    net_mass_kg: Decimal


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True, slots=True)
class MatchResult:
    bill: str
    declaration_id: int
    on_manifest: bool
    findings: tuple[Finding, ...] = field(default=())

    @property
    def matched(self) -> bool:
        return self.on_manifest and not self.findings

    def as_dict(self) -> dict[str, object]:
        return {
            "bill": self.bill,
            "declaration_id": self.declaration_id,
            "on_manifest": self.on_manifest,
            "matched": self.matched,
            "findings": [f.as_dict() for f in self.findings],
        }


def words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _NOISE}


def _digits(text: str | None) -> str:
    return "".join(c for c in text or "" if c.isdigit())


def same_party(name_a: str, brn_a: str | None, name_b: str | None, brn_b: str | None) -> bool:
    if _digits(brn_a) and _digits(brn_b):
        return _digits(brn_a) == _digits(brn_b)
    a, b = words(name_a), words(name_b or "")
    return bool(a and b) and len(a & b) / min(len(a), len(b)) >= NAME_OVERLAP


def match(line: ManifestLine | None, goods: DeclaredGoods, bill: str) -> MatchResult:
    if line is None:
        return MatchResult(
            bill,
            goods.declaration_id,
            False,
            (
                Finding(
                    "bill_not_on_manifest",
                    f"bill {bill} is on no manifest: the declaration is held until it is reported",
                ),
            ),
        )
    findings = []
    if goods.net_mass_kg > line.gross_weight_kg * OVER_GROSS:
        findings.append(
            Finding(
                "weight_over_manifest",
                f"declared net mass {goods.net_mass_kg} kg exceeds the "
                f"manifest gross weight {line.gross_weight_kg} kg",
            )
        )
    elif goods.net_mass_kg < line.gross_weight_kg * UNDER_GROSS:
        findings.append(
            Finding(
                "weight_under_manifest",
                f"declared net mass {goods.net_mass_kg} kg is under "
                f"30% of the manifest gross weight {line.gross_weight_kg} kg",
            )
        )
    if not same_party(line.consignee_name, line.consignee_brn, goods.importer_name, goods.importer_brn):
        findings.append(
            Finding(
                "consignee_not_importer",
                f"the manifest consignee '{line.consignee_name}' is not "
                f"the importer '{goods.importer_name or '-'}'",
            )
        )
    declared_words = set().union(*(words(d) for d in goods.descriptions)) if goods.descriptions else set()
    if words(line.description) and not words(line.description) & declared_words:
        findings.append(
            Finding(
                "description_mismatch",
                f"the manifest says '{line.description}'; the declaration "
                "describes other goods (no word in common)",
            )
        )
    if line.hs6 and not any(code.startswith(line.hs6) for code in goods.commodity_codes):
        declared = ", ".join(sorted({c[:6] for c in goods.commodity_codes}))
        findings.append(
            Finding("hs_mismatch", f"the manifest gives HS {line.hs6}; the declaration {declared}")
        )
    return MatchResult(bill, goods.declaration_id, True, tuple(findings))
