"""Whatever valid declaration is written as CUSDEC (either release) reads back as the same declaration,
escaping, long texts split over components and segments, and every optional field included."""

from __future__ import annotations

import string
from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from clearway.declaration.validation import parse_declaration
from clearway.demo.parties import COMPANIES
from clearway.filing.cusdec import parse_interchange
from clearway.filing.cusdec_out import interchange
from clearway.reference import codes
from clearway.tariff.nomenclature import bundled_nomenclature

ON = date(2026, 11, 20)
NOMENCLATURE = bundled_nomenclature()
COMMODITIES = [c for c in list(NOMENCLATURE.codes())[:4000:37] if NOMENCLATURE.check(c, ON) is None]
ALPHABET = string.ascii_letters + string.digits + " ?+:'.,-&/()" + "가나다한빛"


def text(min_size: int, max_size: int) -> st.SearchStrategy[str]:
    return (
        st.text(alphabet=ALPHABET, min_size=min_size, max_size=max_size)
        .map(str.strip)
        .filter(lambda s: len(s) >= min_size)
    )


references = st.from_regex(r"[A-Z0-9][A-Z0-9/.:_-]{2,18}[A-Z0-9]", fullmatch=True)
BRNS = [c.brn for c in COMPANIES if c.brn]
amounts = st.decimals(min_value="0.0001", max_value="99999999", places=4)
countries = st.sampled_from(["CN", "KR", "US", "VN", "DE", "JP"])


@st.composite
def parties(draw: st.DrawFn) -> dict[str, Any]:
    party: dict[str, Any] = {"name": draw(text(1, 175)), "country": draw(countries)}
    if draw(st.booleans()):
        party["brn"] = draw(st.sampled_from(BRNS))
    if draw(st.booleans()):
        party["address"] = draw(text(1, 140))
    return party


@st.composite
def items(draw: st.DrawFn, line: int, kind: str) -> dict[str, Any]:
    item: dict[str, Any] = {
        "line_number": line,
        "commodity_code": draw(st.sampled_from(COMMODITIES)),
        "description": draw(text(2, 500)),
        "origin_country": draw(countries),
        "quantity": str(draw(amounts)),
        "quantity_unit": draw(st.sampled_from(sorted(codes.units()))),
        "net_mass_kg": str(draw(amounts)),
        "invoice_amount": str(draw(amounts)),
        "currency": draw(st.sampled_from(["USD", "EUR", "KRW", "CNY"])),
        "incoterm": draw(st.sampled_from(sorted(codes.INCOTERMS_2020))),
        "valuation_method": draw(st.integers(1, 6)),
    }
    for charge in ("freight", "insurance"):
        if draw(st.booleans()):
            item[charge] = str(draw(st.decimals(min_value=0, max_value=99999, places=2)))
    if draw(st.booleans()):
        item["use_type"] = draw(
            st.text(alphabet=string.ascii_uppercase + string.digits, min_size=1, max_size=20)
        )
    if kind == "import" and draw(
        st.booleans()
    ):  # a KORUS claim for US goods; its certificate is among the documents
        item["origin_country"] = "US"
        item["preference"] = {"agreement": "KORUS", "certificate_reference": "KORUS-CO-1"}
    return item


@st.composite
def declarations(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["import", "export"]))
    document: dict[str, Any] = {
        "kind": kind,
        "declarant_reference": draw(references),
        "declarant": draw(parties()),
        "seller": draw(parties()),
        "buyer": draw(parties()),
        "consignment": {
            "transport_mode": draw(st.sampled_from(sorted(codes.TRANSPORT_MODES))),
            "transport_document": draw(references),
            "arrival_date": draw(st.dates(date(2026, 1, 1), date(2027, 12, 31))).isoformat(),
            "customs_office": draw(st.sampled_from(sorted(codes.customs_offices()))),
            "port": draw(st.sampled_from(sorted(codes.ports()))),
        },
        "items": [draw(items(n, kind)) for n in range(1, draw(st.integers(1, 4)) + 1)],
        "documents": [
            {
                "kind": draw(
                    st.sampled_from(
                        [
                            "invoice",
                            "certificate_of_origin",
                            "licence",
                            "packing_list",
                            "transport_document",
                            "other",
                        ]
                    )
                ),
                "reference": draw(references),
                **({"issue_date": "2026-11-05"} if draw(st.booleans()) else {}),
                **({"issuer": draw(text(1, 35))} if draw(st.booleans()) else {}),
            }
            for _ in range(draw(st.integers(0, 3)))
        ],
    }
    if any("preference" in i for i in document["items"]):
        document["documents"].append({"kind": "certificate_of_origin", "reference": "KORUS-CO-1"})
    document["importer" if kind == "import" else "exporter"] = draw(parties())
    return document


@settings(max_examples=40, deadline=None)
@given(declarations(), st.sampled_from(["96B", "01B"]))
def test_written_cusdec_reads_back_as_the_same_declaration(document: dict[str, Any], release: str) -> None:
    expected = parse_declaration(document, nomenclature=NOMENCLATURE, on=ON)
    answers = parse_interchange(
        interchange([expected, expected], sender="BROKER", control="RT1", release=release)
    )
    assert [a.errors for a in answers.answers] == [[], []]
    for a in answers.answers:
        assert a.release == release
        assert parse_declaration(a.document, nomenclature=NOMENCLATURE, on=ON) == expected
