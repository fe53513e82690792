"""What one :class:`~clearway.runtime.Runtime` keeps loaded between requests: the models read from disk (risk,
cargo, traveller, classification, assistant), indexes derived from stored rows (traveller watchlists), the
shared tariff tables and the parcel screener.

A :class:`Caches` belongs to one runtime: two runtimes in one process (the tests build many, over different
databases and model folders) share nothing, and ``Runtime.close()`` clears it. Each domain keeps its entries
in a named slot through its own typed accessor (``risk.registry.registry_for``, ``cargo.learning.current``…),
so this module knows no domain. Services reach it from the session (the runtime's session factory carries it
in ``session.info``, see :func:`of`) or are handed it; with none (a session made outside a runtime) a domain
loads what it needs for that call only, caching nothing.

Pure read-only tables loaded from the package's own data (code lists, the bundled nomenclature, rules of
origin, the HS hierarchy, the guidance corpus, the Jinja environment) stay module-level ``functools.cache``:
they are the same for every runtime, never change while the process runs and hold no state of a database.
"""

from __future__ import annotations

import threading
from typing import Any

SESSION_KEY = "clearway.caches"


class Caches:
    """Named slots (name → dict) with one re-entrant lock; :meth:`clear` drops every entry."""

    def __init__(self) -> None:
        self._slots: dict[str, dict[Any, Any]] = {}
        self.lock = threading.RLock()

    def slot(self, name: str) -> dict[Any, Any]:
        """The dict kept under ``name`` (created empty on first use). Callers hold :attr:`lock` while they
        read-then-write it."""
        with self.lock:
            return self._slots.setdefault(name, {})

    def entries(self) -> dict[str, int]:
        """How many entries each slot holds (for tests and diagnostics)."""
        with self.lock:
            return {name: len(slot) for name, slot in self._slots.items() if slot}

    def clear(self) -> None:
        with self.lock:
            for slot in self._slots.values():
                slot.clear()
            self._slots.clear()


def of(session: Any) -> Caches | None:
    """The caches of the runtime whose session factory made ``session`` (None for another session)."""
    info = getattr(session, "info", None)
    found = info.get(SESSION_KEY) if info is not None else None
    return found if isinstance(found, Caches) else None
