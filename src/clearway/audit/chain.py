"""The hash chain, pure: how an event's hash is computed and how a sequence of events is verified.

Each event carries the hash of the event before it (``prev_hash``) and its own hash over a canonical JSON
form of its fields plus ``prev_hash``. Editing an event breaks its own hash; inserting or deleting one breaks
the link of the event after it (and leaves a gap or a repeat in the sequence numbers); deleting events at the
end is caught by the chain head, which records the last sequence number and hash.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64


def canonical_time(moment: datetime) -> str:
    """UTC, microseconds, no offset: the same string whatever the database gives back."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="microseconds")


@dataclass(frozen=True, slots=True)
class ChainedEvent:
    seq: int
    occurred_at: datetime
    actor: str
    subject_type: str
    subject_id: str
    action: str
    reason: str | None
    data: dict[str, Any]
    prev_hash: str
    hash: str = ""

    def payload(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "occurred_at": canonical_time(self.occurred_at),
            "actor": self.actor,
            "subject_type": self.subject_type,
            "subject_id": self.subject_id,
            "action": self.action,
            "reason": self.reason,
            "data": self.data,
            "prev_hash": self.prev_hash,
        }


def compute_hash(event: ChainedEvent) -> str:
    text = json.dumps(event.payload(), sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Finding:
    seq: int | None
    kind: str  # edited | inserted_or_reordered | deleted | truncated | head_mismatch
    message: str


@dataclass(slots=True)
class Verification:
    events_checked: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.findings


def verify(events: Iterable[ChainedEvent], head: tuple[int, str] | None) -> Verification:
    """Walk events in sequence order and report every break, naming the event."""
    result = Verification()
    expected_prev = GENESIS
    expected_seq = 1
    last: ChainedEvent | None = None
    for event in events:
        result.events_checked += 1
        if event.seq > expected_seq:
            missing = f"{expected_seq}" if event.seq == expected_seq + 1 else f"{expected_seq}..{event.seq - 1}"
            result.findings.append(
                Finding(expected_seq, "deleted", f"event(s) {missing} missing before event {event.seq}")
            )
        elif event.seq < expected_seq:
            result.findings.append(
                Finding(event.seq, "inserted_or_reordered", f"event {event.seq} repeats or is out of order")
            )
        if compute_hash(event) != event.hash:
            result.findings.append(
                Finding(event.seq, "edited", f"event {event.seq} ({event.action} on {event.subject_type} "
                        f"{event.subject_id}) does not match its hash: its content was changed")
            )
        if event.prev_hash != expected_prev and event.seq == expected_seq:
            result.findings.append(
                Finding(event.seq, "inserted_or_reordered",
                        f"event {event.seq} does not link to the event before it: an event was inserted or "
                        "replaced before it")
            )
        expected_prev = event.hash
        expected_seq = max(expected_seq, event.seq) + 1
        last = event
    if head is not None:
        head_seq, head_hash = head
        last_seq = last.seq if last else 0
        if head_seq > last_seq:
            result.findings.append(
                Finding(last_seq + 1, "truncated", f"events {last_seq + 1}..{head_seq} were deleted from the end")
            )
        elif head_seq < last_seq or (last is not None and head_hash != last.hash):
            result.findings.append(
                Finding(last_seq, "head_mismatch", "the chain head does not match the last event")
            )
    return result


def chain(previous: tuple[int, str], drafts: Iterable[dict[str, Any]]) -> list[ChainedEvent]:
    """Give drafts (dicts of the event fields without seq/hash) their place in the chain."""
    seq, prev_hash = previous
    out = []
    for draft in drafts:
        seq += 1
        event = ChainedEvent(seq=seq, prev_hash=prev_hash, **draft)
        event = replace(event, hash=compute_hash(event))
        out.append(event)
        prev_hash = event.hash
    return out

