"""The origin domain's answer to the assessment engine: may this goods item have its FTA rate?

:class:`CertificateVerifier` implements :class:`clearway.assessment.preference.PreferenceVerifier`. It finds
the certificate record the goods item cites (``item.preference.certificate_reference`` under
``item.preference.agreement``), checks it against the declaration (:mod:`clearway.origin.checks`) and grants
the preference only when every check passes (FTA 관세특례법 제8조-제10조). Without a database session it
refuses, saying why — never a silent grant. For a version being filed (:meth:`verify_filing`) a granted claim
draws its quantity down from the certificate (locked meanwhile), so a certificate cannot be used twice over.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from clearway.assessment.preference import PreferenceVerdict, PreferenceVerifier, Sees
from clearway.clock import Clock, utcnow
from clearway.declaration.content import DeclarationContent, GoodsItem
from clearway.declaration.steps import FilingContext
from clearway.origin.repository import recall_references
from clearway.origin.service import verify_item


class CertificateVerifier(PreferenceVerifier):
    def __init__(self, clock: Clock = utcnow) -> None:
        self.clock = clock  # when a drawdown is recorded

    def prepare(self, session: Session, contents: list[DeclarationContent]) -> None:
        """One query for every certificate a batch cites."""
        recall_references(
            session,
            {
                i.preference.certificate_reference
                for c in contents
                for i in c.items
                if i.preference is not None
            },
        )

    def verify(
        self,
        session: Session | None,
        content: DeclarationContent,
        item: GoodsItem,
        on: date,
        sees: Sees | None = None,
    ) -> PreferenceVerdict:
        if item.preference is None:
            return PreferenceVerdict(False, ["the goods item claims no preferential rate"])
        if session is None:
            reason = "the certificate of origin could not be looked up: no database session was given to the verifier"
            return PreferenceVerdict(
                False, [reason], [{"check": "certificate_on_record", "passed": False, "reason": reason}]
            )
        return verify_item(session, content, item, on, sees=sees)

    def verify_filing(
        self,
        session: Session,
        content: DeclarationContent,
        item: GoodsItem,
        on: date,
        sees: Sees | None,
        filing: FilingContext,
    ) -> PreferenceVerdict:
        if item.preference is None:
            return PreferenceVerdict(False, ["the goods item claims no preferential rate"])
        return verify_item(session, content, item, on, sees=sees, filing=filing, now=self.clock())
