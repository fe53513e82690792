"""Adapters from the shipped upstream rule files to :class:`~clearway.origin.rules.ProductRule` (pure).

- UK Online Tariff PSR tables (``data/origin/uk/rule_sets/*.json``, trade-tariff-backend): one row per HS range
  with rule texts and class tags. Rows with the same range and the same product description are one rule
  (their texts are alternatives); rows with the same range and different descriptions are *variants* of the
  range ("ex" headings) between which the user chooses. The rule texts are read by
  :mod:`clearway.origin.textrules`; the class tags are kept on each alternative for comparison.
- originshift's structured 19 CFR 102.20 grammar (``data/origin/originshift/102.20-*.json``, Apache-2.0, the
  corpus US public domain): every alternative's sources become tariff-shift criteria (one alternative per
  source), its exclusions exceptions, its "except ... when" clauses conditional exceptions, and its provisos,
  conditions on the good and unparsed text attested criteria.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from typing import Any

from clearway.origin.hs import HsRange, digits
from clearway.origin.rules import Alternative, Criterion, ProductRule
from clearway.origin.textrules import parse_rule_text

# ------------------------------------------------------------------------------------------------- UK


def uk_rules(
    rule_sets: list[dict[str, Any]], *, source: str, rvc_basis: str = "FOB"
) -> tuple[ProductRule, ...]:
    groups: OrderedDict[tuple[str, str, str], list[dict[str, Any]]] = OrderedDict()
    subdivisions: dict[tuple[str, str], set[str]] = {}
    for row in rule_sets:
        if not row.get("valid", True):
            continue
        key = (row["min"], row["max"], (row.get("subdivision") or "").strip())
        groups.setdefault(key, []).append(row)
        subdivisions.setdefault((row["min"], row["max"]), set()).add(key[2])
    out = []
    for (low, high, subdivision), rows in groups.items():
        target = (HsRange(low, high),)
        alternatives: list[Alternative] = []
        notes: list[str] = []
        for row in rows:
            for rule in row["rules"]:
                alts, found = parse_rule_text(rule["rule"], target=target, rvc_basis=rvc_basis)
                tags = tuple(rule.get("class") or ())
                for a in alts:
                    if not a.criteria and alternatives:
                        # a lone "However, X may be used": a relaxation of the previous alternative
                        prev = alternatives[-1]
                        alternatives[-1] = Alternative(
                            prev.criteria,
                            prev.text,
                            prev.valid_from,
                            prev.valid_to,
                            prev.tags,
                            prev.target,
                            prev.unapplied + a.unapplied,
                        )
                    elif a.criteria:
                        alternatives.append(_with_tags(a, tags))
                notes += found
        several = len(subdivisions[(low, high)]) > 1
        out.append(
            ProductRule(
                ranges=target,
                alternatives=tuple(alternatives),
                heading=rows[0].get("heading", ""),
                variant=subdivision if several else "",
                notes=tuple(dict.fromkeys(notes)),
                source=f"{source} {rows[0].get('heading', '')}".strip(),
            )
        )
    return tuple(out)


def _with_tags(alt: Alternative, tags: tuple[str, ...]) -> Alternative:
    return Alternative(alt.criteria, alt.text, alt.valid_from, alt.valid_to, tags, alt.target, alt.unapplied)


def uk_scheme(schemes: dict[str, Any], code: str) -> dict[str, Any]:
    for scheme in schemes["schemes"]:
        if scheme["scheme_code"] == code:
            return scheme
    raise KeyError(code)


# ------------------------------------------------------------------------------------------- originshift

_LEVELS = {"chapter": 2, "heading": 4, "subheading": 6}
_EXCEPT_WHEN = re.compile(r"except when ([^;.]*)", re.I)
_GENERIC_TARGET = re.compile(r"^(?:any (?:other )?goods? of|an? (?:assembled )?goods? of|goods of)$", re.I)


def _ranges(items: list[str]) -> tuple[HsRange, ...]:
    out = []
    for item in items:
        low, _, high = item.partition("-")
        low_d, high_d = digits(low), digits(high or low)
        if len(low_d) % 2:
            low_d = "0" + low_d
        if len(high_d) % 2:
            high_d = "0" + high_d
        if low_d.ljust(10, "0") > high_d.ljust(10, "9"):
            continue  # a reversed key in the source (see the file's anomalies)
        out.append(HsRange(low_d, high_d))
    return tuple(out)


def _us_alternatives(alt: dict[str, Any]) -> list[Alternative]:
    text = alt["text"]
    target = _ranges((alt.get("target") or {}).get("ranges") or [])
    extra: list[Criterion] = []
    tdesc = (alt.get("target") or {}).get("description")
    if tdesc and not _GENERIC_TARGET.match(tdesc.strip()):
        described = re.sub(r"\s+of$", "", tdesc.strip())
        extra.append(Criterion("attested", text=f"the good is {described}", tolerance_allowed=False))
    excluding = (alt.get("target") or {}).get("excluding_description")
    if excluding:
        extra.append(
            Criterion("attested", text=f"the good is not {excluding.strip()}", tolerance_allowed=False)
        )
    if alt.get("condition"):
        extra.append(Criterion("attested", text=f"condition: {alt['condition']}", tolerance_allowed=False))
    if alt["kind"] != "tariff_shift" or not alt.get("shift"):
        return [
            Alternative(
                tuple([*extra, Criterion("attested", text=text, tolerance_allowed=False)]),
                text,
                target=target,
            )
        ]
    shift = alt["shift"]
    for proviso in shift.get("provisos") or []:
        extra.append(Criterion("attested", text=proviso.rstrip("; or").strip(), tolerance_allowed=False))
    conditional = tuple(
        (_ranges(e.get("ranges") or []), e.get("when", "").strip()) for e in shift.get("excluded_when") or []
    )
    known_when = {w.lower() for _, w in conditional}
    for desc in shift.get("excluded_descriptions") or []:
        label = (desc if isinstance(desc, str) else desc.get("text") or str(desc)).strip()
        if label.lower() in known_when:
            continue
        extra.append(
            Criterion("attested", text=f"the exclusion does not apply: {label}", tolerance_allowed=False)
        )
    for m in _EXCEPT_WHEN.finditer(text):
        clause = m.group(1).strip()
        if not any(clause.lower() in w or w in f"when {clause.lower()}" for w in known_when):
            extra.append(
                Criterion("attested", text=f"the exception does not apply: {clause}", tolerance_allowed=False)
            )
    if alt.get("unparsed_reason") and not alt.get("condition"):
        extra.append(
            Criterion(
                "attested",
                text=f"needs judgement ({alt['unparsed_reason']}): {text}",
                tolerance_allowed=False,
            )
        )
    excluded = _ranges(shift.get("excluded") or [])
    sources = shift.get("sources") or []
    if not sources:
        return [
            Alternative(
                tuple(
                    [
                        *extra,
                        Criterion(
                            "attested", text=f"change from {shift.get('raw_source')}", tolerance_allowed=False
                        ),
                    ]
                ),
                text,
                target=target,
            )
        ]
    out = []
    for src in sources:
        kwargs: dict[str, Any] = {"exceptions": excluded, "conditional_exceptions": conditional}
        same_position: list[Criterion] = []
        if src["kind"] == "any_other":
            kwargs["level"] = _LEVELS[src["level"]]
            if src.get("outside_that_group"):
                kwargs["outside_group"] = target
        elif src["kind"] == "named":
            kwargs["from_ranges"] = _ranges(src.get("ranges") or [])
        elif src["kind"] == "same_position":
            kwargs["from_ranges"] = _ranges(src.get("ranges") or [])
            same_position.append(
                Criterion(
                    "attested",
                    text=f"the material is another good of {src.get('text')}",
                    tolerance_allowed=False,
                )
            )
        else:
            same_position.append(
                Criterion("attested", text=f"change from {src.get('text')}", tolerance_allowed=False)
            )
        shift_c = Criterion("tariff_shift", text=f"from {src.get('text')}", **kwargs)
        out.append(Alternative(tuple([shift_c, *extra, *same_position]), text, target=target))
    return out


def originshift_rules(corpus: dict[str, Any]) -> tuple[ProductRule, ...]:
    out = []
    for rule in corpus["rules"]:
        alternatives: list[Alternative] = []
        for alt in rule["alternatives"]:
            alternatives += _us_alternatives(alt)
        ranges = _ranges(rule.get("scope") or [rule["htsus"]])
        if not ranges:
            continue
        out.append(
            ProductRule(
                ranges=ranges, alternatives=tuple(alternatives), heading=rule["htsus"], source=rule["rule_id"]
            )
        )
    return tuple(out)
