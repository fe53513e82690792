"""Rule coverage of the Korean FTAs Clearway loads: rules loaded, and HS 2022 subheadings that find a rule.

    PYTHONPATH=src .venv/bin/python benchmarks/origin/rule_coverage.py [--json]

For each bundled agreement: the rows loaded, the HS edition the annex is written in, and over the 5,612
subheadings of HS 2022 (the shipped nomenclature, without 9999.99): how many find exactly one product-specific
row, how many find several (variants, or a changed subheading whose older sources carry different rows), how
many of those went through the HS correlation, and how many find none. A subheading "covered only by a
general rule" (Korea–ASEAN Rule 4) is counted apart. Written to ``benchmarks/results/origin_rule_coverage.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.record import write
from clearway.origin.loader import bundled_agreements, hs2022_codes
from clearway.origin.rules import Agreement

KOREAN = ("KR-VN", "RCEP", "KR-CN", "KR-ASEAN", "KORUS", "KR-EU")


def coverage(agreement: Agreement, codes: list[str]) -> dict[str, Any]:
    one = several = correlated = general_only = none = 0
    for code in codes:
        rows = agreement.rules_for(code)
        if not rows:
            none += 1
            continue
        if all(r.heading == "general rule" for r in rows):
            general_only += 1
        elif len(rows) == 1:
            one += 1
        else:
            several += 1
        if any(r.correlation and "unchanged" not in r.correlation for r in rows):
            correlated += 1
    covered = one + several + general_only
    return {
        "agreement": agreement.code,
        "hs_version": agreement.hs_version,
        "partial": agreement.partial,
        "rate_codes": list(agreement.rate_codes),
        "rules_loaded": len(agreement.rules),
        "hs6_lines": len(codes),
        "hs6_with_one_rule": one,
        "hs6_with_several_rules": several,
        "hs6_general_rule_only": general_only,
        "hs6_without_rule": none,
        "hs6_covered": covered,
        "hs6_covered_percent": round(100 * covered / len(codes), 2),
        "hs6_in_changed_correlation": correlated,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    codes = sorted(c for c in hs2022_codes() if len(c) == 6 and c != "999999")
    agreements = bundled_agreements()
    rows = [coverage(agreements[code], codes) for code in KOREAN if code in agreements]
    path = write("origin_rule_coverage", {"hs2022_subheadings": len(codes), "agreements": rows})
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print(
        f"{'agreement':<10} {'HS':>4} {'rules':>6} {'covered':>8} {'%':>7} {'several':>8} {'general':>8} {'corr.':>6}"
    )
    for r in rows:
        print(
            f"{r['agreement']:<10} {r['hs_version']:>4} {r['rules_loaded']:>6} {r['hs6_covered']:>8} "
            f"{r['hs6_covered_percent']:>7} {r['hs6_with_several_rules']:>8} {r['hs6_general_rule_only']:>8} "
            f"{r['hs6_in_changed_correlation']:>6}"
        )
    print(f"written to {path}")


if __name__ == "__main__":
    main()
