"""An import declaration whose bill is on no manifest is filed and held with a clear reason; the manifest that
carries the bill lifts the hold, the declaration is matched and goes on (accepted, paid, released)."""

from __future__ import annotations

import re

import pytest

from clearway.cargo.step import ManifestHold
from clearway.declaration.lifecycle import Lane
from clearway.declaration.steps import FilingSteps
from clearway.demo.parties import USERS
from tests.documents import import_declaration
from tests.integration.cargo.manifests import house, manifest
from tests.steps import FixedLane

CARGO = "/api/v1/cargo"
DECL = "/api/v1/declarations"


@pytest.fixture
def lanes() -> FixedLane:
    return FixedLane()


@pytest.fixture
def steps(lanes: FixedLane) -> FilingSteps:
    return FilingSteps(lane_selector=lanes, hold_checks=(ManifestHold(),))


def _events(client, auth, declaration_id, user="officer"):  # type: ignore[no-untyped-def]
    r = client.get(f"{DECL}/{declaration_id}/events", headers=auth(user))
    assert r.status_code == 200, r.text
    return r.json()


def test_held_until_the_manifest_then_matched_accepted_and_released(client, auth):  # type: ignore[no-untyped-def]
    filed = client.post(
        DECL,
        json=import_declaration("HOLD-1", consignment__transport_document="HDMU55550001"),
        headers=auth("trader"),
    )
    assert filed.status_code == 201, filed.text
    d = filed.json()
    # filed and kept, in its (green) lane, but not accepted: held with a coded reason naming the bill
    assert d["status"] == "lane_assigned" and d["lane"] == "green" and d["held"]
    [hold] = d["holds"]
    assert hold["code"] == "bill_not_on_manifest" and hold["bill"] == "HDMU55550001" and hold["standing"]
    assert "B/L HDMU55550001 is on no manifest yet" in hold["reason"]
    assert "B/L HDMU55550001" in hold["reason_ko"] and "적하목록" in hold["reason_ko"]
    # the trader reads the same reason, and the event trail shows the hold
    mine = client.get(f"{DECL}/{d['id']}", headers=auth("trader")).json()
    assert mine["held"] and mine["holds"][0]["reason"] == hold["reason"]
    placed = [e for e in _events(client, auth, d["id"], "trader") if e["action"] == "place_hold"]
    assert len(placed) == 1 and "on no manifest" in placed[0]["reason"]
    # while the hold stands the declaration cannot be accepted, not even by an officer
    refused = client.post(f"{DECL}/{d['id']}/decision", json={"decision": "accept"}, headers=auth("officer"))
    assert refused.status_code == 409 and "on hold" in refused.json()["detail"]

    # the carrier's manifest arrives with the bill: the hold is lifted, the declaration matched and accepted
    m = client.post(
        f"{CARGO}/manifests",
        json=manifest("HOLD-M1", houses=[house("HDMU55550001")]),
        headers=auth("carrier"),
    )
    assert m.status_code == 201, m.text
    d = client.get(f"{DECL}/{d['id']}", headers=auth("trader")).json()
    assert not d["held"] and d["holds"][0]["lifted_at"] is not None and not d["holds"][0]["standing"]
    assert d["status"] in ("accepted", "paid") and d["lane"] == "green"
    actions = [e["action"] for e in _events(client, auth, d["id"])]
    assert actions.index("place_hold") < actions.index("lift_hold") < actions.index("accept")
    lifted = next(e for e in _events(client, auth, d["id"]) if e["action"] == "lift_hold")
    assert m.json()["mrn"] in lifted["reason"] and lifted["data"]["bill"] == "HDMU55550001"
    match = client.get(f"{CARGO}/declarations/{d['id']}/match", headers=auth("officer")).json()
    assert match["on_manifest"] and match["matched"]
    while d["status"] != "released":
        if d["status"] == "accepted":
            paid = client.post(f"{DECL}/{d['id']}/payment-order/pay", headers=auth("trader"))
            assert paid.status_code == 200, paid.text
            d = client.get(f"{DECL}/{d['id']}", headers=auth("trader")).json()
        elif d["status"] == "paid":
            released = client.post(f"{DECL}/{d['id']}/release", headers=auth("officer"))
            assert released.status_code == 200, released.text
            d = released.json()
        else:
            pytest.fail(f"unexpected status {d['status']}")


