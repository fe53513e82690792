"""The issue's reference baseline: character n-gram nearest neighbour over the same training rulings.

    .venv/bin/python -m benchmarks.classification.baseline [--split test|dev]

TF-IDF of character 2-4-grams (word-bounded) over the training records (held-out split left out, as for the
classifier); each case gets the codes of its nearest records, in order. Prints the contract's figures per file.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from benchmarks.classification.ablation import CASES, FILES
from clearway.benchmarks import classification as bench
from clearway.classification.corpus import load_training_data
from clearway.classification.holdout import is_development, is_holdout
from clearway.classification.metrics import CaseOutcome, summarise
from clearway.classification.text import normalise


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", choices=("test", "dev"), default="test")
    args = parser.parse_args()
    data = load_training_data()
    leave = (
        (lambda r: is_holdout(r)) if args.split == "test" else (lambda r: is_holdout(r) or is_development(r))
    )
    records = [r for r in data.records if not leave(r)]
    vectoriser = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, dtype=np.float32)
    matrix = vectoriser.fit_transform([normalise(r.text) for r in records])
    codes = [r.code for r in records]
    out = {}
    for name in FILES[args.split]:
        outcomes = []
        for case in bench.read_cases(CASES / name):
            started = time.perf_counter()
            sims = (vectoriser.transform([normalise(case.text)]) @ matrix.T).toarray().ravel()
            ranking = tuple(codes[i] for i in np.argsort(-sims)[:50])
            outcomes.append(
                CaseOutcome(case.hs, case.national, ranking, False, (time.perf_counter() - started) * 1000)
            )
        out[name] = summarise(outcomes)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
