"""Pure parts of electronic-certificate verification: HS editions, drawdown allocation, the origin criterion
against the rule, and a fix for every failed check."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from clearway.declaration.content import DeclarationContent, GoodsItem
from clearway.origin.certificates import Certificate, CertificateItem, origin_criteria, proof_rule
from clearway.origin.checks import allocate, verify_certificate
from clearway.origin.hs_editions import correlate, edition
from tests.documents import HANBIT, import_declaration

TABLES = {"HS2017>HS2022": {"source": "test table", "changed": {"851660": ["851660", "851679"]}}}


def goods(code: str = "8516500000", quantity: str = "300", criterion_hs: str = "851650") -> GoodsItem:
    content = DeclarationContent.model_validate(
        import_declaration(
            "T-1",
            **{
                "items__0__commodity_code": code,
                "items__0__quantity": quantity,
                "items__0__quantity_unit": "U",
                "items__0__origin_country": "CN",
                "items__0__preference": {"agreement": "KR-CN", "certificate_reference": "K1"},
            },
        )
    )
    return content.items[0]


def certificate(*quantities: str, criterion: str = "WP", hs_version: str | None = None) -> Certificate:
    return Certificate(
        reference="K1",
        agreement="KR-CN",
        form="authority_certificate",
        issuer="CCPIT",
        issuing_country="CN",
        issue_date=date(2026, 11, 2),
        exporter_name="Shenzhen Everbright Trading Co.",
        importer_name=HANBIT.name,
        origin_country="CN",
        origin_criterion=criterion,
        invoice_reference="INV-1",
        items=tuple(
            CertificateItem(
                description="Microwave ovens",
                hs6="851650",
                hs_version=hs_version,
                quantity=D(q),
                unit="U",
                origin_criterion=criterion,
                origin_country="CN",
                item_number=n + 1,
            )
            for n, q in enumerate(quantities)
        ),
    )


def test_editions_and_correlation() -> None:
    assert edition("2017") == edition("hs 2017") == "HS2017" and edition("HS1999") is None
    same = correlate("851650", "HS2022")
    assert same.codes == {"851650"} and "compared as is" in same.basis
    split = correlate("851660", "HS2017", tables=TABLES)
    assert split.codes == {"851660", "851679"} and "test table" in split.basis
    assert correlate("851650", "HS2017", tables=TABLES).codes == {"851650"}  # unlisted: unchanged
    untabled = correlate("851650", "HS2012", tables=TABLES)
    assert untabled.codes == {"851650"} and "no HS2012→HS2022 correlation table" in untabled.basis


def test_a_certificate_in_hs_2012_meets_the_bundled_unsd_table() -> None:
    """Mobile phones: HS 2012 8517.12 was split into HS 2022 8517.13 (smartphones) and 8517.14."""
    phones = correlate("851712", "2012")
    assert {"851713", "851714"} <= phones.codes and "UNSD correlation HS 2022–HS 2012" in phones.basis
    assert (
        "851650" in correlate("851650", "2012").codes
    )  # ovens kept their subheading (some went to 85.49 waste)


@given(
    certified=st.lists(st.integers(min_value=1, max_value=500), min_size=1, max_size=4),
    used=st.lists(st.integers(min_value=0, max_value=500), min_size=4, max_size=4),
    wanted=st.integers(min_value=1, max_value=2500),
)
def test_allocation_never_draws_more_than_is_left_nor_more_than_declared(
    certified: list[int], used: list[int], wanted: int
) -> None:
    cert = certificate(*(str(c) for c in certified))
    drawn = {n: D(min(u, c)) for n, (u, c) in enumerate(zip(used, certified, strict=False))}
    taken = allocate(cert, goods(quantity=str(wanted)), drawn)
    assert sum(q for _, q, _ in taken) <= wanted
    for n, quantity, unit in taken:
        assert D(0) < quantity <= D(certified[n]) - drawn[n] and unit == "U"
    left = sum(D(c) - drawn[n] for n, c in enumerate(certified))
    assert sum(q for _, q, _ in taken) == min(D(wanted), left)  # all it can, first come first served


def checks_of(cert: Certificate, item: GoodsItem, **kwargs) -> dict[str, dict]:  # type: ignore[no-untyped-def,type-arg]
    content = DeclarationContent.model_validate(
        import_declaration(
            "T-1",
            **{
                "items__0__commodity_code": item.commodity_code,
                "items__0__quantity": str(item.quantity),
                "items__0__quantity_unit": "U",
                "items__0__origin_country": "CN",
                "items__0__preference": {"agreement": "KR-CN", "certificate_reference": "K1"},
                "documents": [
                    {"kind": "invoice", "reference": "INV-1"},
                    {"kind": "certificate_of_origin", "reference": "K1"},
                ],
            },
        )
    )
    found = verify_certificate(
        cert,
        content,
        content.items[0],
        date(2026, 11, 20),
        proof_rule("KR-CN"),
        frozenset({"KR", "CN"}),
        criteria=origin_criteria("KR-CN"),
        **kwargs,
    )
    return {c["check"]: c for c in found}


def test_quantity_net_of_other_declarations_and_every_failure_has_a_fix() -> None:
    checks = checks_of(certificate("500"), goods(quantity="300"), drawn={0: D(300)})
    quantity = checks["quantity"]
    assert not quantity["passed"] and quantity["left"] == "200"
    assert "at most 200 U" in quantity["fix"]
    assert all(c.get("fix") for c in checks.values() if not c["passed"])
    assert checks_of(certificate("500"), goods(quantity="200"), drawn={0: D(300)})["quantity"]["passed"]


def test_the_criterion_is_checked_against_the_agreement_and_its_rule() -> None:
    item = goods()
    assert checks_of(certificate("500", criterion="WP"), item)["origin_criterion"]["passed"]
    unknown = checks_of(certificate("500", criterion="CTH"), item)["origin_criterion"]
    assert not unknown["passed"] and "not an origin criterion of KR-CN" in unknown["reason"]
    no_rules = checks_of(certificate("500", criterion="PSR"), item, rule_kinds=None)["origin_criterion"]
    assert not no_rules["passed"] and "not loaded" in no_rules["reason"]
    no_rule = checks_of(certificate("500", criterion="PSR"), item, rule_kinds=())["origin_criterion"]
    assert not no_rule["passed"] and "none loaded for 8516.50" in no_rule["reason"]
    with_rule = checks_of(
        certificate("500", criterion="PSR"), item, rule_kinds=(frozenset({"tariff_shift"}),)
    )["origin_criterion"]
    assert with_rule["passed"]


def test_a_certificate_code_of_an_older_edition_is_carried_over() -> None:
    older = certificate("500", hs_version="HS2017")
    hs6 = checks_of(older, goods())["hs6"]
    assert hs6["passed"] and "HS2017" in hs6["reason"]
