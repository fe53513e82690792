"""The official KCS rate file as published: the 14 real rows of the 2025 file (golden), both header
spellings, text and Excel-serial dates, the sheet chosen, and every code of the KCS code list given a meaning
or refused."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.tariff.kcs_workbook import OFFICIAL_HEADER, OLD_HEADER, excel_serial, write_rows
from clearway.tariff.geography import bundled_geography
from clearway.tariff.kcs_codes import REFUSED, bundled_rate_codes
from clearway.tariff.kcs_file import date_of, parse_kcs_rates
from clearway.tariff.loaders import kcs_sheet, read_table
from clearway.tariff.measures import Combination
from clearway.tariff.priority import RateKind, bundled_priority

EXCERPT = Path(__file__).parent / "data" / "kcs_rate_file_2025_excerpt.csv"
SHARED_CODE_LIST = Path("/work/shared/data/tariff/korea/rates/kr_rate_kind_codes.csv")
# What each real row of the excerpt says, read by hand: (code, rate code, rate, country type)
GOLDEN = [
    ("0101211000", "A", "0%", "1"),
    ("0101219000", "A", "8%", "1"),
    ("0201100000", "A", "30%", "1"),
    ("0203110000", "A", "22.5%", "1"),
    ("0202300000", "FAU1", "8%", "2"),
    ("0203199000", "FAU1", "4.5%", "2"),
    ("0301922000", "FAU1", "27% or 1,879 KRW/KGM, whichever is the greater", "2"),
    ("0303670000", "FAU1", "30%", "2"),
    ("3505202000", "W1", "8%", "1"),
    ("5001000000", "W1", "2%", "1"),
    ("0409000000", "W2", "243% or 1,864 KRW/KGM, whichever is the greater", "1"),
    ("0703101010", "W2", "135% or 180 KRW/KGM, whichever is the greater", "1"),
    ("0904210000", "W2", "270% or 6,210 KRW/KGM, whichever is the greater", "1"),
    ("5002001050", "W2", "51.7% or 17,215 KRW/KGM, whichever is the greater", "1"),
]


def parse(rows):  # type: ignore[no-untyped-def]
    return parse_kcs_rates(
        rows, source="KCS 2025 excerpt", codes=bundled_rate_codes(), priority=bundled_priority()
    )


def _seen(measures) -> list[tuple[str, str, str, str | None]]:  # type: ignore[no-untyped-def]
    return [(m.commodity_code, m.rate_code, m.expression.text(), m.country_type) for m in measures]


def test_golden_excerpt_loads_and_gives_the_rates_it_shows():
    measures, report = parse(read_table(EXCERPT))
    assert _seen(measures) == GOLDEN
    assert all((m.valid_from, m.valid_to) == (date(2025, 1, 1), date(2025, 12, 31)) for m in measures)
    assert report.header_spelling.startswith("official") and report.skipped_count == 0
    assert dict(report.kinds) == {"basic": 4, "fta": 4, "agri_concession": 6}
    assert report.as_dict()["rows_per_kind"] == {"agri_concession": 6, "basic": 4, "fta": 4}
    # the FAU1 codes and the W codes have no A row in the excerpt: the report names them
    assert "0202300000" in report.codes_without_basic and "0101211000" not in report.codes_without_basic
    assert report.greater_of_rows == 5


@pytest.mark.parametrize("serial", [False, True], ids=["text dates", "excel serial dates"])
def test_golden_excerpt_as_a_workbook_in_the_official_layout(tmp_path: Path, serial: bool):
    with EXCERPT.open(encoding="utf-8") as f:
        data = [tuple(r) for r in list(csv.reader(f))[1:]]
    path = write_rows(tmp_path / "관세율(2025).xlsx", {"1.1": data[:3], "2.12": data}, serial_dates=serial)
    sheet = kcs_sheet(path)
    assert sheet.name == "2.12" and sheet.ignored == ["1.1"]
    measures, report = parse([sheet.header, *sheet.rows])
    assert _seen(measures) == GOLDEN
    assert all(m.valid_to == date(2025, 12, 31) for m in measures)
    assert set(report.date_cells) == ({"excel_serial"} if serial else {"text"})


def test_older_header_spelling_reads_the_same(tmp_path: Path):
    with EXCERPT.open(encoding="utf-8") as f:
        data = [tuple(r) for r in list(csv.reader(f))[1:]]
    path = write_rows(tmp_path / "old.xlsx", {"Sheet1": data}, header=OLD_HEADER)
    sheet = kcs_sheet(path)
    measures, report = parse([sheet.header, *sheet.rows])
    assert _seen(measures) == GOLDEN and report.header_spelling.startswith("older")
    assert OFFICIAL_HEADER[6:] == ("용도세율구분", "적용개시일", "적용만료일")


def test_use_column_of_either_spelling_is_a_condition_not_lost():
    header = list(OFFICIAL_HEADER)
    rows = [
        header,
        ["2304000000", "A", "3", "", "", "1", "", "20260101", "20261231"],
        ["2304000000", "C", "0", "", "", "1", "23", "20260101", "20261231"],
    ]
    measures, report = parse(rows)
    assert [m.use_type for m in measures] == [None, "23"] and report.use_specific_rows == 1


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)))
def test_a_date_reads_the_same_as_text_serial_or_date_cell(day: date):
    text = day.strftime("%Y%m%d")
    assert (
        date_of(text, "d")
        == date_of(excel_serial(day), "d")
        == date_of(float(excel_serial(day)), "d")
        == date_of(day, "d")
        == date_of(int(text), "d")
        == day
    )


def test_open_end_and_bad_dates():
    assert date_of("99991231", "d") is None and date_of("", "d") is None
    with pytest.raises(ValueError, match="not a calendar date"):
        date_of("20250231", "d")


def test_every_code_of_the_kcs_list_has_a_meaning_or_is_refused_by_name():
    codes = bundled_rate_codes()
    priority, geography = bundled_priority(), bundled_geography()
    assert len(codes) == 367
    if SHARED_CODE_LIST.exists():  # the bundled copy is the published list, unchanged
        bundled_copy = Path(__file__).parents[3] / "src/clearway/data/tariff/korea/kr_rate_kind_codes.csv"
        assert bundled_copy.read_bytes() == SHARED_CODE_LIST.read_bytes()
    for code in codes.by_code.values():
        rule = priority.rule_for(code.code)
        if code.refused:
            assert rule is None and code.code in REFUSED
            continue
        assert rule is not None, code.code
        assert isinstance(rule.kind, RateKind) and 0 <= rule.rank <= 7 and isinstance(rule.additive, bool)
        assert geography.describe("", code.code)  # which origins, in words
        if code.is_fta:
            assert rule.kind is RateKind.FTA and code.partners and code.agreement is not None
            assert all(d >= date(2004, 4, 1) for d in code.partners.values())
    assert sorted(c.code for c in codes.by_code.values() if c.refused) == ["H", "O", "Q", "S", "X"]
    assert priority.rule_for("T2").additive and not priority.rule_for("C2A5").additive
    assert priority.rule_for("P2").needs_recommendation and not priority.rule_for("P3").needs_recommendation
    assert priority.rule_for("FCL5").needs_recommendation  # 한ㆍ칠레 (추천)


def test_fta_codes_name_their_partners_with_entry_into_force():
    geography = bundled_geography()
    assert geography.partners_by_rate_code["FRCJP1"] == {"JP"}
    assert geography.partners_by_rate_code["FCN7"] == {"CN"}
    assert geography.partners_by_rate_code["FASTH"] == {"TH"}
    assert geography.partners_by_rate_code["Y5"] == {"CL"}
    assert geography.agreement_code_by_rate_code["FRCCN1"] == "RCEP"
    assert geography.in_force_from("FRCAS1", "PH") == date(2023, 6, 2)
    assert geography.in_force_from("FCEPA1", "PA") == date(2021, 3, 1)
    assert not geography.applies("", "FPH1", frozenset(), "PH", date(2024, 6, 1))  # before 2024-12-31
    assert geography.applies("", "FPH1", frozenset(), "PH", date(2025, 1, 2))
    assert geography.members("", "U") == {"KP"}


def test_unknown_and_refused_codes_are_skipped_with_their_name():
    rows = [
        list(OFFICIAL_HEADER),
        ["8471300000", "A", "8", "", "", "1", "", "20260101", "20261231"],
        ["8471300000", "X", "20", "", "", "1", "", "20260101", "20261231"],
        ["8471300000", "ZZ9", "1", "", "", "1", "", "20260101", "20261231"],
        ["8471300000", "FUS1", "0", "", "", "3", "", "20260101", "20261231"],
    ]
    measures, report = parse(rows)
    assert [m.rate_code for m in measures] == ["A"]
    reasons = [m for _, m in report.skipped]
    assert "X (간이세율) is refused" in reasons[0] and "ZZ9 is not in the KCS code list" in reasons[1]
    assert dict(report.skipped_by_reason) == {
        "refused_rate_code": 1,
        "unknown_rate_code": 1,
        "bad_country_type": 1,
    }
    assert dict(report.refused_codes) == {"X": 1, "ZZ9": 1}


def test_a_row_repeated_in_the_sheet_loads_once_and_greater_of_is_kept():
    row = ["0409000000", "W2", "243", "1864", "", "1", "", "20250101", "20251231"]
    measures, report = parse([list(OFFICIAL_HEADER), row, row])
    assert len(measures) == 1 and report.duplicates == 1
    assert measures[0].expression.combination is Combination.GREATER_OF
    assert measures[0].expression.components[1].amount == Decimal("1864")
