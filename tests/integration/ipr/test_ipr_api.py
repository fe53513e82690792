"""Record → approve → a fake is screened and held → the right holder confirms → the officer seizes; the
genuine parallel import passes; release is refused while a hold is open; each party sees only its part."""

from __future__ import annotations

import copy
from typing import Any

from tests.documents import HANBIT, import_declaration

IPR = "/api/v1/ipr"
DECL = "/api/v1/declarations"

NIKE: dict[str, Any] = {
    "registration_office": "KIPO",
    "registration_number": "40-0123456",
    "registration_expires": "2030-05-31",
    "marks": ["NIKE", "나이키"],
    "nice_classes": [25],
    "hs_scopes": ["6402", "6403", "6404"],
    "authorised_brns": ["220-81-00001"],
    "genuine_origins": ["VN", "ID"],
    "price_bands": [
        {"hs6": "640411", "origin": "*", "currency": "USD", "min_unit_price": "35", "max_unit_price": "250"}
    ],
    "parallel_imports_allowed": True,
    "genuine_features": "QR size label",
    "contact_email": "ip@example.com",
}


def shoes(reference: str, description: str, *, unit_usd: str, origin: str = "CN") -> dict[str, Any]:
    return import_declaration(
        reference,
        items__0={
            "line_number": 1,
            "commodity_code": "6404110000",
            "description": description,
            "origin_country": origin,
            "quantity": "100",
            "quantity_unit": "PR",
            "net_mass_kg": "80",
            "invoice_amount": str(int(unit_usd) * 100),
            "currency": "USD",
            "incoterm": "FOB",
        },
    )


def recorded(client, as_user, data=None) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    r = client.post(f"{IPR}/recordings", json=data or NIKE, headers=as_user("nikeholder"))
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "pending"
    approved = client.post(
        f"{IPR}/recordings/{r.json()['id']}/review", json={"approve": True}, headers=as_user("officer")
    )
    assert approved.status_code == 200 and approved.json()["status"] == "approved", approved.text
    return approved.json()


def file(client, as_user, document) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    r = client.post(DECL, json=document, headers=as_user("trader"))
    assert r.status_code == 201, r.text
    return r.json()


def test_fake_is_held_confirmed_seized_and_parallel_import_passes(client: Any, as_user: Any) -> None:
    recording = recorded(client, as_user)
    fake = file(client, as_user, shoes("F-1", "NIKEE air running shoes", unit_usd="6"))
    genuine = file(client, as_user, shoes("G-1", "Nike Air Zoom running shoes", unit_usd="90", origin="VN"))

    # the officer sees the suspicion on the fake only; the importer sees no trace of it
    officer_view = client.get(f"{DECL}/{fake['id']}", headers=as_user("officer")).json()
    codes = [a["code"] for a in officer_view["advice"]]
    assert "ipr_suspected_counterfeit" in codes
    assert all(
        a["code"] != "ipr_suspected_counterfeit"
        for a in client.get(f"{DECL}/{fake['id']}", headers=as_user("trader")).json()["advice"]
    )
    assert all(
        a["code"] != "ipr_suspected_counterfeit"
        for a in client.get(f"{DECL}/{genuine['id']}", headers=as_user("officer")).json()["advice"]
    )
    screened = client.post(
        f"{IPR}/screen", json={"declaration_id": fake["id"]}, headers=as_user("officer")
    ).json()
    signals = {s["code"] for s in screened["suspicions"][0]["signals"]}
    assert {"importer_not_authorised", "price_far_below_genuine", "origin_not_genuine"} <= signals

    hold = client.post(
        f"{IPR}/holds",
        json={
            "declaration_id": fake["id"],
            "line_number": 1,
            "recording_id": recording["id"],
            "reason": "price 6 USD a pair",
        },
        headers=as_user("officer"),
    )
    assert hold.status_code == 201, hold.text
    hold_id = hold.json()["id"]
    assert hold.json()["answer_due"] == "2026-12-04"  # 10 working days after Friday 20 November 2026

    # release is refused while the hold is open
    refused = client.post(f"{DECL}/{fake['id']}/release", headers=as_user("officer"))
    assert refused.status_code == 409 and "IPR hold" in refused.json()["detail"]

    # the right holder sees the goods, not the importer nor the price; the importer sees why, not the scores
    holder_view = client.get(f"{IPR}/holds/{hold_id}", headers=as_user("nikeholder")).json()
    assert holder_view["importer"] is None and "invoice_amount" not in holder_view["goods"]
    assert holder_view["signals"] is None and holder_view["goods"]["description"] == "NIKEE air running shoes"
    importer_view = client.get(f"{IPR}/holds/{hold_id}", headers=as_user("trader")).json()
    assert importer_view["mark"] == "NIKE" and importer_view["score"] is None
    assert importer_view["security_krw"] is None and importer_view["officer_reason"] is None
    assert client.get(f"{IPR}/holds/{hold_id}", headers=as_user("otherholder")).status_code == 404
    assert client.get(f"{IPR}/holds/{hold_id}", headers=as_user("trader2")).status_code == 404

    evidence = client.post(
        f"{IPR}/holds/{hold_id}/evidence",
        json={"text": "bought from a market stall"},
        headers=as_user("trader"),
    )
    assert evidence.status_code == 201 and evidence.json()["party"] == "importer"

    early = client.post(
        f"{IPR}/holds/{hold_id}/decide",
        json={"decision": "seize", "note": "fake"},
        headers=as_user("officer"),
    )
    assert early.status_code == 409 and "not confirmed" in early.json()["detail"]
    short = client.post(
        f"{IPR}/holds/{hold_id}/answer",
        json={"answer": "confirm", "security_krw": "0"},
        headers=as_user("nikeholder"),
    )
    assert short.status_code == 422 and short.json()["errors"][0]["pointer"] == "/security_krw"
    needed = holder_view["required_security_krw"]
    confirmed = client.post(
        f"{IPR}/holds/{hold_id}/answer",
        json={
            "answer": "confirm",
            "security_krw": str(int(float(needed))),
            "note": "no QR label; stitching differs",
        },
        headers=as_user("nikeholder"),
    )
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed", confirmed.text
    seized = client.post(
        f"{IPR}/holds/{hold_id}/decide",
        json={"decision": "seize", "note": "counterfeit"},
        headers=as_user("officer"),
    )
    assert seized.status_code == 200 and seized.json()["status"] == "seized"
    stats = client.get(f"{IPR}/statistics", headers=as_user("officer")).json()
    assert stats == {"by_mark": {"NIKE": 1}, "by_chapter": {"64": 1}, "by_origin": {"CN": 1}}
    assert client.get(f"{IPR}/statistics", headers=as_user("nikeholder")).status_code == 403
    labels = client.get(f"{IPR}/labels", headers=as_user("officer")).json()
    assert [(x["hold_id"], x["label"]) for x in labels] == [(hold_id, 1)]
    assert "price_far_below_genuine" in labels[0]["signals"]


