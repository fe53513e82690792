"""Bulk work without the cyclic garbage collector's full scans.

A batch of a thousand declarations allocates hundreds of thousands of objects that live until it ends, so the
collector's generation counters fill up and it runs full collections, each walking every object of the process
(the served models, the tariff, the nomenclature: some 400,000 objects, about half a second). Inside
:func:`collection_paused` automatic collection is off; objects are still freed by reference counting as usual,
and whatever cycles the work left are collected as normal once the last paused block in the process ends.
Threads share the collector, so the pause is counted: collection resumes when no thread is inside a block.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_resume = False  # whether collection was on when the first block began


@contextmanager
def collection_paused() -> Iterator[None]:
    global _depth, _resume
    with _lock:
        if _depth == 0:
            _resume = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _resume:
                gc.enable()
