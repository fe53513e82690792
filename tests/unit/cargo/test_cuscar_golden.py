"""CUSCAR golden files: each interchange in ``golden/`` and the answer Clearway gives to each of its messages.

An answer is the manifest document the message maps to (checked by the manifest rules), or the coded
reasons it is rejected. To review a changed answer, run with ``CLEARWAY_WRITE_GOLDEN=1`` and read the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from clearway.cargo.cuscar import parse_interchange
from clearway.cargo.manifest import parse_manifest
from clearway.errors import ValidationFailed

GOLDEN = Path(__file__).parent / "golden"
FILES = sorted(GOLDEN.glob("*.edi"))


def answers(text: str) -> list[dict[str, Any]]:
    out = []
    for a in parse_interchange(text):
        answer: dict[str, Any] = {"reference": a.reference, "function": a.function}
        if a.document is None:
            answer |= {"status": "rejected", "errors": [e.as_dict() for e in a.errors]}
        else:
            try:
                parse_manifest(a.document)
                answer |= {"status": "accepted", "document": a.document}
            except ValidationFailed as error:
                answer |= {"status": "rejected", "errors": [e.as_dict() for e in error.errors]}
        out.append(answer)
    return out


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_golden_answer(path: Path) -> None:
    got = answers(path.read_text(encoding="utf-8"))
    expected_file = path.with_suffix(".answer.json")
    if os.environ.get("CLEARWAY_WRITE_GOLDEN"):
        expected_file.write_text(json.dumps(got, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert got == json.loads(expected_file.read_text(encoding="utf-8"))
    # The file's name says what it must be: accepted_*, rejected_*, or mixed_*.
    statuses = {a["status"] for a in got}
    kind = path.stem.split("_")[0]
    assert (
        statuses
        == {"accepted": {"accepted"}, "rejected": {"rejected"}, "mixed": {"accepted", "rejected"}}[kind]
    )


def test_every_rejection_is_coded_and_points_at_a_place() -> None:
    for path in FILES:
        for a in answers(path.read_text(encoding="utf-8")):
            for e in a.get("errors", []):
                assert e["code"] and e["pointer"].startswith("/"), (path.name, e)
