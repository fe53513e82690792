"""``IprAdvisor``: screening of every goods item at filing against the approved recorded rights.

Wired in :func:`clearway.wiring.filing_steps`. A suspected counterfeit becomes an :class:`Advice` whose
``risk_signal`` is the screening score (so risk selection sees it) and whose ``details.officer_only`` keeps it
from the filer (:func:`clearway.declaration.disclosure.advice`): telling a counterfeiter which
signal fired would teach them to avoid it. The advisor never blocks a filing; the hold is an officer's act.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from clearway.declaration.content import DeclarationContent
from clearway.declaration.steps import Advice, Advisor, FilingContext
from clearway.ipr import repository as repo
from clearway.ipr.core import ScreenLine, Suspicion, screen_line

log = logging.getLogger(__name__)

ADVICE_CODE = "ipr_suspected_counterfeit"


def lines_of(content: DeclarationContent) -> list[ScreenLine]:
    party = content.importer or content.buyer
    brn = "".join(ch for ch in party.brn if ch.isdigit()) if party.brn else None
    return [
        ScreenLine(
            line_number=i.line_number,
            description=i.description,
            commodity_code=i.commodity_code,
            origin_country=i.origin_country,
            quantity=i.quantity,
            amount=i.invoice_amount,
            currency=i.currency,
            importer_brn=brn,
        )
        for i in content.items
    ]


def advice_of(index: int, suspicion: Suspicion) -> Advice:
    reasons = "; ".join(s.message for s in suspicion.signals)
    return Advice(
        pointer=f"/items/{index}/description",
        code=ADVICE_CODE,
        message=f"suspected counterfeit of recorded mark {suspicion.mark.mark} (recording "
        f"{suspicion.recording_id}, score {suspicion.score:.2f}): {reasons}",
        risk_signal=suspicion.score,
        details={"officer_only": True, **suspicion.as_dict()},
    )


class IprAdvisor(Advisor):
    def advise(self, session: Session, content: DeclarationContent, context: FilingContext) -> list[Advice]:
        try:
            rights = repo.rights_in_force(session, context.filed_on)
            if not rights:
                return []
            rates = repo.rates_krw(session, context.filed_on)
            out = []
            for index, line in enumerate(lines_of(content)):
                for suspicion in screen_line(line, rights, on=context.filed_on, rates=rates):
                    if suspicion.suspected:
                        out.append(advice_of(index, suspicion))
            return out
        except SQLAlchemyError:
            raise  # the database failed, not the screening: the transaction is lost, the request must fail
        except Exception:
            log.exception("IPR screening failed for declaration %s", context.declaration_id)
            return []
