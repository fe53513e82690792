"""Rates read from the official KCS file layout, applied by the engine: an FTA row (적용국가구분 2) serves its
partners with a granted claim and nobody else; a use-specific row (용도세율구분) only that declared use; a
reference price (기준가격) only below it; U only North Korean goods."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from clearway.assessment.inputs import PreferenceInput
from clearway.tariff.kcs_codes import bundled_rate_codes
from clearway.tariff.kcs_file import parse_kcs_rates
from clearway.tariff.loaders import read_table
from clearway.tariff.priority import bundled_priority
from tests.unit.assessment.assessment_helpers import D, figures, fx, line, run, snapshot

ON = date(2026, 3, 4)
EXCERPT = Path(__file__).parents[1] / "tariff" / "data" / "kcs_rate_file_2025_excerpt.csv"
HEADER = "품목번호,관세율구분,관세율,단위당세액,기준가격,적용국가구분,용도세율구분,적용개시일,적용만료일"
BEEF = "0202300000"  # frozen boneless beef: the excerpt's FAU1 row is 8%


def measures(extra: str = ""):  # type: ignore[no-untyped-def]
    """The real excerpt plus rows made up for the test in the same layout (a basic rate for the FTA codes)."""
    # The excerpt is of the 2025 file; the bundled nomenclature and parameters start in 2026, so its rows are
    # read as if republished for 2026 (dates moved by one year, nothing else changed).
    rows = [
        [c.replace("2025", "2026") if i >= 7 else c for i, c in enumerate(r)] for r in read_table(EXCERPT)
    ]
    rows += [r.split(",") for r in extra.strip().splitlines()]
    found, report = parse_kcs_rates(
        rows, source="KCS test", codes=bundled_rate_codes(), priority=bundled_priority()
    )
    assert report.skipped_count == 0, report.skipped
    return found


BASIC_BEEF = f"{BEEF},A,40,,,1,,20260101,20261231"


def snap(extra: str = BASIC_BEEF):  # type: ignore[no-untyped-def]
    return snapshot(measures(extra), rates=[fx("USD", "1400", on=ON)])


def claim(agreement: str, granted: bool = True, rate_code: str | None = None) -> PreferenceInput:
    return PreferenceInput(agreement, rate_code, "CO-1", granted, () if granted else ("not verified",))


def duty(result) -> D:  # type: ignore[no-untyped-def]
    return figures(result)["customs_duty"]


def applied(result) -> str:  # type: ignore[no-untyped-def]
    return result.lines[0].choice.applied.measure.rate_code


def status(result, code: str) -> str:  # type: ignore[no-untyped-def]
    return next(c.status for c in result.lines[0].choice.candidates if c.measure.rate_code == code)


def test_fta_row_applies_to_its_partner_with_a_granted_claim():
    result = run(
        snap(),
        line(
            BEEF,
            origin="AU",
            unit="KGM",
            quantity="100",
            mass="100",
            preference=claim("KR-AU", rate_code="FAU1"),
        ),
        on=ON,
    )
    assert applied(result) == "FAU1" and duty(result) == D("112000")  # 8% of 1,400,000 won


def test_fta_row_never_applies_to_others_or_without_a_granted_claim():
    base = {"unit": "KGM", "quantity": "100", "mass": "100"}
    cases = {
        "no claim": line(BEEF, origin="AU", **base),
        "claim refused": line(BEEF, origin="AU", preference=claim("KR-AU", granted=False), **base),
        "other origin, same claim": line(BEEF, origin="NZ", preference=claim("KR-AU"), **base),
        "other agreement": line(BEEF, origin="US", preference=claim("KORUS", rate_code="FUS1"), **base),
    }
    for name, goods in cases.items():
        result = run(snap(), goods, on=ON)
        assert applied(result) == "A" and duty(result) == D("560000"), name  # 40%
    nz = run(snap(), cases["other origin, same claim"], on=ON)
    assert status(nz, "FAU1") == "other_origin"
    assert status(run(snap(), cases["claim refused"], on=ON), "FAU1") == "not_granted"


def test_every_staging_variant_of_the_agreement_is_claimed_by_the_agreement():
    extra = BASIC_BEEF + f"\n{BEEF},FAU3,5,,,2,,20260101,20261231"
    result = run(
        snap(extra),
        line(
            BEEF,
            origin="AU",
            unit="KGM",
            quantity="100",
            mass="100",
            preference=claim("KR-AU", rate_code="FAU1"),
        ),
        on=ON,
    )
    assert applied(result) == "FAU3" and duty(result) == D("70000")  # 5%, lower than FAU1's 8%


def test_a_reciprocal_rate_for_one_partner_replaces_the_agreement_wide_rate_for_it():
    extra = (
        f"{BASIC_BEEF}\n{BEEF},FAS1,5,,,2,,20260101,20261231\n"
        f"{BEEF},FASTH,18,,,2,,20260101,20261231"
    )  # 한ㆍ아세안 상호대응세율(태국), made up
    goods = {
        "unit": "KGM",
        "quantity": "100",
        "mass": "100",
        "preference": claim("KR-ASEAN", rate_code="FAS1"),
    }
    thai = run(snap(extra), line(BEEF, origin="TH", **goods), on=ON)
    assert applied(thai) == "FASTH" and duty(thai) == D("252000") and status(thai, "FAS1") == "superseded"
    vietnamese = run(snap(extra), line(BEEF, origin="VN", **goods), on=ON)
    assert applied(vietnamese) == "FAS1" and status(vietnamese, "FASTH") == "other_origin"


def test_rcep_row_serves_its_partner_under_an_rcep_claim_only():
    extra = BASIC_BEEF + f"\n{BEEF},FRCCN1,20,,,2,,20260101,20261231"
    goods = {"unit": "KGM", "quantity": "100", "mass": "100"}
    rcep = claim("RCEP")
    assert applied(run(snap(extra), line(BEEF, origin="CN", preference=rcep, **goods), on=ON)) == "FRCCN1"
    assert applied(run(snap(extra), line(BEEF, origin="JP", preference=rcep, **goods), on=ON)) == "A"
    china = claim("KR-CN", rate_code="FCN1")
    no_claim = run(snap(extra), line(BEEF, origin="CN", preference=china, **goods), on=ON)
    assert applied(no_claim) == "A" and status(no_claim, "FRCCN1") == "not_claimed"


def test_use_specific_row_applies_only_to_that_declared_use():
    extra = (
        "2304000000,A,3,,,1,,20260101,20261231\n"
        "2304000000,C,0,,,1,23,20260101,20261231"
    )  # e.g. a 0% concession for feed use (made up)
    goods = {"unit": "KGM", "quantity": "1000", "mass": "1000"}
    declared = run(snap(extra), line("2304000000", use_type="23", **goods), on=ON)
    assert applied(declared) == "C" and duty(declared) == 0
    for use in (None, "11"):
        other = run(snap(extra), line("2304000000", use_type=use, **goods), on=ON)
        assert applied(other) == "A" and duty(other) == D("42000"), use  # 3%
        assert status(other, "C") == "conditional"


def test_a_use_specific_basic_row_listed_first_never_becomes_the_general_rate():
    extra = (
        "8413919000,A,0,,,1,5,20260101,20261231\n"  # 0% for one declared use (made up), listed first
        "8413919000,A,13.7,,,1,,20260101,20261231"
    )
    general = run(snap(extra), line("8413919000", origin="DE"), on=ON)
    assert duty(general) == D("191800")  # 13.7% of 1,400,000: the use-specific 0% row is not applied
    declared = run(snap(extra), line("8413919000", origin="DE", use_type="5"), on=ON)
    assert duty(declared) == 0


def test_reference_price_row_applies_only_below_the_reference_price():
    extra = (
        "2304000000,A,3,,,1,,20260101,20261231\n"
        "2304000000,L,1,,2000,1,,20260101,20261231"
    )  # 조정관세 1% while under 2,000 won/kg (made up)
    cheap = run(snap(extra), line("2304000000", unit="KGM", quantity="1000", mass="1000"), on=ON)
    assert applied(cheap) == "L"  # 1,400 won/kg
    dear = run(snap(extra), line("2304000000", unit="KGM", quantity="100", mass="100"), on=ON)
    assert applied(dear) == "A" and status(dear, "L") == "conditional"  # 14,000 won/kg


def test_goods_of_north_korean_origin_take_the_u_rate_and_no_one_else_does():
    extra = BASIC_BEEF + f"\n{BEEF},U,0,,,2,,20260101,20261231"
    kp = run(snap(extra), line(BEEF, origin="KP", unit="KGM", quantity="100", mass="100"), on=ON)
    assert applied(kp) == "U" and duty(kp) == 0
    cn = run(snap(extra), line(BEEF, origin="CN", unit="KGM", quantity="100", mass="100"), on=ON)
    assert applied(cn) == "A" and status(cn, "U") == "other_origin"


def test_greater_of_row_from_the_file():
    extra = "0409000000,A,20,,,1,,20260101,20261231"  # a basic rate for honey, made up for the test
    honey = run(snap(extra), line("0409000000", origin="CN", unit="KGM", quantity="100", mass="100"), on=ON)
    # W2 takes precedence over A even when higher (관세법 제50조 제3항 단서);
    # 243% of 1,400,000 = 3,402,000 > 1,864 won × 100 kg = 186,400: the greater applies
    assert applied(honey) == "W2" and duty(honey) == D("3402000")
