"""Pure helpers of the Korean pages: lines of a JSON text, code names, reasons, error places, charts."""

from __future__ import annotations

import json
import re
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from clearway.errors import FieldError
from clearway.web.i18n_codes import labelled
from clearway.web.pages.charts import Line, bar_chart, line_chart
from clearway.web.pages.json_lines import line_of, pointer_lines
from clearway.web.pages.reasons import lane_reason
from clearway.web.pages.render import field_message, money, where

HANGUL = re.compile(r"[\uac00-\ud7a3]")
keys = st.text(alphabet="abc/~xyz", min_size=1, max_size=4)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='ab"\\\n가', max_size=5),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(keys, children, max_size=3),
    max_leaves=12,
)


def _pointers(value: Any, prefix: str = "") -> list[str]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _pointers(v, f"{prefix}/{k.replace('~', '~0').replace('/', '~1')}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _pointers(v, f"{prefix}/{i}")
    return out


@given(json_values, st.sampled_from([None, 2]))
def test_every_value_of_a_json_text_has_its_line(value: Any, indent: int | None) -> None:
    raw = json.dumps(value, indent=indent, ensure_ascii=False)
    lines = pointer_lines(raw)
    assert set(lines) == set(_pointers(value))
    assert all(1 <= n <= raw.count("\n") + 1 for n in lines.values())
    if indent is None:
        assert set(lines.values()) == {1}


def test_a_missing_field_is_placed_at_its_parent_and_broken_json_has_no_lines() -> None:
    raw = json.dumps({"items": [{"a": 1}, {"b": 2}]}, indent=2)
    lines = pointer_lines(raw)
    assert line_of("/items/1/quantity", lines) == lines["/items/1"] == 6
    assert pointer_lines('{"kind": ') == {} and line_of("/kind", {}) is None


def test_errors_name_the_goods_line_one_based_and_speak_korean() -> None:
    assert where("/items/2/quantity", "ko") == "3번째 품목" and where("/items/0", "en") == "line 1"
    assert where("/consignment/port", "ko") == ""
    error = FieldError("/items/0/currency", "unknown_currency", "'XYZ' is not an ISO 4217 currency code")
    assert field_message(error, "ko") == "알 수 없는 통화 코드입니다"
    assert field_message(error, "en") == error.message
    assert HANGUL.search(field_message(FieldError("/x", "never_heard_of", "English only"), "ko"))
    broken = FieldError("", "invalid_json", "line 3, column 7: Expecting value")
    assert field_message(broken, "ko").endswith("(3행 7열)")
    assert money("7000000", "ko") == "7,000,000원"


def test_codes_carry_their_names_in_both_languages() -> None:
    assert labelled("customs_office", "030", "ko") == "030 부산본부세관"
    assert labelled("customs_office", "030", "en") == "030 Busan Main Customs"
    assert labelled("port", "KRPUS", "ko") == "KRPUS 부산항"
    assert labelled("transport_mode", "sea", "ko") == "해상"
    assert labelled("document_kind", "certificate_of_origin", "ko") == "원산지증명서"
    assert labelled("unit", "PR", "ko") == "PR 켤레"
    assert labelled("port", "XXNOP", "ko") == "XXNOP"


REASONS = [
    {
        "kind": "criterion",
        "code": "C-7",
        "version": 2,
        "lane": "red",
        "applied": False,
        "random_rate": 0.5,
        "message": "criterion C-7 v2 (shoes): hs6 = 640399 — matched, not drawn (random rate 0.5)",
    },
    {
        "kind": "watchlist",
        "watchlist": "repeat",
        "field": "seller",
        "party": "PT Sepatu",
        "lane": "yellow",
        "message": "seller PT Sepatu is on watchlist repeat",
    },
    {
        "kind": "model",
        "score": 0.71,
        "lane": "red",
        "thresholds": {"yellow": 0.3, "red": 0.6},
        "message": "risk score 0.710 (red: above 0.6); raised most by: origin",
    },
    {"kind": "random", "lane": "yellow", "share": 0.02, "message": "chosen at random"},
    {"kind": "green", "message": "no criterion, watchlist or model score selected it"},
    {"kind": "assessment", "message": "duties could not be fully assessed; an officer must check"},
    {"kind": "something_new", "message": "an English sentence"},
]


def test_every_lane_reason_reads_in_korean_from_its_figures() -> None:
    korean = [lane_reason(r, "ko") for r in REASONS]
    assert all(HANGUL.search(text) for text in korean), korean
    assert "C-7" in korean[0] and "0.5" in korean[0] and "적색" in korean[0]
    assert "PT Sepatu" in korean[1] and "판매자" in korean[1] and "repeat" in korean[1]
    assert "0.710" in korean[2] and "0.600" in korean[2]
    assert "2%" in korean[3]
    assert [lane_reason(r, "en") for r in REASONS] == [r["message"] for r in REASONS]


def test_charts_are_inline_svg_with_their_values_in_text() -> None:
    bars = bar_chart("검사구분", [("녹색", 12.0), ("적색", 3.0), ("<b>", 0.0)])
    assert bars.startswith("<svg") and "<title>검사구분</title>" in bars and "녹색: 12" in bars
    assert "<b>" not in bars and "&lt;b&gt;" in bars
    drift = line_chart(
        "PSI",
        [("2026-W01", 0.05), ("2026-W02", None), ("2026-W03", 0.3)],
        lines=(Line(0.25, "retrain", "alert-line"),),
    )
    assert drift.count("<polyline") == 2 and 'class="alert-line"' in drift and "2026-W02: —" in drift
    assert "http" not in drift.replace("http://www.w3.org/2000/svg", "")
    assert bar_chart("empty", []).startswith("<svg")


def test_manifest_mismatch_reasons_read_in_korean_and_english() -> None:
    reason = {
        "kind": "manifest",
        "code": "consignee_not_importer",
        "bill": "HDMU1",
        "lane": "yellow",
        "message": "manifest check: the manifest consignee 'X' is not the importer 'Y'",
    }
    assert lane_reason(reason, "en") == reason["message"]
    korean = lane_reason(reason, "ko")
    assert "HDMU1" in korean and "수하인" in korean and HANGUL.search(korean)
