"""Recorded rights, counterfeit screening and the hold procedure (지식재산권 보호, 관세법 제235조). Pure.

* A **recorded right** (:class:`RecordedRight`) is what screening needs of an approved recording: the word
  marks in every script, the HS scope where fakes appear, the authorised importers (사업자등록번호), the genuine
  origins and unit-price bands per HS6 and origin, and whether genuine parallel imports (진정상품 병행수입) are
  permitted.
* **Screening** (:func:`screen_line`) takes one goods line — of a declaration now, of a manifest later; it
  only needs a :class:`ScreenLine` — and returns one :class:`Suspicion` per recorded right whose mark it
  mentions, each signal with its reason and weight, combined into a score (noisy-OR). Officers only see these.
* The **hold** (통관보류) is a small state machine (:data:`HOLD_TRANSITIONS`) with deadlines in working days.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_CEILING, Decimal
from enum import StrEnum

from clearway.ipr.calendar import add_working_days
from clearway.ipr.marks import MarkHit, PreparedMark, find_mark

# Signal weights (tuned on the generator's *tuning* patterns only; see benchmarks/ipr/RESULTS.md).
W_MARK = 0.2  # times the mark similarity: a mention alone is never a suspicion
W_UNAUTHORISED = 0.5  # importer not authorised, parallel imports not permitted by the recording
W_UNAUTHORISED_PARALLEL = 0.15  # importer not authorised, but genuine parallel imports are permitted
W_PRICE_FAR_BELOW = 0.6  # unit price below half the genuine band's minimum
W_PRICE_BELOW = 0.3  # unit price below the band's minimum
W_ORIGIN = 0.35  # origin not among the genuine origins
THRESHOLD = 0.5  # a score at or above this is a suspicion
FAR_BELOW = Decimal("0.5")

# 지식재산권 보호를 위한 수출입통관 사무처리에 관한 고시 / 관세법 시행령 제239조 (as this project reads them): the
# right holder answers a notice of suspension within 10 working days; security for a hold is 120/100 of the
# customs value of the goods held (관세법 시행령 제241조: 과세가격의 100분의 120).
ANSWER_WORKING_DAYS = 10
SECURITY_RATE = Decimal("1.2")


class RecordingStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class PriceBand:
    """The unit price of genuine goods of one HS6 from one origin (``*`` for any), in ``currency``."""

    hs6: str
    origin: str
    currency: str
    min_unit_price: Decimal
    max_unit_price: Decimal


@dataclass(frozen=True, slots=True)
class RecordedRight:
    id: int
    marks: tuple[str, ...]
    hs_scopes: tuple[str, ...]
    authorised_brns: frozenset[str] = frozenset()
    genuine_origins: frozenset[str] = frozenset()
    price_bands: tuple[PriceBand, ...] = ()
    parallel_imports_allowed: bool = False
    valid_from: date | None = None
    valid_to: date | None = None
    prepared: tuple[PreparedMark, ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        # The marks normalised once, so screening many lines does not redo it.
        object.__setattr__(self, "prepared", tuple(PreparedMark.of(m) for m in self.marks))

    def in_scope(self, commodity_code: str | None) -> bool:
        return commodity_code is None or any(commodity_code.startswith(s) for s in self.hs_scopes)

    def in_force(self, on: date) -> bool:
        started = self.valid_from is None or self.valid_from <= on
        return started and (self.valid_to is None or on <= self.valid_to)


@dataclass(frozen=True, slots=True)
class ScreenLine:
    """One goods line to screen (a declaration's goods item or a manifest line)."""

    line_number: int
    description: str
    commodity_code: str | None
    origin_country: str | None
    quantity: Decimal | None
    amount: Decimal | None
    currency: str | None
    importer_brn: str | None

    @property
    def unit_price(self) -> Decimal | None:
        if self.amount is None or not self.quantity:
            return None
        return self.amount / self.quantity


@dataclass(frozen=True, slots=True)
class Signal:
    code: str
    weight: float
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "weight": self.weight, "message": self.message}


@dataclass(frozen=True, slots=True)
class Suspicion:
    line_number: int
    recording_id: int
    mark: MarkHit
    signals: tuple[Signal, ...]
    score: float

    @property
    def suspected(self) -> bool:
        return self.score >= THRESHOLD

    def as_dict(self) -> dict[str, object]:
        return {
            "line_number": self.line_number,
            "recording_id": self.recording_id,
            "score": self.score,
            "suspected": self.suspected,
            "mark": self.mark.mark,
            "found": self.mark.found,
            "how": self.mark.how,
            "signals": [s.as_dict() for s in self.signals],
        }


def combine(weights: Sequence[float]) -> float:
    """Noisy-OR: 1 − Π(1 − w). Order-free, monotone, never above 1."""
    rest = 1.0
    for w in weights:
        rest *= 1.0 - min(max(w, 0.0), 1.0)
    return round(1.0 - rest, 4)


def _in_krw(amount: Decimal, currency: str, rates: Mapping[str, Decimal]) -> Decimal | None:
    if currency == "KRW":
        return amount
    rate = rates.get(currency)
    return None if rate is None else amount * rate


def band_for(right: RecordedRight, line: ScreenLine) -> PriceBand | None:
    hs6 = (line.commodity_code or "")[:6]
    exact = [b for b in right.price_bands if b.hs6 == hs6 and b.origin == line.origin_country]
    anywhere = [b for b in right.price_bands if b.hs6 == hs6 and b.origin == "*"]
    bands = exact or anywhere
    return bands[0] if bands else None


