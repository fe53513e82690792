"""The cheap check of a declared code: is it plausible for the goods description?

Filing runs at thousands of goods items a second, so the declaration flow cannot afford the full ranker per
item. This check uses only character n-grams against the centroids of every HS6, heading and chapter (one
sparse product per batch) and a logistic model over where the declared code stands among them (its similarity,
the best similarity, its rank, at each level). It is trained on the rulings with their true codes (positives)
and with wrong codes drawn far and near (another chapter, another heading of the chapter, another subheading
of the heading); the rulings are scored without themselves, as for the ranker.

``alarm`` is set so that about ``false_alarm`` of correctly coded rulings would be flagged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

if TYPE_CHECKING:
    from clearway.classification.index import RetrievalIndex

LEVELS = ("cs", "ch", "cc")  # char centroids of subheadings, headings, chapters
# Each centroid keeps only its strongest n-gram weights: the product with a batch of descriptions is then
# ~10x cheaper, and the cosine (divided by the full norm) moves little.
KEEP = {"cs": 256, "ch": 1024, "cc": 4096}
FEATURES = tuple(f"{lvl}_{k}" for lvl in LEVELS for k in ("declared", "best", "rank", "gap"))


def _prune_columns(matrix: sp.csr_matrix, keep: int) -> sp.csr_matrix:
    """Keep each column's ``keep`` largest entries."""
    csc = sp.csc_matrix(matrix)
    rows, cols, vals = [], [], []
    for j in range(csc.shape[1]):
        start, end = csc.indptr[j], csc.indptr[j + 1]
        data, idx = csc.data[start:end], csc.indices[start:end]
        if len(data) > keep:
            top = np.argpartition(-data, keep - 1)[:keep]
            data, idx = data[top], idx[top]
        rows.append(idx)
        cols.append(np.full(len(idx), j))
        vals.append(data)
    return sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=matrix.shape,
        dtype=np.float32,
    )


def _rank(values: np.ndarray, declared: np.ndarray) -> np.ndarray:
    """Per row, how many columns score strictly higher than the declared one."""
    return (values > declared[:, None]).sum(axis=1)


@dataclass
class PlausibilityCheck:
    false_alarm: float = 0.03
    coef_: np.ndarray = field(default_factory=lambda: np.zeros(len(FEATURES), np.float32))
    intercept_: float = 0.0
    alarm_: float = 1.0

    def _sims(self, char: sp.csr_matrix, key: str, self_ids: np.ndarray | None) -> np.ndarray:
        """Cosines with the pruned centroids; a training row leaves itself out of its own centroid."""
        matrix, squares, ruling_level = self.centroids_[key]
        dots = (char @ matrix).toarray()
        norms = np.broadcast_to(np.sqrt(np.maximum(squares, 1e-9)), dots.shape).copy()
        if self_ids is not None:
            rows, own = np.arange(len(self_ids)), ruling_level[self_ids]
            kept = sp.csr_matrix(matrix, copy=True)
            kept.data[:] = 1.0
            own_part = np.asarray((char.multiply(char) @ kept)[rows, own]).ravel()  # q·(kept part of q)
            own_sq = np.asarray(char.multiply(char).sum(1)).ravel()
            dots[rows, own] -= own_part
            norms[rows, own] = np.sqrt(
                np.maximum(squares[own] - 2 * (dots[rows, own] + own_part) + own_sq, 1e-9)
            )
        return dots / norms

    def features(
        self,
        index: RetrievalIndex,
        char: sp.csr_matrix,
        hs6_idx: np.ndarray,
        self_ids: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """(features per row, the HS6-level similarities for suggestions)."""
        columns = []
        hs6_sims: np.ndarray | None = None
        for key in LEVELS:
            level_sims = self._sims(char, key, self_ids)
            if key == "cs":
                hs6_sims, declared_pos = level_sims, hs6_idx
            else:
                inverse = index.head_inverse if key == "ch" else index.chapter_inverse
                declared_pos = inverse[hs6_idx]
            declared = level_sims[np.arange(len(hs6_idx)), declared_pos]
            best = level_sims.max(axis=1)
            columns += [declared, best, np.log1p(_rank(level_sims, declared)), best - declared]
        assert hs6_sims is not None  # "cs" is one of the levels
        return np.stack(columns, axis=1).astype(np.float32), hs6_sims

    def fit(
        self,
        index: RetrievalIndex,
        char: sp.csr_matrix,
        self_ids: np.ndarray,
        truth: np.ndarray,
        seed: int = 0,
    ) -> PlausibilityCheck:
        rng = np.random.default_rng(seed)
        self.centroids_ = {}
        for key in LEVELS:
            matrix, squares, ruling_level = index.centroids[key]
            self.centroids_[key] = (_prune_columns(matrix, KEEP[key]), squares, ruling_level)
        n_hs6 = len(index.hs6)
        heads, chapters = index.head_inverse, index.chapter_inverse
        rows, declared, label = [], [], []
        for row, t in enumerate(truth):
            rows.append(row)
            declared.append(t)
            label.append(0)
            same_chapter = np.nonzero((chapters == chapters[t]) & (heads != heads[t]))[0]
            same_head = np.nonzero((heads == heads[t]) & (np.arange(n_hs6) != t))[0]
            for pool in (np.arange(n_hs6), same_chapter, same_head):
                if len(pool):
                    wrong = int(rng.choice(pool))
                    if wrong != t:
                        rows.append(row)
                        declared.append(wrong)
                        label.append(1)
        rows_a = np.array(rows)
        x, _ = self.features(index, char[rows_a], np.array(declared), self_ids[rows_a])
        y = np.array(label)
        model = LogisticRegression(C=1.0, max_iter=1000).fit(x, y)
        self.coef_ = model.coef_.ravel().astype(np.float32)
        self.intercept_ = float(model.intercept_[0])
        right = self.probability(x[y == 0])
        self.alarm_ = float(np.quantile(right, 1.0 - self.false_alarm)) if len(right) else 1.0
        self.recall_at_alarm_ = (
            float((self.probability(x[y == 1]) >= self.alarm_).mean()) if (y == 1).any() else 0.0
        )
        return self

    def probability(self, x: np.ndarray) -> np.ndarray:
        """P(the declared code is wrong)."""
        z = x @ self.coef_ + self.intercept_
        return 1.0 / (1.0 + np.exp(-z))
