"""The lane selection's reasons in the page's language.

The risk step stores each reason with its kind and figures (criterion code and version, watchlist and party,
model score and thresholds, exploration share) beside an English sentence; in Korean the sentence is written
here from those figures. Which reasons a reader may see at all is the disclosure policy's business.
"""

from __future__ import annotations

import re
from typing import Any

from clearway.web.i18n import translator

HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _number(value: Any, pattern: str = "{:.3f}") -> str:
    try:
        return pattern.format(float(value))
    except (TypeError, ValueError):
        return "—"


def lane_reason(reason: dict[str, Any], lang: str) -> str:
    """One reason as a sentence: the stored English one, or the Korean one built from its figures."""
    message = str(reason.get("message") or "")
    if lang != "ko":
        return message
    t = translator(lang)
    kind = str(reason.get("kind") or "")
    lane = t(f"lane.{reason['lane']}") if reason.get("lane") else ""
    if kind == "criterion":
        text = t(
            "lane_reason.criterion", code=reason.get("code", ""), version=reason.get("version", ""), lane=lane
        )
        if reason.get("applied") is False:
            text += t("lane_reason.not_drawn", rate=_number(reason.get("random_rate"), "{:g}"))
        return text
    if kind == "watchlist":
        field = reason.get("field", "")
        field_name = t(f"risk_field.{field}") if t.has(f"risk_field.{field}") else field
        return t(
            "lane_reason.watchlist",
            field=field_name,
            party=reason.get("party", ""),
            watchlist=reason.get("watchlist", ""),
            lane=lane,
        )
    if kind == "model":
        thresholds = reason.get("thresholds") or {}
        return t(
            "lane_reason.model",
            score=_number(reason.get("score")),
            lane=lane,
            yellow=_number(thresholds.get("yellow")),
            red=_number(thresholds.get("red")),
        )
    if kind == "random":
        return t("lane_reason.random", lane=lane, share=_number(reason.get("share"), "{:.0%}"))
    if kind == "advice":
        return t("lane_reason.advice", pointer=reason.get("pointer", ""))
    if kind == "manifest":
        code = str(reason.get("code", ""))
        finding = t(f"cargo.finding.{code}") if t.has(f"cargo.finding.{code}") else code
        return t("lane_reason.manifest", bill=reason.get("bill", ""), finding=finding)
    if t.has(f"lane_reason.{kind}"):
        return t(f"lane_reason.{kind}")
    return message if HANGUL.search(message) else t("lane_reason.other")
