"""The question-side BM25 channel of retrieval: scores agree with the Okapi formula and rank sensibly."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from clearway.assistant.retrieval import SparseBM25

DOCS = [["면세", "한도", "여행자"], ["주류", "면세", "병"], ["통관", "고유", "부호", "발급"], ["면세"]]


def test_a_query_scores_the_document_sharing_its_rare_words_first() -> None:
    scores = SparseBM25().fit(DOCS).scores(["통관", "부호"])
    assert scores.argmax() == 2 and scores[0] == scores[1] == scores[3] == 0.0


def test_a_score_is_the_okapi_sum_over_the_query_terms() -> None:
    bm25 = SparseBM25(k1=1.2, b=0.75).fit(DOCS)
    n, avg = len(DOCS), sum(map(len, DOCS)) / len(DOCS)
    df = 3  # "면세"
    idf = math.log1p((n - df + 0.5) / (df + 0.5))
    expected = idf * 1 * 2.2 / (1 + 1.2 * (1 - 0.75 + 0.75 * 1 / avg))
    assert abs(bm25.scores(["면세"])[3] - expected) < 1e-5


def test_unknown_words_score_nothing() -> None:
    assert not SparseBM25().fit(DOCS).scores(["없는말"]).any()


@given(st.lists(st.sampled_from(["면세", "한도", "주류", "통관", "병", "x"]), max_size=6))
def test_scores_are_non_negative_and_repeat_words_count_once(query: list[str]) -> None:
    bm25 = SparseBM25().fit(DOCS)
    scores = bm25.scores(query)
    assert (scores >= 0).all() and (scores == bm25.scores(sorted(set(query)))).all()
