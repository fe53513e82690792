"""A carrier's list of mixed parcels through the API: routed (list, simplified, general), assessed, answered
per parcel with coded errors, the holder told each time, held when the code is reissued, disputed."""

from __future__ import annotations

from decimal import Decimal

from clearway.parcel.notify import LocalNotifier, deliver_pending
from clearway.parcel.protection import cipher_for
from clearway.uow import unit_of_work
from tests.integration.parcel.conftest import NOW, parcel


def _submit(api, auth, parcels, user="trader", reference="L-1"):  # type: ignore[no-untyped-def]
    response = api.post(
        "/api/v1/parcels/lists",
        json={"reference": reference, "carrier_kind": "express", "parcels": parcels},
        headers=auth(user),
    )
    assert response.status_code == 201, response.text
    return response.json()


def _deliver(runtime) -> LocalNotifier:  # type: ignore[no-untyped-def]
    notifier = LocalNotifier()
    with unit_of_work(runtime.sessions) as session:
        deliver_pending(session, cipher_for(runtime.settings.personal_data_key), notifier, now=NOW)
    return notifier


def test_a_mixed_list_is_routed_and_every_parcel_answered(api, auth, issue, runtime):  # type: ignore[no-untyped-def]
    a = issue("A-1", "김민수", "010-1234-5678")["code"]
    b = issue("B-1", "Jane Doe", "010-9999-0001")["code"]
    jane = {"name": "jane doe", "phone": "01099990001"}
    parcels = [
        parcel("HB0001", a, price="50", shop="corner.example"),  # 0 list
        parcel("HB0002", a, price="180", country="US"),  # 1 list (US: USD 200)
        parcel("HB0003", a, price="180", arrival="2026-11-21"),  # 2 simplified, taxed
        parcel("HB0004", a, price="2500", arrival="2026-11-22"),  # 3 general (above 2,000)
        parcel(
            "HB0005",
            a,
            price="30",
            arrival="2026-11-23",
            item={"category": "health_supplement", "hs_code": None},
        ),  # 4 general (excluded)
        parcel(
            "HB0006",
            a,
            price="30",
            arrival="2026-11-24",
            item={"description": "red wine", "hs_code": "2204211000"},
        ),  # 5 simplified (alcohol)
        parcel("HB0007", b, price="100", country="JP", arrival="2026-11-25", **jane),  # 6 combined with 7
        parcel("HB0008", b, price="100", country="JP", arrival="2026-11-25", **jane),  # 7
        parcel("HB0009", a[:-1] + str((int(a[-1]) + 1) % 10)),  # 8 mistyped code
        parcel("HB0010", a, name="김철수"),  # 9 name mismatch
        parcel("HB0011", a, item={"quantity": "-1"}),  # 10 negative quantity
        parcel("HB0012", a, currency="ABC"),  # 11 unknown currency
        parcel("HB0001", a),  # 12 same parcel twice
        parcel("HB0013", a, currency="KZT"),  # 13 no exchange rate
        "not a parcel",  # 14
    ]
    answer = _submit(api, auth, parcels)
    results = answer["results"]
    assert answer["counts"] == {
        "parcels": 15,
        "accepted": 8,
        "rejected": 7,
        "list": 2,
        "simplified": 4,
        "general": 2,
    }
    routes = [r.get("route") for r in results[:8]]
    assert routes == [
        "list",
        "list",
        "simplified",
        "general",
        "general",
        "simplified",
        "simplified",
        "simplified",
    ]
    assert results[0]["status"] == "list_cleared" and results[0]["duty_krw"] is None
    assert results[3]["reasons"][0]["code"] == "above_simplified_limit"
    assert results[4]["reasons"][0]["code"] == "excluded_health_supplement"
    assert "고시" in results[4]["reasons"][0]["legal_basis"]
    assert results[5]["reasons"][0]["code"] == "taxed_whatever_value"
    assert {r["code"] for r in results[6]["reasons"]} == {"combined_arrival"}
    assert "combined_arrival" in results[6]["signals"]
    errors = {i: [(e["pointer"], e["code"]) for e in results[i]["errors"]] for i in range(8, 15)}
    assert errors[8] == [("/parcels/8/personal_code", "code_invalid")]
    assert errors[9] == [("/parcels/9/buyer_name", "name_mismatch")]
    assert errors[10] == [("/parcels/10/items/0/quantity", "must_be_positive")]
    assert errors[11] == [("/parcels/11/items/0/currency", "unknown_currency")]
    assert errors[12] == [("/parcels/12/house_bill", "duplicate_in_list")]
    assert errors[13] == [("/parcels/13/items/0/currency", "no_exchange_rate")]
    assert errors[14] == [("/parcels/14", "not_an_object")]

    # the duty of a taxable parcel is the assessment engine's small-parcel figure for the same goods
    estimate = api.post(
        "/api/v1/estimates",
        headers=auth("trader"),
        json={
            "on": "2026-11-21",
            "regime": "small_parcel",
            "dispatch_country": "CN",
            "items": [
                {
                    "commodity_code": "6109101000",
                    "origin_country": "CN",
                    "quantity": "1",
                    "quantity_unit": "U",
                    "invoice_amount": "180",
                    "currency": "USD",
                    "incoterm": "CIF",
                }
            ],
        },
    ).json()
    assert Decimal(results[2]["duty_krw"]) == Decimal(estimate["total_due_krw"]) > 0
    # the two parcels of one buyer, one day, one country were assessed together: USD 200 > 150, all taxed
    assert Decimal(results[6]["duty_krw"]) > 0 and results[6]["duty_krw"] == results[7]["duty_krw"]

    # nothing is lost: the list keeps every outcome
    kept = api.get(f"/api/v1/parcels/lists/{answer['id']}", headers=auth("trader")).json()
    assert kept["results"] == results

    # the holder is told about every parcel under the code, masked, delivered to the holder's phone
    notifier = _deliver(runtime)
    inbox_a = [n.text for n in notifier.inbox("010-1234-5678") if n.event == "parcel_cleared"]
    assert len(inbox_a) == 6 and any("HB0003" in t and "simplified" in t for t in inbox_a)
    assert all(a not in t for t in inbox_a)
    assert len([n for n in notifier.inbox("010-9999-0001") if n.event == "parcel_cleared"]) == 2
    assert _deliver(runtime).sent == []  # delivered once

    # the same parcel twice, another carrier's parcel, another carrier's view
    again = _submit(api, auth, [parcel("HB0001", a)], reference="L-2")
    assert again["results"][0]["errors"][0]["code"] == "duplicate_parcel"
    other = _submit(api, auth, [parcel("HB0002", a)], user="trader2", reference="L-3")
    assert other["results"][0]["errors"][0]["code"] == "house_bill_of_another_carrier"
    pid = results[0]["parcel_id"]
    assert api.get(f"/api/v1/parcels/{pid}", headers=auth("trader2")).status_code == 404
    assert api.get(f"/api/v1/parcels/lists/{answer['id']}", headers=auth("trader2")).status_code == 404
    mine = api.get(f"/api/v1/parcels/{pid}", headers=auth("trader")).json()
    assert mine["code"].startswith("P****") and "서울" not in str(mine)  # masked code, no address
    assert len(api.get("/api/v1/parcels", headers=auth("trader")).json()) == 8
    assert api.get("/api/v1/parcels", headers=auth("trader2")).json() == []


