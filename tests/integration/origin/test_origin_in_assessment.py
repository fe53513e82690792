"""In the flow: the FTA rate in the tariff assessment depends on the certificate verification.

The filing steps use ``TariffAssessment(CertificateVerifier())`` — the wiring requested from the core — on the
demo tariff: boneless beef 0201.30 from the US, basic rate A 40 %, KORUS FUS1 0 %.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from clearway.assessment.step import TariffAssessment
from clearway.declaration.steps import FilingSteps
from clearway.identity.models import User
from clearway.origin import service as origin
from clearway.origin.models import OriginCertificate
from clearway.origin.schemas import CertificateIn
from clearway.origin.verification import CertificateVerifier
from clearway.uow import unit_of_work
from tests.documents import HANBIT, import_declaration

NOW = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)

BEEF_CERT = {
    "reference": "PRAIRIE-KORUS-2026-88",
    "agreement": "KORUS",
    "certifier_role": "producer",
    "exporter_name": "Prairie Beef Exports LLC",
    "producer_name": "Prairie Beef Exports LLC",
    "importer_name": HANBIT.name,
    "issue_date": "2026-10-01",
    "signatory": "Dana Ruiz, Export Manager",
    "origin_criterion": "WO",
    "items": [
        {
            "description": "Boneless beef, chilled",
            "hs6": "0201.30",
            "quantity": "20000",
            "unit": "KGM",
            "origin_criterion": "WO",
            "origin_country": "US",
        }
    ],
}


@pytest.fixture
def steps() -> FilingSteps:
    return FilingSteps(assessment=TariffAssessment(CertificateVerifier()))


def beef(reference: str, seller: str = "Prairie Beef Exports LLC") -> dict:  # type: ignore[type-arg]
    return import_declaration(
        reference,
        **{
            "seller__name": seller,
            "seller__country": "US",
            "items__0__commodity_code": "0201300000",
            "items__0__description": "Chilled boneless beef",
            "items__0__origin_country": "US",
            "items__0__quantity": "8000",
            "items__0__quantity_unit": "KGM",
            "items__0__net_mass_kg": "8000",
            "items__0__invoice_amount": "96000.00",
            "items__0__preference": {"agreement": "KORUS", "certificate_reference": "PRAIRIE-KORUS-2026-88"},
            "documents": [
                {"kind": "invoice", "reference": "INV-1"},
                {"kind": "certificate_of_origin", "reference": "PRAIRIE-KORUS-2026-88"},
            ],
        },
    )


def test_the_preferential_rate_is_applied_only_when_the_certificate_checks_out(
    client, auth, runtime, demo_tariff
):  # type: ignore[no-untyped-def]
    # no certificate on record: the claim is refused, the basic rate applies, the reason is shown
    body = client.post("/api/v1/declarations", json=beef("BEEF-1"), headers=auth("trader")).json()
    line = body["assessment"]["lines"][0]
    assert line["preference"]["granted"] is False and line["rates"]["applied"] == "A"
    assert "not registered" in " ".join(line["preference"]["reasons"])

    # registered by the operator (no company): customs' record, not the trader's — still not usable
    with unit_of_work(runtime.sessions) as session:
        certificate = CertificateIn.model_validate(BEEF_CERT).to_core()
        row = origin.register(session, certificate, principal=None, now=NOW)
    body = client.post("/api/v1/declarations", json=beef("BEEF-1b"), headers=auth("trader")).json()
    assert body["assessment"]["lines"][0]["preference"]["granted"] is False
    with unit_of_work(runtime.sessions) as session:  # the trader's own certificate
        session.get(OriginCertificate, row.id).company_id = session.scalar(
            select(User.company_id).where(User.username == "trader")
        )
    body = client.post("/api/v1/declarations", json=beef("BEEF-2"), headers=auth("trader")).json()
    line = body["assessment"]["lines"][0]
    assert line["preference"]["granted"] is True and line["rates"]["applied"] == "FUS1"

    # the same certificate cited by another exporter's shipment: refused, back to the basic rate
    body = client.post(
        "/api/v1/declarations",
        json=beef("BEEF-3", seller="Lone Star Meat Traders Inc."),
        headers=auth("trader"),
    ).json()
    line = body["assessment"]["lines"][0]
    assert line["preference"]["granted"] is False and line["rates"]["applied"] == "A"
    assert any("exporter" in r for r in line["preference"]["reasons"])
