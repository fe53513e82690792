"""HS editions: carry a subheading written in one edition of the Harmonized System over to another (pure).

A certificate states each goods item's HS code in the edition the exporting authority uses (HS 2012, 2017 or
2022); the declaration is classified in the tariff in force (HS 2022). Before the two are compared the
certificate's code is carried over with the UNSD correlation tables the rules of origin use
(``data/origin/hs_correlation/hs2022_hs<edition>.csv``, read by :mod:`clearway.origin.correlation`), turned
round: an older subheading corresponds to every HS 2022 subheading that lists it as a source.

A table lists only the subheadings the new edition changed (split, merged, moved), as WCO correlation tables
do; a code it does not list kept its number. When the editions match, or no table is bundled for the edition,
the code is compared as written — and the answer says which, so the verification shows what it relied on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from clearway.origin.correlation import parse_correlation

CURRENT = "HS2022"
EDITIONS = ("HS2002", "HS2007", "HS2012", "HS2017", "HS2022")
_EDITION = re.compile(r"^\s*(?:HS)?\s*(\d{4})\s*$", re.I)


def edition(text: str | None) -> str | None:
    """'2017', 'hs2017', 'HS 2017' -> 'HS2017'; None for anything that is not a known edition."""
    if not text:
        return None
    found = _EDITION.match(text)
    if not found:
        return None
    name = f"HS{found.group(1)}"
    return name if name in EDITIONS else None


@dataclass(frozen=True, slots=True)
class Correlation:
    codes: frozenset[str]  # the subheadings of the target edition the code corresponds to
    basis: str  # what the answer relied on, in words


@cache
def _tables() -> dict[str, Any]:
    """``{"HS2012>HS2022": {"source": ..., "changed": {older code: [HS 2022 codes]}}}`` from the bundled tables."""
    tables: dict[str, Any] = {}
    for name in EDITIONS[:-1]:
        year = name[2:]
        path = resources.files("clearway.data").joinpath("origin", "hs_correlation", f"hs2022_hs{year}.csv")
        if not path.is_file():
            continue
        changed: dict[str, set[str]] = {}
        for new, (sources, relationship) in parse_correlation(path.read_text("utf-8"), year).table.items():
            if sources != (new,) or relationship != "1:1":
                for old in sources:
                    changed.setdefault(old, set()).add(new)
        tables[f"{name}>{CURRENT}"] = {
            "source": f"UNSD correlation HS 2022–HS {year}",
            "changed": {old: sorted(news) for old, news in changed.items()},
        }
    return tables


def correlate(
    hs6: str, source: str | None, target: str = CURRENT, tables: dict[str, Any] | None = None
) -> Correlation:
    """The ``target``-edition subheadings ``hs6`` (written in ``source``) corresponds to."""
    tables = _tables() if tables is None else tables
    source = edition(source) or target
    if source == target:
        return Correlation(frozenset({hs6}), f"written in {target}, compared as is")
    table = tables.get(f"{source}>{target}")
    if table is None:
        return Correlation(
            frozenset({hs6}),
            f"written in {source}; no {source}→{target} correlation table is recorded, compared as written",
        )
    changed = table.get("changed", {})
    if hs6 in changed:
        codes = frozenset(changed[hs6])
        return Correlation(
            codes,
            f"{source} {hs6} corresponds to {target} {', '.join(sorted(codes))} "
            f"({table.get('source', 'correlation table')})",
        )
    return Correlation(
        frozenset({hs6}),
        f"{source} {hs6} is unchanged in {target} ({table.get('source', 'correlation table')})",
    )
