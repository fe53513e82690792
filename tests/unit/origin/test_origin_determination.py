"""Hand-worked origin determinations: each case is computed by hand in its docstring or comment."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from clearway.errors import ValidationFailed
from clearway.origin.bom import BillOfMaterials, Material, Product, Transit
from clearway.origin.determination import NOT_ORIGINATING, ORIGINATING, UNDETERMINED, determine
from clearway.origin.errors import UnknownAgreement
from clearway.origin.loader import get_agreement, hs_code_known, read_agreement

UK_KR = get_agreement("UK-KR")


def motor(
    *extra: Material, processes: tuple[str, ...] | None = ("winding", "assembly"), **product: object
) -> BillOfMaterials:
    """AC motor 8501.52 made in the UK, ex-works 1,000, FOB 1,050 (the UK–Korea rule: CTH, or MaxNOM 45 %)."""
    base = dict(
        hs="850152", ex_works_price=D("1000"), fob_price=D("1050"), producer_country="GB", processes=processes
    )
    base.update(product)
    materials = (
        Material("850300", D("300"), "CN", False, description="stator laminations"),
        Material("740811", D("120"), "KR", True, description="copper wire"),
        Material("848210", D("80"), "JP", False, description="bearings"),
        Material("732599", D("150"), "GB", True, description="housing"),
        *extra,
    )
    return BillOfMaterials(Product(**base), materials, transit=())  # type: ignore[arg-type]


def run(bom: BillOfMaterials, agreement=UK_KR):  # type: ignore[no-untyped-def]
    return determine(agreement, bom, known_code=hs_code_known)


def test_cth_met_when_every_non_originating_material_changes_heading() -> None:
    det = run(motor())
    assert det.status == ORIGINATING
    rule = det.rules[0]
    assert rule.applied == 1
    assert "CTH" in rule.alternatives[0].criteria[0].reason
    # the MaxNOM alternative is reported too: 380 of 1,000 = 38 % <= 45 %
    assert rule.alternatives[1].passed
    assert rule.alternatives[1].criteria[0].figures["share_exw"] == D("38.00")


def test_cth_fails_on_same_heading_material_and_tolerance_rescues_up_to_ten_percent() -> None:
    # a fan motor of 8501.10 worth 60 (6 % of ex-works) does not change heading; the 10 % tolerance covers it
    det = run(motor(Material("850110", D("60"), "CN", False, description="fan motor")))
    alt = det.rules[0].alternatives[0]
    assert not alt.criteria[0].passed and "same heading" in alt.criteria[0].reason
    assert alt.tolerance and alt.tolerance["used"] and alt.tolerance["share"] == "6.00"
    assert det.status == ORIGINATING
    # worth 110 (11 %): tolerance exceeded; MaxNOM is 490/1000 = 49 % > 45 % -> not originating
    det = run(motor(Material("850110", D("110"), "CN", False)))
    assert det.status == NOT_ORIGINATING
    assert "exceeds 10" in det.rules[0].alternatives[0].tolerance["reason"]
    assert det.rules[0].alternatives[1].criteria[0].figures["share_exw"] == D("49.00")


@pytest.mark.parametrize(("vnm", "expected"), [(D("450"), True), (D("450.01"), False)])
def test_maxnom_threshold_is_inclusive(vnm: D, expected: bool) -> None:
    # all non-originating materials in the product's own heading: CTH fails, only MaxNOM 45 % can hold
    bom = BillOfMaterials(
        Product("850152", D("1000"), producer_country="GB", processes=("winding",)),
        (Material("850140", vnm, "CN", False),),
        transit=(),
    )
    det = run(bom)
    assert (det.status == ORIGINATING) is expected
    assert det.rules[0].alternatives[1].passed is expected


def test_cth_exception_and_tolerance_on_excepted_material() -> None:
    """Sweet biscuits 1905.31 under UK-KR: 'materials of any heading, except those of chapter 11'."""

    def biscuits(flour_value: str) -> BillOfMaterials:
        return BillOfMaterials(
            Product("190531", D("100"), producer_country="GB", processes=("mixing", "baking")),
            (
                Material("110100", D(flour_value), "FR", False, description="wheat flour (non-originating)"),
                Material("170199", D("10"), "GB", True, description="sugar"),
            ),
            transit=(),
        )

    det = run(biscuits("25"))
    crit = det.rules[0].alternatives[0].criteria[0]
    assert not crit.passed and "excepted 11" in crit.reason
    assert det.status == NOT_ORIGINATING  # 25 % > the 10 % tolerance
    det = run(biscuits("8"))
    assert det.status == ORIGINATING and det.rules[0].alternatives[0].tolerance["used"]


def test_tolerance_is_not_available_for_textiles_by_value() -> None:
    """UK-KR Art. 5(3): the 10 % value tolerance does not apply to chapters 50-63."""
    agreement = read_agreement(
        {
            "format": "clearway.origin.agreement/1",
            "code": "T1",
            "name": "test",
            "parties": ["KR", "GB"],
            "provisions": {"tolerance": {"value_percent": "10", "value_excluded": ["50-63"]}},
            "rules": [
                {"ranges": ["6109"], "alternatives": [{"criteria": [{"kind": "tariff_shift", "level": 2}]}]}
            ],
        }
    )
    bom = BillOfMaterials(
        Product("610910", D("100"), producer_country="KR"), (Material("610990", D("2"), "CN", False),)
    )
    det = run(bom, agreement)
    assert det.status == NOT_ORIGINATING
    assert "not available for products of 50-63" in det.rules[0].alternatives[0].tolerance["reason"]


def test_textile_de_minimis_by_weight() -> None:
    """KORUS-style: non-qualifying fibres up to 7 % of the weight of the textile materials (Art. 4.2.7)."""
    agreement = read_agreement(
        {
            "format": "clearway.origin.agreement/1",
            "code": "T2",
            "name": "test",
            "parties": ["KR", "US"],
            "provisions": {
                "tolerance": {
                    "value_percent": "10",
                    "value_excluded": ["50-63"],
                    "textile_weight_percent": "7",
                }
            },
            "rules": [
                {"ranges": ["6110"], "alternatives": [{"criteria": [{"kind": "tariff_shift", "level": 2}]}]}
            ],
        }
    )

    def sweater(elastane_kg: str) -> BillOfMaterials:
        return BillOfMaterials(
            Product("611020", D("40"), producer_country="US", weight_kg=D("0.5")),
            (
                Material("520512", D("8"), "US", True, weight_kg=D("0.45"), description="cotton yarn"),
                Material(
                    "611090", D("1"), "CN", False, weight_kg=D(elastane_kg), description="knitted panel trim"
                ),
            ),
        )

    ok = run(sweater("0.03"), agreement)  # 0.03 / 0.48 = 6.25 % <= 7 %
    assert ok.status == ORIGINATING
    assert ok.rules[0].alternatives[0].tolerance["method"] == "textile_weight"
    assert ok.rules[0].alternatives[0].tolerance["share"] == "6.25"
    bad = run(sweater("0.05"), agreement)  # 0.05 / 0.50 = 10 % > 7 %
    assert bad.status == NOT_ORIGINATING


def test_rvc_build_down_and_build_up_against_threshold() -> None:
    """CTH, or RVC 40 % by build-up or build-down on FOB (the UK–NZ shape), written in the loader format."""
    agreement = read_agreement(
        {
            "format": "clearway.origin.agreement/1",
            "code": "T3",
            "name": "test",
            "parties": ["KR", "NZ"],
            "rules": [
                {
                    "ranges": ["8420"],
                    "alternatives": [
                        {"criteria": [{"kind": "tariff_shift", "level": 4}]},
                        {
                            "criteria": [
                                {
                                    "kind": "value_content",
                                    "limits": [
                                        {"percent": "40", "basis": "FOB", "method": "build_up"},
                                        {"percent": "40", "basis": "FOB", "method": "build_down"},
                                    ],
                                }
                            ]
                        },
                    ],
                }
            ],
        }
    )

    def calender(vnm: str, vom: str) -> BillOfMaterials:
        return BillOfMaterials(
            Product("842010", D("900"), fob_price=D("1000"), producer_country="NZ"),
            (
                Material("842091", D(vnm), "CN", False, description="rolls (same heading: CTH fails)"),
                Material("730890", D(vom), "NZ", True, description="frame"),
            ),
        )

    # build-down: (1000 - 600) / 1000 = 40.00 % -> meets 40 exactly
    det = run(calender("600", "100"), agreement)
    assert det.status == ORIGINATING
    figures = det.rules[0].alternatives[1].criteria[0].figures
    assert figures["rvc_build_down_fob"] == D("40.00") and figures["rvc_build_up_fob"] == D("10.00")
    # VNM 601: build-down (1000 - 601) / 1000 = 39.90 % and build-up 100 / 1000 = 10 %: both under 40
    det = run(calender("601", "100"), agreement)
    assert det.status == NOT_ORIGINATING
    reason = det.rules[0].alternatives[1].criteria[0].reason
    assert "39.90%" in reason and "10.00%" in reason


def test_rvc_build_up_alone() -> None:
    """CPTPP shape: RVC 35 % under the build-up method: VOM / FOB."""
    agreement = read_agreement(
        {
            "format": "clearway.origin.agreement/1",
            "code": "T4",
            "name": "test",
            "parties": ["GB", "JP"],
            "rules": [
                {
                    "ranges": ["8214"],
                    "alternatives": [
                        {
                            "text": "No change in tariff classification required for a good of subheading 821420, provided there is "
                            "a regional value content of not less than:\n\n- a) **35%** under the build-up method."
                        }
                    ],
                }
            ],
        }
    )
    kit = Product("821420", D("95"), fob_price=D("100"), producer_country="JP")
    ok = run(
        BillOfMaterials(
            kit, (Material("821420", D("35"), "JP", True), Material("821490", D("50"), "CN", False))
        ),
        agreement,
    )
    assert ok.status == ORIGINATING  # 35 / 100 = 35.00 %
    short = run(BillOfMaterials(kit, (Material("821420", D("34.99"), "JP", True),)), agreement)
    assert short.status == NOT_ORIGINATING  # 34.99 %


def test_rvc_without_the_fob_price_fails_with_its_reason() -> None:
    det = run(BillOfMaterials(Product("842010", D("900"), producer_country="NZ"), ()), get_agreement("UK-NZ"))
    rvc = next(
        r for alt in det.rules[0].alternatives for r in alt.criteria if r.criterion.kind == "value_content"
    )
    assert not rvc.passed and "no FOB price given" in rvc.reason


def test_wholly_obtained_live_animals() -> None:
    cattle = BillOfMaterials(
        Product("010221", D("2000"), producer_country="GB", wholly_obtained=True, processes=()), ()
    )
    assert run(cattle).status == ORIGINATING  # born and raised: no working is needed
    imported_calf = BillOfMaterials(
        Product("010221", D("2000"), producer_country="GB", wholly_obtained=True),
        (Material("010229", D("500"), "FR", False),),
    )
    det = run(imported_calf)
    assert (
        det.status == NOT_ORIGINATING
        and "not wholly obtained" in det.rules[0].alternatives[0].criteria[0].reason
    )


def test_only_insufficient_operations_never_confer_origin() -> None:
    det = run(motor(processes=("repacking", "labelling")))
    assert det.rules[0].status == ORIGINATING  # the CTH holds on the codes...
    assert det.status == NOT_ORIGINATING  # ...but repacking and labelling are insufficient (Art. 6)
    assert "only insufficient operations" in " ".join(det.reasons)


def test_undeclared_operations_are_said_not_checked() -> None:
    det = run(motor(processes=None))
    assert det.status == ORIGINATING
    assert any("not checked" in w for w in det.warnings)


def test_direct_transport_broken_by_processing_in_transit() -> None:
    bom = motor()
    det = run(
        BillOfMaterials(bom.product, bom.materials, transit=(Transit("SG", ("unloading", "repainting")),))
    )
    assert det.status == NOT_ORIGINATING
    assert "repainting" in det.checks[1]["reason"]
    det = run(
        BillOfMaterials(bom.product, bom.materials, transit=(Transit("SG", ("unloading", "reloading")),))
    )
    assert det.status == ORIGINATING


def test_diagonal_cumulation_with_eu_materials_and_non_party_claims() -> None:
    # all materials of the motor's own heading: only MaxNOM 45 % can hold
    base = Product("850152", D("1000"), producer_country="GB", processes=("winding",))
    german = BillOfMaterials(
        base, (Material("850140", D("500"), "DE", True, description="EU-originating rotor"),), transit=()
    )
    det = run(german)
    assert det.status == ORIGINATING and "diagonal cumulation" in det.materials[0]["status"]
    chinese = BillOfMaterials(base, (Material("850140", D("500"), "CN", True),), transit=())
    det = run(chinese)
    assert det.status == NOT_ORIGINATING
    assert any("neither a Party nor a cumulation country" in w for w in det.warnings)


def test_specific_process_from_declared_processes_or_attestation() -> None:
    """Men's trousers 6203.42 under UK-KR: 'Weaving accompanied by making-up (including cutting)'."""
    trousers = Product(
        "620342", D("30"), producer_country="GB", processes=("weaving", "cutting", "making-up")
    )
    det = run(
        BillOfMaterials(
            trousers, (Material("520100", D("6"), "US", False, description="raw cotton"),), transit=()
        )
    )
    assert det.status == ORIGINATING
    sewn_only = Product("620342", D("30"), producer_country="GB", processes=("cutting", "sewing"))
    det = run(
        BillOfMaterials(
            sewn_only, (Material("520942", D("12"), "CN", False, description="denim"),), transit=()
        )
    )
    assert det.status == NOT_ORIGINATING
    assert det.attestations_needed  # the alternatives it cannot decide are listed with their ids


