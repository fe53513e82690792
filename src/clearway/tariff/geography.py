"""Geographical areas: which origins a measure applies to.

A measure names a country (ISO 3166-1 alpha-2), ERGA OMNES (every origin), an agreement group
(``AGR:<agreement code>``), or nothing — then the area follows from its rate code:

* an FTA rate code (FUS1, FEU1 ...) → the partners of the agreement with that rate code
  (``clearway.data/reference/agreements.json``);
* A, B, C, CIT, L, P1/P3, W1/W2 → every origin (C/CIT are WTO concessions; origins outside the WTO get them
  through 편익관세, 관세법 제74조, so the difference is rare — noted in docs/notes/assessment.md);
* rates that need a country list this project does not hold (R: LDC beneficiaries; D, E1-E3, G1/G2, F, N:
  listed countries and their own proofs of origin; I, M, J, K, T: the countries or producers the
  기획재정부령 names) → :class:`UnknownArea`, and the engine shows the rate without applying it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from clearway.reference.codes import agreements
from clearway.tariff.measures import ERGA_OMNES, IMPLIED

AGREEMENT_PREFIX = "AGR:"


class UnknownArea(Exception):
    pass


_EVERY_ORIGIN = frozenset({"A", "B", "C", "CIT", "L", "P", "P1", "P3", "W1", "W2"})
_LISTED_ELSEWHERE = {
    "R": "the LDC beneficiary list (최빈개발도상국에 대한 특혜관세 공여 규정 별표)",
    "D": "the developing-country concession list",
    "E1": "APTA membership and an APTA certificate of origin",
    "E2": "APTA membership and an APTA certificate of origin",
    "E3": "APTA membership and an APTA certificate of origin",
    "G": "GSTP membership and a GSTP certificate of origin",
    "G1": "GSTP membership and a GSTP certificate of origin",
    "G2": "GSTP membership and a GSTP certificate of origin",
    "F": "the countries of the international-cooperation concession",
    "N": "the 편익관세 country list (관세법 제74조)",
    "I": "the countries and producers named by the 기획재정부령 imposing it",
    "M": "the countries and producers named by the 기획재정부령 imposing it",
    "J": "the countries named by the 기획재정부령 imposing it",
    "K": "the countries named by the 기획재정부령 imposing it",
    "T": "the trigger conditions of the special safeguard (관세법 제68조)",
    "T1": "the trigger conditions of the special safeguard (관세법 제68조)",
    "T2": "the trigger conditions of the special safeguard (관세법 제68조)",
}


_UNSET = object()


@dataclass(frozen=True)
class Geography:
    partners_by_rate_code: dict[str, frozenset[str]]
    agreement_by_rate_code: dict[str, str]
    partners_by_agreement: dict[str, frozenset[str]]
    _resolved: dict[tuple[str, str], Any] = field(default_factory=dict, compare=False, repr=False)

    def members(self, area: str, rate_code: str) -> frozenset[str] | None:
        """The origins of the area; None = every origin. Raises UnknownArea when it cannot be resolved."""
        if area == ERGA_OMNES:
            return None
        if area == IMPLIED:
            found = self.partners_by_rate_code.get(rate_code)
            if found is not None:
                return found
            if rate_code in _EVERY_ORIGIN:
                return None
            needed = _LISTED_ELSEWHERE.get(rate_code)
            if needed:
                raise UnknownArea(f"the {rate_code} rate applies only to origins on {needed}, which is not loaded")
            raise UnknownArea(f"no agreement or origin list is configured for rate code {rate_code}")
        if area.startswith(AGREEMENT_PREFIX):
            partners = self.partners_by_agreement.get(area[len(AGREEMENT_PREFIX):])
            if partners is None:
                raise UnknownArea(f"unknown agreement area {area}")
            return partners
        if len(area) == 2 and area.isalpha() and area.isupper():
            return frozenset({area})
        raise UnknownArea(f"unknown geographical area {area}")

    def applies(self, area: str, rate_code: str, excluded: frozenset[str], origin: str) -> bool:
        if origin in excluded:
            return False
        key = (area, rate_code)
        members = self._resolved.get(key, _UNSET)
        if members is _UNSET:
            try:
                members = self.members(area, rate_code)
            except UnknownArea as exc:
                members = exc
            self._resolved[key] = members
        if isinstance(members, UnknownArea):
            raise members
        return members is None or origin in members

    def describe(self, area: str, rate_code: str) -> str:
        if area == ERGA_OMNES:
            return "every origin (ERGA OMNES)"
        if area == IMPLIED:
            agreement = self.agreement_by_rate_code.get(rate_code)
            if agreement:
                return f"partners of the {agreement}"
            if rate_code in _EVERY_ORIGIN:
                return "every origin"
            return f"origins listed elsewhere ({_LISTED_ELSEWHERE.get(rate_code, 'not configured')})"
        return area


@cache
def bundled_geography() -> Geography:
    table = agreements()
    return Geography(
        {a.rate_code: a.partners for a in table.values()},
        {a.rate_code: a.name for a in table.values()},
        {a.code: a.partners for a in table.values()},
    )
