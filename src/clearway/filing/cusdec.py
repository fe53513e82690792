"""UN/EDIFACT CUSDEC (customs declaration) → declaration documents. Pure.

Directories D.96B and D.01B (the accepted subset has the same structure, segments and qualifiers in both).
Segment order is checked against the part of the CUSDEC structure Clearway accepts, UNT and UNZ counts and the
CNT item count are checked, every qualifier and code against the directory's code lists (or Clearway's own code
lists where the directory leaves the code to the parties). Each message gets its own answer: a declaration
document with the place of each field in the message (so the declaration service's field errors can point at a
segment and element), or the coded reasons it was rejected.

Accepted subset::

    UNH  BGM+929 (import) | 830 (export)+declarant reference+9 (original)
         LOC+22 (customs office of clearance)+office    LOC+11 (port of discharge) | 9 (port of loading)+UN/LOCODE
         DTM+132 (arrival, estimated) | 178 (arrival, actual):CCYYMMDD:102
    SG1  RFF+AAS (transport document number) | BM (bill of lading) | AWB (air waybill):number
    SG4  TDT+20 (main carriage)++mode (8067: 1 sea, 2 rail, 3 road, 4 air, 5 post, 7 fixed, 8 inland water)
    SG5  DOC+380|861|911|271|705|ZZZ+number::issuer   DTM+182 (issue date):CCYYMMDD:102
    SG6  NAD+DT (declarant) | IM (importer) | EX (exporter) | SE (seller) | BY (buyer)+BRN::ZZZ++name…+street…++++country
         UNS+D
    SG30 CST+line number+HSK code:122    FTX+AAA+++description…    LOC+27 (country of origin)+country
         MEA+AAE+AAL (net weight)+KGM:mass    MEA+CT (counts)++unit:quantity
         SG33 MOA+38 (invoice item amount) | 64 (freight) | 67 (insurance):amount:currency
         SG37 DOC+861:::agreement+certificate reference (preference claim)
         SG38 TOD+6 (delivery condition)++Incoterm
         SG40 GIS+method:VAL:ZZZ (valuation method)   GIS+use:USE:ZZZ (use type)
         UNS+S   CNT+5 (number of customs item detail lines):count
    UNT+segment count+message reference
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from pydifact.segments import Segment

from clearway.edifact.syntax import (
    advance,
    components,
    el,
    message_type,
    new_stack,
    read_interchange,
    trailer_problems,
)
from clearway.filing.places import locate
from clearway.reference import codes

RELEASES = ("96B", "01B")
STRUCTURE: dict[str, tuple[str, ...]] = {
    "UNH": (
        "BGM",
        "LOC",
        "DTM",
        "RFF/SG1",
        "TDT/SG4",
        "DOC/SG5",
        "NAD/SG6",
        "UNS",
        "CST/SG30",
        "UNS",
        "CNT",
        "UNT",
    ),
    "SG1": (),
    "SG4": (),
    "SG5": ("DTM",),
    "SG6": (),
    "SG30": ("FTX", "LOC", "MEA", "MOA/SG33", "DOC/SG37", "TOD/SG38", "GIS/SG40"),
    "SG33": (),
    "SG37": (),
    "SG38": (),
    "SG40": (),
}
KINDS = {"929": "import", "830": "export"}
ROLES = {"DT": "declarant", "IM": "importer", "EX": "exporter", "SE": "seller", "BY": "buyer"}
DOCUMENTS = {
    "380": "invoice",
    "861": "certificate_of_origin",
    "911": "licence",
    "271": "packing_list",
    "705": "transport_document",
    "ZZZ": "other",
}
MODES = {code: mode for mode, code in codes.TRANSPORT_MODES.items()}
CHARGES = {"38": "invoice_amount", "64": "freight", "67": "insurance"}
TRANSPORT_REFERENCES = ("AAS", "BM", "AWB")
ARRIVAL = ("132", "178")


@dataclass(frozen=True, slots=True)
class Place:
    """A segment of a message (numbered from 1 = UNH), optionally one element and component (from 1)."""

    segment: int
    tag: str
    element: int | None = None
    component: int | None = None

    def pointer(self, reference: str) -> str:
        text = f"/messages/{reference}/segments/{self.segment}"
        if self.element is not None:
            text += f"/elements/{self.element}"
            if self.component is not None:
                text += f"/components/{self.component}"
        return text


@dataclass(frozen=True, slots=True)
class MessageError:
    place: Place | None  # None: the interchange as a whole
    code: str
    message: str
    json_pointer: str | None = None  # the field of the declaration, when the error is about one

    def pointer(self, reference: str) -> str:
        return self.place.pointer(reference) if self.place is not None else "/interchange"

    def as_dict(self, reference: str) -> dict[str, str]:
        out = {"pointer": self.pointer(reference), "code": self.code, "message": self.message}
        if self.place is not None:
            out["segment"] = self.place.tag
        if self.json_pointer is not None:
            out["field"] = self.json_pointer
        return out


@dataclass
class CusdecAnswer:
    """One CUSDEC message: the declaration document it maps to with the place of each field, or its errors."""

    reference: str
    release: str
    document: dict[str, Any] | None
    errors: list[MessageError] = field(default_factory=list)
    places: dict[str, Place] = field(default_factory=dict)
    declarant_reference: str | None = None

    def place_of(self, json_pointer: str) -> Place:
        return locate(self.places, json_pointer) or Place(1, "UNH")


def _date(value: str, fmt: str) -> str | None:
    if fmt != "102" or len(value) != 8 or not value.isdigit():
        return None
    return f"{value[:4]}-{value[4:6]}-{value[6:]}"


def _int(value: str) -> int | str:
    return int(value) if value.isdigit() else value


class _Reader:
    def __init__(self, reference: str) -> None:
        self.reference = reference
        self.errors: list[MessageError] = []
        self.places: dict[str, Place] = {}
        self.doc: dict[str, Any] = {"consignment": {}, "items": [], "documents": []}
        self.item: dict[str, Any] | None = None
        self.document: dict[str, Any] | None = None
        self.n = 0
        self.seg: Segment | None = None
        self.items_counted: tuple[int, str] | None = None

    # ---- helpers ---------------------------------------------------------------------------------
    def here(self, element: int | None = None, component: int | None = None) -> Place:
        assert self.seg is not None
        return Place(self.n, self.seg.tag, element, component)

    def error(
        self, code: str, message: str, element: int | None = None, component: int | None = None
    ) -> None:
        assert self.seg is not None
        self.errors.append(MessageError(self.here(element, component), code, f"{self.seg.tag}: {message}"))

    def qualifier(
        self, value: str, allowed: Collection[str], element: int, component: int | None = None
    ) -> bool:
        if value in allowed:
            return True
        self.error(
            "unknown_qualifier",
            f"code '{value}' is not accepted here (accepted: {', '.join(sorted(allowed))})",
            element,
            component,
        )
        return False

    def put(
        self,
        target: dict[str, Any],
        pointer: str,
        key: str,
        value: Any,
        element: int,
        component: int | None = None,
    ) -> None:
        target[key] = value
        self.places[f"{pointer}/{key}"] = self.here(element, component)

    def item_pointer(self) -> str:
        return f"/items/{len(self.doc['items']) - 1}"

    # ---- header ----------------------------------------------------------------------------------
    def bgm(self) -> None:
        seg = self.seg
        assert seg is not None
        if self.qualifier(el(seg, 0), KINDS, 1, 1):
            self.put(self.doc, "", "kind", KINDS[el(seg, 0)], 1, 1)
        self.put(self.doc, "", "declarant_reference", el(seg, 1, 0), 2, 1)
        self.qualifier(el(seg, 2) or "9", {"9"}, 3)

    def loc(self) -> None:
        seg = self.seg
        assert seg is not None
        qualifier, value = el(seg, 0), el(seg, 1, 0)
        if self.item is not None:
            if self.qualifier(qualifier, {"27"}, 1):
                self.put(self.item, self.item_pointer(), "origin_country", value, 2, 1)
            return
        places = {"22": "customs_office", "11": "port", "9": "port"}
        if self.qualifier(qualifier, places, 1):
            self.put(self.doc["consignment"], "/consignment", places[qualifier], value, 2, 1)

    def dtm(self) -> None:
        seg = self.seg
        assert seg is not None
        kind = el(seg, 0, 0)
        allowed = ("182",) if self.document is not None else ARRIVAL
        if not self.qualifier(kind, allowed, 1, 1):
            return
        value = _date(el(seg, 0, 1), el(seg, 0, 2))
        if value is None:
            self.error("bad_date", "a date is CCYYMMDD with format code 102", 1, 2)
            return
        if self.document is not None:
            self.put(self.document, f"/documents/{len(self.doc['documents']) - 1}", "issue_date", value, 1, 2)
        else:
            self.put(self.doc["consignment"], "/consignment", "arrival_date", value, 1, 2)

    def rff(self) -> None:
        seg = self.seg
        assert seg is not None
        if self.qualifier(el(seg, 0, 0), TRANSPORT_REFERENCES, 1, 1):
            self.put(self.doc["consignment"], "/consignment", "transport_document", el(seg, 0, 1), 1, 2)

    def tdt(self) -> None:
        seg = self.seg
        assert seg is not None
        self.qualifier(el(seg, 0), {"20"}, 1)
        mode = el(seg, 2, 0)
        if self.qualifier(mode, MODES, 3, 1):
            self.put(self.doc["consignment"], "/consignment", "transport_mode", MODES[mode], 3, 1)

    def doc_(self) -> None:
        seg = self.seg
        assert seg is not None
        if self.item is not None:  # a preference claim: the certificate of origin under an agreement
            if self.qualifier(el(seg, 0, 0), {"861"}, 1, 1):
                pointer = f"{self.item_pointer()}/preference"
                claim: dict[str, Any] = {}
                self.item["preference"] = claim
                self.places[pointer] = self.here()
                self.put(claim, pointer, "agreement", el(seg, 0, 3), 1, 4)
                self.put(claim, pointer, "certificate_reference", el(seg, 1, 0), 2, 1)
            return
        code = el(seg, 0, 0)
        self.document = {}
        self.doc["documents"].append(self.document)
        pointer = f"/documents/{len(self.doc['documents']) - 1}"
        self.places[pointer] = self.here()
        if self.qualifier(code, DOCUMENTS, 1, 1):
            self.put(self.document, pointer, "kind", DOCUMENTS[code], 1, 1)
        self.put(self.document, pointer, "reference", el(seg, 1, 0), 2, 1)
        if el(seg, 1, 2):
            self.put(self.document, pointer, "issuer", el(seg, 1, 2), 2, 3)

    def nad(self) -> None:
        seg = self.seg
        assert seg is not None
        self.document = None
        role = el(seg, 0)
        if not self.qualifier(role, ROLES, 1):
            return
        name = ROLES[role]
        if name in self.doc:
            self.error("repeated_party", f"the {name} is named twice", 1)
            return
        pointer = f"/{name}"
        party: dict[str, Any] = {}
        self.doc[name] = party
        self.places[pointer] = self.here()
        if el(seg, 1, 0):
            self.put(party, pointer, "brn", el(seg, 1, 0), 2, 1)
        self.put(party, pointer, "name", "".join(components(seg, 3)), 4)
        street = "".join(components(seg, 4))
        if street:
            self.put(party, pointer, "address", street, 5)
        self.put(party, pointer, "country", el(seg, 8), 9)

    def uns(self) -> None:
        seg = self.seg
        assert seg is not None
        self.document = None
        self.qualifier(el(seg, 0), {"D", "S"}, 1)

    def cnt(self) -> None:
        seg = self.seg
        assert seg is not None
        if self.qualifier(el(seg, 0, 0), {"5"}, 1, 1):
            self.items_counted = (self.n, el(seg, 0, 1))

    # ---- goods items ------------------------------------------------------------------------------
    def cst(self) -> None:
        seg = self.seg
        assert seg is not None
        self.item = {}
        self.doc["items"].append(self.item)
        pointer = self.item_pointer()
        self.places[pointer] = self.here()
        self.put(self.item, pointer, "line_number", _int(el(seg, 0)), 1)
        self.put(self.item, pointer, "commodity_code", el(seg, 1, 0), 2, 1)
        self.qualifier(el(seg, 1, 1), {"122"}, 2, 2)

    def ftx(self) -> None:
        seg = self.seg
        assert seg is not None
        if self.item is None or not self.qualifier(el(seg, 0), {"AAA"}, 1):
            return
        text = "".join(components(seg, 3))
        previous = self.item.get("description")
        if previous is None:
            self.put(self.item, self.item_pointer(), "description", text, 4)
        else:
            self.item["description"] = previous + text

    def mea(self) -> None:
        seg = self.seg
        assert seg is not None
        assert self.item is not None
        purpose = el(seg, 0)
        if not self.qualifier(purpose, {"AAE", "CT"}, 1):
            return
        unit, value = el(seg, 2, 0), el(seg, 2, 1)
        if purpose == "AAE":
            if self.qualifier(el(seg, 1, 0), {"AAL"}, 2, 1) and self.qualifier(unit, {"KGM"}, 3, 1):
                self.put(self.item, self.item_pointer(), "net_mass_kg", value, 3, 2)
        else:
            self.put(self.item, self.item_pointer(), "quantity_unit", unit, 3, 1)
            self.put(self.item, self.item_pointer(), "quantity", value, 3, 2)

    def moa(self) -> None:
        seg = self.seg
        assert seg is not None
        assert self.item is not None
        kind = el(seg, 0, 0)
        if not self.qualifier(kind, CHARGES, 1, 1):
            return
        pointer = self.item_pointer()
        self.put(self.item, pointer, CHARGES[kind], el(seg, 0, 1), 1, 2)
        currency = el(seg, 0, 2)
        if kind == "38":
            self.put(self.item, pointer, "currency", currency, 1, 3)
        elif currency and currency != self.item.get("currency"):
            self.error("currency_mismatch", "freight and insurance are given in the invoice currency", 1, 3)

    def tod(self) -> None:
        seg = self.seg
        assert seg is not None
        assert self.item is not None
        if self.qualifier(el(seg, 0), {"6"}, 1):
            self.put(self.item, self.item_pointer(), "incoterm", el(seg, 2, 0), 3, 1)

    def gis(self) -> None:
        seg = self.seg
        assert seg is not None
        assert self.item is not None
        kind = el(seg, 0, 1)
        if not self.qualifier(kind, {"VAL", "USE"}, 1, 2):
            return
        if kind == "VAL":
            self.put(self.item, self.item_pointer(), "valuation_method", _int(el(seg, 0, 0)), 1, 1)
        else:
            self.put(self.item, self.item_pointer(), "use_type", el(seg, 0, 0), 1, 1)

    def apply(self, n: int, seg: Segment) -> None:
        self.n, self.seg = n, seg
        if seg.tag in ("UNH", "UNT"):
            return
        handler = getattr(self, "doc_" if seg.tag == "DOC" else seg.tag.lower())
        handler()


def _message(segments: list[Segment]) -> CusdecAnswer:
    head = segments[0]
    reference = el(head, 0) or "?"
    kind, release = message_type(head)
    if kind != "CUSDEC" or release not in RELEASES:
        error = MessageError(
            Place(1, "UNH", 2),
            "unsupported_message",
            "UNH: only CUSDEC:D:96B and CUSDEC:D:01B are accepted here",
        )
        return CusdecAnswer(reference, release, None, [error])
    reader = _Reader(reference)
    stack = new_stack()
    for n, seg in enumerate(segments[1:], 2):
        problem = advance(STRUCTURE, stack, seg.tag)
        reader.n, reader.seg = n, seg
        if problem == "segment_order":
            reader.error(problem, "this segment is out of the CUSDEC order")
        elif problem:
            reader.error(problem, "this segment is not accepted in a CUSDEC declaration")
        else:
            try:
                reader.apply(n, seg)
            except (IndexError, TypeError, ValueError, AttributeError, AssertionError):
                reader.error("malformed_segment", "the segment's elements do not have the directory's shape")
    errors = reader.errors
    for n, tag, code, text in trailer_problems(segments):
        errors.append(MessageError(Place(n, tag), code, text))
    if len(segments) < 2 or segments[1].tag != "BGM":
        errors.append(
            MessageError(
                Place(2, segments[1].tag if len(segments) > 1 else "UNH"), "segment_order", "BGM follows UNH"
            )
        )
    if not reader.doc["items"]:
        errors.append(
            MessageError(Place(1, "UNH"), "no_items", "UNH: the declaration has no goods item (CST)")
        )
    if reader.items_counted is not None and reader.items_counted[1] != str(len(reader.doc["items"])):
        n, counted = reader.items_counted
        errors.append(
            MessageError(
                Place(n, "CNT", 1, 2),
                "bad_item_count",
                f"CNT: counts {counted} goods items; the message has {len(reader.doc['items'])}",
            )
        )
    declarant_reference = reader.doc.get("declarant_reference") or None
    if errors:
        return CusdecAnswer(reference, release, None, errors, reader.places, declarant_reference)
    if not reader.doc["documents"]:
        del reader.doc["documents"]
    return CusdecAnswer(reference, release, reader.doc, [], reader.places, declarant_reference)


@dataclass
class Interchange:
    sender: str
    control: str
    answers: list[CusdecAnswer]


def parse_interchange(text: str) -> Interchange:
    """One answer per UNH…UNT message; an unreadable interchange is one rejected answer (reference '-')."""
    envelope = read_interchange(text)
    if envelope.problem is not None:
        problem = envelope.problem
        return Interchange(
            envelope.sender,
            envelope.control,
            [CusdecAnswer("-", "", None, [MessageError(None, problem.code, problem.message)])],
        )
    answers = [_message(m) for m in envelope.messages]
    if envelope.count_problem is not None:
        for a in answers:
            a.errors.append(MessageError(None, envelope.count_problem.code, envelope.count_problem.message))
            a.document = None
    return Interchange(envelope.sender, envelope.control, answers)
