"""Slowing down password guessing: after ``limit`` failed sign-ins for a username (or from one client address)
within ``window``, further attempts are refused until ``lockout`` has passed — even with the right password.

Kept in the process's memory: every API process counts on its own, so with N processes an attacker gets at most
N × ``limit`` guesses per window. Argon2's cost bounds the rest.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from clearway.errors import ClearwayError


class TooManyAttempts(ClearwayError):
    type = "too-many-attempts"
    title = "Too many failed sign-ins"
    status = 429


@dataclass
class LoginThrottle:
    limit: int = 5
    window: timedelta = timedelta(minutes=15)
    lockout: timedelta = timedelta(minutes=15)
    _failures: dict[str, list[datetime]] = field(default_factory=dict)
    _locked_until: dict[str, datetime] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def check(self, keys: tuple[str, ...], now: datetime) -> None:
        with self._lock:
            for key in keys:
                until = self._locked_until.get(key)
                if until is not None and until > now:
                    raise TooManyAttempts(
                        f"sign-in is paused after repeated failures; try again after {until:%H:%M} UTC",
                        retry_after_seconds=int((until - now).total_seconds()) + 1,
                    )

    def failed(self, keys: tuple[str, ...], now: datetime) -> None:
        with self._lock:
            for key in keys:
                recent = [t for t in self._failures.get(key, []) if now - t < self.window] + [now]
                if len(recent) >= self.limit:
                    self._locked_until[key] = now + self.lockout
                    recent = []
                self._failures[key] = recent

    def succeeded(self, keys: tuple[str, ...]) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)
