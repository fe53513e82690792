"""Traveller risk through the API: the selection list with reasons, check results, retraining a model file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from clearway.runtime import Runtime
from tests.traveller_messages import message, passenger

URL = "/api/v1/travellers"
Auth = Callable[[str], dict[str, str]]


def _pnr(**over: Any) -> dict[str, Any]:
    base = {
        "record_locator": "ABC123",
        "booking_date": "2026-10-01",
        "channel": "airline_web",
        "payment": "card",
        "bags": 1,
        "itinerary": [
            {"from": "JFK", "to": "ICN", "flight": "KE082", "date": "2026-11-21"},
            {"from": "ICN", "to": "JFK", "flight": "KE081", "date": "2026-12-05"},
        ],
    }
    return {**base, **over}


def test_selection_list_check_result_and_retraining(client: TestClient, auth: Auth, runtime: Runtime) -> None:
    quiet = passenger("SMITH", "JOHN", number="U1", nationality="USA", pnr=_pnr())
    cash = passenger("LEE", "SOYEON", number="M2", pnr=_pnr(booking_date="2026-11-20", payment="cash"))
    bags = passenger(
        "PARK",
        "JIHUN",
        number="M3",
        pnr=_pnr(
            bags=4,
            itinerary=[
                {"from": "JFK", "to": "ICN", "flight": "KE082", "date": "2026-11-21"},
                {"from": "ICN", "to": "JFK", "flight": "KE081", "date": "2026-11-23"},
            ],
        ),
    )
    ack = client.post(
        f"{URL}/messages", json=message(passengers=[quiet, cash, bags]), headers=auth("traveller")
    )
    assert ack.status_code == 200, ack.text
    ids = [p["passenger_id"] for p in ack.json()["passengers"]]

    listed = client.get(f"{URL}/flights/KE082/2026-11-21/selection", headers=auth("traveller"))
    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert body["model_version"] is None  # no model trained yet: rules, hits and exploration only
    by_id = {r["passenger_id"]: r for r in body["rows"]}
    assert [r["code"] for r in by_id[ids[1]]["reasons"]] == ["T-LASTMIN-CASH"]
    assert [r["code"] for r in by_id[ids[2]]["reasons"]] == ["T-SHORT-BAGS"]
    assert "stay_days le 3" in by_id[ids[2]]["reasons"][0]["text"]
    assert not by_id[ids[0]]["selected"] or by_id[ids[0]]["selected_by"] == "exploration"
    assert client.get(f"{URL}/flights/KE082/2026-11-21/selection", headers=auth("officer")).status_code == 403

    bad = client.post(f"{URL}/passengers/{ids[1]}/checks", json={"found": True}, headers=auth("traveller"))
    assert bad.status_code == 422 and bad.json()["errors"][0]["pointer"] == "/finding"
    checked = client.post(
        f"{URL}/passengers/{ids[1]}/checks",
        json={"found": True, "finding": "undeclared cash 30,000 USD", "selected_by": "rule"},
        headers=auth("traveller"),
    )
    assert checked.status_code == 201, checked.text
    past = client.get(f"{URL}/passengers/{ids[1]}/checks", headers=auth("traveller")).json()
    assert [c["finding"] for c in past] == ["undeclared cash 30,000 USD"]

    trained = client.post(f"{URL}/model/training", json={"generated_days": 15}, headers=auth("traveller"))
    assert trained.status_code == 201, trained.text
    metrics = trained.json()["metrics"]
    assert metrics["recorded_checks"] == 1 and metrics["generated_examples"] > 100
    assert 0.5 < metrics["validation"]["auc"] <= 1
    files = list((runtime.settings.models_dir / "traveller").glob("traveller-risk-*.json.gz"))
    assert [f.name for f in files] == [trained.json()["version"] + ".json.gz"]

    scored = client.get(f"{URL}/flights/KE082/2026-11-21/selection", headers=auth("traveller")).json()
    assert scored["model_version"] == trained.json()["version"]
    assert all(r["score"] is not None and 0 <= r["score"] <= 1 for r in scored["rows"])
    refused = client.post(f"{URL}/model/training", json={"generated_days": 999}, headers=auth("traveller"))
    assert refused.status_code == 422


def test_an_analyst_rule_in_the_condition_language_selects_travellers(client: TestClient, auth: Auth) -> None:
    vvo = passenger(
        "IVANOV",
        "OLEG",
        number="R1",
        nationality="RUS",
        pnr=_pnr(
            channel="online_agency",
            itinerary=[{"from": "VVO", "to": "ICN", "flight": "KE082", "date": "2026-11-21"}],
        ),
    )
    ids = [
        p["passenger_id"]
        for p in client.post(
            f"{URL}/messages", json=message(passengers=[vvo]), headers=auth("traveller")
        ).json()["passengers"]
    ]
    rule = {
        "code": "t-vvo-online",
        "description": "Vladivostok booked online",
        "condition": {
            "all": [
                {"field": "departure_country", "op": "eq", "value": "RUS"},
                {"field": "booking_channel", "op": "eq", "value": "online_agency"},
            ]
        },
    }
    bad = client.post(
        f"{URL}/rules",
        json={
            **rule,
            "condition": {
                "any": [
                    {"field": "bags", "op": "ge", "value": 1},
                    {"field": "bags", "op": "lt", "value": 1},
                    {"field": "bags", "op": "missing"},
                ]
            },
        },
        headers=auth("traveller"),
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["code"] == "matches_everything"
    unknown = client.post(
        f"{URL}/rules",
        json={**rule, "condition": {"field": "hs6", "op": "eq", "value": "1"}},
        headers=auth("traveller"),
    )
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["code"] == "unknown_field"
    added = client.post(f"{URL}/rules", json=rule, headers=auth("traveller"))
    assert added.status_code == 201 and added.json()["code"] == "T-VVO-ONLINE"
    assert client.post(f"{URL}/rules", json=rule, headers=auth("traveller")).status_code == 409
    codes = [r["code"] for r in client.get(f"{URL}/rules", headers=auth("traveller")).json()]
    assert codes == ["T-ROUTE", "T-SHORT-BAGS", "T-LASTMIN-CASH", "T-VVO-ONLINE"]
    (row,) = client.get(f"{URL}/flights/KE082/2026-11-21/selection", headers=auth("traveller")).json()["rows"]
    assert row["passenger_id"] == ids[0] and [r.get("code") for r in row["reasons"]] == ["T-VVO-ONLINE"]
