"""A declaration → a UN/EDIFACT CUSDEC interchange, the inverse of :mod:`clearway.filing.cusdec`. Pure.

Used to hand brokers a sample of the accepted subset and to prove the reader (read(write(d)) == d).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from clearway.declaration.content import DeclarationContent, Party
from clearway.edifact.syntax import UNA, segment
from clearway.filing.cusdec import DOCUMENTS, KINDS, ROLES
from clearway.reference import codes

_KIND_CODES = {kind: code for code, kind in KINDS.items()}
_DOCUMENT_CODES = {kind: code for code, kind in DOCUMENTS.items()}
_ROLE_CODES = {name: code for code, name in ROLES.items()}


def _chunks(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


def _number(value: Decimal) -> str:
    return format(value, "f")


def _date(value: Any) -> tuple[str, str]:
    return value.isoformat().replace("-", ""), "102"  # CCYYMMDD


def _party(role: str, party: Party) -> str:
    brn = (party.brn, "", "ZZZ") if party.brn else None
    street = _chunks(party.address, 35) if party.address else None
    return segment(
        "NAD", _ROLE_CODES[role], brn, None, _chunks(party.name, 35), street, None, None, None, party.country
    )


def message_segments(content: DeclarationContent, reference: str, release: str = "96B") -> list[str]:
    """The UNH…UNT segments of one CUSDEC message for ``content``."""
    c = content.consignment
    port = "11" if content.kind.value == "import" else "9"
    segments = [
        segment("UNH", reference, ("CUSDEC", "D", release, "UN")),
        segment("BGM", _KIND_CODES[content.kind.value], content.declarant_reference, "9"),
        segment("LOC", "22", c.customs_office),
        segment("LOC", port, c.port),
        segment("DTM", ("132", *_date(c.arrival_date))),
        segment("RFF", ("AAS", c.transport_document)),
        segment("TDT", "20", None, codes.TRANSPORT_MODES[c.transport_mode]),
    ]
    for d in content.documents:
        segments.append(segment("DOC", _DOCUMENT_CODES[d.kind.value], (d.reference, None, d.issuer)))
        if d.issue_date is not None:
            segments.append(segment("DTM", ("182", *_date(d.issue_date))))
    for role in ("declarant", "importer", "exporter", "seller", "buyer"):
        party = getattr(content, role)
        if party is not None:
            segments.append(_party(role, party))
    segments.append(segment("UNS", "D"))
    for item in content.items:
        segments.append(segment("CST", item.line_number, (item.commodity_code, "122")))
        parts = _chunks(item.description, 70)
        for start in range(0, len(parts), 5):
            segments.append(segment("FTX", "AAA", None, None, parts[start : start + 5]))
        segments.append(segment("LOC", "27", item.origin_country))
        segments.append(segment("MEA", "AAE", "AAL", ("KGM", _number(item.net_mass_kg))))
        segments.append(segment("MEA", "CT", None, (item.quantity_unit, _number(item.quantity))))
        segments.append(segment("MOA", ("38", _number(item.invoice_amount), item.currency)))
        if item.freight is not None:
            segments.append(segment("MOA", ("64", _number(item.freight), item.currency)))
        if item.insurance is not None:
            segments.append(segment("MOA", ("67", _number(item.insurance), item.currency)))
        if item.preference is not None:
            p = item.preference
            segments.append(segment("DOC", ("861", None, None, p.agreement), p.certificate_reference))
        segments.append(segment("TOD", "6", None, item.incoterm))
        segments.append(segment("GIS", (item.valuation_method, "VAL", "ZZZ")))
        if item.use_type is not None:
            segments.append(segment("GIS", (item.use_type, "USE", "ZZZ")))
    segments.append(segment("UNS", "S"))
    segments.append(segment("CNT", ("5", len(content.items))))
    segments.append(segment("UNT", len(segments) + 1, reference))
    return segments


def interchange(
    contents: list[DeclarationContent],
    *,
    sender: str,
    control: str,
    prepared: str = "261118:0930",
    release: str = "96B",
) -> str:
    """A whole interchange (UNA, UNB, one message per declaration, UNZ), one segment per line."""
    lines = [UNA, segment("UNB", ("UNOC", "3"), sender, "KCS", prepared.split(":"), control)]
    for n, content in enumerate(contents, 1):
        lines += message_segments(content, str(n), release)
    lines.append(segment("UNZ", len(contents), control))
    return "\n".join(lines) + "\n"