def test_reissue_holds_parcels_in_flight_and_they_are_refiled(api, auth, issue, runtime):  # type: ignore[no-untyped-def]
    issued = issue("C-1", "박서연", "010-3333-4444")
    code = issued["code"]
    answer = _submit(
        api,
        auth,
        [
            parcel("HC0001", code, name="박서연", phone="010-3333-4444", price="40", arrival="2026-11-19"),
            parcel("HC0002", code, name="박서연", phone="010-3333-4444", price="400"),
        ],
    )
    cleared, waiting = (r["parcel_id"] for r in answer["results"])
    new = api.post(
        f"/api/v1/parcels/codes/{issued['id']}/reissue", json={"reason": "leak"}, headers=auth("officer")
    ).json()
    assert new["held_parcels"] == [waiting]
    assert api.get(f"/api/v1/parcels/{cleared}", headers=auth("trader")).json()["status"] == "list_cleared"
    status = lambda pid: api.get(f"/api/v1/parcels/{pid}", headers=auth("trader")).json()["status"]  # noqa: E731
    assert status(waiting) == "held_code_reissued"
    old = _submit(api, auth, [parcel("HC0003", code, name="박서연", phone="010-3333-4444")], reference="L-2")
    assert old["results"][0]["errors"][0]["code"] == "code_reissued"
    refiled = _submit(
        api,
        auth,
        [parcel("HC0002", new["code"], name="박서연", phone="010-3333-4444", price="400")],
        reference="L-3",
    )
    assert refiled["results"][0]["replaced"] is True and refiled["results"][0]["parcel_id"] == waiting
    assert status(waiting) == "simplified_filed"  # the small-parcel duty assessed, the declaration filed
    texts = [n.text for n in _deliver(runtime).inbox("010-3333-4444") if n.event == "code_reissued"]
    assert len(texts) == 1 and new["code"] in texts[0]  # the new code goes to its holder only


