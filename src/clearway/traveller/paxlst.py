"""UN/EDIFACT PAXLST (passenger list, as airlines send API under the WCO/IATA/ICAO API guidelines) read into
the same message the JSON API takes, then checked by :func:`clearway.traveller.apd.read_message`. Pure.

The segments read (PAXLST D.02B as the guidelines use it; the D.96B structure is the same for these):

* UNB interchange (sender, control reference), UNH message (reference, type PAXLST);
* TDT+20 the flight, LOC+125 departure port with DTM+189, LOC+87 arrival port with DTM+232 (the scheduled
  arrival, local time of the arrival port: EDIFACT dates carry no offset, so the caller passes it);
* per passenger (segment group 4): NAD+FL (family:given names), ATT+2 (sex), DTM+329 (date of birth), NAT+2
  (nationality), RFF+AVF (booking reference) and RFF+SEA (seat), DOC (document type and number), DTM+36
  (expiry) and LOC+91 (issuing state).

A message that is not EDIFACT, is not a PAXLST, or lacks a required segment is rejected with a coded reason
naming the segment (``/PAXLST/<tag>[<n>]``); field problems are named by the JSON pointer of the passenger.
"""

from __future__ import annotations

import warnings
from datetime import date, datetime, tzinfo
from typing import Any

from pydifact.exceptions import EDISyntaxError
from pydifact.segmentcollection import Interchange
from pydifact.segments import Segment

from clearway.clock import KOREA
from clearway.errors import FieldError, ValidationFailed

_DATE_FORMATS = {"101": "%y%m%d", "102": "%Y%m%d", "201": "%y%m%d%H%M", "203": "%Y%m%d%H%M"}
_DOC_TYPES = {"P": "P", "I": "I", "V": "V", "C": "C", "A": "A", "PT": "P", "IP": "P"}


def _reject(pointer: str, code: str, message: str) -> ValidationFailed:
    return ValidationFailed(
        f"the PAXLST message is rejected: {message}",
        errors=[FieldError(pointer, code, message)],
        message_status="rejected",
    )


def _el(segment: Segment, index: int, sub: int | None = None) -> str:
    """The data element at ``index`` (a component ``sub`` of a composite), or '' when absent."""
    if index >= len(segment.elements):
        return ""
    value = segment.elements[index]
    if isinstance(value, list):
        return str(value[sub or 0]) if len(value) > (sub or 0) else ""
    return str(value) if (sub or 0) == 0 else ""


def _edi_date(segment: Segment, today: date, *, birth: bool = False) -> str | None:
    """A DTM's value as ISO text; a two-digit year of birth that would be future falls in the past century."""
    value, fmt = _el(segment, 0, 1), _el(segment, 0, 2) or ("201" if len(_el(segment, 0, 1)) == 10 else "101")
    pattern = _DATE_FORMATS.get(fmt)
    if pattern is None:
        return value or None
    try:
        parsed = datetime.strptime(value, pattern)
    except ValueError:
        return value or None  # left as written: the checker names it as a bad date
    if fmt == "101" and birth and parsed.date() > today:
        parsed = parsed.replace(year=parsed.year - 100)
    return parsed.isoformat() if fmt in ("201", "203") else parsed.date().isoformat()


def parse(text: str, *, today: date, arrival_offset: tzinfo = KOREA) -> dict[str, Any]:
    """PAXLST text → the JSON message of the passenger API (not yet checked)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            interchange = Interchange.from_str(text)
            segments = list(interchange.segments)
    except (EDISyntaxError, ValueError, IndexError, AttributeError, TypeError) as error:
        raise _reject("/PAXLST", "not_edifact", f"not a readable EDIFACT interchange ({error})") from None
    header = next((s for s in segments if s.tag == "UNH"), None)
    if header is None or _el(header, 1, 0) != "PAXLST":
        raise _reject("/PAXLST/UNH", "not_paxlst", "the interchange holds no PAXLST message (UNH)")
    sender = str(interchange.sender or "") if hasattr(interchange, "sender") else ""
    control = str(getattr(interchange, "control_reference", "") or "")
    message: dict[str, Any] = {
        "message_id": "-".join(p for p in (sender, control, _el(header, 0)) if p)[:64],
        "flight": {},
        "passengers": [],
    }
    flight = message["flight"]
    passenger: dict[str, Any] | None = None
    last_loc = ""
    counts: dict[str, int] = {}
    for segment in segments:
        tag = segment.tag
        counts[tag] = counts.get(tag, 0) + 1
        qualifier = _el(segment, 0)
        if tag == "TDT" and passenger is None:
            number = _el(segment, 1).replace(" ", "").upper()
            flight["number"], message["carrier"] = number, number[:2]
        elif tag == "LOC" and passenger is None:
            last_loc = qualifier
            place = {"125": "departure_port", "87": "arrival_port"}.get(qualifier, "_")
            flight[place] = _el(segment, 1)
        elif tag == "DTM" and passenger is None and _el(segment, 0, 0) == "232" and last_loc == "87":
            local = _edi_date(segment, today)
            if local and "T" in local:
                flight["scheduled_arrival"] = (
                    datetime.fromisoformat(local).replace(tzinfo=arrival_offset).isoformat()
                )
            else:
                flight["scheduled_arrival"] = local
        elif tag == "NAD" and qualifier in ("FL", "DDT", "DDU"):
            passenger = {"family_name": _el(segment, 3, 0), "given_names": _el(segment, 3, 1), "document": {}}
            message["passengers"].append(passenger)
        elif passenger is not None:
            _passenger_segment(passenger, segment, today)
    flight.pop("_", None)
    if "number" not in flight:
        raise _reject("/PAXLST/TDT", "missing_segment", "no TDT+20 segment names the flight")
    if not message["passengers"]:
        raise _reject("/PAXLST/NAD", "missing_segment", "no NAD+FL segment names a passenger")
    return message


def _passenger_segment(p: dict[str, Any], segment: Segment, today: date) -> None:
    tag, qualifier = segment.tag, _el(segment, 0)
    if tag == "ATT" and qualifier == "2":
        p["sex"] = _el(segment, 2, 0)
    elif tag == "DTM" and _el(segment, 0, 0) == "329":
        p["date_of_birth"] = _edi_date(segment, today, birth=True)
    elif tag == "DTM" and _el(segment, 0, 0) == "36":
        p["document"]["expiry"] = _edi_date(segment, today)
    elif tag == "NAT" and qualifier == "2":
        p["nationality"] = _el(segment, 1)
    elif tag == "DOC":
        p["document"]["type"] = _DOC_TYPES.get(_el(segment, 0, 0), _el(segment, 0, 0))
        p["document"]["number"] = _el(segment, 1)
    elif tag == "LOC" and qualifier == "91":
        p["document"]["issuer"] = _el(segment, 1)
    elif tag == "RFF" and _el(segment, 0, 0) == "SEA":
        p["seat"] = _el(segment, 0, 1)
    elif tag == "RFF" and _el(segment, 0, 0) == "AVF":
        p.setdefault("pnr", {})["record_locator"] = _el(segment, 0, 1)