def price_signal(right: RecordedRight, line: ScreenLine, rates: Mapping[str, Decimal]) -> Signal | None:
    band, unit = band_for(right, line), line.unit_price
    if band is None or unit is None or line.currency is None:
        return None
    price: Decimal | None = unit
    floor: Decimal | None = band.min_unit_price
    if line.currency != band.currency:  # compared in KRW at the week's customs exchange rate (과세환율)
        price, floor = _in_krw(unit, line.currency, rates), _in_krw(band.min_unit_price, band.currency, rates)
    if price is None or floor is None:
        return None
    if price >= floor:
        return None
    share = (price / floor * 100).quantize(Decimal(1))
    if price < floor * FAR_BELOW:
        return Signal(
            "price_far_below_genuine",
            W_PRICE_FAR_BELOW,
            f"unit price is {share}% of the genuine minimum for HS {band.hs6} ({band.origin})",
        )
    return Signal(
        "price_below_genuine",
        W_PRICE_BELOW,
        f"unit price is {share}% of the genuine minimum for HS {band.hs6} ({band.origin})",
    )


def screen_line(
    line: ScreenLine, rights: Sequence[RecordedRight], *, on: date, rates: Mapping[str, Decimal] | None = None
) -> list[Suspicion]:
    """Every recorded right in force on ``on`` whose mark ``line`` mentions, with its signals and score."""
    out = []
    for right in rights:
        if not right.in_force(on) or not right.in_scope(line.commodity_code):
            continue
        hit = find_mark(line.description, right.prepared)
        if hit is None:
            continue
        signals = [
            Signal(
                "mark_mentioned",
                round(W_MARK * hit.similarity, 4),
                f"'{hit.found}' matches the recorded mark {hit.mark} ({hit.how})",
            )
        ]
        authorised = line.importer_brn is not None and _digits(line.importer_brn) in right.authorised_brns
        if not authorised:
            if right.parallel_imports_allowed:
                signals.append(
                    Signal(
                        "importer_not_authorised",
                        W_UNAUTHORISED_PARALLEL,
                        "importer is not an authorised importer (parallel imports are permitted)",
                    )
                )
            else:
                signals.append(
                    Signal(
                        "importer_not_authorised",
                        W_UNAUTHORISED,
                        "importer is not an authorised importer or licensee",
                    )
                )
        price = price_signal(right, line, rates or {})
        if price is not None:
            signals.append(price)
        if right.genuine_origins and line.origin_country and line.origin_country not in right.genuine_origins:
            signals.append(
                Signal("origin_not_genuine", W_ORIGIN, f"genuine goods are not made in {line.origin_country}")
            )
        out.append(
            Suspicion(line.line_number, right.id, hit, tuple(signals), combine([s.weight for s in signals]))
        )
    return out


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


# ---- the hold --------------------------------------------------------------------------------------------


class HoldStatus(StrEnum):
    AWAITING_RIGHT_HOLDER = "awaiting_right_holder"  # notified; the right holder has to answer
    CONFIRMED = "confirmed"  # the right holder says it is a fake and gave security
    DISPUTED = "disputed"  # the right holder says the goods are genuine (or does not pursue)
    RELEASED = "released"  # the officer released the goods
    SEIZED = "seized"  # the officer seized the goods


class HoldAction(StrEnum):
    CONFIRM = "confirm"
    NOT_COUNTERFEIT = "not_counterfeit"
    RELEASE = "release"
    SEIZE = "seize"


OPEN_STATUSES = frozenset({HoldStatus.AWAITING_RIGHT_HOLDER, HoldStatus.CONFIRMED, HoldStatus.DISPUTED})

HOLD_TRANSITIONS: dict[tuple[HoldStatus, HoldAction], HoldStatus] = {
    (HoldStatus.AWAITING_RIGHT_HOLDER, HoldAction.CONFIRM): HoldStatus.CONFIRMED,
    (HoldStatus.AWAITING_RIGHT_HOLDER, HoldAction.NOT_COUNTERFEIT): HoldStatus.DISPUTED,
    (HoldStatus.AWAITING_RIGHT_HOLDER, HoldAction.RELEASE): HoldStatus.RELEASED,
    (HoldStatus.CONFIRMED, HoldAction.RELEASE): HoldStatus.RELEASED,
    (HoldStatus.CONFIRMED, HoldAction.SEIZE): HoldStatus.SEIZED,
    (HoldStatus.DISPUTED, HoldAction.RELEASE): HoldStatus.RELEASED,
}


def next_status(status: HoldStatus, action: HoldAction) -> HoldStatus | None:
    return HOLD_TRANSITIONS.get((status, action))


def answer_due(notified_on: date) -> date:
    """The last day the right holder may answer: 10 working days after the notice (its day not counted)."""
    return add_working_days(notified_on, ANSWER_WORKING_DAYS)


def required_security(customs_value_krw: Decimal | None) -> Decimal:
    """Security for a hold: 120/100 of the customs value, whole won rounded up (at least 1 won)."""
    if customs_value_krw is None:
        return Decimal(1)
    return max((customs_value_krw * SECURITY_RATE).quantize(Decimal(1), rounding=ROUND_CEILING), Decimal(1))


def overdue(status: HoldStatus, due: date, today: date) -> bool:
    return status is HoldStatus.AWAITING_RIGHT_HOLDER and today > due
