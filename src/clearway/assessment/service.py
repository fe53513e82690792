"""Assessment shell: build engine inputs from a declaration or an estimate request, read the tariff snapshot
through the session's cache, run the pure engine, and render the result.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from clearway.assessment.core import DeclarationResult, assess
from clearway.assessment.inputs import AssessmentRequest, LineInput, PreferenceInput, Regime
from clearway.assessment.preference import PreferenceVerifier, Sees
from clearway.assessment.schemas import DeclarationEstimateRequest, EstimateItem, EstimateRequest
from clearway.declaration.content import DeclarationContent
from clearway.declaration.steps import FilingContext
from clearway.declaration.validation import field_errors_from, parse_declaration
from clearway.errors import FieldError, ValidationFailed
from clearway.reference.codes import agreements
from clearway.tariff.nomenclature import Nomenclature, bundled_nomenclature
from clearway.tariff.service import snapshot_for
from clearway.tariff.snapshot import TariffSnapshot


def _rate_code(agreement: str) -> str | None:
    found = agreements().get(agreement)
    return found.rate_code if found else None


def lines_from_declaration(
    session: Session | None,
    content: DeclarationContent,
    on: date,
    verifier: PreferenceVerifier,
    sees: Sees | None = None,
    filing: FilingContext | None = None,
) -> tuple[LineInput, ...]:
    """Engine inputs for the declaration's goods items; each preference claim is verified (for a version being
    filed, ``filing``, through :meth:`PreferenceVerifier.verify_filing`, which records what the claim uses)."""
    out = []
    for item in content.items:
        preference = None
        claim = item.preference
        if claim is not None:
            verdict = (
                verifier.verify_filing(session, content, item, on, sees, filing)
                if filing is not None and session is not None
                else verifier.verify(session, content, item, on, sees)
            )
            preference = PreferenceInput(
                claim.agreement,
                _rate_code(claim.agreement),
                claim.certificate_reference,
                verdict.granted,
                tuple(verdict.reasons),
            )
        out.append(
            LineInput(
                line_number=item.line_number,
                commodity_code=item.commodity_code,
                origin=item.origin_country,
                quantity=item.quantity,
                quantity_unit=item.quantity_unit,
                net_mass_kg=item.net_mass_kg,
                invoice_amount=item.invoice_amount,
                currency=item.currency,
                incoterm=item.incoterm,
                freight=item.freight,
                insurance=item.insurance,
                valuation_method=item.valuation_method,
                preference=preference,
                use_type=item.use_type,
            )
        )
    return tuple(out)


def _line_from_item(index: int, item: EstimateItem) -> LineInput:
    preference = None
    if item.preference is not None:
        p = item.preference
        granted = p.assume_granted
        reasons = (
            ()
            if granted
            else (
                "an estimate cannot verify a certificate of origin; set assume_granted to "
                "see the preferential rate (it is verified at filing)",
            )
        )
        preference = PreferenceInput(
            p.agreement, _rate_code(p.agreement), p.certificate_reference, granted, reasons, assumed=granted
        )
    return LineInput(
        line_number=item.line_number or index + 1,
        commodity_code=item.commodity_code,
        origin=item.origin_country,
        quantity=item.quantity,
        quantity_unit=item.quantity_unit,
        net_mass_kg=item.net_mass_kg,
        invoice_amount=item.invoice_amount,
        currency=item.currency,
        incoterm=item.incoterm,
        freight=item.freight,
        insurance=item.insurance,
        valuation_method=item.valuation_method,
        preference=preference,
        use_type=item.use_type,
        recommendation=item.recommendation,
    )


def run(
    session: Session, request: AssessmentRequest, nomenclature: Nomenclature | None = None
) -> tuple[DeclarationResult, TariffSnapshot]:
    snapshot = snapshot_for(
        session, {line.commodity_code for line in request.lines}, [request.on], nomenclature
    )
    return assess(request, snapshot), snapshot


def estimate(
    session: Session,
    document: Any,
    *,
    today: date,
    verifier: PreferenceVerifier,
    nomenclature: Nomenclature | None = None,
    sees: Sees | None = None,
) -> dict[str, Any]:
    """Compute duties and taxes without filing. Raises ValidationFailed for a malformed request."""
    if not isinstance(document, dict):
        raise ValidationFailed(
            "the estimate request must be a JSON object",
            errors=[FieldError("", "not_an_object", "expected a JSON object")],
        )
    nomenclature = nomenclature or bundled_nomenclature()
    wrapper: DeclarationEstimateRequest | EstimateRequest
    try:
        if "declaration" in document:
            wrapper = DeclarationEstimateRequest.model_validate(document)
        else:
            wrapper = EstimateRequest.model_validate(document)
    except ValidationError as exc:
        errors = field_errors_from(exc)
        raise ValidationFailed(
            f"{len(errors)} invalid field(s) in the estimate request", errors=errors
        ) from None
    on = wrapper.on or today
    if isinstance(wrapper, DeclarationEstimateRequest):
        content = parse_declaration(
            wrapper.declaration, nomenclature=nomenclature, on=on, prefix=("declaration",)
        )
        lines = lines_from_declaration(session, content, on, verifier, sees)
        kind = "declaration"
    else:
        lines = tuple(_line_from_item(i, item) for i, item in enumerate(wrapper.items))
        kind = "items"
    request = AssessmentRequest(
        on,
        lines,
        Regime(wrapper.regime),
        wrapper.self_declared,
        wrapper.dispatch_country,
        dict(wrapper.exchange_rates),
    )
    result, snapshot = run(session, request, nomenclature)
    rendered = result.as_dict(snapshot)
    rendered["input"] = kind
    rendered["filed"] = False
    if wrapper.exchange_rates:
        rendered["what_if_exchange_rates"] = {k: str(v) for k, v in wrapper.exchange_rates.items()}
    return rendered
