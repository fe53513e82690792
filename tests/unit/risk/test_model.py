"""The learned model on a tiny synthetic world: it learns, explains, saves, loads and refuses bad files."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime

import numpy as np
import pytest

from clearway.risk.learning.training import train
from clearway.risk.metrics import auc
from clearway.risk.model import (
    FORMAT_VERSION,
    ModelFileError,
    NotEnoughOutcomes,
    RiskModel,
    read_model_file,
    write_model_file,
)
from clearway.risk.records import Outcome
from tests.unit.risk.helpers import record, synthetic

FAST = {"n_estimators": 40, "num_leaves": 7, "learning_rate": 0.2}


@pytest.fixture(scope="module")
def trained():  # type: ignore[no-untyped-def]
    records, outcomes = synthetic(600)
    return train(records[:480], outcomes[:480], params=FAST), records[480:], outcomes[480:]


def test_it_learns_the_planted_patterns(trained):
    result, test_records, test_outcomes = trained
    scores = result.model.score(test_records)
    assert auc(scores, [o.fraud for o in test_outcomes]) > 0.8
    assert result.metrics["holdout"]["n"] >= 30
    assert result.reference.source == "holdout" and len(result.reference.quantiles) == 1001


def test_each_score_comes_with_the_features_that_raised_it(trained):
    result, test_records, _ = trained
    explanation = result.model.explain(test_records[:5])
    assert len(explanation) == 5
    for e in explanation:
        assert 0 <= e.score <= 1
        assert all(c.contribution > 0 for c in e.top) and len(e.top) <= 3
    np.testing.assert_allclose(
        [e.score for e in explanation], result.model.score(test_records[:5]), rtol=1e-6
    )


def test_unknown_categories_and_missing_values_still_score(trained):
    result, _, _ = trained
    odd = record(
        transport_mode="hovercraft",
        office="999",
        hs6=None,
        commodity_code=None,
        value_krw=None,
        net_mass_kg=None,
        origin_country=None,
    )
    (e,) = result.model.explain([odd])
    assert 0 <= e.score <= 1
    assert any("hovercraft" in f for f in e.fallbacks)


def test_save_and_load_give_the_same_scores(trained, tmp_path):
    result, test_records, _ = trained
    path = tmp_path / "m.json.gz"
    write_model_file(
        path, result.document(version="v1", created_at=datetime(2026, 1, 1, tzinfo=UTC), trained_by="test")
    )
    loaded = RiskModel.from_document(read_model_file(path))
    np.testing.assert_allclose(loaded.score(test_records), result.model.score(test_records))


def test_a_model_file_of_another_version_is_refused_clearly(trained, tmp_path):
    result, _, _ = trained
    doc = result.model.to_document()
    with pytest.raises(ModelFileError, match="format version 99"):
        RiskModel.from_document({**doc, "format_version": 99})
    with pytest.raises(ModelFileError, match="not a Clearway risk model"):
        RiskModel.from_document({"hello": 1})
    with pytest.raises(ModelFileError, match="differ"):
        RiskModel.from_document({**doc, "feature_names": doc["feature_names"][:-1]})
    path = tmp_path / "broken.json.gz"
    path.write_bytes(b"not gzip")
    with pytest.raises(ModelFileError, match="not a readable"):
        read_model_file(path)
    path.write_bytes(gzip.compress(json.dumps({**doc, "booster": "garbage"}).encode()))
    with pytest.raises(ModelFileError, match="damaged"):
        RiskModel.from_document(read_model_file(path))
    assert doc["format_version"] == FORMAT_VERSION


def test_too_few_or_one_sided_outcomes_are_refused():
    records, _ = synthetic(20)
    with pytest.raises(NotEnoughOutcomes):
        RiskModel(**FAST).fit(records, [Outcome(False)] * 20)
    with pytest.raises(NotEnoughOutcomes):
        RiskModel(**FAST).fit(records[:5], [Outcome(True), Outcome(False)] * 2 + [Outcome(True)])


def test_hyperparameters_follow_the_estimator_convention():
    m = RiskModel(num_leaves=5)
    assert m.get_params()["num_leaves"] == 5
    assert not hasattr(m, "booster_")
