"""The file format of shipped sentence vectors (the classification's USE vectors, the assistant's e5 vectors).

An ``.npz`` file holding:

* ``keys``: the sha1 of each text (20 bytes a row), hex in memory;
* ``low`` / ``high``: the float16 vectors split into their low and high bytes, which compresses a little
  better than plain float16;
* one string array per label (the encoder that made the vectors, the data they were made from …).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
