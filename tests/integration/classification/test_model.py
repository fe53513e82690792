"""The classifier as a user meets it: ranked codes with evidence, declines, bad input, the code check."""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pytest
import scipy.sparse as sp

from clearway.classification import registry
from clearway.classification.model import HSClassifier
from tests.integration.classification.conftest import tiny_hierarchy


def test_estimator_shape(tiny_model):
    params = tiny_model.get_params()
    fresh = HSClassifier(**params)
    assert fresh.get_params() == params
    assert not any(name.endswith("_") for name in vars(fresh))  # __init__ only stores hyper-parameters
    learned = [name for name in vars(tiny_model) if name.endswith("_") and not name.startswith("_")]
    assert {"index_", "ranker_", "calibrator_", "vocabulary_"} <= set(learned)
    with pytest.raises(ValueError):
        fresh.set_params(nonsense=1)


def test_korean_and_english_descriptions_find_their_heading_with_evidence(tiny_model):
    shoes, lipstick = tiny_model.classify(
        [
            "남성용 구두\n바깥바닥은 고무, 갑피는 천연 소가죽으로 만든 발목을 덮지 않는 신발",
            "Lipstick, 3.5 g, in a plastic case",
        ]
    )
    assert shoes.language == "ko" and not shoes.declined
    assert shoes.candidates[0].hs6.startswith("6403")
    best = shoes.candidates[0]
    assert [s.level for s in best.path] == ["section", "chapter", "heading", "subheading", "national"]
    assert best.hs10 and best.hs10.startswith(best.hs6)
    assert best.rulings and all(r.code.startswith(best.hs6[:4]) for r in best.rulings)
    assert all(0.0 <= c.confidence <= 1.0 for c in shoes.candidates)
    assert [c.confidence for c in shoes.candidates] == sorted(
        (c.confidence for c in shoes.candidates), reverse=True
    )
    assert lipstick.candidates[0].hs6.startswith("3304")


def test_cross_lingual_english_text_finds_korean_wording(tiny_model):
    result = tiny_model.classify(["men's leather dress shoes with rubber soles"])[0]
    assert result.candidates[0].hs6[:2] == "64"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("a", "too_short"),
        ("🙂👍🎉", "no_words"),
        ("Nike", "brand_only"),
        ("gift", "too_vague"),
        ("black, L", None),
        ("Lederschuhe für Herren mit einer Sohle aus Gummi und der Kappe", "unsupported_language"),
    ],
)
def test_bad_input_is_declined_with_a_reason(tiny_model, text, code):
    result = tiny_model.classify([text])[0]
    assert result.declined and not result.candidates
    if code:
        assert result.decline.code == code
    assert result.decline.message


def test_huge_input_is_cut_not_crashed(tiny_model):
    text = "남성용 가죽 신발, 바깥바닥은 고무 " * 6000  # ~100 KB
    result = tiny_model.classify([text])[0]
    assert result.truncated and not result.declined and len(result.text) <= 1500
    garbage = tiny_model.classify(["a" * 100_000])[0]
    assert garbage.declined


def test_non_string_input_is_treated_as_empty(tiny_model):
    assert tiny_model.classify([None])[0].decline.code == "empty"  # type: ignore[list-item]


def test_predict_gives_codes_and_blank_for_declines(tiny_model):
    codes = tiny_model.predict(["립스틱", ""])
    assert codes[0].startswith("3304") and codes[1] == ""


def test_declared_code_check(tiny_model):
    fine, wrong, unknown = tiny_model.check_codes(
        ["립스틱 (lipstick)", "립스틱 (lipstick)", "립스틱"], ["3304100000", "6403991000", "9999999999"]
    )
    assert not fine.unlikely and fine.risk < wrong.risk
    assert wrong.suggestions[0].startswith("3304")
    assert wrong.unlikely == (wrong.risk >= tiny_model.plausibility_.alarm_)
    assert unknown.risk is None and unknown.reason == "unknown_code"


def test_saved_model_loads_once_and_answers_the_same(tiny_model, tiny_model_folder):
    registry.forget()
    first = registry.load_model(tiny_model_folder)
    assert registry.load_model(tiny_model_folder) is first
    text = "남성용 가죽 신발"
    assert first.classify([text])[0].hs6_ranking == tiny_model.classify([text])[0].hs6_ranking
    assert "_embedder" not in pickle.loads(pickle.dumps(tiny_model)).__dict__


def test_missing_model_is_a_clear_503(tmp_path):
    with pytest.raises(registry.ModelUnavailable) as error:
        registry.served_model(tmp_path)
    assert error.value.status == 503 and "clearway classify train" in error.value.detail


def test_fitting_in_worker_processes_builds_the_same_model(tiny_model, tiny_data):
    """`clearway classify train` fits side by side in processes; the model must not depend on how many."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parallel = HSClassifier(**tiny_model.get_params()).fit(tiny_data, hierarchy=tiny_hierarchy(), jobs=2)
    for one, other in zip(tiny_model.level_models_, parallel.level_models_, strict=True):
        dense = [c.toarray() if sp.issparse(c) else c for c in (one.coef, other.coef)]
        assert np.array_equal(*dense) and np.array_equal(one.intercept, other.intercept)
    assert tiny_model.ranker_.booster_.model_to_string() == parallel.ranker_.booster_.model_to_string()
    assert tiny_model.metrics_ == parallel.metrics_
    texts = [r.text for r in tiny_data[::25]]
    assert [r.hs6_ranking for r in tiny_model.classify(texts, evidence=0)] == [
        r.hs6_ranking for r in parallel.classify(texts, evidence=0)
    ]


def test_the_legal_notes_can_be_switched_off_for_the_ablation(tiny_model):
    with_notes = tiny_model.classify(["rubber sandals for women"])[0]
    try:
        tiny_model.use_notes = False
        without = tiny_model.classify(["rubber sandals for women"])[0]
    finally:
        del tiny_model.use_notes  # back to the class default (on)
    assert [n.rule for n in with_notes.notes] == ["footwear-not-materials"]
    assert without.notes == [] and all(not c.notes for c in without.candidates)
    assert with_notes.candidates[0].notes[0].note.startswith("Chapter 39, note 2(q)")
