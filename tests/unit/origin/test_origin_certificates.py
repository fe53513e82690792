"""Reading certificate documents into fields, and verifying a certificate against the declaration."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from clearway.declaration.content import DeclarationContent
from clearway.origin.certificates import Certificate, CertificateItem, Transport, proof_rule
from clearway.origin.checks import same_party, verify_certificate
from clearway.origin.errors import CertificateUnreadable
from clearway.origin.loader import get_agreement
from clearway.origin.reading import document_text, parse_date, read_certificate
from tests.documents import HANBIT, import_declaration
from tests.unit.origin.samples import (
    KORUS_CERTIFICATION,
    KR_EU_INVOICE,
    RCEP_CERTIFICATE,
    UK_KR_INVOICE,
    pdf_with_text,
    pdf_without_text,
)


def read_pdf(text: str, agreement: str | None = None):  # type: ignore[no-untyped-def]
    return read_certificate(document_text(pdf_with_text(text)), agreement_hint=agreement)


def test_uk_korea_invoice_origin_declaration_from_pdf() -> None:
    r = read_pdf(UK_KR_INVOICE)
    assert (r.form, r.agreement) == ("eu_origin_declaration", "UK-KR")
    assert r.value("exporter_name") == "Thames Precision Motors Ltd"
    assert r.value("exporter_country") == "GB"
    assert r.value("exporter_authorisation") == "GBAEO/UKKR/0042"
    assert r.value("origin_country") == "GB"
    assert r.value("invoice_reference") == "INV-GB-2026-0412"
    assert r.value("issue_date") == date(2026, 10, 20)
    assert r.missing == []
    assert [i["hs6"] for i in r.items] == ["850152", "853890"]
    assert r.items[0]["quantity"] == "40" and r.items[0]["unit"] == "PCS"
    assert all(0 < f.confidence <= 1 for f in r.fields.values())
    assert r.fields["exporter_authorisation"].confidence >= 0.9


def test_korea_eu_declaration_with_day_first_date() -> None:
    r = read_pdf(KR_EU_INVOICE)
    assert r.agreement == "KR-EU" and r.value("origin_country") == "EU"
    assert r.value("issue_date") == date(2026, 9, 14) and r.value("exporter_country") == "DE"


def test_korus_certification_minimum_data_elements_from_text() -> None:
    r = read_certificate(KORUS_CERTIFICATION)
    assert (r.form, r.agreement, r.missing) == ("korus_certification", "KORUS", [])
    assert r.value("certifier_role") == "exporter"
    assert r.value("importer_name") == "Hanbit Trading Co., Ltd."
    assert (r.value("blanket_from"), r.value("blanket_to")) == (date(2026, 1, 1), date(2026, 12, 31))
    assert r.items[0]["hs6"] == "848180" and r.items[0]["origin_criterion"] == "CTH"
    assert r.value("signatory") == "Laura Chen, Compliance Director"


def test_rcep_certificate_fields() -> None:
    r = read_pdf(RCEP_CERTIFICATE)
    assert (r.form, r.agreement, r.missing) == ("rcep_certificate", "RCEP", [])
    assert r.value("reference") == "RCEP-CN-2026-000381"
    assert r.value("issuer").startswith("China Council for the Promotion")
    assert r.value("port_of_discharge") == "Busan, Republic of Korea"
    assert r.items[0]["origin_country"] == "CN" and r.items[0]["origin_criterion"] == "PE"
    cert = r.to_certificate()
    assert cert.transport and cert.transport.vessel == "HMM OSLO V.021E"


def test_fields_not_found_are_listed() -> None:
    r = read_certificate(
        "CERTIFICATE OF ORIGIN\nKorea-China FTA\nCertificate No.: KC-1\nExporter: Acme Ltd, Shanghai, China\n"
    )
    assert r.agreement == "KR-CN"
    assert {"importer_name", "items", "issue_date", "issuer"} <= set(r.missing)


def test_pdf_without_text_is_a_clear_error() -> None:
    with pytest.raises(CertificateUnreadable, match="no text layer"):
        document_text(pdf_without_text())


def test_broken_pdf_is_a_clear_error() -> None:
    with pytest.raises(CertificateUnreadable, match="not a readable PDF"):
        document_text(b"%PDF-1.4\n this is not a pdf at all")
    with pytest.raises(CertificateUnreadable, match="empty"):
        document_text(b"")


@pytest.mark.parametrize(
    ("text", "expected", "sure"),
    [
        ("2026-10-20", date(2026, 10, 20), 1.0),
        ("20 October 2026", date(2026, 10, 20), 1.0),
        ("October 20, 2026", date(2026, 10, 20), 1.0),
        ("14.09.2026", date(2026, 9, 14), 1.0),
        ("03/04/2026", date(2026, 4, 3), 0.7),
    ],
)
def test_dates(text: str, expected: date, sure: float) -> None:
    assert parse_date(text) == (expected, sure)


def test_party_names_match_despite_company_suffixes() -> None:
    assert same_party("Hanbit Trading Co., Ltd.", "HANBIT TRADING CO LTD")[0]
    assert not same_party("Hanbit Trading Co., Ltd.", "Hanbit Logistics Co., Ltd.")[0]


# ------------------------------------------------------------------------------------------- verification

KORUS_CERT = Certificate(
    reference="CVW-KORUS-2026-017",
    agreement="KORUS",
    form="korus_certification",
    certifier_role="exporter",
    exporter_name="Cascade Valve Works Inc.",
    importer_name=HANBIT.name,
    issue_date=date(2026, 1, 5),
    blanket_from=date(2026, 1, 1),
    blanket_to=date(2026, 12, 31),
    signatory="Laura Chen",
    origin_criterion="CTH",
    items=(
        CertificateItem(
            "Ball valve, stainless steel, flanged, DN50",
            "848180",
            D("1200"),
            "PCS",
            origin_criterion="CTH",
            origin_country="US",
        ),
    ),
)


def declaration(**overrides: object) -> DeclarationContent:
    doc = import_declaration(
        **{
            "seller__name": "Cascade Valve Works Inc.",
            "seller__country": "US",
            "items__0__commodity_code": "8481809000",
            "items__0__description": "Stainless steel ball valves DN50",
            "items__0__origin_country": "US",
            "items__0__quantity": "400",
            "items__0__quantity_unit": "U",
            "items__0__preference": {"agreement": "KORUS", "certificate_reference": "CVW-KORUS-2026-017"},
            "documents": [
                {"kind": "invoice", "reference": "INV-1", "issue_date": "2026-11-05"},
                {
                    "kind": "certificate_of_origin",
                    "reference": "CVW-KORUS-2026-017",
                    "issue_date": "2026-01-05",
                },
            ],
            **overrides,
        }
    )
    return DeclarationContent.model_validate(doc)


def checks(cert: Certificate, content: DeclarationContent, on: date = date(2026, 11, 20)) -> dict[str, dict]:  # type: ignore[type-arg]
    rule = proof_rule(cert.agreement)
    result = verify_certificate(cert, content, content.items[0], on, rule, frozenset({"KR", "US"}))
    return {c["check"]: c for c in result}


def test_a_matching_korus_certification_passes_every_check() -> None:
    result = checks(KORUS_CERT, declaration())
    assert all(c["passed"] for c in result.values()), [c for c in result.values() if not c["passed"]]
    assert {
        "hs6",
        "goods_description",
        "quantity",
        "exporter",
        "importer",
        "validity",
        "blanket_period",
        "invoice_reference",
        "direct_transport",
        "origin_country",
        "form_complete",
    } <= set(result)


def test_expired_and_outside_the_blanket_period() -> None:
    old = _replace(
        KORUS_CERT, issue_date=date(2021, 6, 1), blanket_from=date(2021, 6, 1), blanket_to=date(2022, 5, 31)
    )
    result = checks(old, declaration())
    assert not result["validity"]["passed"] and "expired" in result["validity"]["reason"]
    assert "2025-06-01" in result["validity"]["reason"]  # four years
    assert not result["blanket_period"]["passed"]


def test_certificate_for_another_exporter() -> None:
    result = checks(KORUS_CERT, declaration(seller__name="Pacific Valve Trading LLC"))
    assert not result["exporter"]["passed"] and "another exporter" in result["exporter"]["reason"]


def test_goods_that_do_not_match_the_certificate() -> None:
    result = checks(KORUS_CERT, declaration(items__0__commodity_code="8481200000"))
    assert not result["hs6"]["passed"] and "8481.20" in result["hs6"]["reason"]
    result = checks(KORUS_CERT, declaration(items__0__quantity="1500"))
    assert not result["quantity"]["passed"] and "more than certified" in result["quantity"]["reason"]


def test_invoice_and_transport_checks() -> None:
    eu = Certificate(
        reference="DE-77120",
        agreement="KR-EU",
        form="eu_origin_declaration",
        exporter_name="Rheinmetall Pumpen GmbH",
        origin_country="EU",
        issue_date=date(2026, 9, 14),
        invoice_reference="DE-77120",
        declaration_text="The exporter ... declares ...",
        transport=Transport(transit=("SG",)),
    )
    content = declaration(
        **{
            "seller__name": "Rheinmetall Pumpen GmbH",
            "seller__country": "DE",
            "items__0__origin_country": "DE",
            "items__0__commodity_code": "8413709000",
            "items__0__description": "Centrifugal pumps",
            "items__0__preference": {"agreement": "KR-EU", "certificate_reference": "DE-77120"},
            "documents": [
                {"kind": "invoice", "reference": "DE-77120"},
                {"kind": "certificate_of_origin", "reference": "DE-77120"},
            ],
        }
    )
    rule = proof_rule("KR-EU")
    result = {
        c["check"]: c
        for c in verify_certificate(
            eu, content, content.items[0], date(2026, 10, 1), rule, get_agreement("KR-EU").parties
        )
    }
    assert result["importer"]["passed"] and "not a required element" in result["importer"]["reason"]
    assert result["invoice_reference"]["passed"] and result["origin_country"]["passed"]
    assert not result["direct_transport"]["passed"] and "SG" in result["direct_transport"]["reason"]
    with_evidence = _replace(eu, transport=Transport(transit=("SG",), transit_evidence=True))
    result = {
        c["check"]: c
        for c in verify_certificate(
            with_evidence, content, content.items[0], date(2026, 10, 1), rule, get_agreement("KR-EU").parties
        )
    }
    assert all(c["passed"] for c in result.values()), [c for c in result.values() if not c["passed"]]


def test_a_printed_validity_never_extends_the_agreements() -> None:
    long = _replace(KORUS_CERT, issue_date=date(2026, 1, 5), valid_until=date(2035, 1, 1))
    result = checks(long, declaration(), on=date(2030, 2, 1))
    assert not result["validity"]["passed"] and "2030-01-05" in result["validity"]["reason"]


def test_withdrawn_or_incomplete_certificates_fail() -> None:
    bare_item = CertificateItem("Ball valve, stainless steel, flanged, DN50", "848180", D("1200"), "PCS")
    result = checks(
        _replace(KORUS_CERT, status="withdrawn", origin_criterion=None, items=(bare_item,)), declaration()
    )
    assert not result["certificate_status"]["passed"]
    assert not result["form_complete"]["passed"] and "origin_criterion" in result["form_complete"]["reason"]


def test_korus_elements_that_are_only_if_known() -> None:
    """KORUS names the importer 'if known' and the exporter 'if different from the producer'."""
    result = checks(
        _replace(
            KORUS_CERT, importer_name=None, exporter_name=None, producer_name="Cascade Valve Works Inc."
        ),
        declaration(),
    )
    assert result["importer"]["passed"] and "not a required element" in result["importer"]["reason"]
    assert result["exporter"]["passed"]  # compared through the producer


def _replace(cert: Certificate, **changes: object) -> Certificate:
    values = {name: getattr(cert, name) for name in cert.__dataclass_fields__}
    values.update(changes)
    return Certificate(**values)  # type: ignore[arg-type]
