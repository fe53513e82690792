"""Ablations of the risk model on the KCS validation split (train = 2020, validation = 2021 Q1).

    nice -n 10 .venv/bin/python benchmarks/risk/ablate.py [--seeds 3] [--only SECTION] > ablations.md

Every row trains on the train file only and scores the validation file; labels of the validation file are read
after scoring. Models with random column sampling are averaged over ``--seeds`` seeds. Uses the product's own
feature code (clearway.risk.features) and model (clearway.risk.model).
"""

from __future__ import annotations

import argparse
import csv
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import lightgbm as lgb
import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from clearway.risk.features import ALL_GROUPS, DEFAULT_GROUPS, FeatureBuilder
from clearway.risk.learning import kcs
from clearway.risk.metrics import selection_report
from clearway.risk.model import RiskModel
from clearway.risk.records import KCS_COLUMNS

DATA = Path(str(resources.files("clearway.data").joinpath("risk")))
TRAIN = DATA / "df_syn_train_eng.csv"
VALID = DATA / "df_syn_valid_eng.csv"
COLUMNS = (
    "precision@1",
    "precision@2",
    "precision@5",
    "precision@10",
    "recall@5",
    "recall@10",
    "critical_recall@5",
    "critical_recall@10",
    "auc",
)


class Data:
    def __init__(self) -> None:
        self.train = kcs.read_records(TRAIN)
        self.train_y = kcs.read_outcomes(TRAIN)
        self.valid = kcs.read_records(VALID)
        self._valid_y = None

    def labels(self):  # type: ignore[no-untyped-def]
        if self._valid_y is None:
            self._valid_y = kcs.read_outcomes(VALID)
        return ([o.fraud for o in self._valid_y], [o.fraud and o.critical for o in self._valid_y])


def risk_model(**params) -> Callable[[Data, int], np.ndarray]:  # type: ignore[no-untyped-def]
    def run(data: Data, seed: int) -> np.ndarray:
        return RiskModel(random_state=seed, **params).fit(data.train, data.train_y).score(data.valid)

    return run


def features(data: Data, groups, leaky: bool = False):  # type: ignore[no-untyped-def]
    builder = FeatureBuilder(groups).fit(data.train)
    X, state = builder.training_matrix(data.train, data.train_y)
    if leaky:  # in-sample target statistics: every training row sees its own label and the future
        X = builder.matrix(data.train, state)
    return X, builder.matrix(data.valid, state)


def leaky_lightgbm(data: Data, seed: int) -> np.ndarray:
    X, V = features(data, DEFAULT_GROUPS, leaky=True)
    model = RiskModel(random_state=seed)
    y = np.array([o.fraud for o in data.train_y], dtype=float)
    w = np.array([5.0 if o.fraud and o.critical else 1.0 for o in data.train_y])
    booster = lgb.train(
        model._lgb_params(len(y)), lgb.Dataset(X, y, weight=w), num_boost_round=model.n_estimators
    )
    return booster.predict(V)


def sklearn_family(make) -> Callable[[Data, int], np.ndarray]:  # type: ignore[no-untyped-def]
    def run(data: Data, seed: int) -> np.ndarray:
        X, V = features(data, DEFAULT_GROUPS)
        keep = ~np.all(
            np.isnan(X), axis=0
        )  # columns the source never fills (advice signal) trip some estimators
        X, V = X[:, keep], V[:, keep]
        y = np.array([o.fraud for o in data.train_y])
        est = make(seed)
        if not isinstance(est, HistGradientBoostingClassifier):
            X, V = np.nan_to_num(X, nan=-1.0), np.nan_to_num(V, nan=-1.0)
        return est.fit(X, y).predict_proba(V)[:, 1]

    return run


RAW_NUMERIC = ("Tax Rate", "Net Mass", "Item Price")
# Every column of the dataset but the identifier, the date and the numbers, as LightGBM categories.
RAW_CATEGORICAL = tuple(c for c in KCS_COLUMNS if c not in ("Declaration ID", "Date", *RAW_NUMERIC))


