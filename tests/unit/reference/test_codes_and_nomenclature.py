from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from clearway.demo.parties import valid_brn
from clearway.reference import codes
from clearway.tariff.nomenclature import Nomenclature, NomenclatureLine, bundled_nomenclature


def line(code: str, start: str, end: str | None = None) -> NomenclatureLine:
    return NomenclatureLine(
        code, "품목", "상위", "Goods", date.fromisoformat(start), date.fromisoformat(end) if end else None
    )


def test_the_bundled_hsk_has_every_10_digit_line():
    hsk = bundled_nomenclature()
    assert len(hsk) == 11327
    laptop = hsk.line("8471300000", date(2026, 11, 20))
    assert laptop is not None and laptop.hs6 == "847130" and "Portable" in laptop.name_en
    assert hsk.check("8471300000", date(2026, 11, 20)) is None


def test_unknown_expired_and_future_codes_are_told_apart():
    n = Nomenclature(
        [
            line("1111111111", "2022-01-01", "2025-12-31"),
            line("2222222222", "2027-01-01"),
            line("3333333333", "2026-01-01"),
        ]
    )
    on = date(2026, 6, 1)
    assert n.check("3333333333", on) is None
    assert n.check("1111111111", on)[0] == "expired_commodity_code"
    assert "2025-12-31" in n.check("1111111111", on)[1]
    assert n.check("2222222222", on)[0] == "commodity_code_not_yet_valid"
    assert n.check("4444444444", on)[0] == "unknown_commodity_code"
    assert n.check("84713", on)[0] == "malformed_commodity_code"
    assert n.check("1111111111", date(2024, 5, 1)) is None  # valid on its own dates


def test_a_code_replaced_within_the_year_is_valid_on_each_side():
    n = Nomenclature([line("5555555555", "2022-01-01", "2026-06-30"), line("5555555555", "2026-07-01")])
    assert n.check("5555555555", date(2026, 6, 30)) is None
    assert n.check("5555555555", date(2026, 7, 1)) is None


@given(st.from_regex(r"[0-9]{9}", fullmatch=True))
def test_a_completed_business_registration_number_is_valid(first_nine):
    assert codes.korean_brn_is_valid(valid_brn(first_nine))


@given(st.from_regex(r"[0-9]{9}", fullmatch=True), st.integers(min_value=1, max_value=9))
def test_a_wrong_check_digit_is_caught(first_nine, shift):
    brn = valid_brn(first_nine)
    wrong = brn[:9] + str((int(brn[9]) + shift) % 10)
    assert not codes.korean_brn_is_valid(wrong)


def test_code_lists():
    assert codes.check_country("KR") is None and codes.check_country("XX")[0] == "unknown_country"
    assert codes.check_currency("KRW") is None and codes.check_currency("KRX")[0] == "unknown_currency"
    assert codes.check_incoterm("FOB") is None and codes.check_incoterm("FOO")[0] == "unknown_incoterm"
    assert codes.check_unit("KGM") is None and codes.check_port("KRPUS") is None
    assert codes.agreements()["KORUS"].rate_code == "FUS1" and "US" in codes.agreements()["KORUS"].partners
    assert len(codes.agreements()["KR-EU"].partners) == 27
