"""Geographical areas: which origins a measure applies to.

A measure names a country (ISO 3166-1 alpha-2), ERGA OMNES (every origin), an agreement group
(``AGR:<agreement code>``), or nothing — then the area follows from its rate code:

* an FTA, CEPA or RCEP rate code of the KCS code list (FUS1, FCN7, FRCJP1, FASTH ...) → the partners its
  prefix names in ``data/tariff/korea/kr_fta_rate_codes.csv``, each from the day the agreement entered into
  force for it (``kcs_codes``); other FTA-looking codes → the agreement with that rate code in
  ``clearway.data/reference/agreements.json``;
* U (북한산) → North Korea (KP) only;
* A, B, C, CIT, L, P1/P3, W1/W2 → every origin (C/CIT are WTO concessions; origins outside the WTO get them
  through 편익관세, 관세법 제74조, so the difference is rare — noted in docs/notes/assessment.md);
* rates that need a country list this project does not hold (R: LDC beneficiaries; D, E1-E3, G1/G2, F, N:
  listed countries and their own proofs of origin; I, M, J, K, T: the countries or producers the
  기획재정부령 names) → :class:`UnknownArea`, and the engine shows the rate without applying it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from clearway.reference.codes import agreements
from clearway.tariff.kcs_codes import INTER_KOREAN, RateCodes, bundled_rate_codes
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
_NORTH_KOREA = frozenset({"KP"})


@dataclass(frozen=True)
class Geography:
    partners_by_rate_code: dict[str, frozenset[str]]
    agreement_by_rate_code: dict[str, str]
    partners_by_agreement: dict[str, frozenset[str]]
    in_force_by_rate_code: Mapping[str, Mapping[str, date]] = field(default_factory=dict)
    agreement_code_by_rate_code: Mapping[str, str] = field(default_factory=dict)
    family_by_rate_code: Mapping[str, str] = field(default_factory=dict)  # C2A5 → C, P2 → P (KCS code list)
    _resolved: dict[tuple[str, str], Any] = field(default_factory=dict, compare=False, repr=False)

    def members(self, area: str, rate_code: str) -> frozenset[str] | None:
        """The origins of the area; None = every origin. Raises UnknownArea when it cannot be resolved."""
        if area == ERGA_OMNES:
            return None
        if area == IMPLIED:
            found = self.partners_by_rate_code.get(rate_code)
            if found is not None:
                return found
            family = self.family_by_rate_code.get(rate_code, rate_code)
            if family == INTER_KOREAN:
                return _NORTH_KOREA
            if rate_code in _EVERY_ORIGIN or family in _EVERY_ORIGIN:
                return None
            needed = _LISTED_ELSEWHERE.get(rate_code) or _LISTED_ELSEWHERE.get(family)
            if needed:
                raise UnknownArea(
                    f"the {rate_code} rate applies only to origins on {needed}, which is not loaded"
                )
            raise UnknownArea(f"no agreement or origin list is configured for rate code {rate_code}")
        if area.startswith(AGREEMENT_PREFIX):
            partners = self.partners_by_agreement.get(area[len(AGREEMENT_PREFIX) :])
            if partners is None:
                raise UnknownArea(f"unknown agreement area {area}")
            return partners
        if len(area) == 2 and area.isalpha() and area.isupper():
            return frozenset({area})
        raise UnknownArea(f"unknown geographical area {area}")

    def in_force_from(self, rate_code: str, origin: str) -> date | None:
        """The day the agreement of an FTA rate code entered into force for this partner (None: not known)."""
        return self.in_force_by_rate_code.get(rate_code, {}).get(origin)

    def applies(
        self, area: str, rate_code: str, excluded: frozenset[str], origin: str, on: date | None = None
    ) -> bool:
        """Whether the measure serves goods of ``origin``; with ``on``, also whether the agreement was in
        force for that partner on that day."""
        if on is not None:
            start = self.in_force_from(rate_code, origin)
            if start is not None and on < start:
                return False
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
            family = self.family_by_rate_code.get(rate_code, rate_code)
            if family == INTER_KOREAN:
                return "goods of North Korean origin (KP)"
            if rate_code in _EVERY_ORIGIN or family in _EVERY_ORIGIN:
                return "every origin"
            rate_code = family
            return f"origins listed elsewhere ({_LISTED_ELSEWHERE.get(rate_code, 'not configured')})"
        return area


def geography_of(codes: RateCodes) -> Geography:
    """The agreements of ``agreements.json`` (what a declaration may claim) and every FTA code of the KCS
    code list."""
    table = agreements()
    partners = {a.rate_code: a.partners for a in table.values()}
    names = {a.rate_code: a.name for a in table.values()}
    agreement_codes = {a.rate_code: a.code for a in table.values()}
    by_agreement = {a.code: a.partners for a in table.values()}
    in_force: dict[str, Mapping[str, date]] = {}
    families: dict[str, str] = {}
    for code in codes.by_code.values():
        families[code.code] = code.family
        if code.agreement is None:
            continue
        partners[code.code] = frozenset(code.partners)
        names[code.code] = code.agreement.name
        agreement_codes[code.code] = code.agreement.code
        in_force[code.code] = code.partners
        known = by_agreement.get(code.agreement.code, frozenset())
        by_agreement[code.agreement.code] = known | code.partners.keys()
    return Geography(partners, names, by_agreement, in_force, agreement_codes, families)


@cache
def bundled_geography() -> Geography:
    return geography_of(bundled_rate_codes())
