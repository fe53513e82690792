"""Reading carriers' API/PNR messages: every wrong field named with a code, the message rejected whole."""

from __future__ import annotations

from datetime import date

import pytest

from clearway.errors import ValidationFailed
from clearway.traveller.apd import read_message
from tests.traveller_messages import message, passenger

TODAY = date(2026, 11, 20)


def _codes(data: object) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        read_message(data, today=TODAY)
    assert caught.value.extra["message_status"] == "rejected"
    return {e.pointer: e.code for e in caught.value.errors}


def test_a_good_message_is_read_with_flight_and_passenger() -> None:
    m = read_message(message(), today=TODAY)
    assert m.flight.number == "KE082" and m.flight.arrival_date == date(2026, 11, 21)
    (p,) = m.passengers
    assert p.key == "KOR:M12345678" and p.given_names == "MIN SU" and p.pnr is not None
    assert p.pnr["itinerary"][0]["from"] == "JFK" and p.pnr["bags"] == 2


def test_each_bad_field_is_named_with_its_code() -> None:
    bad = passenger(date_of_birth="2030-01-01", sex="Q", nationality="Korea", seat="window")
    bad["document"]["expiry"] = "2026-02-30"
    codes = _codes(message(passengers=[bad]))
    assert codes == {
        "/passengers/0/date_of_birth": "impossible_date",
        "/passengers/0/sex": "unknown_code",
        "/passengers/0/nationality": "bad_format",
        "/passengers/0/seat": "bad_format",
        "/passengers/0/document/expiry": "bad_date",
    }


def test_expired_document_mixed_scripts_and_card_numbers_are_rejected() -> None:
    expired = passenger(number="M1")
    expired["document"]["expiry"] = "2026-11-01"
    mixed = passenger(family="김", given="MINSU", number="M2")
    card = passenger(number="M3")
    card["pnr"]["travel_agency"] = "paid 4111 1111 1111 1111"
    half = passenger(given="MIN수", number="M4")
    codes = _codes(message(passengers=[expired, mixed, card, half]))
    assert codes["/passengers/0/document/expiry"] == "document_expired"
    assert codes["/passengers/1/given_names"] == "mixed_scripts"
    assert codes["/passengers/2/pnr/travel_agency"] == "card_number_not_allowed"
    assert codes["/passengers/3/given_names"] == "mixed_scripts"


def test_the_same_document_twice_in_one_message_is_a_duplicate() -> None:
    codes = _codes(message(passengers=[passenger(), passenger(given="MINSU")]))
    assert codes == {"/passengers/1/document/number": "duplicate_in_message"}


def test_missing_parts_and_wrong_shapes() -> None:
    assert _codes([]) == {"": "not_an_object"}
    flight = {
        "number": "KE082",
        "departure_port": "JFK",
        "arrival_port": "ICN",
        "scheduled_arrival": "2026-11-21T17:30",
    }
    codes = _codes({"carrier": "KE", "flight": flight, "passengers": []})
    assert codes == {
        "/message_id": "missing",
        "/flight/scheduled_arrival": "no_time_zone",
        "/passengers": "missing",
    }
