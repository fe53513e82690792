"""Bulk work without the cyclic garbage collector's full scans.

A batch of a thousand declarations allocates hundreds of thousands of objects that live until it ends, so the
collector's generation counters fill up and it runs full collections, each walking every object of the process
(the served models, the tariff, the nomenclature: some 400,000 objects, about half a second). Inside
:func:`collection_paused` automatic collection is off; objects are still freed by reference counting as usual,
and whatever cycles the work left are collected as normal once the last pause in the process ends.
:func:`paused_until_transaction_ends` holds the pause until the session's transaction ends (commit, rollback or
close): a batch's objects live until its commit, and a collection between the batch and the commit would walk
them all once more. Threads share the collector, so pauses are counted: collection resumes when none is held.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

_lock = threading.Lock()
_depth = 0
_resume = False  # whether collection was on when the first block began


def _hold() -> None:
    global _depth, _resume
    with _lock:
        if _depth == 0:
            _resume = gc.isenabled()
            gc.disable()
        _depth += 1


def _release() -> None:
    global _depth
    with _lock:
        _depth -= 1
        if _depth == 0 and _resume:
            gc.enable()


@contextmanager
def collection_paused() -> Iterator[None]:
    _hold()
    try:
        yield
    finally:
        _release()


def paused_until_transaction_ends(session: Session) -> None:
    """Pause collection until the session's outermost transaction ends (begun here if none is)."""
    if not session.in_transaction():
        session.begin()  # so that an end always comes: the commit, the rollback or the session's close
    released = False

    def release(_session: Session, transaction: SessionTransaction) -> None:
        nonlocal released
        if transaction.parent is None and not released:
            released = True
            _release()

    _hold()
    event.listen(session, "after_transaction_end", release)
