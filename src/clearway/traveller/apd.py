"""Advance passenger data (API + PNR): reading a carrier's message into checked passenger records. Pure.

A message names one flight and lists its passengers. Each passenger carries the API part (who they are and the
travel document, as read from the document's machine-readable zone) and optionally the PNR part (the booking).
Every problem is reported with a JSON pointer and a stable code; a message with any problem is rejected whole,
so nothing of it is half-stored. Dates are passed in; nothing here reads a clock.

A passenger is identified on a flight by the travel document (issuer + number): a later message that names the
same document on the same flight updates the record instead of adding a second one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from clearway.errors import FieldError, ValidationFailed
from clearway.traveller.names import script_of

SEXES = frozenset({"M", "F", "X"})
# passport, identity card, visa, crew member certificate, other (ICAO Doc 9303)
DOCUMENT_TYPES = frozenset({"P", "I", "V", "C", "A"})
CHANNELS = frozenset({"airline_web", "airline_office", "agency", "online_agency", "call_centre", "other"})
PAYMENTS = frozenset({"card", "cash", "transfer", "voucher", "miles", "other"})
_CODE3 = re.compile(r"^[A-Z]{3}$")
_PORT = re.compile(r"^[A-Z]{3}$")
_FLIGHT = re.compile(r"^[A-Z0-9]{2}[A-Z]?\d{1,4}[A-Z]?$")
_DOCUMENT = re.compile(r"^[A-Z0-9<]{1,20}$")
_SEAT = re.compile(r"^\d{1,3}[A-Z]$")
_CARD = re.compile(r"(?:\d[ -]?){13,19}")
_LOCATOR = re.compile(r"^[A-Z0-9]{5,8}$")
_NAME = re.compile(r"^[^\d<>{}\[\]@#$%^*_=+|\\/:;\"?!~`]{1,80}$")


@dataclass(frozen=True, slots=True)
class Flight:
    number: str
    departure_port: str
    arrival_port: str
    scheduled_arrival: datetime

    @property
    def arrival_date(self) -> date:
        return self.scheduled_arrival.date()


@dataclass(frozen=True, slots=True)
class Passenger:
    """One traveller's API data, with the PNR part (a checked plain dict) when the carrier sent it."""

    family_name: str
    given_names: str
    date_of_birth: date
    sex: str
    nationality: str
    document_type: str
    document_number: str
    document_issuer: str
    document_expiry: date
    seat: str | None
    pnr: dict[str, Any] | None

    @property
    def key(self) -> str:
        """The passenger's identity on a flight: the travel document."""
        return f"{self.document_issuer}:{self.document_number}"

    def api_fields(self) -> dict[str, Any]:
        return {
            "family_name": self.family_name,
            "given_names": self.given_names,
            "date_of_birth": self.date_of_birth.isoformat(),
            "sex": self.sex,
            "nationality": self.nationality,
            "document_type": self.document_type,
            "document_number": self.document_number,
            "document_issuer": self.document_issuer,
            "document_expiry": self.document_expiry.isoformat(),
            "seat": self.seat,
        }


@dataclass(frozen=True, slots=True)
class Message:
    message_id: str
    carrier: str
    flight: Flight
    passengers: tuple[Passenger, ...]


