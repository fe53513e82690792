"""UN/EDIFACT CUSCAR (cargo report, directory D.96B) → manifest documents. Pure.

The interchange is tokenised by pydifact; this module checks the segment order against the part of the
CUSCAR structure Clearway accepts, the UNT segment count and the qualifiers, and maps each message to the
JSON manifest document that :func:`clearway.cargo.manifest.parse_manifest` checks. Every message gets its own
answer: a document, or the coded reasons it was rejected (pointer ``/messages/<UNH ref>/segments/<n>``).

Accepted subset (D.96B CUSCAR; qualifiers from the D.96B code lists)::

    UNH  BGM+785 (cargo manifest)+reference+9 (original) | 5 (replace)
    FTX*
    SG4  TDT+20 (main carriage)+voyage+1 (sea) | 4 (air)++carrier code+++IMO::name
         LOC+9 (port of loading) | 11 (port of discharge)
         DTM+133 (departure) | 132 (arrival):CCYYMMDD:102
    SG5  EQD+CN+container number+size type      SEL+seal
    SG7  CNI+sequence+master bill
      SG8  RFF+BH:house bill   MOA+44 (declared value for carriage):amount:currency   LOC+13 (transshipment)
           SG11 NAD+CZ (consignor) | CN (consignee) | NI (notify)+id::ZZZ++name++city+++country
           SG14 GID+1+packages:package type   FTX+AAA (goods description)   MEA+AAE+G (gross weight) |
                AAW (gross volume)+KGM | MTQ:value   SGP+container   CST++HS code
    UNT+segment count+message reference
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from pydifact.segments import Segment

from clearway.edifact.syntax import advance, el, new_stack, read_interchange, trailer_problems
from clearway.errors import FieldError

GROUPS: dict[str, tuple[str, ...]] = {
    "UNH": ("BGM", "FTX", "TDT/TDT", "EQD/EQD", "CNI/CNI", "UNT"),
    "TDT": ("LOC", "DTM"),
    "EQD": ("SEL",),
    "CNI": ("RFF/RFF",),
    "RFF": ("MOA", "LOC", "NAD/NAD", "GID/GID"),
    "NAD": (),
    "GID": ("FTX", "MEA", "SGP", "CST"),
}
PARTY = {"CZ": "shipper", "CN": "consignee", "NI": "notify"}
MODES = {"1": "sea", "4": "air"}


@dataclass
class MessageAnswer:
    """The answer to one CUSCAR message: the document it maps to, or why it was rejected."""

    reference: str
    document: dict[str, Any] | None
    errors: list[FieldError] = field(default_factory=list)
    function: str = "original"


class _Message:
    def __init__(self, reference: str) -> None:
        self.reference = reference
        self.errors: list[FieldError] = []
        self.doc: dict[str, Any] = {"voyage": {}, "containers": [], "masters": []}
        self.function = "original"

    def error(self, n: int, tag: str, code: str, message: str) -> None:
        self.errors.append(FieldError(f"/messages/{self.reference}/segments/{n}", code, f"{tag}: {message}"))


_el = el


def _date(value: str, fmt: str) -> str | None:
    if fmt != "102" or len(value) != 8 or not value.isdigit():
        return None
    return f"{value[:4]}-{value[4:6]}-{value[6:]}"


class _Mapper:
    def __init__(self, message: _Message) -> None:
        self.m = message
        self.master: dict[str, Any] | None = None
        self.house: dict[str, Any] | None = None

    def apply(self, n: int, seg: Segment) -> None:
        handler = getattr(self, f"_{seg.tag.lower()}", None)
        if handler is not None:
            handler(n, seg)

    def _qualifier(self, n: int, seg: Segment, value: str, allowed: Collection[str]) -> bool:
        if value not in allowed:
            self.m.error(
                n,
                seg.tag,
                "unknown_qualifier",
                f"qualifier '{value}' is not accepted here (accepted: {', '.join(sorted(allowed))})",
            )
            return False
        return True

    def _bgm(self, n: int, seg: Segment) -> None:
        if self._qualifier(n, seg, _el(seg, 0), {"785"}):
            self.m.doc["reference"] = _el(seg, 1)
        function = _el(seg, 2) or "9"
        if self._qualifier(n, seg, function, {"9": "original", "5": "replace"}):
            self.m.function = {"9": "original", "5": "replace"}[function]

    def _tdt(self, n: int, seg: Segment) -> None:
        voyage = self.m.doc["voyage"]
        self._qualifier(n, seg, _el(seg, 0), {"20"})
        voyage["number"] = _el(seg, 1)
        mode = _el(seg, 2)
        if self._qualifier(n, seg, mode, MODES):
            voyage["mode"] = MODES[mode]
        voyage["carrier_code"] = _el(seg, 4)
        if _el(seg, 7):
            voyage["imo"] = _el(seg, 7, 0)
            if _el(seg, 7, 3):
                voyage["vessel_name"] = _el(seg, 7, 3)

    def _loc(self, n: int, seg: Segment) -> None:
        if self.house is not None:
            if self._qualifier(n, seg, _el(seg, 0), {"13"}):
                self.house.setdefault("transshipment_ports", []).append(_el(seg, 1))
            return
        places = {"9": "port_of_loading", "11": "port_of_discharge"}
        if self._qualifier(n, seg, _el(seg, 0), places):
            self.m.doc["voyage"][places[_el(seg, 0)]] = _el(seg, 1)

    def _dtm(self, n: int, seg: Segment) -> None:
        kinds = {"133": "departure_date", "132": "arrival_date"}
        if not self._qualifier(n, seg, _el(seg, 0, 0), kinds):
            return
        value = _date(_el(seg, 0, 1), _el(seg, 0, 2))
        if value is None:
            self.m.error(n, seg.tag, "bad_date", "a date is CCYYMMDD with format code 102")
            return
        self.m.doc["voyage"][kinds[_el(seg, 0, 0)]] = value

    def _eqd(self, n: int, seg: Segment) -> None:
        self._qualifier(n, seg, _el(seg, 0), {"CN"})
        container: dict[str, Any] = {"number": _el(seg, 1, 0), "seals": []}
        if _el(seg, 2):
            container["size_type"] = _el(seg, 2, 0)
        self.m.doc["containers"].append(container)

    def _sel(self, n: int, seg: Segment) -> None:
        self.m.doc["containers"][-1]["seals"].append(_el(seg, 0))

    def _cni(self, n: int, seg: Segment) -> None:
        self.master = {"master_bill": _el(seg, 1, 0), "houses": []}
        self.house = None
        self.m.doc["masters"].append(self.master)

    def _rff(self, n: int, seg: Segment) -> None:
        if not self._qualifier(n, seg, _el(seg, 0, 0), {"BH"}) or self.master is None:
            return
        self.house = {"house_bill": _el(seg, 0, 1), "containers": []}
        self.master["houses"].append(self.house)

    def _moa(self, n: int, seg: Segment) -> None:
        if self.house is not None and self._qualifier(n, seg, _el(seg, 0, 0), {"44"}):
            self.house["value"] = _el(seg, 0, 1)
            self.house["currency"] = _el(seg, 0, 2)

    def _nad(self, n: int, seg: Segment) -> None:
        role = _el(seg, 0)
        if self.house is None or not self._qualifier(n, seg, role, PARTY):
            return
        party: dict[str, Any] = {
            "name": " ".join(p for p in seg.elements[3] if p)
            if len(seg.elements) > 3 and isinstance(seg.elements[3], list)
            else _el(seg, 3),
            "country": _el(seg, 8),
        }
        if _el(seg, 1):
            party["brn"] = _el(seg, 1, 0)
        if _el(seg, 5):
            party["address"] = _el(seg, 5)
        self.house[PARTY[role]] = party

    def _gid(self, n: int, seg: Segment) -> None:
        if self.house is None:
            return
        packages = _el(seg, 1, 0)
        self.house["packages"] = int(packages) if packages.isdigit() else packages
        self.house["package_type"] = _el(seg, 1, 1)

    def _ftx(self, n: int, seg: Segment) -> None:
        if self.house is None:
            return  # free text of the message header is kept by nobody
        if self._qualifier(n, seg, _el(seg, 0), {"AAA"}):
            text = seg.elements[3] if len(seg.elements) > 3 else ""
            self.house["description"] = " ".join(p for p in text if p) if isinstance(text, list) else text

    def _mea(self, n: int, seg: Segment) -> None:
        if self.house is None or not self._qualifier(n, seg, _el(seg, 0), {"AAE"}):
            return
        what = {"G": ("gross_weight_kg", "KGM"), "AAW": ("volume_m3", "MTQ")}
        kind = _el(seg, 1, 0)
        if not self._qualifier(n, seg, kind, what):
            return
        name, unit = what[kind]
        if _el(seg, 2, 0) != unit:
            self.m.error(n, seg.tag, "unknown_qualifier", f"{name} is given in {unit}")
            return
        self.house[name] = _el(seg, 2, 1)

    def _sgp(self, n: int, seg: Segment) -> None:
        if self.house is not None:
            self.house["containers"].append(_el(seg, 0, 0))

    def _cst(self, n: int, seg: Segment) -> None:
        if self.house is not None and _el(seg, 1, 0):
            self.house["hs6"] = _el(seg, 1, 0)[:6]


def _message(segments: list[Segment]) -> MessageAnswer:
    head = segments[0]
    reference = _el(head, 0) or "?"
    message = _Message(reference)
    if _el(head, 1, 0) != "CUSCAR" or _el(head, 1, 1) != "D" or _el(head, 1, 2) != "96B":
        message.error(1, "UNH", "unsupported_message", "only CUSCAR:D:96B messages are accepted here")
        return MessageAnswer(reference, None, message.errors)
    stack = new_stack()
    mapper = _Mapper(message)
    for n, seg in enumerate(segments[1:], 2):
        problem = advance(GROUPS, stack, seg.tag)
        if problem == "segment_order":
            message.error(n, seg.tag, problem, "this segment is out of the CUSCAR order")
        elif problem:
            message.error(n, seg.tag, problem, "this segment is not accepted in a CUSCAR cargo report")
        else:
            try:
                mapper.apply(n, seg)
            except (IndexError, TypeError, ValueError, AttributeError):  # elements of an unexpected shape
                message.error(
                    n, seg.tag, "malformed_segment", "the segment's elements do not have the D.96B shape"
                )
    for n, tag, code, text in trailer_problems(segments):
        message.error(n, tag, code, text)
    if not any(s.tag == "BGM" for s in segments[1:2]):
        message.error(2, segments[1].tag if len(segments) > 1 else "UNH", "segment_order", "BGM follows UNH")
    if message.errors:
        return MessageAnswer(reference, None, message.errors, message.function)
    return MessageAnswer(reference, message.doc, [], message.function)


def parse_interchange(text: str) -> list[MessageAnswer]:
    """One answer per UNH…UNT message; an unreadable interchange is one rejected answer (reference '-')."""
    envelope = read_interchange(text)
    if envelope.problem is not None:
        return [MessageAnswer("-", None, [envelope.problem])]
    answers = [_message(m) for m in envelope.messages]
    if envelope.count_problem is not None:
        for a in answers:
            a.errors.append(envelope.count_problem)
            a.document = None
    return answers
