"""The shipped e5 vectors of the corpus: current, the encoder's own, never misused; and the encoder itself."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from clearway.assistant import e5_vectors
from clearway.assistant.e5_encoder import DIM, CachedE5, QueryPassageEncoder, default_e5


class Counting(QueryPassageEncoder):
    """The real encoder, counting the texts it is asked to encode."""

    def __init__(self) -> None:
        self.inner = default_e5()
        self.name = self.inner.name
        self.texts: list[str] = []

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        self.texts += list(texts)
        return self.inner.queries(texts)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        self.texts += list(texts)
        return self.inner.passages(texts)


def test_the_shipped_file_is_current_with_the_corpus() -> None:
    # fails when the corpus or the encoder changed without `clearway assist vectors`
    ok, message = e5_vectors.status()
    assert ok, message


def test_the_shipped_vectors_are_the_encoders_own_for_those_texts() -> None:
    shipped = e5_vectors.read()
    assert shipped is not None
    by_key = shipped.by_key()
    questions, passages = e5_vectors.texts_to_encode()
    live_q = default_e5().queries([questions[0]])[0]
    live_p = default_e5().passages([passages[-1]])[0]
    assert float(by_key[CachedE5.key("query", questions[0])].astype(np.float32) @ live_q) > 0.999
    assert float(by_key[CachedE5.key("passage", passages[-1])].astype(np.float32) @ live_p) > 0.999
    # the role matters: the same text as a query is another vector
    assert CachedE5.key("query", passages[-1]) not in by_key


def test_a_question_is_nearest_the_passage_that_answers_it_across_languages() -> None:
    e5 = default_e5()
    passages = e5.passages(
        [
            "여행자 휴대품 면세 한도는 1인당 미화 800달러이며, 술 2병과 담배 200개비까지 별도로 면세됩니다.",
            "수입신고가 수리되면 물품을 반출할 수 있으며, 관세는 납부기한까지 납부하여야 합니다.",
        ]
    )
    english = e5.queries(["How much can a traveller bring in duty free?"])[0]
    korean = e5.queries(["관세는 언제까지 내야 하나요?"])[0]
    assert np.argmax(passages @ english) == 0
    assert np.argmax(passages @ korean) == 1
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)


def test_a_file_from_another_encoder_is_not_used(tmp_path: Path) -> None:
    key = CachedE5.key("query", "x")
    e5_vectors.write(tmp_path / "v.npz", [key], np.ones((1, DIM), np.float16), "another encoder 1.0")
    shipped = e5_vectors.read(tmp_path / "v.npz")
    assert e5_vectors.usable(shipped) == {}
    ok, message = e5_vectors.status(tmp_path / "v.npz")
    assert not ok and "another encoder" in message and "clearway assist vectors" in message


def test_a_file_missing_texts_is_reported_stale(tmp_path: Path) -> None:
    shipped = e5_vectors.read()
    assert shipped is not None
    e5_vectors.write(tmp_path / "v.npz", shipped.keys[1:], shipped.vectors[1:], shipped.encoder)
    ok, message = e5_vectors.status(tmp_path / "v.npz")
    assert not ok and "1 of" in message and "clearway assist vectors" in message


def test_a_build_encodes_only_what_the_shipped_file_lacks() -> None:
    shipped = e5_vectors.usable(e5_vectors.read())
    questions, passages = e5_vectors.texts_to_encode()
    inner = Counting()
    encoder = CachedE5(inner, shipped=shipped)
    out = encoder.queries([questions[0], "면세점에서 산 향수도 신고해야 하나요?"])
    encoder.passages(passages[:2])
    assert inner.texts == ["면세점에서 산 향수도 신고해야 하나요?"]
    assert encoder.computed == 1
    assert np.array_equal(out[0], shipped[CachedE5.key("query", questions[0])].astype(np.float32))
    # what it computed went through float16 too, as the shipped vectors did
    assert np.array_equal(out[1], out[1].astype(np.float16).astype(np.float32))
