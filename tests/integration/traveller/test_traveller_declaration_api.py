"""The traveller's own declaration through the API: no sign-in, duty with its explanation, refused bad input
with nothing stored, and the declaration on the passenger's record for the traveller unit."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from clearway.runtime import Runtime
from clearway.tariff import service as tariff
from clearway.traveller.models import TravellerDeclarationRecord
from clearway.uow import unit_of_work
from tests.traveller_messages import message

URL = "/api/v1/travellers"
Auth = Callable[[str], dict[str, str]]


def _declaration(**over: Any) -> dict[str, Any]:
    base = {
        "flight_number": "KE082",
        "arrival_date": "2026-11-21",
        "document_issuer": "KOR",
        "document_number": "M12345678",
        "goods": [{"description": "handbag", "category": "general", "price": "1000", "currency": "USD"}],
        "alcohol": [{"kind": "spirits", "bottles": 1, "litres": "0.7", "price": "80", "currency": "USD"}],
        "cigarettes": 200,
    }
    return {**base, **over}


def _stored(runtime: Runtime) -> int:
    with runtime.sessions() as session:
        return session.scalar(select(func.count()).select_from(TravellerDeclarationRecord)) or 0


def test_a_declaration_is_assessed_and_joins_the_passengers_record(
    client: TestClient, auth: Auth, runtime: Runtime
) -> None:
    with unit_of_work(runtime.sessions) as session:
        tariff.load_demo_tariff(session, now=runtime.clock())
    bad = client.post(
        f"{URL}/declarations",
        json=_declaration(
            arrival_date="2026-02-30", goods=[{"description": "watch", "price": "-10", "currency": "USD"}]
        ),
    )
    assert bad.status_code == 422
    assert {e["pointer"] for e in bad.json()["errors"]} == {"/arrival_date", "/goods/0/price"}
    assert _stored(runtime) == 0

    sent = client.post(f"{URL}/declarations", json=_declaration())  # before the carrier's data: no sign-in
    assert sent.status_code == 201, sent.text
    body = sent.json()
    assert int(body["total_krw"]) > 0 and "joined" not in body
    assert any("basic allowance USD 800" in line for line in body["explanation"])
    assert any("separate allowance" in line for line in body["explanation"])
    assert any("자진신고" in line for line in body["explanation"])

    pid = client.post(f"{URL}/messages", json=message(), headers=auth("traveller")).json()["passengers"][0][
        "passenger_id"
    ]
    seen = client.get(f"{URL}/passengers/{pid}/declarations", headers=auth("traveller"))
    assert seen.status_code == 200 and [d["id"] for d in seen.json()] == [body["declaration_id"]]
    assert seen.json()[0]["result"]["total_krw"] == body["total_krw"]
    assert client.get(f"{URL}/passengers/{pid}/declarations", headers=auth("officer")).status_code == 403


def test_bad_input_leaves_no_personal_data_in_the_logs(
    client: TestClient, auth: Auth, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    bad_message = message()
    bad_message["passengers"][0]["date_of_birth"] = "1985-02-30"
    bad_message["passengers"][0]["given_names"] = "MIN 수"
    assert client.post(f"{URL}/messages", json=bad_message, headers=auth("traveller")).status_code == 422
    paxlst = "UNA:+.? 'UNB+UNOA:4+KE+KCS+261120:1200+1'UNH+1+PAXLST:D:02B:UN:IATA'NAD+FL+++KIM:MIN SU'"
    answer = client.post(f"{URL}/messages/paxlst", content=paxlst, headers=auth("traveller"))
    assert answer.status_code == 422
    declared = client.post(
        f"{URL}/declarations",
        json=_declaration(goods=[{"description": "watch", "price": "-1", "currency": "USD"}]),
    )
    assert declared.status_code == 422
    assert "M12345678" not in caplog.text and "KIM" not in caplog.text and "1985" not in caplog.text
