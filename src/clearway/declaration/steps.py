"""The pluggable steps of filing: assessment, advice (warnings) and lane selection.

The declaration service calls these in order after a declaration is filed, in the same transaction. Each is
an abstract base class with a deliberately simple default, labelled as such in what it returns, so the core
works before the real engines are plugged in:

* :class:`NoDutyAssessment` – "no duty assessed" (placeholder until the tariff engine is configured);
* :class:`GreenLaneSelection` – every declaration to the green lane (placeholder until risk selection);
* no advisors;
* no hold checks (the cargo domain's :class:`~clearway.cargo.step.ManifestHold` holds an import whose bill is
  on no manifest yet).

Implementations may read reference data through the session they are given; they must not commit.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from clearway.declaration.assessed import AssessedLine
from clearway.declaration.content import DeclarationContent
from clearway.declaration.lifecycle import Lane

if TYPE_CHECKING:  # the ports take the filing's session; the values they exchange stay free of the database
    from sqlalchemy.orm import Session


@dataclass(frozen=True, slots=True)
class FilingContext:
    """What a step may know about the declaration besides its content."""

    declaration_id: int
    version: int
    filed_on: date
    filer_company_id: int | None


@dataclass(frozen=True, slots=True)
class AssessmentOutcome:
    """Duties and taxes for a declaration.

    ``lines`` holds one JSON-able explanation per goods item, for display (kept on the version as it is).
    ``results`` holds the same lines typed (:class:`AssessedLine`): the figures the declaration stores per
    line and risk selection reads come from there, never from the display keys. A step that explains lines
    gives a result for each of them (the same line numbers). ``can_assess`` is False when any line could not
    be assessed honestly; the reasons are in the lines and ``notes``.
    """

    method: str
    placeholder: bool
    total_due_krw: Decimal | None
    lines: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    can_assess: bool = True
    results: tuple[AssessedLine, ...] = ()
    inputs: dict[str, Any] | None = (
        None  # what it was computed from, for the decision receipt (receipts.core)
    )

    def __post_init__(self) -> None:
        shown = sorted((line.get("line_number") for line in self.lines), key=str)
        typed = sorted((r.line_number for r in self.results), key=str)
        if self.lines and shown != typed:
            raise ValueError(
                f"the assessment explains lines {shown} but gives typed results for lines {typed}"
            )

    def result_by_line(self) -> dict[int, AssessedLine]:
        return {r.line_number: r for r in self.results}

    def as_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "placeholder": self.placeholder,
            "can_assess": self.can_assess,
            "total_due_krw": None if self.total_due_krw is None else str(self.total_due_krw),
            "lines": self.lines,
            "notes": self.notes,
        }


@dataclass(frozen=True, slots=True)
class Advice:
    """A warning for the filer (and a signal for risk selection), about one field."""

    pointer: str
    code: str
    message: str
    risk_signal: float = 0.0
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "pointer": self.pointer,
            "code": self.code,
            "message": self.message,
            "risk_signal": self.risk_signal,
            **({"details": self.details} if self.details else {}),
        }


@dataclass(frozen=True, slots=True)
class LaneSelection:
    lane: Lane
    method: str
    placeholder: bool
    reasons: list[dict[str, Any]] = field(default_factory=list)
    score: float | None = None
    # what it was computed from, for the decision receipt: {"public": {...}, "confidential": {...}}
    inputs: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "lane": self.lane.value,
            "method": self.method,
            "placeholder": self.placeholder,
            "score": self.score,
            "reasons": self.reasons,
        }


@dataclass(frozen=True, slots=True)
class PendingLane:
    """A declaration assessed and advised on, waiting for its lane."""

    content: DeclarationContent
    context: FilingContext
    assessment: AssessmentOutcome
    advice: list[Advice]


class AssessmentStep(ABC):
    def prepare(self, session: Session, contents: list[DeclarationContent]) -> None:  # noqa: B027 - optional
        """Before a batch: load in bulk what assessing these declarations will read (optional)."""

    @abstractmethod
    def assess(
        self, session: Session, content: DeclarationContent, context: FilingContext
    ) -> AssessmentOutcome:
        """Compute duties and taxes as of ``context.filed_on``."""


class Advisor(ABC):
    def prepare(self, session: Session, contents: list[DeclarationContent]) -> None:  # noqa: B027 - optional
        """Before a batch: work out in bulk what advising on these declarations needs (optional)."""

    @abstractmethod
    def advise(self, session: Session, content: DeclarationContent, context: FilingContext) -> list[Advice]:
        """Warnings for the filer; they never block filing."""


class LaneSelector(ABC):
    @abstractmethod
    def select(
        self,
        session: Session,
        content: DeclarationContent,
        context: FilingContext,
        assessment: AssessmentOutcome,
        advice: list[Advice],
    ) -> LaneSelection:
        """Choose the lane and say why."""

    def select_many(self, session: Session, pending: list[PendingLane]) -> list[LaneSelection]:
        """Lanes for a batch, in order; one after another unless a selector can do better at once."""
        return [self.select(session, p.content, p.context, p.assessment, p.advice) for p in pending]


@dataclass(frozen=True, slots=True)
class Hold:
    """Why a declaration is held: a stable code, what it is about (a bill number) and the reason in words.
    A hold never changes the lane; it keeps the declaration from being accepted until it is lifted."""

    code: str
    subject: str
    message: str


class HoldCheck(ABC):
    @abstractmethod
    def holds(self, session: Session, contents: list[DeclarationContent]) -> list[list[Hold]]:
        """The holds each declaration (in order) must wait under; [] for one that need not wait. One call per
        filing or batch, so an implementation reads what it needs at once."""


class NoDutyAssessment(AssessmentStep):
    """Placeholder: records that no duty was assessed. Replaced by the tariff engine."""

    def assess(
        self, session: Session, content: DeclarationContent, context: FilingContext
    ) -> AssessmentOutcome:
        return AssessmentOutcome(
            method="none",
            placeholder=True,
            total_due_krw=None,
            notes=["no duty assessed: the assessment engine is not configured (placeholder step)"],
        )


class GreenLaneSelection(LaneSelector):
    """Placeholder: every declaration to the green lane. Replaced by risk selection."""

    def select(
        self,
        session: Session,
        content: DeclarationContent,
        context: FilingContext,
        assessment: AssessmentOutcome,
        advice: list[Advice],
    ) -> LaneSelection:
        return LaneSelection(
            lane=Lane.GREEN,
            method="default-green",
            placeholder=True,
            reasons=[
                {"kind": "default", "message": "green lane by default: risk selection is not configured"}
            ],
        )


@dataclass(frozen=True, slots=True)
class FilingSteps:
    assessment: AssessmentStep = field(default_factory=NoDutyAssessment)
    advisors: tuple[Advisor, ...] = ()
    lane_selector: LaneSelector = field(default_factory=GreenLaneSelection)
    hold_checks: tuple[HoldCheck, ...] = ()
