"""Finding a recorded word mark in a goods description: fuzzy, spacing-tolerant and cross-script. Pure.

How a description is compared with a mark (every variant the holder recorded, e.g. ``NIKE`` and ``나이키``):

1. **Normalise** both (:func:`normalise`): Unicode NFKC, case-folded, everything that is not a letter or digit
   becomes a space.
2. **Windows**: every run of 1–4 consecutive tokens of the description, joined *without* spaces, so that
   ``N I K E``, ``adi das`` and ``louis vuitton`` are compared as one word.
3. **Same script** (Latin with Latin, Hangul with Hangul): the optimal-string-alignment edit distance
   (rapidfuzz ``OSA``: insertions, deletions, substitutions, adjacent transpositions) between the window and
   the mark, Hangul compared letter by letter (jamo, Unicode NFD), allowed edits growing with the mark's
   length (:func:`allowed_edits`): ``NIKEE``, ``Adidds``, ``Addidas``, ``나이기`` match; a mark of three
   letters or less must be exact. A token that *starts with* a mark of four letters or more (``nikeairmax``)
   and a Hangul token that contains a mark of three syllables or more (``나이키운동화``, compounds are written
   without spaces) also match.
4. **Cross script**: a Hangul window is romanised (:func:`romanise`, Revised Romanization of Korean, 2000,
   syllable by syllable without the sound-change rules) and both sides are reduced to a **consonant skeleton**
   (:func:`skeleton`): doubled letters collapsed, soft ``c`` before e/i/y → s, ``x`` → ks, then consonant
   classes k(k g c q) t(t d) p(p b f v) s(s z j ch sh) l(l r) m n (ng → n), neighbouring equal classes merged;
   vowels, h, w and y dropped. Korean
   writes foreign marks by sound, so ``나이키`` → naiki → NK = ``NIKE`` → NK, ``아디다스`` → adidaseu → TTS =
   ``ADIDAS``, ``샤넬`` → syanel → SNL = ``CHANEL``. Skeletons must be equal and have at least three
   consonants (two, like NK, match too many ordinary words; such marks rely on their recorded variants).
5. **Common words** (:data:`COMMON_WORDS`, e.g. APPLE, SHELL, DOVE): only an exact whole-token match counts,
   never a fuzzy, prefix or cross-script one, and the goods must fall in the recorded HS scope (checked by the
   caller); recording such a mark for the chapters where the word is the goods' own name is refused
   (:data:`GENERIC_CHAPTERS`).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from rapidfuzz.distance import OSA

# Revised Romanization of Korean (문화관광부 고시 제2000-8호), letter values; finals use the syllable-final sound.
_INITIALS = (
    "g",
    "kk",
    "n",
    "d",
    "tt",
    "r",
    "m",
    "b",
    "pp",
    "s",
    "ss",
    "",
    "j",
    "jj",
    "ch",
    "k",
    "t",
    "p",
    "h",
)
_MEDIALS = (
    "a",
    "ae",
    "ya",
    "yae",
    "eo",
    "e",
    "yeo",
    "ye",
    "o",
    "wa",
    "wae",
    "oe",
    "yo",
    "u",
    "wo",
    "we",
    "wi",
    "yu",
    "eu",
    "ui",
    "i",
)
_FINALS = (
    "",
    "k",
    "k",
    "k",
    "n",
    "n",
    "n",
    "t",
    "l",
    "k",
    "m",
    "p",
    "l",
    "l",
    "p",
    "l",
    "m",
    "p",
    "p",
    "t",
    "t",
    "ng",
    "t",
    "t",
    "k",
    "t",
    "p",
    "t",
)
_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3

# Marks that are also ordinary words: matched only exactly, as a whole token (see the module docstring).
COMMON_WORDS = frozenset(
    {
        "apple",
        "orange",
        "shell",
        "dove",
        "puma",
        "jaguar",
        "gap",
        "target",
        "amazon",
        "visa",
        "sun",
        "star",
        "gold",
        "tiger",
        "camel",
        "crown",
        "eagle",
        "lotus",
        "polo",
        "mars",
        "coach",
        "guess",
        "vans",
        "next",
        "애플",
        "오렌지",
        "쉘",
        "도브",
        "퓨마",
        "스타",
        "골드",
        "타이거",
        "크라운",
        "코치",
    }
)

# HS chapters in which a common word is the plain name of the goods: such a mark cannot be recorded there.
GENERIC_CHAPTERS: dict[str, frozenset[str]] = {
    "apple": frozenset({"08", "20", "22"}),
    "애플": frozenset({"08", "20", "22"}),
    "orange": frozenset({"08", "20", "22"}),
    "오렌지": frozenset({"08", "20", "22"}),
    "shell": frozenset({"03", "05", "27"}),
    "쉘": frozenset({"03", "05", "27"}),
    "dove": frozenset({"01", "02"}),
    "도브": frozenset({"01", "02"}),
    "puma": frozenset({"01"}),
    "jaguar": frozenset({"01"}),
    "tiger": frozenset({"01"}),
    "camel": frozenset({"01", "02", "51"}),
    "eagle": frozenset({"01"}),
    "lotus": frozenset({"06", "12"}),
    "gold": frozenset({"71"}),
    "골드": frozenset({"71"}),
}

MAX_WINDOW = 4
MIN_SKELETON = 3  # consonants a cross-script match needs (two, e.g. NK, match too many words)


def normalise(text: str) -> str:
    """NFKC, case-folded, anything not a letter or digit replaced by a space, spaces collapsed."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join("".join(ch if ch.isalnum() else " " for ch in folded).split())


