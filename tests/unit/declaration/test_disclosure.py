"""The disclosure policy: nothing confidential reaches a filer through any rendered output (hypothesis)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from clearway.declaration import disclosure
from clearway.declaration.disclosure import Audience
from clearway.declaration.models import Declaration, DeclarationVersion
from clearway.declaration.schemas import DeclarationRead

SECRET = "SECRET-7f3a"  # planted in every confidential field; must never appear in a filer's view
CONFIDENTIAL_SELECTION = (
    "method",
    "reasons",
    "score",
    "explanation",
    "explored",
    "criteria",
    "thresholds",
    "watchlist",
    "model_version",
    "features",
)
CONFIDENTIAL_EVENT = (
    "method",
    "reasons",
    "score",
    "internal_note",
    "description",
    "critical",
    "stage",
    "placeholder",
    "explored",
    "override",
    "officer",
    "decision",
)
ACTIONS = (
    "file",
    "assess",
    "assign_lane",
    "start_document_check",
    "start_inspection",
    "request_documents",
    "submit_documents",
    "record_inspection_result",
    "accept",
    "reject",
    "pay",
    "release",
    "amend",
    "cancel",
    "request_amendment",
    "request_cancellation",
    "refuse_request",
    "assign",
    "unassign",
)
OFFICER_ACTIONS = (
    "start_inspection",
    "request_documents",
    "record_inspection_result",
    "accept",
    "reject",
    "release",
    "refuse_request",
    "assign",
    "unassign",
)


def _dump(value: object) -> str:
    return json.dumps(value, default=str, ensure_ascii=False)


@settings(max_examples=300)
@given(
    st.lists(st.sampled_from(CONFIDENTIAL_SELECTION), min_size=1, unique=True),
    st.sampled_from(["green", "yellow", "red", "blue"]),
)
def test_a_filer_sees_the_lane_of_a_selection_and_nothing_else(keys, lane):
    selection = {"lane": lane, **{k: f"{SECRET} risk:watchlist demo-repeat-findings" for k in keys}}
    shown = disclosure.selection(selection, Audience.FILER)
    assert shown == {"lane": lane}
    assert disclosure.selection(selection, Audience.CUSTOMS) == selection


@settings(max_examples=500)
@given(
    st.sampled_from(ACTIONS),
    st.sampled_from(["officer", "system", "bank", "trader"]),
    st.lists(st.sampled_from(CONFIDENTIAL_EVENT), unique=True),
    st.dictionaries(
        st.sampled_from(["version", "from", "to", "lane", "message", "deadline", "finding"]),
        st.text(alphabet="abc", max_size=5),
    ),
)
def test_no_confidential_event_field_or_officer_note_reaches_a_filer(action, actor, keys, visible):
    data = {**visible, **{k: SECRET for k in keys}}
    if actor == "officer" and action in disclosure.FILER_ACTIONS:
        # an officer files, amends or withdraws only in granting the filer's request, with the filer's reason
        data["granted"] = True
        reason = "filer's own words"
    else:
        reason = SECRET if actor == "officer" or action in OFFICER_ACTIONS else "filer's own words"
    if not disclosure.shown(action, Audience.FILER):
        assert action in ("assign", "unassign")
        return
    view = disclosure.event(1, datetime(2026, 1, 1, tzinfo=UTC), actor, action, reason, data, Audience.FILER)
    assert SECRET not in _dump([view.actor, view.reason, view.data])
    assert view.actor != "officer"  # an officer is "customs" to a filer


def test_the_officers_message_replaces_the_internal_note_for_the_filer():
    data = {
        "message": "send the sales contract",
        "internal_note": "seller on watchlist demo-repeat-findings",
        "deadline": "2026-11-30T00:00:00+00:00",
    }
    actor, reason, shown = disclosure.event_parts(
        "request_documents", "officer", "price 40% below model", data, Audience.FILER
    )
    assert (actor, reason) == ("customs", "send the sales contract")
    assert shown == {"message": "send the sales contract", "deadline": "2026-11-30T00:00:00+00:00"}
    assert (
        disclosure.event_parts(
            "request_documents", "officer", "price 40% below model", data, Audience.CUSTOMS
        )[1]
        == "price 40% below model"
    )


def test_findings_requests_and_advice_for_the_filer():
    finding = {
        "recorded_at": "t",
        "stage": "inspection",
        "finding": "irregularity",
        "description": SECRET,
        "additional_duty_krw": "450000",
        "critical": True,
    }
    assert disclosure.finding(finding, Audience.FILER) == {
        "recorded_at": "t",
        "finding": "irregularity",
        "additional_duty_krw": "450000",
    }
    request = {"id": 1, "message": "send it", "internal_note": SECRET, "override_reason": SECRET}
    assert SECRET not in _dump(disclosure.document_request(request, Audience.FILER))
    assert SECRET not in _dump(disclosure.change_request({"id": 1, "internal_note": SECRET}, Audience.FILER))
    advice = [
        {
            "pointer": "/items/0/commodity_code",
            "code": "commodity_code_unlikely",
            "message": "unlikely",
            "risk_signal": 0.93,
            "details": {"suggested_hs6": ["640399"], "risk": 0.93, "model_version": "x"},
        }
    ]
    assert disclosure.advice(advice, Audience.FILER) == [
        {
            "pointer": "/items/0/commodity_code",
            "code": "commodity_code_unlikely",
            "message": "unlikely",
            "details": {"suggested_hs6": ["640399"]},
        }
    ]


@settings(max_examples=100)
@given(
    st.dictionaries(st.sampled_from(CONFIDENTIAL_SELECTION), st.just(f"{SECRET} risk:watchlist"), min_size=1),
    st.floats(0.01, 1.0),
)
def test_the_api_read_a_filer_gets_carries_no_confidential_field(selection, signal):
    now = datetime(2026, 11, 20, tzinfo=UTC)
    d = Declaration(
        id=7,
        kind="import",
        filer_company_id=1,
        filer_user_id=1,
        declarant_reference="R-1",
        content_hash="x",
        current_version=1,
        status="under_document_check",
        lane="yellow",
        customs_office="030",
        filed_on=date(2026, 11, 20),
        filed_at=now,
        updated_at=now,
    )
    v = DeclarationVersion(
        declaration_id=7,
        version=1,
        status="under_document_check",
        lane="yellow",
        content={},
        assessment=None,
        lane_selection={"lane": "yellow", **selection},
        advice=[
            {
                "pointer": "/items/0/commodity_code",
                "code": "commodity_code_unlikely",
                "message": "unlikely",
                "risk_signal": signal,
                "details": {"risk": SECRET, "suggested_hs6": ["640399"]},
            }
        ],
        created_at=now,
        created_by=1,
    )
    filer = DeclarationRead.of(d, v, customs=False).model_dump_json()
    assert SECRET not in filer and "risk_signal" not in filer and "watchlist" not in filer
    assert SECRET in DeclarationRead.of(d, v, customs=True).model_dump_json()
