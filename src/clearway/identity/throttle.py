"""Slowing down password guessing without letting a guesser lock others out.

Failures are counted per (username, client address) pair: after ``pair_limit`` failures within ``window`` that
pair is paused, for ``base_pause`` after the first lockout and twice as long after each further failure
(progressive, at most ``max_pause``). Other clients may still sign in as that user, so five wrong passwords
from one address no longer lock ``officer`` for everyone. A generous per-address limit (``address_limit``
failures within ``window`` over any usernames) stops one address from spraying many usernames; it is high
enough that an office behind one NAT address is not locked by a few typos.

The client address is the peer of the TCP connection; ``X-Forwarded-For`` is believed only when that peer is
one of the configured trusted proxies (:func:`client_address`).

Kept in the process's memory: every API process counts on its own, so with N processes an attacker gets at most
N × the limits per window. Argon2's cost bounds the rest.
"""

from __future__ import annotations

import ipaddress
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from clearway.errors import ClearwayError


class TooManyAttempts(ClearwayError):
    type = "too-many-attempts"
    title = "Too many failed sign-ins"
    status = 429


def _network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    try:
        return ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None


def _in(address: str, networks: Iterable[str]) -> bool:
    networks = list(networks)
    if address in networks:  # a proxy named as written (e.g. a socket name)
        return True
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(net is not None and ip in net for net in map(_network, networks))


def client_address(peer: str | None, forwarded_for: str | None, trusted_proxies: Iterable[str]) -> str:
    """The client behind the connection: ``X-Forwarded-For`` counts only when the peer is a trusted proxy;
    then the right-most address not itself a trusted proxy is the client (the left part is the client's
    to forge)."""
    trusted = list(trusted_proxies)
    if peer is None:
        return "unknown"
    if not forwarded_for or not _in(peer, trusted):
        return peer
    hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
    for hop in reversed(hops):
        if not _in(hop, trusted):
            return hop if _valid_ip(hop) else peer
    return peer


def _valid_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class Attempt:
    """Who is trying: the username as typed (compared case-insensitively) and the client address."""

    username: str
    client: str

    @property
    def pair_key(self) -> str:
        return f"pair:{self.username.lower()}|{self.client}"

    @property
    def address_key(self) -> str:
        return f"addr:{self.client}"


@dataclass
class LoginThrottle:
    pair_limit: int = 5
    address_limit: int = 100
    window: timedelta = timedelta(minutes=15)
    base_pause: timedelta = timedelta(minutes=1)
    max_pause: timedelta = timedelta(hours=1)
    address_pause: timedelta = timedelta(minutes=15)
    _failures: dict[str, list[datetime]] = field(default_factory=dict)
    _locked_until: dict[str, datetime] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def check(self, attempt: Attempt, now: datetime) -> None:
        with self._lock:
            for key in (attempt.pair_key, attempt.address_key):
                until = self._locked_until.get(key)
                if until is not None and until > now:
                    raise TooManyAttempts(
                        f"sign-in is paused after repeated failures; try again after {until:%H:%M:%S} UTC",
                        retry_after_seconds=int((until - now).total_seconds()) + 1,
                    )

    def failed(self, attempt: Attempt, now: datetime) -> bool:
        """Count a failure; True when it paused the pair or the address."""
        with self._lock:
            paused = False
            pair = self._recent(attempt.pair_key, now)
            if len(pair) >= self.pair_limit:
                # progressive: 1×, 2×, 4× ... the base pause for each failure beyond the limit
                factor = 2 ** min(len(pair) - self.pair_limit, 16)
                self._locked_until[attempt.pair_key] = now + min(self.base_pause * factor, self.max_pause)
                paused = True
            address = self._recent(attempt.address_key, now)
            if len(address) >= self.address_limit:
                self._locked_until[attempt.address_key] = now + self.address_pause
                self._failures[attempt.address_key] = []
                paused = True
            return paused

    def _recent(self, key: str, now: datetime) -> list[datetime]:
        recent = [t for t in self._failures.get(key, []) if now - t < self.window] + [now]
        self._failures[key] = recent
        return recent

    def succeeded(self, attempt: Attempt) -> None:
        with self._lock:
            self._failures.pop(attempt.pair_key, None)
            self._locked_until.pop(attempt.pair_key, None)
