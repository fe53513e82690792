"""Retrieval channels: how similar a description is to each HS6 subheading, measured many ways.

Two kinds of documents are indexed:

* **past rulings and reference terms** (KCS, EU BTI, UK) with their codes — nearest neighbours;
* **the nomenclature** — one document per HS6 (Korean HSK path and line names + HS 2022 English) and one per
  HSK national line (Korean path + name, English name).

Each channel gives a score for every HS6 (a matrix ``(n_queries, n_hs6)``): the best ruling of that HS6 by
character n-grams, by Korean/English word tokens, by multilingual sentence embedding; the HS6 document; the best
national line; the centroid of all documents of the HS6/heading/chapter... The ranker learns how to weigh them.

For training the ranker, a ruling is scored against the index *without itself* (``self_ids``): the features it
learns from look like the ones a new description gets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from clearway.classification.corpus import LabelledText
from clearway.classification.embedding import Embedder
from clearway.classification.hierarchy import Hierarchy
from clearway.classification.morphology import analyse_many, identity
from clearway.classification.text import normalise

NAME_LIMIT = 200
CENTROID_LINE_WEIGHT = 0.5
VOTE_K = 10

RULING_CHANNELS = (
    "rname_char",
    "rname_vote",
    "rul_char",
    "rul_use",
    "rul_word",
    "rul_char_vote",
    "rul_use_vote",
    "rul_word_vote",
)
# The same, over the UK reference terms and parcel descriptions only (terse, brand-heavy English): kept apart so
# the ranker can trust them differently from the rulings.
REFERENCE_CHANNELS = ("ref_char", "ref_use", "ref_word", "ref_char_vote", "ref_use_vote", "ref_word_vote")
REFERENCE_SOURCES = ("uk_extra", "uk_search")
NOMENCLATURE_CHANNELS = (
    "nom_char",
    "nom_word",
    "name_char",
    "name_word",
    "line_char",
    "line_word",
    "line_use_ko",
    "line_use_en",
    "cont_ko",
    "cont_en",
    "name_cont_en",
    "name_n_en",
)
CENTROID_CHANNELS = tuple(f"cent_{f}{lvl}" for f in "wcu" for lvl in "hcs")


_KIND = {"w": "word", "c": "char", "u": "use"}


def first_line(text: str) -> str:
    return text.split("\n", 1)[0][:NAME_LIMIT]


def ruling_texts(records: Sequence[LabelledText]) -> list[str]:
    """What the index reads of each ruling or reference term (also its embedded text)."""
    return [normalise(r.text) for r in records]


def line_texts(hierarchy: Hierarchy) -> tuple[list[str], list[str]]:
    """Each national line (in code order) in Korean (path > name) and in English (name; HS6 description)."""
    lines = [hierarchy.lines[c] for c in sorted(hierarchy.lines)]
    line_ko = [f"{ln.path_ko} > {ln.name_ko}" if ln.path_ko else ln.name_ko for ln in lines]
    line_en = [f"{ln.name_en}; {hierarchy.description.get(ln.hs6, '')}" for ln in lines]
    return line_ko, line_en


@dataclass
class Queries:
    """A batch of normalised descriptions with their vectors (computed once, used by every channel)."""

    texts: list[str]
    names: list[str]
    char: sp.csr_matrix
    word: sp.csr_matrix
    use: np.ndarray
    name_char: sp.csr_matrix
    name_word: sp.csr_matrix
    tokens: list[list[str]] = field(default_factory=list)  # each text's word tokens (for the legal notes)
    name_tokens: list[list[str]] = field(default_factory=list)  # and its first line's


def _binary(matrix: sp.csr_matrix) -> sp.csr_matrix:
    out = matrix.copy()
    out.data[:] = 1.0
    return out


class Grouper:
    """Max of document scores per label (e.g. the best ruling of each HS6), vectorised with reduceat."""

    def __init__(self, labels: np.ndarray, n_labels: int) -> None:
        valid = labels >= 0
        self.columns = np.nonzero(valid)[0][np.argsort(labels[valid], kind="stable")]
        sorted_labels = labels[self.columns]
        self.starts = (
            np.r_[0, np.nonzero(np.diff(sorted_labels))[0] + 1] if len(sorted_labels) else np.zeros(0, int)
        )
        self.labels = sorted_labels[self.starts] if len(sorted_labels) else np.zeros(0, int)
        self.n_labels = n_labels

    def max(self, scores: np.ndarray) -> np.ndarray:
        out = np.zeros((scores.shape[0], self.n_labels), np.float32)
        if len(self.columns):
            out[:, self.labels] = np.maximum.reduceat(scores[:, self.columns], self.starts, axis=1)
        return out


def group_max(matrix: np.ndarray, inverse: np.ndarray, starts: np.ndarray, order: np.ndarray) -> np.ndarray:
    """For scores per HS6, the best score within the same heading (or chapter), broadcast back to HS6."""
    best = np.maximum.reduceat(matrix[:, order], starts, axis=1)
    return best[:, inverse]


def vote(scores: np.ndarray, labels: np.ndarray, n_labels: int, k: int = VOTE_K) -> np.ndarray:
    """Similarity-weighted votes of the k nearest documents."""
    n = scores.shape[0]
    out = np.zeros((n, n_labels), np.float32)
    k = min(k, scores.shape[1])
    if k == 0:
        return out
    idx = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    rows = np.repeat(np.arange(n), k)
    np.add.at(out, (rows, labels[idx].ravel()), np.maximum(scores[rows, idx.ravel()], 0))
    return out


class RetrievalIndex:
    """Vectorisers and document matrices; :meth:`channels` scores queries against them."""

    def __init__(
        self,
        *,
        max_char_features: int = 200_000,
        use_words: bool = True,
        use_embeddings: bool = True,
        use_rulings: bool = True,
        use_nomenclature: bool = True,
        use_centroids: bool = True,
        split_references: bool = False,
    ) -> None:
        self.max_char_features = max_char_features
        self.use_words = use_words
        self.use_embeddings = use_embeddings
        self.use_rulings = use_rulings
        self.split_references = split_references
        self.use_nomenclature = use_nomenclature
        self.use_centroids = use_centroids

    # ----------------------------------------------------------------------------------------------- building
    def build(
        self, records: Sequence[LabelledText], hierarchy: Hierarchy, embedder: Embedder
    ) -> RetrievalIndex:
        self.hs6 = np.array(hierarchy.hs6_codes)
        self.hs6_pos = {c: i for i, c in enumerate(self.hs6)}
        n_hs6 = len(self.hs6)
        heads = np.array([int(c[:4]) for c in self.hs6])
        chapters = np.array([int(c[:2]) for c in self.hs6])
        self.heads, self.head_inverse = np.unique(heads, return_inverse=True)
        self.chapters, self.chapter_inverse = np.unique(chapters, return_inverse=True)
        self._head_order = np.argsort(self.head_inverse, kind="stable")
        self._head_starts = np.r_[0, np.nonzero(np.diff(self.head_inverse[self._head_order]))[0] + 1]
        self._chap_order = np.argsort(self.chapter_inverse, kind="stable")
        self._chap_starts = np.r_[0, np.nonzero(np.diff(self.chapter_inverse[self._chap_order]))[0] + 1]

        # the rulings
        self.ruling_ids = [r.id for r in records]
        self.ruling_label = np.array([self.hs6_pos[r.hs6] for r in records], dtype=np.int64)
        self.ruling_is_kcs = np.array([r.source == "kcs" for r in records])
        self.ruling_code10 = np.array(
            [r.code if r.source == "kcs" and len(r.code) == 10 else "" for r in records]
        )
        r_texts = ruling_texts(records)
        ruling_names = [first_line(t) for t in r_texts]

        # the nomenclature: national lines and HS6 documents
        self.line_codes = sorted(hierarchy.lines)
        lines = [hierarchy.lines[c] for c in self.line_codes]
        line_ko, line_en = line_texts(hierarchy)
        line_both = [f"{a} {b}" for a, b in zip(line_ko, line_en, strict=True)]
        self.line_label = np.array([self.hs6_pos.get(ln.hs6, -1) for ln in lines], dtype=np.int64)
        self.line_pos = {c: i for i, c in enumerate(self.line_codes)}
        self.line_residual = np.array(
            [ln.name_ko.startswith("기타") or ln.name_en.lower() == "other" for ln in lines]
        )
        hs6_docs = [self._hs6_doc(hierarchy, c) for c in self.hs6]

        # vectorisers, fitted on everything the index holds
        self.char_vectoriser = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(2, 4),
            sublinear_tf=True,
            max_features=self.max_char_features,
            dtype=np.float32,
        ).fit(r_texts + hs6_docs + line_both)
        tokens = analyse_many(r_texts + hs6_docs + line_ko + line_en + ruling_names)
        n_r, n_d, n_l = len(r_texts), len(hs6_docs), len(line_ko)
        r_tok, d_tok = tokens[:n_r], tokens[n_r : n_r + n_d]
        lk_tok, le_tok = tokens[n_r + n_d : n_r + n_d + n_l], tokens[n_r + n_d + n_l : n_r + n_d + 2 * n_l]
        self.word_vectoriser = TfidfVectorizer(analyzer=identity, sublinear_tf=True, dtype=np.float32).fit(
            r_tok + d_tok + lk_tok + le_tok
        )

        def t(matrix: sp.spmatrix) -> sp.csr_matrix:
            return sp.csr_matrix(matrix.T)

        r_char = self.char_vectoriser.transform(r_texts)
        r_word = self.word_vectoriser.transform(r_tok)
        l_char = self.char_vectoriser.transform(line_both)
        l_word = self.word_vectoriser.transform([a + b for a, b in zip(lk_tok, le_tok, strict=True)])
        self.R_char_T, self.R_word_T = t(r_char), t(r_word)
        self.RN_char_T = t(self.char_vectoriser.transform(ruling_names))
        self.N_char_T = t(self.char_vectoriser.transform(hs6_docs))
        self.N_word_T = t(self.word_vectoriser.transform(d_tok))
        self.L_char_T, self.L_word_T = t(l_char), t(l_word)
        name_ko_tok = analyse_many([ln.name_ko for ln in lines])
        name_en_tok = analyse_many([ln.name_en for ln in lines])
        hs6_en_tok = analyse_many([hierarchy.description.get(c, "") for c in self.hs6])
        self.Lk_cont_T = t(self._containment(name_ko_tok))
        self.Le_cont_T = t(self._containment(name_en_tok))
        self.N_en_cont_T = t(self._containment(hs6_en_tok))

        # embeddings (float16 to halve memory; products are taken in float32)
        r_use = embedder.encode(r_texts) if self.use_embeddings else np.zeros((n_r, 1), np.float32)
        lk_use = embedder.encode(line_ko) if self.use_embeddings else np.zeros((n_l, 1), np.float32)
        le_use = embedder.encode(line_en) if self.use_embeddings else np.zeros((n_l, 1), np.float32)
        self.R_use, self.Lk_use, self.Le_use = (x.astype(np.float16) for x in (r_use, lk_use, le_use))

        self._rulings = Grouper(self.ruling_label, n_hs6)
        is_reference = np.array([r.source in REFERENCE_SOURCES for r in records])
        self._by_source = {
            "rul": Grouper(np.where(is_reference, -1, self.ruling_label), n_hs6),
            "ref": Grouper(np.where(is_reference, self.ruling_label, -1), n_hs6),
        }
        self._reference_mask = is_reference
        self._lines = Grouper(self.line_label, n_hs6)

        # centroids per HS6 / heading / chapter: sums of ruling vectors (+ half-weighted line vectors)
        line_hs6 = np.where(self.line_label >= 0, self.line_label, 0)
        l_use = normalize(lk_use + le_use) if self.use_embeddings else lk_use
        self.centroids: dict[str, tuple[sp.csr_matrix | np.ndarray, np.ndarray, np.ndarray]] = {}
        level_of = {"h": self.head_inverse, "c": self.chapter_inverse, "s": np.arange(n_hs6)}
        sizes = {"h": len(self.heads), "c": len(self.chapters), "s": n_hs6}
        for kind, rulings_m, lines_m in (
            ("w", r_word, l_word),
            ("c", r_char, l_char),
            ("u", sp.csr_matrix(r_use), sp.csr_matrix(l_use)),
        ):
            for lvl in "hcs":
                r_lab, l_lab = level_of[lvl][self.ruling_label], level_of[lvl][line_hs6]
                total = (
                    self._onehot(r_lab, sizes[lvl]) @ rulings_m
                    + self._onehot(l_lab, sizes[lvl]) @ lines_m * CENTROID_LINE_WEIGHT
                ).tocsr()
                squares = np.asarray(total.multiply(total).sum(1)).ravel().astype(np.float32)
                matrix = total.T.toarray().astype(np.float32) if kind == "u" else sp.csr_matrix(total.T)
                self.centroids[kind + lvl] = (matrix, squares, r_lab)
        return self

    @staticmethod
    def _hs6_doc(hierarchy: Hierarchy, code: str) -> str:
        names = " ".join(ln.name_ko for ln in hierarchy.national_lines(code) if ln.name_ko != "기타")
        return (
            f"{hierarchy.subheading_ko(code)} {names} {hierarchy.description.get(code, '')} "
            f"{hierarchy.description.get(code[:4], '')}"
        )

    @staticmethod
    def _onehot(labels: np.ndarray, n: int) -> sp.csr_matrix:
        return sp.csr_matrix(
            (np.ones(len(labels), np.float32), (labels, np.arange(len(labels)))), shape=(n, len(labels))
        )

    def _containment(self, token_lists: list[list[str]]) -> sp.csr_matrix:
        """Rows: documents as idf weights summing to 1; a binary query times this = share of the doc covered."""
        matrix = self.word_vectoriser.transform(token_lists)
        matrix.data[:] = 1.0
        matrix = sp.csr_matrix(matrix.multiply(self.word_vectoriser.idf_[None, :]))
        sums = np.asarray(matrix.sum(1)).ravel()
        sums[sums == 0] = 1.0
        return sp.csr_matrix(sp.diags(1.0 / sums) @ matrix)

    # ----------------------------------------------------------------------------------------------- scoring
    def dense(self, name: str) -> np.ndarray:
        """A float16 embedding matrix as float32, converted once per process (kept out of the model file)."""
        cache = self.__dict__.setdefault("_float32", {})
        if name not in cache:
            cache[name] = np.ascontiguousarray(getattr(self, name), dtype=np.float32)
        return cache[name]

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_float32", None)
        return state

    @property
    def channel_names(self) -> list[str]:
        names: list[str] = []
        if self.use_rulings:
            names += [n for n in RULING_CHANNELS if self.use_embeddings or "use" not in n]
            if getattr(self, "split_references", False):
                names += [n for n in REFERENCE_CHANNELS if self.use_embeddings or "use" not in n]
        if self.use_nomenclature:
            names += [n for n in NOMENCLATURE_CHANNELS if self.use_embeddings or "use" not in n]
        if self.use_centroids:
            names += [n for n in CENTROID_CHANNELS if self.use_embeddings or not n.startswith("cent_u")]
        if not self.use_words:
            names = [
                n
                for n in names
                if "word" not in n and "cont" not in n and n != "name_n_en" and not n.startswith("cent_w")
            ]
        return names

    def queries(self, texts: Sequence[str], embedder: Embedder) -> Queries:
        names = [first_line(t) for t in texts]
        tokens = analyse_many(list(texts) + names)
        use = embedder.encode(list(texts)) if self.use_embeddings else np.zeros((len(texts), 1), np.float32)
        return Queries(
            texts=list(texts),
            names=names,
            char=self.char_vectoriser.transform(texts),
            word=self.word_vectoriser.transform(tokens[: len(texts)]),
            use=use,
            name_char=self.char_vectoriser.transform(names),
            name_word=self.word_vectoriser.transform(tokens[len(texts) :]),
            tokens=tokens[: len(texts)],
            name_tokens=tokens[len(texts) :],
        )

    def ruling_scores(self, q: Queries) -> dict[str, np.ndarray]:
        """Similarity of each query to each ruling (rows: queries, columns: rulings)."""
        out = {
            "char": (q.char @ self.R_char_T).toarray(),
            "word": (q.word @ self.R_word_T).toarray(),
            "name": (q.name_char @ self.RN_char_T).toarray(),
        }
        out["use"] = (q.use @ self.dense("R_use").T) if self.use_embeddings else np.zeros_like(out["char"])
        return out

    def line_scores(self, q: Queries) -> dict[str, np.ndarray]:
        """Similarity of each query to each national line (rows: queries, columns: :attr:`line_codes`)."""
        out = {
            "char": (q.char @ self.L_char_T).toarray(),
            "word": (q.word @ self.L_word_T).toarray(),
            "cont_ko": (_binary(q.word) @ self.Lk_cont_T).toarray(),
        }
        if self.use_embeddings:
            out["use_ko"] = q.use @ self.dense("Lk_use").T
            out["use_en"] = q.use @ self.dense("Le_use").T
        else:
            out["use_ko"] = out["use_en"] = np.zeros_like(out["char"])
        return out

    def channels(
        self,
        q: Queries,
        self_ids: np.ndarray | None = None,
        ruling_scores: dict[str, np.ndarray] | None = None,
        line_scores: dict[str, np.ndarray] | None = None,
        siblings: list[np.ndarray] | None = None,
    ) -> np.ndarray:
        """(n_queries, n_hs6, n_channels) scores, channels in :attr:`channel_names` order.

        ``self_ids`` (training): each query's own ruling, left out; ``siblings``: per query, other rulings to
        leave out too (those decided in the same weeks: a new description rarely has a same-week twin)."""
        n = len(q.texts)
        rows = np.arange(n)
        ch: dict[str, np.ndarray] = {}
        wanted = set(self.channel_names)
        original = None
        if self.use_rulings or (siblings is not None and self.use_centroids):
            original = ruling_scores if ruling_scores is not None else self.ruling_scores(q)
        if self.use_rulings:
            assert original is not None
            rs = original
            if self_ids is not None:
                rs = {k: v.copy() for k, v in rs.items()}
                for v in rs.values():
                    v[rows, self_ids] = -1.0
                    for row, others in enumerate(siblings or ()):
                        v[row, others] = -1.0
            lab, n_hs6 = self.ruling_label, len(self.hs6)
            ch["rname_char"], ch["rname_vote"] = self._rulings.max(rs["name"]), vote(rs["name"], lab, n_hs6)
            if getattr(self, "split_references", False):
                for group in ("rul", "ref"):
                    mask = self._reference_mask if group == "rul" else ~self._reference_mask
                    for kind in ("char", "use", "word"):
                        scores = rs[kind].copy()
                        scores[:, mask] = -1.0  # the other group's documents do not count
                        ch[f"{group}_{kind}"] = self._by_source[group].max(scores)
                        ch[f"{group}_{kind}_vote"] = vote(scores, lab, n_hs6)
            else:
                for kind in ("char", "use", "word"):
                    ch[f"rul_{kind}"] = self._rulings.max(rs[kind])
                    ch[f"rul_{kind}_vote"] = vote(rs[kind], lab, n_hs6)
        if self.use_nomenclature:
            ls = line_scores if line_scores is not None else self.line_scores(q)
            nb = _binary(q.name_word)
            ch["nom_char"] = (q.char @ self.N_char_T).toarray()
            ch["nom_word"] = (q.word @ self.N_word_T).toarray()
            ch["name_char"] = (q.name_char @ self.N_char_T).toarray()
            ch["name_word"] = (q.name_word @ self.N_word_T).toarray()
            ch["line_char"] = self._lines.max(ls["char"])
            ch["line_word"] = self._lines.max(ls["word"])
            if self.use_embeddings:
                ch["line_use_ko"] = self._lines.max(ls["use_ko"])
                ch["line_use_en"] = self._lines.max(ls["use_en"])
            ch["cont_ko"] = self._lines.max(ls["cont_ko"])
            ch["cont_en"] = self._lines.max((_binary(q.word) @ self.Le_cont_T).toarray())
            ch["name_cont_en"] = (nb @ self.N_en_cont_T).toarray()
            ch["name_n_en"] = self._lines.max((nb @ self.Le_cont_T).toarray())
        if self.use_centroids:
            vectors = {"w": q.word, "c": q.char, "u": q.use}
            for kind in "wcu":
                for lvl in "hcs":
                    if f"cent_{kind}{lvl}" in wanted:
                        ch[f"cent_{kind}{lvl}"] = self._centroid(
                            vectors[kind],
                            kind + lvl,
                            self_ids,
                            siblings=siblings,
                            sibling_scores=None if original is None else original[_KIND[kind]],
                        )
        return np.stack([ch[name] for name in self.channel_names], axis=2).astype(np.float32)

    def _centroid(
        self,
        query: Any,  # a dense array or a scipy sparse matrix (scipy has no type information)
        key: str,
        self_ids: np.ndarray | None,
        broadcast: bool = True,
        siblings: list[np.ndarray] | None = None,
        sibling_scores: np.ndarray | None = None,
    ) -> np.ndarray:
        """Cosine of each query with the centroid of each HS6/heading/chapter (``key``: kind + level);
        broadcast to HS6 columns unless ``broadcast`` is False. ``self_ids`` are left out of their centroid
        exactly; ``siblings`` approximately (their part of the dot product is removed, the norm is kept)."""
        matrix, squares, ruling_level = self.centroids[key]
        dots = np.asarray(
            query @ matrix if not sp.issparse(query) else (query @ matrix).toarray(), np.float32
        )
        norms = np.broadcast_to(np.sqrt(np.maximum(squares, 1e-9)), dots.shape).copy()
        if self_ids is not None:
            rows = np.arange(len(self_ids))
            own = ruling_level[self_ids]
            own_sq = (
                np.asarray(query.multiply(query).sum(1)).ravel()
                if sp.issparse(query)
                else (query * query).sum(1)
            )
            dots[rows, own] -= own_sq
            norms[rows, own] = np.sqrt(
                np.maximum(squares[own] - 2 * (dots[rows, own] + own_sq) + own_sq, 1e-9)
            )
            if siblings is not None and sibling_scores is not None:
                for row, others in enumerate(siblings):
                    if len(others):
                        np.subtract.at(dots[row], ruling_level[others], sibling_scores[row, others])
        sims = dots / norms
        level = {"h": self.head_inverse, "c": self.chapter_inverse, "s": None}[key[1]]
        return sims if level is None or not broadcast else sims[:, level]

    def hierarchy_max(self, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per channel, the best HS6 score within each HS6's heading and chapter."""
        n, n_hs6, n_ch = scores.shape
        flat = scores.transpose(0, 2, 1).reshape(n * n_ch, n_hs6)
        head = group_max(flat, self.head_inverse, self._head_starts, self._head_order)
        chap = group_max(flat, self.chapter_inverse, self._chap_starts, self._chap_order)
        return (
            head.reshape(n, n_ch, n_hs6).transpose(0, 2, 1),
            chap.reshape(n, n_ch, n_hs6).transpose(0, 2, 1),
        )
