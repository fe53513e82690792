"""The legal notes' worth: the same model with and without the rules of :mod:`clearway.classification.notes`.

    nice -n 10 .venv/bin/python benchmarks/classification/notes_ablation.py --split dev [--model PATH]
    nice -n 10 .venv/bin/python benchmarks/classification/notes_ablation.py --split test   # once, at the end

``--split dev`` scores the development case files with a model trained without the held-out *and* the
development split; ``--split test`` scores the held-out case files with a model trained without the held-out
split (as ``clearway classify train --exclude-holdout``). The model is trained here (~5-20 min on a busy
machine) unless ``--model`` names the file an earlier run wrote (it is written there otherwise). The
rules act at inference only, so one model serves both arms. Reports HS6 top-1/top-3 per file with and
without the rules, how often each rule fired, how often a firing was right (a veto whose codes exclude the
truth, a preference whose codes include it), the cases it fixed or broke at top-1, and the CPU time per
description of classification with and without the rules (process time: the machine is shared). Writes
benchmarks/results/classification_notes_<split>.json with the machine and the commit.
"""

from __future__ import annotations

import argparse
import pickle
import statistics
import sys
import time
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from benchmarks.classification.ablation import CASES, FILES
from benchmarks.record import write
from clearway.benchmarks.classification import read_cases
from clearway.classification.corpus import load_training_data
from clearway.classification.model import HSClassifier


