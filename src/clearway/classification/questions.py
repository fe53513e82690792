"""Guided classification: the one question, taken from the nomenclature, that best separates close candidates.

A broker who hesitates between 4202.21 and 4202.22 asks "is the outer surface leather, or plastics or textile?",
not "is it 4202.21?". The nomenclature says where its subheadings differ: each HS6 sits under a chapter, a
heading and one or more dash levels ("- Handbags", "-- With outer surface of leather"). A *dimension* is one of
those levels; on it every candidate has a phrase (its own text at that level), candidates with the same phrase
form one answer (so "of cotton" under 61.09 and under 62.05 is one answer: a cross-cutting attribute), and the
question asked is the dimension whose answers split the candidates' probability best (the largest expected
information gain, which for a partition is the entropy of the answers' masses).

Texts: Korean from the HSK file (its parent path is the dash hierarchy, exact); English from the HS 2022 file,
whose subheading texts are flattened ("Cases and containers; handbags (...), with outer surface of leather"):
the English text of a level is what the subheading's text adds to its group's common words, the groups being
those of the Korean tree. Chapters: the HS 2022 English titles and short Korean titles
(``data/hs/chapters_ko.csv``). Heading references ("of heading no. 8701 to 8705", "제8701호부터 제8705호까지의")
are stripped, so no answer names a code; residual texts ("Other", "기타", "n.e.c.") become one answer "none of
the above". At most 4 answers, plus "not sure" which keeps every candidate.

Pure: built from the nomenclature's lines, no I/O beyond the packaged files in :func:`bundled_texts`.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from clearway.classification.hierarchy import Hierarchy, bundled_hierarchy
from clearway.tariff.nomenclature import NomenclatureLine

MAX_ANSWERS = 4
NOT_SURE = "not_sure"
NONE_OF_THE_ABOVE = "none"
MAX_LABEL = 90
# When to ask (on the calibrated HS6 probabilities): the best is not sure enough, or the runner-up is close.
CLOSE_TOP1 = 0.9  # chosen with guided.GUIDED_TOP_K on the development split (0.6 before)
CLOSE_RATIO = 0.35
MIN_GAIN_BITS = 0.2  # a question whose answers barely split the mass is not worth the user's time
MIN_MASS = 0.002  # candidates below this probability do not shape the question (they stay in "not sure")

LEVEL_NAMES = ("chapter", "heading", "dash1", "dash2", "dash3", "dash4")
QUESTION_TEXT = {
    "chapter": ("What kind of goods, or of which material?", "어떤 종류(또는 재질)의 물품입니까?"),
    "heading": ("Which of these describes the goods?", "물품에 맞는 설명은 어느 것입니까?"),
    "dash": ("Which of these fits the goods best?", "물품의 특성에 가장 맞는 것은 어느 것입니까?"),
}
NOT_SURE_LABEL = ("Not sure", "잘 모르겠음")
NONE_LABEL = ("None of the above (other)", "위의 어느 것도 아님(기타)")

_RESIDUAL_EN = {"", "other", "others", "n.e.c.", "nec", "n.e.c", "other n.e.c.", "not elsewhere specified"}
_RESIDUAL_KO = {"", "기타", "그 밖의 것", "그 밖의 물품"}
_HEADING_REF_EN = re.compile(
    r"\b(?:of|in|under|for the \w+ of)?\s*(?:sub)?headings?\s+(?:no\.\s*)?"
    r"\d{2}\.?\d{2}(?:\.?\d{2})?(?:\s*(?:to|or|and|,|-|–)\s*\d{2}\.?\d{2}(?:\.?\d{2})?)*",
    re.IGNORECASE,
)
_NOTE_REF_EN = re.compile(
    r"\bspecified in (?:sub)?heading note \d+ to this chapter\b|\bin chapter \d+\b"
    r"|,?\s*\(?\bother than (?:those|that) (?:of|in) (?:sub)?headings?\b[^),;]*\)?",
    re.IGNORECASE,
)
_EXCLUDED_KO = re.compile(r"(?:제\s*\d{4}호\S*\s*)+(?:의\s*)?것(?:은|을)\s*제외(?:하며|한다)[,]?\s*")
_HEADING_REF_KO = re.compile(
    r"(?:소호\s*)?제\s*\d{4}(?:\.\d{2})?호(?:\s*(?:부터|ㆍ|나|와|과|,|또는|및)\s*제\s*\d{4}(?:\.\d{2})?호)*"
    r"(?:\s*까지)?(?:의|에)?"
)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Phrase:
    """A candidate's text at one level of the nomenclature, in English and Korean."""

    en: str
    ko: str

    @property
    def residual(self) -> bool:
        return self.en.lower().strip(" .") in _RESIDUAL_EN or self.ko.strip() in _RESIDUAL_KO

    @property
    def key(self) -> tuple[str, str]:
        return (self.en.lower(), self.ko)


