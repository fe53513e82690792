"""The hash chain, pure: how an event's hash is computed and how a sequence of events is verified.

Each event carries the hash of the event before it (``prev_hash``) and its own hash over a canonical JSON
form of its fields plus ``prev_hash``. Editing an event breaks its own hash; inserting or deleting one breaks
the link of the event after it (and leaves a gap or a repeat in the sequence numbers); deleting events at the
end is caught by the chain head, which records the last sequence number and hash.

Keyed chain (scheme ``hmac-sha256``, every event since migration 0012): the hash is an HMAC-SHA256 under a key
kept outside the database, over every column that carries meaning (including ``actor_user_id``), so someone
who can write to the database but not read the key cannot recompute the hashes after a rewrite. The head
carries a MAC too, so the tail cannot be cut off and the head set back. Events written before 0012 keep their
plain SHA-256 (scheme ``sha256``); a plain event after a keyed one is reported as a downgrade.

Anchors are checkpoints (seq, hash) signed with the key and kept outside the database (a file): an anchored
event that no longer has its anchored hash was rewritten, and an anchor beyond the last event proves a
truncated tail — even against someone who holds the key but not the anchor file.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64
PLAIN = "sha256"
KEYED = "hmac-sha256"


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
    actor_user_id: int | None = None
    scheme: str = KEYED

    def payload(self) -> dict[str, Any]:
        base = {
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
        if self.scheme == KEYED:
            base.update(actor_user_id=self.actor_user_id, scheme=self.scheme)
        return base


class KeyMissing(RuntimeError):
    """A keyed event cannot be hashed or checked without the audit chain key."""


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def compute_hash(event: ChainedEvent, key: bytes | None = None) -> str:
    text = _CANONICAL.encode(event.payload())
    if event.scheme == PLAIN:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()
    if not key:
        raise KeyMissing("the audit chain key is needed for keyed events")
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def head_mac(key: bytes, last_seq: int, last_hash: str) -> str:
    return hmac.new(key, f"head:{last_seq}:{last_hash}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class Anchor:
    """A signed checkpoint: event ``seq`` had hash ``hash`` when the anchor was taken at ``taken_at``."""

    seq: int
    hash: str
    taken_at: str
    mac: str = ""

    def signed(self, key: bytes) -> Anchor:
        return replace(self, mac=self._mac(key))

    def genuine(self, key: bytes) -> bool:
        return hmac.compare_digest(self.mac, self._mac(key))

    def _mac(self, key: bytes) -> str:
        text = f"anchor:{self.seq}:{self.hash}:{self.taken_at}"
        return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


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


def verify(
    events: Iterable[ChainedEvent],
    head: tuple[int, str] | None,
    *,
    key: bytes | None = None,
    head_signature: str | None = None,
    anchors: Iterable[Anchor] = (),
) -> Verification:
    """Walk events in sequence order and report every break, naming the event."""
    result = Verification()
    anchored: dict[int, Anchor] = {}
    for anchor in anchors:
        if key is None or not anchor.genuine(key):
            result.findings.append(
                Finding(
                    anchor.seq,
                    "anchor_forged",
                    f"the anchor of event {anchor.seq} is not signed with the audit key",
                )
            )
        else:
            anchored[anchor.seq] = anchor
    expected_prev = GENESIS
    expected_seq = 1
    last: ChainedEvent | None = None
    keyed_seen = False
    for event in events:
        result.events_checked += 1
        if event.seq > expected_seq:
            missing = (
                f"{expected_seq}" if event.seq == expected_seq + 1 else f"{expected_seq}..{event.seq - 1}"
            )
            result.findings.append(
                Finding(expected_seq, "deleted", f"event(s) {missing} missing before event {event.seq}")
            )
        elif event.seq < expected_seq:
            result.findings.append(
                Finding(event.seq, "inserted_or_reordered", f"event {event.seq} repeats or is out of order")
            )
        if event.scheme == PLAIN and keyed_seen:
            result.findings.append(
                Finding(
                    event.seq,
                    "downgraded",
                    f"event {event.seq} is not keyed although an earlier one is: "
                    "it was rewritten without the key",
                )
            )
        keyed_seen = keyed_seen or event.scheme == KEYED
        if event.scheme == KEYED and key is None:
            result.findings.append(Finding(event.seq, "unverifiable", "the audit key is not available"))
        elif compute_hash(event, key) != event.hash:
            result.findings.append(
                Finding(
                    event.seq,
                    "edited",
                    f"event {event.seq} ({event.action} on {event.subject_type} "
                    f"{event.subject_id}) does not match its hash: its content was changed",
                )
            )
        if event.prev_hash != expected_prev and event.seq == expected_seq:
            result.findings.append(
                Finding(
                    event.seq,
                    "inserted_or_reordered",
                    f"event {event.seq} does not link to the event before it: an event was inserted or "
                    "replaced before it",
                )
            )
        kept = anchored.get(event.seq)
        if kept is not None and kept.hash != event.hash:
            result.findings.append(
                Finding(
                    event.seq,
                    "anchored_rewrite",
                    f"event {event.seq} differs from its anchor of {kept.taken_at}: the chain was rewritten",
                )
            )
        expected_prev = event.hash
        expected_seq = max(expected_seq, event.seq) + 1
        last = event
    last_seq = last.seq if last else 0
    beyond = [a for a in anchored.values() if a.seq > last_seq]
    if beyond:
        top = max(a.seq for a in beyond)
        result.findings.append(
            Finding(
                last_seq + 1,
                "truncated",
                f"events {last_seq + 1}..{top} were anchored but are gone from the end",
            )
        )
    if head is not None:
        head_seq, head_hash = head
        if head_seq > last_seq:
            result.findings.append(
                Finding(
                    last_seq + 1, "truncated", f"events {last_seq + 1}..{head_seq} were deleted from the end"
                )
            )
        elif head_seq < last_seq or (last is not None and head_hash != last.hash):
            result.findings.append(
                Finding(last_seq, "head_mismatch", "the chain head does not match the last event")
            )
        # The head is signed at every append; an unsigned or wrongly signed head was set back or rewritten
        # (or, on a database upgraded from before the key, no event has been written since).
        if (
            head_seq > 0
            and key is not None
            and not hmac.compare_digest(head_signature or "", head_mac(key, head_seq, head_hash))
        ):
            result.findings.append(
                Finding(
                    head_seq,
                    "head_forged",
                    "the chain head is not signed with the audit key: it was set back "
                    "or rewritten (a truncated or rewritten tail)",
                )
            )
    return result


def chain(previous: tuple[int, str], drafts: Iterable[dict[str, Any]], key: bytes) -> list[ChainedEvent]:
    """Give drafts (dicts of the event fields without seq/hash) their place in the keyed chain."""
    seq, prev_hash = previous
    out = []
    for draft in drafts:
        seq += 1
        digest = compute_hash(ChainedEvent(seq=seq, prev_hash=prev_hash, scheme=KEYED, **draft), key)
        event = ChainedEvent(seq=seq, prev_hash=prev_hash, scheme=KEYED, hash=digest, **draft)
        out.append(event)
        prev_hash = event.hash
    return out
