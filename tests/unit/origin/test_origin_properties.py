"""Properties of the origin core that must hold for any bill of materials."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from clearway.origin.bom import BillOfMaterials, Material, Product
from clearway.origin.certificates import Certificate, add_months, expiry, proof_rule
from clearway.origin.determination import ORIGINATING, determine
from clearway.origin.hs import HsRange
from clearway.origin.loader import read_agreement

PARTIES = ["KR", "GB"]
codes6 = st.builds(
    lambda ch, hd, sub: f"{ch:02d}{hd:02d}{sub:02d}",
    st.integers(1, 97),
    st.integers(1, 99),
    st.integers(0, 99),
)
money = st.decimals(min_value=D("0"), max_value=D("5000"), places=2, allow_nan=False, allow_infinity=False)


def agreement_with(criteria: list[dict]) -> object:  # type: ignore[type-arg]
    return read_agreement(
        {
            "format": "clearway.origin.agreement/1",
            "code": "P",
            "name": "property test",
            "parties": PARTIES,
            "rules": [{"ranges": ["01-97"], "alternatives": [{"criteria": criteria}]}],
        }
    )


value_rules = st.one_of(
    st.builds(
        lambda p, b: [{"kind": "max_non_originating", "limits": [{"percent": str(p), "basis": b}]}],
        st.integers(0, 100),
        st.sampled_from(["EXW", "FOB"]),
    ),
    st.builds(
        lambda p, m: [
            {"kind": "value_content", "limits": [{"percent": str(p), "basis": "FOB", "method": m}]}
        ],
        st.integers(0, 100),
        st.sampled_from(["build_down", "build_up"]),
    ),
)


@st.composite
def boms(draw: st.DrawFn) -> BillOfMaterials:
    materials = draw(
        st.lists(
            st.builds(
                lambda hs, value, orig: Material(hs, value, "KR" if orig else "CN", orig),
                codes6,
                money,
                st.booleans(),
            ),
            max_size=6,
        )
    )
    total = sum((m.value for m in materials), D(0))
    exw = total + draw(st.decimals(min_value=D("1"), max_value=D("5000"), places=2))
    fob = exw + draw(st.decimals(min_value=D("0"), max_value=D("100"), places=2))
    return BillOfMaterials(Product(draw(codes6), exw, fob, producer_country="KR"), tuple(materials))


@settings(max_examples=150, deadline=None)
@given(
    rule=value_rules,
    bom=boms(),
    index=st.integers(0, 5),
    extra=st.decimals(min_value=D("0.01"), max_value=D("1000"), places=2),
)
def test_more_non_originating_value_never_makes_a_product_originating(rule, bom, index, extra) -> None:  # type: ignore[no-untyped-def]
    """Raising a non-originating material's value (the price unchanged) can only lower RVC and raise MaxNOM."""
    non_orig = [i for i, m in enumerate(bom.materials) if not m.originating]
    assume(non_orig)
    i = non_orig[index % len(non_orig)]
    bigger = list(bom.materials)
    bigger[i] = Material(bigger[i].hs, bigger[i].value + extra, "CN", False)  # type: ignore[operator]
    p = bom.product
    assume(sum((m.value for m in bigger), D(0)) <= p.ex_works_price)  # type: ignore[misc]
    agreement = agreement_with(rule)
    before = determine(agreement, bom)  # type: ignore[arg-type]
    after = determine(agreement, BillOfMaterials(p, tuple(bigger)))  # type: ignore[arg-type]
    if before.status != ORIGINATING:
        assert after.status != ORIGINATING


@settings(max_examples=150, deadline=None)
@given(
    level=st.sampled_from([2, 4, 6]),
    product=codes6,
    materials=st.lists(codes6, max_size=6),
    exceptions=st.lists(st.sampled_from(["01-20", "8501", "8471.30", "50-63", "2204"]), max_size=3),
)
def test_only_originating_materials_pass_any_change_of_classification_rule(
    level, product, materials, exceptions
) -> None:  # type: ignore[no-untyped-def]
    agreement = agreement_with([{"kind": "tariff_shift", "level": level, "exceptions": exceptions}])
    bom = BillOfMaterials(
        Product(product, D("100"), producer_country="GB"),
        tuple(Material(m, D("1"), "KR", True) for m in materials),
    )
    assert determine(agreement, bom).status == ORIGINATING  # type: ignore[arg-type]


@settings(max_examples=150, deadline=None)
@given(level=st.sampled_from([2, 4, 6]), product=codes6, material=codes6)
def test_a_non_originating_material_of_the_same_position_fails_the_shift(level, product, material) -> None:  # type: ignore[no-untyped-def]
    material = product[:level] + material[level:]
    agreement = agreement_with([{"kind": "tariff_shift", "level": level}])
    bom = BillOfMaterials(
        Product(product, D("100"), producer_country="GB"), (Material(material, D("50"), "CN", False),)
    )
    assert determine(agreement, bom).status != ORIGINATING  # type: ignore[arg-type]


@given(low=codes6, high=codes6, code=st.one_of(codes6, st.builds(lambda c: c[:4], codes6)))
def test_a_range_that_contains_a_code_overlaps_it(low, high, code) -> None:  # type: ignore[no-untyped-def]
    low, high = min(low, high), max(low, high)
    r = HsRange(low, high)
    if r.contains(code):
        assert r.overlaps(code)
    assert r.contains(low) and r.contains(high)


@given(day=st.dates(max_value=date(9990, 1, 1)), months=st.integers(1, 60))
def test_validity_ends_on_the_same_calendar_date_months_later(day, months) -> None:  # type: ignore[no-untyped-def]
    end = add_months(day, months)
    assert end > day
    assert (end.year - day.year) * 12 + end.month - day.month == months
    assert (
        end.day == day.day or end.day < day.day
    )  # clipped at the month's end (31 Jan + 1 month = 28/29 Feb)


@given(issued=st.dates(max_value=date(9990, 1, 1)))
def test_a_korus_certification_expires_four_years_after_issue(issued) -> None:  # type: ignore[no-untyped-def]
    last = expiry(Certificate("C1", "KORUS", issue_date=issued), proof_rule("KORUS"))
    assert last == add_months(issued, 48)
