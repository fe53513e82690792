"""Manifest → arrival → carry-in → declaration matched → release → carry-out, through the API."""

from __future__ import annotations

import pytest

from clearway.declaration.steps import FilingSteps
from tests.documents import import_declaration
from tests.integration.cargo.manifests import house, manifest
from tests.steps import FixedLane

CARGO = "/api/v1/cargo"
DECL = "/api/v1/declarations"


@pytest.fixture
def steps() -> FilingSteps:
    return FilingSteps(lane_selector=FixedLane())


def _submit(client, auth, document, user="carrier"):  # type: ignore[no-untyped-def]
    r = client.post(f"{CARGO}/manifests", json=document, headers=auth(user))
    assert r.status_code == 201, r.text
    return r.json()


def test_manifest_to_carry_out_end_to_end(client, auth):  # type: ignore[no-untyped-def]
    m = _submit(client, auth, manifest())
    bill = m["bills"][0]
    assert len(m["mrn"]) == 11 and bill["ccn"].startswith(m["mrn"]) and len(bill["ccn"]) == 19
    assert "risk" not in bill and "risk_counts" not in m  # the carrier does not see the screening
    board = client.get(f"{CARGO}/manifests", headers=auth("carrier")).json()
    assert board[0]["bills"] == 1 and "risk_counts" not in board[0]
    early = client.post(
        f"{CARGO}/bills/{bill['ccn']}/carry-in",
        json={"shed": "03077001", "on": "2026-11-19"},
        headers=auth("carrier"),
    )
    assert early.status_code == 409 and early.json()["code"] == "not_arrived"
    arrived = client.post(
        f"{CARGO}/manifests/{m['id']}/arrival", json={"on": "2026-11-19"}, headers=auth("carrier")
    )
    assert arrived.status_code == 200 and arrived.json()["status"] == "arrived"
    r = client.post(
        f"{CARGO}/bills/{bill['ccn']}/carry-in",
        json={"shed": "03077001", "on": "2026-11-19"},
        headers=auth("carrier"),
    )
    assert r.status_code == 201, r.text
    out = client.post(
        f"{CARGO}/bills/{bill['ccn']}/carry-out", json={"on": "2026-11-20"}, headers=auth("carrier")
    )
    assert out.status_code == 409 and out.json()["code"] == "not_released"
    listed = client.get(f"{CARGO}/undeclared", params={"on": "2026-12-25"}, headers=auth("officer")).json()
    assert [(u["ccn"], u["days"], u["overdue"]) for u in listed] == [(bill["ccn"], 36, True)]

    d = client.post(DECL, json=import_declaration("C-1"), headers=auth("trader"))
    assert d.status_code == 201, d.text
    d = d.json()
    match = client.get(f"{CARGO}/declarations/{d['id']}/match", headers=auth("officer")).json()
    assert match["on_manifest"] and match["matched"], match
    assert (
        client.get(f"{CARGO}/undeclared", params={"on": "2026-12-25"}, headers=auth("officer")).json() == []
    )
    while d["status"] != "released":
        if d["status"] == "accepted":  # paid at the bank (simulator); the bank's confirmation marks it paid
            paid = client.post(f"{DECL}/{d['id']}/payment-order/pay", headers=auth("trader"))
            assert paid.status_code == 200, paid.text
            d = client.get(f"{DECL}/{d['id']}", headers=auth("trader")).json()
        elif d["status"] == "paid":
            d = client.post(f"{DECL}/{d['id']}/release", headers=auth("officer")).json()
        else:
            pytest.fail(f"unexpected status {d}")
    out = client.post(
        f"{CARGO}/bills/HDMU12345678/carry-out", json={"on": "2026-11-21"}, headers=auth("carrier")
    )
    assert out.status_code == 201, out.text
    assert out.json()["declaration_id"] == d["id"]
    view = client.get(f"{CARGO}/bills/{bill['ccn']}", headers=auth("officer")).json()
    assert [e["kind"] for e in view["storage"]] == ["carry_in", "carry_out"]
    assert view["declarations"][0]["status"] == "released" and view["matching"][0]["matched"]
    stock = client.get(f"{CARGO}/sheds/03077001/stock", params={"on": "2026-11-20"}, headers=auth("officer"))
    assert [s["ccn"] for s in stock.json()] == [bill["ccn"]]
    assert (
        client.get(
            f"{CARGO}/sheds/03077001/stock", params={"on": "2026-11-21"}, headers=auth("officer")
        ).json()
        == []
    )


def test_mismatched_declaration_and_unknown_bill(client, auth):  # type: ignore[no-untyped-def]
    _submit(
        client,
        auth,
        manifest(
            houses=[
                house(
                    "HDMU12345678",
                    description="Frozen shrimp",
                    hs6="030617",
                    gross_weight_kg="5000",
                    consignee={"name": "Other Importer Co.", "country": "KR"},
                )
            ]
        ),
    )
    d = client.post(DECL, json=import_declaration("C-2"), headers=auth("trader")).json()
    found = client.get(f"{CARGO}/declarations/{d['id']}/match", headers=auth("officer")).json()
    codes = {f["code"] for f in found["findings"]}
    assert codes == {"weight_under_manifest", "consignee_not_importer", "description_mismatch", "hs_mismatch"}
    other = client.post(
        DECL,
        json=import_declaration("C-3", consignment__transport_document="NOSUCHBILL1"),
        headers=auth("trader"),
    ).json()
    held = client.get(f"{CARGO}/declarations/{other['id']}/match", headers=auth("officer")).json()
    assert not held["on_manifest"] and held["findings"][0]["code"] == "bill_not_on_manifest"


