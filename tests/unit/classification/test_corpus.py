"""Reading the training data: codes, the cut-off date, and never the decision reasoning."""

from __future__ import annotations

import json
from datetime import date

from clearway.classification.corpus import dedupe, load_training_data, parse_code, read_kcs
from clearway.classification.holdout import is_development, is_holdout


def test_codes_are_digits_and_multi_codes_are_dropped():
    assert parse_code("3809.91-0000") == "3809910000"
    assert parse_code("8471.30") == "847130"
    assert parse_code("") is None
    assert parse_code("8471.30-0000, 8471.41-0000") is None


def test_rulings_never_carry_their_reasoning_and_stop_at_the_cutoff():
    rows = [
        {
            "reference_id": "A-1",
            "decision_date": "2024-10-31",
            "hs_code": "1302.19-1210",
            "product_name": "Red ginseng",
            "description": "홍삼 추출물",
            "decision_reason": "제1302.19-1210호에 분류함",
        },
        {
            "reference_id": "A-2",
            "decision_date": "2024-11-01",
            "hs_code": "1302.19-1210",
            "product_name": "x",
            "description": "y",
            "decision_reason": "z",
        },
    ]
    records = read_kcs(json.dumps(rows, ensure_ascii=False), "f.json")
    assert [r.reference for r in records] == ["A-1"]
    assert "분류함" not in records[0].text and records[0].text == "Red ginseng\n홍삼 추출물"
    assert records[0].code == "1302191210" and records[0].decided_on == date(2024, 10, 31)


def test_vendored_data_loads_without_reasoning_and_with_a_fingerprint():
    data = load_training_data()
    assert len(data.fingerprint) == 64
    kcs = [r for r in data.records if r.source == "kcs"]
    assert 700 < len(kcs) < 900 and max(r.decided_on for r in kcs) <= date(2024, 10, 31)
    assert not any("따라서, 본 물품은" in r.text for r in kcs)  # the reasoning's usual conclusion
    assert len({r.id for r in data.records}) == len(data.records)
    assert len(data.vague) > 4000


def test_dedupe_keeps_the_first_and_makes_ids_unique():
    data = load_training_data()
    twice = dedupe(data.records[:5] + data.records[:5])
    assert twice == data.records[:5]


def test_the_held_out_and_development_splits_are_disjoint_and_dated():
    data = load_training_data()
    held = [r for r in data.records if is_holdout(r)]
    dev = [r for r in data.records if is_development(r)]
    assert not {r.id for r in held} & {r.id for r in dev}
    assert all(r.decided_on >= date(2024, 8, 1) for r in held if r.source == "kcs")
    assert {r.source for r in held} == {"kcs", "eu_bti", "uk_extra"}
