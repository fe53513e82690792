"""The disclosure policy: what each audience may see of a lane selection, a finding, an officer's note. Pure.

Every surface (API responses, the events endpoint, webhooks, the web pages) renders through these functions,
so a rule is changed in one place. Two audiences:

* **customs** (officer, risk analyst, administrator) see everything;
* **filer** (trader, broker) see the lane and the status, the officer's *message* to them, the outcome of a
  check (irregularity or not, additional duty) and everything about their own requests, replies and payments
  — never the selection method (``risk:watchlist`` alone says a partner is watch-listed), reasons, criteria,
  watchlist names, model score, thresholds, features or explanation, exploration, the risk signal of a
  classification warning, an officer's internal note, a finding's internal description, or which officer acted.

Filer views are built from an allow-list (a field not named here is not shown), so a field added tomorrow stays
confidential until someone decides otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


class Audience(StrEnum):
    FILER = "filer"
    CUSTOMS = "customs"


def audience(customs: bool) -> Audience:
    return Audience.CUSTOMS if customs else Audience.FILER


# ---- lane selection and advice ----------------------------------------------------------------------------
SELECTION_FOR_FILER = ("lane", "placeholder")  # "placeholder": risk selection is not configured
ADVICE_FOR_FILER = ("pointer", "code", "message")
ADVICE_DETAILS_FOR_FILER = ("suggested_hs6",)


def selection(value: dict[str, Any] | None, who: Audience) -> dict[str, Any] | None:
    if value is None or who is Audience.CUSTOMS:
        return value
    return {k: value[k] for k in SELECTION_FOR_FILER if k in value}


def advice(values: list[dict[str, Any]], who: Audience) -> list[dict[str, Any]]:
    if who is Audience.CUSTOMS:
        return values
    out = []
    for a in values:
        if (a.get("details") or {}).get("officer_only"):  # e.g. IPR suspicions (ipr.step)
            continue
        shown = {k: a[k] for k in ADVICE_FOR_FILER if k in a}
        details = {k: v for k, v in (a.get("details") or {}).items() if k in ADVICE_DETAILS_FOR_FILER}
        out.append({**shown, **({"details": details} if details else {})})
    return out


# ---- events ---------------------------------------------------------------------------------------------------
# Actions a filer takes: their reason is the filer's own text.
FILER_ACTIONS = frozenset(
    {"file", "amend", "cancel", "submit_documents", "request_amendment", "request_cancellation"}
)
EVENT_DATA_FOR_FILER = frozenset(
    {
        "version",
        "from",
        "to",
        "lane",
        "new_version",
        "total_due_krw",
        "can_assess",
        "amount_krw",
        "payment_number",
        "bank_reference",
        "finding",
        "additional_duty_krw",
        "message",
        "deadline",
        "attachments",
        "granted",
        "request",
        "hold",  # a hold's code and the bill it is about: the filer is told why it waits
        "bill",
    }
)
NON_PERSONAL_ACTORS = frozenset({"system", "bank"})
CUSTOMS_ACTOR = "customs"


@dataclass(frozen=True, slots=True)
class EventView:
    seq: int
    occurred_at: datetime
    actor: str
    action: str
    reason: str | None
    data: dict[str, Any]


def event_parts(
    action: str, actor: str, reason: str | None, data: dict[str, Any], who: Audience
) -> tuple[str, str | None, dict[str, Any]]:
    """(actor, reason, data) of an event as ``who`` may see them. An officer's reason is internal; the filer
    reads the officer's ``message`` instead."""
    if who is Audience.CUSTOMS:
        return actor, reason, data
    shown = {k: v for k, v in data.items() if k in EVENT_DATA_FOR_FILER}
    granted = "granted" in data  # an officer granting the filer's request: the reason is the filer's own
    filer_text = action in FILER_ACTIONS
    shown_actor = actor if actor in NON_PERSONAL_ACTORS or (filer_text and not granted) else CUSTOMS_ACTOR
    shown_reason = (
        reason if filer_text else (data.get("message") if isinstance(data.get("message"), str) else None)
    )
    if action == "pay" and actor == "system":
        shown_reason = reason  # "nothing to pay"
    return shown_actor, shown_reason, shown


def event_data_for_filer(action: str, data: dict[str, Any]) -> dict[str, Any]:
    """The data of an event as a filer may see it (kept for callers that only have the data)."""
    return event_parts(action, "", None, data, Audience.FILER)[2]


def event(
    seq: int,
    occurred_at: datetime,
    actor: str,
    action: str,
    reason: str | None,
    data: dict[str, Any],
    who: Audience,
) -> EventView:
    shown_actor, shown_reason, shown = event_parts(action, actor, reason, data, who)
    return EventView(seq, occurred_at, shown_actor, action, shown_reason, shown)


# ---- findings, requests, notes ----------------------------------------------------------------------------
FINDING_FOR_FILER = ("recorded_at", "finding", "additional_duty_krw")
DOCUMENT_REQUEST_FOR_FILER = (
    "id",
    "message",
    "deadline",
    "requested_at",
    "answered_at",
    "reply",
    "attachments",
)
CHANGE_REQUEST_FOR_FILER = ("id", "kind", "reason", "status", "requested_at", "decided_at", "message")


def _only(value: dict[str, Any], keys: tuple[str, ...], who: Audience) -> dict[str, Any]:
    return value if who is Audience.CUSTOMS else {k: value[k] for k in keys if k in value}


def finding(value: dict[str, Any], who: Audience) -> dict[str, Any]:
    """An inspection result: the filer learns the outcome and any additional duty, not the officer's
    description or whether it was marked critical."""
    return _only(value, FINDING_FOR_FILER, who)


def document_request(value: dict[str, Any], who: Audience) -> dict[str, Any]:
    return _only(value, DOCUMENT_REQUEST_FOR_FILER, who)


def change_request(value: dict[str, Any], who: Audience) -> dict[str, Any]:
    return _only(value, CHANGE_REQUEST_FOR_FILER, who)


# Kept for callers of the first version of this module.
def selection_for_filer(value: dict[str, Any] | None) -> dict[str, Any] | None:
    return selection(value, Audience.FILER)


def advice_for_filer(values: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return advice(values, Audience.FILER)


# Work-management events (who took a declaration) are customs' own business.
INTERNAL_ACTIONS = frozenset({"assign", "unassign"})


def shown(action: str, who: Audience) -> bool:
    return who is Audience.CUSTOMS or action not in INTERNAL_ACTIONS
