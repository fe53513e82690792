"""Screening passengers against a watchlist of persons, across scripts. Pure.

The name decides whether an entry is a candidate; the date of birth and nationality confirm or refute it:

* the name score (0-100) is the best similarity (rapidfuzz ``ratio``) between any reading of the passenger's
  name and any reading of the entry's name or aliases (see :func:`clearway.traveller.names.forms`): as
  written, with family and given names swapped, romanised from Hangul, and in the canonical form that folds
  customary spellings together (a canonical-only match counts 3 points less than a literal one);
* a reading pair counts only when both the family names and the given names are close on their own
  (ratio >= 80: one wrong letter in a four-letter family name is another family);
* the date of birth adds 10 when equal, 4 when day and month are transposed, and takes 30 off when different;
* the nationality adds 5 when equal and takes 10 off when different; unknown evidence changes nothing.

An entry is a hit when the name score and the final score both reach the threshold. Every hit carries its
score and the reasons, so the officer can see why it matched before confirming or clearing it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz import fuzz

from clearway.traveller.names import NameForm, forms

DEFAULT_THRESHOLD = 85.0
CANONICAL_PENALTY = 3.0
# Each part must be close on its own. Both gates are equal because a reading may hold the family name in
# either part (family name first or last); family names are short: one letter off (KANG/JANG) is another name.
FAMILY_GATE = GIVEN_GATE = 80.0
DOB_EQUAL, DOB_TRANSPOSED, DOB_DIFFERENT = 10.0, 4.0, -30.0
NATIONALITY_EQUAL, NATIONALITY_DIFFERENT = 5.0, -10.0


@dataclass(frozen=True, slots=True)
class Person:
    """A name to screen: family and given names as two fields, or one full name in ``family``."""

    family: str
    given: str | None = None
    date_of_birth: date | None = None
    nationality: str | None = None


@dataclass(frozen=True, slots=True)
class WatchEntry:
    entry_id: str
    name: str
    aliases: tuple[str, ...] = ()
    date_of_birth: date | None = None
    nationality: str | None = None
    reason: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class Match:
    entry_id: str
    score: float
    name_score: float
    hit: bool
    reasons: tuple[str, ...] = field(default_factory=tuple)


def _readings(person_forms: list[NameForm]) -> list[tuple[NameForm, bool]]:
    """Each form literally, then in canonical spelling (flagged True)."""
    return [(f, False) for f in person_forms] + [(f.canonical(), True) for f in person_forms]


def name_similarity(a: list[NameForm], b: list[NameForm]) -> tuple[float, str]:
    """The best score between two names' readings, and a sentence saying which readings met."""
    best, why = 0.0, "no similar reading"
    for fa, ca in _readings(a):
        for fb, cb in _readings(b):
            if ca != cb:
                continue
            if fuzz.ratio(fa.family, fb.family) < FAMILY_GATE or fuzz.ratio(fa.given, fb.given) < GIVEN_GATE:
                continue  # each part must be close on its own: KANG MINSU is not JANG MINSU
            score = fuzz.ratio(fa.text, fb.text)
            if ca:
                score -= CANONICAL_PENALTY
            if score > best:
                best = score
                spelling = " after folding spelling variants" if ca else ""
                why = f"'{fa.text}' ({fa.how}) ~ '{fb.text}' ({fb.how}){spelling}"
    return best, why


def _entry_forms(entry: WatchEntry) -> list[tuple[str, list[NameForm]]]:
    return [(name, forms(name, None)) for name in (entry.name, *entry.aliases)]


def screen_one(
    person: Person,
    entry: WatchEntry,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    _person_forms: list[NameForm] | None = None,
    _entry_readings: list[tuple[str, list[NameForm]]] | None = None,
) -> Match:
    person_forms = _person_forms if _person_forms is not None else forms(person.family, person.given)
    name_score, why, matched = 0.0, "no similar reading", entry.name
    readings = _entry_readings if _entry_readings is not None else _entry_forms(entry)
    for label, entry_forms in readings:
        score, because = name_similarity(person_forms, entry_forms)
        if score > name_score:
            name_score, why, matched = score, because, label
    reasons = [f"name {name_score:.0f}: {why}" + (f" (alias '{matched}')" if matched != entry.name else "")]
    score = name_score
    if person.date_of_birth and entry.date_of_birth:
        born, listed = person.date_of_birth, entry.date_of_birth
        if born == listed:
            score += DOB_EQUAL
            reasons.append(f"date of birth equal ({listed.isoformat()}): confirms")
        elif born.year == listed.year and born.month == listed.day and born.day == listed.month:
            score += DOB_TRANSPOSED
            reasons.append("date of birth equal with day and month transposed: weakly confirms")
        else:
            score += DOB_DIFFERENT
            reasons.append(f"date of birth differs ({born.isoformat()} vs {listed.isoformat()}): refutes")
    else:
        reasons.append("date of birth unknown on one side: no evidence")
    if person.nationality and entry.nationality:
        if person.nationality == entry.nationality:
            score += NATIONALITY_EQUAL
            reasons.append(f"nationality equal ({entry.nationality}): confirms")
        else:
            score += NATIONALITY_DIFFERENT
            reasons.append(f"nationality differs ({person.nationality} vs {entry.nationality}): weakens")
    score = max(0.0, min(100.0, score))
    hit = name_score >= threshold and score >= threshold
    return Match(entry.entry_id, round(score, 1), round(name_score, 1), hit, tuple(reasons))


