"""Certificates of origin (원산지증명서) as plain values, and each agreement's proof as data (pure).

A :class:`Certificate` holds the data elements every supported form has in common (number, issuer, dates,
parties, invoice, transport) plus its goods :class:`CertificateItem` s; ``elements`` keeps any further
form-specific element by name. :class:`ProofForm` says which elements a form requires — the KORUS minimum
data elements, the RCEP certificate's fields, the Korea–EU invoice origin declaration — and
:func:`proof_rule` gives an agreement's form and validity (``data/origin/certificate_forms.json``, or the
agreement's own rules-of-origin file when it has one).
"""

from __future__ import annotations

import calendar
import json
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

CERTIFICATE_FIELDS = (
    "reference",
    "agreement",
    "form",
    "issuer",
    "issuing_country",
    "issue_date",
    "valid_until",
    "exporter_name",
    "exporter_address",
    "exporter_country",
    "exporter_authorisation",
    "producer_name",
    "importer_name",
    "importer_address",
    "importer_country",
    "certifier_role",
    "certifier_name",
    "origin_country",
    "origin_criterion",
    "invoice_reference",
    "invoice_date",
    "blanket_from",
    "blanket_to",
    "place",
    "signatory",
    "remarks",
    "declaration_text",
)


@dataclass(frozen=True, slots=True)
class CertificateItem:
    description: str = ""
    hs6: str | None = None
    quantity: Decimal | None = None
    unit: str | None = None
    gross_weight_kg: Decimal | None = None
    origin_criterion: str | None = None
    origin_country: str | None = None
    value: Decimal | None = None
    marks: str | None = None
    item_number: int | None = None
    hs_version: str | None = None  # the HS edition hs6 is written in (None: the current one)

    def as_dict(self) -> dict[str, Any]:
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}


@dataclass(frozen=True, slots=True)
class Transport:
    means: str | None = None
    departure_date: date | None = None
    vessel: str | None = None
    port_of_loading: str | None = None
    port_of_discharge: str | None = None
    transit: tuple[str, ...] = ()  # countries passed through
    transit_evidence: bool = False  # a through bill or the transit customs' certificate was produced

    def as_dict(self) -> dict[str, Any]:
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}


@dataclass(frozen=True, slots=True)
class Certificate:
    reference: str
    agreement: str
    form: str = ""
    issuer: str | None = None
    issuing_country: str | None = None
    issue_date: date | None = None
    valid_until: date | None = None
    exporter_name: str | None = None
    exporter_address: str | None = None
    exporter_country: str | None = None
    exporter_authorisation: str | None = None
    producer_name: str | None = None
    importer_name: str | None = None
    importer_address: str | None = None
    importer_country: str | None = None
    certifier_role: str | None = None
    certifier_name: str | None = None
    origin_country: str | None = None
    origin_criterion: str | None = None
    invoice_reference: str | None = None
    invoice_date: date | None = None
    blanket_from: date | None = None
    blanket_to: date | None = None
    place: str | None = None
    signatory: str | None = None
    remarks: str | None = None
    declaration_text: str | None = None
    items: tuple[CertificateItem, ...] = ()
    transport: Transport | None = None
    elements: dict[str, Any] = field(default_factory=dict)
    status: str = "registered"

    def value_of(self, name: str) -> Any:
        if name == "items":
            return self.items or None
        if name == "transport":
            return self.transport
        if name == "origin_criterion":
            return self.origin_criterion or next(
                (i.origin_criterion for i in self.items if i.origin_criterion), None
            )
        if name == "origin_country":
            return self.origin_country or next(
                (i.origin_country for i in self.items if i.origin_country), None
            )
        return getattr(self, name, None) if name in CERTIFICATE_FIELDS else self.elements.get(name)

    def as_dict(self) -> dict[str, Any]:
        out = {name: _plain(getattr(self, name)) for name in CERTIFICATE_FIELDS}
        out["items"] = [i.as_dict() for i in self.items]
        out["transport"] = self.transport.as_dict() if self.transport else None
        out["elements"] = self.elements
        out["status"] = self.status
        return out


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple):
        return list(value)
    return value


@dataclass(frozen=True, slots=True)
class ProofForm:
    code: str
    name: str
    kind: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    notes: str = ""


@dataclass(frozen=True, slots=True)
class ProofRule:
    agreement: str
    form: ProofForm
    validity_months: int | None
    basis: str = ""


@cache
def _forms_document() -> dict[str, Any]:
    text = resources.files("clearway.data").joinpath("origin", "certificate_forms.json").read_text("utf-8")
    return json.loads(text)


@cache
def forms() -> dict[str, ProofForm]:
    return {
        code: ProofForm(
            code, f["name"], f["kind"], tuple(f["required"]), tuple(f.get("optional", ())), f.get("notes", "")
        )
        for code, f in _forms_document()["forms"].items()
    }


def proof_rule(agreement: str) -> ProofRule | None:
    """The form and validity of the proof of origin an agreement accepts (None when not encoded)."""
    entry = _forms_document()["agreements"].get(agreement.upper())
    if entry is None:
        return None
    return ProofRule(
        agreement.upper(), forms()[entry["form"]], entry.get("validity_months"), entry.get("basis", "")
    )


def with_validity(rule: ProofRule, months: int | None, basis: str) -> ProofRule:
    """The rule with the validity the agreement's own rules-of-origin file gives (it prevails over the default
    table of ``certificate_forms.json``)."""
    if months is None:
        return rule
    return ProofRule(rule.agreement, rule.form, months, basis)


def origin_criteria(agreement: str) -> dict[str, str]:
    """The origin criteria a certificate under ``agreement`` may state: code → what it asserts
    (wholly_obtained, materials_originating, product_specific, tariff_shift, value_content, specific_process).
    Empty when the agreement's forms state no coded criterion (KORUS certifications)."""
    table: dict[str, str] = _forms_document().get("origin_criteria", {}).get(agreement.upper(), {})
    return dict(table)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def expiry(certificate: Certificate, rule: ProofRule | None) -> date | None:
    """The last day a claim may rely on the certificate: its own 'valid until' when it states one, else the
    issue date plus the agreement's validity. "12 months from the date of issue" is counted without the day
    of issue (민법 제157조) and ends on the same calendar date that many months later (제160조): a proof
    issued on 2026-01-15 is valid up to and including 2027-01-15. A date printed on the certificate never
    extends the agreement's validity: the earlier of the two applies."""
    by_rule = None
    if certificate.issue_date and rule and rule.validity_months:
        by_rule = add_months(certificate.issue_date, rule.validity_months)
    dates = [d for d in (certificate.valid_until, by_rule) if d is not None]
    return min(dates) if dates else None


def missing_elements(certificate: Certificate, form: ProofForm) -> list[str]:
    return [name for name in form.required if certificate.value_of(name) in (None, "", ())]
