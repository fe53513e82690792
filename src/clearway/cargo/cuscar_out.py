"""A manifest document → a UN/EDIFACT CUSCAR (D.96B) interchange, the inverse of :mod:`clearway.cargo.cuscar`.

Used to hand carriers a sample of the accepted subset and to prove the reader (read(write(m)) == m). Pure.
"""

from __future__ import annotations

from typing import Any

from clearway.edifact.syntax import UNA
from clearway.edifact.syntax import segment as _segment


def _date(iso: str) -> tuple[str, str]:
    return iso.replace("-", ""), "102"  # CCYYMMDD


def _party(role: str, party: dict[str, Any]) -> str:
    brn = (party["brn"], "", "ZZZ") if party.get("brn") else None
    return _segment(
        "NAD", role, brn, None, party["name"], None, party.get("address"), None, None, party["country"]
    )


def message_segments(document: dict[str, Any], reference: str, *, replace: bool = False) -> list[str]:
    """The UNH…UNT segments of one CUSCAR message for ``document`` (a manifest as the JSON API takes it)."""
    v = document["voyage"]
    mode = {"sea": "1", "air": "4"}[v["mode"]]
    vessel = (v["imo"], "", "11", v.get("vessel_name") or "") if v.get("imo") else None
    segments = [
        _segment("UNH", reference, ("CUSCAR", "D", "96B", "UN")),
        _segment("BGM", "785", document["reference"], "5" if replace else "9"),
        _segment("TDT", "20", v["number"], mode, None, v["carrier_code"], None, None, vessel),
        _segment("LOC", "9", v["port_of_loading"]),
        _segment("LOC", "11", v["port_of_discharge"]),
        _segment("DTM", ("133", *_date(v["departure_date"]))),
        _segment("DTM", ("132", *_date(v["arrival_date"]))),
    ]
    for c in document.get("containers", []):
        segments.append(_segment("EQD", "CN", c["number"], c.get("size_type")))
        segments += [_segment("SEL", seal) for seal in c.get("seals", [])]
    for n, master in enumerate(document["masters"], 1):
        segments.append(_segment("CNI", n, master["master_bill"]))
        for house in master["houses"]:
            segments.append(_segment("RFF", ("BH", house["house_bill"])))
            if house.get("value") is not None:
                segments.append(_segment("MOA", ("44", house["value"], house["currency"])))
            segments += [_segment("LOC", "13", port) for port in house.get("transshipment_ports", [])]
            segments.append(_party("CZ", house["shipper"]))
            segments.append(_party("CN", house["consignee"]))
            if house.get("notify"):
                segments.append(_party("NI", house["notify"]))
            segments.append(_segment("GID", 1, (house["packages"], house["package_type"])))
            segments.append(_segment("FTX", "AAA", None, None, house["description"]))
            segments.append(_segment("MEA", "AAE", "G", ("KGM", house["gross_weight_kg"])))
            if house.get("volume_m3") is not None:
                segments.append(_segment("MEA", "AAE", "AAW", ("MTQ", house["volume_m3"])))
            segments += [_segment("SGP", number) for number in house.get("containers", [])]
            if house.get("hs6"):
                segments.append(_segment("CST", None, house["hs6"]))
    segments.append(_segment("UNT", len(segments) + 1, reference))
    return segments


def interchange(
    documents: list[dict[str, Any]],
    *,
    sender: str,
    control: str,
    prepared: str = "261118:0930",
    replace: bool = False,
) -> str:
    """A whole interchange (UNA, UNB, one message per document, UNZ), one segment per line."""
    lines = [UNA, _segment("UNB", ("UNOC", "3"), sender, "KCS", prepared.split(":"), control)]
    for n, document in enumerate(documents, 1):
        lines += message_segments(document, str(n), replace=replace)
    lines.append(_segment("UNZ", len(documents), control))
    return "\n".join(lines) + "\n"
