"""Guided questions drawn from the real nomenclature (HS 2022 English, HSK Korean)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from clearway.classification import questions as q
from clearway.classification.hierarchy import bundled_hierarchy

TEXTS = q.bundled_texts()
HS6 = sorted(c for c in bundled_hierarchy().hs6_codes if TEXTS.levels(c))


def by_label(question: q.Question) -> dict[str, tuple[str, ...]]:
    return {a.label_en: a.codes for a in question.answers}


def test_handbags_are_split_by_the_material_of_their_outer_surface() -> None:
    cands = [("420221", 0.4), ("420222", 0.35), ("420229", 0.1), ("420291", 0.05)]
    question = q.best_question(cands, TEXTS)
    assert question is not None
    answers = by_label(question)
    # leather handbags and other leather containers are one answer: the attribute, not the code
    assert answers["With outer surface of leather or of composition leather"] == ("420221", "420291")
    assert answers["With outer surface of sheeting of plastics or of textile materials"] == ("420222",)
    assert answers[q.NONE_LABEL[0]] == ("420229",)  # 기타: "none of the above"
    ko = {a.label_ko for a in question.answers}
    assert "외부 표면을 가죽이나 콤퍼지션 레더(composition leather)로 만든 것" in ko
    assert question.answers[-1].id == q.NOT_SURE
    assert set(question.answers[-1].codes) == {c for c, _ in cands}


def test_knitted_or_not_separates_chapter_61_from_62() -> None:
    cands = [("610910", 0.4), ("620520", 0.35), ("610990", 0.1), ("620530", 0.05)]
    question = q.best_question(cands, TEXTS)
    assert question is not None and question.level == "chapter"
    answers = by_label(question)
    assert answers["Apparel and clothing accessories; knitted or crocheted"] == ("610910", "610990")
    assert answers["Apparel and clothing accessories; not knitted or crocheted"] == ("620520", "620530")


def test_once_the_material_is_answered_knitted_or_not_is_asked() -> None:
    cands = [("610910", 0.3), ("620520", 0.3), ("610990", 0.15), ("620530", 0.15)]
    state = q.start(cands, TEXTS)
    assert state.question is not None
    cotton = next(a for a in state.question.answers if a.label_en == "Of cotton")
    assert cotton.label_ko == "면으로 만든 것" and cotton.codes == ("610910", "620520")
    after = q.answer(state, cotton.id, TEXTS)
    assert [c for c, _ in after.candidates] == ["610910", "620520"]
    assert after.answered[0].as_dict()["answer"] == {"en": "Of cotton", "ko": "면으로 만든 것"}
    assert after.question is not None
    not_knitted = next(a for a in after.question.answers if "not knitted" in a.label_en)
    assert not_knitted.codes == ("620520",)
    last = q.answer(after, not_knitted.id, TEXTS)
    assert [c for c, _ in last.candidates] == ["620520"] and last.question is None
    assert len(last.answered) == 2


def test_cylinder_capacity_thresholds_are_answers() -> None:
    question = q.best_question([("870323", 0.45), ("870324", 0.4)], TEXTS)
    assert question is not None
    assert {a.label_en for a in question.answers[:-1]} == {
        "Cylinder capacity over 1500 but not over 3000cc",
        "Cylinder capacity over 3000cc",
    }
    assert all(a.label_ko.startswith("실린더용량이") for a in question.answers[:-1])


def test_different_materials_in_different_chapters() -> None:
    question = q.best_question([("392690", 0.4), ("732690", 0.3), ("761699", 0.2)], TEXTS)
    assert question is not None
    assert {a.label_ko for a in question.answers[:-1]} == {
        "플라스틱과 그 제품",
        "철강의 제품",
        "알루미늄과 그 제품",
    }


def test_no_answer_names_a_heading_number() -> None:
    # 87.08 texts say "of heading no. 8701 to 8705"; 제8701호부터 제8705호까지의 in Korean
    assert q.clean_en("Bumpers and parts thereof, for the vehicles of heading no. 8701 to 8705") == (
        "Bumpers and parts thereof"
    )
    assert (
        q.clean_en("Vehicle parts and accessories; n.e.c. in heading no. 8708")
        == "Vehicle parts and accessories"
    )
    assert q.clean_ko("부분품과 부속품(제8701호부터 제8705호까지의 차량용으로 한정한다)") == (
        "부분품과 부속품(차량용으로 한정한다)"
    )


def test_confident_or_single_candidates_are_not_asked() -> None:
    assert q.start([("420221", 0.9), ("420222", 0.05)], TEXTS).question is None
    assert q.start([("420221", 0.5)], TEXTS).question is None
    assert q.is_close([0.45, 0.4]) and not q.is_close([0.95, 0.02])


def test_not_sure_keeps_everyone_and_asks_another_level() -> None:
    cands = [("610910", 0.4), ("620520", 0.35), ("610990", 0.1), ("620530", 0.05)]
    state = q.start(cands, TEXTS)
    assert state.question is not None
    after = q.answer(state, q.NOT_SURE, TEXTS)
    assert {c for c, _ in after.candidates} == {c for c, _ in cands}
    assert after.question is not None and after.question.level != state.question.level


def test_narrowing_conditions_on_the_answer_but_leaves_room_for_the_unlisted() -> None:
    narrowed = dict(q.narrow([("a", 0.5), ("b", 0.3), ("c", 0.1)], ["a"]))
    # 0.1 of the mass was outside the list: a = 0.5 / (0.5 + 0.1)
    assert abs(narrowed["a"] - 0.5 / 0.6) < 1e-9


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(HS6), min_size=2, max_size=12, unique=True),
    st.lists(st.floats(0.001, 1.0), min_size=12, max_size=12),
)
def test_answers_partition_the_candidates(codes: list[str], weights: list[float]) -> None:
    total = sum(weights[: len(codes)]) * 1.1
    cands = [(c, w / total) for c, w in zip(codes, weights, strict=False)]
    question = q.best_question(cands, TEXTS, min_gain=0.0)
    if question is None:
        return
    answers = [a for a in question.answers if a.id != q.NOT_SURE]
    assert 2 <= len(answers) <= q.MAX_ANSWERS
    kept = [c for a in answers for c in a.codes]
    assert sorted(kept) == sorted(codes)  # every candidate in exactly one answer
    assert all(a.codes for a in answers)
    for a in answers:
        for label in (a.label_en, a.label_ko):
            assert label and len(label) <= q.MAX_LABEL
            assert not any(code in label for code in codes)  # no code in disguise
    assert len({a.label_en.lower() for a in answers}) == len(answers)
    assert len({a.label_ko for a in answers}) == len(answers)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(HS6), min_size=2, max_size=10, unique=True),
    st.lists(st.floats(0.01, 1.0), min_size=10, max_size=10),
    st.integers(0, 5),
)
def test_an_answer_keeps_exactly_its_codes_and_never_asks_the_same_level_twice(
    codes: list[str], weights: list[float], pick: int
) -> None:
    total = sum(weights[: len(codes)]) * 1.2
    state = q.start([(c, w / total) for c, w in zip(codes, weights, strict=False)], TEXTS, always=True)
    levels = []
    while state.question is not None and len(levels) < 4:
        levels.append(state.question.level)
        chosen = state.question.answers[pick % len(state.question.answers)]
        before = {c for c, _ in state.candidates}
        state = q.answer(state, chosen.id, TEXTS)
        after = {c for c, _ in state.candidates}
        assert after == (before if chosen.id == q.NOT_SURE else before & set(chosen.codes))
        assert sum(p for _, p in state.candidates) <= 1.0 + 1e-9
    assert len(levels) == len(set(levels))
