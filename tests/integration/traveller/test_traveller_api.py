"""Advance passenger data through the API: acknowledgement, duplicates and updates, who may see PNR, the
audit of every view, and the masking and deletion job on the injected clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select

from clearway.audit.models import AuditEvent
from clearway.cli.common import acting_user
from clearway.errors import ValidationFailed
from clearway.runtime import Runtime
from clearway.traveller import service
from clearway.traveller.models import TravellerCheck, TravellerDeclarationRecord, TravellerHit
from clearway.traveller.privacy import Retention
from clearway.uow import unit_of_work
from tests.conftest import Clock
from tests.traveller_messages import message, passenger

URL = "/api/v1/travellers"
Auth = Callable[[str], dict[str, str]]


def _send(client: TestClient, auth: Auth, body: dict[str, Any], user: str = "traveller") -> Response:
    return client.post(f"{URL}/messages", json=body, headers=auth(user))


def test_a_message_is_acknowledged_and_the_passenger_readable_by_the_traveller_unit(
    client: TestClient,
    auth: Auth,
) -> None:
    ack = _send(client, auth, message())
    assert ack.status_code == 200, ack.text
    body = ack.json()
    assert body["status"] == "accepted" and body["passengers"][0]["result"] == "created"
    pid = body["passengers"][0]["passenger_id"]
    seen = client.get(f"{URL}/passengers/{pid}", headers=auth("traveller"))
    assert seen.status_code == 200
    assert seen.json()["api"]["family_name"] == "KIM" and seen.json()["pnr"]["record_locator"] == "ABC123"
    listed = client.get(f"{URL}/flights/KE082/2026-11-21", headers=auth("traveller"))
    assert [p["id"] for p in listed.json()] == [pid]


def test_only_the_traveller_unit_and_admins_see_passengers(client: TestClient, auth: Auth) -> None:
    pid = _send(client, auth, message()).json()["passengers"][0]["passenger_id"]
    for user in ("officer", "analyst", "trader"):
        answer = client.get(f"{URL}/passengers/{pid}", headers=auth(user))
        assert answer.status_code == 403 and answer.json()["required_scope"] == "travellers:read"
    assert _send(client, auth, message("OTHER-1"), user="officer").status_code == 403
    assert client.get(f"{URL}/passengers/{pid}", headers=auth("admin")).status_code == 200
    assert client.get(f"{URL}/passengers/{pid + 999}", headers=auth("traveller")).status_code == 404


def test_every_view_is_in_the_audit_trail_without_personal_data(
    client: TestClient,
    auth: Auth,
    runtime: Runtime,
) -> None:
    pid = _send(client, auth, message()).json()["passengers"][0]["passenger_id"]
    client.get(f"{URL}/passengers/{pid}", headers=auth("traveller"))
    client.get(f"{URL}/passengers/{pid}", headers=auth("admin"))
    with runtime.sessions() as session:
        events = session.scalars(
            select(AuditEvent).where(
                AuditEvent.subject_type == "traveller_passenger", AuditEvent.subject_id == str(pid)
            )
        ).all()
        assert [(e.action, e.actor) for e in events] == [
            ("created", "traveller"),
            ("viewed", "traveller"),
            ("viewed", "admin"),
        ]
        assert all("KIM" not in str(e.data) and "M12345678" not in str(e.data) for e in events)


def test_duplicates_and_updates_of_the_same_passenger(client: TestClient, auth: Auth) -> None:
    first = _send(client, auth, message()).json()
    again = _send(client, auth, message())
    assert again.status_code == 200 and again.json()["status"] == "duplicate_message"
    assert again.json()["reasons"][0]["code"] == "DUPLICATE_MESSAGE"
    same = _send(client, auth, message("KE082-20261121-002")).json()
    assert same["passengers"][0]["result"] == "unchanged"
    moved = _send(client, auth, message("KE082-20261121-003", [passenger(seat="11C")])).json()
    pid = first["passengers"][0]["passenger_id"]
    assert moved["passengers"][0] == {"index": 0, "passenger_id": pid, "result": "updated", "version": 2}
    seen = client.get(f"{URL}/passengers/{pid}", headers=auth("traveller")).json()
    assert seen["api"]["seat"] == "11C" and seen["version"] == 2
    other = _send(client, auth, message("KE082-20261121-004", [passenger(number="M999")])).json()
    assert other["passengers"][0]["result"] == "created"


def test_a_rejected_message_names_fields_and_stores_nothing(client: TestClient, auth: Auth) -> None:
    good, bad = passenger(number="M1"), passenger(number="M2", date_of_birth="1985-13-01")
    answer = _send(client, auth, message(passengers=[good, bad]))
    assert answer.status_code == 422
    problem = answer.json()
    assert problem["message_status"] == "rejected"
    assert problem["errors"] == [
        {
            "pointer": "/passengers/1/date_of_birth",
            "code": "bad_date",
            "message": "'1985-13-01' is not a real date as YYYY-MM-DD",
        }
    ]
    assert client.get(f"{URL}/flights/KE082/2026-11-21", headers=auth("traveller")).json() == []
    # the id of the rejected message is free for the corrected one
    assert _send(client, auth, message(passengers=[good])).json()["status"] == "accepted"


def test_masking_then_deletion_follow_the_clock(
    client: TestClient,
    auth: Auth,
    runtime: Runtime,
    clock: Clock,
) -> None:
    pid = _send(client, auth, message()).json()["passengers"][0]["passenger_id"]
    retention = Retention(mask_after_days=183, delete_after_days=1826)

    def purge() -> service.PurgeResult:
        with unit_of_work(runtime.sessions) as session:
            now = clock()
            return service.purge(session, acting_user(session, "admin"), retention, today=now.date(), now=now)

    clock.advance(days=183)
    assert purge().masked == 0  # the masking period counts from arrival (21 Nov), not from receipt
    clock.advance(days=2)
    result = purge()
    assert result.masked == 1 and result.mask_before == date(2026, 11, 22)
    seen = client.get(f"{URL}/passengers/{pid}", headers=auth("traveller")).json()
    assert seen["masked"] is True
    assert seen["api"]["family_name"] == "***" and seen["api"]["document_number"] == "***"
    assert seen["api"]["date_of_birth"] is None and seen["api"]["year_of_birth"] == 1985
    assert seen["api"]["nationality"] == "KOR"  # what risk analysis needs stays
    assert seen["pnr"]["contact"] == "***" and seen["pnr"]["co_travellers"] == []
    assert seen["pnr"]["itinerary"][0]["from"] == "JFK"
    assert purge().masked == 0  # idempotent
    clock.advance(days=1826 - 185 + 1)  # delete_before is now the arrival day itself: kept
    assert purge().deleted == 0
    clock.advance(days=1)
    assert purge().deleted == 1
    assert client.get(f"{URL}/passengers/{pid}", headers=auth("traveller")).status_code == 404


def test_inconsistent_retention_periods_are_refused() -> None:
    try:
        Retention(mask_after_days=400, delete_after_days=300)
    except ValidationFailed as error:
        assert error.errors[0].pointer == "delete_after_days"
    else:
        raise AssertionError("accepted a retention shorter than the masking period")


def test_a_paxlst_message_through_the_api(client: TestClient, auth: Auth) -> None:
    text = (Path(__file__).parents[2] / "unit" / "traveller" / "paxlst" / "good.edi").read_bytes()
    headers = {**auth("traveller"), "Content-Type": "text/plain"}
    ack = client.post(f"{URL}/messages/paxlst", content=text, headers=headers)
    assert ack.status_code == 200, ack.text
    assert ack.json()["message_id"] == "KE-000123-1"
    assert [p["result"] for p in ack.json()["passengers"]] == ["created", "created"]
    broken = client.post(f"{URL}/messages/paxlst", content=b"UNA:+.? 'UNB+UNOA", headers=headers)
    assert broken.status_code == 422 and broken.json()["errors"][0]["pointer"].startswith("/PAXLST")
    refused = client.post(
        f"{URL}/messages/paxlst", content=text, headers={**auth("officer"), "Content-Type": "text/plain"}
    )
    assert refused.status_code == 403


LIST = "entry_id,name,aliases,date_of_birth,nationality,reason\nW1,김민수,,1985-03-14,KOR,smuggling\nW2,PARK SOYEON,,,,\n"


def test_a_flight_screened_against_stored_watchlists_and_a_cleared_hit_not_raised_again(
    client: TestClient, auth: Auth, runtime: Runtime
) -> None:
    others = [
        passenger("LEE", "SOYEON", number="M2", date_of_birth="1990-05-05"),
        passenger("MUELLER", "JUERGEN", number="C3", nationality="DEU", date_of_birth="1970-01-02"),
    ]
    pid = _send(client, auth, message(passengers=[passenger(), *others])).json()["passengers"][0][
        "passenger_id"
    ]
    csv = {"content-type": "text/csv"}
    broken = client.post(
        f"{URL}/watchlists/suspects",
        content=LIST + "W3,KIM 민수,,,,\nW4,LEE,,1990-02-31,,\n",
        headers={**auth("traveller"), **csv},
    )
    assert broken.status_code == 422
    assert {e["pointer"] for e in broken.json()["errors"]} >= {"/rows/4/name", "/rows/5/date_of_birth"}
    assert client.get(f"{URL}/watchlists", headers=auth("traveller")).json() == []  # nothing half-stored
    loaded = client.post(f"{URL}/watchlists/suspects", content=LIST, headers={**auth("traveller"), **csv})
    assert loaded.status_code == 201 and loaded.json()["version"] == 1 and loaded.json()["entry_count"] == 2
    assert client.post(f"{URL}/watchlists/suspects", content=LIST, headers=auth("officer")).status_code == 403

    screened = client.post(f"{URL}/flights/KE082/2026-11-21/screening", headers=auth("traveller")).json()
    assert screened["passengers"] == 3 and screened["lists"] == [{"name": "suspects", "version": 1}]
    (hit,) = screened["hits"]
    assert hit["passenger_id"] == pid and hit["entry_id"] == "W1" and hit["score"] >= 85
    assert any("romanised" in r for r in hit["reasons"]) and any(
        "date of birth equal" in r for r in hit["reasons"]
    )
    listed = client.get(f"{URL}/passengers/{pid}/hits", headers=auth("traveller")).json()
    assert [h["id"] for h in listed] == [hit["id"]]

    bad = client.post(
        f"{URL}/hits/{hit['id']}/decision", json={"decision": "maybe"}, headers=auth("traveller")
    )
    assert bad.status_code == 422
    cleared = client.post(
        f"{URL}/hits/{hit['id']}/decision",
        json={"decision": "cleared", "note": "different person, checked passport"},
        headers=auth("traveller"),
    )
    assert cleared.status_code == 200 and cleared.json()["status"] == "cleared"
    twice = client.post(
        f"{URL}/hits/{hit['id']}/decision", json={"decision": "confirmed"}, headers=auth("traveller")
    )
    assert twice.status_code == 409

    # a new version of the list, and the same person on a later flight: the cleared entry is not raised again
    client.post(
        f"{URL}/watchlists/suspects",
        content=LIST + "W5,MUELLER JUERGEN,,,DEU,\n",
        headers={**auth("traveller"), **csv},
    )
    later = message(
        "KE082-20261122-001", passengers=[passenger(), others[1]], arrival="2026-11-22T17:30:00+09:00"
    )
    _send(client, auth, later)
    again = client.post(f"{URL}/flights/KE082/2026-11-22/screening", headers=auth("traveller")).json()
    assert again["lists"] == [{"name": "suspects", "version": 2}]
    assert [h["entry_id"] for h in again["hits"]] == ["W5"] and again["suppressed"] == 1
    with runtime.sessions() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.subject_type.like("traveller%"))).all()
        assert all("KIM" not in str(e.data) and "M12345678" not in str(e.data) for e in events)
        assert {"watchlist_hit", "hit_cleared", "loaded"} <= {e.action for e in events}


def test_the_retention_job_masks_and_deletes_hits_and_declarations_but_keeps_check_results_anonymous(
    client: TestClient, auth: Auth, runtime: Runtime, clock: Clock
) -> None:
    pid = _send(client, auth, message()).json()["passengers"][0]["passenger_id"]
    csv = {**auth("traveller"), "content-type": "text/csv"}
    client.post(f"{URL}/watchlists/suspects", content=LIST, headers=csv)
    client.post(f"{URL}/flights/KE082/2026-11-21/screening", headers=auth("traveller"))
    checked = client.post(
        f"{URL}/passengers/{pid}/checks",
        json={"found": False, "selected_by": "watchlist"},
        headers=auth("traveller"),
    )
    assert checked.status_code == 201
    with unit_of_work(runtime.sessions) as session:
        session.add(
            TravellerDeclarationRecord(
                passenger_id=pid,
                flight_number="KE082",
                arrival_date=date(2026, 11, 21),
                document_ref="x" * 64,
                content={"document_number": "M12345678", "goods": []},
                result={"total_krw": "0"},
                total_krw=Decimal(0),
                submitted_at=clock(),
            )
        )
    retention = Retention(mask_after_days=10, delete_after_days=20)

    def purge() -> service.PurgeResult:
        with unit_of_work(runtime.sessions) as session:
            now = clock()
            return service.purge(session, acting_user(session, "admin"), retention, today=now.date(), now=now)

    clock.advance(days=12)
    assert purge().masked == 1
    with runtime.sessions() as session:
        (hit,) = session.scalars(select(TravellerHit)).all()
        assert hit.reasons == ["masked after the masking period"]
        (own,) = session.scalars(select(TravellerDeclarationRecord)).all()
        assert own.content["document_number"] == "masked"
    clock.advance(days=10)
    assert purge().deleted == 1
    with runtime.sessions() as session:
        assert session.scalars(select(TravellerHit)).all() == []
        assert session.scalars(select(TravellerDeclarationRecord)).all() == []
        (check,) = session.scalars(select(TravellerCheck)).all()
        assert check.passenger_id is None and "KIM" not in str(check.features)  # still a training example