def clean_en(text: str) -> str:
    """An English level text as an answer: no heading references, dashes, trailing punctuation."""
    text = _NOTE_REF_EN.sub("", text)
    text = _HEADING_REF_EN.sub("", text)
    text = text.replace("n.e.c.", "").replace("()", "")
    text = re.sub(r"([(\[])\s+", r"\1", _SPACE.sub(" ", text)).replace("()", "")
    text = re.sub(r"\s+([,;)])", r"\1", text).strip(" -–:;,.")
    return text[:1].upper() + text[1:] if text else ""


def clean_ko(text: str) -> str:
    text = _EXCLUDED_KO.sub("", text)
    text = _HEADING_REF_KO.sub("", text)
    text = re.sub(r"([(\[])\s+", r"\1", _SPACE.sub(" ", text)).replace("()", "").replace("[]", "")
    return text.strip(" -–:;,.")


def shorten(text: str, limit: int = MAX_LABEL) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:(")
    return cut + "…"


def _prefix_words(texts: Sequence[list[str]], *, boundary: bool = True) -> int:
    """How many leading words all ``texts`` share, cut back to a clause boundary (a word ending in , ; :)."""
    if len(texts) < 2:
        return 0
    n = 0
    for words in zip(*texts, strict=False):
        if any(w != words[0] for w in words):
            break
        n += 1
    while boundary and n > 0 and not texts[0][n - 1].endswith((",", ";", ":")):
        n -= 1
    if all(len(t) == n for t in texts):  # identical texts: nothing distinguishes them
        return 0
    return n


def _suffix_words(texts: Sequence[list[str]]) -> int:
    """How many trailing words all ``texts`` share, starting at a clause boundary."""
    if len(texts) < 2:
        return 0
    n = 0
    for words in zip(*(reversed(t) for t in texts), strict=False):
        if any(w != words[0] for w in words):
            break
        n += 1
    shortest = min(len(t) for t in texts)
    while n > 0:
        start_ok = texts[0][-n].startswith("(")
        before_ok = all(len(t) > n and t[-n - 1].endswith((",", ";")) for t in texts)
        if (start_ok or before_ok) and n < shortest:
            break
        n -= 1
    return n


class NomenclatureTexts:
    """Per HS6: its phrases at the chapter, heading and dash levels (English and Korean)."""

    def __init__(
        self,
        descriptions: Mapping[str, str],
        chapters_ko: Mapping[str, str],
        lines: Iterable[NomenclatureLine],
    ) -> None:
        by_hs6: dict[str, list[NomenclatureLine]] = {}
        heading_ko: dict[str, str] = {}
        for line in lines:
            by_hs6.setdefault(line.hs6, []).append(line)
        ko_levels: dict[str, list[str]] = {}
        for hs6, group in by_hs6.items():
            paths = [[p.strip() for p in line.path_ko.split(" > ")] if line.path_ko else [] for line in group]
            if len(group) == 1 and group[0].code.endswith("0000"):
                own = [*paths[0], group[0].name_ko]
            else:
                own = []
                for parts in zip(*paths, strict=False):
                    if any(p != parts[0] for p in parts):
                        break
                    own.append(parts[0])
            if own:
                heading_ko.setdefault(hs6[:4], own[0])
            # a heading without subheadings (xxxx00) has no dash level of its own
            ko_levels[hs6] = [] if hs6.endswith("00") else own[1:]
        self._levels: dict[str, tuple[Phrase, ...]] = {}
        headings: dict[str, list[str]] = {}
        for hs6 in sorted(set(ko_levels) | {c for c in descriptions if len(c) == 6}):
            headings.setdefault(hs6[:4], []).append(hs6)
        for head, members in headings.items():
            words = {c: descriptions.get(c, "").split() for c in members}
            for hs6 in members:
                ko = ko_levels.get(hs6, [])
                chapter = Phrase(
                    clean_en(descriptions.get(hs6[:2], "")), clean_ko(chapters_ko.get(hs6[:2], ""))
                )
                heading = Phrase(clean_en(descriptions.get(head, "")), clean_ko(heading_ko.get(head, "")))
                dashes: list[Phrase] = []
                for depth in range(1, len(ko) + 1):
                    same = [m for m in members if ko_levels.get(m, [])[:depth] == ko[:depth]]
                    parent = [m for m in members if ko_levels.get(m, [])[: depth - 1] == ko[: depth - 1]]
                    en = self._english(hs6, same, parent, words, leaf=depth == len(ko))
                    dashes.append(Phrase(clean_en(en), clean_ko(ko[depth - 1])))
                self._levels[hs6] = (chapter, heading, *dashes)

    @staticmethod
    def _english(
        hs6: str, group: list[str], parent: list[str], words: Mapping[str, list[str]], *, leaf: bool
    ) -> str:
        """The English words the level adds: the group's common words minus the parent's common words."""
        mine = words.get(hs6, [])
        siblings = [words[m] for m in parent]
        start = _prefix_words(siblings)
        if not leaf and len(group) >= 2:
            stop = _prefix_words([words[m] for m in group])
            if stop - start < 2:  # the texts word a level slightly differently: their shared words, unbounded
                stop = _prefix_words([words[m] for m in group], boundary=False)
            if stop - start >= 2:
                return " ".join(mine[start:stop])
            # no English words for the group: an empty text (a "none of the above" answer) rather than the
            # subheading's own words under its group's Korean label
            return ""
        # the subheading's own words: after the siblings' shared words and before their shared ending
        end = len(mine) - _suffix_words(siblings)
        own = mine[start:end] if end > start else mine[start:]
        others = [
            w[start : len(w) - (len(mine) - end)] for m, w in zip(parent, siblings, strict=True) if m != hs6
        ]
        while True:  # a first clause that a sibling has too ("reciprocating piston engine,") says nothing
            cut = next((i + 1 for i, w in enumerate(own) if w.endswith((",", ";"))), 0)
            if not cut or cut == len(own) or not any(o[:cut] == own[:cut] for o in others):
                break
            others = [o[cut:] for o in others if o[:cut] == own[:cut]]
            own = own[cut:]
        return " ".join(own)

    def levels(self, hs6: str) -> tuple[Phrase, ...]:
        return self._levels.get(hs6, ())

    def phrase(self, hs6: str, level: int) -> Phrase | None:
        """The candidate's phrase on a dimension: its text at that level, or its deepest text when shallower."""
        own = self._levels.get(hs6)
        if not own:
            return None
        return own[min(level, len(own) - 1)]


@dataclass(frozen=True, slots=True)
class Answer:
    id: str
    label_en: str
    label_ko: str
    codes: tuple[str, ...]  # the HS6 candidates this answer keeps
    mass: float = 0.0

    def label(self, lang: str) -> str:
        return self.label_ko if lang == "ko" else self.label_en

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": {"en": self.label_en, "ko": self.label_ko},
            "codes": list(self.codes),
            "kept": len(self.codes),
        }


