"""Electronic certificates of origin (e-CO): the boxes of the Korea–China / Korea–ASEAN exchange (EODES) as
JSON, checked field by field (:func:`electronic_errors`) and registered as a certificate record through
:func:`clearway.origin.service.register`. The drawdown of their quantities is recorded when a filing's claim is
granted (:func:`clearway.origin.service.verify_item`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from clearway.errors import FieldError, ValidationFailed
from clearway.identity.core import Principal
from clearway.origin.certificates import Certificate, CertificateItem, Transport, origin_criteria, proof_rule
from clearway.origin.hs_editions import edition
from clearway.origin.models import OriginCertificate
from clearway.origin.schemas import ElectronicCertificateIn, parse
from clearway.origin.service import agreement_parties, register
from clearway.reference import codes

# the forms an authority issues and exchanges electronically (EODES: Korea–China, Korea–ASEAN; the same data
# structure serves the other authority-issued forms)
ELECTRONIC_FORMS = ("authority_certificate", "rcep_certificate")


def register_electronic(
    session: Session, document: Any, *, principal: Principal | None, now: datetime
) -> OriginCertificate:
    """Register an electronic certificate of origin received through the origin data exchange: its boxes are
    checked field by field (every problem named by its JSON pointer) before anything is stored."""
    eco: ElectronicCertificateIn = parse(ElectronicCertificateIn, document, "electronic certificate")
    errors = electronic_errors(eco)
    if errors:
        raise ValidationFailed(f"{len(errors)} invalid field(s) in the electronic certificate", errors=errors)
    return register(session, electronic_to_core(eco), principal=principal, now=now, channel="electronic")


def electronic_errors(eco: ElectronicCertificateIn) -> list[FieldError]:
    """What the schema cannot see: the agreement takes electronic certificates, the issuing authority is an
    exporting Party's, the criteria are the agreement's, the item numbers are distinct, the HS edition known."""
    errors: list[FieldError] = []
    rule = proof_rule(eco.agreement)
    if rule is None or rule.form.code not in ELECTRONIC_FORMS:
        known = sorted(
            code
            for code in codes.agreements()
            if (r := proof_rule(code)) is not None and r.form.code in ELECTRONIC_FORMS
        )
        errors.append(
            FieldError(
                "/agreement",
                "not_electronic",
                f"{eco.agreement} has no authority-issued certificate exchanged electronically; "
                f"one of {', '.join(known)}",
            )
        )
        return errors
    parties = agreement_parties(eco.agreement)
    exporting = sorted(parties - {"KR"})
    if eco.issuing_authority.country not in parties - {"KR"}:
        errors.append(
            FieldError(
                "/issuing_authority/country",
                "not_a_party",
                f"{eco.issuing_authority.country} is not an exporting Party of {eco.agreement} "
                f"({', '.join(exporting)})",
            )
        )
    if eco.exporter.country not in parties:
        errors.append(
            FieldError(
                "/exporter/country",
                "not_a_party",
                f"{eco.exporter.country} is not a Party of {eco.agreement}",
            )
        )
    if eco.importer.country != "KR":
        errors.append(
            FieldError(
                "/importer/country",
                "not_korea",
                "a certificate for import into Korea names a Korean importer",
            )
        )
    criteria = origin_criteria(eco.agreement)
    seen: set[int] = set()
    for n, item in enumerate(eco.items):
        if item.item_number in seen:
            errors.append(
                FieldError(f"/items/{n}/item_number", "duplicate", f"item {item.item_number} appears twice")
            )
        seen.add(item.item_number)
        if edition(item.hs_version) is None:
            errors.append(
                FieldError(
                    f"/items/{n}/hs_version", "unknown_edition", "an HS edition: HS2012, HS2017 or HS2022"
                )
            )
        code = "".join(ch for ch in item.origin_criterion.upper() if ch.isalpha())
        if criteria and not any(code == k or code.startswith(k) for k in criteria):
            errors.append(
                FieldError(
                    f"/items/{n}/origin_criterion",
                    "unknown_criterion",
                    f"'{item.origin_criterion}' is not an origin criterion of {eco.agreement}: "
                    f"{', '.join(criteria)}",
                )
            )
        if item.gross_weight_kg is None and item.fob_value is None:
            errors.append(
                FieldError(
                    f"/items/{n}",
                    "required",
                    "give the gross weight (gross_weight_kg) or the value (fob_value)",
                )
            )
        if item.fob_value is not None and item.currency is None:
            errors.append(FieldError(f"/items/{n}/currency", "required", "the currency of fob_value"))
    for n, invoice in enumerate(eco.invoices):
        if invoice.date > eco.issue_date and not eco.issued_retroactively:
            errors.append(
                FieldError(
                    f"/invoices/{n}/date",
                    "after_issue",
                    f"invoice dated {invoice.date}, after the certificate's issue on {eco.issue_date} "
                    "(only a certificate issued retroactively may be)",
                )
            )
    return errors


def electronic_to_core(eco: ElectronicCertificateIn) -> Certificate:
    c = eco.consignment
    origin = eco.exporter.country if eco.exporter.country != "KR" else eco.issuing_authority.country
    return Certificate(
        reference=eco.certificate_number,
        agreement=eco.agreement,
        form=rule.form.code if (rule := proof_rule(eco.agreement)) else "authority_certificate",
        issuer=eco.issuing_authority.name,
        issuing_country=eco.issuing_authority.country,
        issue_date=eco.issue_date,
        exporter_name=eco.exporter.name,
        exporter_address=eco.exporter.address,
        exporter_country=eco.exporter.country,
        producer_name=eco.producer.name if eco.producer else None,
        importer_name=eco.importer.name,
        importer_address=eco.importer.address,
        importer_country=eco.importer.country,
        origin_country=origin,
        origin_criterion=eco.items[0].origin_criterion,
        invoice_reference=eco.invoices[0].number,
        invoice_date=eco.invoices[0].date,
        remarks=eco.remarks,
        items=tuple(
            CertificateItem(
                description=i.description,
                hs6=i.hs_code.replace(".", ""),
                hs_version=edition(i.hs_version),
                quantity=i.quantity,
                unit=i.unit,
                gross_weight_kg=i.gross_weight_kg,
                origin_criterion=i.origin_criterion,
                origin_country=origin,
                value=i.fob_value,
                marks=i.marks,
                item_number=i.item_number,
            )
            for i in eco.items
        ),
        transport=Transport(
            means=c.means_of_transport,
            departure_date=c.departure_date,
            vessel=c.vessel_or_flight,
            port_of_loading=c.port_of_loading,
            port_of_discharge=c.port_of_discharge,
            transit=tuple(c.transit_countries),
            transit_evidence=c.transit_evidence,
        ),
        elements={
            "electronic": True,
            "exchange": "EODES",
            "invoices": [{"number": i.number, "date": i.date.isoformat()} for i in eco.invoices],
            "issued_retroactively": eco.issued_retroactively,
            "item_currencies": {str(i.item_number): i.currency for i in eco.items if i.currency},
            "producer": eco.producer.model_dump() if eco.producer else None,
        },
    )
