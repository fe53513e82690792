"""The tool-use set: every question picks its tool with the facts it states (Korean and English)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from clearway.assistant.tool_check import run

CASES = Path(__file__).resolve().parents[3] / "benchmarks" / "assistant" / "tool_cases.jsonl"


def test_the_tool_use_set_is_answered_with_the_expected_tool_and_facts() -> None:
    result = run(CASES, date(2026, 12, 4))
    assert result["n"] >= 60
    assert result["failures"] == {}
