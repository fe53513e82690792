"""Who may file for whom. Pure: plain values, dates passed in.

A trader files for its own company; a customs broker (관세사) files for a client company under a mandate
(위임) valid on the filing date and covering the declaration's kind. The party is bound by its business
registration number (사업자등록번호); its name is filled from the registered company, and the declarant is
always the signed-in company.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from clearway.errors import FieldError
from clearway.reference.codes import korean_brn_is_valid

# 통관고유부호 as this project checks it: a corporation's code is 15 characters, five capital letters (the
# abbreviated trade name) followed by ten digits; an individual's 개인통관고유부호 is P followed by 12 digits.
CUSTOMS_CODE = re.compile(r"[A-Z]{5}[0-9]{10}|P[0-9]{12}")


class MandateScope(StrEnum):
    IMPORT = "import"
    EXPORT = "export"
    BOTH = "both"

    def covers(self, kind: str) -> bool:
        return self is MandateScope.BOTH or self.value == kind


@dataclass(frozen=True, slots=True)
class Account:
    """A registered company as the binding needs it."""

    id: int
    name: str
    brn: str | None
    kind: str  # trader | broker | customs


@dataclass(frozen=True, slots=True)
class MandateTerms:
    client: Account
    valid_from: date
    valid_to: date | None
    scope: MandateScope
    revoked_on: date | None = None

    def valid_on(self, day: date, kind: str) -> bool:
        return (
            self.valid_from <= day
            and (self.valid_to is None or day <= self.valid_to)
            and (self.revoked_on is None or day < self.revoked_on)
            and self.scope.covers(kind)
        )


@dataclass(frozen=True, slots=True)
class Binding:
    """The outcome of binding a filing: the declarant and the importer/exporter as registered companies."""

    declarant: Account
    party: Account


def normalise_brn(value: str | None) -> str | None:
    return value.replace("-", "").replace(" ", "") if value else None


def brn_errors(value: str | None, pointer: str = "/brn", *, required: bool = False) -> list[FieldError]:
    brn = normalise_brn(value)
    if not brn:
        return (
            [FieldError(pointer, "required", "the business registration number is required")]
            if required
            else []
        )
    if not brn.isdigit() or len(brn) != 10:
        return [FieldError(pointer, "bad_format", "a business registration number has 10 digits")]
    if not korean_brn_is_valid(brn):
        return [
            FieldError(
                pointer, "invalid_business_registration_number", f"{brn} fails the 사업자등록번호 check digit"
            )
        ]
    return []


def customs_code_errors(value: str | None, pointer: str = "/customs_code") -> list[FieldError]:
    if not value:
        return []
    if not CUSTOMS_CODE.fullmatch(value):
        return [
            FieldError(
                pointer,
                "bad_customs_code",
                "a 통관고유부호 is 5 capital letters and 10 digits (or P and 12 digits)",
            )
        ]
    return []


def mandate_errors(
    broker: Account, client: Account, valid_from: date, valid_to: date | None
) -> list[FieldError]:
    errors = []
    if broker.kind != "broker":
        errors.append(
            FieldError("/broker_company_id", "not_a_broker", f"{broker.name} is not a customs broker")
        )
    if client.kind != "trader":
        errors.append(
            FieldError("/client_company_id", "not_a_trader", f"{client.name} is not a trading company")
        )
    if valid_to is not None and valid_to < valid_from:
        errors.append(FieldError("/valid_to", "before_start", "the mandate ends before it starts"))
    return errors


def bind(
    *,
    kind: str,
    role: str,
    signed_in: Account,
    named_declarant_brn: str | None,
    named_party_brn: str | None,
    day: date,
    mandates: list[MandateTerms],
) -> tuple[Binding | None, list[FieldError]]:
    """Bind the declarant and the importer (``role`` "importer") or exporter of a declaration of ``kind``
    filed on ``day`` by ``signed_in``, given the mandates ``signed_in`` holds as a broker."""
    errors: list[FieldError] = []
    declarant_brn = normalise_brn(named_declarant_brn)
    if declarant_brn and declarant_brn != signed_in.brn:
        errors.append(
            FieldError(
                "/declarant/brn",
                "not_your_company",
                f"the declarant is the signed-in company ({signed_in.brn})",
            )
        )
    party_brn = normalise_brn(named_party_brn)
    pointer = f"/{role}/brn"
    if not party_brn:
        errors.append(
            FieldError(pointer, "required", f"the {role} is named by its business registration number")
        )
        return None, errors
    if party_brn == signed_in.brn and signed_in.kind == "trader":
        party: Account | None = signed_in
    elif signed_in.kind == "trader":
        errors.append(
            FieldError(
                pointer,
                "not_your_company",
                f"a trader files only for itself; the {role} must be {signed_in.brn}",
            )
        )
        party = None
    else:
        held = [m for m in mandates if m.client.brn == party_brn]
        valid = [m for m in held if m.valid_on(day, kind)]
        party = valid[0].client if valid else None
        if party is None:
            errors.append(
                FieldError(
                    pointer,
                    "no_mandate",
                    f"no mandate from {party_brn} valid on {day.isoformat()} for {kind} declarations",
                )
            )
    if errors or party is None:
        return None, errors
    return Binding(declarant=signed_in, party=party), []
