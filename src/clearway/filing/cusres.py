"""CUSRES (customs response, D.96B): Clearway's answer to every CUSDEC interchange, one message per CUSDEC
message. Pure.

Accepted::

    UNH+n+CUSRES:D:96B:UN'  BGM+962 (customs response)+declaration number+29 (accepted without amendment)'
    DTM+137:CCYYMMDDHHMM:203'  GIS+lane:LANE:ZZZ'  RFF+ACW:CUSDEC message reference'
    RFF+ABE:declarant reference'  RFF+ABT:declaration number'  UNT

Rejected: BGM+962+declarant reference+27 (not accepted), and for each error the group
``ERP+:element:component+segment tag:segment number'  RFF+ACW:message'  ERC+code:ZZZ'  FTX+AAO+++reason:field'``
(the segment numbered from 1 = UNH of the CUSDEC message; the field, a JSON pointer into the declaration, when
the declaration service named one).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydifact.segmentcollection import Interchange

from clearway.edifact.syntax import UNA, components, el, segment
from clearway.filing.cusdec import MessageError

LANES = {"green": "GRN", "blue": "BLU", "yellow": "YLW", "red": "RED"}


@dataclass
class Outcome:
    """What Clearway answers to one CUSDEC message."""

    reference: str
    declarant_reference: str | None
    accepted: bool
    number: str | None = None
    lane: str | None = None
    replayed: bool = False
    errors: list[MessageError] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "declarant_reference": self.declarant_reference,
            "status": "accepted" if self.accepted else "rejected",
            "number": self.number,
            "lane": self.lane,
            "replayed": self.replayed,
            "errors": [e.as_dict(self.reference) for e in self.errors],
        }


def _text(value: str) -> list[str]:
    return [value[i : i + 70] for i in range(0, min(len(value), 350), 70)] or [""]


def _message(n: int, outcome: Outcome, now: datetime) -> list[str]:
    reference = str(n)
    number = outcome.number if outcome.accepted else outcome.declarant_reference
    out = [
        segment("UNH", reference, ("CUSRES", "D", "96B", "UN")),
        segment("BGM", "962", number or "-", "29" if outcome.accepted else "27"),
        segment("DTM", ("137", now.strftime("%Y%m%d%H%M"), "203")),
    ]
    if outcome.accepted and outcome.lane:
        out.append(segment("GIS", (LANES.get(outcome.lane, outcome.lane.upper()), "LANE", "ZZZ")))
    out.append(segment("RFF", ("ACW", outcome.reference)))
    if outcome.declarant_reference:
        out.append(segment("RFF", ("ABE", outcome.declarant_reference)))
    if outcome.accepted and outcome.number:
        out.append(segment("RFF", ("ABT", outcome.number)))
    for error in outcome.errors:
        place = error.place
        if place is None:
            out.append(segment("ERP", None, ("UNZ",)))
        else:
            out.append(segment("ERP", (None, place.element, place.component), (place.tag, place.segment)))
        out.append(segment("RFF", ("ACW", outcome.reference)))
        out.append(segment("ERC", (error.code, None, "ZZZ")))
        text = _text(error.message)
        if error.json_pointer:
            text = [*text[:4], error.json_pointer[:70]]
        out.append(segment("FTX", "AAO", None, None, text))
    out.append(segment("UNT", len(out) + 1, reference))
    return out


def response(outcomes: list[Outcome], *, recipient: str, control: str, now: datetime) -> str:
    """The CUSRES interchange answering ``outcomes`` (UNB from KCS to the CUSDEC's sender)."""
    own = ("R" + control)[:14] if control else "R" + now.strftime("%y%m%d%H%M")
    lines = [
        UNA,
        segment(
            "UNB",
            ("UNOC", "3"),
            "KCS",
            recipient or "UNKNOWN",
            (now.strftime("%y%m%d"), now.strftime("%H%M")),
            own,
        ),
    ]
    for n, outcome in enumerate(outcomes, 1):
        lines += _message(n, outcome, now)
    lines.append(segment("UNZ", len(outcomes), own))
    return "\n".join(lines) + "\n"


def read_response(text: str) -> list[dict[str, Any]]:
    """A CUSRES interchange read back (for clients and tests): per message its status, references, lane and
    errors (code, segment tag and number, element, component, reason, field)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        segments = list(Interchange.from_str(text).segments)
    answers: list[dict[str, Any]] = []
    for seg in segments:
        if seg.tag == "UNH":
            answers.append({"errors": [], "references": {}})
            current = answers[-1]
        elif seg.tag == "BGM":
            current["status"] = {"29": "accepted", "27": "rejected"}.get(el(seg, 2), el(seg, 2))
        elif seg.tag == "GIS" and el(seg, 0, 1) == "LANE":
            current["lane"] = {v: k for k, v in LANES.items()}.get(el(seg, 0, 0), el(seg, 0, 0))
        elif seg.tag == "RFF" and not current["errors"]:
            current["references"][el(seg, 0, 0)] = el(seg, 0, 1)
        elif seg.tag == "ERP":
            current["errors"].append(
                {
                    "segment": el(seg, 1, 0),
                    "segment_number": int(el(seg, 1, 1)) if el(seg, 1, 1) else None,
                    "element": int(el(seg, 0, 1)) if el(seg, 0, 1) else None,
                    "component": int(el(seg, 0, 2)) if el(seg, 0, 2) else None,
                }
            )
        elif seg.tag == "ERC":
            current["errors"][-1]["code"] = el(seg, 0, 0)
        elif seg.tag == "FTX" and current["errors"]:
            parts = components(seg, 3)
            last = parts[-1] if parts else ""
            has_field = last.startswith("/")
            current["errors"][-1]["reason"] = "".join(parts[:-1] if has_field else parts)
            current["errors"][-1]["field"] = last if has_field else None
    return answers
