"""Finding recorded marks in goods descriptions: misspellings, spacing, Hangul, and common words."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from clearway.ipr.marks import PreparedMark, find_mark, generic_conflicts, romanise, skeleton

NIKE = [PreparedMark.of("NIKE"), PreparedMark.of("나이키")]
ADIDAS = [PreparedMark.of("ADIDAS")]


@pytest.mark.parametrize(
    "text",
    [
        "NIKEE running shoes",
        "nik shoes",
        "N I K E air",
        "nikeairmax 90",
        "나이키 운동화",
        "나이키운동화",
        "나이기 신발",
        "Nike, Inc. trainers",
    ],
)
def test_misspelt_spaced_and_hangul_forms_of_nike_are_found(text: str) -> None:
    assert find_mark(text, NIKE) is not None


@pytest.mark.parametrize("text", ["Adidds shoes", "addidas", "adi das slides", "아디다스 슬리퍼", "아디다쓰"])
def test_adidas_is_found_across_typos_and_scripts(text: str) -> None:
    hit = find_mark(text, ADIDAS)
    assert hit is not None and hit.mark == "ADIDAS"


@pytest.mark.parametrize("text", ["bike parts", "like new", "nice shoes", "mens sneakers", "나이프 세트"])
def test_ordinary_words_near_a_short_mark_are_not_hits(text: str) -> None:
    assert find_mark(text, NIKE) is None


def test_a_common_word_mark_matches_only_the_whole_word() -> None:
    apple = [PreparedMark.of("APPLE")]
    assert find_mark("Apple iPhone 15", apple) is not None
    assert find_mark("applesauce jar", apple) is None
    assert find_mark("appel pie", apple) is None


def test_romanisation_follows_revised_romanization_letter_by_letter() -> None:
    assert romanise("나이키") == "naiki"
    assert romanise("샤넬") == "syanel"
    assert romanise("삼성") == "samseong"


@pytest.mark.parametrize(
    ("latin", "hangul"),
    [
        ("CHANEL", "샤넬"),
        ("ADIDAS", "아디다스"),
        ("PRADA", "프라다"),
        ("ROLEX", "롤렉스"),
        ("HERMES", "에르메스"),
        ("SAMSUNG", "삼성"),
    ],
)
def test_a_mark_and_its_korean_transcription_share_a_skeleton(latin: str, hangul: str) -> None:
    assert skeleton(latin) == skeleton(hangul)


def test_recording_a_common_word_for_its_own_goods_is_a_conflict() -> None:
    assert generic_conflicts(["APPLE"], ["0808", "8471"]) == [("APPLE", "08")]
    assert generic_conflicts(["NIKE"], ["08"]) == []


marks = st.text(alphabet="abcdefghijklmnoprstuvwxyz", min_size=4, max_size=12)


@given(
    mark=marks,
    prefix=st.sampled_from(["", "new ", "genuine "]),
    suffix=st.sampled_from(["", " shoes", " 신발"]),
)
def test_a_mark_written_exactly_is_always_found(mark: str, prefix: str, suffix: str) -> None:
    hit = find_mark(f"{prefix}{mark.upper()}{suffix}", [PreparedMark.of(mark)])
    assert hit is not None and hit.similarity == 1.0


@given(mark=marks, data=st.data())
def test_one_doubled_letter_is_still_found(mark: str, data: st.DataObject) -> None:
    assume(not PreparedMark.of(mark).common)  # common-word marks (APPLE) match whole words only, by design
    i = data.draw(st.integers(1, len(mark) - 1))
    hit = find_mark(mark[:i] + mark[i] + mark[i:] + " bag", [PreparedMark.of(mark)])
    assert hit is not None


@given(text=st.text(max_size=200))
def test_any_text_is_screened_without_error(text: str) -> None:
    hit = find_mark(text, NIKE + ADIDAS)
    assert hit is None or 0 < hit.similarity <= 1
