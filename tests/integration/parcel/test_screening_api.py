"""Every parcel screened through the API: a watched buyer is inspected, a split shipment X-rayed, officers
record the results from the queue; a simplified declaration is filed with its duty; a general declaration is
filed through the declaration service and linked to its parcel."""

from __future__ import annotations

from tests.integration.parcel.conftest import parcel
from tests.integration.parcel.test_list_clearance_api import _submit

R = "/api/v1/risk"


def test_parcels_are_screened_and_officers_work_the_queue(api, auth, issue):  # type: ignore[no-untyped-def]
    watched = issue("S-1", "최지우", "010-2222-3333")
    plain = issue("S-2", "한가람", "010-4444-5555")
    listed = api.post(
        f"{R}/watchlists", json={"name": "parcel buyers", "lane": "red"}, headers=auth("analyst")
    )
    assert listed.status_code == 201, listed.text
    entry = {"field": "importer", "party": f"PCC:{watched['id']}", "reason": "reported"}
    added = api.post(f"{R}/watchlists/{listed.json()['id']}/entries", json=entry, headers=auth("analyst"))
    assert added.status_code == 201, added.text
    who = {"name": "한가람", "phone": "010-4444-5555"}
    answer = _submit(
        api,
        auth,
        [
            parcel("HS0001", watched["code"], name="최지우", phone="010-2222-3333", price="30"),
            parcel("HS0002", plain["code"], price="90", shop="one.example", **who),
            parcel("HS0003", plain["code"], price="90", shop="one.example", arrival="2026-11-21", **who),
            parcel("HS0004", plain["code"], price="20", shop="two.example", arrival="2026-11-25", **who),
        ],
    )
    inspected, split_a, split_b, released = answer["results"]
    assert inspected["route"] == "list" and inspected["status"] == "awaiting_inspection"
    assert split_a["check"] == split_b["check"] == "xray" and "split_shipment_suspected" in split_a["signals"]
    assert released["status"] == "list_cleared" and released["check"] is None

    queue = api.get("/api/v1/parcels/inspections", headers=auth("officer"))
    assert queue.status_code == 200
    assert {p["house_bill"] for p in queue.json()} >= {"HS0001", "HS0002", "HS0003"}
    assert "HS0004" not in {p["house_bill"] for p in queue.json()}
    xrays = api.get("/api/v1/parcels/inspections", params={"check": "xray"}, headers=auth("officer")).json()
    assert "HS0001" not in {p["house_bill"] for p in xrays}
    assert api.get("/api/v1/parcels/inspections", headers=auth("trader")).status_code == 403

    pid = inspected["parcel_id"]
    reasons = api.get(f"/api/v1/parcels/{pid}", headers=auth("officer")).json()["screening"]["reasons"]
    assert reasons[0]["kind"] == "watchlist"
    found = api.post(
        f"/api/v1/parcels/{pid}/inspection",
        json={"result": "found", "note": "knives"},
        headers=auth("officer"),
    )
    assert found.status_code == 200, found.text
    assert found.json()["status"] == "detained" and found.json()["inspection"]["result"] == "found"
    clear = api.post(
        f"/api/v1/parcels/{split_a['parcel_id']}/inspection",
        json={"result": "clear", "note": "t-shirts as declared"},
        headers=auth("officer"),
    )
    assert clear.json()["status"] == "list_cleared"
    again = api.post(
        f"/api/v1/parcels/{pid}/inspection", json={"result": "clear", "note": "x"}, headers=auth("officer")
    )
    assert again.status_code == 409
    bad = api.post(
        f"/api/v1/parcels/{pid}/inspection", json={"result": "maybe", "note": "x"}, headers=auth("officer")
    )
    assert bad.status_code == 422
    assert (
        api.post(
            f"/api/v1/parcels/{split_b['parcel_id']}/inspection",
            json={"result": "clear", "note": "x"},
            headers=auth("trader"),
        ).status_code
        == 403
    )


def test_simplified_and_general_declarations_are_filed(api, auth, issue):  # type: ignore[no-untyped-def]
    holder = issue("G-1", "오세훈", "010-6666-7777")
    who = {"name": "오세훈", "phone": "010-6666-7777"}
    answer = _submit(
        api,
        auth,
        [
            parcel("HG0001", holder["code"], price="120", shop="a.example", **who),
            parcel("HG0002", holder["code"], price="100", shop="b.example", **who),  # combined: 220 > 150
            parcel("HG0003", holder["code"], price="2600", arrival="2026-11-23", **who),
        ],
    )
    first, second, general = answer["results"]
    assert first["route"] == second["route"] == "simplified"
    view = api.get(f"/api/v1/parcels/{first['parcel_id']}", headers=auth("trader")).json()
    assert view["inspection"] is None and view["status"] == "simplified_filed"
    declared = view["simplified"]
    assert declared["regime"] == "small_parcel" and declared["combined_with"] == ["HG0002"]
    assert int(declared["group_total_due_krw"].split(".")[0]) > 0 and "고시" in declared["legal_basis"]

    assert general["route"] == "general" and general["status"] == "awaiting_general"
    pid = general["parcel_id"]
    draft = api.get(
        f"/api/v1/parcels/{pid}/general-draft", params={"reference": "PG-0001"}, headers=auth("trader")
    )
    assert draft.status_code == 200, draft.text
    document = draft.json()
    assert document["consignment"]["transport_document"] == "HG0003"
    filed = api.post(f"/api/v1/parcels/{pid}/general-declaration", json=document, headers=auth("trader"))
    assert filed.status_code == 201, filed.text
    declaration = filed.json()["declaration"]
    assert filed.json()["parcel"]["status"] == "general_filed"
    assert filed.json()["parcel"]["declaration_id"] == declaration["id"]
    seen = api.get(f"/api/v1/declarations/{declaration['id']}", headers=auth("trader"))
    assert seen.status_code == 200 and seen.json()["declarant_reference"] == "PG-0001"
    twice = api.post(f"/api/v1/parcels/{pid}/general-declaration", json=document, headers=auth("trader"))
    assert twice.status_code == 409
    wrong = api.post(
        f"/api/v1/parcels/{first['parcel_id']}/general-declaration", json=document, headers=auth("trader")
    )
    assert wrong.status_code in (404, 409)
