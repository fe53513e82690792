"""How well Clearway reads the shipped rule texts, and how many CBP rulings it reproduces.

    .venv/bin/python benchmarks/origin/rule_reading.py [--json] [--dictionary PATH]

For each bundled UK rule set: alternatives, share read completely into criteria a bill of materials can decide
(the rest need an attestation), and agreement with the source's own class tags (CTH, CTSH, CC, MAXNOM, RVC,
WO, processing): for each tag, the share of tagged alternatives in which the reader found that kind of
criterion. With ``--dictionary`` (``rule_text_to_class_dictionary.json`` from rules-of-origin-builder-uk,
which Clearway does not ship: see SOURCE.md) the same comparison runs against that dictionary's labels for
the texts it knows. Then the originshift CBP cases (19 CFR 102.20 and 102.21).

Results are written to ``benchmarks/origin/results.json``.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from clearway.origin.casebook import run_agreement_cases, run_textile_cases
from clearway.origin.loader import get_agreement, originshift_cases, textile_corpus
from clearway.origin.rules import Alternative

UK = ("UK-KR", "UK-EU", "UK-JP", "UK-CPTPP", "UK-NZ", "UK-IN")
TAGS = {
    "CTH": lambda a: any(c.kind == "tariff_shift" and c.level == 4 for c in a.criteria),
    "CTSH": lambda a: any(c.kind == "tariff_shift" and c.level == 6 for c in a.criteria),
    "CC": lambda a: any(c.kind == "tariff_shift" and c.level == 2 for c in a.criteria),
    "AH": lambda a: any(c.kind == "tariff_shift" and c.level == 0 for c in a.criteria),
    "MAXNOM": lambda a: any(
        c.kind in ("max_non_originating", "max_non_originating_weight") or c.allowance for c in a.criteria
    ),
    "RVC": lambda a: any(c.kind == "value_content" for c in a.criteria),
    "WO": lambda a: any(c.kind in ("wholly_obtained", "materials_wholly_obtained") for c in a.criteria),
    "PROCESSING": lambda a: any(c.kind in ("specific_process", "attested") for c in a.criteria),
    "PROCESSING_TEXTILE": lambda a: any(c.kind in ("specific_process", "attested") for c in a.criteria),
}


def tags_of(labels: list[str]) -> set[str]:
    out = set()
    for label in labels:
        out.update(word for word in re.split(r"\s+AND\s+|\s+", label) if word in TAGS)
    return out


def _key(text: str) -> str:
    text = re.sub(r"\]\([^)]*\)", "", text)
    return re.sub(r"[^a-z0-9]", "", text.lower())


def agreement_with(labelled: list[tuple[Alternative, set[str]]]) -> dict[str, Any]:
    hits, totals = Counter(), Counter()
    for alt, tags in labelled:
        for tag in tags:
            totals[tag] += 1
            hits[tag] += TAGS[tag](alt)
    return {
        tag: {"alternatives": totals[tag], "found": hits[tag], "share": round(hits[tag] / totals[tag], 3)}
        for tag in sorted(totals)
    }


def reading(dictionary: dict[str, list[str]] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for code in UK:
        alts = [a for rule in get_agreement(code).rules for a in rule.alternatives]
        complete = sum(1 for a in alts if a.complete)
        kinds = Counter(c.kind for a in alts for c in a.criteria)
        row: dict[str, Any] = {
            "alternatives": len(alts),
            "decidable": complete,
            "decidable_share": round(complete / len(alts), 3),
            "criteria": dict(kinds),
            "vs_source_tags": agreement_with([(a, tags_of(list(a.tags))) for a in alts]),
        }
        if dictionary is not None:
            known = [(a, tags_of(dictionary[_key(a.text)])) for a in alts if _key(a.text) in dictionary]
            row["vs_dictionary"] = {"texts_found": len(known), **agreement_with(known)}
        out[code] = row
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--dictionary", type=Path, help="rule_text_to_class_dictionary.json (not shipped)")
    args = parser.parse_args()
    dictionary = json.loads(args.dictionary.read_text("utf-8")) if args.dictionary else None
    shift = run_agreement_cases(get_agreement("US-102"), originshift_cases("agreement-cases.json"))
    textile = run_textile_cases(textile_corpus(), originshift_cases("textile-cases.json"))
    results = {
        "rule_reading": reading(dictionary),
        "cbp_102_20": {k: shift[k] for k in ("cases", "reproduced", "reproduced_on_codes_alone", "differ")}
        | {
            "differing": [
                {k: r.get(k) for k in ("ruling", "good", "cbp", "clearway", "why")}
                for r in shift["rows"]
                if not r["agrees"]
            ]
        },
        "cbp_102_21": {k: textile[k] for k in ("cases", "country_reproduced", "country_and_step_reproduced")},
    }
    Path(__file__).with_name("results.json").write_text(
        json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8"
    )
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
        return
    for code, row in results["rule_reading"].items():
        tags = ", ".join(f"{t} {v['share']:.0%}" for t, v in row["vs_source_tags"].items())
        print(
            f"{code:9} {row['alternatives']:5} alternatives, {row['decidable_share']:.1%} decidable; source tags found: {tags}"
        )
        if "vs_dictionary" in row:
            d = row["vs_dictionary"]
            tags = ", ".join(f"{t} {v['share']:.0%}" for t, v in d.items() if isinstance(v, dict))
            print(f"          dictionary texts matched: {d['texts_found']}; labels found: {tags}")
    s = results["cbp_102_20"]
    print(
        f"CBP 102.20: {s['reproduced']}/{s['cases']} reproduced ({s['reproduced_on_codes_alone']} on the codes alone)"
    )
    t = results["cbp_102_21"]
    print(
        f"CBP 102.21: country {t['country_reproduced']}/{t['cases']}, country and paragraph {t['country_and_step_reproduced']}"
    )


if __name__ == "__main__":
    main()
