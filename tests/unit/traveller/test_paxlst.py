"""UN/EDIFACT PAXLST read with pydifact: one golden good message and one bad, plus malformed interchanges."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from clearway.errors import ValidationFailed
from clearway.traveller.apd import read_message
from clearway.traveller.paxlst import parse

HERE = Path(__file__).parent / "paxlst"
TODAY = date(2026, 11, 20)


def test_the_golden_message_reads_into_checked_passengers() -> None:
    message = read_message(parse((HERE / "good.edi").read_text("utf-8"), today=TODAY), today=TODAY)
    assert message.message_id == "KE-000123-1" and message.carrier == "KE"
    assert (
        message.flight.number == "KE082"
        and message.flight.scheduled_arrival.isoformat() == "2026-11-21T17:30:00+09:00"
    )
    kim, obrien = message.passengers
    assert (kim.family_name, kim.given_names, kim.date_of_birth, kim.seat) == (
        "KIM",
        "MIN SU",
        date(1985, 3, 14),
        "32A",
    )
    assert kim.key == "KOR:M12345678" and kim.document_expiry == date(2031, 1, 1)
    assert kim.pnr is not None and kim.pnr["record_locator"] == "ABC123"
    assert obrien.family_name == "O'BRIEN" and obrien.date_of_birth == date(2002, 7, 30)  # ?' is an escape
    assert obrien.pnr is None


def test_the_bad_message_is_rejected_naming_each_field() -> None:
    with pytest.raises(ValidationFailed) as caught:
        read_message(parse((HERE / "bad.edi").read_text("utf-8"), today=TODAY), today=TODAY)
    assert {e.pointer: e.code for e in caught.value.errors} == {
        "/passengers/0/date_of_birth": "bad_date",
        "/passengers/0/document/expiry": "document_expired",
    }


@pytest.mark.parametrize(
    ("text", "pointer", "code"),
    [
        ("this is not EDIFACT at all", "/PAXLST", "not_edifact"),
        (
            "UNA:+.? 'UNB+UNOA:4+KE+KCS+261120:1200+1'UNH+1+CUSCAR:D:96B:UN'UNT+2+1'UNZ+1+1'",
            "/PAXLST/UNH",
            "not_paxlst",
        ),
        (
            "UNA:+.? 'UNB+UNOA:4+KE+KCS+261120:1200+1'UNH+1+PAXLST:D:02B:UN:IATA'BGM+745'NAD+FL+++KIM:MIN'"
            "UNT+4+1'UNZ+1+1'",
            "/PAXLST/TDT",
            "missing_segment",
        ),
        (
            "UNA:+.? 'UNB+UNOA:4+KE+KCS+261120:1200+1'UNH+1+PAXLST:D:02B:UN:IATA'BGM+745'TDT+20+KE082'"
            "UNT+4+1'UNZ+1+1'",
            "/PAXLST/NAD",
            "missing_segment",
        ),
    ],
)
def test_malformed_interchanges_are_rejected_with_a_coded_reason(text: str, pointer: str, code: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse(text, today=TODAY)
    assert [(e.pointer, e.code) for e in caught.value.errors] == [(pointer, code)]
    assert caught.value.extra["message_status"] == "rejected"
