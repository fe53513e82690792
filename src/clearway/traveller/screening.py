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
) -> Match:
    person_forms = _person_forms if _person_forms is not None else forms(person.family, person.given)
    name_score, why, matched = 0.0, "no similar reading", entry.name
    for label, entry_forms in _entry_forms(entry):
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
