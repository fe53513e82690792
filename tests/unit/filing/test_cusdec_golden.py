"""CUSDEC golden files: each interchange in ``golden/`` and the answer Clearway gives to each of its messages.

An answer is the declaration document the message maps to (checked by the declaration rules on the filing
date), or the coded errors pointing at the segment and element they are about. To review a changed answer, run
with ``CLEARWAY_WRITE_GOLDEN=1`` and read the diff.
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from clearway.declaration.validation import parse_declaration
from clearway.errors import ValidationFailed
from clearway.filing.cusdec import parse_interchange
from clearway.filing.cusres import Outcome, read_response, response
from clearway.filing.service import located_errors
from clearway.tariff.nomenclature import bundled_nomenclature

GOLDEN = Path(__file__).parent / "golden"
FILES = sorted(GOLDEN.glob("*.edi"))
ON = date(2026, 11, 20)


def answers(text: str) -> list[dict[str, Any]]:
    out = []
    for a in parse_interchange(text).answers:
        answer: dict[str, Any] = {"reference": a.reference, "release": a.release}
        if a.document is None:
            answer |= {"status": "rejected", "errors": [e.as_dict(a.reference) for e in a.errors]}
        else:
            try:
                parse_declaration(a.document, nomenclature=bundled_nomenclature(), on=ON)
                answer |= {"status": "accepted", "document": a.document}
            except ValidationFailed as error:
                errors = located_errors(a, error)
                answer |= {"status": "rejected", "errors": [e.as_dict(a.reference) for e in errors]}
        out.append(answer)
    return out


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_golden_answer(path: Path) -> None:
    got = answers(path.read_text(encoding="utf-8"))
    expected_file = path.with_suffix(".answer.json")
    if os.environ.get("CLEARWAY_WRITE_GOLDEN"):
        expected_file.write_text(json.dumps(got, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert got == json.loads(expected_file.read_text(encoding="utf-8"))
    statuses = {a["status"] for a in got}
    kind = path.stem.split("_")[0]
    assert (
        statuses
        == {"accepted": {"accepted"}, "rejected": {"rejected"}, "mixed": {"accepted", "rejected"}}[kind]
    )


def test_every_rejection_is_coded_and_points_at_a_segment() -> None:
    for path in FILES:
        for a in answers(path.read_text(encoding="utf-8")):
            for e in a.get("errors", []):
                assert e["code"], (path.name, e)
                assert e["pointer"] == "/interchange" or "/segments/" in e["pointer"], (path.name, e)


def test_field_errors_point_at_the_element_that_carries_the_field() -> None:
    errors = answers((GOLDEN / "rejected_field_errors.edi").read_text(encoding="utf-8"))[0]["errors"]
    by_field = {e["field"]: (e["segment"], e["pointer"]) for e in errors}
    # the origin of line 2 is in LOC+27 (segment 28), its quantity in MEA+CT (segment 30), element 3 part 2
    assert by_field["/items/1/origin_country"] == ("LOC", "/messages/1/segments/28/elements/2/components/1")
    assert by_field["/items/1/quantity"] == ("MEA", "/messages/1/segments/30/elements/3/components/2")
    assert by_field["/items/0/commodity_code"][0] == "CST"
    assert by_field["/consignment/arrival_date"][0] == "DTM"


REJECTED = [p for p in FILES if p.stem.startswith("rejected_")]


@pytest.mark.parametrize("path", REJECTED, ids=[p.stem for p in REJECTED])
def test_golden_cusres_of_a_rejected_interchange(path: Path) -> None:
    """The CUSRES Clearway answers (a rejection needs no database: nothing is filed)."""
    parsed = parse_interchange(path.read_text(encoding="utf-8"))
    outcomes = []
    for a in parsed.answers:
        errors = a.errors
        if a.document is not None:
            try:
                parse_declaration(a.document, nomenclature=bundled_nomenclature(), on=ON)
            except ValidationFailed as error:
                errors = located_errors(a, error)
        outcomes.append(Outcome(a.reference, a.declarant_reference, False, errors=errors))
    got = response(
        outcomes, recipient=parsed.sender, control=parsed.control, now=datetime(2026, 11, 20, 1, 0)
    )
    expected_file = path.with_suffix(".cusres")
    if os.environ.get("CLEARWAY_WRITE_GOLDEN"):
        expected_file.write_text(got, encoding="utf-8")
    assert got == expected_file.read_text(encoding="utf-8")
    read = read_response(got)
    assert [m["status"] for m in read] == ["rejected"] * len(outcomes)
    assert [len(m["errors"]) for m in read] == [len(o.errors) for o in outcomes]