def plain_lightgbm(data: Data, seed: int) -> np.ndarray:
    """The usual baseline: raw columns, every code a native LightGBM categorical, default settings."""

    def rows(path: Path) -> list[dict[str, str]]:
        with path.open(encoding="utf-8") as fh:
            return [
                {k: v for k, v in r.items() if k not in ("Fraud", "Critical Fraud")}
                for r in csv.DictReader(fh)
            ]

    train, valid = rows(TRAIN), rows(VALID)
    vocab = {c: {v: i for i, v in enumerate(sorted({r[c] for r in train}))} for c in RAW_CATEGORICAL}

    def matrix(rs: list[dict[str, str]]) -> np.ndarray:
        cols = [[vocab[c].get(r[c], np.nan) for r in rs] for c in RAW_CATEGORICAL]
        cols += [[float(r[c]) if r[c] else np.nan for r in rs] for c in RAW_NUMERIC]
        return np.array(cols, dtype=float).T

    y = np.array([o.fraud for o in data.train_y])
    model = lgb.LGBMClassifier(random_state=seed, verbose=-1, n_jobs=1)
    model.fit(matrix(train), y, categorical_feature=list(range(len(RAW_CATEGORICAL))))
    return model.predict_proba(matrix(valid))[:, 1]


def sections() -> dict[str, list[tuple[str, Callable[[Data, int], np.ndarray], bool]]]:
    g = ALL_GROUPS
    return {
        "features": [
            ("declaration fields only", risk_model(groups=("declaration",)), True),
            ("+ reference (value/kg vs commodity)", risk_model(groups=("declaration", "reference")), True),
            ("+ commodity history", risk_model(groups=("declaration", "commodity_history")), True),
            ("+ value history", risk_model(groups=("declaration", "value_history")), True),
            ("+ party history", risk_model(groups=("declaration", "party_history")), True),
            ("all but value history", risk_model(groups=tuple(x for x in g if x != "value_history")), True),
            ("all but party history (default)", risk_model(), True),
            ("all groups", risk_model(groups=ALL_GROUPS), True),
        ],
        "history": [
            ("as-of-date history, smoothing w=10 (default)", risk_model(), True),
            ("as-of-date history, no smoothing (w=0)", risk_model(smoothing=0.0), True),
            ("as-of-date history, smoothing w=50", risk_model(smoothing=50.0), True),
            ("in-sample target statistics (leaky)", leaky_lightgbm, True),
        ],
        "families": [
            ("plain LightGBM, raw columns, native categoricals", plain_lightgbm, False),
            ("LightGBM on Clearway features (default)", risk_model(), True),
            ("LightGBM, no extra weight on critical findings", risk_model(critical_weight=1.0), True),
            (
                "sklearn HistGradientBoosting",
                sklearn_family(
                    lambda s: HistGradientBoostingClassifier(
                        max_iter=300, learning_rate=0.05, max_leaf_nodes=31, random_state=s
                    )
                ),
                False,
            ),
            (
                "random forest (100 trees)",
                sklearn_family(
                    lambda s: RandomForestClassifier(
                        100, min_samples_leaf=2, max_features=0.3, n_jobs=1, random_state=s
                    )
                ),
                False,
            ),
            (
                "logistic regression",
                sklearn_family(lambda s: make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))),
                False,
            ),
        ],
        "hyperparameters": [
            ("15 leaves, 300 trees, lr 0.1", risk_model(num_leaves=15, learning_rate=0.1), True),
            ("15 leaves, 300 trees, lr 0.05 (default)", risk_model(), True),
            ("31 leaves, 300 trees, lr 0.05", risk_model(num_leaves=31), True),
            ("63 leaves, 300 trees, lr 0.05", risk_model(num_leaves=63), True),
            ("15 leaves, 600 trees, lr 0.05", risk_model(n_estimators=600), True),
            ("15 leaves, all columns per tree", risk_model(colsample_bytree=1.0), False),
            ("critical weight 3", risk_model(critical_weight=3.0), True),
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--only", choices=list(sections()), default=None)
    args = parser.parse_args()
    data = Data()
    print("| section | variant | " + " | ".join(COLUMNS) + " | train s |")
    print("|---|---|" + "---|" * (len(COLUMNS) + 1))
    for section, variants in sections().items():
        if args.only and section != args.only:
            continue
        for name, run, seeded in variants:
            reports, seconds = [], []
            for seed in range(args.seeds if seeded else 1):
                started = time.perf_counter()
                scores = run(data, seed)
                seconds.append(time.perf_counter() - started)
                fraud, critical = data.labels()
                reports.append(selection_report(scores, fraud, critical))
            cells = [f"{np.mean([r[c] for r in reports]):.3f}" for c in COLUMNS]
            label = name + (f" (mean of {len(reports)})" if len(reports) > 1 else "")
            print(
                f"| {section} | {label} | " + " | ".join(cells) + f" | {np.mean(seconds):.1f} |", flush=True
            )


if __name__ == "__main__":
    main()
