"""The assessment step of filing: the Korean tariff engine in place of the "no duty assessed" placeholder.

``TariffAssessment(verifier).assess(session, content, context)`` assesses every goods item on the filing
date (관세법 제16조·제17조: the law and rates of the declaration date apply) and returns one JSON explanation
per line. Tariff look-ups go through the session's cache (:func:`clearway.tariff.service.snapshot_for`), so a
batch of declarations in one transaction reads each code, exchange-rate week and parameter set once.
Expected problems (no rate loaded, no exchange rate, a unit a specific duty cannot use ...) never raise: they
make ``can_assess`` False with the reasons per line.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from clearway.assessment.core import METHOD
from clearway.assessment.explain import TAXES
from clearway.assessment.inputs import AssessmentRequest, Regime
from clearway.assessment.preference import DocumentaryOnlyVerifier, PreferenceVerifier
from clearway.assessment.service import lines_from_declaration, run
from clearway.declaration.assessed import AssessedLine
from clearway.declaration.content import DeclarationContent, DeclarationKind
from clearway.declaration.steps import AssessmentOutcome, AssessmentStep, FilingContext, FilingSteps
from clearway.receipts import core as receipts
from clearway.tariff.measures import format_number
from clearway.tariff.nomenclature import Nomenclature


class TariffAssessment(AssessmentStep):
    """Duties and taxes by the tariff loaded in the database (see ``clearway tariff status``)."""

    def __init__(
        self, verifier: PreferenceVerifier | None = None, nomenclature: Nomenclature | None = None
    ) -> None:
        self.verifier = verifier if verifier is not None else DocumentaryOnlyVerifier()
        self.nomenclature = nomenclature

    def prepare(self, session: Session, contents: list[DeclarationContent]) -> None:
        self.verifier.prepare(session, contents)

    def assess(
        self, session: Session, content: DeclarationContent, context: FilingContext
    ) -> AssessmentOutcome:
        if content.kind is DeclarationKind.EXPORT:
            return AssessmentOutcome(
                method=METHOD,
                placeholder=False,
                total_due_krw=Decimal(0),
                lines=[
                    {
                        "line_number": i.line_number,
                        "commodity_code": i.commodity_code,
                        "can_assess": True,
                        "duty_krw": "0",
                        "taxes_krw": "0",
                        "due_krw": "0",
                        "notes": ["no duty or tax on exports"],
                    }
                    for i in content.items
                ],
                notes=["export declaration: Korea levies no export duty"],
                results=tuple(
                    AssessedLine(
                        i.line_number,
                        can_assess=True,
                        duty_krw=Decimal(0),
                        taxes_krw=Decimal(0),
                        due_krw=Decimal(0),
                    )
                    for i in content.items
                ),
            )
        on = context.filed_on
        filer = context.filer_company_id
        # the filer's own certificates only (Principal.sees_company for a company caller)
        lines = lines_from_declaration(
            session,
            content,
            on,
            self.verifier,
            lambda company: filer is not None and company == filer,
            filing=context if context.declaration_id else None,  # 0: a preview, nothing is filed
        )
        request = AssessmentRequest(on, lines, Regime.GENERAL)
        result, snapshot = run(session, request, self.nomenclature)
        notes = list(result.notes)
        notes += [f"{r.code}: {r.message}" for r in result.reasons]
        for a in result.adjustments:
            notes.append(
                f"{a.key}: {format_number(-a.amount)} won of {TAXES[a.tax][0]} not collected — "
                f"{a.explanation} ({a.legal_basis})"
            )
        unassessed = [line for line in result.lines if not line.can_assess]
        if unassessed:
            notes.append(
                "cannot assess line(s) "
                + ", ".join(str(ln.line.line_number) for ln in unassessed)
                + ": "
                + "; ".join(r.message for ln in unassessed for r in ln.reasons)
            )
        if result.demo:
            notes.append("DEMO DATA used: demo rates or exchange rates are not official figures")
        assessed = tuple(line.assessed() for line in result.lines)  # typed once: the outcome and the receipt
        return AssessmentOutcome(
            method=METHOD,
            placeholder=False,
            total_due_krw=result.total_due,
            lines=[line.as_dict(snapshot) for line in result.lines],
            notes=notes,
            can_assess=result.can_assess,
            results=assessed,
            inputs=receipts.tariff_inputs(request, snapshot, result, assessed),
        )


def preference_verifier(steps: FilingSteps) -> PreferenceVerifier:
    """The certificate verifier the filing steps use, for estimates and simulations that must judge a preference
    claim exactly as filing would (documentary only when the steps assess no tariff)."""
    step = steps.assessment
    return step.verifier if isinstance(step, TariffAssessment) else DocumentaryOnlyVerifier()
