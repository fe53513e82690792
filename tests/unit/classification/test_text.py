"""Text normalisation and language detection: what the model reads."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from clearway.classification.text import MODEL_LIMIT, detect_language, english_part, normalise


def test_boilerplate_whitespace_and_entities_go_lines_stay():
    raw = "  Red ginseng &amp; extract\t\t \n\n - 용도: 화장품 ※ 품목분류는 수출입신고 당시의 물품상태에 따라 변경될 수 있음  "
    assert normalise(raw) == "Red ginseng & extract\n- 용도: 화장품"


def test_long_text_is_cut_at_a_word_boundary():
    text = normalise("word " * 100_000)
    assert len(text) <= MODEL_LIMIT and text.endswith("word")


@given(st.text(max_size=3000))
def test_normalise_is_bounded_and_idempotent(text):
    once = normalise(text)
    assert len(once) <= MODEL_LIMIT
    assert normalise(once) == once
    assert not any(ord(c) < 32 and c != "\n" for c in once)


def test_language_of_descriptions():
    assert detect_language("남성용 가죽 신발") == "ko"
    assert detect_language("Dress shoes; ECCO 남성용 가죽 신발") == "ko"
    assert detect_language("leather shoes for men") == "en"
    assert detect_language("Schuhe aus Leder für Herren mit einer Sohle aus Gummi und der Kappe") == "other"
    assert detect_language("кожаная обувь") == "other"
    assert detect_language("革靴 メンズ") == "other"
    assert detect_language("12345 !!") == "none"
    assert detect_language("🙂🙂") == "none"


def test_english_part_of_an_eu_ruling():
    text = (
        "Ein Kunststoffgehäuse mit Schalter und der Kappe. A plastic housing with a switch; for DIN rails. "
        "스위치가 있는 플라스틱 하우징"
    )
    assert english_part(text) == "A plastic housing with a switch; for DIN rails."
