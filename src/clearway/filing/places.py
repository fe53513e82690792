"""Where in the sender's own file a field of the declaration came from. Pure.

A channel that translates a file into the declaration document records, for each JSON pointer it fills, the
place in the file (an EDIFACT segment and element, a spreadsheet cell). A validation error names a JSON pointer;
:func:`locate` finds the place of that pointer, or of its nearest parent that has one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

P = TypeVar("P")


def locate(places: Mapping[str, P], pointer: str) -> P | None:
    """The place of ``pointer`` or of its nearest recorded parent (``/items/0/quantity`` → ``/items/0``)."""
    path = pointer
    while True:
        if path in places:
            return places[path]
        if not path:
            return None
        path = path.rsplit("/", 1)[0]
