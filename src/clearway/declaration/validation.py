"""Turn a submitted JSON document into a :class:`DeclarationContent`, or name every invalid field.

Two passes, both pure: the field pass (types, ranges, code lists, the nomenclature on the declaration date)
and, once the fields are sound, the cross-field pass (parties required by the kind, unique line numbers,
certificates cited by preference claims, the agreement's partner countries). Each problem is a
:class:`FieldError` with a JSON pointer into the submitted document and a stable reason code.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from clearway.declaration.content import MAX_AMOUNT, DeclarationContent, DeclarationKind, DocumentKind, Party
from clearway.errors import FieldError, ValidationFailed
from clearway.reference import codes
from clearway.tariff.nomenclature import Nomenclature

# Pydantic's error types mapped to the reason codes clients see; custom codes pass through unchanged.
_REASONS = {
    "missing": "required",
    "extra_forbidden": "unknown_field",
    "string_too_short": "too_short",
    "string_too_long": "too_long",
    "too_short": "too_few",
    "too_long": "too_many",
    "greater_than": "must_be_positive",
    "greater_than_equal": "must_not_be_negative",
    "less_than_equal": "too_large",
    "decimal_max_digits": "too_many_digits",
    "decimal_max_places": "too_many_decimal_places",
    "decimal_whole_digits": "too_many_digits",
    "string_pattern_mismatch": "bad_format",
    "enum": "not_allowed",
    "literal_error": "not_allowed",
    "date_from_datetime_parsing": "bad_date",
    "date_parsing": "bad_date",
    "date_type": "bad_date",
    "decimal_parsing": "not_a_number",
    "decimal_type": "not_a_number",
    "int_parsing": "not_an_integer",
    "int_type": "not_an_integer",
    "int_from_float": "not_an_integer",
    "string_type": "not_a_string",
    "model_type": "not_an_object",
    "dict_type": "not_an_object",
    "list_type": "not_a_list",
    "finite_number": "not_a_number",
}


def pointer(loc: tuple[int | str, ...]) -> str:
    """JSON pointer (RFC 6901) for a Pydantic error location."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in loc)


def field_errors_from(error: ValidationError, prefix: tuple[int | str, ...] = ()) -> list[FieldError]:
    result = []
    for e in error.errors(include_url=False):
        loc = tuple(part for part in e["loc"] if not (isinstance(part, str) and part.startswith("function-")))
        result.append(FieldError(pointer(prefix + loc), _REASONS.get(e["type"], e["type"]), e["msg"]))
    return result


def parse_declaration(
    document: Any, *, nomenclature: Nomenclature, on: date, prefix: tuple[int | str, ...] = ()
) -> DeclarationContent:
    """Parse and validate; raise :class:`ValidationFailed` listing every problem found."""
    if not isinstance(document, dict):
        raise ValidationFailed(
            "the declaration must be a JSON object",
            errors=[FieldError(pointer(prefix), "not_an_object", "expected a JSON object")],
        )
    try:
        content = DeclarationContent.model_validate(
            document, context={"nomenclature": nomenclature, "on": on}
        )
    except ValidationError as exc:
        errors = field_errors_from(exc, prefix)
        raise ValidationFailed(f"{len(errors)} invalid field(s) in the declaration", errors=errors) from None
    errors = [FieldError(pointer(prefix) + e.pointer, e.code, e.message) for e in cross_field_errors(content)]
    if errors:
        raise ValidationFailed(f"{len(errors)} inconsistent field(s) in the declaration", errors=errors)
    return content


def cross_field_errors(content: DeclarationContent) -> list[FieldError]:
    errors: list[FieldError] = []
    if content.kind is DeclarationKind.IMPORT and content.importer is None:
        errors.append(FieldError("/importer", "required", "an import declaration names the importer"))
    if content.kind is DeclarationKind.EXPORT and content.exporter is None:
        errors.append(FieldError("/exporter", "required", "an export declaration names the exporter"))

    for role in ("declarant", "importer", "exporter", "seller", "buyer"):
        party: Party | None = getattr(content, role)
        if party and party.country == "KR" and party.brn and not codes.korean_brn_is_valid(party.brn):
            errors.append(
                FieldError(
                    f"/{role}/brn",
                    "invalid_business_registration_number",
                    f"{party.brn} fails the 사업자등록번호 check digit",
                )
            )

    totals: dict[str, Decimal] = {}
    for item in content.items:
        totals[item.currency] = (
            totals.get(item.currency, Decimal(0))
            + item.invoice_amount
            + (item.freight or 0)
            + (item.insurance or 0)
        )
    for currency, total in sorted(totals.items()):
        if total > MAX_AMOUNT:
            errors.append(
                FieldError(
                    "/items",
                    "total_too_large",
                    f"the items in {currency} total {total}; at most {MAX_AMOUNT:f} per declaration",
                )
            )

    seen: set[int] = set()
    certificates = {d.reference for d in content.documents if d.kind is DocumentKind.CERTIFICATE_OF_ORIGIN}
    for index, item in enumerate(content.items):
        if item.line_number in seen:
            errors.append(
                FieldError(
                    f"/items/{index}/line_number", "duplicate_line_number", "line numbers must be unique"
                )
            )
        seen.add(item.line_number)
        claim = item.preference
        if claim is None:
            continue
        if claim.certificate_reference not in certificates:
            errors.append(
                FieldError(
                    f"/items/{index}/preference/certificate_reference",
                    "certificate_not_attached",
                    f"certificate {claim.certificate_reference} is not among the documents "
                    "(attach it as a certificate_of_origin document)",
                )
            )
        agreement = codes.agreements()[claim.agreement]
        if item.origin_country not in agreement.partners:
            errors.append(
                FieldError(
                    f"/items/{index}/preference/agreement",
                    "origin_not_a_partner",
                    f"{item.origin_country} is not a partner of {agreement.name}",
                )
            )
        if content.kind is DeclarationKind.EXPORT:
            errors.append(
                FieldError(
                    f"/items/{index}/preference",
                    "not_allowed",
                    "preference claims are made on import declarations",
                )
            )
    return errors
