"""Calibration and decline figures of a model folder on the held-out case files.

    .venv/bin/python -m benchmarks.classification.report var/models/classification/<version>

Prints JSON: per case file, the reliability of the top-1 confidence (bins: mean confidence vs. share right,
expected calibration error) and the declines; the share of the held-out UK "vague terms" declined; and the
answers to a fixed list of bad inputs.
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

import numpy as np

from benchmarks.classification.ablation import CASES, FILES
from clearway.benchmarks import classification as bench
from clearway.classification import registry

BAD_INPUTS = [
    "",
    "a",
    "옷",
    "🙂🎁",
    "12345",
    "Nike",
    "Samsung",
    "gift",
    "black, L",
    "beige, one size",
    "parts",
    "선물",
    "Schuhe aus Leder für Herren mit Gummisohle",
    "кожаная обувь",
    "革靴",
    "a" * 100_000,
    "남성용 가죽 신발 " * 8000,
]
BINS = (0.0, 0.1, 0.2, 0.4, 0.6, 0.8, 1.01)


def reliability(confidence: np.ndarray, right: np.ndarray) -> dict:
    rows = []
    ece = 0.0
    for low, high in itertools.pairwise(BINS):
        inside = (confidence >= low) & (confidence < high)
        if inside.any():
            rows.append(
                {
                    "bin": f"{low:.1f}-{min(high, 1.0):.1f}",
                    "n": int(inside.sum()),
                    "mean_confidence": round(float(confidence[inside].mean()), 3),
                    "share_right": round(float(right[inside].mean()), 3),
                }
            )
            ece += inside.mean() * abs(confidence[inside].mean() - right[inside].mean())
    return {"bins": rows, "ece": round(float(ece), 4)}


def main() -> None:
    model = registry.load_model(Path(sys.argv[1]))
    out: dict = {"model": model.version_}
    for name in FILES["test"]:
        cases = bench.read_cases(CASES / name)
        results = model.classify([c.text for c in cases], top_k=5, evidence=0)
        answered = [
            (r.candidates[0].confidence, r.hs6_ranking[0] == c.hs[:6])
            for c, r in zip(cases, results, strict=True)
            if not r.declined
        ]
        conf = np.array([a[0] for a in answered])
        right = np.array([a[1] for a in answered], float)
        declines: dict[str, int] = {}
        for r in results:
            if r.decline:
                declines[r.decline.code] = declines.get(r.decline.code, 0) + 1
        out[name] = {"n": len(cases), "declined": declines, **reliability(conf, right)}
    vague = [v for v in (CASES / "vague_holdout.txt").read_text("utf-8").splitlines() if v]
    answers = model.classify(vague, top_k=1, evidence=0)
    codes: dict[str, int] = {}
    for r in answers:
        key = r.decline.code if r.decline else "answered"
        codes[key] = codes.get(key, 0) + 1
    out["vague_holdout"] = {
        "n": len(vague),
        "declined_share": round(1 - codes.get("answered", 0) / len(vague), 3),
        "by_reason": codes,
    }
    out["bad_inputs"] = [
        {
            "input": text if len(text) < 40 else f"{text[:20]}… ({len(text):,} chars)",
            "answer": r.decline.code
            if r.decline
            else f"{r.candidates[0].hs6} ({r.candidates[0].confidence:.2f})",
        }
        for text, r in zip(BAD_INPUTS, model.classify(BAD_INPUTS, top_k=1, evidence=0), strict=True)
    ]
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
