"""US country of origin of textile and apparel goods, 19 CFR 102.21(c) (pure).

The hierarchy is applied in order and stops at the first paragraph that determines the country:

1. (c)(1) the good is wholly obtained or produced in a single country;
2. (c)(2) the specific rule of 102.21(e) for the good's classification (originshift's 102.21 corpus): a tariff
   shift "provided that" the good is wholly assembled / the fabric is formed by a fabric-making process /
   knit-to-shape components are knit in a single country, or a process rule (the country where the fabric
   was formed...). Conditions on the good ("not knit to shape and consists of two or more component parts")
   are decided from the facts;
3. (c)(3) (i) knit to shape: where knit; (ii) except goods of 5609, 5807, 5811, 6213, 6214, 6301-6306, 6308,
   6209.20.5040, 6307.10, 6307.90 and 9404.90: where wholly assembled in a single country;
4. (c)(4) where the most important assembly or manufacturing process occurs;
5. (c)(5) where the last important assembly or manufacturing process occurs.

Facts (all optional): ``wholly_obtained`` (bool) and ``wholly_obtained_in``; ``conditions`` {"two or more
component parts": bool, "knit to shape": bool}; ``process_in`` {"wholly assembled": country, "fabric-making
process": country}; ``knit_to_shape_in``; ``wholly_assembled_in``; ``most_important_process_in``;
``last_important_process_in``; ``excepted_fibre`` (bool: the good falls under 102.21(e)(2)); and
``c2_does_not_determine`` (a finding that (c)(2) does not apply). A good is taken as not knit to shape unless a
knit-to-shape fact says otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from clearway.origin.hs import HsRange, digits, printed
from clearway.origin.textrules import parse_hs_list

C3_II_EXCLUDED = tuple(
    HsRange.parse(r)
    for r in (
        "5609",
        "5807",
        "5811",
        "6213",
        "6214",
        "6301-6306",
        "6308",
        "6209.20.5040",
        "6307.10",
        "6307.90",
        "9404.90",
    )
)


@dataclass
class TextileOrigin:
    good: str
    country: str | None
    step: str | None  # "1", "2", "3i", "3ii", "4", "5"
    steps: list[str] = field(default_factory=list)
    rule_id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "good": self.good,
            "country": self.country,
            "step": self.step,
            "rule": self.rule_id,
            "steps": self.steps,
        }


def _ranges(items: list[str]) -> tuple[HsRange, ...]:
    return tuple(HsRange.parse(x) for x in items)


def _knit_to_shape(facts: dict[str, Any]) -> bool:
    conditions = facts.get("conditions") or {}
    return bool(facts.get("knit_to_shape_in") or conditions.get("knit to shape"))


def _components(facts: dict[str, Any]) -> bool | None:
    return (facts.get("conditions") or {}).get("two or more component parts")


def _condition_holds(condition: str, code: str, facts: dict[str, Any]) -> bool | None:
    """Decide the condition text of a 102.21(e) alternative from the facts (None: cannot be decided)."""
    text = condition.lower()
    decided = False
    if "provided for in paragraph (e)(2)" in text:
        m = re.search(r"goods of ((?:sub)?headings? [^p]*?) provided for", text)
        ranges = parse_hs_list(m.group(1))[0] if m else ()
        concerned = not ranges or any(r.contains(code) or r.overlaps(code) for r in ranges)
        if concerned:
            excepted = facts.get("excepted_fibre")
            if excepted is None:
                return None
            if excepted:
                return False  # the good is one of the (e)(2) goods: this (e)(1) text does not apply
        decided = True
        text = text.split(", except for goods")[0]
    if "knit to shape" in text:
        if _knit_to_shape(facts) != ("not knit to shape" not in text):
            return False
        decided = True
    if "component parts" in text:
        parts = _components(facts)
        if parts is None:
            return None
        if parts != ("does not consist" not in text):
            return False
        decided = True
    return True if decided else None


def _proviso_country(proviso: str, facts: dict[str, Any]) -> tuple[str | None, str]:
    text = proviso.lower()
    process_in = facts.get("process_in") or {}
    if "wholly assembled" in text:
        return process_in.get("wholly assembled") or facts.get(
            "wholly_assembled_in"
        ), "wholly assembled in a single country"
    if "fabric-making process" in text:
        return process_in.get("fabric-making process"), "fabric formed by a fabric-making process"
    if "knit in a single country" in text:
        return facts.get("knit_to_shape_in"), "knit-to-shape components knit in a single country"
    return None, proviso


def _c2(rule: dict[str, Any], code: str, facts: dict[str, Any], steps: list[str]) -> str | None:
    for alt in rule["alternatives"]:
        label = f"(e)(1) alternative {alt.get('sequence') or ''}".strip()
        if alt.get("condition"):
            holds = _condition_holds(alt["condition"], code, facts)
            if holds is None:
                steps.append(f"  {label}: condition '{alt['condition']}' cannot be decided from the facts")
                continue
            if not holds:
                steps.append(f"  {label}: condition '{alt['condition']}' does not hold")
                continue
        if alt["kind"] == "process":
            text = alt["text"].lower()
            if "fabric" in text and "fabric-making process" in text:
                country = (facts.get("process_in") or {}).get("fabric-making process")
                steps.append(
                    f"  {label}: process rule — country where the fabric was formed: {country or 'not stated'}"
                )
                if country:
                    return country
            else:
                steps.append(f"  {label}: process rule not decidable from the facts: {alt['text'][:120]}")
            continue
        provisos = (alt.get("shift") or {}).get("provisos") or []
        if not provisos:
            steps.append(
                f"  {label}: a tariff shift without a process proviso needs the materials' classifications"
            )
            continue
        country, what = _proviso_country(provisos[0], facts)
        steps.append(f"  {label}: change provided that the good is {what}: {country or 'not established'}")
        if country:
            return country
    return None


def textile_origin(good: str, facts: dict[str, Any], corpus: dict[str, Any]) -> TextileOrigin:
    code = digits(good)
    result = TextileOrigin(good=good, country=None, step=None)
    steps = result.steps
    if facts.get("wholly_obtained"):
        country = facts.get("wholly_obtained_in")
        steps.append(
            f"(c)(1): wholly obtained or produced in a single country: {country or 'country not stated'}"
        )
        result.country, result.step = country, "1"
        return result
    steps.append("(c)(1): not wholly obtained in a single country")
    rules = [
        r for r in corpus["rules"] if any(x.contains(code) for x in _ranges(r.get("scope") or [r["htsus"]]))
    ]
    if facts.get("c2_does_not_determine"):
        steps.append("(c)(2): recorded as not determining the origin of this good")
    elif not rules:
        steps.append(f"(c)(2): the 102.21(e) corpus has no rule for {printed(code)}")
    else:
        rule = min(rules, key=lambda r: min(x.width() for x in _ranges(r.get("scope") or [r["htsus"]])))
        result.rule_id = rule["rule_id"]
        steps.append(f"(c)(2): {rule['rule_id']}")
        country = _c2(rule, code, facts, steps)
        if country:
            result.country, result.step = country, "2"
            return result
        steps.append("(c)(2) does not determine the country")
    if _knit_to_shape(facts) and facts.get("knit_to_shape_in"):
        result.country, result.step = facts["knit_to_shape_in"], "3i"
        steps.append(f"(c)(3)(i): knit to shape in {result.country}")
        return result
    assembled = facts.get("wholly_assembled_in") or (facts.get("process_in") or {}).get("wholly assembled")
    if assembled:
        if any(r.contains(code) or r.overlaps(code) for r in C3_II_EXCLUDED):
            steps.append("(c)(3)(ii): not available for this heading")
        else:
            result.country, result.step = assembled, "3ii"
            steps.append(f"(c)(3)(ii): wholly assembled in a single country, {assembled}")
            return result
    if facts.get("most_important_process_in"):
        result.country, result.step = facts["most_important_process_in"], "4"
        steps.append(f"(c)(4): most important assembly or manufacturing process in {result.country}")
        return result
    if facts.get("last_important_process_in"):
        result.country, result.step = facts["last_important_process_in"], "5"
        steps.append(f"(c)(5): last important assembly or manufacturing process in {result.country}")
        return result
    steps.append("no paragraph of 102.21(c) determines the country from these facts")
    return result
