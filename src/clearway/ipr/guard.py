"""The one question release asks of the IPR domain: is any goods line of this declaration on hold?"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from clearway.errors import Conflict
from clearway.ipr.core import OPEN_STATUSES
from clearway.ipr.models import IprHold


def refuse_release_while_held(session: Session, declaration_id: int) -> None:
    """관세법 제235조: goods on an IPR hold (통관보류) are not released until the officer decides the hold."""
    held = session.scalars(
        select(IprHold.line_number).where(
            IprHold.declaration_id == declaration_id, IprHold.status.in_([s.value for s in OPEN_STATUSES])
        )
    ).all()
    if held:
        lines = ", ".join(str(n) for n in sorted(set(held)))
        raise Conflict(
            f"goods line(s) {lines} are on an IPR hold (통관보류); decide the hold before release",
            held_lines=sorted(set(held)),
        )
