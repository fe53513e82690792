"""Port between assessment and origin: may a goods item's FTA preference claim be granted?

The assessment engine grants an FTA rate only when the verifier says the claim holds (FTA 관세특례법 제5조,
제8조-제10조: the rate needs lawful origin and a valid proof). The origin domain provides the real verifier
(certificate read, checked against the declaration); :class:`DocumentaryOnlyVerifier` is the conservative
stand-in that refuses any claim it cannot check.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from clearway.declaration.content import DeclarationContent, GoodsItem
from clearway.declaration.steps import FilingContext


@dataclass(frozen=True, slots=True)
class PreferenceVerdict:
    granted: bool
    reasons: list[str]
    checks: list[dict[str, Any]] = field(default_factory=list)  # each {"check", "passed", "reason"}

    def as_dict(self) -> dict[str, Any]:
        return {"granted": self.granted, "reasons": self.reasons, "checks": self.checks}


# Whose records the caller may see: company id → visible? (Principal.sees_company; None: the operator, all.)
Sees = Callable[[int | None], bool]


class PreferenceVerifier(ABC):
    def prepare(self, session: Session, contents: list[DeclarationContent]) -> None:  # noqa: B027 - optional
        """Before a batch: load in bulk what verifying these declarations' claims will read (optional)."""

    @abstractmethod
    def verify(
        self,
        session: Session | None,
        content: DeclarationContent,
        item: GoodsItem,
        on: date,
        sees: Sees | None = None,
    ) -> PreferenceVerdict:
        """Decide whether ``item``'s preference claim may be granted on ``on``, looking only at records of the
        companies ``sees`` admits (None: the operator's own tools, which see all)."""

    def verify_filing(
        self,
        session: Session,
        content: DeclarationContent,
        item: GoodsItem,
        on: date,
        sees: Sees | None,
        filing: FilingContext,
    ) -> PreferenceVerdict:
        """As :meth:`verify`, for a version being filed (``filing``): a verifier that keeps a ledger of what
        the claims use (a certificate's quantities) records the granted claim against that version here."""
        return self.verify(session, content, item, on, sees)


class DocumentaryOnlyVerifier(PreferenceVerifier):
    """Refuses every claim: without a certificate check the preferential rate is not lawful to grant."""

    def verify(
        self,
        session: Session | None,
        content: DeclarationContent,
        item: GoodsItem,
        on: date,
        sees: Sees | None = None,
    ) -> PreferenceVerdict:
        return PreferenceVerdict(
            granted=False,
            reasons=["the certificate of origin could not be verified: no origin verifier is configured"],
        )