def test_bad_manifests_are_refused_with_codes_and_nothing_stored(client, auth):  # type: ignore[no-untyped-def]
    bad = manifest(port_of_discharge="KRXXX")
    bad["containers"][0]["number"] = "CSQU3054384"
    r = client.post(f"{CARGO}/manifests", json=bad, headers=auth("carrier"))
    assert r.status_code == 422
    codes = {(e["pointer"], e["code"]) for e in r.json()["errors"]}
    assert ("/voyage/port_of_discharge", "unknown_locode") in codes
    assert ("/containers/0/number", "bad_check_digit") in codes
    assert client.get(f"{CARGO}/manifests", headers=auth("carrier")).json() == []
    _submit(client, auth, manifest())
    dup = client.post(f"{CARGO}/manifests", json=manifest("M-2"), headers=auth("carrier"))
    assert dup.status_code == 409 and dup.json()["errors"][0]["code"] == "duplicate_bill"
    assert len(client.get(f"{CARGO}/manifests", headers=auth("carrier")).json()) == 1
    again = client.post(f"{CARGO}/manifests", json=manifest(), headers=auth("carrier"))
    assert again.status_code == 200 and again.json()["replayed"]


def test_amendment_keeps_ccn_and_is_refused_after_arrival(client, auth):  # type: ignore[no-untyped-def]
    m = _submit(client, auth, manifest())
    first = m["bills"][0]["ccn"]
    amended = manifest(houses=[house("HDMU12345678", packages=12), house("HDMU12345679", containers=[])])
    r = client.put(f"{CARGO}/manifests/{m['id']}", json=amended, headers=auth("carrier"))
    assert r.status_code == 200, r.text
    bills = {b["house_bill"]: b for b in r.json()["bills"]}
    assert r.json()["version"] == 2 and bills["HDMU12345678"]["ccn"] == first
    assert bills["HDMU12345679"]["ccn"] == first[:15] + "0002"
    client.post(f"{CARGO}/manifests/{m['id']}/arrival", json={"on": "2026-11-19"}, headers=auth("carrier"))
    late = client.put(f"{CARGO}/manifests/{m['id']}", json=manifest(), headers=auth("carrier"))
    assert late.status_code == 409 and late.json()["code"] == "amended_after_arrival"


def test_another_company_sees_nothing_and_traders_cannot_submit(client, auth):  # type: ignore[no-untyped-def]
    m = _submit(client, auth, manifest())
    ccn = m["bills"][0]["ccn"]
    assert client.get(f"{CARGO}/bills/{ccn}", headers=auth("trader")).status_code == 403  # no cargo scope
    assert client.post(f"{CARGO}/manifests", json=manifest("T-1"), headers=auth("trader")).status_code == 403
    assert client.get(f"{CARGO}/bills/{ccn}", headers=auth("officer")).status_code == 200


def test_holds_block_carry_out_until_the_examination_result(client, auth):  # type: ignore[no-untyped-def]
    m = _submit(client, auth, manifest())
    ccn = m["bills"][0]["ccn"]
    client.post(f"{CARGO}/manifests/{m['id']}/arrival", json={"on": "2026-11-19"}, headers=auth("carrier"))
    client.post(
        f"{CARGO}/bills/{ccn}/carry-in",
        json={"shed": "03077001", "on": "2026-11-19"},
        headers=auth("carrier"),
    )
    assert (
        client.post(
            f"{CARGO}/bills/{ccn}/holds", json={"kind": "xray", "reason": "x"}, headers=auth("carrier")
        ).status_code
        == 403
    )
    hold = client.post(
        f"{CARGO}/bills/{ccn}/holds",
        json={"kind": "xray", "reason": "dense image expected"},
        headers=auth("officer"),
    )
    assert hold.status_code == 201
    transit = {"reason": "transit", "reason_text": "bonded transport to Incheon", "on": "2026-11-20"}
    blocked = client.post(f"{CARGO}/bills/{ccn}/carry-out", json=transit, headers=auth("carrier"))
    assert blocked.status_code == 409 and blocked.json()["code"] == "on_hold"
    done = client.post(
        f"{CARGO}/holds/{hold.json()['id']}/result",
        json={"result": "no_irregularity"},
        headers=auth("officer"),
    )
    assert done.status_code == 200
    no_reason = client.post(
        f"{CARGO}/bills/{ccn}/carry-out",
        json={"reason": "transit", "on": "2026-11-20"},
        headers=auth("carrier"),
    )
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["code"] == "reason_required"
    assert (
        client.post(f"{CARGO}/bills/{ccn}/carry-out", json=transit, headers=auth("carrier")).status_code
        == 201
    )
