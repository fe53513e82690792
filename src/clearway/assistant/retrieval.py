"""Passage retrieval for the consultation assistant: hybrid lexical + dense channels and a learned reranker.

Channels, each scored per passage:
- the corpus questions grounded in the passage, compared with the asked question by character 2–4-grams
  (TF-IDF) and by USE multilingual v3 vectors (best and mean of the best three), and the official answers
  grounded in it (best match);
- the passage text itself: BM25 over Korean morphemes and English words (kiwipiepy, bm25s), character n-grams
  and USE (cross-lingual: an English question reaches a Korean passage);
- with an e5 encoder (multilingual-e5-small, :mod:`.e5_encoder`): the question as an e5 query against the
  corpus questions (best, mean of the best three) and against the passage encoded as an e5 passage;
- a passage classifier (:mod:`.passage_classifier`) trained on the corpus questions: its score and rank.
A LightGBM LambdaRank model, trained on the corpus questions with each question's own pair left out of its
features, orders the candidates. A LightGBM regressor, the answer weigher, trained on the same questions (each
against the other questions of its passage), predicts from the asked question's likeness to a corpus question
(and to its official answer) the character-bigram F1 of that official answer against the wanted one: the
extractive answer (:mod:`.answer`) weights the official answers by it. Estimator shape: ``fit`` learns, learned attributes end in ``_``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import bm25s
import lightgbm as lgb
import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from clearway.assistant.answer import bigram_f1
from clearway.assistant.e5_encoder import QueryPassageEncoder
from clearway.assistant.knowledge import Knowledge, QAPair
from clearway.assistant.passage_classifier import PassageClassifier
from clearway.classification.embedding import Embedder
from clearway.classification.morphology import analyse, analyse_many

CANDIDATES = 30
NEIGHBOURS = 20
FEATURES = (
    "q_char_best",
    "q_char_top3",
    "q_use_best",
    "q_use_top3",
    "a_char_best",
    "a_use_best",
    "n_questions",
    "p_char",
    "p_use",
    "p_bm25",
    "rank_q_char",
    "rank_q_use",
    "rank_p_bm25",
    "q_bm25_best",
    "q_bm25_top3",
    "a_bm25_best",
    "rank_q_bm25",
)
E5_FEATURES = ("q_e5_best", "q_e5_top3", "p_e5", "rank_q_e5", "rank_p_e5")
CLASSIFIER_FEATURES = ("clf", "rank_clf")
# how the asked question compares with one corpus question (and its official answer) of a passage: its likeness
# as is and less the best of the passage's questions, the official answer's length and how many questions the
# passage has; the answer weigher predicts from them how like the official answer is to the one wanted
LIKENESS = ("q_char", "q_use", "q_e5", "q_bm25", "a_char", "a_use", "a_bm25")
MAX_WEIGHER_MEMBERS = (
    30  # of one passage's questions, per training question (a random choice, fixed by the seed)
)


@dataclass(frozen=True, slots=True)
class Ranked:
    passage: int
    score: float
    pair: int  # index into the fitted pairs of the question most like the asked one, grounded in this passage
    # the fitted pairs grounded in this passage whose official answers are likeliest to be like the wanted one
    # first: (index, predicted character-bigram F1 of that answer against the wanted answer)
    neighbours: tuple[tuple[int, float], ...] = ()


def _grouped(values: np.ndarray, index: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Per passage, its questions' values sorted best first (padding sorts last as NaN)."""
    padded = np.where(valid, np.append(values, np.nan)[index], np.nan)
    return -np.sort(-padded, axis=1)


def _mean_valid(values: np.ndarray) -> np.ndarray:
    counts = np.sum(~np.isnan(values), axis=1)
    return np.where(counts > 0, np.nansum(values, axis=1) / np.maximum(counts, 1), np.nan)


def _ranks(values: np.ndarray) -> np.ndarray:
    return np.argsort(np.argsort(-values)).astype(np.float32)


