"""When the classifier must not answer: rules that run before any model."""

from __future__ import annotations

import pytest

from clearway.classification.decline import (
    misspelt_product_word,
    nothing_to_classify,
    plain_tokens,
    rule_decline,
)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("x", "too_short"),
        ("옷", "too_short"),
        ("🙂🎁🙂", "no_words"),
        ("12345 / 678", "no_words"),
        ("Schuhe aus Leder für Herren mit einer Sohle aus Gummi", "unsupported_language"),
        ("кожаная обувь для мужчин", "unsupported_language"),
        ("gift", "too_vague"),
        ("2 x Samples", "too_vague"),
        ("선물", "too_vague"),
        ("used parts", "too_vague"),
    ],
)
def test_rule_declines(text, code):
    found = rule_decline(text)
    assert found is not None and found.code == code and found.message


@pytest.mark.parametrize(
    "text", ["leather shoes", "남성용 가죽 신발", "plastic box", "Red ginseng extract; 홍삼"]
)
def test_real_descriptions_pass_the_rules(text):
    assert rule_decline(text) is None


def test_a_product_word_is_needed():
    vocabulary = frozenset({"shoe", "냉장고", "leather", "blouse"})
    assert nothing_to_classify(["nike"], vocabulary).code == "brand_only"
    assert nothing_to_classify(["samsung", "galaxy", "24"], vocabulary).code == "brand_only"
    assert nothing_to_classify(["black", "xl"], vocabulary).code == "too_vague"
    assert nothing_to_classify(["beige", "one", "size", "uk", "12"], vocabulary).code == "too_vague"
    assert nothing_to_classify(["nike", "shoe"], vocabulary) is None
    assert nothing_to_classify(["black", "blouse", "xl"], vocabulary) is None
    assert nothing_to_classify(["삼성", "냉장고"], vocabulary) is None
    assert nothing_to_classify([], vocabulary) is None


def test_long_korean_text_counts_as_product_words():
    assert nothing_to_classify(plain_tokens("가죽으로 만든 남성용 신발 " * 10), frozenset()) is None
    assert nothing_to_classify(plain_tokens("a" * 100_000), frozenset({"shoe"})).code == "brand_only"


VOCABULARY = frozenset({"jumper", "headphone", "sweatshirt", "samso", "cheese", "shoe"})


@pytest.mark.parametrize(
    ("tokens", "near"),
    [
        (["jumpr"], "jumper"),
        (["headphne"], "headphone"),
        (["red", "sweatshrit"], "sweatshirt"),
    ],
)
def test_a_slip_of_the_pen_is_recognised_as_the_product_word(tokens, near):
    assert misspelt_product_word(tokens, VOCABULARY) == near


@pytest.mark.parametrize("tokens", [["samsung"], ["xiaomi", "redmi", "12"], ["lg"], ["shoe"]])
def test_a_brand_is_not_mistaken_for_a_misspelt_product_word(tokens):
    # "samsung" is two edits from the cheese "samso"; short words and known words are never "misspelt".
    assert misspelt_product_word(tokens, VOCABULARY) is None