class _Reader:
    """Collects field errors while reading; each getter returns None when the field is wrong."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def fail(self, pointer: str, code: str, message: str) -> None:
        self.errors.append(FieldError(pointer, code, message))

    def obj(self, data: Any, pointer: str) -> dict[str, Any] | None:
        if not isinstance(data, dict):
            self.fail(pointer, "not_an_object", "must be a JSON object")
            return None
        return data

    def text(
        self,
        data: dict[str, Any],
        name: str,
        pointer: str,
        *,
        required: bool = True,
        pattern: re.Pattern[str] | None = None,
        upper: bool = True,
    ) -> str | None:
        value = data.get(name)
        where = f"{pointer}/{name}"
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(where, "missing", f"{name} is required")
            return None
        if not isinstance(value, str):
            self.fail(where, "not_a_string", f"{name} must be a string")
            return None
        value = " ".join(value.split())
        value = value.upper() if upper else value
        if pattern is not None and not pattern.match(value):
            self.fail(where, "bad_format", f"'{value}' is not a valid {name.replace('_', ' ')}")
            return None
        return value

    def choice(
        self, data: dict[str, Any], name: str, pointer: str, allowed: frozenset[str], *, required: bool = True
    ) -> str | None:
        value = self.text(data, name, pointer, required=required, upper=name in ("sex", "type"))
        if value is not None and value not in allowed:
            self.fail(
                f"{pointer}/{name}", "unknown_code", f"'{value}' is not one of {', '.join(sorted(allowed))}"
            )
            return None
        return value

    def day(self, data: dict[str, Any], name: str, pointer: str, *, required: bool = True) -> date | None:
        value = self.text(data, name, pointer, required=required)
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(f"{pointer}/{name}", "bad_date", f"'{value}' is not a real date as YYYY-MM-DD")
            return None

    def moment(self, data: dict[str, Any], name: str, pointer: str) -> datetime | None:
        value = self.text(data, name, pointer)
        if value is None:
            return None
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            self.fail(f"{pointer}/{name}", "bad_datetime", f"'{value}' is not an ISO 8601 date and time")
            return None
        if moment.tzinfo is None:
            self.fail(f"{pointer}/{name}", "no_time_zone", "give the time with its UTC offset, e.g. +09:00")
            return None
        return moment

    def count(self, data: dict[str, Any], name: str, pointer: str, *, maximum: int) -> int | None:
        value = data.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= maximum:
            self.fail(f"{pointer}/{name}", "bad_count", f"{name} must be a whole number from 0 to {maximum}")
            return None
        return value

    def name(self, data: dict[str, Any], name: str, pointer: str) -> str | None:
        value = self.text(data, name, pointer, pattern=_NAME)
        if value is None:
            return None
        if script_of(value) == "mixed":
            self.fail(
                f"{pointer}/{name}",
                "mixed_scripts",
                "a name is written in one script (Latin as in the document's MRZ, or Hangul)",
            )
            return None
        return value


def read_message(data: Any, *, today: date) -> Message:
    """Check a carrier's message; raises :class:`ValidationFailed` naming every wrong field."""
    r = _Reader()
    root = r.obj(data, "")
    if root is None:
        raise ValidationFailed(
            "the message must be a JSON object", errors=r.errors, message_status="rejected"
        )
    message_id = r.text(root, "message_id", "", pattern=re.compile(r"^[A-Z0-9._:-]{1,64}$"))
    carrier = r.text(root, "carrier", "", pattern=re.compile(r"^[A-Z0-9]{2,3}$"))
    flight = _flight(r, root.get("flight"))
    raw = root.get("passengers")
    passengers: list[Passenger] = []
    if not isinstance(raw, list) or not raw:
        r.fail("/passengers", "missing", "passengers must be a non-empty list")
    else:
        seen: dict[str, int] = {}
        for i, item in enumerate(raw):
            passenger = _passenger(r, item, f"/passengers/{i}", today=today, flight=flight)
            if passenger is None:
                continue
            if passenger.key in seen:
                r.fail(
                    f"/passengers/{i}/document/number",
                    "duplicate_in_message",
                    f"the same travel document is already listed at /passengers/{seen[passenger.key]}",
                )
                continue
            seen[passenger.key] = i
            passengers.append(passenger)
    if r.errors or message_id is None or carrier is None or flight is None:
        raise ValidationFailed(
            f"the passenger message has {len(r.errors)} invalid field(s); rejected whole",
            errors=r.errors,
            message_status="rejected",
        )
    return Message(message_id, carrier, flight, tuple(passengers))


def _flight(r: _Reader, data: Any) -> Flight | None:
    obj = r.obj(data, "/flight")
    if obj is None:
        return None
    number = r.text(obj, "number", "/flight", pattern=_FLIGHT)
    departure = r.text(obj, "departure_port", "/flight", pattern=_PORT)
    arrival = r.text(obj, "arrival_port", "/flight", pattern=_PORT)
    scheduled = r.moment(obj, "scheduled_arrival", "/flight")
    if number is None or departure is None or arrival is None or scheduled is None:
        return None
    return Flight(number, departure, arrival, scheduled)


