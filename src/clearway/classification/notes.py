"""The legal notes as rules: section and chapter notes, heading texts and GIR 3(b) that re-rank or veto candidates.

The text alone often leaves a classifier between a heading and the one a note sends the goods to: a knitted
shirt near woven shirts of chapter 62 (chapter 62, note 1), a plastic toy near articles of plastics (chapter 39,
note 2(y)), a spark plug "for cars" near 87.08 (Section XVII, note 2(f)). Each rule in
``data/classification/legal_notes.json`` names its note and says, in the project's own words, what the note
decides; it fires when the description has one of its phrases (``when``), one of its ``with`` phrases when it has
any, and none of its ``unless`` phrases. A firing *vetoes* the candidates under its ``veto`` code prefixes (they
move below every other candidate) and *prefers* those under its ``prefer`` prefixes (their score rises by a
fixed margin). A veto that would leave no candidate standing does not fire. Every firing is evidence, naming
the note.

Phrases are matched on the classifier's own tokens (:func:`clearway.classification.morphology.analyse`:
Korean content morphemes from kiwipiepy, folded English words), which the caller passes in: English phrases
must match whole consecutive tokens; a Korean phrase (spaces removed) must begin one to three consecutive
tokens joined, so "편물" matches "편물제" and "헤드램프" matches "헤드 램프". The ``when`` phrases say what the
goods are, so they are looked for in the description's head (its name line, first :data:`HEAD_TOKENS`
tokens): a long description that mentions springs or a pump among the parts of a clutch or a fuel tank does
not make the goods springs or a pump.

Pure: no I/O beyond the packaged rules file read by :func:`bundled_rules`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

VETO_MARGIN = 10.0  # a vetoed candidate drops below every candidate left standing
PREFER_MARGIN = 0.3  # ranker-score units a preferred candidate gains (1.0 broke 2 of 600 dev cases, 0.3 none)
KINDS = ("exclusion", "parts", "set", "knitted")
WINDOW = 3  # a Korean phrase may span this many tokens
KOREAN_KEY = 12  # and have at most this many letters (spaces removed)
HEAD_TOKENS = 12  # what the goods are: a rule's "when" phrases are looked for in the description's head
_HANGUL = re.compile(r"[\uac00-\ud7a3]")

Effect = Literal["veto", "prefer"]
Tokenise = Callable[[str], Sequence[str]]


@dataclass(frozen=True, slots=True)
class Phrase:
    """One phrase of a rule, tokenised as descriptions are."""

    text: str
    key: str  # English: tokens joined by spaces; Korean: tokens joined without spaces
    korean: bool


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    kind: str
    note: str  # the provision, e.g. "Chapter 62, note 1"
    note_ko: str
    says: str  # the project's paraphrase of what the note decides
    says_ko: str
    when: tuple[Phrase, ...]
    with_: tuple[Phrase, ...]
    unless: tuple[Phrase, ...]
    veto: tuple[str, ...]  # code prefixes (2, 4 or 6 digits)
    except_: tuple[str, ...]
    prefer: tuple[str, ...]

    def vetoes(self, hs6: str) -> bool:
        return hs6.startswith(self.veto) and not hs6.startswith(self.except_) if self.veto else False

    def prefers(self, hs6: str) -> bool:
        return hs6.startswith(self.prefer) if self.prefer else False


@dataclass(frozen=True, slots=True)
class Firing:
    """A rule that fired for a description: what it did to which candidates, and the phrase that triggered it."""

    rule: str
    kind: str
    note: str
    note_ko: str
    says: str
    says_ko: str
    effect: Effect
    codes: tuple[str, ...]  # the candidates (HS6) it moved
    matched: str  # the description's phrase that fired it

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "kind": self.kind,
            "note": self.note,
            "note_ko": self.note_ko,
            "says": self.says,
            "says_ko": self.says_ko,
            "effect": self.effect,
            "codes": list(self.codes),
            "matched": self.matched,
        }


class RuleError(ValueError):
    """The rules file is malformed (a missing field, an unknown kind, a code prefix that is not digits)."""


def _phrases(values: Iterable[str], tokenise: Tokenise, where: str) -> tuple[Phrase, ...]:
    out = []
    for value in values:
        tokens = [t for t in tokenise(value) if t]
        if not tokens:
            raise RuleError(f"{where}: the phrase {value!r} has no word")
        korean = bool(_HANGUL.search(value))
        if korean and not 2 <= len("".join(tokens)) <= KOREAN_KEY:
            raise RuleError(f"{where}: the Korean phrase {value!r} must have 2 to {KOREAN_KEY} letters")
        out.append(Phrase(value, ("" if korean else " ").join(tokens), korean))
    return tuple(out)


def _codes(values: Iterable[str], where: str) -> tuple[str, ...]:
    codes = tuple(values)
    for code in codes:
        if not (code.isdigit() and len(code) in (2, 4, 6)):
            raise RuleError(f"{where}: {code!r} is not a chapter, heading or subheading code")
    return codes


def compile_rules(raw: Mapping[str, Any], tokenise: Tokenise) -> tuple[Rule, ...]:
    """The rules of a parsed rules file, their phrases tokenised with ``tokenise``."""
    rules = []
    seen: set[str] = set()
    for entry in raw.get("rules", []):
        rid = str(entry.get("id", ""))
        where = f"rule {rid or '?'}"
        if not rid or rid in seen:
            raise RuleError(f"{where}: every rule needs a unique id")
        seen.add(rid)
        kind = entry.get("kind")
        if kind not in KINDS:
            raise RuleError(f"{where}: kind must be one of {', '.join(KINDS)}")
        for field in ("note", "note_ko", "says", "says_ko"):
            if not entry.get(field):
                raise RuleError(f"{where}: {field} is required")
        if not entry.get("when"):
            raise RuleError(f"{where}: when needs at least one phrase")
        rule = Rule(
            id=rid,
            kind=kind,
            note=entry["note"],
            note_ko=entry["note_ko"],
            says=entry["says"],
            says_ko=entry["says_ko"],
            when=_phrases(entry["when"], tokenise, where),
            with_=_phrases(entry.get("with", ()), tokenise, where),
            unless=_phrases(entry.get("unless", ()), tokenise, where),
            veto=_codes(entry.get("veto", ()), where),
            except_=_codes(entry.get("except", ()), where),
            prefer=_codes(entry.get("prefer", ()), where),
        )
        if not rule.veto and not rule.prefer:
            raise RuleError(f"{where}: a rule must veto or prefer some codes")
        rules.append(rule)
    return tuple(rules)


@cache
def bundled_raw() -> dict[str, Any]:
    text = resources.files("clearway.data").joinpath("classification/legal_notes.json").read_text("utf-8")
    raw: dict[str, Any] = json.loads(text)
    return raw


_compiled: dict[int, tuple[Rule, ...]] = {}


def bundled_rules(tokenise: Tokenise) -> tuple[Rule, ...]:
    """The packaged rules tokenised with ``tokenise`` (compiled once per tokeniser)."""
    key = id(tokenise)
    if key not in _compiled:
        _compiled[key] = compile_rules(bundled_raw(), tokenise)
    return _compiled[key]


class Matcher:
    """The phrases of ``keys`` (Korean phrase keys) one description contains, built once from its tokens."""

    __slots__ = ("_english", "_korean")

    def __init__(self, tokens: Sequence[str], korean_keys: frozenset[str] = frozenset()) -> None:
        english: set[str] = set()
        joined: set[str] = set()
        n = len(tokens)
        for i in range(n):
            for w in range(1, WINDOW + 1):
                if i + w > n:
                    break
                window = tokens[i : i + w]
                english.add(" ".join(window))
                if _HANGUL.search(window[0]):
                    joined.add("".join(window))
        lengths = sorted({len(k) for k in korean_keys})
        korean: set[str] = set()
        for text in joined:
            for length in lengths:
                if length > len(text):
                    break
                if text[:length] in korean_keys:
                    korean.add(text[:length])
        self._english = english
        self._korean = korean

    def has(self, phrase: Phrase) -> bool:
        return phrase.key in (self._korean if phrase.korean else self._english)

    def first(self, phrases: Sequence[Phrase]) -> Phrase | None:
        for phrase in phrases:
            if self.has(phrase):
                return phrase
        return None


def korean_keys(rules: Sequence[Rule]) -> frozenset[str]:
    return frozenset(p.key for r in rules for p in (*r.when, *r.with_, *r.unless) if p.korean)


def applies(rule: Rule, matcher: Matcher, head: Matcher | None = None) -> Phrase | None:
    """The phrase that fires ``rule`` on this description, or None when it does not apply.

    ``head`` matches the description's head (what the goods are called), where the ``when`` phrases must be;
    ``with`` and ``unless`` phrases may be anywhere (``matcher``). Without a head, the whole description."""
    hit = (head or matcher).first(rule.when)
    if hit is None:
        return None
    if rule.with_ and matcher.first(rule.with_) is None:
        return None
    if rule.unless and matcher.first(rule.unless) is not None:
        return None
    return hit


def apply(
    rules: Sequence[Rule],
    tokens: Sequence[str],
    candidates: Sequence[str],
    scores: Sequence[float],
    *,
    prefer_margin: float = PREFER_MARGIN,
    veto_margin: float = VETO_MARGIN,
    keys: frozenset[str] | None = None,
    head: Sequence[str] | None = None,
) -> tuple[list[float], list[Firing]]:
    """New scores for the candidates (HS6 codes, in any order) and the rules that fired, in rule order.

    ``head``: the tokens of the description's name (its first line), where a rule's ``when`` phrase must be
    (a long description names components too: "a clutch disc with springs" is not a spring); at most
    :data:`HEAD_TOKENS` of them are read, and without ``head`` the first tokens of the description.
    ``keys``: :func:`korean_keys` of ``rules``, when the caller keeps them (they are otherwise recomputed)."""
    out = [float(s) for s in scores]
    firings: list[Firing] = []
    if not candidates or not rules:
        return out, firings
    keys = korean_keys(rules) if keys is None else keys
    matcher = Matcher(tokens, keys)
    start = Matcher((tokens if head is None else head)[:HEAD_TOKENS], keys)
    for rule in rules:
        hit = applies(rule, matcher, start)
        if hit is None:
            continue
        vetoed = [i for i, c in enumerate(candidates) if rule.vetoes(c)]
        if vetoed and len(vetoed) < len(candidates):  # never veto every candidate
            for i in vetoed:
                out[i] -= veto_margin
            firings.append(_firing(rule, "veto", [candidates[i] for i in vetoed], hit))
        preferred = [i for i, c in enumerate(candidates) if rule.prefers(c)]
        if preferred:
            for i in preferred:
                out[i] += prefer_margin
            firings.append(_firing(rule, "prefer", [candidates[i] for i in preferred], hit))
    return out, firings


def _firing(rule: Rule, effect: Effect, codes: list[str], hit: Phrase) -> Firing:
    return Firing(
        rule=rule.id,
        kind=rule.kind,
        note=rule.note,
        note_ko=rule.note_ko,
        says=rule.says,
        says_ko=rule.says_ko,
        effect=effect,
        codes=tuple(codes),
        matched=hit.text,
    )
