"""The audit chain key and the anchor file: both live outside the database.

The key comes from ``CLEARWAY_AUDIT_KEY``, else from ``CLEARWAY_AUDIT_KEY_FILE`` (default
``<home>/audit.key``), which is created with 32 random bytes on first use (embedded mode). Sessions carry it
in ``session.info`` (set by :func:`clearway.runtime.build_runtime`); an engine also remembers the key its
runtime was built with, for session factories made without one.
"""

from __future__ import annotations

import json
import os
import secrets
import weakref
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from clearway.audit.chain import Anchor, KeyMissing, canonical_time
from clearway.config import Settings

SESSION_KEY = "clearway.audit.key"
_BY_ENGINE: weakref.WeakKeyDictionary[Engine, bytes] = weakref.WeakKeyDictionary()


def load_key(settings: Settings) -> bytes:
    if settings.audit_key:
        return settings.audit_key.encode("utf-8")
    path = settings.resolved_audit_key_file
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32) + "\n")
    text = path.read_text().strip()
    if len(text) < 32:
        raise KeyMissing(f"the audit key in {path} is shorter than 32 characters")
    return text.encode("utf-8")


def bind(engine: Engine, key: bytes) -> None:
    _BY_ENGINE[engine] = key


def key_of(session: Session) -> bytes:
    key = session.info.get(SESSION_KEY)
    if key is None:
        bind_ = session.get_bind()
        key = _BY_ENGINE.get(bind_) if isinstance(bind_, Engine) else None
    if key is None:
        raise KeyMissing("no audit key for this session: build sessions with clearway.runtime.build_runtime")
    return key


def read_anchors(path: Path) -> list[Anchor]:
    if not path.exists():
        return []
    out = []
    for line in path.read_text().splitlines():
        if line.strip():
            d = json.loads(line)
            out.append(
                Anchor(
                    seq=int(d["seq"]),
                    hash=str(d["hash"]),
                    taken_at=str(d["taken_at"]),
                    mac=str(d.get("mac", "")),
                )
            )
    return out


def append_anchor(path: Path, key: bytes, seq: int, hash_: str, taken_at: datetime) -> Anchor:
    anchor = Anchor(seq=seq, hash=hash_, taken_at=canonical_time(taken_at)).signed(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as out:
        out.write(
            json.dumps(
                {"seq": anchor.seq, "hash": anchor.hash, "taken_at": anchor.taken_at, "mac": anchor.mac}
            )
            + "\n"
        )
    return anchor