def test_a_mismatch_found_when_the_hold_is_lifted_goes_to_the_document_check(client, auth):  # type: ignore[no-untyped-def]
    d = client.post(
        DECL,
        json=import_declaration("HOLD-2", consignment__transport_document="HDMU55550002"),
        headers=auth("trader"),
    ).json()
    assert d["held"] and d["status"] == "lane_assigned"
    other = house(
        "HDMU55550002",
        gross_weight_kg="5000",
        consignee={"name": "Other Importer Co.", "country": "KR"},
    )
    first = manifest("HOLD-M2", houses=[house("HDMU55559999")])
    created = client.post(f"{CARGO}/manifests", json=first, headers=auth("carrier")).json()
    assert client.get(f"{DECL}/{d['id']}", headers=auth("trader")).json()["held"]  # another bill: still held
    # the manifest amended to add the bill: lifted, and the checks run as at filing
    amended = client.put(
        f"{CARGO}/manifests/{created['id']}",
        json=manifest("HOLD-M2", houses=[house("HDMU55559999"), other]),
        headers=auth("carrier"),
    )
    assert amended.status_code == 200, amended.text
    officer = client.get(f"{DECL}/{d['id']}", headers=auth("officer")).json()
    assert not officer["held"]
    assert officer["status"] == "under_document_check" and officer["lane"] == "yellow"
    codes = {r["code"] for r in officer["lane_selection"]["reasons"] if r.get("kind") == "manifest"}
    assert {"weight_under_manifest", "consignee_not_importer"} <= codes


def test_a_yellow_declaration_is_checked_while_held_but_accepted_only_after(client, auth, lanes):  # type: ignore[no-untyped-def]
    lanes.lane = Lane.YELLOW
    d = client.post(
        DECL,
        json=import_declaration("HOLD-3", consignment__transport_document="HDMUSHA0003"),
        headers=auth("trader"),
    ).json()
    assert d["held"] and d["status"] == "under_document_check" and d["lane"] == "yellow"
    refused = client.post(f"{DECL}/{d['id']}/decision", json={"decision": "accept"}, headers=auth("officer"))
    assert refused.status_code == 409
    # the declaration named the master bill: a manifest carrying it as master bill lifts the hold
    m = manifest("HOLD-M3", houses=[house("HDMU55550003")])
    m["masters"][0]["master_bill"] = "HDMUSHA0003"
    assert client.post(f"{CARGO}/manifests", json=m, headers=auth("carrier")).status_code == 201
    d = client.get(f"{DECL}/{d['id']}", headers=auth("officer")).json()
    assert not d["held"] and d["status"] == "under_document_check"  # the officer decides now
    accepted = client.post(f"{DECL}/{d['id']}/decision", json={"decision": "accept"}, headers=auth("officer"))
    assert accepted.status_code == 200, accepted.text


def test_not_held_exports_postal_imports_and_bills_on_a_manifest(client, auth):  # type: ignore[no-untyped-def]
    assert (
        client.post(
            f"{CARGO}/manifests",
            json=manifest("HOLD-M4", houses=[house("HDMU55550004")]),
            headers=auth("carrier"),
        ).status_code
        == 201
    )
    on_manifest = client.post(
        DECL,
        json=import_declaration("HOLD-4", consignment__transport_document="HDMU55550004"),
        headers=auth("trader"),
    ).json()
    assert (
        not on_manifest["held"]
        and on_manifest["holds"] == []
        and on_manifest["status"] in ("accepted", "paid")
    )
    postal = client.post(
        DECL,
        json=import_declaration(
            "HOLD-5", consignment__transport_document="RR123456785KR", consignment__transport_mode="post"
        ),
        headers=auth("trader"),
    ).json()
    assert not postal["held"] and postal["status"] in ("accepted", "paid")
    document = import_declaration("HOLD-6", kind="export", importer=...)
    document["exporter"], document["seller"] = document["declarant"], document["declarant"]
    document["buyer"] = {"name": "Pacific Rim Imports LLC", "country": "US"}
    document["consignment"]["transport_document"] = "HDMU55550006"
    export = client.post(DECL, json=document, headers=auth("trader"))
    assert export.status_code == 201, export.text
    assert not export.json()["held"]


