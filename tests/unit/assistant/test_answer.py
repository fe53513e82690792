"""Composing answers: figures only from cited passages or tools, citations, declines, the benchmark's F1."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from clearway.assistant import answer as compose
from clearway.assistant.knowledge import Citation, is_development, is_held_out, parse_corpus
from clearway.assistant.model_store import choose_threshold
from clearway.benchmarks.assistant import bigram_f1

PASSAGE = "여행자 휴대품 면세한도는 미화 800달러입니다. 주류는 2병까지 면세됩니다."


def test_an_official_answer_whose_figures_the_passage_carries_is_kept() -> None:
    cited = [compose.Cited(PASSAGE, "여행자 휴대품 통관 길라잡이, p. 3", 3.0)]
    a = compose.from_guidance("면세한도?", "ko", "guidance", [("면세한도는 800달러입니다.", 1.0)], cited, 0.9)
    assert a.text == "면세한도는 800달러입니다." and not a.declined and a.citations == tuple(cited)


def test_an_answer_with_a_figure_the_passage_lacks_falls_back_to_the_passage() -> None:
    cited = [compose.Cited(PASSAGE, "x", 3.0)]
    a = compose.from_guidance("면세한도?", "ko", "guidance", [("면세한도는 600달러입니다.", 1.0)], cited, 0.9)
    assert "600" not in a.text and "800" in a.text


def test_an_english_question_is_told_the_guidance_is_korean() -> None:
    a = compose.from_guidance(
        "duty free limit?",
        "en",
        "guidance",
        [("면세한도는 800달러입니다.", 1.0)],
        [compose.Cited(PASSAGE, "x", 1.0)],
        0.9,
    )
    assert a.text.startswith(compose.ENGLISH_NOTE)


def test_extraction_follows_the_answers_of_the_most_alike_questions() -> None:
    pool = [
        "주류는 2병까지 면세됩니다.",
        "여행자 휴대품 면세한도는 미화 800달러입니다.",
        "담배는 200개비까지입니다.",
    ]
    references = ["주류는 2병까지 면세됩니다.", "담배는 200개비까지 면세됩니다."]
    assert compose.extract(pool, references, [1.0, 0.0]) == [0]
    assert compose.extract(pool, references, [0.0, 1.0])[0] == 2
    assert compose.extract(pool, [], []) == [] and compose.extract([], references, [1.0, 1.0]) == []


@given(
    st.lists(
        st.text(alphabet="0123456789,. 가나다면세달러", min_size=1, max_size=30), min_size=1, max_size=4
    ),
    st.text(alphabet="0123456789,. 가나다면세달러", min_size=1, max_size=60),
)
def test_a_composed_answer_carries_no_figure_its_cited_passage_lacks(
    answers: list[str], passage: str
) -> None:
    cited = [compose.Cited(passage, "x", 1.0)]
    a = compose.from_guidance("면세?", "ko", "guidance", [(t, 1.0) for t in answers], cited, 0.9)
    assert compose.figures(a.text) <= compose.figures(passage)


def test_a_decline_names_the_closest_topics_and_offers_a_hand_off() -> None:
    closest = [compose.Cited(PASSAGE, "여행자 휴대품 통관 길라잡이, p. 3", 0.1)]
    a = compose.declined("ko", "guidance", closest, 0.1)
    assert a.declined and a.handoff_offered and "여행자 휴대품 통관 길라잡이" in a.text


@given(st.text(alphabet="0123456789,. 달러원", max_size=30), st.text(alphabet="0123456789 달러", max_size=30))
def test_grounded_means_every_figure_is_in_a_source(answer: str, source: str) -> None:
    if compose.grounded(answer, [source]):
        assert compose.figures(answer) <= compose.figures(source)


@given(st.text(min_size=2, max_size=40), st.text(min_size=2, max_size=40))
def test_bigram_f1_is_symmetric_bounded_and_one_for_identical_texts(a: str, b: str) -> None:
    assert 0.0 <= bigram_f1(a, b) <= 1.0
    assert abs(bigram_f1(a, b) - bigram_f1(b, a)) < 1e-12
    if len("".join(a.split())) >= 2:
        assert bigram_f1(a, a) == 1.0


def test_citations_are_read_as_document_section_and_page() -> None:
    c = Citation.parse("관세청 해외직구(전자상거래) Q&A, 수입제한_35, page: 12")
    assert (c.document, c.section, c.page) == ("관세청 해외직구(전자상거래) Q&A", "수입제한_35", 12)
    assert c.label() == "관세청 해외직구(전자상거래) Q&A, 수입제한_35, p. 12"


def test_the_held_out_tenth_is_fixed_and_about_a_tenth() -> None:
    held = [i for i in range(1, 5001) if is_held_out(i)]
    assert 400 < len(held) < 600 and held == [i for i in range(1, 5001) if is_held_out(i)]


def test_the_development_split_is_a_fixed_tenth_of_the_training_pairs_only() -> None:
    dev = [i for i in range(1, 5001) if is_development(i)]
    assert 350 < len(dev) < 550 and not any(is_held_out(i) for i in dev)
    assert dev == [i for i in range(1, 5001) if is_development(i)]


def test_passages_are_deduplicated_without_whitespace() -> None:
    k = parse_corpus(
        [
            '{"id": 1, "source": null, "passage": "가 나", "question": "q1", "answer": "a1"}',
            '{"id": 2, "source": null, "passage": "가나", "question": "q2", "answer": "a2"}',
        ]
    )
    assert len(k.passages) == 1 and [p.passage for p in k.pairs] == [0, 0]


def test_the_decline_threshold_keeps_wrong_answers_under_the_limit() -> None:
    scores = [5.0, 4.0, 3.0, 2.0, 1.0, 0.5, 0.4, 0.3, 0.2, 0.1]
    in_top3 = [True, True, True, True, True, False, True, False, False, False]
    assert choose_threshold(scores, in_top3, 0.10) == 0.4
    assert choose_threshold(scores, in_top3, 0.0) == 1.0
