"""Korea's FTAs as data (issue 15): Korea–Vietnam, Korea–ASEAN, RCEP, Korea–China, KORUS.

Determinations are worked by hand from the rows of the annexes (VKFTA Annex 3-A, AKFTA Annex 3 Rule 4) and
the agreements' de minimis and cumulation provisions; the HS 2012 → HS 2022 correlation is the UNSD table.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal as D
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clearway.origin.bom import BillOfMaterials, Material, Product
from clearway.origin.correlation import parse_correlation
from clearway.origin.determination import NOT_ORIGINATING, ORIGINATING, UNDETERMINED, determine
from clearway.origin.errors import RuleDataInvalid
from clearway.origin.loader import (
    agreement_for_rate_code,
    bundled_agreements,
    get_agreement,
    hs2022_codes,
    hs_code_known,
    read_agreement,
)
from clearway.origin.psrcodes import parse_psr
from clearway.tariff.kcs_codes import bundled_rate_codes

VN = get_agreement("KR-VN")
ASEAN = get_agreement("KR-ASEAN")
RCEP = get_agreement("RCEP")


def run(agreement, bom):  # type: ignore[no-untyped-def]
    return determine(agreement, bom, known_code=hs_code_known)


# ------------------------------------------------------------------------------------------- loading


@pytest.mark.parametrize(
    ("code", "hs_version", "rate_code", "validity", "proof_kind"),
    [
        ("KR-VN", "2012", "FVN", 12, "certificate"),
        ("KR-ASEAN", "2012", "FAS", 12, "certificate"),
        ("RCEP", "2012", "FRCJP", 12, "certificate"),
        ("KR-CN", "2012", "FCN", 12, "certificate"),
        ("KORUS", "2022", "FUS", 48, "certification"),
    ],
)
def test_each_korean_agreement_loads_with_its_edition_rate_codes_and_proof(
    code: str, hs_version: str, rate_code: str, validity: int, proof_kind: str
) -> None:
    agreement = get_agreement(code)
    assert agreement.hs_version == hs_version
    assert rate_code in agreement.rate_codes
    proof = agreement.provisions.proofs[0]
    assert proof.kind == proof_kind and proof.validity_months == validity
    assert agreement.provisions.direct_transport
    assert agreement.provisions.tolerance.value_percent == D("10")
    assert (agreement.correlation is not None) == (hs_version != "2022")


def test_cumulation_partners_follow_each_agreement() -> None:
    assert VN.cumulation_countries() == {"KR", "VN"}
    assert {
        "TH",
        "ID",
        "KR",
        "VN",
    } <= ASEAN.cumulation_countries() and "CN" not in ASEAN.cumulation_countries()
    rcep = get_agreement("RCEP")
    assert {"JP", "CN", "AU", "NZ", "TH"} <= rcep.cumulation_countries()
    assert get_agreement("KR-CN").cumulation_countries() == {"KR", "CN"}


def test_rcep_lets_an_approved_exporter_self_certify_while_kr_cn_needs_an_authority() -> None:
    rcep = get_agreement("RCEP")
    assert {p.kind for p in rcep.provisions.proofs} == {"certificate", "origin_declaration"}
    assert [p.kind for p in get_agreement("KR-CN").provisions.proofs] == ["certificate"]
    assert "authorised body" in get_agreement("KR-CN").provisions.proofs[0].issued_by


def test_vkfta_rows_are_read_from_the_abbreviated_notation() -> None:
    (rule,) = VN.rules_for("850152")
    assert [a.text for a in rule.alternatives] == ["CTH", "RVC(40)"]
    shift, rvc = (a.criteria[0] for a in rule.alternatives)
    assert shift.kind == "tariff_shift" and shift.level == 4
    assert rvc.kind == "value_content" and {(lim.percent, lim.basis) for lim in rvc.limits} == {
        (D("40"), "FOB")
    }
    assert {lim.method for lim in rvc.limits} == {"build_down", "build_up"}
    (laptop,) = VN.rules_for("8471300000")
    assert laptop.alternatives[0].criteria[0].level == 6


# ------------------------------------------------------------------------------------------- rate codes


@pytest.mark.parametrize(
    ("rate_code", "agreement"),
    [
        ("FCN1", "KR-CN"),
        ("FAS1", "KR-ASEAN"),
        ("FASTH", "KR-ASEAN"),
        ("FVN1", "KR-VN"),
        ("FUS1", "KORUS"),
        ("FRCJP1", "RCEP"),
        ("FRCCN1", "RCEP"),
        ("FEU1", "KR-EU"),
    ],
)
def test_an_fta_rate_code_finds_the_agreement_whose_rules_govern_it(rate_code: str, agreement: str) -> None:
    found = agreement_for_rate_code(rate_code)
    assert found is not None and found.code == agreement
    # the same agreement the tariff's rate-code table names
    listed = bundled_rate_codes().get(rate_code)
    assert listed is None or listed.agreement is None or listed.agreement.code == agreement


def test_a_rate_code_of_an_agreement_without_loaded_rules_finds_none() -> None:
    assert agreement_for_rate_code("FCL1") is None  # Korea–Chile: no rules of origin loaded
    assert agreement_for_rate_code("A") is None


def test_every_kcs_prefix_of_a_loaded_agreement_is_claimed_by_its_file() -> None:
    text = (
        resources.files("clearway.data")
        .joinpath("tariff", "korea", "kr_fta_rate_codes.csv")
        .read_text("utf-8")
    )
    loaded = {a.code for a in bundled_agreements().values() if a.rate_codes}
    for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff"))):
        if row["agreement"] in loaded:
            found = agreement_for_rate_code(row["code_prefix"] + "1")
            assert found is not None and found.code == row["agreement"], row["code_prefix"]


# ------------------------------------------------------------------------------------------- HS correlation


def test_a_subheading_split_in_hs_2022_finds_the_hs_2012_row_and_records_it() -> None:
    """Smartphones: HS 2012 8517.12 became HS 2022 8517.13 (smartphones) and 8517.14 (other)."""
    for code in ("851713", "8517140000"):
        (rule,) = VN.rules_for(code)
        assert str(rule.ranges[0]) == "8517.11-8517.69"
        assert rule.hs_version == "2012"
        assert "← HS 2012 851712" in rule.correlation
        assert rule.alternatives[0].criteria[0].level == 6  # CTSH or RVC(40)


def test_an_unchanged_subheading_is_looked_up_as_it_is() -> None:
    (rule,) = VN.rules_for("010229")
    assert (
        rule.correlation.endswith("(unchanged)")
        and rule.alternatives[0].criteria[0].kind == "wholly_obtained"
    )


def test_a_new_subheading_takes_the_rows_of_every_older_source() -> None:
    """HS 2022 8524.11 (flat panel display modules) is new: its goods came from many HS 2012 subheadings
    (8413..., 8529.90, 9013.80...), so every one of their rows comes back, each naming the correlation; the
    determination then needs them all to agree (rule variants)."""
    rows = VN.rules_for("852411")
    assert len(rows) > 5
    assert all(r.correlation.startswith("HS 2022 852411 ← HS 2012") for r in rows)
    assert {"8529.90", "90-93"} & {str(r.ranges[0]) for r in rows}


def test_the_correlation_file_reads_every_source_of_a_code() -> None:
    table = parse_correlation(
        "hs2022,hs2012,relationship\n851713,851712,n:1\n852411,852990,n:n\n852411,901380,n:n\n", "2012"
    )
    assert table.link("851713").sources == ("851712",)
    assert (
        table.link("8524110000").sources == ("852990", "901380")
        and table.link("852411").relationship == "n:n"
    )
    assert not table.link("010121").changed
    with pytest.raises(ValueError):
        parse_correlation("hs2022,hs2012,relationship\n8517,851712,n:1\n", "2012")


SUBHEADINGS = sorted(c for c in hs2022_codes() if len(c) == 6 and c != "999999")


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(SUBHEADINGS))
def test_every_row_found_covers_a_source_of_the_correlated_code(code: str) -> None:
    assert VN.correlation is not None
    link = VN.correlation.link(code)
    rows = VN.rules_for(code)
    for row in rows:
        assert any(row.covers(source) for source in link.sources)
        assert row.correlation == link.describe()
    if not link.changed:
        assert [r.ranges for r in rows] == [r.ranges for r in VN._rows_for(code, None)]


# ------------------------------------------------------------------------------------------- determinations


def motor(*materials: Material, country: str = "VN") -> BillOfMaterials:
    """An AC motor 8501.52 made in Viet Nam, FOB 1,000 (VKFTA: CTH or RVC(40))."""
    return BillOfMaterials(Product("850152", fob_price=D("1000"), producer_country=country), materials)


def test_vkfta_cth_met_when_every_foreign_material_changes_heading() -> None:
    det = run(VN, motor(Material("850300", D("550"), "CN", False), Material("740811", D("100"), "CN", False)))
    assert det.status == ORIGINATING
    assert det.rules[0].applied == 1
    assert det.rules[0].as_dict()["hs_version"] == "2012"


def test_vkfta_rvc40_rescues_a_same_heading_material_and_fails_below_40_percent() -> None:
    # 8501.40 motor (same heading) worth 200: CTH fails, tolerance 20 % > 10 % fails;
    # VNM 200 + 300 = 500 of FOB 1,000 -> RVC 50 % >= 40 %: originating by alternative 2
    det = run(VN, motor(Material("850140", D("200"), "CN", False), Material("850300", D("300"), "CN", False)))
    assert det.status == ORIGINATING and det.rules[0].applied == 2
    # VNM 200 + 500 = 700 -> RVC 30 % < 40 %: not originating
    det = run(VN, motor(Material("850140", D("200"), "CN", False), Material("850300", D("500"), "CN", False)))
    assert det.status == NOT_ORIGINATING
    assert not det.rules[0].alternatives[0].passed and not det.rules[0].alternatives[1].passed


def test_vkfta_de_minimis_lets_ten_percent_of_fob_fail_the_change_of_heading() -> None:
    # same-heading motor worth 80 = 8 % of FOB <= 10 %: CTH met with the tolerance, although RVC is 30 %
    det = run(VN, motor(Material("850140", D("80"), "CN", False), Material("850300", D("620"), "CN", False)))
    alt = det.rules[0].alternatives[0]
    assert det.status == ORIGINATING and alt.tolerance and alt.tolerance["used"]
    # worth 120 = 12 %: beyond the tolerance, and RVC 30 % -> not originating
    det = run(VN, motor(Material("850140", D("120"), "CN", False), Material("850300", D("580"), "CN", False)))
    assert det.status == NOT_ORIGINATING


def test_a_thai_motor_cumulates_under_kr_asean_but_not_under_kr_vn() -> None:
    # the same-heading 8501.40 motor (300) is originating in Thailand
    bom = motor(Material("850140", D("300"), "TH", True), Material("850300", D("450"), "CN", False))
    assert run(ASEAN, bom).status == ORIGINATING  # TH is an AKFTA Party; 8503 changes heading
    det = run(VN, bom)  # not a VKFTA Party: counted non-originating; CTH fails, tolerance 30 %, RVC 25 %
    assert det.status == NOT_ORIGINATING
    assert any("TH is neither a Party nor a cumulation country of KR-VN" in w for w in det.warnings)


def test_akfta_general_rule_applies_when_no_product_specific_row_is_loaded() -> None:
    (rule,) = ASEAN.rules_for("610910")  # a T-shirt: Rule 4, CTH or RVC(40)
    assert rule.heading == "general rule" and [a.text for a in rule.alternatives] == ["CTH", "RVC(40)"]
    tee = BillOfMaterials(
        Product("610910", fob_price=D("10"), producer_country="VN"),
        (Material("600622", D("7"), "CN", False),),
    )
    assert run(ASEAN, tee).status == ORIGINATING  # knitted fabric of 6006 -> 6109: change of heading
    assert any("partly loaded" in w for w in run(ASEAN, tee).warnings)


def test_vkfta_wholly_obtained_cattle() -> None:
    calf = BillOfMaterials(
        Product("010229", fob_price=D("900"), producer_country="VN", wholly_obtained=True), ()
    )
    assert run(VN, calf).status == ORIGINATING
    fattened = BillOfMaterials(
        Product("010229", fob_price=D("900"), producer_country="VN"),
        (Material("010229", D("400"), "AU", False),),
    )
    assert run(VN, fattened).status == NOT_ORIGINATING


def test_a_smartphone_under_vkfta_is_decided_through_the_correlation() -> None:
    phone = BillOfMaterials(
        Product("851713", fob_price=D("200"), producer_country="VN"),
        (Material("854231", D("60"), "CN", False), Material("850760", D("15"), "CN", False)),
    )
    det = run(VN, phone)
    assert det.status == ORIGINATING
    assert det.rules[0].as_dict()["hs_correlation"].startswith("HS 2022 851713 ← HS 2012 851712")
    assert any("written in HS 2012" in s for s in det.steps)


def test_codes_outside_the_loaded_rows_are_refused_not_guessed() -> None:
    assert not VN.partial and VN.rules_for("720839")  # the whole VKFTA annex is loaded
    motor_from = BillOfMaterials(Product("850152", fob_price=D("1"), producer_country="CN"), ())
    det = run(get_agreement("KR-CN"), motor_from)
    assert det.status == UNDETERMINED and "(none of its table is)" in det.reasons[0]
    det = run(RCEP, motor_from)  # RCEP rows are loaded, but not 8501.52's
    assert det.status == UNDETERMINED and "8501.52 are not loaded (only 0304.92" in det.reasons[0]


def test_a_producer_outside_the_parties_is_refused() -> None:
    assert run(VN, motor(country="CN")).status == NOT_ORIGINATING


# ------------------------------------------------------------------------------------------- the notation


def test_abbreviated_rules_read_into_criteria() -> None:
    (one,) = parse_psr("CTSH + RVC40")
    assert [c.kind for c in one.criteria] == ["tariff_shift", "value_content"]
    (cc,) = parse_psr("CC except from 17.01")
    assert cc.criteria[0].level == 2 and [str(r) for r in cc.criteria[0].exceptions] == ["1701"]
    (cr,) = parse_psr("CR")
    assert cr.criteria[0].kind == "specific_process" and cr.criteria[0].groups == (("chemical reaction",),)
    (odd,) = parse_psr("Manufacture from yarn")
    assert odd.criteria[0].kind == "attested"  # never guessed
    assert len(parse_psr("WO or CC or RVC 40%")) == 3
    printing = parse_psr(
        "CTH; or Printing or dyeing accompanied by at least two preparatory operations; or RVC(40)"
    )
    assert [a.criteria[0].kind for a in printing] == ["tariff_shift", "attested", "value_content"]
    assert (
        printing[1].criteria[0].text.startswith("Printing or dyeing")
    )  # one condition, not two alternatives
    (excepted, _) = parse_psr("CTH, except from headings 50.04 through 50.05; or RVC(40)")
    assert [str(r) for r in excepted.criteria[0].exceptions] == ["5004-5005"]
    (build_down,) = parse_psr("RVC(40)", methods=("build_down",))
    assert [lim.method for lim in build_down.criteria[0].limits] == ["build_down"]


# ------------------------------------------------------------------------------------------- the format


def doc(**extra: object) -> dict[str, object]:
    base: dict[str, object] = {
        "format": "clearway.origin.agreement/2",
        "code": "X-TEST",
        "name": "Test",
        "parties": ["KR", "CN"],
        "hs_version": "2012",
        "rate_codes": ["FXX"],
        "psr_table": [["0101-0106", "WO"], ["8501", "CTH or RVC(40)"]],
        "provisions": {"rvc_methods": ["build_down"]},
    }
    base.update(extra)
    return base


def test_format_2_reads_a_table_edition_and_rvc_methods() -> None:
    agreement = read_agreement(doc())
    assert agreement.hs_version == "2012" and agreement.correlation is not None
    (rule,) = agreement.rules_for("850152")
    assert [lim.method for lim in rule.alternatives[1].criteria[0].limits] == ["build_down"]


def test_format_2_errors_name_the_field() -> None:
    with pytest.raises(RuleDataInvalid) as bad:
        read_agreement(
            doc(
                hs_version="2015",
                psr_table=[["0101", 3]],
                rate_codes=["F-1"],
                provisions={"rvc_methods": ["x"]},
            )
        )
    pointers = {e.pointer for e in bad.value.errors}
    assert {"/hs_version", "/psr_table/0", "/rate_codes", "/provisions/rvc_methods"} <= pointers


def test_format_1_files_still_load_and_refuse_format_2_fields() -> None:
    assert get_agreement("UK-KR").hs_version == "2022"  # a format 1 file
    with pytest.raises(RuleDataInvalid) as bad:
        read_agreement(doc(format="clearway.origin.agreement/1"))
    assert "/hs_version" in {e.pointer for e in bad.value.errors}


def test_a_partial_agreement_may_have_no_rows_but_a_complete_one_may_not() -> None:
    assert read_agreement(doc(psr_table=[], partial=True)).rules == ()
    with pytest.raises(RuleDataInvalid):
        read_agreement(doc(psr_table=[]))


def test_a_subheading_that_kept_its_code_is_ruled_by_its_own_row_and_names_what_moved_in() -> None:
    """HS 2022 8542.31 also received multi-component ICs from other HS 2012 subheadings (n:n)."""
    (rule,) = VN.rules_for("854231")
    assert str(rule.ranges[0]) == "8542.31"
    assert rule.correlation.startswith("HS 2022 854231 ← HS 2012 854231")
    assert "goods moved in from" in rule.correlation


def test_passenger_cars_need_rvc45_and_have_no_change_of_heading_alternative() -> None:
    def car(vnm: str) -> BillOfMaterials:
        return BillOfMaterials(
            Product("870323", fob_price=D("20000"), producer_country="VN"),
            (Material("840734", D(vnm), "JP", False), Material("870899", D("0"), "VN", True)),
        )

    (rule,) = VN.rules_for("870323")
    assert [a.text for a in rule.alternatives] == ["RVC(45)"]
    assert run(VN, car("10000")).status == ORIGINATING  # RVC (20,000 - 10,000) / 20,000 = 50 % >= 45 %
    assert run(VN, car("12000")).status == NOT_ORIGINATING  # 40 % < 45 %, though the engine changes heading


def test_gear_boxes_and_their_parts_are_variants_that_must_be_chosen_when_they_disagree() -> None:
    # a non-originating 8708.40 part worth 580 of FOB 1,000: CTH fails (same heading), tolerance 58 % fails;
    # RVC 42 %: the gear box row (RVC 40) passes, the parts row (RVC 45) fails -> choose the variant
    def gearbox(variant: str | None) -> BillOfMaterials:
        return BillOfMaterials(
            Product("870840", fob_price=D("1000"), producer_country="VN"),
            (Material("870840", D("580"), "TH", False),),
            variant=variant,
        )

    assert run(VN, gearbox(None)).status == UNDETERMINED
    assert run(VN, gearbox("the good")).status == ORIGINATING
    assert run(VN, gearbox("parts")).status == NOT_ORIGINATING
    assert run(VN, gearbox("2")).status == NOT_ORIGINATING


def test_a_proviso_in_the_annex_is_a_condition_the_producer_attests() -> None:
    """Kephir (0403.90): CTH provided milk from non-Parties is at most 50 % of the milk by weight; or RVC(45).
    (Yoghurt is HS 2022 0403.20, a new subheading that took goods from HS 2012 0403.10 and 1901.90: both rows
    come back, as variants that must agree.)"""
    assert {str(r.ranges[0]) for r in VN.rules_for("040320")} == {"0403", "1901"}
    (rule,) = VN.rules_for("040390")
    proviso = rule.alternatives[0].criteria[1]
    assert proviso.kind == "attested" and proviso.text.startswith("provided that products of heading 04.03")

    def yogurt(milk: str, attest: bool | None = None) -> BillOfMaterials:
        return BillOfMaterials(
            Product("040390", fob_price=D("100"), producer_country="VN"),
            (Material("040120", D(milk), "AU", False),),
            attestations={proviso.id: attest} if attest is not None else {},
        )

    assert run(VN, yogurt("30")).status == ORIGINATING  # RVC 70 % >= 45 %
    det = run(VN, yogurt("60"))  # RVC 40 %: only the CTH alternative remains, and it needs the attestation
    assert det.status != ORIGINATING and proviso.id in {a["id"] for a in det.attestations_needed}
    assert run(VN, yogurt("60", attest=True)).status == ORIGINATING
    assert run(VN, yogurt("60", attest=False)).status == NOT_ORIGINATING


def test_raw_cane_sugar_may_not_change_chapter_from_sugar_cane() -> None:
    # CC except from Chapter 12: Thai sugar cane (1212.93) does not qualify Vietnamese raw sugar
    sugar = BillOfMaterials(
        Product("170114", fob_price=D("100"), producer_country="VN"),
        (Material("121293", D("60"), "TH", False),),
    )
    assert run(VN, sugar).status == NOT_ORIGINATING
    molasses = BillOfMaterials(
        Product("170114", fob_price=D("100"), producer_country="VN"),
        (Material("170310", D("60"), "TH", False),),
    )
    assert run(VN, molasses).status == NOT_ORIGINATING  # 17.03 -> 17.01 is not a change of chapter


def test_a_vietnamese_t_shirt_needs_cut_and_sewn_in_a_party_or_rvc40() -> None:
    """6109.10: CC, provided that the good is both cut and sewn in the territory of any Party; or RVC(40)."""

    def tee(attest: bool | None) -> BillOfMaterials:
        (rule,) = VN.rules_for("610910")
        proviso = rule.alternatives[0].criteria[1]
        return BillOfMaterials(
            Product("610910", fob_price=D("10"), producer_country="VN"),
            (Material("600622", D("7"), "CN", False),),  # Chinese knitted fabric: CC met; RVC 30 % < 40 %
            attestations={proviso.id: attest} if attest is not None else {},
        )

    assert run(VN, tee(True)).status == ORIGINATING
    assert run(VN, tee(False)).status == NOT_ORIGINATING
    assert run(VN, tee(None)).status != ORIGINATING


# ------------------------------------------------------------------------------------------- RCEP Annex 3A rows


@pytest.mark.parametrize(
    ("code", "rule"),
    [
        # checked by hand against the RCEP text copy named in rcep.json (pages 62, 67, 74, 88, 89, 193, 197, 212)
        ("030495", "CC"),
        ("050400", "CC, except from Chapter 01"),
        ("070700", "WO"),
        ("130219", "CC, except from subheading 1211.20"),
        ("130232", "CC"),
        ("140490", "CC"),
        ("271012", "CTH or RVC(40)"),
        ("280120", "CTSH or RVC(40)"),
        ("280300", "CTH or RVC(40)"),
        ("851761", "CTSH or RVC(40)"),
        ("851890", "CTH or RVC(40)"),
        ("853890", "CTH or RVC(40)"),
        ("854071", "CTSH or RVC(40)"),
        ("940360", "CTH or RVC(40)"),
        ("950300", "CTH or RVC(40)"),
    ],
)
def test_rcep_rows_transcribed_from_annex_3a(code: str, rule: str) -> None:
    (row,) = RCEP.rules_for(code)
    assert " or ".join(a.text for a in row.alternatives) == rule
    assert row.source == "RCEP Annex 3A" and row.hs_version == "2012"


def test_rcep_excepted_material_must_not_be_the_source_of_the_change_of_chapter() -> None:
    """1302.19 vegetable extracts: CC, except from 1211.20 (ginseng roots) — an extract of imported ginseng
    root is not originating; one of imported liquorice root (1211.90) is."""
    (row,) = RCEP.rules_for("130219")
    assert [str(r) for r in row.alternatives[0].criteria[0].exceptions] == ["1211.20"]

    def extract(material: str):  # type: ignore[no-untyped-def]
        return BillOfMaterials(
            Product("130219", fob_price=D("100"), producer_country="KR"),
            (Material(material, D("60"), "CN", False),),
        )

    assert run(RCEP, extract("121190")).status == ORIGINATING
    assert run(RCEP, extract("121120")).status == NOT_ORIGINATING


def test_rcep_smartphone_is_ruled_by_the_hs_2012_row_of_8517_12() -> None:
    """HS 2012 8517.12 split into HS 2022 8517.13 (smartphones) and 8517.14 (other cellular telephones): both
    find the RCEP row 8517.11-8517.18 (CTSH or RVC40) through the UNSD correlation and say so."""
    for code in ("851713", "851714"):
        (row,) = RCEP.rules_for(code)
        assert str(row.ranges[0]) == "8517.11-8517.18"
        assert row.correlation == f"HS 2022 {code} ← HS 2012 851712 (UNSD correlation HS 2022–HS 2012, n:1)"
    phone = BillOfMaterials(
        Product("851713", fob_price=D("200"), producer_country="VN"),
        (Material("854231", D("90"), "CN", False), Material("850760", D("30"), "US", False)),
    )
    det = run(RCEP, phone)
    assert det.status == ORIGINATING  # processors and batteries change subheading
    assert det.rules[0].as_dict()["hs_correlation"].startswith("HS 2022 851713 ← HS 2012 851712")
    # a phone assembled from another phone's subheading (8517.12 kits) and worth 70 % foreign: neither rule
    kit = BillOfMaterials(
        Product("851713", fob_price=D("200"), producer_country="VN"),
        (Material("851713", D("140"), "CN", False),),
    )
    assert run(RCEP, kit).status == NOT_ORIGINATING


def test_rcep_only_the_transcribed_rows_are_loaded() -> None:
    assert RCEP.partial
    assert RCEP.is_loaded("940190") and RCEP.is_loaded("851712")
    assert not RCEP.is_loaded("851762") and not RCEP.rules_for("851762")  # 8517.62 row not in the copy read
    assert not RCEP.is_loaded("870323")
