"""Whatever valid manifest is written as CUSCAR reads back as the same manifest (escaping included)."""

from __future__ import annotations

import string
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from clearway.cargo.core import container_check_digit
from clearway.cargo.cuscar import parse_interchange
from clearway.cargo.cuscar_out import interchange
from clearway.cargo.manifest import parse_manifest

TEXT = string.ascii_letters + string.digits + " ?+:'.,-&/()"
text = st.text(alphabet=TEXT, min_size=2, max_size=60).filter(lambda s: len(s.strip()) >= 2)
bills = st.text(alphabet=string.ascii_uppercase + string.digits, min_size=6, max_size=12)
amounts = st.decimals(min_value=1, max_value=99999, places=2).map(str)


@st.composite
def parties(draw: st.DrawFn) -> dict[str, Any]:
    party: dict[str, Any] = {"name": draw(text), "country": draw(st.sampled_from(["CN", "KR", "US", "VN"]))}
    if draw(st.booleans()):
        party["brn"] = draw(st.text(alphabet=string.digits, min_size=10, max_size=10))
    if draw(st.booleans()):
        party["address"] = draw(text)
    return party


@st.composite
def manifests(draw: st.DrawFn) -> dict[str, Any]:
    containers = [f"ABCU{n:06d}" for n in draw(st.lists(st.integers(0, 999_999), unique=True, max_size=3))]
    containers = [c + str(container_check_digit(c)) for c in containers]
    numbers = draw(st.lists(bills, min_size=1, max_size=6, unique=True))
    masters, houses = [], []
    for i, number in enumerate(numbers):
        house: dict[str, Any] = {
            "house_bill": number,
            "shipper": draw(parties()),
            "consignee": draw(parties()),
            "description": draw(text),
            "packages": draw(st.integers(1, 5000)),
            "package_type": draw(st.sampled_from(["CT", "PK", "PL", "BX"])),
            "gross_weight_kg": draw(amounts),
            "containers": draw(st.lists(st.sampled_from(containers), unique=True)) if containers else [],
            "transshipment_ports": draw(st.lists(st.sampled_from(["SGSIN", "HKHKG", "JPTYO"]), max_size=2)),
        }
        if draw(st.booleans()):
            house["hs6"] = draw(st.text(alphabet=string.digits, min_size=6, max_size=6))
        if draw(st.booleans()):
            house |= {"value": draw(amounts), "currency": draw(st.sampled_from(["USD", "EUR", "KRW"]))}
        if draw(st.booleans()):
            house["volume_m3"] = draw(amounts)
        if draw(st.booleans()):
            house["notify"] = draw(parties())
        houses.append(house)
        if i == len(numbers) - 1 or draw(st.booleans()):
            masters.append({"master_bill": f"M{len(masters):03d}{number}", "houses": houses})
            houses = []
    sea = draw(st.booleans())
    voyage = {
        "mode": "sea" if sea else "air",
        "carrier_code": "HDMU" if sea else "KE",
        "number": "0042E",
        "port_of_loading": "CNSHA",
        "port_of_discharge": "KRPUS" if sea else "KRICN",
        "departure_date": "2026-11-15",
        "arrival_date": "2026-11-19",
    }
    if sea:
        voyage |= {"imo": "9074729", "vessel_name": draw(text)}
    return {
        "reference": draw(bills),
        "voyage": voyage,
        "containers": [{"number": c, "seals": draw(st.lists(bills, max_size=2))} for c in containers],
        "masters": masters,
    }


@settings(max_examples=60, deadline=None)
@given(manifests())
def test_written_cuscar_reads_back_as_the_same_manifest(document: dict[str, Any]) -> None:
    expected = parse_manifest(document)
    answers = parse_interchange(interchange([document, document], sender="HDMU", control="RT1"))
    assert [a.errors for a in answers] == [[], []]
    assert all(parse_manifest(a.document) == expected for a in answers)
