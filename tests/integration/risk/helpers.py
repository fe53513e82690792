"""Filing declarations and recording findings through the core's own services."""

from __future__ import annotations

from decimal import Decimal

from clearway.cli.common import acting_user
from clearway.declaration.decisions import Decision, DecisionKind, Finding, InspectionFinding
from clearway.runtime import Runtime
from clearway.uow import unit_of_work
from tests.documents import import_declaration


def file(runtime: Runtime, reference: str, user: str = "trader", **overrides):  # type: ignore[no-untyped-def]
    with unit_of_work(runtime.sessions) as session:
        filing = runtime.declarations.file(
            session, acting_user(session, user), import_declaration(reference, **overrides)
        )
        return filing.declaration.id, filing.version.lane, dict(filing.version.lane_selection or {})


def record_finding(runtime: Runtime, declaration_id: int, irregular: bool, critical: bool = False) -> None:
    finding = InspectionFinding(
        Finding.IRREGULARITY if irregular else Finding.NO_IRREGULARITY,
        "declared value below the bank remittance" if irregular else None,
        Decimal(120000) if irregular else Decimal(0),
        critical=critical and irregular,
    )
    with unit_of_work(runtime.sessions) as session:
        runtime.declarations.decide(
            session,
            acting_user(session, "officer"),
            declaration_id,
            Decision(DecisionKind.INSPECTION_RESULT, "checked against the invoice", finding),
        )
