"""The served HS classification model in the form the package ships it (see :mod:`clearway.shipped_models`).

Of the 247 MB the trained model pickles to, 210 MB is its retrieval index: TF-IDF and embedding matrices of the
vendored texts, which depend on nothing fitted. The package ships the model without it, and set-up rebuilds it
from the vendored data and the shipped text vectors (about a minute of one core) — the same index training
built, because it is a function of the same records, nomenclature and vectors. Everything fitted (the level
models, rankers, calibration, plausibility check) is shipped as trained.
"""

from __future__ import annotations

import pickle
import warnings
from collections.abc import Sequence
from pathlib import Path

from sklearn.exceptions import ConvergenceWarning

from clearway.classification.corpus import LabelledText, load_training_data
from clearway.classification.embedding import CachedEmbedder, Embedder, default_embedder
from clearway.classification.errors import ModelUnavailable
from clearway.classification.model import HSClassifier
from clearway.classification.registry import MODEL_FILE
from clearway.classification.training import shipped_vectors


def without_index(model_file: Path) -> bytes:
    """The pickle of the model in ``model_file`` with its retrieval index left out."""
    with model_file.open("rb") as handle:
        model = pickle.load(handle)
    if not isinstance(model, HSClassifier):
        raise ModelUnavailable(f"{model_file} does not hold an HS classifier")
    del model.index_
    return pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL)


def rebuild_index(
    folder: Path, records: Sequence[LabelledText] | None = None, embedder: Embedder | None = None
) -> None:
    """Give the model unpacked in ``folder`` its retrieval index again, built from the records it was trained
    on with the embedder it was trained with (default: the vendored data and the shipped text vectors, as
    ``clearway classify train`` uses)."""
    path = folder / MODEL_FILE
    with path.open("rb") as handle:
        model = pickle.load(handle)
    if not isinstance(model, HSClassifier):
        raise ModelUnavailable(f"{path} does not hold an HS classifier")
    if hasattr(model, "index_"):
        return
    known = set(model.hierarchy_.hs6_codes)
    records = [r for r in (records or load_training_data().records) if r.hs6 in known]
    if frozenset(r.id for r in records) != model.trained_ids_:
        raise ModelUnavailable(f"{folder.name} was trained on other records than the vendored data holds")
    model.embedder = embedder or CachedEmbedder(
        default_embedder(), None, shipped=shipped_vectors(lambda _: None)
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.index_ = model.build_index(records, model.hierarchy_)
    model.embedder = None
    with path.open("wb") as handle:
        pickle.dump(model, handle, protocol=pickle.HIGHEST_PROTOCOL)
