"""Read product-specific rules written in the abbreviated notation of Asian FTA annexes (pure).

RCEP Annex 3A, Korea–China Annex 3-A, Korea–Vietnam Annex 3-A and Korea–ASEAN Appendix 2 write a rule as
abbreviations: ``WO`` (wholly obtained), ``CC`` / ``CTH`` / ``CTSH`` (change of chapter / heading /
subheading), ``RVC40`` / ``RVC(40)`` / ``RVC 40%`` (regional value content of at least 40 %, build-down or
build-up on the FOB value), ``CR`` (chemical reaction), joined by ``or`` (alternatives), ``+`` / ``and`` (all
of), with ``except from <codes>`` exclusions on a change of classification. Anything else becomes an
``attested`` criterion carrying its text: never guessed.
"""

from __future__ import annotations

import re
from decimal import Decimal

from clearway.origin.hs import HsRange
from clearway.origin.rules import Alternative, Criterion, Limit

_LEVEL = {"CC": 2, "CTH": 4, "CTSH": 6}
_SHIFT = re.compile(r"^(CC|CTH|CTSH)(?:\s*,?\s*(?:except|excluding)\s+(?:from\s+)?(?P<ex>.+))?$", re.I)
_RVC = re.compile(r"^(?:RVC|QVC)\s*\(?\s*(\d+(?:\.\d+)?)\s*%?\s*\)?$", re.I)
_KEYWORD = r"(?:CC|CTH|CTSH|RVC|QVC|WO|CR)(?![A-Za-z])"
# "; or", ";" or an "or" followed by a rule keyword separate alternatives ("Printing or dyeing ..." stays whole)
_ALTERNATIVE = re.compile(rf"\s*(?:;\s*or\b|;|\bor\b(?=\s*{_KEYWORD}))\s*", re.I)
_JOIN = re.compile(
    r"\s*(?:\+|\band\b(?=\s*(?:CC|CTH|CTSH|RVC|QVC|WO|CR)(?![A-Za-z])))\s*", re.I
)  # "and" before a rule
_CODE = re.compile(r"\d{2}(?:\.?\d{2}){0,2}(?:\s*(?:-|–|to|through)\s*\d{2}(?:\.?\d{2}){0,2})?")


def _exceptions(text: str) -> tuple[HsRange, ...] | None:
    found = _CODE.findall(text)
    rest = _CODE.sub("", text)
    if not found or re.sub(
        r"(?i)\b(chapter|chapters|heading|headings|subheading|subheadings|and|or)\b|[,;.\s]", "", rest
    ):
        return None
    return tuple(HsRange.parse(f) for f in found)


RVC_METHODS_DEFAULT = ("build_down", "build_up")


def _term(term: str, rvc_basis: str, methods: tuple[str, ...]) -> Criterion:
    t = " ".join(term.split())
    upper = t.upper()
    if upper in ("WO", "WP", "WHOLLY OBTAINED"):
        return Criterion("wholly_obtained", text=t)
    if upper == "CR":
        return Criterion("specific_process", text=t, groups=(("chemical reaction",),))
    shift = _SHIFT.match(t)
    if shift:
        exceptions: tuple[HsRange, ...] = ()
        if shift.group("ex"):
            parsed = _exceptions(shift.group("ex"))
            if parsed is None:
                return Criterion("attested", text=t)
            exceptions = parsed
        return Criterion("tariff_shift", text=t, level=_LEVEL[shift.group(1).upper()], exceptions=exceptions)
    rvc = _RVC.match(t)
    if rvc:
        percent = Decimal(rvc.group(1))
        return Criterion("value_content", text=t, limits=tuple(Limit(percent, rvc_basis, m) for m in methods))
    return Criterion("attested", text=t)


def parse_psr(
    text: str, *, rvc_basis: str = "FOB", methods: tuple[str, ...] = RVC_METHODS_DEFAULT
) -> list[Alternative]:
    """``"CTH or RVC40"`` → two alternatives; ``"CTSH + RVC(40)"`` → one alternative of two criteria."""
    alternatives = []
    for part in _ALTERNATIVE.split(" ".join(text.split())):
        part = part.strip(" ;,")
        if not part:
            continue
        head, _, proviso = part.partition(" provided that ")
        head = head.rstrip(" ,")
        terms = [t for t in _JOIN.split(head) if t.strip()]
        criteria = [_term(t, rvc_basis, methods) for t in terms]
        if proviso.strip():  # "CC, provided that the materials of headings 10.03 and 10.06 are WO": attested
            criteria.append(Criterion("attested", text=f"provided that {proviso.strip()}"))
        alternatives.append(Alternative(tuple(criteria), text=part))
    return alternatives
