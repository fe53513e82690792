"""Candidate HS6 codes and the learned ranker over them, with the calibration of its confidence.

Candidates are the union of the best few HS6 of every channel. Each candidate is described by its channel
scores, the best score in its heading and chapter (the hierarchy), its rank and gap to the best in every
channel, and the chapter/heading classifiers' view of it. A LightGBM LambdaRank model orders them; relevance is
graded (2 = the right HS6, 1 = the right heading) so that a near miss ranks above a wild one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import lightgbm as lgb
import numpy as np
from sklearn.isotonic import IsotonicRegression


def candidate_sets(scores: np.ndarray, per_channel: int) -> list[np.ndarray]:
    """Union over channels of each channel's ``per_channel`` best HS6 (indices, sorted)."""
    n, n_hs6, _ = scores.shape
    k = min(per_channel, n_hs6 - 1)
    out = []
    for i in range(n):
        top = np.argpartition(-scores[i], k, axis=0)[:k]
        out.append(np.unique(top))
    return out


def _rank_among(values: np.ndarray, column_sorted: np.ndarray) -> np.ndarray:
    """How many entries of the (ascending) column are strictly greater than each value."""
    return len(column_sorted) - np.searchsorted(column_sorted, values, side="right")


def candidate_features(
    scores: np.ndarray,
    head_max: np.ndarray,
    chap_max: np.ndarray,
    level_scores: list[tuple[np.ndarray, np.ndarray]],
    candidates: list[np.ndarray],
    meta: np.ndarray | None = None,
) -> list[np.ndarray]:
    """One feature matrix per query (rows: its candidates).

    ``level_scores`` holds, per chapter/heading model, (scores per level code (n, n_codes), map hs6 -> level).
    """
    out = []
    for i, cand in enumerate(candidates):
        m = scores[i]
        top = m.max(axis=0)
        ordered = np.sort(m, axis=0)
        ranks = np.stack([_rank_among(m[cand, j], ordered[:, j]) for j in range(m.shape[1])], axis=1)
        parts = [m[cand], head_max[i][cand], chap_max[i][cand], np.log1p(ranks), m[cand] - top]
        if meta is not None:
            parts.insert(0, np.tile(meta[i], (len(cand), 1)))
        for level, hs6_to_level in level_scores:
            p = level[i]
            v = p[hs6_to_level[cand]]
            r = np.searchsorted(np.sort(-p), -v, side="left")
            parts.append(np.stack([v, np.log1p(r), v - p.max()], axis=1))
        out.append(np.hstack(parts).astype(np.float32))
    return out


def feature_names(channels: list[str], level_names: list[str], meta: bool = True) -> list[str]:
    names = ["query_hangul_share", "query_length", "query_lines"] if meta else []
    names += list(channels)
    names += [f"{c}@heading" for c in channels] + [f"{c}@chapter" for c in channels]
    names += [f"{c}#rank" for c in channels] + [f"{c}-best" for c in channels]
    for level in level_names:
        names += [level, f"{level}#rank", f"{level}-best"]
    return names


def relevance(candidates: np.ndarray, truth: int, heads: np.ndarray) -> np.ndarray:
    same_head = heads[candidates] == heads[truth]
    return np.where(candidates == truth, 2, np.where(same_head, 1, 0)).astype(np.int32)


@dataclass
class Ranker:
    num_leaves: int = 7
    n_estimators: int = 400
    learning_rate: float = 0.05
    seed: int = 0
    booster_: lgb.Booster | None = field(default=None, repr=False)

    def fit(self, features: list[np.ndarray], labels: list[np.ndarray], weights: np.ndarray) -> Ranker:
        groups = [len(f) for f in features]
        dataset = lgb.Dataset(
            np.vstack(features),
            np.concatenate(labels),
            group=groups,
            weight=np.repeat(weights, groups),
            free_raw_data=True,
        )
        params = {
            "objective": "lambdarank",
            "verbose": -1,
            "min_data_in_leaf": 20,
            "feature_fraction": 0.8,
            "bagging_fraction": 0.8,
            "bagging_freq": 1,
            "lambdarank_truncation_level": 10,
            "num_leaves": self.num_leaves,
            "learning_rate": self.learning_rate,
            "seed": self.seed,
            "deterministic": True,
            "num_threads": 1,
            "force_col_wise": True,
        }
        self.booster_ = lgb.train(params, dataset, self.n_estimators)
        return self

    def score(self, features: np.ndarray) -> np.ndarray:
        assert self.booster_ is not None
        return np.asarray(self.booster_.predict(features, num_threads=1))


def softmax(scores: np.ndarray) -> np.ndarray:
    z = np.exp(scores - scores.max())
    return z / z.sum()


@dataclass
class Calibrator:
    """Isotonic map from the ranker's softmax share of a candidate to the chance that it is right."""

    x_: np.ndarray = field(default_factory=lambda: np.array([0.0, 1.0]))
    y_: np.ndarray = field(default_factory=lambda: np.array([0.0, 1.0]))

    def fit(self, shares: np.ndarray, correct: np.ndarray) -> Calibrator:
        iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(shares, correct)
        self.x_ = np.asarray(iso.X_thresholds_, np.float64)
        self.y_ = np.asarray(iso.y_thresholds_, np.float64)
        return self

    def __call__(self, shares: np.ndarray) -> np.ndarray:
        return np.interp(shares, self.x_, self.y_)
