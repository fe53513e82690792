"""Classification speed as users meet it, on one core with the served model: one description at a time (short
product names, and texts of about 2,000 characters), and 1,000 short descriptions in one call (a batch, as a
broker's file of lines is classified).

    .venv/bin/python benchmarks/classification/speed.py

The texts are the HSK national lines' own names, in English and Korean (bundled nomenclature): speed does not
depend on whether the model has seen a text, and no benchmark case is read. A long text is the names of consecutive
lines joined up to 2,000 characters, like a long invoice description. Writes
benchmarks/results/classification_speed.json with the machine and the commit.
"""

from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):  # one core, before numpy loads
    os.environ[_name] = "1"

import argparse  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from threadpoolctl import threadpool_limits  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.record import write  # noqa: E402
from clearway.classification.hierarchy import bundled_hierarchy  # noqa: E402
from clearway.classification.registry import current_dir, served_model  # noqa: E402
from clearway.config import Settings  # noqa: E402

LONG_CHARS = 2000


def texts(seed: int, n_short: int, n_long: int) -> tuple[list[str], list[str]]:
    """``n_short`` national lines' names (half English, half Korean) and ``n_long`` texts of about
    ``LONG_CHARS`` characters, each the names of consecutive lines."""
    hierarchy = bundled_hierarchy()
    lines = sorted(hierarchy.lines.values(), key=lambda line: line.code)
    rng = random.Random(seed)
    picked = rng.sample(lines, n_short)
    short = [line.name_en if i % 2 else line.name_ko for i, line in enumerate(picked)]
    long = []
    for start in rng.sample(range(len(lines)), n_long):
        names: list[str] = []
        for line in lines[start:]:  # the lines that follow, in code order: neighbouring goods of one heading
            names += [line.name_en, line.name_ko]
            if sum(len(n) + 1 for n in names) >= LONG_CHARS:
                break
        long.append(" ".join(names)[:LONG_CHARS])
    return short, long


def one_at_a_time(model: Any, batch: list[str]) -> dict[str, float]:
    times = []
    for text in batch:
        started = time.perf_counter()
        model.classify([text])
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "n": len(batch),
        "mean_chars": round(statistics.mean(len(t) for t in batch), 1),
        "p50_ms": round(times[len(times) // 2], 1),
        "p95_ms": round(times[int(len(times) * 0.95)], 1),
        "max_ms": round(times[-1], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--short", type=int, default=1000, help="short descriptions (the batch, and one by one)"
    )
    parser.add_argument("--long", type=int, default=100, help="texts of about 2,000 characters, one by one")
    parser.add_argument("--seed", type=int, default=20261206)
    args = parser.parse_args()
    if not 1 <= args.short <= 10_000 or not 1 <= args.long <= 1_000:
        parser.error("--short is 1 to 10,000 and --long 1 to 1,000 (texts drawn from the national lines)")
    models_dir = Settings().models_dir
    model = served_model(models_dir)
    short, long = texts(args.seed, args.short, args.long)
    with threadpool_limits(1):
        model.classify(short[:20])  # warm: lazy parts load on first use, as in a running server
        single_short = one_at_a_time(model, short)
        single_long = one_at_a_time(model, long)
        started = time.perf_counter()
        results = model.classify(short)
        batch_seconds = time.perf_counter() - started
    folder = current_dir(models_dir)
    out = {
        "command": "python benchmarks/classification/speed.py",
        "model": folder.name if folder is not None else None,
        "threads": 1,
        "one_at_a_time": {"short": single_short, "long": single_long},
        "batch": {
            "n": len(short),
            "seconds": round(batch_seconds, 2),
            "per_second": round(len(short) / batch_seconds, 1),
            "answered": sum(not r.declined for r in results),
        },
    }
    print(out)
    print("written to", write("classification_speed", out))


if __name__ == "__main__":
    main()
