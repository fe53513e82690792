"""Rate priority (세율적용 우선순위) as data: 관세법 제50조 and FTA 관세특례법 제5조.

The bundled table is ``data/tariff/korea/kr_tariff_rate_priority.csv`` (compiled from the UNI-PASS page
"세율적용 우선순위" and the statutes; see SOURCES.md). Each row names rate codes, a rank (1 = applied first)
and how the rank relates to the others; this module turns the codes into :class:`RateRule` values the
assessment engine applies.

How each rank relates to the others (the column ``rule_vs_other_ranks``), as the engine reads it:

* rank 1 (I, M, J, K, T, L item 2): applied first. Trade remedies marked ``additive`` are added on top of
  the applied rate; the others replace it.
* rank 2 (every FTA, CEPA and RCEP code of the KCS code list, staging variants included: FCN1…FCN11,
  FRCJP1, FASTH …): only with a granted preference claim under that agreement, only if not higher than
  ranks 3-7.
* rank 3 (C, CIT, D, E1-E3, G, F, N): only if lower than the result of ranks 4-7.
  W1/W2: precedence over ranks 6-7 even when higher; over ranks 4-5 only if lower.
* rank 4 (L items 1, 3, 4; P quota): precedence over ranks 6-7; over rank 5 only if lower.
* rank 5 (R, LDC): precedence over ranks 6-7.
* rank 6 (B provisional): precedence over rank 7.
* rank 7 (A basic): the default.
* U (북한산, outside 제50조): goods of North Korean origin take it instead of any other rate.

Which code belongs to which row is decided by ``kcs_codes`` for the 367 codes of the KCS code list.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import resources

from clearway.tariff.kcs_codes import FTA_FAMILY, INTER_KOREAN, RateCodes, bundled_rate_codes


class RateKind(StrEnum):
    """Kinds of rate: where a rate code stands in the order of 관세법 제50조."""

    INTER_KOREAN = "inter_korean"  # U: goods of North Korean origin (남북교류협력에 관한 법률 제26조)
    REMEDY = "remedy"  # rank 1 additive: anti-dumping, countervailing, special safeguard ...
    OVERRIDE = "override"  # rank 1 non-additive (조정관세 제69조 제2호)
    FTA = "fta"  # rank 2
    CONCESSION = "concession"  # rank 3 (C, CIT, D, E, G, F, N)
    AGRI_CONCESSION = "agri_concession"  # rank 3 W1/W2
    QUOTA_ADJUSTMENT = "quota_adjustment"  # rank 4 (L, P)
    LDC = "ldc"  # rank 5 (R)
    PROVISIONAL = "provisional"  # rank 6 (B)
    BASIC = "basic"  # rank 7 (A)
    REFERENCE = "reference"  # data kept for reference, never applied (e.g. an FTA's base rate)


@dataclass(frozen=True, slots=True)
class RateRule:
    code: str  # the rate code this rule covers (exact), or the pattern name for FTA codes
    rank: int
    kind: RateKind
    name_ko: str
    name_en: str
    legal_basis: str
    rule: str
    additive: bool
    needs_recommendation: bool = False  # 추천: W1, P1 need a recommendation or quota allocation


_FTA_CODE = re.compile(r"^F[A-Z]{2,5}\d$")
# 추천이 필요한 세율: W1 (농림축산물 양허, 추천), P1 (할당관세, 추천/수량제한)
_NEEDS_RECOMMENDATION = frozenset({"W1", "P1"})


def _kind(rank: int, codes: list[str], additive: bool) -> RateKind:
    if rank == 1:
        return RateKind.REMEDY if additive else RateKind.OVERRIDE
    if rank == 2:
        return RateKind.FTA
    if rank == 3:
        return RateKind.AGRI_CONCESSION if codes and codes[0].startswith("W") else RateKind.CONCESSION
    return {4: RateKind.QUOTA_ADJUSTMENT, 5: RateKind.LDC, 6: RateKind.PROVISIONAL, 7: RateKind.BASIC}[rank]


def _codes(cell: str) -> list[str]:
    """'T (T1 T2)' → T, T1, T2; 'L (제69조 제2호)' → L; '(none in code list)' → none."""
    cell = cell.strip()
    if cell.startswith("("):
        return []
    head, _, rest = cell.partition("(")
    codes = head.split()
    inner = rest.rstrip(")").split()
    codes += [c for c in inner if re.fullmatch(r"[A-Z]+\d*", c)]
    return [c for c in codes if re.fullmatch(r"[A-Z]+\d*", c)]


def _additive(cell: str) -> bool:
    # 'see UNI-PASS rate detail' (보복관세 J, 긴급관세 K): both statutes say the duty is levied in addition
    # (관세법 제63조 "부과할 수 있다", 제65조 "관세를 추가하여 부과"), so they are treated as additive.
    return not cell.strip().lower().startswith("no")


@dataclass(frozen=True)
class RatePriority:
    """The rules by rate code.

    A code of the KCS code list takes the rule of its family (``C2A5`` that of C, ``FCN7`` that of the FTA
    row, ``P2`` that of P with a recommendation needed); a refused code has no rule. Codes outside the list:
    FTA-looking codes (F + partner + digit) match the FTA row by pattern, ``REF…`` codes are reference lines.
    """

    rules: dict[str, RateRule]
    fta_rule: RateRule | None
    codes: RateCodes | None = None
    _derived: dict[str, RateRule | None] = field(default_factory=dict, compare=False, repr=False)

    def rule_for(self, code: str) -> RateRule | None:
        if code in self._derived:  # worked out once per code
            return self._derived[code]
        rule = self.rules.get(code)
        meaning = self.codes.get(code) if self.codes is not None else None
        derived: RateRule | None = rule
        if meaning is not None:
            if meaning.refused:
                derived = None
            else:
                base = rule or self._family_rule(meaning.family)
                if base is not None:
                    derived = RateRule(
                        code,
                        base.rank,
                        base.kind,
                        base.name_ko if rule else meaning.name_ko,
                        base.name_en,
                        base.legal_basis,
                        base.rule,
                        base.additive,
                        needs_recommendation=meaning.needs_recommendation,
                    )
        elif rule is not None:
            pass
        elif code.startswith("REF"):
            derived = REFERENCE_RULE
        elif self.fta_rule is not None and _FTA_CODE.match(code):
            derived = RateRule(
                code,
                self.fta_rule.rank,
                self.fta_rule.kind,
                self.fta_rule.name_ko,
                self.fta_rule.name_en,
                self.fta_rule.legal_basis,
                self.fta_rule.rule,
                self.fta_rule.additive,
            )
        self._derived[code] = derived
        return derived

    def _family_rule(self, family: str) -> RateRule | None:
        if family == FTA_FAMILY:
            return self.fta_rule
        if family == INTER_KOREAN:
            return INTER_KOREAN_RULE
        return self.rules.get(family)

    def rows(self) -> list[RateRule]:
        rows = list(self.rules.values())
        if self.fta_rule:
            rows.append(self.fta_rule)
        return sorted(rows, key=lambda r: (r.rank, r.code))


def parse_priority_csv(text: str, rate_codes: RateCodes | None = None) -> RatePriority:
    rules: dict[str, RateRule] = {}
    fta_rule: RateRule | None = None
    for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff"))):
        rank = int(row["rank"])
        additive = _additive(row["additive"])
        codes = _codes(row["rate_codes"])
        kind = _kind(rank, codes, additive)
        if kind is RateKind.FTA:
            fta_rule = RateRule(
                "F??1",
                rank,
                kind,
                row["name_ko"],
                row["name_en"],
                row["legal_basis"],
                row["rule_vs_other_ranks"],
                additive,
            )
        for code in codes:
            # 조정관세 L appears at rank 1 (제69조 제2호) and rank 4 (제1·3·4호); the rate file cannot tell them
            # apart, so the later row (rank 4, the usual case) wins for L (see docs/notes/assessment.md).
            if code in rules and code != "L":
                continue
            rules[code] = RateRule(
                code,
                rank,
                kind,
                row["name_ko"],
                row["name_en"],
                row["legal_basis"],
                row["rule_vs_other_ranks"],
                additive,
                needs_recommendation=code in _NEEDS_RECOMMENDATION,
            )
    return RatePriority(rules, fta_rule, rate_codes)


REFERENCE_RULE = RateRule(
    "REF",
    99,
    RateKind.REFERENCE,
    "참고세율",
    "reference rate",
    "-",
    "kept for reference only (e.g. an FTA schedule's base rate); never applied",
    False,
)


INTER_KOREAN_RULE = RateRule(
    "U",
    0,
    RateKind.INTER_KOREAN,
    "북한산",
    "goods of North Korean origin (inter-Korean trade)",
    "남북교류협력에 관한 법률 제26조",
    "replaces every other rate for goods of North Korean origin",
    False,
)


@cache
def bundled_priority() -> RatePriority:
    text = resources.files("clearway.data").joinpath("tariff", "korea", "kr_tariff_rate_priority.csv")
    return parse_priority_csv(text.read_text("utf-8"), bundled_rate_codes())
