"""The analysts' API: criteria CRUD with versions, condition check, watchlists, policy, models, report."""

from __future__ import annotations

from tests.documents import import_declaration

R = "/api/v1/risk"
CRITERION = {
    "code": "NB-CN",
    "name": "notebooks from China",
    "lane": "yellow",
    "condition": {
        "all": [
            {"field": "commodity_code", "op": "prefix", "value": "8471"},
            {"field": "origin_country", "op": "eq", "value": "CN"},
        ]
    },
    "expected_rate": 0.3,
}


def test_criteria_are_created_versioned_and_never_erased(risk_client, auth):
    c = risk_client.post(f"{R}/criteria", json=CRITERION, headers=auth("analyst"))
    assert c.status_code == 201, c.text
    body = c.json()
    assert body["current"]["version"] == 1 and body["current"]["changed_by"] == "analyst"
    assert body["recent_matches"] == {"declarations": 0, "matched": 0}
    cid = body["id"]
    changed = risk_client.patch(
        f"{R}/criteria/{cid}",
        json={"lane": "red", "note": "more finds", "expected_version": 1},
        headers=auth("analyst"),
    )
    assert changed.status_code == 200 and changed.json()["current"]["version"] == 2
    stale = risk_client.patch(
        f"{R}/criteria/{cid}", json={"lane": "yellow", "expected_version": 1}, headers=auth("analyst")
    )
    assert stale.status_code == 409
    gone = risk_client.delete(f"{R}/criteria/{cid}", headers=auth("analyst"))
    assert gone.status_code == 200 and gone.json()["current"]["active"] is False
    versions = risk_client.get(f"{R}/criteria/{cid}/versions", headers=auth("officer")).json()
    assert [(v["version"], v["lane"], v["active"]) for v in versions] == [
        (1, "yellow", True),
        (2, "red", True),
        (3, "red", False),
    ]
    assert versions[1]["change_note"] == "more finds"
    dup = risk_client.post(f"{R}/criteria", json=CRITERION, headers=auth("analyst"))
    assert dup.status_code == 409


def test_a_malformed_criterion_gets_every_field_named(risk_client, auth):
    bad = {
        **CRITERION,
        "lane": "purple",
        "condition": {
            "all": [
                {"field": "colour", "op": "eq", "value": "red"},
                {"field": "net_mass_kg", "op": "between", "value": [9, 1]},
            ]
        },
    }
    r = risk_client.post(f"{R}/criteria", json=bad, headers=auth("analyst"))
    assert r.status_code == 422
    problem = r.json()
    assert problem["type"].endswith("validation-failed")
    pointers = {e["pointer"] for e in problem["errors"]}
    assert {"/lane", "/condition/all/0/field", "/condition/all/1/value"} <= pointers
    everything = risk_client.post(
        f"{R}/conditions/check",
        json={
            "condition": {"any": [{"field": "seller", "op": "present"}, {"field": "seller", "op": "missing"}]}
        },
        headers=auth("analyst"),
    )
    assert everything.status_code == 422 and everything.json()["errors"][0]["code"] == "matches_everything"


def test_only_analysts_change_and_only_customs_read(risk_client, auth):
    assert risk_client.get(f"{R}/criteria", headers=auth("trader")).status_code == 403
    assert risk_client.get(f"{R}/criteria", headers=auth("officer")).status_code == 200
    assert risk_client.post(f"{R}/criteria", json=CRITERION, headers=auth("officer")).status_code == 403
    assert risk_client.get(f"{R}/criteria").status_code == 401


def test_watchlists_and_entries(risk_client, auth):
    w = risk_client.post(f"{R}/watchlists", json={"name": "sellers", "lane": "red"}, headers=auth("analyst"))
    assert w.status_code == 201
    wid = w.json()["id"]
    added = risk_client.post(
        f"{R}/watchlists/{wid}/entries",
        json={"field": "seller", "party": "Shenzhen Everbright Trading Co.|CN", "reason": "findings"},
        headers=auth("analyst"),
    )
    assert added.status_code == 201
    entry = added.json()["entries"][0]
    assert entry["party"] == "SHENZHEN EVERBRIGHT TRADING CO.|CN"
    filed = risk_client.post("/api/v1/declarations", json=import_declaration("W-1"), headers=auth("trader"))
    assert filed.status_code == 201 and filed.json()["lane"] == "red"
    reasons = risk_client.get(f"{R}/declarations/{filed.json()['id']}/decisions", headers=auth("officer"))
    assert reasons.status_code == 200 and reasons.json()[0]["reasons"][0]["kind"] == "watchlist"
    assert (
        risk_client.get(
            f"{R}/declarations/{filed.json()['id']}/decisions", headers=auth("trader")
        ).status_code
        == 403
    )
    removed = risk_client.delete(f"{R}/watchlists/{wid}/entries/{entry['id']}", headers=auth("analyst"))
    assert removed.status_code == 200 and removed.json()["entries"] == []
    history = risk_client.get(f"{R}/watchlists/{wid}?history=true", headers=auth("analyst")).json()
    assert history["entries"][0]["removed_by"] == "analyst"
    bad = risk_client.post(f"{R}/watchlists/{wid}/entries", json={"field": "ship"}, headers=auth("analyst"))
    assert bad.status_code == 422


def test_policy_models_and_report(risk_client, auth):
    assert risk_client.get(f"{R}/policy", headers=auth("officer")).json()["red_share"] == 0.05
    p = risk_client.put(
        f"{R}/policy", json={"red_share": 0.03, "exploration_share": 0.05}, headers=auth("analyst")
    )
    assert p.status_code == 200 and p.json()["version"] == 1 and p.json()["yellow_share"] == 0.10
    assert risk_client.put(f"{R}/policy", json={"red_share": 2}, headers=auth("analyst")).status_code == 422
    assert risk_client.get(f"{R}/models", headers=auth("analyst")).json() == []
    assert risk_client.post(f"{R}/models/nope/promote", headers=auth("analyst")).status_code == 404
    train = risk_client.post(f"{R}/models/train", json={}, headers=auth("analyst"))
    assert train.status_code == 422 and "at least 10" in train.json()["detail"]
    risk_client.post("/api/v1/declarations", json=import_declaration("P-1"), headers=auth("trader"))
    report = risk_client.get(f"{R}/report", headers=auth("officer")).json()
    assert report["declarations"] == 1 and report["promoted_model"] is None
