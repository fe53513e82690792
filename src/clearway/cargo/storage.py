"""Bonded storage (보세구역): carry-in, carry-out, storage limits, stock at a date. Pure.

A house bill is carried into one bonded area (a shed or warehouse, named by its 8-character code) after its
manifest's arrival, and carried out only when a declaration for it was released, or for transit or return
with the reason stated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from clearway.errors import Conflict, FieldError, ValidationFailed

SHED_CODE = re.compile(r"^[0-9A-Z]{8}$")


class AreaKind(StrEnum):
    DESIGNATED = "designated"  # 지정장치장
    WAREHOUSE = "warehouse"  # 보세창고


class CarryOutReason(StrEnum):
    RELEASE = "release"  # 수입신고수리 후 반출
    TRANSIT = "transit"  # 보세운송
    RETURN = "return"  # 반송


# 관세법 제170조: 지정장치장 장치기간 6개월 범위 (관세청장이 정함); 제177조: 보세창고 외국물품 1년.
STORAGE_LIMIT_DAYS: dict[AreaKind, int] = {AreaKind.DESIGNATED: 180, AreaKind.WAREHOUSE: 365}
# 관세법 제241조 제3항: 반입일부터 30일 이내 수입신고 (신고지연가산세 제241조 제4항).
DECLARATION_PERIOD_DAYS = 30


class CargoConflict(Conflict):
    """A storage or manifest step not allowed in the cargo's current state; ``code`` names the rule."""

    type = "cargo-conflict"
    title = "That cargo step is not allowed now"


@dataclass(frozen=True, slots=True)
class StorageEvent:
    kind: str  # carry_in | carry_out
    shed: str
    on: date


@dataclass(frozen=True, slots=True)
class BillState:
    """What the rules need to know about one house bill."""

    bill: str
    arrived: bool
    events: tuple[StorageEvent, ...]
    released: bool  # a declaration naming the bill reached 'released'
    open_holds: int = 0
    arrived_on: date | None = None

    @property
    def in_storage(self) -> StorageEvent | None:
        if self.events and self.events[-1].kind == "carry_in":
            return self.events[-1]
        return None


def check_shed(shed: str) -> None:
    if not SHED_CODE.match(shed):
        raise ValidationFailed(
            "the bonded area code is 8 letters or digits",
            errors=[FieldError("/shed", "malformed_shed", f"'{shed}' is not a bonded area code")],
        )


def check_carry_in(state: BillState, shed: str, on: date) -> None:
    check_shed(shed)
    if not state.arrived:
        raise CargoConflict(f"{state.bill} has not arrived: report the arrival first", code="not_arrived")
    if state.arrived_on is not None and on < state.arrived_on:
        raise CargoConflict(
            f"{state.bill} arrived on {state.arrived_on}; a carry-in cannot be earlier",
            code="date_out_of_order",
        )
    if state.in_storage:
        raise CargoConflict(
            f"{state.bill} is already in bonded area {state.in_storage.shed}", code="already_in_storage"
        )
    if state.events and on < state.events[-1].on:
        raise CargoConflict(
            f"{state.bill} left storage on {state.events[-1].on}; a carry-in cannot be earlier",
            code="date_out_of_order",
        )


def check_carry_out(state: BillState, reason: CarryOutReason, reason_text: str | None, on: date) -> None:
    current = state.in_storage
    if current is None:
        raise CargoConflict(f"{state.bill} is not in bonded storage", code="not_in_storage")
    if on < current.on:
        raise CargoConflict(
            f"{state.bill} was carried in on {current.on}; carry-out cannot be earlier",
            code="date_out_of_order",
        )
    if state.open_holds:
        raise CargoConflict(
            f"{state.bill} is held by customs ({state.open_holds} open hold(s))", code="on_hold"
        )
    if reason is CarryOutReason.RELEASE and not state.released:
        raise CargoConflict(
            f"{state.bill} has no released declaration: carry-out needs release (수리) first",
            code="not_released",
        )
    if reason is not CarryOutReason.RELEASE and not (reason_text or "").strip():
        raise ValidationFailed(
            "a carry-out for transit or return states its reason",
            errors=[
                FieldError("/reason_text", "reason_required", "say why the cargo leaves without release")
            ],
        )


def storage_deadline(carried_in: date, kind: AreaKind) -> date:
    return carried_in + timedelta(days=STORAGE_LIMIT_DAYS[kind])


def declaration_deadline(carried_in: date) -> date:
    return carried_in + timedelta(days=DECLARATION_PERIOD_DAYS)


def stock_at(events: Iterable[tuple[str, StorageEvent]], on: date) -> list[str]:
    """Bills in a shed at the end of ``on``: their last event on or before that date is a carry-in."""
    last: dict[str, StorageEvent] = {}
    for bill, event in sorted(events, key=lambda pair: pair[1].on):
        if event.on <= on:
            last[bill] = event
    return sorted(bill for bill, event in last.items() if event.kind == "carry_in")


@dataclass(frozen=True, slots=True)
class Undeclared:
    bill: str
    shed: str
    carried_in: date
    days: int
    overdue: bool


def undeclared(
    in_storage: Iterable[tuple[str, StorageEvent]], declared: set[str], on: date
) -> list[Undeclared]:
    """Cargo in storage with no declaration naming it, with the days counted since carry-in."""
    out = []
    for bill, event in in_storage:
        if bill in declared:
            continue
        days = (on - event.on).days
        out.append(Undeclared(bill, event.shed, event.on, days, days > DECLARATION_PERIOD_DAYS))
    return sorted(out, key=lambda u: (-u.days, u.bill))
