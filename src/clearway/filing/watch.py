"""The EDIFACT drop directory (shell): every file put in the directory is filed as a CUSDEC interchange, then
moved to ``done/`` (every message accepted) or ``failed/`` (any message rejected, or the file unreadable) with its
CUSRES written beside it as ``<name>.cusres.edi``.

Senders should write a file under a dot-name or with a ``.part`` suffix and rename it when complete; a file
changed less than ``settle`` seconds ago is left for the next round. A file whose filing fails unexpectedly (the
database away) stays where it is and is tried again.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from clearway.clock import utcnow
from clearway.declaration.service import DeclarationService
from clearway.filing.service import Answered, answer_cusdec
from clearway.identity.core import Principal
from clearway.uow import unit_of_work

log = logging.getLogger(__name__)
SKIPPED_SUFFIXES = (".part", ".tmp")


def _free_name(target: Path, name: str) -> str:
    """``name``, or ``stem.2.suffix``… when a file of that name was already processed (never overwrite one)."""
    candidate, n = name, 1
    while (target / candidate).exists() or (target / f"{candidate}.cusres.edi").exists():
        n += 1
        candidate = f"{Path(name).stem}.{n}{Path(name).suffix}"
    return candidate


@dataclass
class Processed:
    source: str
    destination: Path
    response: Path
    accepted: int
    rejected: int


@dataclass
class DropWatcher:
    sessions: sessionmaker[Session]
    service: DeclarationService
    principal_for: Callable[[Session], Principal]
    directory: Path
    settle: float = 1.0

    def __post_init__(self) -> None:
        for sub in ("done", "failed"):
            (self.directory / sub).mkdir(parents=True, exist_ok=True)

    def ready(self) -> list[Path]:
        now = (
            utcnow().timestamp()
        )  # file ages are measured on the machine clock, as the file system stamps them
        files = []
        for path in sorted(self.directory.iterdir()):
            if not path.is_file() or path.name.startswith(".") or path.name.endswith(SKIPPED_SUFFIXES):
                continue
            if now - path.stat().st_mtime < self.settle:
                continue
            files.append(path)
        return files

    def process(self, path: Path) -> Processed:
        raw = path.read_bytes()
        with unit_of_work(self.sessions) as session:
            answered: Answered = answer_cusdec(
                self.service, session, self.principal_for(session), raw.decode("utf-8", errors="replace")
            )
        target = self.directory / ("done" if answered.rejected == 0 else "failed")
        name = _free_name(target, path.name)
        destination = target / name
        response = target / f"{name}.cusres.edi"
        tmp = response.with_name(f".{response.name}.part")
        tmp.write_text(answered.cusres, encoding="utf-8")
        os.replace(tmp, response)
        os.replace(path, destination)
        return Processed(path.name, destination, response, answered.accepted, answered.rejected)

    def run_once(self) -> list[Processed]:
        done = []
        for path in self.ready():
            try:
                done.append(self.process(path))
            except Exception:  # the database away, a file that vanished: leave it for the next round
                log.exception("could not file %s; it stays for the next round", path)
        return done

    def run(
        self, stop: threading.Event, interval: float = 2.0, report: Callable[[Processed], None] | None = None
    ) -> None:
        """Until ``stop`` is set; a file being filed when it is set is finished first."""
        while not stop.is_set():
            for processed in self.run_once():
                if report is not None:
                    report(processed)
                if stop.is_set():
                    break
            stop.wait(interval)
