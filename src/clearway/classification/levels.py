"""Chapter and heading classifiers: a prior over the upper levels of the hierarchy.

Trained on the rulings plus every national line of the nomenclature (as a short labelled example), they say
"this reads like chapter 87" even when no single ruling or line is close. Their probabilities become ranker
features, so for the ranker's own training queries they are computed out of fold.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

KEEP_WEIGHTS = 5_000  # per class, for models over n-gram vocabularies

# name -> (digits of the level, which query vector, model factory)
LEVEL_MODELS: dict[str, tuple[int, str, Callable[[], LogisticRegression | LinearSVC]]] = {
    "lr_use_c": (2, "use", lambda: LogisticRegression(C=1.0, max_iter=60, tol=1e-3)),
    "lr_use_h": (4, "use", lambda: LogisticRegression(C=10.0, max_iter=60, tol=1e-3)),
    "svc_char_c": (2, "char", lambda: LinearSVC(C=0.5)),
}


@dataclass
class LevelModel:
    name: str
    digits: int
    vector: str
    classes: np.ndarray  # integer level codes known to the model
    coef: np.ndarray | sp.csr_matrix  # (n_classes, n_features) float32; sparse for the n-gram models
    intercept: np.ndarray
    probabilistic: bool

    def transposed(self) -> np.ndarray | sp.csr_matrix:
        """coef.T in the layout products want, made once per process (kept out of the model file)."""
        cached = self.__dict__.get("_coef_t")
        if cached is None:
            cached = (
                sp.csr_matrix(self.coef.T) if sp.issparse(self.coef) else np.ascontiguousarray(self.coef.T)
            )
            self.__dict__["_coef_t"] = cached
        return cached

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_coef_t", None)
        return state

    def scores(self, x: np.ndarray | sp.csr_matrix, level_codes: np.ndarray) -> np.ndarray:
        """(n, len(level_codes)) scores; probabilities for logistic models, margins for SVMs."""
        raw = x @ self.transposed()
        raw = np.asarray(raw.toarray() if sp.issparse(raw) else raw, np.float32).reshape(x.shape[0], -1)
        raw = raw + self.intercept
        if self.probabilistic:
            raw = raw - raw.max(1, keepdims=True)
            np.exp(raw, out=raw)
            raw /= raw.sum(1, keepdims=True)
            fill = 0.0
        else:
            fill = float(raw.min()) if raw.size else 0.0
        out = np.full((raw.shape[0], len(level_codes)), fill, np.float32)
        pos = np.searchsorted(level_codes, self.classes)
        ok = (pos < len(level_codes)) & (level_codes[np.minimum(pos, len(level_codes) - 1)] == self.classes)
        out[:, pos[ok]] = raw[:, ok]
        return out


def fit_level_model(
    name: str, x: np.ndarray | sp.csr_matrix, codes: np.ndarray, weights: np.ndarray, seed: int = 0
) -> LevelModel:
    digits, vector, factory = LEVEL_MODELS[name]
    model = factory()
    if hasattr(model, "random_state"):
        model.random_state = seed
    model.fit(x, codes, sample_weight=weights)
    coef = np.asarray(model.coef_, np.float32)
    intercept = np.asarray(model.intercept_, np.float32)
    classes = np.asarray(model.classes_).astype(np.int64)
    probabilistic = isinstance(model, LogisticRegression)
    if coef.shape[0] == 1 and len(classes) == 2:  # binary problems store one row: p = sigmoid(z)
        half = 0.5 if probabilistic else 1.0
        coef, intercept = np.vstack([-coef, coef]) * half, np.r_[-intercept, intercept] * half
    if coef.shape[1] > KEEP_WEIGHTS:
        coef = _strongest(coef, KEEP_WEIGHTS)
    return LevelModel(name, digits, vector, classes, coef, intercept, probabilistic)


def _strongest(coef: np.ndarray, keep: int) -> sp.csr_matrix:
    """Keep each class's ``keep`` largest weights (by size): the n-gram models shrink ~40x, scores barely move."""
    rows, cols, vals = [], [], []
    for i, row in enumerate(coef):
        top = np.argpartition(-np.abs(row), keep - 1)[:keep]
        rows.append(np.full(len(top), i))
        cols.append(top)
        vals.append(row[top])
    return sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=coef.shape,
        dtype=np.float32,
    )
