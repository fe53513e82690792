"""The assistant's retrieval model as a versioned folder: build (``clearway assist train``), save, serve.

``var/models/assistant/<version>/`` holds ``model.pkl`` (the fitted :class:`PassageRetriever` without its
embedder), ``meta.json`` (data fingerprint, parameters, library versions, the decline threshold) and
``metrics.json`` (figures on the held-out tenth of the corpus, which no part of the model saw). ``CURRENT``
names the served version. The version is the data fingerprint + parameters hash, so a rebuild on the same data
is recognised and skipped.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict

import lightgbm
import numpy as np
import sklearn
from sklearn.isotonic import IsotonicRegression

from clearway.assistant import e5_vectors
from clearway.assistant.e5_encoder import CachedE5, QueryPassageEncoder, default_e5
from clearway.assistant.knowledge import Knowledge, QAPair, bundled_knowledge, squash
from clearway.assistant.retrieval import PassageRetriever
from clearway.classification.embedding import Embedder, UseEmbedder
from clearway.config import Settings
from clearway.errors import ClearwayError
from clearway.shipped_models import install

FORMAT = 5  # 2: question and answer BM25 features; 3: e5 (multilingual-e5-small) features; 4: answer weigher;
# 5: passage classifier


class Params(TypedDict):
    n_estimators: int
    learning_rate: float
    num_leaves: int
    seed: int
    candidates: int
    max_wrong_answered: float


PARAMS: Params = {
    "n_estimators": 300,
    "learning_rate": 0.05,
    "num_leaves": 15,
    "seed": 7,
    "candidates": 30,
    "max_wrong_answered": 0.03,
}
CALIBRATION_SALT = "clearway-assistant-calibration"
_lock = threading.Lock()
_served: dict[Path, tuple[float, ServedModel]] = {}


class AssistantModelUnavailable(ClearwayError):
    type = "assistant-model-unavailable"
    title = "The assistant's model is not built"
    status = 503


@dataclass
class ServedModel:
    retriever: PassageRetriever
    knowledge: Knowledge
    threshold: float
    calibration: IsotonicRegression
    version: str

    def confidence(self, score: float) -> float:
        return float(self.calibration.predict([score])[0])


def root(models_dir: Path) -> Path:
    return models_dir / "assistant"


def libraries() -> dict[str, str]:
    return {
        "scikit-learn": sklearn.__version__,
        "lightgbm": lightgbm.__version__,
        "numpy": np.__version__,
        "e5": e5_vectors.encoder_id(),
    }


def version_of(knowledge: Knowledge) -> str:
    digest = hashlib.sha256()
    for pair in knowledge.pairs:
        digest.update(f"{pair.id}\x1f{pair.question}\x1f{pair.answer}\x1f{pair.passage}\x1e".encode())
    digest.update(json.dumps({"format": FORMAT, **PARAMS}, sort_keys=True).encode())
    digest.update(json.dumps(libraries(), sort_keys=True).encode())
    return "asst-" + digest.hexdigest()[:10]


def _calibration_pair(pair_id: int) -> bool:
    return hashlib.sha256(f"{CALIBRATION_SALT}:{pair_id}".encode()).digest()[0] % 10 == 0


def choose_threshold(scores: list[float], in_top3: list[bool], max_wrong: float) -> float:
    """The lowest top score at which answering keeps the share of answers whose passage is not even in the
    top three at or below ``max_wrong`` (of all calibration questions)."""
    order = np.argsort(-np.asarray(scores))
    wrong = 0
    threshold = float(max(scores)) + 1.0
    for i in order:
        wrong += not in_top3[i]
        if wrong / len(scores) > max_wrong:
            break
        threshold = float(scores[i])
    return threshold


@dataclass
class Built:
    retriever: PassageRetriever
    threshold: float
    calibration: IsotonicRegression
    ranker_pairs: int
    calibration_pairs: int


def build(
    knowledge: Knowledge,
    pairs: Sequence[QAPair],
    embedder: Embedder,
    e5: QueryPassageEncoder | None = None,
) -> Built:
    """Fit the retriever on ``pairs`` (a tenth of them, by :func:`_calibration_pair`, kept out of the
    reranker's training) and calibrate the decline threshold and the confidence on that tenth."""
    ranker_rows = [i for i, p in enumerate(pairs) if not _calibration_pair(p.id)]
    calibration_rows = [i for i, p in enumerate(pairs) if _calibration_pair(p.id)]
    retriever = PassageRetriever(
        embedder,
        e5,
        n_estimators=PARAMS["n_estimators"],
        learning_rate=PARAMS["learning_rate"],
        num_leaves=PARAMS["num_leaves"],
        seed=PARAMS["seed"],
    ).fit(knowledge, pairs, ranker_rows)
    scores, top1, top3 = [], [], []
    for i in calibration_rows:
        score, passages = retriever.left_out_ranking(i)
        gold = pairs[i].passage
        scores.append(score)
        top1.append(passages[0] == gold)
        top3.append(gold in passages)
    threshold = choose_threshold(scores, top3, PARAMS["max_wrong_answered"])
    calibration = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(scores, top1)
    return Built(retriever, threshold, calibration, len(ranker_rows), len(calibration_rows))


def corpus_e5(e5: QueryPassageEncoder | None = None) -> CachedE5:
    """The e5 encoder a build uses: the shipped vectors of the corpus first (:mod:`.e5_vectors`)."""
    return CachedE5(e5 or default_e5(), shipped=e5_vectors.usable(e5_vectors.read()))


def train(
    models_dir: Path,
    embedder: Embedder | None = None,
    e5: QueryPassageEncoder | None = None,
    *,
    force: bool = False,
    knowledge: Knowledge | None = None,
) -> str:
    """Build, measure and serve the model of ``knowledge`` (default: the bundled corpus)."""
    knowledge = knowledge or bundled_knowledge()
    version = version_of(knowledge)
    folder = root(models_dir) / version
    if (folder / "model.pkl").exists() and not force:
        _set_current(models_dir, version)
        return f"assistant model {version} already built"
    started = time.monotonic()
    cpu_started = time.process_time()
    pairs = knowledge.training_pairs()
    encoder = corpus_e5(e5)
    built = build(knowledge, pairs, embedder or UseEmbedder(), encoder)
    retriever, threshold, calibration = built.retriever, built.threshold, built.calibration
    metrics = held_out_metrics(retriever, knowledge, threshold)
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "model.pkl").open("wb") as handle:
        pickle.dump({"retriever": retriever, "calibration": calibration, "knowledge": knowledge}, handle)
    meta = {
        "format": FORMAT,
        "version": version,
        "params": PARAMS,
        "libraries": libraries(),
        "threshold": threshold,
        "training_pairs": len(pairs),
        "ranker_pairs": built.ranker_pairs,
        "calibration_pairs": built.calibration_pairs,
        "held_out_pairs": len(knowledge.held_out_pairs()),
        "build_seconds": round(time.monotonic() - started, 1),
        "build_cpu_seconds": round(time.process_time() - cpu_started, 1),
        "e5_texts_encoded": encoder.computed,  # not found among the shipped vectors (held-out questions)
    }
    (folder / "meta.json").write_text(json.dumps(meta, indent=2), "utf-8")
    (folder / "metrics.json").write_text(json.dumps(metrics, indent=2), "utf-8")
    _set_current(models_dir, version)
    return (
        f"assistant model {version} built: held-out passage hit@1 {metrics['passage_hit@1']:.3f}, "
        f"hit@3 {metrics['passage_hit@3']:.3f}"
    )


