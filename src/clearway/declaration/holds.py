"""Holds on a declaration (shell): placed by filing when a hold check says the declaration must wait, lifted by
the system when the reason is gone, each an event of the declaration's audit trail.

A hold keeps the declaration filed (nothing accepted is lost) and where the lifecycle put it, but it is not
accepted — and so neither paid nor released — while the hold stands (:attr:`lifecycle.Case.held`). A hold
never changes the lane: the lane is selected as if there were none, and a green- or blue-lane declaration
simply waits in ``lane_assigned`` for its automatic acceptance until the hold is lifted.

The only hold code today is ``bill_not_on_manifest`` (placed by :class:`clearway.cargo.step.ManifestHold`,
lifted by :func:`clearway.cargo.signals.lift_holds` when a manifest carrying the bill is submitted or amended).
Its reason is shown to the filer as well as to customs: it says what is missing, nothing of risk selection.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from clearway.audit.service import Actor
from clearway.declaration.lifecycle import FINAL, Action, Lane, Status, follow_up_for_lane, higher_lane
from clearway.declaration.models import Declaration, DeclarationHold, DeclarationVersion
from clearway.declaration.steps import Hold
from clearway.declaration.transitions import step

SYSTEM = Actor("system")
BILL_NOT_ON_MANIFEST = "bill_not_on_manifest"

# code → (English, Korean); {subject} is the bill number. Shown to the filer and to customs alike.
REASONS: dict[str, tuple[str, str]] = {
    BILL_NOT_ON_MANIFEST: (
        "the bill B/L {subject} is on no manifest yet: the declaration is filed and held, and cannot be "
        "accepted until a manifest carrying the bill is submitted (the hold is then lifted automatically)",
        "B/L {subject}이(가) 아직 적하목록에 없습니다: 신고는 접수되어 보류 중이며, 이 B/L이 실린 "
        "적하목록이 제출되기 전에는 수리되지 않습니다 (제출되면 보류가 자동으로 해제됩니다)",
    ),
}


def reason(code: str, subject: str, lang: str = "en") -> str:
    english, korean = REASONS.get(code, ("held: {subject}", "보류: {subject}"))
    return (korean if lang == "ko" else english).format(subject=subject)


def hold_of(code: str, subject: str) -> Hold:
    return Hold(code, subject, reason(code, subject))


def place(
    session: Session,
    declaration: Declaration,
    version: DeclarationVersion,
    holds: Sequence[Hold],
    *,
    at: datetime,
    rows: list[dict[str, Any]] | None = None,
) -> None:
    """Stage the holds of a version just filed, each with its ``place_hold`` event. No query, no flush (a
    batch inserts its declarations after). With ``rows`` the holds are appended there as table rows for the
    caller to insert in bulk (the batch path, after its declarations), instead of being added to the session."""
    for hold in holds:
        row = {
            "declaration_id": declaration.id,
            "version": version.version,
            "code": hold.code,
            "subject": hold.subject,
            "placed_at": at,
            "lifted_at": None,
            "lifted_note": None,
        }
        if rows is None:
            session.add(DeclarationHold(**row))
        else:
            rows.append(row)
        step(
            session,
            declaration,
            version,
            Action.PLACE_HOLD,
            actor=SYSTEM,
            at=at,
            reason=hold.message,
            data={"hold": hold.code, "bill": hold.subject, "message": hold.message},
        )


def is_held(session: Session, declaration_id: int, version: int) -> bool:
    return (
        session.scalar(
            select(DeclarationHold.id)
            .where(
                DeclarationHold.declaration_id == declaration_id,
                DeclarationHold.version == version,
                DeclarationHold.lifted_at.is_(None),
            )
            .limit(1)
        )
        is not None
    )


def of_declaration(session: Session, declaration_id: int, version: int) -> list[DeclarationHold]:
    """Every hold of this version, standing or lifted, oldest first."""
    return list(
        session.scalars(
            select(DeclarationHold)
            .where(DeclarationHold.declaration_id == declaration_id, DeclarationHold.version == version)
            .order_by(DeclarationHold.id)
        )
    )


def view(hold: DeclarationHold) -> dict[str, Any]:
    """A hold as the API and the pages show it (the same to the filer and to customs)."""
    return {
        "code": hold.code,
        "bill": hold.subject,
        "standing": hold.lifted_at is None,
        "reason": reason(hold.code, hold.subject),
        "reason_ko": reason(hold.code, hold.subject, "ko"),
        "placed_at": hold.placed_at,
        "lifted_at": hold.lifted_at,
        "lifted_note": hold.lifted_note,
    }


def read_fields(session: Session, declaration_id: int, version: int) -> dict[str, Any]:
    """The ``held`` and ``holds`` fields of the declaration resource (API and CLI)."""
    rows = of_declaration(session, declaration_id, version)
    return {"holds": [view(h) for h in rows], "held": any(h.lifted_at is None for h in rows)}


def standing(session: Session, code: str, *, limit: int = 500) -> list[tuple[DeclarationHold, Declaration]]:
    """Standing holds of ``code`` on open declarations (current version), oldest first."""
    return [
        (h, d)
        for h, d in session.execute(
            select(DeclarationHold, Declaration)
            .join(Declaration, Declaration.id == DeclarationHold.declaration_id)
            .where(
                DeclarationHold.code == code,
                DeclarationHold.lifted_at.is_(None),
                DeclarationHold.version == Declaration.current_version,
                Declaration.status.not_in([s.value for s in FINAL]),
            )
            .order_by(DeclarationHold.placed_at, DeclarationHold.id)
            .limit(limit)
        )
    ]


def standing_for(
    session: Session, code: str, subjects: Iterable[str]
) -> list[tuple[DeclarationHold, Declaration, DeclarationVersion]]:
    """Standing holds of ``code`` about one of ``subjects``, on the current version of a declaration that is
    still open, with that declaration (locked) and version."""
    wanted = sorted(set(subjects))
    out: list[tuple[DeclarationHold, Declaration, DeclarationVersion]] = []
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            select(DeclarationHold, Declaration, DeclarationVersion)
            .join(Declaration, Declaration.id == DeclarationHold.declaration_id)
            .join(
                DeclarationVersion,
                and_(
                    DeclarationVersion.declaration_id == Declaration.id,
                    DeclarationVersion.version == Declaration.current_version,
                ),
            )
            .where(
                DeclarationHold.code == code,
                DeclarationHold.subject.in_(wanted[start : start + 500]),
                DeclarationHold.lifted_at.is_(None),
                DeclarationHold.version == Declaration.current_version,
                Declaration.status.not_in([s.value for s in FINAL]),
            )
            .order_by(Declaration.id)
            .with_for_update(of=Declaration)
        )
        out += [(h, d, v) for h, d, v in rows]
    return out


def lift(
    session: Session,
    hold: DeclarationHold,
    declaration: Declaration,
    version: DeclarationVersion,
    *,
    at: datetime,
    note: str,
    reasons: Sequence[dict[str, Any]] = (),
    at_least: Lane | None = None,
) -> None:
    """Lift a standing hold (a ``lift_hold`` event), add ``reasons`` for the officer to the lane's reasons, and
    — when nothing else holds the declaration and it waits in ``lane_assigned`` — take the step its lane calls
    for: automatic acceptance for green and blue, the document check for yellow. ``at_least`` raises the lane
    first (a manifest mismatch found now sends a green declaration to the document check, as at filing)."""
    step(
        session,
        declaration,
        version,
        Action.LIFT_HOLD,
        actor=SYSTEM,
        at=at,
        reason=note,
        data={"hold": hold.code, "bill": hold.subject, "message": note},
    )
    hold.lifted_at, hold.lifted_note = at, note
    if reasons:
        selection = dict(version.lane_selection or {})
        selection["reasons"] = [*selection.get("reasons", []), *reasons]
        version.lane_selection = selection
    session.flush()
    if version.status != Status.LANE_ASSIGNED.value or version.lane is None:
        return  # under a check already: the officer decides, now that nothing holds it
    if is_held(session, declaration.id, version.version):
        return
    lane = higher_lane(Lane(version.lane), at_least) or Lane(version.lane)
    follow_up = follow_up_for_lane(lane)
    step(
        session,
        declaration,
        version,
        follow_up,
        actor=SYSTEM,
        at=at,
        reason="automatic acceptance (전자수리) in the green or blue lane, once the hold was lifted"
        if follow_up is Action.ACCEPT
        else "manifest check: the manifest differs from the declaration",
    )
