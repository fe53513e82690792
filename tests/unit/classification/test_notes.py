"""The legal notes as rules: each kind of rule decides a case the text alone leaves open, and names its note."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearway.classification import notes
from clearway.classification.morphology import analyse


@pytest.fixture(scope="module")
def rules() -> tuple[notes.Rule, ...]:
    return notes.bundled_rules(analyse)


def rerank(
    rules: tuple[notes.Rule, ...], text: str, ranked: list[str]
) -> tuple[list[str], list[notes.Firing]]:
    """The candidates (given best first) after the rules, and the firings."""
    scores = [float(len(ranked) - i) * 0.1 for i in range(len(ranked))]  # close, as when the text is unsure
    moved, fired = notes.apply(rules, analyse(text), ranked, scores)
    order = sorted(range(len(ranked)), key=lambda i: -moved[i])
    return [ranked[i] for i in order], fired


def test_every_bundled_rule_names_its_note_in_both_languages(rules):
    assert len(rules) >= 30
    assert {r.kind for r in rules} == set(notes.KINDS)
    for rule in rules:
        assert rule.note and rule.note_ko and rule.says and rule.says_ko
        assert any(ch.isdigit() for ch in rule.note), rule.id  # a note, heading or GIR number


# --------------------------------------------------------------------------------- knitted or not (ch 61/62)
@pytest.mark.parametrize(
    "text", ["knitted cotton T-shirt for men", "면 니트 남성용 셔츠", "메리야스 편물제 블라우스"]
)
def test_knitted_apparel_never_stays_in_chapter_62(rules, text):
    ranked, fired = rerank(rules, text, ["620520", "610510", "620630"])
    assert ranked[0] == "610510" and ranked[-2:] == ["620520", "620630"]
    veto = next(f for f in fired if f.effect == "veto")
    assert veto.note == "Chapter 62, note 1" and veto.note_ko == "제62류 주 제1호"
    assert set(veto.codes) == {"620520", "620630"}


def test_brassieres_of_6212_stay_even_when_knitted(rules):
    _ranked, fired = rerank(rules, "knitted brassiere", ["621210", "610990"])
    assert all("621210" not in f.codes for f in fired if f.effect == "veto")


def test_woven_apparel_leaves_chapter_61_and_a_mixed_description_is_left_alone(rules):
    ranked, _ = rerank(rules, "woven cotton shirt", ["610510", "620520"])
    assert ranked[0] == "620520"
    unchanged, fired = rerank(rules, "woven shirt with knitted collar", ["610510", "620520"])
    assert unchanged == ["610510", "620520"] and fired == []


# ------------------------------------------------------------------------------------------------ exclusions
def test_a_toy_of_plastics_goes_to_chapter_95_not_39(rules):
    ranked, fired = rerank(rules, "플라스틱제 장난감 자동차", ["392690", "950300"])
    assert ranked[0] == "950300"
    assert {f.effect for f in fired} == {"veto", "prefer"}
    assert "Chapter 39, note 2(y)" in fired[0].note


def test_heated_vest_is_apparel_not_chapter_85(rules):
    ranked, fired = rerank(rules, "USB heated vest for winter", ["851679", "620193", "611030"])
    assert ranked[-1] == "851679" and fired[0].note == "Chapter 85, note 1(a)"


def test_pillowcase_is_not_bedding_of_94_04(rules):
    ranked, fired = rerank(rules, "cotton pillowcase", ["630231", "940490"])
    assert ranked == ["630231", "940490"] and fired == []


def test_a_veto_never_removes_every_candidate(rules):
    ranked, fired = rerank(rules, "knitted shirt", ["620520", "620630"])
    assert ranked == ["620520", "620630"]
    assert not [f for f in fired if f.effect == "veto"]


# ---------------------------------------------------------------------------------------------------- parts
def test_spark_plug_for_cars_is_not_a_vehicle_part_of_87_08(rules):
    ranked, fired = rerank(rules, "spark plugs for passenger cars", ["870899", "851110"])
    assert ranked[0] == "851110"
    assert fired[0].note == "Section XVII, note 2(e), (f)" and fired[0].matched == "spark plug"


def test_motorcycle_parts_go_to_87_14_not_87_08(rules):
    ranked, fired = rerank(rules, "오토바이용 브레이크 패드", ["870830", "871410"])
    assert ranked[0] == "871410" and fired[0].rule == "8708-not-motorcycles"


def test_parts_for_a_computer_prefer_84_73(rules):
    ranked, fired = rerank(rules, "컴퓨터용 부분품 (메인보드 브래킷)", ["847130", "847330", "854239"])
    assert ranked[0] == "847330" and fired[0].note == "Section XVI, note 2(b); heading 84.73"


def test_bolts_are_parts_of_general_use(rules):
    ranked, _ = rerank(rules, "steel bolts for excavators", ["843149", "731815"])
    assert ranked[0] == "731815"


# ----------------------------------------------------------------------------------------------------- sets
def test_tool_set_for_retail_sale_is_82_06(rules):
    ranked, fired = rerank(
        rules, "공구세트 (드라이버, 렌치, 플라이어) 플라스틱 케이스", ["820540", "420292", "820600"]
    )
    assert ranked[0] == "820600" and fired[0].note == "GIR 3(b); heading 82.06"


def test_hairdressing_set_follows_the_clipper_gir_3b_example(rules):
    ranked, _ = rerank(rules, "hair clipper set with comb, scissors and case", ["961519", "851020", "821300"])
    assert ranked[0] == "851020"


# ------------------------------------------------------------------------------------------------- matching
def test_korean_phrases_match_inflected_and_compound_forms(rules):
    keys = notes.korean_keys(rules)
    matcher = notes.Matcher(analyse("면 편물제의 티셔츠"), keys)
    knitted = next(r for r in rules if r.id == "ch62-knitted")
    assert notes.applies(knitted, matcher) is not None


def test_english_phrases_match_whole_words_only(rules):
    toys = next(r for r in rules if r.id == "toys-not-materials")
    assert notes.applies(toys, notes.Matcher(analyse("plastic toy"))) is not None
    assert notes.applies(toys, notes.Matcher(analyse("toyota floor mats"))) is None


def test_malformed_rules_are_refused_naming_the_rule():
    good: dict[str, Any] = {
        "id": "r1",
        "kind": "exclusion",
        "note": "Chapter 1, note 1",
        "note_ko": "제1류 주 제1호",
        "says": "x",
        "says_ko": "x",
        "when": ["horse"],
        "veto": ["01"],
    }
    assert notes.compile_rules({"rules": [good]}, analyse)[0].veto == ("01",)
    for change, reason in (
        ({"kind": "magic"}, "kind"),
        ({"veto": ["1"]}, "not a chapter"),
        ({"veto": [], "prefer": []}, "veto or prefer"),
        ({"when": []}, "when"),
        ({"note": ""}, "note"),
    ):
        with pytest.raises(notes.RuleError, match=reason):
            notes.compile_rules({"rules": [{**good, **change}]}, analyse)
    with pytest.raises(notes.RuleError, match="unique"):
        notes.compile_rules({"rules": [good, good]}, analyse)


# ----------------------------------------------------------------------------------------------- properties
CODES = st.sampled_from(
    ["620520", "610510", "392690", "950300", "870899", "851110", "871410", "847330", "640299", "940490"]
)
WORDS = st.sampled_from(
    [
        "knitted",
        "woven",
        "toy",
        "shirt",
        "car",
        "spark plug",
        "parts",
        "니트",
        "장난감",
        "자동차",
        "부품",
        "신발",
    ]
)


@given(
    text=st.lists(WORDS, min_size=0, max_size=6).map(" ".join),
    codes=st.lists(CODES, min_size=1, max_size=8, unique=True),
    scores=st.lists(st.floats(-5, 5), min_size=8, max_size=8),
)
def test_rules_move_only_the_codes_they_name_and_never_veto_all(rules, text, codes, scores):
    scores = scores[: len(codes)]
    moved, fired = notes.apply(rules, analyse(text), codes, scores)
    named = {c for f in fired for c in f.codes}
    for code, before, after in zip(codes, scores, moved, strict=True):
        if code not in named:
            assert after == before
    assert all(len(f.codes) < len(codes) for f in fired if f.effect == "veto")  # one always stays
    by_id = {r.id: r for r in rules}
    for f in fired:
        rule = by_id[f.rule]
        assert all(rule.vetoes(c) if f.effect == "veto" else rule.prefers(c) for c in f.codes)


@given(codes=st.lists(CODES, min_size=1, max_size=8, unique=True))
def test_a_description_without_note_words_changes_nothing(rules, codes):
    scores = [float(i) for i in range(len(codes))]
    assert notes.apply(rules, analyse("red colour 500 ml"), codes, scores) == (scores, [])


def test_a_component_named_in_a_long_description_does_not_fire(rules):
    text = "Clutch disc assembly for passenger cars\nThe disc carries torsion springs, rivets and a washer"
    head = analyse(text.split("\n")[0])
    _, fired = notes.apply(rules, analyse(text), ["870893", "732020"], [1.0, 0.5], head=head)
    assert "general-parts-not-machine-parts" not in {f.rule for f in fired}
    _, named = notes.apply(rules, analyse("coil springs of steel"), ["870880", "732020"], [1.0, 0.5])
    assert named[0].rule == "general-parts-not-machine-parts" and named[0].codes == ("870880",)
