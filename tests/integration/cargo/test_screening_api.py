"""Pre-arrival screening uses the analysts' watchlists and criteria, and explains itself to officers only."""

from __future__ import annotations

from tests.integration.cargo.manifests import house, manifest

R = "/api/v1/risk"
CARGO = "/api/v1/cargo"


def test_watchlisted_shipper_and_criterion_and_indicators(client, auth):  # type: ignore[no-untyped-def]
    w = client.post(
        f"{R}/watchlists", json={"name": "cargo-shippers", "lane": "red"}, headers=auth("analyst")
    )
    assert w.status_code == 201, w.text
    client.post(
        f"{R}/watchlists/{w.json()['id']}/entries",
        json={"field": "seller", "party": "Shenzhen Everbright Trading Co.|CN", "reason": "findings"},
        headers=auth("analyst"),
    )
    criterion = {
        "code": "SHRIMP-VN",
        "name": "shrimp from Vietnam",
        "lane": "yellow",
        "valid_from": "2026-01-01",
        "condition": {
            "all": [
                {"field": "hs6", "op": "eq", "value": "030617"},
                {"field": "origin_country", "op": "eq", "value": "VN"},
            ]
        },
    }
    c = client.post(f"{R}/criteria", json=criterion, headers=auth("analyst"))
    assert c.status_code == 201, c.text
    other_shipper = {"name": "Saigon Seafood JSC", "country": "VN"}
    document = manifest(
        houses=[
            house("HB00000001"),
            house(
                "HB00000002", shipper=other_shipper, description="Frozen shrimp", hs6="030617", containers=[]
            ),
            house(
                "HB00000003",
                shipper=other_shipper,
                description="general cargo",
                hs6=None,
                value=None,
                currency=None,
                containers=[],
            ),
        ],
        port_of_loading="VNSGN",
    )
    r = client.post(f"{CARGO}/manifests", json=document, headers=auth("carrier"))
    assert r.status_code == 201, r.text
    assert all("risk" not in b for b in r.json()["bills"])
    seen = client.get(f"{CARGO}/manifests/{r.json()['id']}", headers=auth("officer")).json()
    risk = {b["house_bill"]: b["risk"] for b in seen["bills"]}
    assert risk["HB00000001"]["level"] == "high"
    assert risk["HB00000001"]["reasons"][0]["kind"] == "watchlist"
    assert risk["HB00000001"]["reasons"][0]["field"] == "shipper"
    assert risk["HB00000002"]["level"] == "medium"
    assert any(x.get("code") == "SHRIMP-VN" for x in risk["HB00000002"]["reasons"])
    assert (
        risk["HB00000003"]["level"] == "high"
    )  # 0.35 + 0.15 + 0.1 + 0.2 (the consignee is new to all three)
    assert {x["code"] for x in risk["HB00000003"]["reasons"]} == {
        "vague_description",
        "no_hs_code",
        "no_value",
        "new_consignee",
    }
    board = client.get(f"{CARGO}/manifests", headers=auth("officer")).json()
    assert board[0]["risk_counts"] == {"low": 0, "medium": 1, "high": 2}
