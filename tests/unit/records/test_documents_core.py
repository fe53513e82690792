"""The documents' pure core: the verification code names exactly one content, and is checked as typed."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as st

from clearway.records import core

KEY = core.verification_key("a test secret that is long enough")
CONTENT = {
    "kind": "import",
    "declarant_reference": "R-1",
    "declarant": {"name": "Hanbit", "brn": "1208112342", "country": "KR"},
    "importer": {"name": "Hanbit", "brn": "1208112342", "country": "KR"},
    "consignment": {
        "transport_mode": "sea",
        "transport_document": "HDMU1",
        "customs_office": "030",
        "port": "KRPUS",
    },
    "items": [{"line_number": 1, "commodity_code": "8471300000", "description": "Laptops", "quantity": "3"}],
}
CLEARANCE = core.Clearance(
    7, 1, "released", "green", date(2026, 11, 20), datetime(2026, 11, 20, 1, tzinfo=UTC), None, None
)


def _certificate(content: dict) -> core.Document:  # type: ignore[type-arg]
    return core.certificate(CLEARANCE, content, None, issued_on=date(2026, 11, 21))


def test_the_certificate_shows_every_field_and_the_number() -> None:
    document = _certificate(CONTENT)
    assert document.number == "CW-26-00000007" and document.title_ko == "수입신고필증"
    values = document.values()
    for value in ("R-1", "Hanbit", "HDMU1", "KRPUS", "8471300000", "Laptops", "녹색(전자수리) green"):
        assert any(value in v for v in values), value


@given(st.text(min_size=1, max_size=40))
def test_any_change_of_a_value_changes_the_code(description: str) -> None:
    original = _certificate(CONTENT)
    changed_content = {**CONTENT, "items": [{**CONTENT["items"][0], "description": description}]}
    changed = _certificate(changed_content)
    same = description == "Laptops"
    assert (core.verification_code(KEY, original) == core.verification_code(KEY, changed)) == same
    assert core.code_matches(KEY, original, core.verification_code(KEY, original))


def test_a_code_needs_the_key_and_is_read_as_typed() -> None:
    document = _certificate(CONTENT)
    code = core.verification_code(KEY, document)
    assert code != core.verification_code(core.verification_key("another secret"), document)
    assert core.normalise_code(code.lower().replace("-", " ")) == code
    assert core.normalise_code("ABCD-EFGH-1234-5678") is None  # 0, 1, 8, 9 are not base32
    assert core.normalise_code("short") is None


@given(st.integers(2000, 2100), st.integers(1, 12))
def test_a_period_is_a_calendar_month(year: int, month: int) -> None:
    start, end = core.parse_period(f"{year}-{month:02d}")  # type: ignore[misc]
    assert start == date(year, month, 1) and start < end and end.day == 1
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == 1
    assert core.parse_period(f"{year}-13") is None


def test_the_statement_adds_up() -> None:
    from decimal import Decimal

    lines = [
        core.StatementLine(
            "CW-26-1",
            date(2026, 11, 2),
            "released",
            "import",
            Decimal(100),
            Decimal(50),
            Decimal(150),
            Decimal(150),
        ),
        core.StatementLine(
            "CW-26-2",
            date(2026, 11, 3),
            "accepted",
            "import",
            Decimal(10),
            Decimal(5),
            Decimal(15),
            Decimal(0),
        ),
    ]
    document = core.statement({"name": "Hanbit", "brn": "1"}, "2026-11", lines, issued_on=date(2026, 12, 1))
    rows = {r.label_en: r.value for r in document.sections[0].rows}
    assert (
        rows["Due total"] == "165 KRW" and rows["Paid total"] == "150 KRW" and rows["Outstanding"] == "15 KRW"
    )
