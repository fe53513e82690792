"""HS version correlation (pure): which subheadings of an older HS edition a HS 2022 subheading came from.

Annexes of product-specific rules are written in the HS edition in force when they were negotiated (RCEP,
Korea–China, Korea–Vietnam: HS 2012). Goods are declared in today's codes (HSK 2022-based). A rule written for an
older subheading applies to the HS 2022 subheadings its goods moved to; the WCO/UNSD correlation tables say
which. A :class:`Correlation` holds only the subheadings that changed (the file lists every pair whose codes
differ or whose relationship is not 1:1); a code it does not list is the same subheading in both editions.

Limits: the tables correlate at six digits only. A HS 2022 subheading that existed in the older edition is ruled
by the older row of the same code (goods moved in from other subheadings are named, not ruled separately: an
approximation). A new subheading takes every older source; when they carry different rules, all are returned
and which one governs depends on what the good is — the caller shows all of them rather than guessing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Link:
    """One HS 2022 subheading and the older subheadings its goods were classified in."""

    code: str  # the HS 2022 six digits asked for
    sources: tuple[str, ...]  # older six-digit codes (the same code when unchanged)
    relationship: str  # "1:1" unchanged, else the table's "1:n", "n:1" or "n:n"
    older: str  # the older edition, "2012"

    @property
    def changed(self) -> bool:
        return self.sources != (self.code,) or self.relationship != "1:1"

    @property
    def primary(self) -> tuple[str, ...]:
        """The older subheadings whose rule governs: the same code when it existed in the older edition (the
        goods that stayed; parts moved in from elsewhere are named in :meth:`describe`), else every source."""
        return (self.code,) if self.code in self.sources else self.sources

    def describe(self) -> str:
        if not self.changed:
            return f"HS 2022 {self.code} = HS {self.older} {self.code} (unchanged)"
        table = f"UNSD correlation HS 2022–HS {self.older}, {self.relationship}"
        others = [s for s in self.sources if s not in self.primary]
        if not others:
            return f"HS 2022 {self.code} ← HS {self.older} {_listed(self.primary)} ({table})"
        shown = _listed(tuple(others))
        return (
            f"HS 2022 {self.code} ← HS {self.older} {self.code} ({table}; goods moved in from {shown} "
            "are ruled by this row too — check the good's HS 2012 classification if it came from one of those)"
        )


@dataclass(frozen=True)
class Correlation:
    older: str  # "2012", "2017"
    table: Mapping[str, tuple[tuple[str, ...], str]] = field(default_factory=dict)

    def link(self, code: str) -> Link:
        """The older subheadings of a HS 2022 code (any length; the first six digits are correlated)."""
        six = code[:6]
        found = self.table.get(six)
        if found is None:
            return Link(six, (six,), "1:1", self.older)
        return Link(six, found[0], found[1], self.older)

    def __len__(self) -> int:
        return len(self.table)


def _listed(codes: tuple[str, ...], most: int = 5) -> str:
    return ", ".join(codes[:most]) + (f" and {len(codes) - most} more" if len(codes) > most else "")


_RANK = {"1:1": 0, "1:n": 1, "n:1": 2, "n:n": 3}


def parse_correlation(text: str, older: str) -> Correlation:
    """Read a ``hs2022_hs<older>.csv`` file (columns hs2022, hs<older>, relationship)."""
    sources: dict[str, list[str]] = {}
    relation: dict[str, str] = {}
    for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff"))):
        new, old, rel = row["hs2022"].strip(), row[f"hs{older}"].strip(), row["relationship"].strip()
        if not (new.isdigit() and old.isdigit() and len(new) == 6 and len(old) == 6):
            raise ValueError(f"bad correlation row {row!r}")
        sources.setdefault(new, [])
        if old not in sources[new]:
            sources[new].append(old)
        if _RANK.get(rel, 3) >= _RANK.get(relation.get(new, "1:1"), 0):
            relation[new] = rel
    return Correlation(older, {k: (tuple(sorted(v)), relation[k]) for k, v in sources.items()})
