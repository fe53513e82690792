"""What a filer may see. Pure.

Risk selection is confidential (selectivity criteria, model scores and their explanations would teach a
fraudster how to avoid them), so traders and brokers see their lane but not why it was chosen; customs sees
everything.
"""

from __future__ import annotations

from typing import Any

CONFIDENTIAL_SELECTION_KEYS = ("reasons", "score", "explanation")


def selection_for_filer(selection: dict[str, Any] | None) -> dict[str, Any] | None:
    if selection is None:
        return None
    return {k: v for k, v in selection.items() if k not in CONFIDENTIAL_SELECTION_KEYS}


def advice_for_filer(advice: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in a.items() if k != "risk_signal"} for a in advice
            if not (a.get("details") or {}).get("officer_only")]  # e.g. IPR suspicions (ipr.advisor)


def event_data_for_filer(action: str, data: dict[str, Any]) -> dict[str, Any]:
    if action == "assign_lane":
        return {k: v for k, v in data.items() if k not in CONFIDENTIAL_SELECTION_KEYS}
    return data