def is_hangul(text: str) -> bool:
    return any(_HANGUL_FIRST <= ord(ch) <= _HANGUL_LAST for ch in text)


def is_latin(text: str) -> bool:
    return any("a" <= ch <= "z" for ch in text)


def romanise(text: str) -> str:
    """Hangul syllables in Revised Romanization, letter by letter; other characters kept as they are."""
    out = []
    for ch in text:
        code = ord(ch)
        if _HANGUL_FIRST <= code <= _HANGUL_LAST:
            index = code - _HANGUL_FIRST
            initial, rest = divmod(index, 21 * 28)
            medial, final = divmod(rest, 28)
            out.append(_INITIALS[initial] + _MEDIALS[medial] + _FINALS[final])
        else:
            out.append(ch)
    return "".join(out)


_CLASSES = {
    "k": "k",
    "g": "k",
    "c": "k",
    "q": "k",
    "t": "t",
    "d": "t",
    "p": "p",
    "b": "p",
    "f": "p",
    "v": "p",
    "s": "s",
    "z": "s",
    "j": "s",
    "l": "l",
    "r": "l",
    "m": "m",
    "n": "n",
}


def skeleton(text: str) -> str:
    """The consonant skeleton of a Latin (or romanised) word, for comparing across scripts."""
    letters = romanise(normalise(text)).replace(" ", "")
    collapsed = "".join(ch for i, ch in enumerate(letters) if i == 0 or ch != letters[i - 1])
    out: list[str] = []
    i = 0
    while i < len(collapsed):
        ch, nxt = collapsed[i], collapsed[i + 1] if i + 1 < len(collapsed) else ""
        if ch in "cs" and nxt == "h":
            out.append("s")
            i += 2
            continue
        if ch == "n" and nxt == "g":
            out.append("n")
            i += 2
            continue
        if ch == "c" and nxt in ("e", "i", "y"):
            out.append("s")
        elif ch == "x":
            out.extend(("k", "s"))
        elif ch in _CLASSES:
            out.append(_CLASSES[ch])
        elif ch in "aeiouy":
            out.append(".")  # a vowel keeps two equal consonants apart (a-d-i-d-a-s → tts)
        i += 1
    kept = [ch for i, ch in enumerate(out) if i == 0 or ch != out[i - 1]]
    return "".join(ch for ch in kept if ch != ".")


def _letters(text: str) -> str:
    """Hangul decomposed into jamo so that an edit is one letter, as in Latin."""
    return unicodedata.normalize("NFD", text)


def allowed_edits(mark: str) -> int:
    """Edits tolerated for a (normalised) mark: Latin 0 up to 3 letters, 1 up to 5, 2 up to 9, then 3;
    Hangul 0 up to 2 syllables, 1 up to 4, then 2 (one jamo edit turns 나이키 into 나이기)."""
    length = len(mark)
    if is_hangul(mark):
        return 0 if length <= 2 else (1 if length <= 4 else 2)
    if length <= 3:
        return 0
    if length <= 5:
        return 1
    return 2 if length <= 9 else 3


