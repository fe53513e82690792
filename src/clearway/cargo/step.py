"""The cargo domain's filing step: an import declaration whose bill is on no manifest is held.

UNI-PASS does not accept (수리) an import declaration for cargo no manifest (적하목록) reports: the declaration is
filed and kept, but waits until the carrier's manifest carries the bill. :class:`ManifestHold` is that check,
plugged into filing as a :class:`~clearway.declaration.steps.HoldCheck`; the hold is lifted by
:func:`clearway.cargo.signals.lift_holds` when a manifest carrying the bill is submitted or amended.

Not held: export declarations (their cargo leaves: no import manifest reports it) and postal imports (transport
mode ``post``: postal items are reported on the postal service's lists, not on a carrier's manifest). Every
import declaration has a transport document (the document requires one); a declaration may name the house bill
or the master bill.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from clearway.cargo.signals import bill_of, manifest_lines
from clearway.declaration import holds as declaration_holds
from clearway.declaration.content import DeclarationContent
from clearway.declaration.steps import Hold, HoldCheck

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

NOT_ON_MANIFESTS = frozenset({"post"})  # transport modes whose goods no carrier's manifest reports


def held_bill(content: DeclarationContent) -> str | None:
    """The bill whose absence from every manifest would hold this declaration; None if none would."""
    if content.consignment.transport_mode in NOT_ON_MANIFESTS:
        return None
    return bill_of(content)


class ManifestHold(HoldCheck):
    """Hold each import whose house or master bill no manifest carries (one query for the whole batch)."""

    def holds(self, session: Session, contents: list[DeclarationContent]) -> list[list[Hold]]:
        bills = [held_bill(c) for c in contents]
        carried = manifest_lines(session, (b for b in bills if b))
        return [
            [declaration_holds.hold_of(declaration_holds.BILL_NOT_ON_MANIFEST, b)]
            if b is not None and b not in carried
            else []
            for b in bills
        ]