@dataclass(frozen=True, slots=True)
class Question:
    level: str  # chapter, heading, dash1, ...
    text_en: str
    text_ko: str
    answers: tuple[Answer, ...]  # at most MAX_ANSWERS, then "not sure" (keeps all)
    gain_bits: float

    def text(self, lang: str) -> str:
        return self.text_ko if lang == "ko" else self.text_en

    def answer(self, answer_id: str) -> Answer | None:
        return next((a for a in self.answers if a.id == answer_id), None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "text": {"en": self.text_en, "ko": self.text_ko},
            "gain_bits": round(self.gain_bits, 3),
            "answers": [a.as_dict() for a in self.answers],
        }


def is_close(probabilities: Sequence[float]) -> bool:
    """Are the top candidates close enough that a question is worth asking? (calibrated HS6 probabilities)"""
    if len(probabilities) < 2:
        return False
    p1, p2 = probabilities[0], probabilities[1]
    return p1 < CLOSE_TOP1 or p2 >= CLOSE_RATIO * p1


def _entropy(masses: Sequence[float]) -> float:
    total = sum(masses)
    if total <= 0:
        return 0.0
    return -sum((m / total) * math.log2(m / total) for m in masses if m > 0)


def _level_name(level: int) -> str:
    return LEVEL_NAMES[level] if level < len(LEVEL_NAMES) else f"dash{level - 1}"