def _passenger(r: _Reader, data: Any, p: str, *, today: date, flight: Flight | None) -> Passenger | None:
    obj = r.obj(data, p)
    if obj is None:
        return None
    before = len(r.errors)
    family = r.name(obj, "family_name", p)
    given = r.name(obj, "given_names", p)
    if family and given and {script_of(family), script_of(given)} == {"latin", "hangul"}:
        r.fail(f"{p}/given_names", "mixed_scripts", "family and given names must be in the same script")
    born = r.day(obj, "date_of_birth", p)
    if born is not None and (born > today or born.year < today.year - 130):
        r.fail(
            f"{p}/date_of_birth", "impossible_date", f"{born.isoformat()} cannot be a living person's birth"
        )
    sex = r.choice(obj, "sex", p, SEXES)
    nationality = r.text(obj, "nationality", p, pattern=_CODE3)
    seat = r.text(obj, "seat", p, required=False, pattern=_SEAT)
    doc = r.obj(obj.get("document"), f"{p}/document")
    d_type = d_number = d_issuer = None
    expiry: date | None = None
    if doc is not None:
        d = f"{p}/document"
        d_type = r.choice(doc, "type", d, DOCUMENT_TYPES)
        d_number = r.text(doc, "number", d, pattern=_DOCUMENT)
        d_issuer = r.text(doc, "issuer", d, pattern=_CODE3)
        expiry = r.day(doc, "expiry", d)
        arriving = flight.arrival_date if flight is not None else today
        if expiry is not None and expiry < arriving:
            r.fail(
                f"{d}/expiry",
                "document_expired",
                f"the document expired on {expiry.isoformat()}, before arrival on {arriving.isoformat()}",
            )
    pnr = _pnr(r, obj.get("pnr"), f"{p}/pnr") if obj.get("pnr") is not None else None
    if len(r.errors) > before:
        return None
    assert family and given and born and sex and nationality and d_type and d_number and d_issuer and expiry
    return Passenger(family, given, born, sex, nationality, d_type, d_number, d_issuer, expiry, seat, pnr)


def _pnr(r: _Reader, data: Any, p: str) -> dict[str, Any] | None:
    obj = r.obj(data, p)
    if obj is None:
        return None
    out: dict[str, Any] = {
        "record_locator": r.text(obj, "record_locator", p, pattern=_LOCATOR),
        "booking_date": None,
        "channel": r.choice(obj, "channel", p, CHANNELS, required=False),
        "travel_agency": r.text(obj, "travel_agency", p, required=False, upper=False),
        "payment": r.choice(obj, "payment", p, PAYMENTS, required=False),
        "bags": r.count(obj, "bags", p, maximum=40),
        "contact": r.text(obj, "contact", p, required=False, upper=False),
        "co_travellers": [],
        "itinerary": [],
    }
    booked = r.day(obj, "booking_date", p, required=False)
    out["booking_date"] = booked.isoformat() if booked else None
    for name in ("travel_agency", "contact", "payment_note"):
        value = obj.get(name)
        if isinstance(value, str) and _CARD.search(value):
            r.fail(
                f"{p}/{name}",
                "card_number_not_allowed",
                "a payment card number must not be sent; give only the form of payment",
            )
    co = obj.get("co_travellers", [])
    if not isinstance(co, list) or not all(isinstance(c, str) and c.strip() for c in co):
        r.fail(f"{p}/co_travellers", "bad_list", "co_travellers must be a list of names")
    else:
        out["co_travellers"] = [" ".join(c.upper().split()) for c in co]
    legs = obj.get("itinerary", [])
    if not isinstance(legs, list):
        r.fail(f"{p}/itinerary", "bad_list", "itinerary must be a list of legs")
        legs = []
    for i, leg in enumerate(legs):
        lp = f"{p}/itinerary/{i}"
        lo = r.obj(leg, lp)
        if lo is None:
            continue
        origin = r.text(lo, "from", lp, pattern=_PORT)
        destination = r.text(lo, "to", lp, pattern=_PORT)
        number = r.text(lo, "flight", lp, pattern=_FLIGHT)
        on = r.day(lo, "date", lp)
        out["itinerary"].append(
            {"from": origin, "to": destination, "flight": number, "date": on.isoformat() if on else None}
        )
    return out
