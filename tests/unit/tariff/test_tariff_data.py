"""Tariff as data: loaders, rate priority, exchange-rate weeks, parameters, bundled and demo data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from benchmarks.tariff.kcs_workbook import write_rows
from clearway.tariff import bundled, demo
from clearway.tariff.exchange import ExchangeRateTable, week_of
from clearway.tariff.geography import UnknownArea, bundled_geography
from clearway.tariff.internal_tax import InternalTax, InternalTaxIndex
from clearway.tariff.kcs_codes import bundled_rate_codes
from clearway.tariff.kcs_file import parse_kcs_rates as parse_with
from clearway.tariff.loaders import FileProblem, kcs_sheet, parse_exchange_rates, parse_quota_p3, read_table
from clearway.tariff.measures import Combination, ComponentKind, DutyExpression, TariffIndex
from clearway.tariff.nomenclature import bundled_nomenclature
from clearway.tariff.parameters import Parameter, ParameterTable
from clearway.tariff.priority import RateKind, bundled_priority

KCS_CSV = """품목번호,관세율구분,관세율,단위당세액,기준가격,적용국가구분,용도구분,적용개시일자,적용만료일자
8471300000,A,8,,,1,,20260101,99991231
8471300000,CIT,0,,,1,,20260101,99991231
409000000,A,243,1864,,1,,20260101,99991231
0409000000,A,243,1864,,1,,20260101,99991231
1006301000,W2,513,,,1,,20260101,20261231
2711110000,P3,2,,,1,,20260401,20260630
0201300000,I,10,,1500,2,,20260101,
12345,A,8,,,1,,20260101,
8471300000,A,abc,,,1,,20260101,
8471300000,A,,,,1,,20260101,
"""


def parse_kcs_rates(rows, *, source: str):  # type: ignore[no-untyped-def]
    return parse_with(rows, source=source, codes=bundled_rate_codes(), priority=bundled_priority())


def rows(text: str) -> list[list[str]]:
    return [line.split(",") for line in text.strip().splitlines()]


def test_kcs_rate_file_with_korean_headers():
    measures, report = parse_kcs_rates(rows(KCS_CSV), source="test")
    by = {(m.commodity_code, m.rate_code, m.valid_from): m for m in measures}
    assert report.rows_read == 10 and report.loaded == 6 and report.duplicates == 1  # 0409 twice
    assert [r for r, _ in report.skipped] == [9, 10, 11]  # bad code, bad rate, no rate at all
    assert dict(report.skipped_by_reason) == {"bad_code": 1, "bad_number": 1, "no_rate": 1}
    honey = by[("0409000000", "A", date(2026, 1, 1))]  # the leading zero lost by a spreadsheet is restored
    assert honey.expression.combination is Combination.GREATER_OF
    assert [c.kind for c in honey.expression.components] == [ComponentKind.AD_VALOREM, ComponentKind.SPECIFIC]
    assert honey.expression.components[1].unit == "KGM" and honey.expression.components[1].amount == 1864
    assert by[("8471300000", "A", date(2026, 1, 1))].valid_to is None  # 99991231 = open-ended
    assert by[("2711110000", "P3", date(2026, 4, 1))].valid_to == date(2026, 6, 30)
    remedy = by[("0201300000", "I", date(2026, 1, 1))]
    # 적용국가구분 2 = for particular countries (not "conditional"); the reference price is a condition on price
    assert not remedy.conditional and remedy.country_type == "2" and remedy.reference_price == 1500


def test_kcs_rate_file_unit_column_and_english_headers():
    text = (
        "hsk,rate_code,ad_valorem_rate,specific_amount,start_date,end_date,unit\n"
        "2203000000,A,,885.7,20260101,,LTR\n"
    )
    measures, _ = parse_kcs_rates(rows(text), source="t")
    assert measures[0].expression == DutyExpression.specific("885.7", "LTR")


def test_kcs_rate_file_without_a_header_is_refused():
    with pytest.raises(FileProblem, match="품목번호"):
        parse_kcs_rates([["a", "b"], ["1", "2"]], source="t")


def test_csv_in_cp949_is_read(tmp_path: Path):
    path = tmp_path / "rates.csv"
    path.write_bytes(KCS_CSV.encode("cp949"))
    _measures, report = parse_kcs_rates(read_table(path), source="t")
    assert report.loaded == 6


def test_xlsx_rate_file_latest_sheet(tmp_path: Path):
    path = tmp_path / "관세청_품목번호별 관세율표_20260211.xlsx"
    write_rows(
        path,
        {
            "1.1": [("8471300000", "A", 8, None, None, "1", None, "20260101", "99991231")],
            "2.12": [
                ("8471300000", "A", 8, None, None, "1", None, "20260101", "99991231"),
                ("409000000", "A", 243, 1864, None, "1", None, "20260101", "99991231"),
                ("8471300000", "CIT", 0, None, None, "1", None, "20260101", "99991231"),
            ],
        },
    )
    sheet = kcs_sheet(path)
    assert (sheet.name, sheet.ignored) == ("2.12", ["1.1"])
    measures, _ = parse_kcs_rates([sheet.header, *sheet.rows], source="t")
    assert sorted((m.commodity_code, m.rate_code) for m in measures) == [
        ("0409000000", "A"),
        ("8471300000", "A"),
        ("8471300000", "CIT"),
    ]
    assert kcs_sheet(path, "1.1").name == "1.1"


def test_exchange_rate_file():
    text = (
        "통화부호,과세환율,적용개시일자\nUSD,1385.20,20260301\nJPY(100),921.5,20260301\n"
        "EUR,1502.1,20260304\nXX,1,20260301\n"
    )
    rates, report = parse_exchange_rates(rows(text), source="t")
    table = ExchangeRateTable.of(rates)
    assert table.rate("USD", date(2026, 3, 7)).rate_krw == Decimal("1385.20")
    assert table.rate("USD", date(2026, 3, 8)) is None  # the next week needs its own rate
    jpy = table.rate("JPY", date(2026, 3, 1))
    assert jpy.per == 100 and jpy.per_unit == Decimal("9.215")
    assert table.rate("EUR", date(2026, 3, 1)).valid_from == date(2026, 3, 1)  # moved to the week's Sunday
    assert report.warnings and report.skipped[0][1].startswith("'XX'")


def test_customs_rate_week_runs_sunday_to_saturday():
    assert week_of(date(2026, 3, 1)) == (date(2026, 3, 1), date(2026, 3, 7))  # a Sunday
    assert week_of(date(2026, 3, 7)) == (date(2026, 3, 1), date(2026, 3, 7))  # a Saturday
    assert week_of(date(2026, 3, 4)) == (date(2026, 3, 1), date(2026, 3, 7))


def test_rate_priority_table_as_data():
    p = bundled_priority()
    assert (p.rule_for("A").rank, p.rule_for("A").kind) == (7, RateKind.BASIC)
    assert p.rule_for("B").rank == 6 and p.rule_for("R").rank == 5
    assert p.rule_for("P3").kind is RateKind.QUOTA_ADJUSTMENT and p.rule_for("L").rank == 4
    assert p.rule_for("C").kind is RateKind.CONCESSION and p.rule_for("CIT").rank == 3
    assert p.rule_for("W2").kind is RateKind.AGRI_CONCESSION and p.rule_for("W1").needs_recommendation
    assert p.rule_for("FUS1").kind is RateKind.FTA and p.rule_for("FGB1").kind is RateKind.FTA
    assert p.rule_for("FRCJP1").rank == 2
    assert p.rule_for("I").additive and p.rule_for("T1").additive and p.rule_for("K").additive
    assert p.rule_for("I").legal_basis == "관세법 제51조"
    assert p.rule_for("Q") is None


def test_geography_from_agreements():
    geo = bundled_geography()
    assert geo.applies("", "FUS1", frozenset(), "US") and not geo.applies("", "FUS1", frozenset(), "CN")
    assert geo.applies("", "FEU1", frozenset(), "DE")
    assert geo.applies("", "A", frozenset(), "KP")
    with pytest.raises(UnknownArea):
        geo.members("", "R")
    assert geo.applies("", "FGB1", frozenset(), "GB")  # Korea–UK: in the KCS code list, not yet claimable
    with pytest.raises(UnknownArea):
        geo.members("", "FXX1")  # an FTA-looking code with no agreement configured


def test_internal_tax_index_picks_the_most_specific_rule():
    index = InternalTaxIndex.of(bundled.internal_tax_rules())
    car = index.for_code("8703231010", date(2026, 3, 4))
    assert car[InternalTax.INDIVIDUAL_CONSUMPTION].rule_id == "ict-passenger-car"
    assert index.for_code("8703211000", date(2026, 3, 4)) == {}  # 1,000 cc or less: excluded
    assert index.for_code("8703231010", date(2025, 12, 31)) == {}  # before the rules' validity
    assert InternalTax.VAT_EXEMPTION in index.for_code("0805100000", date(2026, 3, 4))


def test_parameters_pick_the_version_in_force():
    p = [
        Parameter("x", Decimal(1), date(2026, 1, 1), "sourced", ""),
        Parameter("x", Decimal(2), date(2026, 7, 1), "statute_recalled", ""),
    ]
    table = ParameterTable.of(p)
    assert table.on(date(2026, 6, 30)).decimal("x") == 1
    assert table.on(date(2026, 7, 1)).decimal("x") == 2
    assert not table.on(date(2025, 1, 1)).has("x")


def test_bundled_parameters_and_their_statuses():
    table = ParameterTable.of(bundled.parameters())
    on = table.on(date(2026, 3, 4))
    assert on.decimal("vat.rate_pct") == 10
    assert on.decimal("minimum_collection.amount_krw") == 10_000
    assert (
        on.decimal("de_minimis.small_parcel_usd") == 150
        and on.decimal("de_minimis.small_parcel_usd_from_us") == 200
    )
    assert on.decimal("traveller.allowance_usd") == 800
    assert on.get("traveller.allowance_allocation").recalled
    assert table.on(date(2022, 9, 5)).has("traveller.allowance_usd") is False  # USD 600 era: not bundled


def test_bundled_quota_rates():
    quota = bundled.quota_measures()
    assert len(quota) == 2517
    lng = TariffIndex.of(quota)
    # LNG 2711110000 in 2026: 0% Jan-Mar, 2% Apr-Jun, 0% Jul-Dec
    assert [m.expression.components[0].amount for m in lng.on("2711110000", date(2026, 2, 1))] == [0]
    assert [m.expression.components[0].amount for m in lng.on("2711110000", date(2026, 5, 1))] == [2]
    assert all(m.rate_code == "P3" for m in quota)


def test_quota_loader_reads_the_upstream_columns():
    (m,) = parse_quota_p3(
        "year,hs10,valid_from,valid_to,adval\n2026,0901110000,2026-01-01,2026-12-31,0.0\n", source="t"
    )
    assert m.commodity_code == "0901110000" and m.valid_to == date(2026, 12, 31)


def test_vkfta_lines_are_reference_only():
    ref = bundled.vkfta_reference_measures()
    assert len(ref) == 53  # 54 lines, one excluded from concessions (rice)
    assert all(
        m.conditional and bundled_priority().rule_for(m.rate_code).kind is RateKind.REFERENCE for m in ref
    )


def test_demo_codes_are_real_hsk_lines_with_a_demo_basic_rate():
    nomenclature = bundled_nomenclature()
    measures = TariffIndex.of(demo.demo_measures())
    assert 30 <= len(demo.DEMO_CODES) <= 45
    for entry in demo.DEMO_CODES:
        assert nomenclature.check(entry["code"], date(2026, 3, 4)) is None, entry
        rates = measures.on(entry["code"], date(2026, 3, 4))
        assert any(m.rate_code == "A" for m in rates)
        assert all(m.demo and "DEMO" in m.source for m in rates)
    assert all(r.demo for r in demo.demo_exchange_rates())
