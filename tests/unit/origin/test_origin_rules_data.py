"""Rule texts read into criteria, the loader format, the shipped rule sets, and the CBP case replay."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from clearway.origin.casebook import run_agreement_cases, run_textile_cases
from clearway.origin.errors import RuleDataInvalid
from clearway.origin.hs import HsRange
from clearway.origin.loader import (
    BUNDLED,
    bundled_agreements,
    get_agreement,
    originshift_cases,
    read_agreement,
    textile_corpus,
)
from clearway.origin.textrules import parse_hs_list, parse_rule_text


def kinds(text: str) -> list[str]:
    alts, _ = parse_rule_text(text)
    return [c.describe() for a in alts for c in a.criteria]


def test_hs_lists() -> None:
    ranges, _ = parse_hs_list(
        "heading 5106 to heading 5113, heading 5205 to heading 5212 or 5401 to 5402, subheading 540333"
    )
    assert [str(r) for r in ranges] == ["5106-5113", "5205-5212", "5401-5402", "5403.33"]
    assert [str(r) for r in parse_hs_list("chapter 4, chapter 17 and subheading 2202.91")[0]] == [
        "04",
        "17",
        "2202.91",
    ]
    assert str(HsRange("8501000000", "8503999999")) == "8501-8503"
    assert HsRange.parse("8504").contains("850410") and not HsRange.parse("850410").contains("8504")
    assert HsRange.parse("850410").overlaps("8504")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Manufacture from materials of any heading, except that of the product.", ["CTH"]),
        (
            "Manufacture from materials of any heading, except those of [chapter&nbsp;11](/chapters/11).",
            ["materials of any heading except from 11"],
        ),
        (
            "Manufacture in which the value of all the materials used does not exceed **45%** of the ex-works price of the product.",
            ["MaxNOM 45% EXW"],
        ),
        (
            "Manufacture:\n\n- from materials of any heading, except that of the product, *and*\n\n- in which the value of all "
            "the materials of [chapter&nbsp;17](/chapters/17) used does not exceed **30%** of the ex-works price of the product.",
            ["CTH", "MaxNOM 30% EXW (materials of 17)"],
        ),
        (
            "<abbr title='Change of tariff subheading'>CTSH</abbr>: All non-originating materials used in the production of the "
            "good have undergone a change in tariff classification at the 6-digit level (subheading).",
            ["CTSH"],
        ),
        (
            "Your goods contain a Regional Value Content (RVC) of at least **55%** of the Free on Board (FOB) cost of the goods.",
            ["RVC 55% build-down FOB"],
        ),
        (
            "Making-up including cutting of fabric, provided that the value of non-originating materials used does not exceed "
            "**50%** of the ex-works price (EXW) or **45%** of the Free on Board (FOB) cost of the product.",
            ["MaxNOM 50% EXW or 45% FOB", "process: making-up"],
        ),
        (
            "The good has a Regional Value Content (RVC) as calculated under Article 4 of the Origin Reference Document of not "
            "less than 40%, whether using the build-up method or build-down method (RVC40).",
            ["RVC 40% build-up FOB or 40% build-down FOB"],
        ),
        ("A change to a good of [heading&nbsp;2002](/headings/2002) from any other chapter.", ["CC"]),
        ("All the animals of [chapter&nbsp;1](/chapters/01) shall be wholly obtained.", ["wholly obtained"]),
        ("Weaving combined with making-up, including cutting of fabric.", ["process: weaving + making-up"]),
    ],
)
def test_rule_texts(text: str, expected: list[str]) -> None:
    assert kinds(text) == expected


def test_unreadable_text_becomes_a_condition_to_attest_never_a_pass() -> None:
    alts, _ = parse_rule_text("Manufacture from unwrought precious metals.")
    assert [c.kind for c in alts[0].criteria] == ["attested"]
    assert "precious metals" in alts[0].criteria[0].text


def test_relaxations_are_not_applied_and_said_so() -> None:
    alts, _ = parse_rule_text(
        "Manufacture from materials of any heading, except that of the product. However, "
        "roughly-shaped blocks for making golf-club heads may be used."
    )
    assert [c.describe() for c in alts[0].criteria] == ["CTH"]
    assert "golf-club" in alts[0].unapplied[0]


def test_described_exception_is_conditional() -> None:
    alts, _ = parse_rule_text(
        "Manufacture from materials of any heading, except from assemblies of uppers affixed to "
        "inner soles or to other sole components of [heading&nbsp;6406](/headings/6406)."
    )
    shift = alts[0].criteria[0]
    assert shift.conditional_exceptions and str(shift.conditional_exceptions[0][0][0]) == "6406"


def test_textile_note_and_dates() -> None:
    alts, notes = parse_rule_text(
        "Manufacture from yarn.\n\nFor special conditions relating to products made of a mixture "
        "of textile materials, see Introductory Note 5."
    )
    assert notes == ["textile_note_5"]
    alts, _ = parse_rule_text(
        "A maximum of **50%** of the ex-works price (EXW) is made up of non-originating parts "
        "(MAXNOM) **(1st Jan 2021 to 31st Dec 2022)**."
    )
    assert alts[0].valid_to is not None and alts[0].valid_to.year == 2022


def test_the_bundled_agreements_load_with_their_rules() -> None:
    agreements = bundled_agreements()
    assert len(agreements) == len(BUNDLED)
    uk_kr = agreements["UK-KR"]
    assert len(uk_kr.rules) > 600 and {"GB", "KR"} <= uk_kr.parties
    assert uk_kr.provisions.tolerance.value_percent == D("10")
    assert uk_kr.proof("origin_declaration").validity_months == 12  # type: ignore[union-attr]
    assert "DE" in uk_kr.cumulation_countries()  # diagonal cumulation with the EU
    assert agreements["KORUS"].partial and agreements["KORUS"].proof().validity_months == 48  # type: ignore[union-attr]
    assert len(agreements["US-102"].rules) > 1000


@pytest.mark.parametrize(
    ("code", "floor"), [("UK-KR", 0.8), ("UK-EU", 0.85), ("UK-JP", 0.88), ("UK-CPTPP", 0.9), ("UK-NZ", 0.95)]
)
def test_most_alternatives_are_decidable_from_a_bill_of_materials(code: str, floor: float) -> None:
    """Share of alternatives read completely into checkable criteria (the rest need an attestation)."""
    alts = [a for r in get_agreement(code).rules for a in r.alternatives]
    complete = sum(1 for a in alts if a.complete)
    assert complete / len(alts) >= floor


def test_loader_names_every_bad_field() -> None:
    with pytest.raises(RuleDataInvalid) as exc:
        read_agreement(
            {
                "format": "clearway.origin.agreement/1",
                "code": "X",
                "name": "bad",
                "kind": "bilateral",
                "rules": [
                    {
                        "ranges": ["85x"],
                        "alternatives": [{"criteria": [{"kind": "max_non_originating"}, {"kind": "magic"}]}],
                    }
                ],
            }
        )
    pointers = {e.pointer for e in exc.value.errors}
    assert {
        "/kind",
        "/rules/0/ranges/0",
        "/rules/0/alternatives/0/criteria/0/limits",
        "/rules/0/alternatives/0/criteria/1/kind",
    } <= pointers


def test_cbp_tariff_shift_cases() -> None:
    """27 of the 30 rulings reproduce; the 3 others cite HS codes that no longer exist in the 2026 tariff."""
    result = run_agreement_cases(get_agreement("US-102"), originshift_cases("agreement-cases.json"))
    assert (result["cases"], result["reproduced"]) == (30, 27)
    differing = {r["ruling"]: r for r in result["rows"] if not r["agrees"]}
    assert set(differing) == {"559198", "561520", "562595"}
    assert all(r["clearway"] == "undetermined" for r in differing.values())
    assert result["reproduced_on_codes_alone"] == 22


def test_cbp_textile_cases() -> None:
    result = run_textile_cases(textile_corpus(), originshift_cases("textile-cases.json"))
    assert result["cases"] == 13 and result["country_reproduced"] == 12
    by_ruling = {r["ruling"]: r for r in result["rows"]}
    assert by_ruling["561263"]["clearway_step"] == "3ii"  # 6201-6208 is missing from the eCFR source
    assert by_ruling["959400"]["clearway_country"] is None and by_ruling["959400"]["clearway_step"] == "1"