def fuzzy_distance(span: str, mark: PreparedMark) -> int | None:
    """The edit distance between a window and a mark when it is small enough to be a misspelling, else None.

    The first letter must agree (misspellings keep it; ``bike`` is not ``NIKE``). A mark of five letters or
    less tolerates one missing or extra letter or two swapped neighbours, but no substituted letter
    (``nice`` is not ``NIKE``; ``NIKEE``, ``NKIE`` and ``NIK`` are)."""
    letters = _letters(span)
    if not letters or letters[0] != mark.letters[0] or abs(len(letters) - len(mark.letters)) > mark.edits:
        return None
    d = OSA.distance(letters, mark.letters, score_cutoff=mark.edits)
    if d > mark.edits:
        return None
    if (
        not mark.hangul
        and len(mark.key) <= 5
        and d == 1
        and len(letters) == len(mark.letters)
        and sorted(letters) != sorted(mark.letters)
    ):
        return None
    return d


@dataclass(frozen=True, slots=True)
class MarkHit:
    """Where a mark was found: the recorded variant, the text that matched it, how and how closely (0..1)."""

    mark: str
    found: str
    how: str  # exact | fuzzy | prefix | compound | cross_script
    similarity: float


def windows(tokens: list[str], size: int = MAX_WINDOW) -> list[str]:
    out = []
    for start in range(len(tokens)):
        for width in range(1, size + 1):
            if start + width > len(tokens):
                break
            out.append("".join(tokens[start : start + width]))
    return out


@dataclass(frozen=True, slots=True)
class PreparedMark:
    """A mark variant normalised once, so screening many lines does not redo it."""

    text: str
    key: str  # normalised, spaces removed
    letters: str  # jamo-decomposed for Hangul
    hangul: bool
    common: bool
    skeleton: str
    edits: int

    @classmethod
    def of(cls, mark: str) -> PreparedMark:
        key = normalise(mark).replace(" ", "")
        return cls(
            mark, key, _letters(key), is_hangul(key), key in COMMON_WORDS, skeleton(key), allowed_edits(key)
        )


def find_mark(description: str, marks: list[PreparedMark] | tuple[PreparedMark, ...]) -> MarkHit | None:
    """The best hit of any recorded variant in ``description``, or None."""
    tokens = normalise(description).split()
    if not tokens:
        return None
    token_set = set(tokens)
    spans = windows(tokens, MAX_WINDOW)
    best: MarkHit | None = None

    def keep(hit: MarkHit) -> None:
        nonlocal best
        if best is None or hit.similarity > best.similarity:
            best = hit

    for mark in marks:
        if not mark.key:
            continue
        if mark.common:
            if mark.key in token_set:
                keep(MarkHit(mark.text, mark.key, "exact", 1.0))
            continue
        if mark.key in spans:
            keep(MarkHit(mark.text, mark.key, "exact", 1.0))
            continue
        edits = mark.edits
        for span in spans:
            same_script = is_hangul(span) == mark.hangul
            if same_script and edits:
                d = fuzzy_distance(span, mark)
                if d is not None:
                    keep(MarkHit(mark.text, span, "fuzzy", round(1 - d / max(len(mark.letters), 1), 4)))
            elif not same_script and len(mark.skeleton) >= MIN_SKELETON and skeleton(span) == mark.skeleton:
                keep(MarkHit(mark.text, span, "cross_script", 0.85))
        for token in tokens:
            if mark.hangul and len(mark.key) >= 3 and mark.key in token and token != mark.key:
                keep(MarkHit(mark.text, token, "compound", 0.95))
            elif not mark.hangul and len(mark.key) >= 4 and token.startswith(mark.key) and token != mark.key:
                keep(MarkHit(mark.text, token, "prefix", 0.9))
    return best


def generic_conflicts(marks: list[str], hs_scopes: list[str]) -> list[tuple[str, str]]:
    """(mark, chapter) pairs where a mark is the ordinary name of goods in a recorded chapter."""
    out = []
    for mark in marks:
        key = normalise(mark).replace(" ", "")
        for scope in hs_scopes:
            if scope[:2] in GENERIC_CHAPTERS.get(key, frozenset()):
                out.append((mark, scope[:2]))
    return out