def screen(
    person: Person, entries: Iterable[WatchEntry], *, threshold: float = DEFAULT_THRESHOLD
) -> list[Match]:
    """The hits for one person, best first."""
    person_forms = forms(person.family, person.given)
    hits = [
        m
        for e in entries
        if (m := screen_one(person, e, threshold=threshold, _person_forms=person_forms)).hit
    ]
    return sorted(hits, key=lambda m: (-m.score, m.entry_id))


def screen_all(
    people: Sequence[Person], entries: Sequence[WatchEntry], *, threshold: float = DEFAULT_THRESHOLD
) -> list[list[Match]]:
    return [screen(p, entries, threshold=threshold) for p in people]


# --- candidate index -------------------------------------------------------------------------------------
#
# Comparing a passenger with every entry costs ~0.1 ms per entry in Python: 500 passengers x 100,000 entries
# would take over an hour. The index blocks instead: every reading of every entry name (as written, swapped,
# romanised from Hangul) is reduced to its canonical spelling (KIM/GIM, SOO/SU, YOUNG/YEONG... folded) and
# indexed under ``FAMILY|GIVEN`` and its one-letter deletion neighbourhood (each key with one letter of the
# family name or of the given names deleted, as in SymSpell). Two canonical readings one substitution,
# insertion or deletion apart share a key, so a passenger's candidates are the entries sharing a key with any
# of the passenger's readings; only those are scored with :func:`screen_one`. What the index gives up: names
# two or more edits apart in the canonical spelling (e.g. a typo in both family and given name), which the
# gates of :func:`name_similarity` refuse nearly always anyway. The keys are kept as 64-bit hashes in two
# sorted arrays (16 bytes per key), not as a dictionary of strings.


def blocking_keys(name_forms: Iterable[NameForm]) -> set[str]:
    """The index keys of a name's readings: ``FAMILY|GIVEN`` and its one-deletion neighbours, for the reading as
    written and its canonical romanisation. Both, because folding can hide a typo's neighbour: "YEE" folds to
    another spelling than its one-letter typo "YEQ" does, and only the written forms still share "YE"."""
    keys: set[str] = set()
    for form in name_forms:
        canonical = form.canonical()
        for family, given in {(form.family, form.given), (canonical.family, canonical.given)}:
            keys.add(f"{family}|{given}")
            keys.update(f"{family}|{given[:i]}{given[i + 1 :]}" for i in range(len(given)))
            keys.update(f"{family[:i]}{family[i + 1 :]}|{given}" for i in range(len(family)))
    return keys


class WatchIndex:
    """A watchlist prepared for screening many passengers: candidates by blocking keys, then full scoring."""

    def __init__(self, entries: Sequence[WatchEntry]) -> None:
        import numpy as np

        self.entries = list(entries)
        hashes: list[int] = []
        owners: list[int] = []
        for n, entry in enumerate(self.entries):
            keys: set[str] = set()
            for name in (entry.name, *entry.aliases):
                keys |= blocking_keys(forms(name, None))
            hashes.extend(hash(k) for k in keys)
            owners.extend([n] * len(keys))
        order = np.argsort(np.asarray(hashes, dtype=np.int64), kind="stable")
        self._hashes = np.asarray(hashes, dtype=np.int64)[order]
        self._owners = np.asarray(owners, dtype=np.int32)[order]
        self._readings: dict[int, list[tuple[str, list[NameForm]]]] = {}  # entries met as candidates

    @property
    def key_count(self) -> int:
        return int(self._hashes.size)

    def candidates(self, person_forms: list[NameForm]) -> list[int]:
        """The positions of the entries sharing a blocking key with one of the person's readings."""
        import numpy as np

        keys = np.asarray([hash(k) for k in blocking_keys(person_forms)], dtype=np.int64)
        if keys.size == 0:
            return []
        left = np.searchsorted(self._hashes, keys, side="left")
        right = np.searchsorted(self._hashes, keys, side="right")
        found: set[int] = set()
        for lo, hi in zip(left.tolist(), right.tolist(), strict=True):
            if hi > lo:
                found.update(self._owners[lo:hi].tolist())
        return sorted(found)

    def screen(self, person: Person, *, threshold: float = DEFAULT_THRESHOLD) -> list[Match]:
        """The hits for one person, best first: the same answer as :func:`screen` on the candidates."""
        person_forms = forms(person.family, person.given)
        hits = [
            m
            for n in self.candidates(person_forms)
            if (m := screen_one(person, self.entries[n], threshold=threshold, _person_forms=person_forms)).hit
        ]
        return sorted(hits, key=lambda m: (-m.score, m.entry_id))
