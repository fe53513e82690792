"""The HS classifier: a scikit-learn-shaped estimator over retrieval channels, level priors and a ranker.

``HSClassifier(**hyper_parameters).fit(records)`` learns everything from labelled texts (rulings and reference
terms, :class:`~clearway.classification.corpus.LabelledText`) and the nomenclature; ``classify(texts)`` answers
with ranked HS6 candidates, each with its national lines, calibrated confidence and evidence, or a decline.
Hyper-parameters switch whole parts on and off, which is how the ablation in ``benchmarks/classification`` is
measured.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

from clearway.classification import decline as decline_rules
from clearway.classification import notes as legal_notes
from clearway.classification.corpus import LabelledText
from clearway.classification.embedding import Embedder, default_embedder
from clearway.classification.hierarchy import Hierarchy, bundled_hierarchy
from clearway.classification.index import Queries, RetrievalIndex
from clearway.classification.levels import LEVEL_MODELS, LevelModel, fit_level_model
from clearway.classification.morphology import analyse, analyse_many
from clearway.classification.national import LineChooser, line_features
from clearway.classification.plausibility import PlausibilityCheck
from clearway.classification.ranker import (
    Calibrator,
    Ranker,
    candidate_features,
    candidate_sets,
    feature_names,
    relevance,
    softmax,
)
from clearway.classification.results import (
    Candidate,
    Classification,
    CodeCheck,
    NationalLine,
    RulingEvidence,
)
from clearway.classification.text import (
    MODEL_LIMIT,
    detect_language,
    english_part,
    english_segments,
    normalise,
    query_meta,
)

BATCH = 128
FAST_CHARS = 120  # the declared-code check reads the start of a goods description (they are short anyway)


class HSClassifier:
    """Korean/English product description → ranked HS6 / HSK10 codes with evidence, or a decline."""

    version_: str  # the version name training gives the model (read with a default: older files lack it)
    # The legal notes (:mod:`.notes`) re-rank the ranker's candidates at inference; not learnt, so a class
    # default that a model file made before them also has. Switched off for the ablation.
    use_notes: bool = True
    notes_margin: float = legal_notes.PREFER_MARGIN

    def __init__(
        self,
        *,
        use_words: bool = True,
        use_embeddings: bool = True,
        use_rulings: bool = True,
        use_nomenclature: bool = True,
        use_centroids: bool = True,
        level_models: tuple[str, ...] = ("lr_use_c", "lr_use_h", "svc_char_c"),
        use_ranker: bool = True,
        n_candidates: int = 15,
        ranker_leaves: int = 7,
        ranker_trees: int = 400,
        learning_rate: float = 0.05,
        kcs_weight: float = 3.0,
        folds: int = 4,
        uk_extra_share: float = 0.4,
        uk_search_share: float = 0.15,
        calibrate: bool = True,
        sibling_window_days: int = 30,
        english_variants: bool = False,
        split_references: bool = False,
        min_confidence: float = 0.02,
        unknown_word_confidence: float = 0.2,
        max_char_features: int = 200_000,
        random_state: int = 0,
    ) -> None:
        self.use_words = use_words
        self.use_embeddings = use_embeddings
        self.use_rulings = use_rulings
        self.use_nomenclature = use_nomenclature
        self.use_centroids = use_centroids
        self.level_models = level_models
        self.use_ranker = use_ranker
        self.n_candidates = n_candidates
        self.ranker_leaves = ranker_leaves
        self.ranker_trees = ranker_trees
        self.learning_rate = learning_rate
        self.kcs_weight = kcs_weight
        self.folds = folds
        self.uk_extra_share = uk_extra_share
        self.uk_search_share = uk_search_share
        self.calibrate = calibrate
        self.sibling_window_days = sibling_window_days
        self.english_variants = english_variants
        self.split_references = split_references
        self.min_confidence = min_confidence
        self.unknown_word_confidence = unknown_word_confidence
        self.max_char_features = max_char_features
        self.random_state = random_state

    # ------------------------------------------------------------------------------------------ parameters
    _PARAMS = (
        "use_words",
        "use_embeddings",
        "use_rulings",
        "use_nomenclature",
        "use_centroids",
        "level_models",
        "use_ranker",
        "n_candidates",
        "ranker_leaves",
        "ranker_trees",
        "learning_rate",
        "kcs_weight",
        "folds",
        "uk_extra_share",
        "uk_search_share",
        "calibrate",
        "sibling_window_days",
        "english_variants",
        "split_references",
        "min_confidence",
        "unknown_word_confidence",
        "max_char_features",
        "random_state",
    )

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self._PARAMS}

    def set_params(self, **params: Any) -> HSClassifier:
        for name, value in params.items():
            if name not in self._PARAMS:
                raise ValueError(f"unknown parameter {name}")
            setattr(self, name, value)
        return self

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_embedder", None)  # the encoder is a process-wide resource, never pickled
        return state

    @property
    def embedder(self) -> Embedder:
        embedder = getattr(self, "_embedder", None)
        return embedder if embedder is not None else default_embedder()

    @embedder.setter
    def embedder(self, value: Embedder | None) -> None:
        self._embedder = value

    # ------------------------------------------------------------------------------------------------- fit
    def build_index(self, records: Sequence[LabelledText], hierarchy: Hierarchy) -> RetrievalIndex:
        """The retrieval index of ``records`` under this model's parameters: a function of the records, the
        nomenclature and the embedder's vectors alone (no fitted state), so it can be rebuilt after loading."""
        return RetrievalIndex(
            max_char_features=self.max_char_features,
            use_words=self.use_words,
            use_embeddings=self.use_embeddings,
            use_rulings=self.use_rulings,
            use_nomenclature=self.use_nomenclature,
            use_centroids=self.use_centroids,
            split_references=self.split_references,
        ).build(records, hierarchy, self.embedder)

    def fit(
        self,
        X: Sequence[LabelledText | str],
        y: Sequence[str] | None = None,
        *,
        hierarchy: Hierarchy | None = None,
        embedder: Embedder | None = None,
        log: Any = None,
        jobs: int = 1,
    ) -> HSClassifier:
        """Learn from labelled texts. ``X`` are records (or plain texts with codes in ``y``).

        ``jobs`` worker processes fit the level models' folds and the two rankers side by side (each fit is
        single-threaded and seeded, so the model does not depend on ``jobs``; only the wall time does)."""
        say = log or (lambda message: None)
        if embedder is not None:
            self.embedder = embedder
        hierarchy = hierarchy or bundled_hierarchy()
        records = _as_records(X, y)
        known = set(hierarchy.hs6_codes)
        records = [r for r in records if r.hs6 in known]
        self._ruling_line_cache: np.ndarray | None = None
        if not records:
            raise ValueError("no training record has a code of the nomenclature")
        self.hierarchy_ = hierarchy
        self.records_ = [_evidence_record(r) for r in records]
        self.trained_ids_ = frozenset(r.id for r in records)
        say(f"index: {len(records)} records, {len(hierarchy.lines)} national lines")
        self.index_ = self.build_index(records, hierarchy)
        index = self.index_
        self.hs6_heads_ = np.array([int(c[:4]) for c in index.hs6])
        truth = np.array([index.hs6_pos[r.hs6] for r in records])
        chosen = self._ranker_queries(records)
        fold_of = np.full(len(records), -1)
        fold_of[np.array(chosen)] = self._time_folds(records, chosen)
        qrec, qtext = self._query_variants(records, chosen)
        qfold = fold_of[qrec]
        say(f"ranker queries: {len(qrec)} from {len(chosen)} records")

        queries = [index.queries(qtext[b : b + BATCH], self.embedder) for b in range(0, len(qrec), BATCH)]
        self.level_models_: list[LevelModel] = []
        level_oof = self._fit_levels(records, fold_of, queries, qfold, say, jobs)
        features, labels = [], []
        line_examples: list[tuple[np.ndarray, int]] = []
        siblings = self._siblings(records, qrec)
        for b, q in enumerate(queries):
            ids = qrec[b * BATCH : (b + 1) * BATCH]
            rs, ls = index.ruling_scores(q), index.line_scores(q)
            scores = index.channels(
                q,
                self_ids=ids,
                ruling_scores=rs,
                line_scores=ls,
                siblings=siblings[b * BATCH : (b + 1) * BATCH],
            )
            levels = [(oof[b * BATCH : (b + 1) * BATCH], to_level) for oof, to_level in level_oof]
            cands = candidate_sets(scores, self.n_candidates)
            head, chap = index.hierarchy_max(scores)
            meta = np.array([query_meta(t) for t in q.texts], np.float32)
            features += candidate_features(scores, head, chap, levels, cands, meta)
            labels += [relevance(c, truth[i], self.hs6_heads_) for c, i in zip(cands, ids, strict=True)]
            line_examples += self._line_examples(records, ids, rs, ls)
        self.feature_names_ = feature_names(index.channel_names, [m.name for m in self.level_models_])
        weights = np.array([self.kcs_weight if records[i].source == "kcs" else 1.0 for i in qrec])
        held = qfold == 0 if self.calibrate else np.zeros(len(qrec), bool)
        self._fit_ranker(features, labels, weights, [records[i].source for i in qrec], held, say, jobs)
        self.line_chooser_ = LineChooser().fit([f for f, _ in line_examples], [t for _, t in line_examples])
        say("plausibility check of declared codes")
        chosen_arr = np.array(chosen)
        self.plausibility_ = PlausibilityCheck().fit(
            index,
            sp.csr_matrix(index.R_char_T.T)[chosen_arr],
            chosen_arr,
            truth[chosen_arr],
            self.random_state,
        )
        self.vocabulary_ = self._vocabulary(hierarchy, records)
        return self

    def _query_variants(
        self, records: Sequence[LabelledText], chosen: Sequence[int]
    ) -> tuple[np.ndarray, list[str]]:
        """The ranker's training queries: each chosen record's text, plus its English-only form when it has
        one (a KCS ruling's English product name, an EU ruling's English sentences), so that the ranker also
        learns how English-only descriptions score."""
        qrec, qtext = [], []
        for i in chosen:
            r = records[i]
            qrec.append(i)
            qtext.append(normalise(r.text))
            if not self.english_variants:
                continue
            english = ""
            if r.source == "kcs":
                english = english_segments(r.text.split("\n")[0])
            elif r.source == "eu_bti":
                part = english_part(r.text)
                english = part if len(part.split()) >= 5 else ""
            if english:
                qrec.append(i)
                qtext.append(normalise(english))
        return np.array(qrec), qtext

    def _siblings(
        self, records: Sequence[LabelledText], chosen: Sequence[int] | np.ndarray
    ) -> list[np.ndarray]:
        """Per training query, the other rulings of the same source decided within the sibling window."""
        window = self.sibling_window_days
        days = np.array([r.decided_on.toordinal() if r.decided_on else -(10**9) for r in records])
        sources = np.array([r.source for r in records])
        out = []
        for i in chosen:
            r = records[i]
            if window <= 0 or r.decided_on is None:
                out.append(np.zeros(0, np.int64))
                continue
            near = np.nonzero((sources == r.source) & (np.abs(days - days[i]) <= window))[0]
            out.append(near[near != i])
        return out

    def _time_folds(self, records: Sequence[LabelledText], chosen: Sequence[int]) -> np.ndarray:
        """Fold of each training query: by decision month for dated rulings (so a month's rulings are out
        together), round robin for the undated reference terms."""
        k = max(self.folds, 2)
        return np.array(
            [
                (r.decided_on.year * 12 + r.decided_on.month) % k if r.decided_on else n % k
                for n, r in enumerate(records[i] for i in chosen)
            ]
        )

    def _ranker_queries(self, records: Sequence[LabelledText]) -> list[int]:
        rng = random.Random(self.random_state)
        share = {"uk_extra": self.uk_extra_share, "uk_search": self.uk_search_share}
        return [i for i, r in enumerate(records) if rng.random() < share.get(r.source, 1.0)]

    def _level_inputs(self, kind: str) -> np.ndarray | sp.csr_matrix:
        index = self.index_
        if kind == "use":
            lines = normalize(index.Lk_use.astype(np.float32) + index.Le_use.astype(np.float32))
            return np.vstack([index.R_use.astype(np.float32), lines])
        return sp.vstack([index.R_char_T.T, index.L_char_T.T]).tocsr()

    def _fit_levels(
        self,
        records: Sequence[LabelledText],
        fold_of: np.ndarray,
        queries: list[Queries],
        qfold: np.ndarray,
        say: Callable[[str], object],
        jobs: int = 1,
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """Fit the chapter/heading models; return their out-of-fold scores for the ranker queries (a query is
        scored by the model of its record's fold, which never saw that record)."""
        index = self.index_
        n_rec, line_hs6 = len(records), np.where(index.line_label >= 0, index.line_label, 0)
        weights = np.r_[
            [self.kcs_weight if r.source == "kcs" else 1.0 for r in records],
            np.full(len(index.line_codes), 0.5),
        ]
        k = max(self.folds, 2)
        plan, calls = [], []
        for name in self.level_models:
            digits, kind, _ = LEVEL_MODELS[name]
            if kind == "use" and not self.use_embeddings:
                continue
            x = self._level_inputs(kind)
            hs6_all = np.r_[index.ruling_label, line_hs6]
            codes = np.array([int(index.hs6[i][:digits]) for i in hs6_all])
            plan.append((name, digits, kind))
            for f in range(k):  # one model per fold (without that fold's records), then one on everything
                keep = np.r_[np.nonzero(fold_of != f)[0], n_rec + np.arange(len(index.line_codes))]
                calls.append((_fit_level_rows, (name, x, codes, weights, keep, self.random_state)))
            calls.append((_fit_level_rows, (name, x, codes, weights, None, self.random_state)))
        say(f"level models {', '.join(p[0] for p in plan)}: {len(calls)} fits")
        fitted = _run(jobs, calls)
        out = []
        for n, (_name, digits, kind) in enumerate(plan):
            by_fold, final = fitted[n * (k + 1) : n * (k + 1) + k], fitted[n * (k + 1) + k]
            level_codes = index.heads if digits == 4 else index.chapters
            to_level = index.head_inverse if digits == 4 else index.chapter_inverse
            oof = np.zeros((len(qfold), len(level_codes)), np.float32)
            for b, q in enumerate(queries):
                vectors = q.use if kind == "use" else q.char
                folds = qfold[b * BATCH : (b + 1) * BATCH]
                for f in range(k):
                    rows = np.nonzero(folds == f)[0]
                    if len(rows):
                        oof[b * BATCH + rows] = by_fold[f].scores(vectors[rows], level_codes)
            self.level_models_.append(final)
            out.append((oof, to_level))
        return out

    def _line_examples(
        self,
        records: Sequence[LabelledText],
        ids: np.ndarray,
        rs: dict[str, np.ndarray],
        ls: dict[str, np.ndarray],
    ) -> list[tuple[np.ndarray, int]]:
        index = self.index_
        examples: list[tuple[np.ndarray, int]] = []
        ruling_line = self._ruling_line()
        for row, i in enumerate(ids):
            record = records[i]
            if record.source != "kcs" or record.code not in index.line_pos:
                continue
            lines = np.nonzero(index.line_label == index.hs6_pos[record.hs6])[0]
            if len(lines) < 2:
                continue
            f = line_features(
                lines,
                {k: v[row] for k, v in ls.items()},
                rs["char"][row],
                rs["use"][row],
                ruling_line,
                index.line_residual,
                exclude=int(i),
            )
            examples.append((f, int(np.nonzero(lines == index.line_pos[record.code])[0][0])))
        return examples

    def _ruling_line(self) -> np.ndarray:
        cached = getattr(self, "_ruling_line_cache", None)
        if cached is None:
            index = self.index_
            cached = np.array([index.line_pos.get(c, -1) if c else -1 for c in index.ruling_code10])
            self._ruling_line_cache = cached
        return cached

    def _fit_ranker(
        self,
        features: list[np.ndarray],
        labels: list[np.ndarray],
        weights: np.ndarray,
        sources: list[str],
        held: np.ndarray,
        say: Callable[[str], object],
        jobs: int = 1,
    ) -> None:
        self.calibrator_ = Calibrator()
        self.metrics_: dict[str, Any] = {}
        if not self.use_ranker:
            self.ranker_ = None
            return
        if len(features) < 20:
            held = np.zeros(len(features), bool)
        make = lambda: Ranker(self.ranker_leaves, self.ranker_trees, self.learning_rate, self.random_state)  # noqa: E731
        calibrate = bool(held.any() and (~held).any())
        calls: list[tuple[Callable[..., Any], tuple[Any, ...]]] = []
        if calibrate:  # one ranker without the calibration split, to calibrate on it; the served one on all
            calls.append(
                (
                    make().fit,
                    (
                        [features[i] for i in np.nonzero(~held)[0]],
                        [labels[i] for i in np.nonzero(~held)[0]],
                        weights[~held],
                    ),
                )
            )
        calls.append((make().fit, (features, labels, weights)))
        say("ranker (calibration split and all queries)" if calibrate else "ranker (all queries)")
        rankers = _run(jobs, calls)
        if calibrate:
            part = rankers[0]
            shares: list[np.ndarray] = []
            correct: list[np.ndarray] = []
            top1: dict[str, list[bool]] = {}
            for i in np.nonzero(held)[0]:
                s = softmax(part.score(features[i]))
                shares.append(s)
                correct.append(labels[i] == 2)
                top1.setdefault(sources[i], []).append(bool(labels[i][np.argmax(s)] == 2))
            self.calibrator_.fit(np.concatenate(shares), np.concatenate(correct).astype(float))
            self.metrics_["calibration_split_hs6_top1"] = {k: float(np.mean(v)) for k, v in top1.items()}
            self.metrics_["calibration_split_n"] = {k: len(v) for k, v in top1.items()}
        self.ranker_ = rankers[-1]

    def _vocabulary(self, hierarchy: Hierarchy, records: Sequence[LabelledText]) -> frozenset[str]:
        """Product words: the nomenclature's and the tariff index's, and words of at least two rulings (a brand
        or model name rarely recurs; "ecco" or "lego" do, and are then answered)."""
        texts = [f"{ln.path_ko} {ln.name_ko} {ln.name_en}" for ln in hierarchy.lines.values()]
        texts += list(hierarchy.description.values())
        texts += [r.text for r in records if r.source == "uk_search"]
        words = {w for tokens in analyse_many(texts) for w in tokens if not w.isdigit()}
        seen: dict[str, int] = {}
        for r in records:
            if r.source != "uk_search":
                for w in set(decline_rules.plain_tokens(r.text[:2000])):
                    seen[w] = seen.get(w, 0) + 1
        words |= {w for w, n in seen.items() if n >= 2 and w != decline_rules.KOREAN_TEXT}
        return frozenset(words)

    # -------------------------------------------------------------------------------------------- classify
    def classify(self, texts: Sequence[str], top_k: int = 5, evidence: int = 3) -> list[Classification]:
        """Answer for each text: ranked candidates (at most ``top_k``) or a decline."""
        results: list[Classification | None] = [None] * len(texts)
        todo: list[int] = []
        cleaned = []
        unknown_words: dict[int, decline_rules.Decline] = {}
        for i, raw in enumerate(texts):
            raw = raw if isinstance(raw, str) else ""
            text = normalise(raw)
            cleaned.append(text)
            truncated = len(" ".join(raw.split())) > MODEL_LIMIT
            declined = self._decline_before(text)
            if declined is not None and declined.code == "brand_only" and self._maybe_misspelt(text):
                # no product word we know, but one looks misspelt: answer only if the data recognise it
                unknown_words[i], declined = declined, None
            language = detect_language(text) if text else "none"
            results[i] = Classification(
                text=text,
                language=language,
                decline=declined,
                truncated=truncated,
                model_version=getattr(self, "version_", ""),
            )
            if declined is None:
                todo.append(i)
        for b in range(0, len(todo), BATCH):
            batch = todo[b : b + BATCH]
            answers = self._rank([cleaned[i] for i in batch], top_k, evidence)
            for i, (candidates, fired) in zip(batch, answers, strict=True):
                base = results[i]
                assert base is not None
                declined = None
                if i in unknown_words and (
                    not candidates or candidates[0].confidence < self.unknown_word_confidence
                ):
                    declined, candidates, fired = unknown_words[i], [], []
                elif not candidates or candidates[0].confidence < self.min_confidence:
                    declined = decline_rules.Decline(
                        "low_confidence",
                        "No code is likely enough for this description; add material, function and use.",
                    )
                    candidates, fired = [], []
                results[i] = Classification(
                    text=base.text,
                    language=base.language,
                    candidates=candidates,
                    notes=fired,
                    decline=declined,
                    truncated=base.truncated,
                    model_version=base.model_version,
                )
        return [r for r in results if r is not None]

    @staticmethod
    def _tokens(text: str) -> list[str]:
        """Words for the decline rules: morphology for a short text, cheap tokens for a long one."""
        return analyse(text) if len(text) <= 300 else decline_rules.plain_tokens(text)

    def _maybe_misspelt(self, text: str) -> bool:
        return decline_rules.misspelt_product_word(self._tokens(text), self.vocabulary_) is not None

    def _decline_before(self, text: str) -> decline_rules.Decline | None:
        found = decline_rules.rule_decline(text)
        if found is None:
            found = decline_rules.nothing_to_classify(self._tokens(text), self.vocabulary_)
        return found

    def _rank(
        self, texts: list[str], top_k: int, evidence: int
    ) -> list[tuple[list[Candidate], list[legal_notes.Firing]]]:
        index = self.index_
        q = index.queries(texts, self.embedder)
        rs, ls = index.ruling_scores(q), index.line_scores(q)
        scores = index.channels(q, ruling_scores=rs, line_scores=ls)
        cands = candidate_sets(scores, self.n_candidates)
        if self.ranker_ is None:  # plain sum of the channels (ablation baseline)
            ranked = [(c, scores[i][c].sum(axis=1)) for i, c in enumerate(cands)]
        else:
            levels = [
                (
                    m.scores(self._query_vector(q, m), index.heads if m.digits == 4 else index.chapters),
                    index.head_inverse if m.digits == 4 else index.chapter_inverse,
                )
                for m in self.level_models_
            ]
            head, chap = index.hierarchy_max(scores)
            meta = np.array([query_meta(t) for t in texts], np.float32)
            feats = candidate_features(scores, head, chap, levels, cands, meta)
            ranked = [(c, self.ranker_.score(f)) for c, f in zip(cands, feats, strict=True)]
        rules = legal_notes.bundled_rules(analyse) if self.use_notes else ()
        keys = legal_notes.korean_keys(rules)
        out = []
        for row, (cand, s) in enumerate(ranked):
            fired: list[legal_notes.Firing] = []
            if rules:
                codes = [str(index.hs6[j]) for j in cand]
                tokens = q.tokens[row] if q.tokens else analyse(texts[row])
                name = q.name_tokens[row] if q.name_tokens else None
                moved, fired = legal_notes.apply(
                    rules, tokens, codes, s, prefer_margin=self.notes_margin, keys=keys, head=name
                )
                s = np.asarray(moved)
            order = np.argsort(-s, kind="stable")[:top_k]
            confidence = self.calibrator_(softmax(np.asarray(s, np.float64)))
            candidates = []
            for j in order:
                c = self._candidate(int(cand[j]), float(confidence[j]), row, rs, ls, evidence)
                own = tuple(f for f in fired if c.hs6 in f.codes)
                candidates.append(replace(c, notes=own) if own else c)
            out.append((candidates, fired))
        return out

    def _query_vector(self, q: Queries, model: LevelModel) -> np.ndarray | sp.csr_matrix:
        return q.use if model.vector == "use" else q.char

    def _candidate(
        self,
        hs6_idx: int,
        confidence: float,
        row: int,
        rs: dict[str, np.ndarray],
        ls: dict[str, np.ndarray],
        evidence: int,
    ) -> Candidate:
        index, hierarchy = self.index_, self.hierarchy_
        hs6 = str(index.hs6[hs6_idx])
        lines = np.nonzero(index.line_label == hs6_idx)[0]
        national: list[NationalLine] = []
        if len(lines):
            f = line_features(
                lines,
                {k: v[row] for k, v in ls.items()},
                rs["char"][row],
                rs["use"][row],
                self._ruling_line(),
                index.line_residual,
            )
            p = self.line_chooser_.probabilities(f)
            for j in np.argsort(-p, kind="stable"):
                line = hierarchy.lines[index.line_codes[lines[j]]]
                national.append(
                    NationalLine(
                        line.code,
                        confidence * float(p[j]),
                        f"{line.path_ko} > {line.name_ko}" if line.path_ko else line.name_ko,
                        line.name_en,
                    )
                )
        path_code = national[0].code if national else hs6
        combined = 0.5 * rs["char"][row] + 0.5 * rs["use"][row]
        same = np.nonzero(index.ruling_label == hs6_idx)[0]
        best = same[np.argsort(-combined[same], kind="stable")[:evidence]]
        if len(best) < evidence:  # too few rulings of this HS6: the closest of its heading
            head = self.hs6_heads_[hs6_idx]
            near = np.nonzero(
                (self.hs6_heads_[index.ruling_label] == head) & (index.ruling_label != hs6_idx)
            )[0]
            best = np.r_[best, near[np.argsort(-combined[near], kind="stable")[: evidence - len(best)]]]
        rulings = [self._ruling_evidence(int(i), float(combined[i])) for i in best.astype(int)]
        return Candidate(
            hs6=hs6,
            confidence=confidence,
            description=hierarchy.description.get(hs6, ""),
            path=hierarchy.path(path_code),
            national_lines=national,
            rulings=rulings,
        )

    def _ruling_evidence(self, i: int, similarity: float) -> RulingEvidence:
        r = self.records_[i]
        return RulingEvidence(
            reference=r.reference,
            source=r.source,
            code=r.code,
            title=r.title,
            similarity=similarity,
            decided_on=r.decided_on,
        )

    def check_codes(
        self, descriptions: Sequence[str], codes: Sequence[str], suggestions: int = 3
    ) -> list[CodeCheck]:
        """The cheap plausibility check of declared codes (see :mod:`.plausibility`), for a batch."""
        index = self.index_
        out: list[CodeCheck | None] = [None] * len(codes)
        rows = []
        for i, code in enumerate(codes):
            hs6 = "".join(ch for ch in code if ch.isdigit())[:6]
            if hs6 not in index.hs6_pos:
                out[i] = CodeCheck(
                    code=code, risk=None, unlikely=False, suggestions=[], reason="unknown_code"
                )
            elif not normalise(descriptions[i], FAST_CHARS).strip():
                out[i] = CodeCheck(
                    code=code, risk=None, unlikely=False, suggestions=[], reason="no_description"
                )
            else:
                rows.append(i)
        if rows:
            texts = [normalise(descriptions[i], FAST_CHARS) for i in rows]
            declared = np.array(
                [index.hs6_pos["".join(ch for ch in codes[i] if ch.isdigit())[:6]] for i in rows]
            )
            x, hs6_sims = self.plausibility_.features(index, index.char_vectoriser.transform(texts), declared)
            risk = self.plausibility_.probability(x)
            k = min(suggestions, hs6_sims.shape[1] - 1)
            best = np.argpartition(-hs6_sims, k, axis=1)[:, :k]
            top = np.take_along_axis(best, np.argsort(-np.take_along_axis(hs6_sims, best, 1), axis=1), 1)
            for j, i in enumerate(rows):
                out[i] = CodeCheck(
                    code=codes[i],
                    risk=float(risk[j]),
                    unlikely=bool(risk[j] >= self.plausibility_.alarm_),
                    suggestions=[str(index.hs6[k]) for k in top[j]],
                )
        return [c for c in out if c is not None]

    def predict(self, X: Sequence[str]) -> list[str]:
        """The best HSK10 (or HS6 when no national line) per text; '' for a decline."""
        out = []
        for result in self.classify(X, top_k=1, evidence=0):
            out.append("" if result.declined else (result.candidates[0].hs10 or result.candidates[0].hs6))
        return out


def _as_records(X: Sequence[LabelledText | str], y: Sequence[str] | None) -> list[LabelledText]:
    if y is None:
        return [x for x in X if isinstance(x, LabelledText)]
    out = []
    for i, (x, code) in enumerate(zip(X, y, strict=True)):
        text = x.text if isinstance(x, LabelledText) else str(x)
        out.append(
            LabelledText(
                id=f"row:{i}",
                source="user",
                reference=f"row {i}",
                title=text[:160],
                text=text,
                code="".join(ch for ch in code if ch.isdigit()),
            )
        )
    return out


def _evidence_record(record: LabelledText) -> LabelledText:
    """What the model keeps of a record for evidence: no full text (it is in the index already)."""
    return LabelledText(
        id=record.id,
        source=record.source,
        reference=record.reference,
        title=record.title,
        text="",
        code=record.code,
        decided_on=record.decided_on,
        lang=record.lang,
    )


def _fit_level_rows(
    name: str,
    x: np.ndarray | sp.csr_matrix,
    codes: np.ndarray,
    weights: np.ndarray,
    rows: np.ndarray | None,
    seed: int,
) -> LevelModel:
    """One level model on ``rows`` of the inputs (all of them when None), with one BLAS thread: sums then add
    up in one order, so the fit is the same whichever process and machine makes it."""
    with threadpool_limits(limits=1):
        if rows is None:
            return fit_level_model(name, x, codes, weights, seed)
        return fit_level_model(name, x[rows], codes[rows], weights[rows], seed)


def _run(jobs: int, calls: Sequence[tuple[Callable[..., Any], tuple[Any, ...]]]) -> list[Any]:
    """The results of independent fits, in order: here one after another, or in ``jobs`` worker processes."""
    if jobs <= 1 or len(calls) <= 1:
        return [call(*args) for call, args in calls]
    from joblib import Parallel, delayed

    return list(Parallel(n_jobs=min(jobs, len(calls)))(delayed(call)(*args) for call, args in calls))