def build_models(settings: Settings) -> str:
    """For ``clearway setup-models``: serve the model the bundled corpus makes: the one already built, else the
    one the package ships (same corpus, parameters and libraries), else build it."""
    knowledge = bundled_knowledge()
    version = version_of(knowledge)
    if not (root(settings.models_dir) / version / "model.pkl").exists() and install(
        "assistant", version, root(settings.models_dir), libraries()
    ):
        _set_current(settings.models_dir, version)
        return f"assistant model {version} installed as shipped"
    return train(settings.models_dir, knowledge=knowledge)


def held_out_metrics(retriever: PassageRetriever, knowledge: Knowledge, threshold: float) -> dict[str, Any]:
    held = knowledge.held_out_pairs()
    hit1 = hit3 = answered_wrong = 0
    for pair in held:
        ranked = retriever.rank(pair.question, k=3)
        gold = squash(knowledge.passages[pair.passage].text)
        texts = [squash(knowledge.passages[r.passage].text) for r in ranked]
        hit1 += texts[0] == gold
        hit3 += gold in texts
        answered_wrong += ranked[0].score >= threshold and gold not in texts
    n = max(1, len(held))
    return {
        "n": len(held),
        "passage_hit@1": hit1 / n,
        "passage_hit@3": hit3 / n,
        "answered_wrong_rate": answered_wrong / n,
    }


def _set_current(models_dir: Path, version: str) -> None:
    marker = root(models_dir) / "CURRENT"
    marker.parent.mkdir(parents=True, exist_ok=True)
    tmp = marker.with_suffix(".tmp")
    tmp.write_text(version + "\n", "utf-8")
    tmp.replace(marker)


def served(
    models_dir: Path, embedder: Embedder | None = None, e5: QueryPassageEncoder | None = None
) -> ServedModel:
    """The model ``CURRENT`` names, loaded once per process."""
    marker = root(models_dir) / "CURRENT"
    if not marker.exists():
        raise AssistantModelUnavailable(
            f"no assistant model under {root(models_dir)}; build it with `clearway assist train`"
        )
    version = marker.read_text("utf-8").strip()
    folder = (root(models_dir) / version).resolve()
    stamp = (folder / "model.pkl").stat().st_mtime
    with _lock:
        cached = _served.get(folder)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        meta = json.loads((folder / "meta.json").read_text("utf-8"))
        if meta.get("format") != FORMAT or meta.get("libraries") != libraries():
            raise AssistantModelUnavailable(
                f"{version} was built by another version; run `clearway assist train`"
            )
        with (folder / "model.pkl").open("rb") as handle:
            stored = pickle.load(handle)
        model = ServedModel(
            stored["retriever"].attach(embedder or UseEmbedder(), e5 or default_e5()),
            stored["knowledge"],
            float(meta["threshold"]),
            stored["calibration"],
            version,
        )
        _served[folder] = (stamp, model)
        return model