def test_bad_recordings_are_refused_with_the_field_named(client, as_user):  # type: ignore[no-untyped-def]
    expired = client.post(
        f"{IPR}/recordings",
        json={**NIKE, "registration_expires": "2025-01-31"},
        headers=as_user("nikeholder"),
    )
    assert expired.status_code == 422 and expired.json()["errors"][0]["code"] == "expired"
    apple = {
        **NIKE,
        "registration_number": "40-7777777",
        "marks": ["APPLE"],
        "hs_scopes": ["0808", "8471"],
        "price_bands": [],
    }
    generic = client.post(f"{IPR}/recordings", json=apple, headers=as_user("nikeholder"))
    assert generic.status_code == 422
    assert generic.json()["errors"][0] == {
        "pointer": "/hs_scopes",
        "code": "generic_mark",
        "message": generic.json()["errors"][0]["message"],
    }
    assert "chapter 08" in generic.json()["errors"][0]["message"]
    recorded(client, as_user)
    duplicate = client.post(f"{IPR}/recordings", json=NIKE, headers=as_user("otherholder"))
    assert duplicate.status_code == 409 and "already recorded" in duplicate.json()["detail"]
    assert client.post(f"{IPR}/recordings", json=NIKE, headers=as_user("trader")).status_code == 403
    assert client.get(f"{IPR}/recordings", headers=as_user("otherholder")).json() == []


def test_a_late_answer_is_refused_and_the_hold_listed_overdue(client: Any, as_user: Any, clock: Any) -> None:
    recording = recorded(client, as_user)
    fake = file(client, as_user, shoes("F-2", "나이키 운동화", unit_usd="5"))
    hold = client.post(
        f"{IPR}/holds",
        json={
            "declaration_id": fake["id"],
            "line_number": 1,
            "recording_id": recording["id"],
            "reason": "suspected",
        },
        headers=as_user("officer"),
    ).json()
    clock.advance(days=15)  # 5 December 2026, a day after the deadline
    assert [h["id"] for h in client.get(f"{IPR}/holds?overdue=true", headers=as_user("officer")).json()] == [
        hold["id"]
    ]
    late = client.post(
        f"{IPR}/holds/{hold['id']}/answer",
        json={"answer": "confirm", "security_krw": "999999999"},
        headers=as_user("nikeholder"),
    )
    assert late.status_code == 409 and "2026-12-04" in late.json()["detail"]
    assert client.get(f"{IPR}/holds/{hold['id']}", headers=as_user("officer")).json()["status"] == (
        "awaiting_right_holder"
    )
    released = client.post(
        f"{IPR}/holds/{hold['id']}/decide",
        json={"decision": "release", "note": "no answer"},
        headers=as_user("officer"),
    )
    assert released.status_code == 200 and released.json()["status"] == "released"
    assert [x["label"] for x in client.get(f"{IPR}/labels", headers=as_user("officer")).json()] == [0]


def test_authorised_importer_is_not_flagged(client, as_user):  # type: ignore[no-untyped-def]
    data = copy.deepcopy(NIKE)
    data["authorised_brns"] = [HANBIT.brn]
    data["parallel_imports_allowed"] = False
    recorded(client, as_user, data)
    d = file(client, as_user, shoes("A-1", "NIKE running shoes", unit_usd="60", origin="VN"))
    advice = client.get(f"{DECL}/{d['id']}", headers=as_user("officer")).json()["advice"]
    assert all(a["code"] != "ipr_suspected_counterfeit" for a in advice)
