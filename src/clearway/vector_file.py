"""Sentence vectors kept on disk: the file format of shipped vectors (the classification's USE vectors, the
assistant's e5 vectors) and the cache both encoders look vectors up in (:class:`VectorCache`).

An ``.npz`` file holding:

* ``keys``: the sha1 of each text (20 bytes a row), hex in memory;
* ``low`` / ``high``: the float16 vectors split into their low and high bytes, which compresses a little
  better than plain float16;
* one string array per label (the encoder that made the vectors, the data they were made from …).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np


def write(path: Path, keys: Sequence[str], vectors: np.ndarray, labels: Mapping[str, str]) -> None:
    """Write ``vectors`` (one row per hex sha1 key) as float16 with ``labels``; the file appears whole."""
    n, dim = len(keys), vectors.shape[1]
    halves = np.ascontiguousarray(vectors, dtype="<f2").view(np.uint8).reshape(n, dim, 2)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp.npz")
    arrays: dict[str, Any] = {
        "keys": np.frombuffer(b"".join(bytes.fromhex(k) for k in keys), np.uint8).reshape(n, 20),
        "low": halves[:, :, 0],
        "high": halves[:, :, 1],
        **{name: np.array(value) for name, value in labels.items()},
    }
    np.savez_compressed(tmp, **arrays)
    tmp.replace(path)


def read(path: Path, labels: Sequence[str]) -> tuple[list[str], np.ndarray, dict[str, str]] | None:
    """The keys, the float16 vectors and the named labels of the file at ``path``; None when there is none."""
    if not path.exists():
        return None
    with np.load(path, allow_pickle=False) as z:
        halves = np.ascontiguousarray(np.stack([z["low"], z["high"]], axis=2))
        vectors = halves.view("<f2").reshape(halves.shape[0], halves.shape[1])
        return [bytes(k).hex() for k in z["keys"]], vectors, {name: str(z[name]) for name in labels}


class VectorCache:
    """Float16 vectors by key (a hash of what was encoded): the ``shipped`` ones first (never written back), then
    those computed on this machine, kept in an optional plain ``.npz`` cache file at ``path``. Every vector it
    returns went through float16, so whatever was encoded with or without shipped vectors comes out the same."""

    def __init__(
        self, dim: int, path: Path | None = None, shipped: Mapping[str, np.ndarray] | None = None
    ) -> None:
        self.dim = dim
        self.path = path
        self.shipped: Mapping[str, np.ndarray] = shipped or {}
        self.computed = 0  # texts that had to be encoded
        self._vectors: dict[str, np.ndarray] = {}
        if path is not None and path.exists():
            with np.load(path) as stored:
                self._vectors = dict(zip(stored["keys"].tolist(), stored["vectors"], strict=True))

    def _get(self, key: str) -> np.ndarray | None:
        found = self.shipped.get(key)
        return found if found is not None else self._vectors.get(key)

    def vectors(
        self, texts: Sequence[str], key: Callable[[str], str], encode: Callable[[list[str]], np.ndarray]
    ) -> np.ndarray:
        """The float32 vectors of ``texts``: looked up by ``key(text)``, the missing ones ``encode``d once each."""
        keys = [key(t) for t in texts]
        missing = list(dict.fromkeys(t for t, k in zip(texts, keys, strict=True) if self._get(k) is None))
        if missing:
            self.computed += len(missing)
            for text, vector in zip(missing, encode(missing), strict=True):
                self._vectors[key(text)] = vector.astype(np.float16)
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        found = [self._get(k) for k in keys]
        return np.stack([v for v in found if v is not None]).astype(np.float32)

    def stored(self) -> tuple[list[str], np.ndarray]:
        """The keys and float16 vectors computed or read from the cache file (not the shipped ones)."""
        keys = list(self._vectors)
        vectors = np.stack([self._vectors[k] for k in keys]) if keys else np.zeros((0, self.dim), np.float16)
        return keys, vectors

    def save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys, vectors = self.stored()
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=np.array(keys), vectors=vectors)
        tmp.replace(self.path)