class SparseBM25:
    """Okapi BM25 over word tokens as one sparse matrix, so that many short documents (the corpus questions)
    are scored against a query in one product: score(q, d) = sum over q's distinct terms of idf x saturated tf."""

    def __init__(self, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1 = k1
        self.b = b

    def fit(self, documents: Sequence[Sequence[str]]) -> SparseBM25:
        self.vocabulary_: dict[str, int] = {}
        rows, cols, counts = [], [], []
        for row, tokens in enumerate(documents):
            seen: dict[int, int] = {}
            for token in tokens:
                col = self.vocabulary_.setdefault(token, len(self.vocabulary_))
                seen[col] = seen.get(col, 0) + 1
            rows += [row] * len(seen)
            cols += list(seen)
            counts += list(seen.values())
        shape = (len(documents), max(1, len(self.vocabulary_)))
        tf = sparse.csr_matrix((np.asarray(counts, np.float32), (rows, cols)), shape=shape)
        lengths = np.asarray(tf.sum(axis=1)).ravel()
        norm = self.k1 * (1 - self.b + self.b * lengths / max(float(lengths.mean()), 1e-9))
        df = np.bincount(np.asarray(cols, np.int64), minlength=shape[1]).astype(np.float32)
        idf = np.log1p((len(documents) - df + 0.5) / (df + 0.5))
        tf = tf.tocoo()
        weights = tf.data * (self.k1 + 1) / (tf.data + norm[tf.row]) * idf[tf.col]
        self.weights_ = sparse.csr_matrix(
            (weights.astype(np.float32), (tf.row, tf.col)), shape=shape
        ).T.tocsr()
        return self

    def scores(self, tokens: Sequence[str]) -> np.ndarray:
        """The query's score against every fitted document."""
        cols = sorted({self.vocabulary_[t] for t in tokens if t in self.vocabulary_})
        if not cols:
            return np.zeros(self.weights_.shape[1], np.float32)
        return np.asarray(self.weights_[cols].sum(axis=0), np.float32).ravel()


class PassageRetriever:
    def __init__(
        self,
        embedder: Embedder,
        e5: QueryPassageEncoder | None = None,
        *,
        n_estimators: int = 300,
        learning_rate: float = 0.05,
        num_leaves: int = 15,
        seed: int = 7,
    ) -> None:
        self.embedder = embedder
        self.e5 = e5
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.num_leaves = num_leaves
        self.seed = seed

    def __getstate__(self) -> dict[str, Any]:
        """The encoders wrap native code and are not saved with the model; :meth:`attach` gives them back."""
        state = dict(self.__dict__)
        state["embedder"] = None
        state["e5"] = None
        return state

    def attach(self, embedder: Embedder, e5: QueryPassageEncoder | None = None) -> PassageRetriever:
        self.embedder = embedder
        self.e5 = e5
        return self

    @property
    def feature_names(self) -> tuple[str, ...]:
        return FEATURES + (E5_FEATURES if self.uses_e5_ else ()) + CLASSIFIER_FEATURES

    # ---- fitting ------------------------------------------------------------------------------------------
    def fit(
        self, knowledge: Knowledge, pairs: Sequence[QAPair], ranker_pairs: Sequence[int] | None = None
    ) -> PassageRetriever:
        """Index ``pairs`` and the passages; train the reranker on the pairs at ``ranker_pairs`` (indices into
        ``pairs``; default all), each with its own pair left out of its features."""
        self.passages_ = [p.text for p in knowledge.passages]
        self.pairs_ = list(pairs)
        self.pair_passage_ = np.array([p.passage for p in self.pairs_])
        self.groups_ = [np.flatnonzero(self.pair_passage_ == i) for i in range(len(self.passages_))]
        width = max(1, max(len(g) for g in self.groups_))
        self.member_index_ = np.full((len(self.passages_), width), len(self.pairs_), dtype=np.int64)
        for i, members in enumerate(self.groups_):
            self.member_index_[i, : len(members)] = members
        questions = [p.question for p in self.pairs_]
        answers = [p.answer for p in self.pairs_]
        self.chars_ = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, min_df=1)
        self.chars_.fit(questions + self.passages_)
        self.q_chars_ = self.chars_.transform(questions)
        self.a_chars_ = self.chars_.transform(answers)
        self.p_chars_ = self.chars_.transform(self.passages_)
        self.q_use_ = self.embedder.encode(questions).astype(np.float32)
        self.a_use_ = self.embedder.encode(answers).astype(np.float32)
        self.p_use_ = self.embedder.encode([p[:2000] for p in self.passages_]).astype(np.float32)
        self.uses_e5_ = self.e5 is not None
        if self.e5 is not None:
            self.q_e5_ = self.e5.queries(questions).astype(np.float32)
            self.p_e5_ = self.e5.passages(self.passages_).astype(np.float32)
        self.classifier_ = PassageClassifier(seed=self.seed).fit(
            questions, self.q_e5_ if self.uses_e5_ else None, self.pair_passage_, len(self.passages_)
        )
        self.bm25_ = bm25s.BM25()
        self.bm25_.index([tokens or ["_"] for tokens in analyse_many(self.passages_)], show_progress=False)
        xs, ys, groups = [], [], []
        self.tokens_ = analyse_many(questions)
        self.q_words_ = SparseBM25().fit(self.tokens_)
        self.a_words_ = SparseBM25().fit(analyse_many(answers))
        rng = np.random.default_rng(self.seed)
        weigher_x, weigher_y = [], []
        for i in range(len(self.pairs_)) if ranker_pairs is None else ranker_pairs:
            pair = self.pairs_[i]
            features, likeness = self._left_out_features(i)
            members = self.groups_[pair.passage]
            members = members[members != i]
            if len(members) > MAX_WEIGHER_MEMBERS:
                members = rng.choice(members, MAX_WEIGHER_MEMBERS, replace=False)
            if len(members):
                weigher_x.append(self._weigher_rows(likeness, members))
                weigher_y += [bigram_f1(answers[m], pair.answer) for m in members]
            top = self._candidates(features)
            if pair.passage not in top:
                top[-1] = pair.passage
            xs.append(features[top])
            ys.append((top == pair.passage).astype(int))
            groups.append(len(top))
        self.ranker_ = lgb.LGBMRanker(
            n_estimators=self.n_estimators,
            learning_rate=self.learning_rate,
            num_leaves=self.num_leaves,
            min_child_samples=10,
            random_state=self.seed,
            n_jobs=1,
            verbose=-1,
            deterministic=True,
        )
        self.ranker_.fit(np.vstack(xs), np.concatenate(ys), group=groups)
        self.weigher_: lgb.LGBMRegressor | None = None
        if not weigher_x:  # no passage with two questions: neighbours are ordered by question likeness
            return self
        self.weigher_ = lgb.LGBMRegressor(
            n_estimators=300,
            learning_rate=0.05,
            num_leaves=15,
            min_child_samples=20,
            random_state=self.seed,
            n_jobs=1,
            verbose=-1,
            deterministic=True,
        )
        self.weigher_.fit(np.vstack(weigher_x), np.asarray(weigher_y, np.float32))
        return self

    def _predicted_f1(self, likeness: np.ndarray, members: np.ndarray) -> np.ndarray:
        if not len(members):
            return np.zeros(0, np.float32)
        if self.weigher_ is None:
            return np.nan_to_num(likeness[members, 0] + likeness[members, 1], nan=-2.0)
        return np.asarray(self.weigher_.predict(self._weigher_rows(likeness, members)), np.float32)

    def _weigher_rows(self, likeness: np.ndarray, members: np.ndarray) -> np.ndarray:
        """The answer weigher's features for ``members`` (pairs of one passage) from the asked question's
        likeness to every fitted pair."""
        rows = np.nan_to_num(likeness[members], nan=0.0)
        lengths = np.array([len(self.pairs_[m].answer) for m in members], np.float32)[:, None]
        size = np.full((len(members), 1), len(members), np.float32)
        return np.hstack([rows, rows - rows.max(axis=0, keepdims=True), lengths, size])

    # ---- ranking ------------------------------------------------------------------------------------------
    def rank(self, question: str, k: int = 5) -> list[Ranked]:
        e5_vector = self._e5_query(question)
        features, likeness = self._features(
            self.chars_.transform([question]),
            self.embedder.encode([question])[0],
            analyse(question),
            e5_vector,
            self.classifier_.scores(question, e5_vector),
            leave_out=None,
        )
        top = self._candidates(features)
        scores = np.asarray(self.ranker_.predict(features[top]))
        order = top[np.argsort(-scores, kind="stable")][:k]
        by_passage = dict(zip(top.tolist(), scores.tolist(), strict=True))
        out = []
        for passage in order.tolist():
            members = self.groups_[passage]
            predicted = self._predicted_f1(likeness, members)
            chosen = np.argsort(-predicted, kind="stable")[:NEIGHBOURS]
            best = int(members[chosen[0]]) if len(chosen) else -1
            near = tuple((int(members[j]), float(predicted[j])) for j in chosen)
            out.append(Ranked(passage, float(by_passage[passage]), best, near))
        return out

    def left_out_ranking(self, i: int, k: int = 3) -> tuple[float, list[int]]:
        """The top score and passages for fitted pair ``i`` asked again with itself left out of the index (for
        calibrating the decline threshold on pairs the reranker did not learn from)."""
        features, _ = self._left_out_features(i)
        top = self._candidates(features)
        scores = np.asarray(self.ranker_.predict(features[top]))
        order = np.argsort(-scores, kind="stable")
        return float(scores[order[0]]), top[order[:k]].tolist()

    def _left_out_features(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`_features` of fitted pair ``i``'s question with the pair itself left out (and scored by a
        passage classifier that did not learn from it)."""
        e5_row = self.q_e5_[i] if self.uses_e5_ else None
        return self._features(
            self.q_chars_[i],
            self.q_use_[i],
            self.tokens_[i],
            e5_row,
            self.classifier_.out_of_fold_[i],
            leave_out=i,
        )

    def _e5_query(self, question: str) -> np.ndarray | None:
        if not self.uses_e5_:
            return None
        if self.e5 is None:
            raise RuntimeError("this model was built with e5 vectors: attach an e5 encoder")
        return self.e5.queries([question])[0]

    def _candidates(self, features: np.ndarray) -> np.ndarray:
        """The passages the reranker orders: best by question likeness (characters, USE, e5) and passage
        likeness (USE, e5)."""
        prior = features[:, 0] + features[:, 2] + 0.5 * features[:, 8]
        if self.uses_e5_:
            prior = prior + features[:, 17] + features[:, 19]
        return np.argsort(-prior, kind="stable")[:CANDIDATES].copy()

    def _features(
        self,
        q_char_vec: Any,
        vector: np.ndarray,
        tokens: list[str],
        e5_vector: np.ndarray | None,
        classified: np.ndarray,
        *,
        leave_out: int | None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """(passages × FEATURES) and the asked question's likeness to every fitted pair (pairs × LIKENESS, NaN
        for the pair left out), from the question's character n-gram row, its USE vector, its word tokens, its e5
        query vector (None for a model without e5) and the passage classifier's score for every passage."""
        q_char = (self.q_chars_ @ q_char_vec.T).toarray().ravel()
        a_char = (self.a_chars_ @ q_char_vec.T).toarray().ravel()
        q_use = self.q_use_ @ vector
        a_use = self.a_use_ @ vector
        q_words = self.q_words_.scores(tokens)
        a_words = self.a_words_.scores(tokens)
        if leave_out is not None:
            for values in (q_char, q_use, a_char, a_use, q_words, a_words):
                values[leave_out] = np.nan
        n = len(self.passages_)
        features = np.full((n, len(self.feature_names)), -1.0, dtype=np.float32)
        grouped = self.member_index_
        valid = grouped < len(self.pairs_)
        qc, qu = _grouped(q_char, grouped, valid), _grouped(q_use, grouped, valid)
        has = valid.any(axis=1)
        features[has, 0], features[has, 1] = qc[has, 0], _mean_valid(qc[has, :3])
        features[has, 2], features[has, 3] = qu[has, 0], _mean_valid(qu[has, :3])
        features[has, 4] = _grouped(a_char, grouped, valid)[has, 0]
        features[has, 5] = _grouped(a_use, grouped, valid)[has, 0]
        features[:, 6] = valid.sum(axis=1)
        features[:, 7] = (self.p_chars_ @ q_char_vec.T).toarray().ravel()
        features[:, 8] = self.p_use_ @ vector
        if tokens:
            docs, scores = self.bm25_.retrieve([tokens], k=n, show_progress=False)
            bm25 = np.zeros(n, dtype=np.float32)
            bm25[docs[0]] = scores[0]
            features[:, 9] = bm25
        else:
            features[:, 9] = 0.0
        features[:, 10] = _ranks(features[:, 0])
        features[:, 11] = _ranks(features[:, 2])
        features[:, 12] = _ranks(features[:, 9])
        qw = _grouped(q_words, grouped, valid)
        features[has, 13], features[has, 14] = qw[has, 0], _mean_valid(qw[has, :3])
        features[has, 15] = _grouped(a_words, grouped, valid)[has, 0]
        features[:, 16] = _ranks(features[:, 13])
        q_e5 = np.zeros(len(self.pairs_), np.float32)
        if e5_vector is not None:
            q_e5 = self.q_e5_ @ e5_vector
            if leave_out is not None:
                q_e5[leave_out] = np.nan
            qe = _grouped(q_e5, grouped, valid)
            features[has, 17], features[has, 18] = qe[has, 0], _mean_valid(qe[has, :3])
            features[:, 19] = self.p_e5_ @ e5_vector
            features[:, 20] = _ranks(features[:, 17])
            features[:, 21] = _ranks(features[:, 19])
        features[:, -2] = classified
        features[:, -1] = _ranks(classified)
        return features, np.stack([q_char, q_use, q_e5, q_words, a_char, a_use, a_words], axis=1)