def test_producer_outside_the_parties_is_not_originating() -> None:
    det = run(motor(producer_country="CN"))
    assert det.status == NOT_ORIGINATING and "not a Party" in det.reasons[0]


def test_materials_worth_more_than_the_price_are_rejected() -> None:
    bom = motor(Material("850110", D("600"), "CN", False))  # 1,310 of materials for a 1,000 product
    with pytest.raises(ValidationFailed) as exc:
        run(bom)
    assert exc.value.errors[0].pointer == "/materials"
    assert exc.value.errors[0].code == "materials_exceed_price"


def test_unknown_hs_codes_are_rejected_with_their_pointer() -> None:
    bom = motor(Material("847199", D("5"), "CN", False), Material("999999", D("5"), "CN", False))
    with pytest.raises(ValidationFailed) as exc:
        run(bom)
    assert [(e.pointer, e.code) for e in exc.value.errors] == [
        ("/materials/4/hs", "unknown_hs_code"),
        ("/materials/5/hs", "unknown_hs_code"),
    ]


def test_no_rule_for_the_code_is_undetermined_with_a_reason() -> None:
    korus = get_agreement("KORUS")  # a partial sample: only chapters 1 and 2
    det = run(BillOfMaterials(Product("850152", D("100"), producer_country="US"), ()), korus)
    assert det.status == UNDETERMINED
    assert "rules for HS 8501.52 are not loaded (only 0101-0106, 0201-0210 are)" in det.reasons[0]
    assert any("partly loaded" in w for w in det.warnings)
    beef = BillOfMaterials(
        Product("020130", D("100"), producer_country="US"), (Material("010229", D("40"), "US", True),)
    )
    assert run(beef, korus).status == ORIGINATING


def test_unknown_agreement() -> None:
    with pytest.raises(UnknownAgreement):
        get_agreement("XX-YY")


def test_rule_variants_must_be_chosen_when_they_disagree() -> None:
    """UK-KR 1703 (molasses) has two rows: flavoured molasses (MaxNOM 30 % of chapter 17) and any other (CTH).
    Non-originating molasses worth 20 % passes the first (20 <= 30) and fails the second (same heading, and
    20 % is over the 10 % tolerance): the answer depends on which product it is."""
    bom = BillOfMaterials(
        Product("170310", D("100"), producer_country="GB", processes=("flavouring",)),
        (Material("170310", D("20"), "BR", False),),
        transit=(),
    )
    det = run(bom)
    assert det.status == UNDETERMINED and "variant" in det.reasons[0]
    chosen = run(BillOfMaterials(bom.product, bom.materials, transit=(), variant="other"))
    assert chosen.status == NOT_ORIGINATING  # CTH: the molasses stays in 1703
