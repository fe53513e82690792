"""Finding 1: a certificate of origin belongs to the company that registered it and to customs; for anyone
else it is "not found" and no check reason quotes it."""

from __future__ import annotations

import json

import pytest

from clearway.assessment.step import TariffAssessment
from clearway.declaration.steps import FilingSteps
from clearway.origin import service as origin
from clearway.origin.schemas import CertificateIn
from clearway.origin.verification import CertificateVerifier
from clearway.uow import unit_of_work
from tests.documents import DAEHAN, party
from tests.integration.origin.test_origin_in_assessment import BEEF_CERT, NOW, beef

CERT = "/api/v1/origin/certificates"
SECRET_BITS = ("Prairie", "Dana Ruiz", "20000", "Boneless")


@pytest.fixture
def steps() -> FilingSteps:
    return FilingSteps(assessment=TariffAssessment(CertificateVerifier()))


def _quotes_the_certificate(answer: dict) -> bool:  # type: ignore[type-arg]
    text = json.dumps(answer)
    return any(bit in text for bit in SECRET_BITS)


def test_another_companys_certificate_is_not_found_and_never_quoted(client, auth, demo_tariff):  # type: ignore[no-untyped-def]
    registered = client.post(CERT, json=BEEF_CERT, headers=auth("trader"))
    assert registered.status_code == 201, registered.text
    cert_id = registered.json()["id"]
    document = beef("LEAK-1", seller="Lone Star Meat Traders Inc.")  # a mismatch makes the checks talk

    # the owner and customs see it; the other company does not, whichever way it asks
    assert client.get(f"{CERT}/{cert_id}", headers=auth("trader")).status_code == 200
    assert client.get(f"{CERT}/{cert_id}", headers=auth("officer")).status_code == 200
    assert client.get(f"{CERT}/{cert_id}", headers=auth("trader2")).status_code == 404
    search = client.get(CERT, params={"reference": BEEF_CERT["reference"]}, headers=auth("trader2"))
    assert search.json() == []

    theirs = client.post(
        "/api/v1/origin/verifications", json={"declaration": document}, headers=auth("trader2")
    )
    assert theirs.status_code == 200
    assert theirs.json()["granted"] is False and "not registered" in theirs.json()["reasons"][0]
    assert not _quotes_the_certificate(theirs.json()["checks"]) and len(theirs.json()["checks"]) == 1

    estimate = client.post("/api/v1/estimates", json={"declaration": document}, headers=auth("trader2"))
    assert estimate.status_code == 200, estimate.text
    assert not _quotes_the_certificate(estimate.json())

    own_beef = {
        **beef("LEAK-2"),
        "declarant": party(DAEHAN),
        "importer": party(DAEHAN),
        "buyer": party(DAEHAN),
    }
    response = client.post("/api/v1/declarations", json=own_beef, headers=auth("trader2"))
    assert response.status_code == 201, response.text
    filed = response.json()
    assert filed["assessment"]["lines"][0]["preference"]["granted"] is False
    assert not _quotes_the_certificate(filed["assessment"])

    # the owner's own verification does read it (and says what does not match)
    own = client.post("/api/v1/origin/verifications", json={"declaration": document}, headers=auth("trader"))
    assert len(own.json()["checks"]) > 1 and any("exporter" in r for r in own.json()["reasons"])
    own_filing = client.post("/api/v1/declarations", json=beef("LEAK-3"), headers=auth("trader")).json()
    assert own_filing["assessment"]["lines"][0]["preference"]["granted"] is True


def test_a_certificate_registered_by_the_operator_is_customs_record(client, auth, runtime):
    with unit_of_work(runtime.sessions) as session:
        certificate = CertificateIn.model_validate(BEEF_CERT).to_core()
        row = origin.register(session, certificate, principal=None, now=NOW)
    assert client.get(f"{CERT}/{row.id}", headers=auth("trader")).status_code == 404
    assert client.get(f"{CERT}/{row.id}", headers=auth("officer")).status_code == 200
