"""The running system's parts, composed once per process: settings, database, clock, services.

Built by the application factory and by CLI commands; never at import time. The declaration service (and so
``clearway.wiring``, which imports the model libraries its filing steps use) and the message bus are composed
on first use, so a command that needs neither (``clearway audit verify``) starts without them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from clearway import caches as runtime_caches
from clearway.audit import keys as audit_keys
from clearway.clock import korea_date, utcnow
from clearway.config import Settings
from clearway.db import make_engine, make_session_factory
from clearway.identity.throttle import LoginThrottle

if TYPE_CHECKING:
    from clearway.declaration.service import DeclarationService
    from clearway.declaration.steps import FilingSteps
    from clearway.messaging.bus import MessageBus


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    clock: Callable[[], datetime] = field(default=utcnow)
    logins: LoginThrottle = field(default_factory=LoginThrottle)
    # the filing steps; None composes them from clearway.wiring when the declaration service is first used
    steps: FilingSteps | None = None
    # models, indexes and tables kept loaded between requests: this runtime's own (clearway.caches)
    caches: runtime_caches.Caches = field(default_factory=runtime_caches.Caches)
    _declarations: DeclarationService | None = field(default=None, init=False, repr=False)
    _bus: MessageBus | None = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def today(self) -> date:
        """Today in Korea by the runtime's clock: the date every domain files, assesses and reports on."""
        return korea_date(self.clock())

    @property
    def declarations(self) -> DeclarationService:
        """The declaration service, composed once (thread-safe) on first use."""
        service = self._declarations
        if service is None:
            with self._lock:
                if self._declarations is None:
                    self._declarations = self._compose_declarations()
                service = self._declarations
        return service

    def _compose_declarations(self) -> DeclarationService:
        from clearway.declaration.service import DeclarationService
        from clearway.receipts.core import signing_key
        from clearway.tariff.nomenclature import bundled_nomenclature

        steps = self.steps
        if steps is None:
            from clearway.wiring import filing_steps

            steps = filing_steps(self.settings, self.clock)
        return DeclarationService(
            steps=steps,
            nomenclature=bundled_nomenclature(),
            clock=self.clock,
            receipt_key=signing_key(self.settings.secret_key),
        )

    @property
    def bus(self) -> MessageBus:
        """The message bus for the settings (RabbitMQ, or in-process with the webhook deliverer attached)."""
        bus = self._bus
        if bus is None:
            with self._lock:
                if self._bus is None:
                    from clearway.messaging.wiring import make_bus

                    self._bus = make_bus(self.settings, self.sessions, self.clock)
                bus = self._bus
        return bus

    def close(self) -> None:
        if self._bus is not None:
            self._bus.close()
        self.caches.clear()
        self._declarations = None  # its filing steps hold the risk snapshot cache: dropped with the runtime
        self.engine.dispose()


def build_runtime(
    settings: Settings,
    *,
    clock: Callable[[], datetime] = utcnow,
    steps: FilingSteps | None = None,
    engine: Engine | None = None,
) -> Runtime:
    settings.home.mkdir(parents=True, exist_ok=True)
    engine = engine or make_engine(settings.resolved_database_url)
    sessions = make_session_factory(engine)
    audit_key = audit_keys.load_key(settings)
    caches = runtime_caches.Caches()
    sessions.configure(info={audit_keys.SESSION_KEY: audit_key, runtime_caches.SESSION_KEY: caches})
    audit_keys.bind(engine, audit_key)
    logins = LoginThrottle(pair_limit=settings.login_pair_limit, address_limit=settings.login_address_limit)
    return Runtime(settings, engine, sessions, clock, logins, steps, caches)