def split(
    candidates: Sequence[tuple[str, float]], texts: NomenclatureTexts, level: int
) -> list[Answer] | None:
    """The answers on one dimension: candidates grouped by their phrase at ``level``, at most 4 answers."""
    groups: dict[tuple[str, str], list[tuple[str, float, Phrase]]] = {}
    residual: list[tuple[str, float]] = []
    for hs6, p in candidates:
        phrase = texts.phrase(hs6, level)
        if phrase is None or phrase.residual:
            residual.append((hs6, p))
            continue
        groups.setdefault(phrase.key, []).append((hs6, p, phrase))
    ranked = sorted(groups.values(), key=lambda g: -sum(p for _, p, _ in g))
    if len(ranked) + bool(residual) > MAX_ANSWERS:
        keep = MAX_ANSWERS - 1
        for g in ranked[keep:]:
            residual.extend((hs6, p) for hs6, p, _ in g)
        ranked = ranked[:keep]
    answers = []
    for number, g in enumerate(ranked, start=1):
        best = max(g, key=lambda m: m[1])[2]
        answers.append(
            Answer(
                f"a{number}",
                shorten(best.en or best.ko),
                shorten(best.ko or best.en),
                tuple(hs6 for hs6, _, _ in g),
                sum(p for _, p, _ in g),
            )
        )
    if residual:
        answers.append(
            Answer(
                NONE_OF_THE_ABOVE,
                *NONE_LABEL,
                tuple(hs6 for hs6, _ in residual),
                sum(p for _, p in residual),
            )
        )
    if len(answers) < 2:
        return None
    for labels in ([a.label_en.lower() for a in answers], [a.label_ko for a in answers]):
        if len(set(labels)) < len(labels):  # two answers a trader could not tell apart
            return None
    return answers


def best_question(
    candidates: Sequence[tuple[str, float]],
    texts: NomenclatureTexts,
    *,
    asked: Iterable[str] = (),
    min_gain: float = MIN_GAIN_BITS,
) -> Question | None:
    """The question with the largest expected information gain over ``candidates`` (HS6, probability), or
    None when no level splits them usefully. ``asked``: levels already asked (a "not sure" moves on)."""
    considered = [(c, p) for c, p in candidates if p >= MIN_MASS] or list(candidates[:2])
    if len(considered) < 2:
        return None
    done = set(asked)
    depth = max((len(texts.levels(c)) for c, _ in considered), default=0)
    best: tuple[float, int, list[Answer]] | None = None
    for level in range(depth):
        if _level_name(level) in done:
            continue
        answers = split(considered, texts, level)
        if answers is None:
            continue
        gain = _entropy([a.mass for a in answers])
        if best is None or gain > best[0] + 1e-9:
            best = (gain, level, answers)
    if best is None or best[0] < min_gain:
        return None
    gain, level, answers = best
    # candidates too unlikely to shape the question still belong to an answer: "none of the above" keeps them
    rest = tuple(c for c, p in candidates if p < MIN_MASS and all(c not in a.codes for a in answers))
    if rest:
        if answers[-1].id == NONE_OF_THE_ABOVE:
            last = answers[-1]
            answers[-1] = Answer(last.id, last.label_en, last.label_ko, last.codes + rest, last.mass)
        else:
            answers.append(Answer(NONE_OF_THE_ABOVE, *NONE_LABEL, rest, 0.0))
            if len(answers) > MAX_ANSWERS:  # fold the smallest positive answer into "none of the above"
                small = min(answers[:-1], key=lambda a: a.mass)
                answers.remove(small)
                last = answers[-1]
                answers[-1] = Answer(
                    last.id, last.label_en, last.label_ko, small.codes + last.codes, small.mass + last.mass
                )
    kind = "dash" if level >= 2 else _level_name(level)
    all_codes = tuple(c for c, _ in candidates)
    not_sure = Answer(NOT_SURE, *NOT_SURE_LABEL, all_codes, sum(p for _, p in candidates))
    return Question(_level_name(level), *QUESTION_TEXT[kind], (*answers, not_sure), gain)


