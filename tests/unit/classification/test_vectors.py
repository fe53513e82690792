"""The shipped vectors of the training texts: current with the data in the repository, exact, never misused."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from clearway.classification import vectors
from clearway.classification.embedding import DIM, CachedEmbedder, Embedder, default_embedder


class Counting(Embedder):
    """The real encoder, counting the texts it is asked to encode."""

    def __init__(self) -> None:
        self.inner = default_embedder()
        self.name = self.inner.name
        self.texts: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.texts += list(texts)
        return self.inner.encode(texts)


def test_the_shipped_file_is_current_with_the_data_in_the_repository() -> None:
    # fails when the training data, the nomenclature or the encoder changed without `clearway classify vectors`
    ok, message = vectors.status()
    assert ok, message


@pytest.mark.slow  # loads the encoder
def test_the_shipped_vectors_are_the_encoders_own_for_those_texts() -> None:
    shipped = vectors.read()
    assert shipped is not None
    by_key = shipped.by_key()
    texts = vectors.texts_to_embed()
    sample = [texts[0], texts[len(texts) // 2], texts[-1]]
    live = default_embedder().encode(sample)
    for text, vector in zip(sample, live, strict=True):
        stored = by_key[vectors.text_key(text)].astype(np.float32)
        assert float(stored @ vector) > 0.999  # the same direction (float16 rounding apart)


def test_write_and_read_keep_every_float16_bit(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    values = rng.normal(size=(5, DIM)).astype(np.float16)
    values[0, :3] = [np.float16(0.0), np.float16(-0.0), np.float16(6.1e-5)]  # zero, negative zero, subnormal
    keys = [vectors.text_key(f"text {i}") for i in range(5)]
    vectors.write(tmp_path / "v.npz", keys, values, "f" * 64, "enc")
    back = vectors.read(tmp_path / "v.npz")
    assert back is not None
    assert back.keys == keys
    assert back.vectors.dtype == np.float16
    assert back.vectors.tobytes() == values.tobytes()
    assert (back.data_fingerprint, back.encoder) == ("f" * 64, "enc")


def test_a_file_from_another_encoder_is_not_used(tmp_path: Path) -> None:
    key = vectors.text_key("x")
    vectors.write(tmp_path / "v.npz", [key], np.ones((1, DIM), np.float16), "0" * 64, "another encoder 1.0")
    shipped = vectors.read(tmp_path / "v.npz")
    assert vectors.usable(shipped) == {}
    ok, message = vectors.status(tmp_path / "v.npz")
    assert not ok and "another encoder" in message


@pytest.mark.slow  # rewrites the 26 MB file
@pytest.mark.parametrize("stale", ["fingerprint", "missing text"])
def test_a_stale_file_is_reported_with_the_command_that_rebuilds_it(tmp_path: Path, stale: str) -> None:
    shipped = vectors.read()
    assert shipped is not None
    keys, values = shipped.keys, shipped.vectors
    fingerprint = shipped.data_fingerprint
    if stale == "fingerprint":
        fingerprint = "0" * 64
    else:
        keys, values = keys[1:], values[1:]
    vectors.write(tmp_path / "v.npz", keys, values, fingerprint, shipped.encoder)
    ok, message = vectors.status(tmp_path / "v.npz")
    assert not ok
    assert "clearway classify vectors" in message


def test_training_encodes_only_what_the_shipped_file_lacks(tmp_path: Path) -> None:
    shipped = vectors.usable(vectors.read())
    texts = vectors.texts_to_embed()[:3]
    inner = Counting()
    embedder = CachedEmbedder(inner, tmp_path / "cache.npz", shipped=shipped)
    out = embedder.encode([*texts, "a description no ruling has"])
    assert inner.texts == ["a description no ruling has"]
    assert embedder.computed == 1
    assert np.array_equal(out[0], shipped[vectors.text_key(texts[0])].astype(np.float32))
    embedder.save()
    # the machine's cache holds only what was computed here, not a second copy of the shipped file
    assert CachedEmbedder(inner, tmp_path / "cache.npz").stored()[0] == [
        vectors.text_key("a description no ruling has")
    ]
