"""The feature matrix: batch and row paths agree; unseen and missing values are missing, and said so."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from clearway.risk.features import ALL_GROUPS, FeatureBuilder
from tests.unit.risk.helpers import record, synthetic


def test_batch_matrix_equals_row_by_row():
    records, outcomes = synthetic(200)
    builder = FeatureBuilder(ALL_GROUPS).fit(records)
    _, state = builder.training_matrix(records, outcomes)
    batch = builder.matrix(records, state)
    rows = np.array([builder.row(r, state) for r in records])
    assert batch.shape == (200, len(builder.names))
    assert np.array_equal(batch, rows, equal_nan=True)


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from([None, "sea", "air", "hovercraft"]),
    st.one_of(st.none(), st.floats(0.001, 1e6)),
    st.one_of(st.none(), st.floats(0, 1e9)),
    st.sampled_from([None, "847130", "12"]),
)
def test_any_record_gets_a_finite_or_missing_vector(mode, mass, value, hs6):
    records, outcomes = synthetic(60)
    builder = FeatureBuilder(ALL_GROUPS).fit(records)
    _, state = builder.training_matrix(records, outcomes)
    r = record(transport_mode=mode, net_mass_kg=mass, value_krw=value, hs6=hs6)
    v = builder.matrix([r], state)[0]
    assert v.shape == (len(builder.names),)
    assert all(math.isnan(x) or math.isfinite(x) for x in v)


def test_unseen_categories_and_missing_fields_are_named():
    records, outcomes = synthetic(60)
    builder = FeatureBuilder(ALL_GROUPS).fit(records)
    _, state = builder.training_matrix(records, outcomes)
    r = record(transport_mode="hovercraft", value_krw=None, hs6="999999")
    notes = builder.fallbacks(r, state)
    assert any("hovercraft" in n for n in notes)
    assert any("customs value missing" in n for n in notes)
    assert any("no reference value per kg for 999999" in n for n in notes)
    v = builder.matrix([r], state)[0]
    assert math.isnan(v[builder.names.index("cat_transport_mode")])


def test_unknown_group_is_refused():
    try:
        FeatureBuilder(("declaration", "astrology"))
    except ValueError as exc:
        assert "astrology" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("an unknown group must be refused")