@dataclass(frozen=True, slots=True)
class AnsweredQuestion:
    """One question and the answer given: kept as evidence of the classification."""

    question: Question
    answer_id: str

    @property
    def answer(self) -> Answer:
        found = self.question.answer(self.answer_id)
        assert found is not None
        return found

    def as_dict(self) -> dict[str, Any]:
        a = self.answer
        return {
            "level": self.question.level,
            "question": {"en": self.question.text_en, "ko": self.question.text_ko},
            "answer_id": a.id,
            "answer": {"en": a.label_en, "ko": a.label_ko},
            "kept": list(a.codes),
        }


@dataclass(frozen=True, slots=True)
class Guided:
    """Candidates narrowed by the answers so far, and the next question (None: nothing left to ask)."""

    candidates: tuple[tuple[str, float], ...]  # (HS6, probability given the answers), best first
    answered: tuple[AnsweredQuestion, ...] = ()
    question: Question | None = None
    asked: tuple[str, ...] = field(default=())


def narrow(candidates: Sequence[tuple[str, float]], keep: Iterable[str]) -> tuple[tuple[str, float], ...]:
    """The kept candidates, their probabilities conditioned on the answer. The mass outside the candidate list
    (the truth may be none of them) is assumed to fit any answer, so a kept candidate is not made certain."""
    kept = set(keep)
    outside = max(0.0, 1.0 - sum(p for _, p in candidates))
    chosen = [(c, p) for c, p in candidates if c in kept]
    total = sum(p for _, p in chosen) + outside
    if total <= 0:
        return tuple(chosen)
    return tuple((c, p / total) for c, p in chosen)


def start(
    candidates: Sequence[tuple[str, float]], texts: NomenclatureTexts, *, always: bool = False
) -> Guided:
    """The first step: a question when the candidates are close (``always``: whenever one splits them)."""
    ranked = tuple(sorted(candidates, key=lambda cp: -cp[1]))
    question = None
    if always or is_close([p for _, p in ranked]):
        question = best_question(ranked, texts)
    return Guided(ranked, question=question)


def answer(state: Guided, answer_id: str, texts: NomenclatureTexts) -> Guided:
    """Apply an answer to the open question; the next question is asked if the rest are still close."""
    question = state.question
    if question is None:
        raise ValueError("there is no open question")
    chosen = question.answer(answer_id)
    if chosen is None:
        raise KeyError(answer_id)
    asked = (*state.asked, question.level)
    kept = state.candidates if chosen.id == NOT_SURE else narrow(state.candidates, chosen.codes)
    answered = (*state.answered, AnsweredQuestion(question, answer_id))
    following = None
    if len(kept) > 1 and is_close([p for _, p in kept]):
        following = best_question(kept, texts, asked=asked)
    return Guided(kept, answered, following, asked)


def read_chapters_ko(text: str) -> dict[str, str]:
    return {
        row["chapter"].strip(): row["name_ko"].strip()
        for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    }


def texts_from(hierarchy: Hierarchy, chapters_ko: Mapping[str, str]) -> NomenclatureTexts:
    return NomenclatureTexts(hierarchy.description, chapters_ko, hierarchy.lines.values())


@cache
def bundled_texts() -> NomenclatureTexts:
    text = resources.files("clearway.data").joinpath("hs", "chapters_ko.csv").read_text("utf-8")
    return texts_from(bundled_hierarchy(), read_chapters_ko(text))
