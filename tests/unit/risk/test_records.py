"""Records from the product's declarations and from KCS rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from clearway.declaration.assessed import AssessedLine
from clearway.declaration.steps import Advice, AssessmentOutcome, FilingContext
from clearway.declaration.validation import parse_declaration
from clearway.risk.records import RiskRecord, canonical_amount, record_from_kcs, records_from_content
from clearway.tariff.nomenclature import bundled_nomenclature
from tests.documents import import_declaration

ON = date(2026, 11, 20)


def content(**overrides):  # type: ignore[no-untyped-def]
    return parse_declaration(import_declaration(**overrides), nomenclature=bundled_nomenclature(), on=ON)


def test_one_record_per_goods_item_with_assessed_figures():
    doc_items = import_declaration()["items"]
    second = {**doc_items[0], "line_number": 2, "commodity_code": "8517130000", "origin_country": "VN"}
    c = content(items=[doc_items[0], second])
    assessment = AssessmentOutcome(
        method="tariff",
        placeholder=False,
        total_due_krw=Decimal("1"),
        results=(
            AssessedLine(
                1,
                can_assess=True,
                customs_value_krw=Decimal("120000000"),
                duty_krw=Decimal("9600000"),
                applied_rate_code="FCN1",
            ),
        ),
    )
    advice = [Advice("/items/1/commodity_code", "code_mismatch", "looks like a phone", risk_signal=0.7)]
    records = records_from_content(c, FilingContext(12, 1, ON, 3), assessment, advice)
    assert [r.hs6 for r in records] == ["847130", "851713"]
    first, other = records
    assert first.value_krw == 120_000_000 and first.tax_rate == 8.0 and first.tax_type == "FCN1"
    assert first.risk_signal is None and other.risk_signal == 0.7
    assert other.value_krw is None  # not assessed: missing, not zero
    assert first.importer.startswith("BRN:") and first.seller == "SHENZHEN EVERBRIGHT TRADING CO.|CN"
    assert first.departure_country == "CN" and first.transport_mode == "sea" and first.office == "030"
    assert first.value_key == "USD:85000" and first.mass_key == "160"
    assert first.ref == "declaration 12 v1 line 1"
    assert RiskRecord.from_dict(first.as_dict()) == first


def test_kcs_rows_map_without_reading_labels():
    row = {
        "Declaration ID": "97061800",
        "Date": "2020-01-01",
        "Office ID": "30",
        "Process Type": "B",
        "Import Type": "11",
        "Import Use": "21",
        "Payment Type": "11",
        "Mode of Transport": "10",
        "Declarant ID": "ZZR1LT6",
        "Importer ID": "QLRUBN9",
        "Seller ID": "",
        "Courier ID": "",
        "HS6 Code": "40890",
        "Country of Departure": "BE",
        "Country of Origin": "BE",
        "Tax Rate": "0.0",
        "Tax Type": "FEU1",
        "Country of Origin Indicator": "G",
        "Net Mass": "108.0",
        "Item Price": "372254.40",
    }
    r = record_from_kcs(row, 0)
    assert r.hs6 == "040890" and r.seller is None and r.courier is None
    assert r.value_key == "KRW:372254.4" and r.mass_key == "108" and r.tax_rate == 0.0
    assert canonical_amount("1E+3") == "1000" and canonical_amount("abc") is None
