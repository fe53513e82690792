"""The running system's parts, composed once per process: settings, database, clock, services.

Built by the application factory and by CLI commands; never at import time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from clearway.audit import keys as audit_keys
from clearway.clock import korea_date, utcnow
from clearway.config import Settings
from clearway.db import make_engine, make_session_factory
from clearway.declaration.service import DeclarationService
from clearway.declaration.steps import FilingSteps
from clearway.identity.throttle import LoginThrottle
from clearway.messaging.bus import MessageBus
from clearway.messaging.wiring import make_bus
from clearway.tariff.nomenclature import bundled_nomenclature
from clearway.wiring import filing_steps


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    declarations: DeclarationService
    bus: MessageBus
    clock: Callable[[], datetime] = field(default=utcnow)
    logins: LoginThrottle = field(default_factory=LoginThrottle)

    def today(self) -> date:
        """Today in Korea by the runtime's clock: the date every domain files, assesses and reports on."""
        return korea_date(self.clock())

    def close(self) -> None:
        self.bus.close()
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
    declarations = DeclarationService(
        steps=steps if steps is not None else filing_steps(settings, clock),
        nomenclature=bundled_nomenclature(),
        clock=clock,
    )
    sessions = make_session_factory(engine)
    audit_key = audit_keys.load_key(settings)
    sessions.configure(info={audit_keys.SESSION_KEY: audit_key})
    audit_keys.bind(engine, audit_key)
    logins = LoginThrottle(pair_limit=settings.login_pair_limit, address_limit=settings.login_address_limit)
    bus = make_bus(settings, sessions, clock)
    return Runtime(settings, engine, sessions, declarations, bus, clock, logins)
