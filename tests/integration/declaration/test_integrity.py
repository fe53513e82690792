"""Issue 21, each defect reproduced through the API, and now refused or hidden."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from clearway.declaration.lifecycle import Lane
from clearway.declaration.models import Declaration
from clearway.declaration.steps import FilingSteps, LaneSelection, LaneSelector
from clearway.messaging.bus import Message
from clearway.messaging.webhooks import notification
from clearway.payment.core import Confirmation, callback_secret, sign
from tests.documents import import_declaration

URL = "/api/v1/declarations"
WATCH_REASON = "seller PT Sepatu Nusantara is on watchlist demo-repeat-findings"


class WatchlistLane(LaneSelector):
    """Selects like the watchlist does: a method and reasons that must never reach the filer. The seller's name
    decides, as a watchlist would (so an amendment renaming the seller would go green without the floor)."""

    def __init__(self) -> None:
        self.lane = Lane.YELLOW

    def select(self, session, content, context, assessment, advice):  # type: ignore[no-untyped-def]
        if content.seller and "Indonesia" in content.seller.name:
            return LaneSelection(Lane.GREEN, "risk:none", False, [], 0.01)
        return LaneSelection(
            self.lane,
            "risk:watchlist",
            False,
            [
                {"kind": "watchlist", "watchlist": "demo-repeat-findings", "message": WATCH_REASON},
                {
                    "kind": "model",
                    "score": 0.91,
                    "top_features": [{"label": "seller history"}],
                    "thresholds": {"red": 0.9, "yellow": 0.5},
                    "message": "risk score 0.910 (red: above 0.9)",
                },
            ],
            0.91,
        )


@pytest.fixture
def lanes() -> WatchlistLane:
    return WatchlistLane()


@pytest.fixture
def steps(lanes: WatchlistLane) -> FilingSteps:
    return FilingSteps(lane_selector=lanes)


def _file(client, auth, reference, user="trader", **overrides):  # type: ignore[no-untyped-def]
    document = import_declaration(
        reference,
        seller={"name": "PT Sepatu Nusantara", "address": "Tangerang", "country": "ID"},
        **overrides,
    )
    r = client.post(URL, json=document, headers=auth(user))
    assert r.status_code == 201, r.text
    return r.json()


def _decide(client, auth, d, **body):  # type: ignore[no-untyped-def]
    return client.post(f"{URL}/{d['id']}/decision", json=body, headers=auth("officer"))


# ---- 1. risk reasons and the officer's note disclosed to filers -------------------------------------------------
def test_the_filer_never_sees_the_selection_method_reasons_or_internal_notes(client, auth):
    d = _file(client, auth, "DIS-1")
    assert d["lane"] == "yellow" and d["lane_selection"] == {"lane": "yellow", "placeholder": False}
    r = _decide(
        client,
        auth,
        d,
        decision="request_documents",
        reason="seller on watchlist, price 40% low",
        message="Please send the sales contract and proof of payment.",
    )
    assert r.status_code == 200 and r.json()["status"] == "awaiting_documents"
    for user in ("trader",):
        body = json.dumps(
            [
                client.get(f"{URL}/{d['id']}", headers=auth(user)).json(),
                client.get(f"{URL}/{d['id']}/events", headers=auth(user)).json(),
            ]
        )
        for secret in (
            "watchlist",
            "demo-repeat-findings",
            "0.91",
            "price 40% low",
            "top_features",
            "officer",
        ):
            assert secret not in body, secret
        assert "Please send the sales contract" in body
    officer = json.dumps(
        [
            client.get(f"{URL}/{d['id']}", headers=auth("officer")).json(),
            client.get(f"{URL}/{d['id']}/events", headers=auth("officer")).json(),
        ]
    )
    assert "risk:watchlist" in officer and WATCH_REASON in officer and "price 40% low" in officer


def test_webhook_payloads_follow_the_same_policy(client, auth, runtime):
    d = _file(client, auth, "DIS-2")
    events = client.get(f"{URL}/{d['id']}/events", headers=auth("officer")).json()
    with runtime.sessions() as session:
        declaration = session.get(Declaration, d["id"])
        for e in events:
            payload = {
                "seq": e["seq"],
                "occurred_at": e["occurred_at"],
                "actor": e["actor"],
                "action": e["action"],
                "reason": e["reason"],
                "data": e["data"],
                "subject_type": "declaration",
                "subject_id": str(d["id"]),
            }
            sent = json.dumps(
                notification(
                    Message(f"clearway.declaration.{e['action']}", "k", payload),
                    declaration.id,
                    declaration.declarant_reference,
                )
            )
            assert "watchlist" not in sent and "0.91" not in sent


# ---- 2. inspection evasion by amendment; withdrawal during a check ---------------------------------------------
def test_amending_under_a_check_is_a_request_and_cannot_lower_the_lane(client, auth):
    d = _file(client, auth, "EVA-1")
    renamed = import_declaration(
        "EVA-1", seller={"name": "P.T. Sepatu Nusantara Indonesia", "address": "Tangerang", "country": "ID"}
    )
    r = client.post(
        f"{URL}/{d['id']}/amend",
        json={"reason": "seller name corrected", "declaration": renamed, "base_version": 1},
        headers=auth("trader"),
    )
    assert r.status_code == 202, r.text
    assert (r.json()["version"], r.json()["status"], r.json()["lane"]) == (
        1,
        "under_document_check",
        "yellow",
    )
    assert r.json()["change_requests"][0]["status"] == "pending"
    # While the request waits, the officer cannot accept it past the question.
    assert _decide(client, auth, d, decision="accept").status_code == 409
    granted = client.post(
        f"{URL}/{d['id']}/request-decision",
        headers=auth("officer"),
        json={
            "grant": True,
            "message": "amendment approved",
            "reason": "name change looks like evasion; keep checking",
        },
    )
    assert granted.status_code == 200, granted.text
    new = client.get(f"{URL}/{d['id']}", headers=auth("officer")).json()
    # The selector would give the renamed seller green; the floor keeps the yellow an officer has seen.
    assert (new["version"], new["lane"], new["status"]) == (2, "yellow", "under_document_check")
    assert any(r["kind"] == "floor" for r in new["lane_selection"]["reasons"])
    trader_view = json.dumps(client.get(f"{URL}/{d['id']}", headers=auth("trader")).json())
    assert "looks like evasion" not in trader_view and "amendment approved" in trader_view


def test_a_refused_request_changes_nothing_but_tells_the_filer_why(client, auth):
    d = _file(client, auth, "EVA-2")
    r = client.post(f"{URL}/{d['id']}/cancel", json={"reason": "buyer cancelled"}, headers=auth("trader"))
    assert r.status_code == 202 and r.json()["status"] == "under_document_check"
    again = client.post(f"{URL}/{d['id']}/cancel", json={"reason": "please"}, headers=auth("trader"))
    assert again.status_code == 409  # one request at a time
    refused = client.post(
        f"{URL}/{d['id']}/request-decision",
        headers=auth("officer"),
        json={"grant": False, "message": "goods are under examination; withdrawal is not possible now"},
    )
    assert refused.json()["status"] == "under_document_check" and refused.json()["version"] == 1
    assert refused.json()["change_requests"][0]["status"] == "refused"
    assert (
        client.post(
            f"{URL}/{d['id']}/request-decision",
            headers=auth("trader"),
            json={"grant": True, "message": "self-approved"},
        ).status_code
        == 403
    )


# ---- 3. acceptance without the check -------------------------------------------------------------------------
def test_red_needs_an_inspection_result_and_escalation_makes_the_lane_red(client, auth):
    d = _file(client, auth, "CHK-1")
    r = _decide(client, auth, d, decision="inspect", reason="smell of undervaluation")
    assert (r.json()["status"], r.json()["lane"]) == ("under_inspection", "red")
    refused = _decide(client, auth, d, decision="accept")
    assert refused.status_code == 409 and "inspection result" in refused.json()["detail"]
    _decide(client, auth, d, decision="inspection_result", finding={"finding": "no_irregularity"})
    assert _decide(client, auth, d, decision="accept").json()["status"] == "accepted"


def test_documents_requested_must_arrive_or_be_overridden_with_a_reason(client, auth, runtime):
    d = _file(client, auth, "CHK-2")
    _decide(
        client,
        auth,
        d,
        decision="request_documents",
        reason="check price",
        message="send the contract",
        deadline_days=5,
    )
    assert _decide(client, auth, d, decision="accept").status_code == 409
    no_reason = _decide(client, auth, d, decision="accept", override=True)
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["pointer"] == "/reason"
    bad = client.post(
        f"{URL}/{d['id']}/documents",
        headers=auth("trader"),
        data={"reply": "here"},
        files=[("files", ("contract.pdf", b"MZ\x90\x00not a pdf", "application/pdf"))],
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["code"] == "unsupported_type"
    ok = client.post(
        f"{URL}/{d['id']}/documents",
        headers=auth("trader"),
        data={"reply": "contract attached"},
        files=[("files", ("contract.pdf", b"%PDF-1.7 contract", "application/pdf"))],
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["status"] == "under_document_check"
    request = ok.json()["document_requests"][0]
    assert request["reply"] == "contract attached" and "internal_note" not in request
    link = request["attachments"][0]["url"]
    assert client.get(link, headers=auth("officer")).content == b"%PDF-1.7 contract"
    assert client.get(link, headers=auth("trader")).status_code == 200
    assert client.get(link, headers=auth("trader2")).status_code == 404  # another company: not there
    assert _decide(client, auth, d, decision="accept").json()["status"] == "accepted"


def test_the_officer_may_override_missing_documents_with_a_reason(client, auth):
    d = _file(client, auth, "CHK-3")
    _decide(client, auth, d, decision="request_documents", reason="x", message="send the contract")
    r = _decide(client, auth, d, decision="accept", override=True, reason="contract seen at the port office")
    assert r.status_code == 200 and r.json()["status"] == "accepted"


# ---- 4. payment is self-attested ----------------------------------------------------------------------------
def test_a_typed_payment_no_longer_pays_only_the_banks_signed_confirmation_does(
    client, auth, runtime, lanes, clock
):
    lanes.lane = Lane.YELLOW
    d = _file(client, auth, "PAY-1")
    _decide(client, auth, d, decision="accept")
    typed = client.post(
        f"{URL}/{d['id']}/payment", json={"amount_krw": "0", "reference": "I-PAID"}, headers=auth("trader")
    )
    assert typed.status_code == 200 and typed.json()["status"] == "open"
    assert client.post(f"{URL}/{d['id']}/release", headers=auth("officer")).status_code == 409
    order = client.get(f"{URL}/{d['id']}/payment-order", headers=auth("trader")).json()
    number, amount = order["payment_number"], order["amount_krw"]
    secret = callback_secret(runtime.settings.secret_key)
    forged = Confirmation(number, Decimal(amount), "BANK-1", datetime.now(UTC).isoformat())
    bad = client.post(
        "/api/v1/payments/callback",
        json=forged.as_dict(),
        headers={"X-Clearway-Signature": sign(callback_secret("guessed"), forged)},
    )
    assert bad.status_code == 401
    short = Confirmation(number, forged.amount_krw + 1, "BANK-2", forged.paid_at)
    r = client.post(
        "/api/v1/payments/callback",
        json=short.as_dict(),
        headers={"X-Clearway-Signature": sign(secret, short)},
    )
    assert r.status_code == 200 and r.json()["applied"] is False
    assert client.get(f"{URL}/{d['id']}", headers=auth("trader")).json()["status"] == "accepted"
    r = client.post(
        "/api/v1/payments/callback",
        json=forged.as_dict(),
        headers={"X-Clearway-Signature": sign(secret, forged)},
    )
    assert r.json()["applied"] is True
    assert client.get(f"{URL}/{d['id']}", headers=auth("trader")).json()["status"] == "paid"
    repeat = client.post(
        "/api/v1/payments/callback",
        json=forged.as_dict(),
        headers={"X-Clearway-Signature": sign(secret, forged)},
    )
    assert repeat.status_code == 200 and repeat.json()["message"] == "already received"
    assert client.post(f"{URL}/{d['id']}/release", headers=auth("officer")).json()["status"] == "released"
    day = order["issued_on"]
    report = client.get(
        "/api/v1/payments/reconciliation", params={"day": day}, headers=auth("officer")
    ).json()
    assert report["report"]["matched"] == [number]
    assert (
        client.get("/api/v1/payments/reconciliation", params={"day": day}, headers=auth("trader")).status_code
        == 403
    )


@pytest.mark.slow  # runs the CLI as processes
def test_reconciliation_from_the_command_line(client, auth, runtime, lanes, tmp_path):
    lanes.lane = Lane.YELLOW
    d = _file(client, auth, "PAY-2")
    _decide(client, auth, d, decision="accept")
    order = client.get(f"{URL}/{d['id']}/payment-order", headers=auth("trader")).json()
    env = {
        "CLEARWAY_HOME": str(tmp_path),
        "CLEARWAY_DATABASE_URL": runtime.settings.resolved_database_url,
        "PYTHONPATH": str(Path(__file__).resolve().parents[3] / "src"),
    }
    command = [
        sys.executable,
        "-m",
        "clearway.cli.main",
        "payment",
        "reconcile",
        "--day",
        order["issued_on"],
        "--json",
    ]
    unpaid = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert unpaid.returncode == 1 and json.loads(unpaid.stdout)["unpaid"] == [order["payment_number"]]
    client.post(f"{URL}/{d['id']}/payment-order/pay", headers=auth("trader"))
    paid = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert paid.returncode == 0, paid.stderr
    assert json.loads(paid.stdout)["matched"] == [order["payment_number"]]


# ---- 7. the officer's queue loses work --------------------------------------------------------------------------
def test_the_queue_holds_every_declaration_that_needs_an_officer(client, auth, lanes):
    checked = _file(client, auth, "Q-1")
    awaiting = _file(
        client,
        auth,
        "Q-2",
        consignment={**import_declaration()["consignment"], "transport_document": "MAEU99887766"},
    )
    _decide(client, auth, awaiting, decision="request_documents", reason="x", message="send the B/L")
    paid = _file(client, auth, "Q-3")
    _decide(client, auth, paid, decision="accept")
    client.post(f"{URL}/{paid['id']}/payment-order/pay", headers=auth("trader"))
    requested = _file(client, auth, "Q-4")
    client.post(f"{URL}/{requested['id']}/cancel", json={"reason": "not needed"}, headers=auth("trader"))
    queue = client.get("/api/v1/officer/queue", headers=auth("officer")).json()
    stages = {i["declaration"]["id"]: (i["stage"], i["request"]) for i in queue["items"]}
    assert stages == {
        checked["id"]: ("document_check", None),
        awaiting["id"]: ("awaiting_documents", None),
        paid["id"]: ("release", None),
        requested["id"]: ("document_check", "cancel"),
    }
    item = next(i for i in queue["items"] if i["declaration"]["id"] == awaiting["id"])
    assert item["deadline"] and WATCH_REASON in item["reasons"]
    by_bl = client.get(
        "/api/v1/officer/queue", params={"transport_document": "MAEU9988"}, headers=auth("officer")
    ).json()
    assert [i["declaration"]["id"] for i in by_bl["items"]] == [awaiting["id"]]
    number = checked["number"]
    assert [
        i["declaration"]["id"]
        for i in client.get(
            "/api/v1/officer/queue", params={"number": number}, headers=auth("officer")
        ).json()["items"]
    ] == [checked["id"]]
    assert (
        client.get("/api/v1/officer/queue", params={"hs": "8471"}, headers=auth("officer")).json()["total"]
        == 4
    )
    assert (
        client.get("/api/v1/officer/queue", params={"hs": "6403"}, headers=auth("officer")).json()["total"]
        == 0
    )
    assert client.get("/api/v1/officer/queue", headers=auth("trader")).status_code == 403
    take = client.post(f"{URL}/{checked['id']}/assignment", json={"take": True}, headers=auth("officer"))
    assert take.status_code == 200
    assert client.get(f"{URL}/{checked['id']}", headers=auth("officer")).json()["assignee"] == "officer"
    assert client.get(f"{URL}/{checked['id']}", headers=auth("trader")).json()["assignee"] is None
    mine = client.get("/api/v1/officer/queue", params={"mine": True}, headers=auth("officer")).json()
    assert [i["assignee"] for i in mine["items"]] == ["officer"]
    trader_events = client.get(f"{URL}/{checked['id']}/events", headers=auth("trader")).json()
    assert "assign" not in [e["action"] for e in trader_events]
    client.post(f"{URL}/{checked['id']}/assignment", json={"take": False}, headers=auth("officer"))
    assert (
        client.get("/api/v1/officer/queue", params={"mine": True}, headers=auth("officer")).json()["total"]
        == 0
    )


def test_escalation_shows_red_in_the_queue(client, auth, runtime):
    d = _file(client, auth, "Q-5")
    _decide(client, auth, d, decision="inspect", reason="x")
    item = client.get("/api/v1/officer/queue", params={"stage": "inspection"}, headers=auth("officer")).json()
    assert [(i["declaration"]["id"], i["declaration"]["lane"]) for i in item["items"]] == [(d["id"], "red")]
    with runtime.sessions() as session:
        assert session.scalar(select(Declaration.lane).where(Declaration.id == d["id"])) == "red"