def as_user(client, username: str) -> None:  # type: ignore[no-untyped-def]
    """Sign in to the pages (the login form with its CSRF token), as the demo user."""
    client.cookies.clear()
    form = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token is not None
    password = next(u.password for u in USERS if u.username == username)
    done = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token.group(1)},
        follow_redirects=False,
    )
    assert done.status_code in (302, 303), done.text[:300]


def test_the_pages_show_the_hold_and_its_reason_in_korean_and_english(client, auth):  # type: ignore[no-untyped-def]
    d = client.post(
        DECL,
        json=import_declaration("HOLD-7", consignment__transport_document="HDMU55550007"),
        headers=auth("trader"),
    ).json()
    as_user(client, "trader")
    english = client.get(f"/declarations/{d['id']}?lang=en")
    assert english.status_code == 200, english.text[:500]
    assert 'id="holds"' in english.text and "the bill B/L HDMU55550007 is on no manifest yet" in english.text
    korean = client.get(f"/declarations/{d['id']}?lang=ko")
    assert "B/L HDMU55550007이(가) 아직 적하목록에 없습니다" in korean.text
    as_user(client, "officer")
    officer = client.get(f"/declarations/{d['id']}?lang=en").text
    assert 'value="accept"' not in officer  # no acceptance offered while the hold stands
    listed = client.get("/cargo/undeclared?lang=en").text
    assert 'data-bill="HDMU55550007"' in listed
    m = client.post(
        f"{CARGO}/manifests",
        json=manifest("HOLD-M7", houses=[house("HDMU55550007")]),
        headers=auth("carrier"),
    ).json()
    assert 'data-bill="HDMU55550007"' not in client.get("/cargo/undeclared").text
    bill = client.get(f"/cargo/bills/{m['bills'][0]['ccn']}?lang=en").text
    assert "a manifest now carries the bill B/L HDMU55550007: the hold is lifted" in bill
    as_user(client, "trader")
    page = client.get(f"/declarations/{d['id']}?lang=ko").text
    assert "B/L HDMU55550007이(가) 적하목록에 실려 보류가 해제되었습니다" in page


def test_a_batch_holds_each_declaration_whose_bill_no_manifest_carries(client, auth):  # type: ignore[no-untyped-def]
    assert (
        client.post(
            f"{CARGO}/manifests",
            json=manifest("HOLD-M8", houses=[house("HDMU55550008")]),
            headers=auth("carrier"),
        ).status_code
        == 201
    )
    documents = [
        import_declaration(f"HOLD-B{i}", consignment__transport_document=bill)
        for i, bill in enumerate(("HDMU55550008", "HDMU55550009", "HDMU55550010"))
    ]
    response = client.post(f"{DECL}:batch", json={"declarations": documents}, headers=auth("trader"))
    assert response.status_code == 200, response.text
    ids = [r["declaration"]["id"] for r in response.json()["results"]]
    read = [client.get(f"{DECL}/{i}", headers=auth("trader")).json() for i in ids]
    assert [d["held"] for d in read] == [False, True, True]
    assert [d["status"] for d in read] == ["accepted", "lane_assigned", "lane_assigned"]
    assert [h["bill"] for d in read for h in d["holds"]] == ["HDMU55550009", "HDMU55550010"]
    # one manifest carrying both lifts both holds
    both = manifest("HOLD-M9", houses=[house("HDMU55550009"), house("HDMU55550010")])
    assert client.post(f"{CARGO}/manifests", json=both, headers=auth("carrier")).status_code == 201
    after = [client.get(f"{DECL}/{i}", headers=auth("trader")).json() for i in ids[1:]]
    assert [(d["held"], d["status"]) for d in after] == [(False, "accepted"), (False, "accepted")]
