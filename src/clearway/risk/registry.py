"""Model files on disk, loaded once per process.

Files live in ``<models_dir>/risk/risk-model-<version>.json.gz``; the database's ``risk_model_version`` rows
say which one is promoted. :func:`registry_for` returns one :class:`ModelRegistry` per directory, whose cache
keeps every loaded version (keyed by version and file sha256, so a replaced file is reloaded and a tampered
one refused).
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clearway.caches import Caches
from clearway.risk.metrics import ScoreReference
from clearway.risk.model import ModelFileError, RiskModel, read_model_file, write_model_file


@dataclass(frozen=True)
class LoadedModel:
    version: str
    model: RiskModel
    reference: ScoreReference
    metrics: dict[str, Any]
    fingerprint: str


class ModelRegistry:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._cache: dict[tuple[str, str], LoadedModel] = {}
        self._lock = threading.Lock()

    @staticmethod
    def file_name(version: str) -> str:
        return f"risk-model-{version}.json.gz"

    def save(self, document: dict[str, Any]) -> tuple[str, str]:
        """Write a model document; returns (file name, sha256 of the file)."""
        name = self.file_name(document["version"])
        sha = write_model_file(self.directory / name, document)
        return name, sha

    def load(self, version: str, file_name: str, sha256: str | None = None) -> LoadedModel:
        key = (version, sha256 or "")
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                return cached
            path = self.directory / file_name
            if sha256 is not None:
                try:
                    actual = hashlib.sha256(path.read_bytes()).hexdigest()
                except FileNotFoundError:
                    raise ModelFileError(f"the file of risk model {version} is missing ({path})") from None
                if actual != sha256:
                    raise ModelFileError(
                        f"the file of risk model {version} changed since it was registered "
                        "(sha256 differs); retrain or re-register it"
                    )
            doc = read_model_file(path)
            if doc.get("version") not in (None, version):
                raise ModelFileError(f"{file_name} holds model {doc.get('version')}, not {version}")
            model = RiskModel.from_document(doc)
            try:
                reference = ScoreReference.from_dict(doc["score_reference"])
            except (KeyError, TypeError) as exc:
                raise ModelFileError(f"{file_name} has no score reference ({exc}); retrain it") from None
            loaded = LoadedModel(
                version, model, reference, dict(doc.get("metrics") or {}), str(doc.get("fingerprint", ""))
            )
            self._cache[key] = loaded
            return loaded

    def forget(self) -> None:
        """Drop every loaded model (they are read again, and checked again, on next use)."""
        with self._lock:
            self._cache.clear()


def registry_for(models_dir: Path, caches: Caches | None = None) -> ModelRegistry:
    """The registry of ``<models_dir>/risk`` kept in the runtime's ``caches`` (a model is read and checked once
    per runtime); without caches a registry for this call only."""
    directory = (models_dir / "risk").resolve()
    if caches is None:
        return ModelRegistry(directory)
    with caches.lock:
        registries: dict[Path, ModelRegistry] = caches.slot("risk.registries")
        registry = registries.get(directory)
        if registry is None:
            registry = registries[directory] = ModelRegistry(directory)
        return registry
