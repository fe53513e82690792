"""Manifest ↔ declaration mismatches as risk signals of the declaration at filing (shell over the pure
:mod:`clearway.cargo.matching`).

For each import declaration of a batch the house bill it names is looked up (one query per batch); when the
bill is on a manifest, every mismatch (weight outside tolerance, consignee not the importer, description or HS
code other than the manifest's) becomes a reason of kind ``manifest`` and sends the declaration at least to
the documentary check (yellow), so the officer sees what differs. A bill on no manifest is noted as a reason
without changing the lane (declarations may be filed before the carrier's manifest arrives; the cargo pages
list such bills).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clearway.cargo import matching
from clearway.cargo.models import CargoHouseBill
from clearway.declaration.content import DeclarationContent, DeclarationKind
from clearway.declaration.lifecycle import Lane

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


def manifest_reasons(
    session: Session, declarations: Sequence[tuple[DeclarationContent, int]]
) -> list[list[dict[str, Any]]]:
    """The manifest reasons of each (content, declaration id), in order; [] for a non-import declaration."""
    bills = {
        c.consignment.transport_document.upper()
        for c, _ in declarations
        if c.kind == DeclarationKind.IMPORT and c.consignment.transport_document
    }
    lines: dict[str, matching.ManifestLine] = {}
    wanted = sorted(bills)
    for start in range(0, len(wanted), 500):
        for row in session.execute(
            select(
                CargoHouseBill.house_bill,
                CargoHouseBill.consignee_name,
                CargoHouseBill.consignee_brn,
                CargoHouseBill.description,
                CargoHouseBill.hs6,
                CargoHouseBill.packages,
                CargoHouseBill.gross_weight_kg,
            ).where(CargoHouseBill.house_bill.in_(wanted[start : start + 500]))
        ):
            lines[row[0]] = matching.ManifestLine(*row)
    out: list[list[dict[str, Any]]] = []
    for content, declaration_id in declarations:
        if content.kind != DeclarationKind.IMPORT:
            out.append([])
            continue
        bill = content.consignment.transport_document.upper()
        out.append(reasons_of(matching.match(lines.get(bill), goods_of(content, declaration_id), bill)))
    return out


def manifest_floor(lane: Lane, reasons: list[dict[str, Any]]) -> Lane:
    """At least the documentary check when the manifest disagrees with the declaration."""
    if any(r["lane"] for r in reasons) and lane in (Lane.GREEN, Lane.BLUE):
        return Lane.YELLOW
    return lane