def test_not_mine_suspends_the_code_and_opens_a_case(api, auth, issue, runtime):  # type: ignore[no-untyped-def]
    issued = issue("D-1", "이준호", "010-7777-8888")
    who = {"name": "이준호", "phone": "010-7777-8888"}
    answer = _submit(
        api,
        auth,
        [
            parcel("HD0001", issued["code"], price="20", **who),
            parcel("HD0002", issued["code"], price="900", arrival="2026-11-22", **who),
        ],
    )
    first, second = (r["parcel_id"] for r in answer["results"])
    seen = api.get(
        f"/api/v1/parcels/codes/{issued['id']}/parcels",
        params={"purpose": "holder asks"},
        headers=auth("officer"),
    ).json()
    assert {p["house_bill"] for p in seen["parcels"]} == {"HD0001", "HD0002"}
    disputed = api.post(
        f"/api/v1/parcels/{first}/dispute", json={"reason": "holder: not ordered"}, headers=auth("officer")
    )
    assert disputed.status_code == 200, disputed.text
    assert disputed.json()["dispute"]["status"] == "open"
    second_status = api.get(f"/api/v1/parcels/{second}", headers=auth("trader")).json()["status"]
    assert second_status == "held_code_suspended"
    later = _submit(api, auth, [parcel("HD0003", issued["code"], **who)], reference="L-2")
    assert later["results"][0]["errors"][0]["code"] == "code_suspended"
    assert (
        api.post(
            f"/api/v1/parcels/{first}/dispute", json={"reason": "again"}, headers=auth("officer")
        ).status_code
        == 409
    )
    stats = api.get("/api/v1/parcels/statistics", headers=auth("officer")).json()
    assert stats["by_country"] == {"CN": 2} and stats["by_route"] == {"list": 1, "simplified": 1}
    assert api.get("/api/v1/parcels/statistics", headers=auth("trader")).status_code == 403


def test_bad_lists_are_problems(api, auth):  # type: ignore[no-untyped-def]
    huge = api.post(
        "/api/v1/parcels/lists", headers=auth("trader"), json={"reference": "BIG", "parcels": [{}] * 10_002}
    )
    assert huge.status_code == 201, huge.text  # every parcel answered; the list is not sunk
    answered = huge.json()["results"]
    assert len(answered) == 10_002 and huge.json()["counts"]["rejected"] == 10_002
    assert answered[0]["errors"][0]["code"] == "required"
    assert [e["code"] for e in answered[10_001]["errors"]] == ["over_list_limit"]
    empty = api.post("/api/v1/parcels/lists", headers=auth("trader"), json={"reference": "E", "parcels": []})
    assert empty.status_code == 422 and empty.headers["content-type"].startswith("application/problem+json")
    assert api.post("/api/v1/parcels/lists", json={"reference": "X", "parcels": [{}]}).status_code == 401
    assert (
        api.post(
            "/api/v1/parcels/lists", headers=auth("officer"), json={"reference": "X", "parcels": [{}]}
        ).status_code
        == 403
    )
