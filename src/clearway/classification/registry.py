"""Model files on disk, loaded once per process and shared by every request.

Layout under ``<models_dir>/classification/``::

    <version>/model.pkl      the fitted HSClassifier (pickle; only ever read from this operator-owned folder)
    <version>/meta.json      version, data fingerprint (sha256), hyper-parameters, library versions, timings
    <version>/metrics.json   the model's own figures (calibration split; held-out figures when trained without them)
    CURRENT                  the version the product serves

:func:`load_model` caches by resolved path and file stamp, so a retrained model is picked up and an unchanged
one is never read twice. :func:`served_model` looks at ``CURRENT`` again at most once a second (a filing batch
asks for the model once per declaration).
"""

from __future__ import annotations

import contextlib
import gc
import json
import pickle
import threading
import time
from pathlib import Path
from typing import Any

import lightgbm
import numpy
import sklearn

from clearway.classification.errors import ModelUnavailable
from clearway.classification.model import HSClassifier

MODEL_FILE = "model.pkl"
META_FILE = "meta.json"
METRICS_FILE = "metrics.json"
CURRENT_FILE = "CURRENT"
FORMAT = 1

_lock = threading.Lock()
_cache: dict[Path, tuple[tuple[int, int], HSClassifier]] = {}
_served: dict[Path, tuple[float, HSClassifier]] = {}
RECHECK_SECONDS = 1.0


def library_versions() -> dict[str, str]:
    return {"scikit-learn": sklearn.__version__, "lightgbm": lightgbm.__version__, "numpy": numpy.__version__}


def root(models_dir: Path) -> Path:
    return models_dir / "classification"


def current_dir(models_dir: Path) -> Path | None:
    """The served model's folder, or None when no model was trained yet."""
    marker = root(models_dir) / CURRENT_FILE
    if not marker.exists():
        return None
    folder = root(models_dir) / marker.read_text("utf-8").strip()
    return folder if (folder / MODEL_FILE).exists() else None


def set_current(models_dir: Path, version: str) -> None:
    marker = root(models_dir) / CURRENT_FILE
    tmp = marker.with_suffix(".tmp")
    tmp.write_text(version + "\n", "utf-8")
    tmp.replace(marker)


def read_meta(folder: Path) -> dict[str, Any]:
    try:
        return json.loads((folder / META_FILE).read_text("utf-8"))
    except FileNotFoundError:
        return {}


def load_model(folder: Path) -> HSClassifier:
    """The model in ``folder`` (a version folder), loaded once per process."""
    folder = folder.resolve()
    path = folder / MODEL_FILE
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise ModelUnavailable(f"no model file at {path}; run `clearway classify train`") from None
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _cache.get(folder)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    with _lock:
        cached = _cache.get(folder)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        meta = read_meta(folder)
        if meta.get("format") != FORMAT:
            raise ModelUnavailable(
                f"{folder.name} has model format {meta.get('format')}, this installation "
                f"reads {FORMAT}; run `clearway classify train`"
            )
        built_with = meta.get("libraries", {})
        if built_with and built_with != library_versions():
            raise ModelUnavailable(
                f"{folder.name} was built with {built_with}, this installation has "
                f"{library_versions()}; run `clearway classify train`"
            )
        with path.open("rb") as handle:
            model = pickle.load(handle)
        if not isinstance(model, HSClassifier):
            raise ModelUnavailable(f"{path} does not hold an HS classifier")
        _cache[folder] = (stamp, model)
        # The model is hundreds of thousands of objects that live as long as the process: keep them out of
        # every later garbage collection (full collections in a filing batch otherwise walk them again and again).
        gc.freeze()
        return model


def served_model(models_dir: Path) -> HSClassifier:
    now = time.monotonic()
    memo = _served.get(models_dir)
    if memo is not None and now - memo[0] < RECHECK_SECONDS:
        return memo[1]
    folder = current_dir(models_dir)
    if folder is None:
        raise ModelUnavailable(
            f"no HS classification model under {root(models_dir)}; build it with `clearway classify train` "
            "(or `clearway setup-models`)"
        )
    model = load_model(folder)
    _served[models_dir] = (now, model)
    return model


def is_loaded(folder: Path) -> bool:
    """Whether this process holds the model of ``folder`` in memory, as it is on disk now."""
    folder = folder.resolve()
    cached = _cache.get(folder)
    try:
        stat = (folder / MODEL_FILE).stat()
    except FileNotFoundError:
        return False
    return cached is not None and cached[0] == (stat.st_mtime_ns, stat.st_size)


def warm_in_background(models_dir: Path) -> threading.Thread:
    """Load the served model on a daemon thread, so the first classification or filing does not wait for it.

    No model is not an error here: requests then answer 503 with the command to build one.
    """

    def load() -> None:
        with contextlib.suppress(ModelUnavailable):
            served_model(models_dir)

    thread = threading.Thread(target=load, name="warm-classification-model", daemon=True)
    thread.start()
    return thread


def forget() -> None:
    """Drop every cached model (tests)."""
    with _lock:
        _cache.clear()
        _served.clear()


def save_model(folder: Path, model: HSClassifier, meta: dict[str, Any], metrics: dict[str, Any]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / (MODEL_FILE + ".tmp")
    with tmp.open("wb") as handle:
        pickle.dump(model, handle, protocol=pickle.HIGHEST_PROTOCOL)
    (folder / META_FILE).write_text(
        json.dumps({**meta, "format": FORMAT, "libraries": library_versions()}, ensure_ascii=False, indent=2)
        + "\n",
        "utf-8",
    )
    (folder / METRICS_FILE).write_text(json.dumps(metrics, ensure_ascii=False, indent=2) + "\n", "utf-8")
    tmp.replace(folder / MODEL_FILE)