def split_model(split: str, path: Path | None) -> HSClassifier:
    """The model for a split: trained without the held-out records (and, for ``dev``, without the
    development records too), read from ``path`` when that file exists, else trained and written there."""
    if path is not None and path.exists():
        with path.open("rb") as handle:
            model: HSClassifier = pickle.load(handle)  # a file this script wrote
        return model
    from sklearn.exceptions import ConvergenceWarning

    from clearway.classification import vectors
    from clearway.classification.embedding import CachedEmbedder, default_embedder
    from clearway.classification.holdout import is_development, is_holdout

    def leave_out(r: Any) -> bool:
        return is_holdout(r) or (split == "dev" and is_development(r))

    records = [r for r in load_training_data().records if not leave_out(r)]
    embedder = CachedEmbedder(default_embedder(), None, vectors.usable(vectors.read()))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = HSClassifier().fit(records, embedder=embedder)
    model.embedder = None
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            pickle.dump(model, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return model


def classify(model: HSClassifier, text: str, notes: bool) -> tuple[Any, float]:
    model.use_notes = notes
    started = time.process_time()
    result = model.classify([text], top_k=5)[0]
    return result, (time.process_time() - started) * 1000.0


def p95(values: list[float]) -> float:
    return round(statistics.quantiles(values, n=20)[18], 3) if len(values) >= 20 else round(max(values), 3)


def measure(model: HSClassifier, split: str, limit: int = 0) -> dict[str, Any]:
    model.classify(["warm-up: stainless steel kitchen knife", "스테인리스강 주방용 칼"])
    by_file: dict[str, Any] = {}
    fired: Counter[str] = Counter()
    right: Counter[str] = Counter()
    fixed: Counter[str] = Counter()
    broken: Counter[str] = Counter()
    notes_of: dict[str, str] = {}
    cpu = {"without": [], "with": []}  # type: dict[str, list[float]]
    examples: list[dict[str, Any]] = []
    for name in FILES[split]:
        cases = read_cases(CASES / name)
        cases = cases[:limit] if limit else cases
        tally = Counter[str]()
        for case in cases:
            truth = case.hs[:6]
            plain, t_plain = classify(model, case.text, False)
            ruled, t_ruled = classify(model, case.text, True)
            cpu["without"].append(t_plain)
            cpu["with"].append(t_ruled)
            a, b = plain.hs6_ranking, ruled.hs6_ranking
            tally["n"] += 1
            tally["top1_without"] += bool(a[:1] == [truth])
            tally["top1_with"] += bool(b[:1] == [truth])
            tally["top3_without"] += truth in a[:3]
            tally["top3_with"] += truth in b[:3]
            for f in ruled.notes:
                key = f"{f.rule}:{f.effect}"
                notes_of[f.rule] = f.note
                fired[key] += 1
                right[key] += (truth in f.codes) == (f.effect == "prefer")
            rules = sorted({f.rule for f in ruled.notes})
            if (a[:1] == [truth]) != (b[:1] == [truth]):
                target = fixed if b[:1] == [truth] else broken
                for rule in rules:
                    target[rule] += 1
                if len(examples) < 40:
                    examples.append(
                        {
                            "file": name,
                            "text": case.text[:160],
                            "truth": truth,
                            "without": a[:1],
                            "with": b[:1],
                            "rules": rules,
                            "fixed": b[:1] == [truth],
                        }
                    )
        n = tally["n"]
        by_file[name] = {
            "n": n,
            "hs6_top1_without": round(tally["top1_without"] / n, 4),
            "hs6_top1_with": round(tally["top1_with"] / n, 4),
            "hs6_top3_without": round(tally["top3_without"] / n, 4),
            "hs6_top3_with": round(tally["top3_with"] / n, 4),
        }
        print(name, by_file[name], flush=True)
    total = {k: sum(f[k] * f["n"] for f in by_file.values()) for k in list(by_file[FILES[split][0]])[1:]}
    n_all = sum(f["n"] for f in by_file.values())
    return {
        "split": split,
        "n": n_all,
        **{k: round(v / n_all, 4) for k, v in total.items()},
        "by_file": by_file,
        "firings": {
            key: {"note": notes_of[key.split(":")[0]], "fired": count, "right": right[key]}
            for key, count in sorted(fired.items(), key=lambda kv: -kv[1])
        },
        "top1_fixed_by_rule": dict(fixed),
        "top1_broken_by_rule": dict(broken),
        "cpu_ms_per_description": {
            arm: {"p50": round(statistics.median(v), 2), "p95": p95(v)} for arm, v in cpu.items()
        },
        "changed_cases": examples,
    }


def step_cpu(split: str, limit: int = 0) -> dict[str, float]:
    """CPU milliseconds of the rules step alone per description (tokens as the index already made them, 15
    candidates): the part of the latency the rules add, measured without the rest's noise."""
    from clearway.classification import notes
    from clearway.classification.hierarchy import bundled_hierarchy
    from clearway.classification.index import first_line
    from clearway.classification.morphology import analyse, analyse_many
    from clearway.classification.text import normalise

    rules = notes.bundled_rules(analyse)
    codes = bundled_hierarchy().hs6_codes[::370][:15]
    texts = [
        normalise(c.text)
        for name in FILES[split]
        for c in (read_cases(CASES / name)[:limit] if limit else read_cases(CASES / name))
    ]
    tokens = analyse_many(texts + [first_line(t) for t in texts])
    ms = []
    for i in range(len(texts)):
        started = time.process_time()
        keys = notes.korean_keys(rules)
        notes.apply(rules, tokens[i], codes, [0.0] * len(codes), keys=keys, head=tokens[len(texts) + i])
        ms.append((time.process_time() - started) * 1000.0)
    return {"p50": round(statistics.median(ms), 3), "p95": p95(ms), "max": round(max(ms), 3)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", choices=("dev", "test"), default="dev")
    parser.add_argument(
        "--model", type=Path, default=None, help="the split's pickled model (trained and written if missing)"
    )
    parser.add_argument(
        "--margin", type=float, default=None, help="the preference margin (default: the model's)"
    )
    parser.add_argument("--limit", type=int, default=0, help="score only the first N cases of each file")
    args = parser.parse_args()
    model = split_model(args.split, args.model)
    if args.margin is not None:
        model.notes_margin = args.margin
    figures = {
        **measure(model, args.split, args.limit),
        "rules_step_cpu_ms": step_cpu(args.split, args.limit),
        "limit_per_file": args.limit or None,
        "prefer_margin": model.notes_margin,
    }
    print(write(f"classification_notes_{args.split}", figures))
    print({k: v for k, v in figures.items() if k not in ("by_file", "firings", "changed_cases")})


if __name__ == "__main__":
    main()
