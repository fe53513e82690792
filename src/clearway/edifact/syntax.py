"""The UN/EDIFACT envelope and segment helpers every message reader and writer shares. Pure.

Reading: :func:`read_interchange` tokenises an interchange with pydifact and splits it into its UNH…UNT
messages, checking the UNZ message count; :func:`trailer_problems` checks a message's UNT (segment count and
reference); :func:`advance` checks segment order against a message structure. Writing: :func:`segment` escapes
and joins elements (``UNA:+.? '``), trailing empty elements dropped.

A message structure maps a group name to its ordered entries; an entry is a segment tag, or ``TAG/GROUP`` for a
segment group triggered by ``TAG`` (the group's own entries exclude the trigger). The root group is ``UNH``.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydifact.parser import Parser
from pydifact.segments import Segment

from clearway.errors import FieldError

UNA = "UNA:+.? '"
Structure = Mapping[str, tuple[str, ...]]


def el(segment: Segment, index: int, part: int | None = None) -> str:
    """Element ``index`` of a segment (its first component if composite), or component ``part``; '' if absent."""
    els = segment.elements
    if index >= len(els):
        return ""
    value = els[index]
    if part is None:
        return str(value[0]) if isinstance(value, list) else str(value)
    if isinstance(value, list):
        return str(value[part]) if part < len(value) else ""
    return str(value) if part == 0 else ""


def components(segment: Segment, index: int) -> list[str]:
    """Every component of element ``index`` (a simple element is a list of one)."""
    if index >= len(segment.elements):
        return []
    value = segment.elements[index]
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


@dataclass
class Envelope:
    """An interchange split into messages; ``problem`` when it cannot be read at all, ``count_problem`` when UNZ
    miscounts its messages (every message is then rejected)."""

    header: Segment | None = None
    messages: list[list[Segment]] = field(default_factory=list)
    problem: FieldError | None = None
    count_problem: FieldError | None = None

    @property
    def sender(self) -> str:
        return el(self.header, 1) if self.header is not None else ""

    @property
    def control(self) -> str:
        return el(self.header, 4) if self.header is not None else ""


def read_interchange(text: str) -> Envelope:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            raw = list(Parser().parse(text))  # tokenised once; pydifact's Interchange would parse it again
    except Exception as exc:  # pydifact raises plain exceptions (ValueError, EDISyntaxError...) on bad syntax
        return Envelope(problem=FieldError("/interchange", "malformed_edifact", str(exc)[:300]))
    if raw and raw[0].tag == "UNA":
        raw = raw[1:]
    if not raw or raw[0].tag != "UNB" or not isinstance(raw[0].elements[0], list):
        return Envelope(
            problem=FieldError(
                "/interchange", "malformed_edifact", "an interchange starts with UNB (after UNA)"
            )
        )
    header = raw[0]
    footer = raw[-1] if raw[-1].tag == "UNZ" else None
    segments = [s for s in raw[1 : -1 if footer is not None else None] if s.tag not in ("UNG", "UNE")]
    envelope = Envelope(header=header)
    for seg in segments:
        if seg.tag == "UNH":
            envelope.messages.append([seg])
        elif envelope.messages:
            envelope.messages[-1].append(seg)
        else:
            envelope.problem = FieldError("/interchange", "segment_order", f"{seg.tag} before the first UNH")
            return envelope
    if not envelope.messages:
        envelope.problem = FieldError("/interchange", "no_message", "the interchange has no UNH")
    elif footer is None:
        envelope.count_problem = FieldError(
            "/interchange/UNZ", "missing_unz", "the interchange does not end with UNZ"
        )
    elif el(footer, 0) != str(len(envelope.messages)):
        envelope.count_problem = FieldError(
            "/interchange/UNZ",
            "bad_message_count",
            f"UNZ counts {el(footer, 0)} messages; the interchange has {len(envelope.messages)}",
        )
    return envelope


def message_type(head: Segment) -> tuple[str, str]:
    """(type, release) of a UNH, e.g. ('CUSDEC', '96B'); release '' unless the directory is a D release."""
    if el(head, 1, 1) != "D":
        return el(head, 1, 0), ""
    return el(head, 1, 0), el(head, 1, 2)


def trailer_problems(segments: list[Segment]) -> list[tuple[int, str, str, str]]:
    """(segment number, tag, code, message) for each problem of the message's UNT: missing, or its segment count
    or message reference not matching."""
    reference = el(segments[0], 0)
    tail = segments[-1]
    if tail.tag != "UNT":
        return [(len(segments), tail.tag, "missing_unt", "the message does not end with UNT")]
    problems = []
    if el(tail, 0) != str(len(segments)):
        problems.append(
            (
                len(segments),
                "UNT",
                "bad_segment_count",
                f"UNT counts {el(tail, 0)} segments; the message has {len(segments)}",
            )
        )
    if el(tail, 1) != reference:
        problems.append(
            (len(segments), "UNT", "bad_reference", f"UNT names message {el(tail, 1)}, not {reference}")
        )
    return problems


def _entry(entry: str) -> tuple[str, str | None]:
    tag, _, group = entry.partition("/")
    return tag, group or None


def new_stack() -> list[list[Any]]:
    return [["UNH", -1]]


def advance(structure: Structure, stack: list[list[Any]], tag: str) -> str | None:
    """Move the group stack past one segment, or say why it cannot stand here (``segment_order`` for a segment of
    the structure in the wrong place, ``unsupported_segment`` for one the structure does not have)."""
    for depth in range(len(stack) - 1, -1, -1):
        group, position = stack[depth]
        entries = structure[group]
        for index in range(max(position, 0), len(entries)):
            name, child = _entry(entries[index])
            if name == tag:
                del stack[depth + 1 :]
                stack[depth][1] = index
                if child is not None:
                    stack.append([child, -1])
                return None
    known = {_entry(e)[0] for entries in structure.values() for e in entries}
    return "segment_order" if tag in known else "unsupported_segment"


def escape(value: Any) -> str:
    text = str(value)
    for char in "?+:'":
        text = text.replace(char, "?" + char)
    return text


def segment(tag: str, *elements: Any) -> str:
    """One segment: a tuple/list element is composite (trailing empty components dropped), None is empty."""
    parts = []
    for element in elements:
        if isinstance(element, (list, tuple)):
            items = ["" if c is None else escape(c) for c in element]
            while items and items[-1] == "":
                items.pop()
            parts.append(":".join(items))
        else:
            parts.append("" if element is None else escape(element))
    while parts and parts[-1] == "":
        parts.pop()
    return "+".join([tag, *parts]) + "'"
