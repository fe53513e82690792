"""The JSON a batch writes by COPY (orjson) is the JSON the standard encoder gives for the same value."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from clearway.db import json_text

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.dates(),
    st.datetimes(timezones=st.just(UTC)),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.dictionaries(st.one_of(st.text(), st.integers(-1000, 1000)), inner, max_size=5),
    ),
    max_leaves=30,
)


def standard(value: object) -> object:
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


@given(documents)
def test_copy_json_reads_back_as_the_standard_encoders(value):
    assert json.loads(json_text(value)) == standard(value)


@dataclass
class Money:
    amount: Decimal


def test_values_json_has_no_type_for_are_written_as_str_gives_them():
    value = {
        "due": Decimal("1234.50"),
        "on": date(2026, 12, 6),
        "at": datetime(2026, 12, 6, 5, 50, tzinfo=UTC),
        "fee": Money(Decimal("1")),
        7: "seven",
        "name": "한빛무역 ✓",
    }
    assert json.loads(json_text(value)) == {
        "due": "1234.50",
        "on": "2026-12-06",
        "at": "2026-12-06 05:50:00+00:00",
        "fee": "Money(amount=Decimal('1'))",
        "7": "seven",
        "name": "한빛무역 ✓",
    }
    assert json.loads(json_text(value)) == standard(value)
