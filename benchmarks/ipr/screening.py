"""IPR screening: detection on synthetic counterfeit patterns, and speed.

    PYTHONPATH=src python -m benchmarks.ipr.screening [--per-pattern 400] [--seed 14]

The data are *synthetic* (``clearway.ipr.generator``; no public counterfeit data exists). Weights were set on
the TUNING patterns only; the HELD_OUT patterns are reported separately and were not used to tune anything.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date

from clearway.ipr.core import screen_line
from clearway.ipr.generator import HELD_OUT, TUNING, Example, generate, rights

ON = date(2026, 11, 20)


def flagged(examples: list[Example]) -> list[bool]:
    recorded = rights()
    return [any(s.suspected for s in screen_line(e.line, recorded, on=ON)) for e in examples]


def figures(examples: list[Example], predictions: list[bool]) -> dict[str, object]:
    tp = sum(1 for e, p in zip(examples, predictions, strict=True) if p and e.label)
    fp = sum(1 for e, p in zip(examples, predictions, strict=True) if p and not e.label)
    fn = sum(1 for e, p in zip(examples, predictions, strict=True) if not p and e.label)
    per_pattern = {}
    for pattern in dict.fromkeys(e.pattern for e in examples):
        rows = [p for e, p in zip(examples, predictions, strict=True) if e.pattern == pattern]
        per_pattern[pattern] = round(sum(rows) / len(rows), 3)
    return {
        "lines": len(examples),
        "precision": round(tp / (tp + fp), 3) if tp + fp else None,
        "recall": round(tp / (tp + fn), 3) if tp + fn else None,
        "flag_rate_by_pattern": per_pattern,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-pattern", type=int, default=400)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    out: dict[str, object] = {"data": "synthetic (clearway.ipr.generator), not real seizures"}
    for name, patterns, seed in (("tuning", TUNING, args.seed), ("held_out", HELD_OUT, args.seed + 1)):
        examples = generate(patterns, args.per_pattern, seed)
        out[name] = figures(examples, flagged(examples))
    speed = generate(TUNING + HELD_OUT, args.per_pattern, args.seed + 2)
    start = time.perf_counter()
    flagged(speed)
    seconds = time.perf_counter() - start
    out["speed"] = {
        "lines": len(speed),
        "recorded_rights": len(rights()),
        "seconds": round(seconds, 3),
        "lines_per_second": round(len(speed) / seconds),
    }
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
