"""Which passage a question is about, learned as a classification over the corpus questions.

The corpus writes about ten questions against each of its 254 passages; a linear support-vector classifier
(one passage against the rest) on the question's character 2–4-grams (TF-IDF, the 5,000 most frequent) and its
multilingual-e5-small query vector learns which words and senses set one passage's questions apart from the
others', where the nearest-question channels only see the single most alike question. Its score for each
passage is a channel of the reranker (:mod:`.retrieval`).

The reranker learns from the corpus questions themselves, so each of them needs a score from a classifier that
did not see it: ``fit`` keeps the scores of ``FOLDS`` classifiers, each trained without a fold of the questions
and scoring that fold (``out_of_fold_``); the served classifier is trained on all of them.
Estimator shape: ``fit`` learns, learned attributes end in ``_``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

FOLDS = 5
# e5 vectors are unit length over 384 dimensions, a TF-IDF row unit length over thousands: the e5 part weighs
# four times as much (of 1, 2, 4, 6 and 8, the best for the classifier alone on the development split)
E5_WEIGHT = 4.0
MAX_NGRAMS = 5000
NO_SCORE = -2.0  # a passage a fold's classifier never saw a question of


class PassageClassifier:
    def __init__(self, *, c: float = 1.0, seed: int = 7) -> None:
        self.c = c
        self.seed = seed

    def fit(
        self, questions: Sequence[str], e5_vectors: np.ndarray | None, labels: np.ndarray, n_passages: int
    ) -> PassageClassifier:
        self.n_passages_ = n_passages
        self.ngrams_ = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, max_features=MAX_NGRAMS
        ).fit(questions)
        rows = self._rows(questions, e5_vectors)
        folds = np.random.default_rng(self.seed).permutation(len(questions)) % FOLDS
        self.out_of_fold_ = np.full((len(questions), n_passages), NO_SCORE, np.float32)
        for fold in range(FOLDS):
            inside = folds != fold
            if len(np.unique(labels[inside])) < 2 or inside.all():
                continue
            coef, intercept, classes = self._svm(rows[inside], labels[inside])
            self.out_of_fold_[~inside] = self._spread(rows[~inside] @ coef.T + intercept, classes)
        if len(np.unique(labels)) < 2:  # one passage: nothing to tell apart
            self.coef_ = np.zeros((0, rows.shape[1]), np.float32)
            self.intercept_ = np.zeros(0, np.float32)
            self.classes_ = np.zeros(0, np.int64)
            return self
        self.coef_, self.intercept_, self.classes_ = self._svm(rows, labels)
        return self

    def scores(self, question: str, e5_vector: np.ndarray | None) -> np.ndarray:
        """The classifier's score for every passage (``NO_SCORE`` for one without questions)."""
        rows = self._rows([question], None if e5_vector is None else e5_vector[None, :])
        return self._spread(rows @ self.coef_.T + self.intercept_, self.classes_)[0]

    def _rows(self, questions: Sequence[str], e5_vectors: np.ndarray | None) -> sparse.csr_matrix:
        ngrams = self.ngrams_.transform(questions)
        if e5_vectors is None:
            return ngrams.tocsr()
        return sparse.hstack([ngrams, sparse.csr_matrix(e5_vectors * E5_WEIGHT)]).tocsr()

    def _svm(self, rows: sparse.csr_matrix, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        svm = LinearSVC(C=self.c, random_state=self.seed).fit(rows, labels)
        coef = np.asarray(svm.coef_, np.float32)
        intercept = np.asarray(svm.intercept_, np.float32)
        if len(svm.classes_) == 2:  # scikit-learn gives one row for two classes: the second class's score
            coef, intercept = np.vstack([-coef, coef]), np.concatenate([-intercept, intercept])
        return coef, intercept, np.asarray(svm.classes_)

    def _spread(self, decisions: np.ndarray, classes: np.ndarray) -> np.ndarray:
        out = np.full((decisions.shape[0], self.n_passages_), NO_SCORE, np.float32)
        out[:, classes] = decisions
        return out
