"""Pure rules of reliable delivery: the retry schedule (exponential backoff with jitter, then the dead-letter
list) and the circuit breaker that stops one dead endpoint from taking every delivery slot.

No I/O and no clock of its own: the caller passes the time and the random draw, so the rules are tested as
functions.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Attempt ``n`` (1-based) that failed waits ``base * factor**(n-1)`` (at most ``cap``), scaled by a jitter
    in ``[1 - jitter, 1]`` (so retries from many deliveries do not arrive together); after ``max_attempts``
    failed attempts the delivery is dead-lettered."""

    base_seconds: float = 2.0
    factor: float = 2.0
    cap_seconds: float = 600.0
    jitter: float = 0.5
    max_attempts: int = 8

    def delay(self, attempts: int, draw: float) -> timedelta:
        """The wait after the ``attempts``-th failure; ``draw`` is a uniform random number in [0, 1)."""
        raw = min(self.cap_seconds, self.base_seconds * self.factor ** max(0, attempts - 1))
        return timedelta(seconds=raw * (1.0 - self.jitter * min(max(draw, 0.0), 1.0)))

    def exhausted(self, attempts: int) -> bool:
        return attempts >= self.max_attempts


def is_retryable(status: int | None) -> bool:
    """A connection failure or timeout (no status), 408, 429 and 5xx are worth retrying; another 4xx is the
    endpoint refusing this event for good, a 2xx or 3xx is the endpoint's acceptance."""
    return status is None or status in (408, 429) or status >= 500


def accepted(status: int | None) -> bool:
    return status is not None and 200 <= status < 300


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


@dataclass(frozen=True, slots=True)
class Breaker:
    """One endpoint's circuit: opens after ``threshold`` consecutive failures; after ``cool_down`` one trial
    delivery is let through (half-open): success closes it, failure opens it again."""

    threshold: int = 5
    cool_down: timedelta = timedelta(seconds=30)
    failures: int = 0
    opened_at: datetime | None = None
    trial: bool = field(default=False)

    def state(self, now: datetime) -> BreakerState:
        if self.opened_at is None:
            return BreakerState.CLOSED
        if now - self.opened_at >= self.cool_down:
            return BreakerState.HALF_OPEN
        return BreakerState.OPEN

    def allows(self, now: datetime) -> bool:
        """May a delivery start now? In half-open state only one trial at a time."""
        state = self.state(now)
        return state is BreakerState.CLOSED or (state is BreakerState.HALF_OPEN and not self.trial)

    def start(self, now: datetime) -> Breaker:
        """A delivery starts (marks the half-open trial as taken)."""
        return replace(self, trial=True) if self.state(now) is BreakerState.HALF_OPEN else self

    def succeeded(self) -> Breaker:
        return replace(self, failures=0, opened_at=None, trial=False)

    def failed(self, now: datetime) -> Breaker:
        failures = self.failures + 1
        if self.opened_at is not None or failures >= self.threshold:
            return replace(self, failures=failures, opened_at=now, trial=False)
        return replace(self, failures=failures, trial=False)

    def reopens_at(self) -> datetime | None:
        return None if self.opened_at is None else self.opened_at + self.cool_down
