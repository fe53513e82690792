"""The retry schedule and the circuit breaker, as functions of attempts, time and the random draw."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from clearway.messaging.reliability import Breaker, BreakerState, RetryPolicy, accepted, is_retryable

T0 = datetime(2026, 11, 20, tzinfo=UTC)
policies = st.builds(
    RetryPolicy,
    base_seconds=st.floats(0.1, 60),
    factor=st.floats(1.0, 4.0),
    cap_seconds=st.floats(60, 3600),
    jitter=st.floats(0, 1),
    max_attempts=st.integers(1, 20),
)


@given(policies, st.integers(1, 30), st.floats(0, 1))
def test_the_wait_grows_with_each_failure_up_to_the_cap_and_jitter_only_shortens_it(
    policy: RetryPolicy, attempts: int, draw: float
) -> None:
    raw = min(policy.cap_seconds, policy.base_seconds * policy.factor ** (attempts - 1))
    wait = policy.delay(attempts, draw).total_seconds()
    assert raw * (1 - policy.jitter) - 1e-6 <= wait <= raw + 1e-6
    assert policy.delay(attempts + 1, 0.0) >= policy.delay(attempts, 0.0)


@given(policies)
def test_a_delivery_is_dead_lettered_exactly_after_the_last_attempt(policy: RetryPolicy) -> None:
    assert [policy.exhausted(n) for n in range(policy.max_attempts + 1)] == [False] * policy.max_attempts + [
        True
    ]


def test_what_is_worth_retrying() -> None:
    assert is_retryable(None) and is_retryable(503) and is_retryable(429) and is_retryable(408)
    assert not is_retryable(400) and not is_retryable(410) and not is_retryable(204)
    assert accepted(204) and not accepted(302) and not accepted(None)


@given(st.integers(1, 10), st.integers(0, 30))
def test_the_circuit_opens_after_the_threshold_of_consecutive_failures(threshold: int, failures: int) -> None:
    breaker = Breaker(threshold=threshold, cool_down=timedelta(seconds=30))
    for _ in range(failures):
        breaker = breaker.failed(T0)
    assert breaker.allows(T0) is (failures < threshold)
    assert breaker.succeeded().allows(T0)  # one success closes it again


def test_half_open_lets_one_trial_through_after_the_cool_down() -> None:
    breaker = Breaker(threshold=2, cool_down=timedelta(seconds=30)).failed(T0).failed(T0)
    assert breaker.state(T0 + timedelta(seconds=29)) is BreakerState.OPEN
    later = T0 + timedelta(seconds=30)
    assert breaker.state(later) is BreakerState.HALF_OPEN and breaker.allows(later)
    trying = breaker.start(later)
    assert not trying.allows(later)  # one trial at a time
    assert trying.failed(later).state(later) is BreakerState.OPEN  # the trial failed: open again
    assert trying.failed(later).reopens_at() == later + timedelta(seconds=30)
    assert trying.succeeded().state(later) is BreakerState.CLOSED
