"""Where each value of a JSON text starts: JSON pointer → line number (1-based). Pure.

Lets a field error link to the line of the pasted declaration it is about. A pointer that does not occur (a
missing field) is placed at its nearest existing parent.
"""

from __future__ import annotations

import json
import re

_WS = re.compile(r"[ \t\r\n]*")
_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null")
_decoder = json.JSONDecoder()


def _skip(raw: str, at: int) -> int:
    """Past the whitespace at ``at`` (the pattern matches the empty string, so there is always a match)."""
    match = _WS.match(raw, at)
    return match.end() if match is not None else at


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def pointer_lines(raw: str) -> dict[str, int]:
    """Line of every value in ``raw`` (empty when ``raw`` is not valid JSON)."""
    found: dict[str, int] = {}
    try:
        _value(raw, _skip(raw, 0), "", found)
    except (ValueError, IndexError):
        return {}
    return found


def line_of(pointer: str, lines: dict[str, int]) -> int | None:
    """The line of ``pointer``, or of its nearest parent that occurs."""
    while True:
        if pointer in lines:
            return lines[pointer]
        if not pointer:
            return None
        pointer = pointer.rsplit("/", 1)[0]


def _value(raw: str, at: int, pointer: str, found: dict[str, int]) -> int:
    found[pointer] = raw.count("\n", 0, at) + 1
    char = raw[at]
    if char == "{":
        return _container(raw, at, pointer, found, "}", keyed=True)
    if char == "[":
        return _container(raw, at, pointer, found, "]", keyed=False)
    if char == '"':
        _, end = json.decoder.scanstring(raw, at + 1)  # type: ignore[attr-defined]
        return int(end)
    match = _SCALAR.match(raw, at)
    if match is None:
        raise ValueError(f"unexpected {char!r} at {at}")
    return match.end()


def _container(raw: str, at: int, pointer: str, found: dict[str, int], close: str, *, keyed: bool) -> int:
    at = _skip(raw, at + 1)
    index = 0
    if raw[at] == close:
        return at + 1
    while True:
        if keyed:
            key, at = json.decoder.scanstring(raw, at + 1)  # type: ignore[attr-defined]
            at = _skip(raw, at)
            if raw[at] != ":":
                raise ValueError("expected ':'")
            at = _skip(raw, at + 1)
            child = f"{pointer}/{_escape(key)}"
        else:
            child = f"{pointer}/{index}"
        at = _skip(raw, _value(raw, at, child, found))
        index += 1
        if raw[at] == close:
            return at + 1
        if raw[at] != ",":
            raise ValueError("expected ','")
        at = _skip(raw, at + 1)
