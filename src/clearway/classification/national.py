"""Choosing the HSK national line (10 digits) inside an HS6 subheading.

Within one HS6 the choice turns on wording ("홍삼 추출물" vs "기타") and on what KCS decided for similar goods.
A small logistic model scores each line of the subheading from: the line's similarity to the description
(characters, words, embeddings, share of the line name found in the text), the best similar KCS ruling with that
exact 10-digit code, how often KCS used the line, and whether the line is a residual "기타" line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sklearn.linear_model import LogisticRegression

LINE_FEATURES = (
    "char",
    "word",
    "use_ko",
    "use_en",
    "cont_ko",
    "ruling_char",
    "ruling_use",
    "ruling_count",
    "residual",
    "n_lines",
    "char-best",
    "use_ko-best",
    "ruling_char-best",
)


def line_features(
    lines: np.ndarray,
    line_scores: dict[str, np.ndarray],
    ruling_char: np.ndarray,
    ruling_use: np.ndarray,
    ruling_line: np.ndarray,
    residual: np.ndarray,
    exclude: int | None = None,
) -> np.ndarray:
    """Features of the national lines ``lines`` (indices) for one query.

    ``line_scores`` are that query's similarities to every line; ``ruling_char``/``ruling_use`` its similarities
    to every ruling and ``ruling_line`` each ruling's line index (-1 when it has none); ``exclude`` a ruling to
    leave out (the query itself, in training).
    """
    rc, ru = ruling_char, ruling_use
    if exclude is not None:
        rc, ru = rc.copy(), ru.copy()
        rc[exclude] = ru[exclude] = -1.0
    rows = []
    for line in lines:
        mask = ruling_line == line
        if exclude is not None:
            mask = mask.copy()
            mask[exclude] = False
        count = int(mask.sum())
        rows.append(
            [
                line_scores["char"][line],
                line_scores["word"][line],
                line_scores["use_ko"][line],
                line_scores["use_en"][line],
                line_scores["cont_ko"][line],
                rc[mask].max() if count else 0.0,
                ru[mask].max() if count else 0.0,
                np.log1p(count),
                float(residual[line]),
                np.log(len(lines)),
            ]
        )
    f = np.array(rows, np.float32)
    best = f.max(axis=0)
    extra = np.stack([f[:, 0] - best[0], f[:, 2] - best[2], f[:, 5] - best[5]], axis=1)
    return np.hstack([f, extra])


@dataclass
class LineChooser:
    c: float = 1.0
    coef_: np.ndarray = field(default_factory=lambda: np.zeros(len(LINE_FEATURES), np.float32))
    intercept_: float = 0.0

    def fit(self, features: list[np.ndarray], truth: list[int]) -> LineChooser:
        """Learn from subheadings with their right line. Without an example (no training record has a national
        code, e.g. data without KCS rulings) or without a contrast, the weights stay zero: every line of a
        subheading is then equally likely."""
        if not features:
            return self
        x = np.vstack(features)
        y = np.concatenate([np.arange(len(f)) == t for f, t in zip(features, truth, strict=True)]).astype(int)
        if 0 < y.sum() < len(y):
            model = LogisticRegression(C=self.c, max_iter=500).fit(x, y)
            self.coef_ = model.coef_.ravel().astype(np.float32)
            self.intercept_ = float(model.intercept_[0])
        return self

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """Shares of the subheading's probability, one per line (sum to 1)."""
        z = features @ self.coef_ + self.intercept_
        z = np.exp(z - z.max())
        return z / z.sum()
