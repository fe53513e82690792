"""Amend, cancel, officer decisions, payment, release and the events through the API."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import func, select

from clearway.declaration.lifecycle import Lane
from clearway.declaration.models import DeclarationVersion, InspectionResult
from clearway.declaration.steps import FilingSteps
from tests.documents import daehan_declaration, import_declaration
from tests.steps import FixedLane

URL = "/api/v1/declarations"


@pytest.fixture
def lanes() -> FixedLane:
    return FixedLane()


@pytest.fixture
def steps(lanes: FixedLane) -> FilingSteps:
    return FilingSteps(lane_selector=lanes)


def _file(client, auth, reference="L-1", user="trader"):  # type: ignore[no-untyped-def]
    document = daehan_declaration(reference) if user == "trader2" else import_declaration(reference)
    response = client.post(URL, json=document, headers=auth(user))
    assert response.status_code == 201, response.text
    return response.json()


def test_red_lane_inspection_then_acceptance_payment_and_release(client, auth, lanes, clock):
    lanes.lane = Lane.RED
    d = _file(client, auth)
    assert d["status"] == "under_inspection" and d["lane"] == "red"
    clock.advance(hours=3)
    decision = {
        "decision": "inspection_result",
        "reason": "opened 3 cartons",
        "finding": {
            "finding": "irregularity",
            "description": "undervalued by 20%",
            "additional_duty_krw": "450000",
            "critical": False,
        },
    }
    r = client.post(f"{URL}/{d['id']}/decision", json=decision, headers=auth("officer"))
    assert r.status_code == 200, r.text
    assert r.json()["total_due_krw"] == "450000.0000" or r.json()["total_due_krw"] in (
        "450000",
        "450000.0000",
    )
    clock.advance(minutes=30)
    assert (
        client.post(f"{URL}/{d['id']}/decision", json={"decision": "accept"}, headers=auth("officer")).json()[
            "status"
        ]
        == "accepted"
    )
    wrong = client.post(
        f"{URL}/{d['id']}/payment-order/pay", json={"amount_krw": "1000"}, headers=auth("trader")
    )
    assert wrong.status_code == 200 and wrong.json()["applied"] is False
    assert client.get(f"{URL}/{d['id']}", headers=auth("trader")).json()["status"] == "accepted"
    clock.advance(hours=1)
    paid = client.post(f"{URL}/{d['id']}/payment-order/pay", headers=auth("trader"))
    assert paid.status_code == 200 and paid.json()["applied"] is True
    assert client.get(f"{URL}/{d['id']}", headers=auth("trader")).json()["status"] == "paid"
    clock.advance(hours=2)
    released = client.post(f"{URL}/{d['id']}/release", headers=auth("officer")).json()
    assert released["status"] == "released"
    full = client.get(f"{URL}/{d['id']}", headers=auth("trader")).json()
    stages = {s["stage"]: s["seconds"] for s in full["release_times"]}
    assert stages["acceptance_to_payment"] == 3600
    assert stages["payment_to_release"] == 7200
    events = client.get(f"{URL}/{d['id']}/events", headers=auth("trader")).json()
    assert [e["action"] for e in events] == [
        "file",
        "assess",
        "assign_lane",
        "start_inspection",
        "record_inspection_result",
        "accept",
        "pay",
        "release",
    ]
    assert all(b["prev_hash"] == a["hash"] for a, b in itertools.pairwise(events) if b["seq"] == a["seq"] + 1)
    # The filer sees the outcome and the duty, not the officer's name, internal note or description.
    assert events[4]["actor"] == "customs" and events[4]["data"]["finding"] == "irregularity"
    assert events[4]["reason"] is None and "description" not in events[4]["data"]
    assert events[6]["actor"] == "bank"
    officer_view = client.get(f"{URL}/{d['id']}/events", headers=auth("officer")).json()
    assert officer_view[4]["actor"] == "officer" and officer_view[4]["reason"] == "opened 3 cartons"


def test_inspection_results_are_stored_for_risk_learning(client, auth, lanes, runtime):
    lanes.lane = Lane.YELLOW
    d = _file(client, auth)
    assert d["status"] == "under_document_check"
    client.post(
        f"{URL}/{d['id']}/decision",
        json={"decision": "inspection_result", "finding": {"finding": "no_irregularity"}},
        headers=auth("officer"),
    )
    with runtime.sessions() as session:
        row = session.scalar(select(InspectionResult))
        assert (row.declaration_id, row.stage, row.finding, row.critical) == (
            d["id"],
            "document_check",
            "no_irregularity",
            False,
        )


def test_decisions_need_an_officer_and_reasons(client, auth, lanes):
    lanes.lane = Lane.YELLOW
    d = _file(client, auth)
    assert (
        client.post(
            f"{URL}/{d['id']}/decision", json={"decision": "accept"}, headers=auth("trader")
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"{URL}/{d['id']}/decision", json={"decision": "accept"}, headers=auth("analyst")
        ).status_code
        == 403
    )
    r = client.post(f"{URL}/{d['id']}/decision", json={"decision": "reject"}, headers=auth("officer"))
    assert r.status_code == 422 and r.json()["errors"][0]["pointer"] == "/reason"
    r = client.post(
        f"{URL}/{d['id']}/decision",
        json={"decision": "inspection_result", "finding": {"finding": "irregularity"}},
        headers=auth("officer"),
    )
    assert r.status_code == 422 and r.json()["errors"][0]["pointer"] == "/finding/description"
    r = client.post(
        f"{URL}/{d['id']}/decision",
        json={"decision": "request_documents", "reason": "send the sales contract"},
        headers=auth("officer"),
    )
    assert r.status_code == 422 and r.json()["errors"][0]["pointer"] == "/message"
    r = client.post(
        f"{URL}/{d['id']}/decision",
        json={"decision": "request_documents", "reason": "price looks low", "message": "send the contract"},
        headers=auth("officer"),
    )
    assert r.status_code == 200 and r.json()["status"] == "awaiting_documents"
    r = client.post(
        f"{URL}/{d['id']}/decision",
        json={"decision": "reject", "reason": "invoice forged", "message": "the invoice is not accepted"},
        headers=auth("officer"),
    )
    assert r.json()["status"] == "rejected"
    again = client.post(f"{URL}/{d['id']}/decision", json={"decision": "accept"}, headers=auth("officer"))
    assert again.status_code == 409 and again.json()["type"].endswith("/illegal-transition")


def test_amendment_creates_a_new_version_and_keeps_the_old(client, auth, runtime):
    d = _file(client, auth, "AM-1")
    corrected = import_declaration("AM-1", items__0__quantity="120")
    r = client.post(
        f"{URL}/{d['id']}/amend",
        json={"reason": "quantity corrected", "declaration": corrected, "base_version": 1},
        headers=auth("trader"),
    )
    assert r.status_code == 200, r.text
    assert r.json()["version"] == 2 and r.json()["content"]["items"][0]["quantity"] == "120"
    old = client.get(f"{URL}/{d['id']}?version=1", headers=auth("trader")).json()
    assert old["status"] == "amended" and old["content"]["items"][0]["quantity"] == "100"
    full = client.get(f"{URL}/{d['id']}", headers=auth("trader")).json()
    assert [(v["version"], v["status"]) for v in full["versions"]] == [(1, "amended"), (2, "accepted")]


def test_amending_a_released_declaration_is_refused_and_changes_nothing(client, auth, runtime, lanes):
    d = _file(client, auth, "AM-2")
    assert client.post(f"{URL}/{d['id']}/payment-order/pay", headers=auth("trader")).json()["applied"]
    assert client.post(f"{URL}/{d['id']}/release", headers=auth("officer")).json()["status"] == "released"
    r = client.post(
        f"{URL}/{d['id']}/amend",
        headers=auth("trader"),
        json={
            "reason": "too late",
            "base_version": 1,
            "declaration": import_declaration("AM-2", items__0__quantity="5"),
        },
    )
    assert r.status_code == 409
    assert "released" in r.json()["detail"]
    with runtime.sessions() as session:
        assert session.scalar(select(func.count(DeclarationVersion.id))) == 1


def test_amendment_keeps_the_reference_and_validates(client, auth):
    d = _file(client, auth, "AM-3")
    r = client.post(
        f"{URL}/{d['id']}/amend",
        json={"reason": "oops", "base_version": 1, "declaration": import_declaration("OTHER")},
        headers=auth("trader"),
    )
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "must_not_change"
    r = client.post(
        f"{URL}/{d['id']}/amend",
        headers=auth("trader"),
        json={
            "reason": "oops",
            "base_version": 1,
            "declaration": import_declaration("AM-3", items__0__currency="XYZ"),
        },
    )
    assert r.status_code == 422 and r.json()["errors"][0]["pointer"] == "/items/0/currency"


def test_cancel_needs_a_reason_and_after_selection_an_officers_approval(client, auth, lanes):
    d = _file(client, auth, "CX-1")
    assert d["status"] == "accepted"
    late = client.post(f"{URL}/{d['id']}/cancel", json={"reason": "too late"}, headers=auth("trader"))
    assert late.status_code == 409  # accepted: withdrawal is over
    lanes.lane = Lane.YELLOW
    d = _file(client, auth, "CX-2")
    assert client.post(f"{URL}/{d['id']}/cancel", json={}, headers=auth("trader")).status_code == 422
    r = client.post(f"{URL}/{d['id']}/cancel", json={"reason": "shipment returned"}, headers=auth("trader"))
    assert r.status_code == 202 and r.json()["status"] == "under_document_check"
    assert r.json()["change_requests"][0]["status"] == "pending"
    r = client.post(
        f"{URL}/{d['id']}/request-decision",
        json={"grant": True, "message": "withdrawal approved", "reason": "goods re-exported, checked B/L"},
        headers=auth("officer"),
    )
    assert r.json()["status"] == "cancelled" and r.json()["allowed_actions"] == []
    seen = client.get(f"{URL}/{d['id']}", headers=auth("trader")).json()["change_requests"][0]
    assert (
        seen["status"] == "granted"
        and seen["message"] == "withdrawal approved"
        and "internal_note" not in seen
    )


def test_release_times_by_stage_over_declarations(client, auth, lanes, clock):
    lanes.lane = Lane.YELLOW
    for reference, trader in (("TRS-1", "trader"), ("TRS-2", "trader2")):
        d = _file(client, auth, reference, user=trader)
        clock.advance(hours=2)
        client.post(f"{URL}/{d['id']}/decision", json={"decision": "accept"}, headers=auth("officer"))
    study = client.get("/api/v1/statistics/release-times", headers=auth("officer")).json()
    assert study["declarations"] == 2
    stages = {s["stage"]: s for s in study["stages"]}
    assert stages["lane_to_acceptance"]["declarations"] == 2
    assert stages["lane_to_acceptance"]["median_hours"] == 2.0
    assert set(study["by_lane"]) == {"yellow"}
    own = client.get("/api/v1/statistics/release-times", headers=auth("trader")).json()
    assert own["declarations"] == 1  # a trader studies only its own company's declarations
    bad = client.get("/api/v1/statistics/release-times", params={"filed_from": "0"}, headers=auth("officer"))
    assert bad.status_code == 422
