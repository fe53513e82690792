"""Manifest ↔ declaration mismatches as risk signals of the declaration at filing (shell over the pure
:mod:`clearway.cargo.matching`).

For each import declaration of a batch the house bill it names is looked up (one query per batch); when the
bill is on a manifest, every mismatch (weight outside tolerance, consignee not the importer, description or HS
code other than the manifest's) becomes a reason of kind ``manifest`` and sends the declaration at least to
the documentary check (yellow), so the officer sees what differs. A bill on no manifest is noted as a reason
without changing the lane; the declaration is held (:class:`clearway.cargo.step.ManifestHold`) until a
manifest carrying the bill is submitted or amended, when :func:`lift_holds` lifts the hold and matches it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clearway.cargo import matching
from clearway.cargo.models import CargoHouseBill
from clearway.declaration import holds as declaration_holds
from clearway.declaration.content import DeclarationContent, DeclarationKind
from clearway.declaration.lifecycle import Lane
from clearway.declaration.models import Declaration, DeclarationVersion

RAISES_LANE = frozenset(
    {
        "weight_over_manifest",
        "weight_under_manifest",
        "consignee_not_importer",
        "description_mismatch",
        "hs_mismatch",
    }
)


def goods_of(content: DeclarationContent, declaration_id: int) -> matching.DeclaredGoods:
    importer = content.importer
    return matching.DeclaredGoods(
        declaration_id,
        importer.name if importer else None,
        importer.brn if importer else None,
        tuple(i.description for i in content.items),
        tuple(i.commodity_code for i in content.items),
        sum((Decimal(str(i.net_mass_kg)) for i in content.items), Decimal(0)),
    )


def stored_goods(declaration: Declaration, version: DeclarationVersion) -> matching.DeclaredGoods:
    """The goods of a stored declaration version (its content as kept)."""
    items = version.content.get("items", [])
    importer = version.content.get("importer") or {}
    return matching.DeclaredGoods(
        declaration.id,
        importer.get("name") or declaration.importer_name,
        importer.get("brn") or declaration.importer_brn,
        tuple(str(i.get("description", "")) for i in items),
        tuple(str(i.get("commodity_code", "")) for i in items),
        sum((Decimal(str(i.get("net_mass_kg", "0"))) for i in items), Decimal(0)),
    )


def reasons_of(result: matching.MatchResult) -> list[dict[str, Any]]:
    return [
        {
            "kind": "manifest",
            "code": f.code,
            "bill": result.bill,
            "lane": Lane.YELLOW.value if f.code in RAISES_LANE else None,
            "message": f"manifest check: {f.message}",
        }
        for f in result.findings
    ]


_LINE = (
    CargoHouseBill.house_bill,
    CargoHouseBill.consignee_name,
    CargoHouseBill.consignee_brn,
    CargoHouseBill.description,
    CargoHouseBill.hs6,
    CargoHouseBill.packages,
    CargoHouseBill.gross_weight_kg,
)


def bill_of(content: DeclarationContent) -> str | None:
    """The bill an import declaration names (its transport document), or None: an export, or no bill."""
    if content.kind != DeclarationKind.IMPORT or not content.consignment.transport_document:
        return None
    return content.consignment.transport_document.upper()


def manifest_lines(session: Session, bills: Iterable[str]) -> dict[str, matching.ManifestLine | None]:
    """The bills of ``bills`` some manifest carries, as a house bill or as a master bill, with the manifest
    line a declaration naming it is matched against: the house bill's own, or a master bill's single house
    bill; None for a master bill over several house bills (on a manifest, but no one line to compare)."""
    wanted = sorted(set(bills))
    found: dict[str, matching.ManifestLine | None] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        for row in session.execute(select(*_LINE).where(CargoHouseBill.house_bill.in_(chunk))):
            found[row[0]] = matching.ManifestLine(*row)
        masters: dict[str, list[matching.ManifestLine]] = {}
        for bill_row in session.execute(
            select(CargoHouseBill.master_bill, *_LINE).where(CargoHouseBill.master_bill.in_(chunk))
        ):
            masters.setdefault(bill_row[0], []).append(matching.ManifestLine(*bill_row[1:]))
        for master, lines in masters.items():
            if master not in found:
                found[master] = lines[0] if len(lines) == 1 else None
    return found


def manifest_reasons(
    session: Session, declarations: Sequence[tuple[DeclarationContent, int]]
) -> list[list[dict[str, Any]]]:
    """The manifest reasons of each (content, declaration id), in order; [] for a non-import declaration."""
    lines = manifest_lines(session, (b for c, _ in declarations if (b := bill_of(c))))
    out: list[list[dict[str, Any]]] = []
    for content, declaration_id in declarations:
        bill = bill_of(content)
        if bill is None:
            out.append([])
        elif bill in lines and lines[bill] is None:
            out.append([])  # a master bill over several house bills: on a manifest, nothing to compare
        else:
            out.append(reasons_of(matching.match(lines.get(bill), goods_of(content, declaration_id), bill)))
    return out


def lift_holds(session: Session, bills: Iterable[str], *, now: datetime, manifest: str) -> int:
    """A manifest now carries ``bills`` (house and master bill numbers): lift the ``bill_not_on_manifest``
    holds of the open declarations naming one of them, matching each against its manifest line as filing
    would (a mismatch is a reason for the officer and sends a green or blue declaration to the document
    check instead of its automatic acceptance). Returns how many holds were lifted."""
    held = declaration_holds.standing_for(session, declaration_holds.BILL_NOT_ON_MANIFEST, bills)
    if not held:
        return 0
    lines = manifest_lines(session, (h.subject for h, _, _ in held))
    for hold, declaration, version in held:
        line = lines.get(hold.subject)
        reasons: list[dict[str, Any]] = []
        if line is not None:
            reasons = reasons_of(matching.match(line, stored_goods(declaration, version), hold.subject))
        floor = manifest_floor(Lane.GREEN, reasons)
        declaration_holds.lift(
            session,
            hold,
            declaration,
            version,
            at=now,
            note=f"manifest {manifest} carries the bill {hold.subject}: the hold is lifted",
            reasons=reasons,
            at_least=floor if floor is not Lane.GREEN else None,
        )
    return len(held)


def manifest_floor(lane: Lane, reasons: list[dict[str, Any]]) -> Lane:
    """At least the documentary check when the manifest disagrees with the declaration."""
    if any(r["lane"] for r in reasons) and lane in (Lane.GREEN, Lane.BLUE):
        return Lane.YELLOW
    return lane
