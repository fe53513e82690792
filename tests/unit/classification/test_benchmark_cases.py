"""Reading benchmark case files: a bad line is a readable error, never a crash."""

from __future__ import annotations

import pytest

from clearway.benchmarks.classification import parse_case
from clearway.errors import ValidationFailed


def test_a_case_line():
    case = parse_case(
        '{"id": "1", "text": "leather shoes", "hs": "640399", "lang": "en", "national": "uk", "extra": 1}',
        "f line 1",
    )
    assert (case.hs, case.national, case.lang) == ("640399", "UK", "en")


@pytest.mark.parametrize(
    "line",
    [
        '{"id": "1"',
        "[1, 2]",
        '{"id": "1", "text": "x", "hs": "6403.99", "lang": "en", "national": "UK"}',
        '{"id": 1, "text": "x", "hs": "640399"}',
    ],
)
def test_bad_lines(line):
    with pytest.raises(ValidationFailed) as error:
        parse_case(line, "cases.jsonl line 3")
    assert "cases.jsonl line 3" in str(error.value)
