"""Text handling for the classifier: normalisation, script/language profile, tokens. Pure functions.

Everything here is deterministic and cheap; Korean morphology (kiwipiepy) lives in :mod:`.morphology`.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

# Inputs are cut before any regular expression runs, so 100 KB (or 100 MB) of text costs the same as 20 KB.
RAW_LIMIT = 20_000
# What the model reads: the first characters of the normalised text (a ruling's description fits easily).
MODEL_LIMIT = 1_500

# KCS boilerplate that appears in many rulings and says nothing about the goods.
_BOILERPLATE = [
    re.compile(r"※\s*품목분류는\s*수출입\s*신고\s*당시의\s*물품\s*상태에\s*따라\s*변경될\s*수\s*있음\.?"),
    re.compile(r"\[?\s*분석\s*결과는\s*제시된\s*시료에\s*한함\s*\]?"),
]
_SPACES = re.compile(r"[^\S\n]+")
_NEWLINES = re.compile(r"\s*\n\s*")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LATIN_WORD = re.compile(r"[a-z][a-z0-9]*(?:['-][a-z0-9]+)*")
_HANGUL_RUN = re.compile(r"[\uac00-\ud7a3]+")
_TOKEN = re.compile(r"[a-z][a-z0-9]*|[\uac00-\ud7a3]+|[0-9]+")

# A few function words per language, enough to tell English from other Latin-script languages.
_STOPWORDS = {
    "en": {
        "the",
        "and",
        "of",
        "with",
        "for",
        "in",
        "to",
        "a",
        "an",
        "or",
        "is",
        "are",
        "made",
        "from",
        "by",
        "used",
        "on",
        "which",
        "this",
        "that",
        "not",
        "other",
        "as",
        "be",
        "its",
        "into",
        "without",
    },
    "de": {
        "der",
        "die",
        "das",
        "und",
        "mit",
        "für",
        "von",
        "aus",
        "ist",
        "ein",
        "eine",
        "einer",
        "einem",
        "nicht",
        "auf",
        "zum",
        "zur",
        "den",
        "dem",
        "des",
        "wird",
        "oder",
        "sowie",
        "im",
    },
    "fr": {
        "le",
        "la",
        "les",
        "et",
        "des",
        "du",
        "de",
        "pour",
        "avec",
        "une",
        "un",
        "est",
        "sur",
        "dans",
        "en",
        "au",
        "aux",
        "par",
        "qui",
        "sont",
    },
    "es": {"el", "los", "las", "y", "de", "del", "para", "con", "una", "un", "es", "por", "que", "en", "se"},
    "nl": {
        "de",
        "het",
        "een",
        "en",
        "van",
        "met",
        "voor",
        "is",
        "op",
        "uit",
        "die",
        "dat",
        "wordt",
        "bestaande",
        "onder",
        "andere",
        "volgens",
    },
    "it": {"il", "lo", "gli", "e", "di", "della", "del", "per", "con", "una", "un", "che", "sono", "da"},
    "pt": {"o", "os", "as", "e", "de", "do", "da", "para", "com", "uma", "um", "que", "em", "não"},
    "ro": {
        "și",
        "este",
        "din",
        "cu",
        "pentru",
        "la",
        "în",
        "care",
        "sunt",
        "produsul",
        "sau",
        "unui",
        "unei",
    },
}


def normalise(text: str, limit: int = MODEL_LIMIT) -> str:
    """The text the model reads: NFKC, HTML entities decoded, boilerplate and control characters removed,
    runs of spaces and of line breaks collapsed (one line break kept: lines are fields), cut to ``limit`` characters (at a word boundary when one is near)."""
    if not text:
        return ""
    text = text[:RAW_LIMIT]
    text = unicodedata.normalize("NFKC", html.unescape(text))
    text = _CONTROL.sub(" ", text)
    for pattern in _BOILERPLATE:
        text = pattern.sub(" ", text)
    text = _NEWLINES.sub("\n", _SPACES.sub(" ", text)).strip()
    if len(text) > limit:
        cut = text.rfind(" ", int(limit * 0.9), limit)
        text = text[: cut if cut > 0 else limit]
    return text


@dataclass(frozen=True, slots=True)
class ScriptProfile:
    """How many letters of each script a text has (after normalisation)."""

    hangul: int = 0
    latin: int = 0
    han: int = 0  # Chinese characters (also used in Korean and Japanese)
    kana: int = 0
    other_letters: int = 0  # Cyrillic, Arabic, Thai, ...
    digits: int = 0
    symbols: int = 0  # emoji, punctuation, pictographs

    @property
    def letters(self) -> int:
        return self.hangul + self.latin + self.han + self.kana + self.other_letters


def script_profile(text: str) -> ScriptProfile:
    counts = {"hangul": 0, "latin": 0, "han": 0, "kana": 0, "other_letters": 0, "digits": 0, "symbols": 0}
    for ch in text:
        code = ord(ch)
        if 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
            counts["hangul"] += 1
        elif ch.isascii():
            if ch.isalpha():
                counts["latin"] += 1
            elif ch.isdigit():
                counts["digits"] += 1
            elif not ch.isspace():
                counts["symbols"] += 1
        elif 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF:
            counts["han"] += 1
        elif 0x3040 <= code <= 0x30FF:
            counts["kana"] += 1
        elif ch.isalpha():
            if unicodedata.name(ch, "").startswith("LATIN"):
                counts["latin"] += 1
            else:
                counts["other_letters"] += 1
        elif ch.isdigit():
            counts["digits"] += 1
        elif not ch.isspace():
            counts["symbols"] += 1
    return ScriptProfile(**counts)


def latin_words(text: str) -> list[str]:
    return _LATIN_WORD.findall(text.lower())


def tokens(text: str) -> list[str]:
    """Lower-cased Latin words, Hangul runs and numbers: the plain word tokens (no morphology)."""
    return _TOKEN.findall(text.lower())


def stopword_language(words: list[str]) -> tuple[str | None, dict[str, int]]:
    """The Latin-script language whose function words occur most (None when there are none)."""
    counts = {lang: sum(1 for w in words if w in stop) for lang, stop in _STOPWORDS.items()}
    best = max(counts, key=lambda k: (counts[k], k == "en"))
    return (best if counts[best] > 0 else None), counts


def detect_language(text: str) -> str:
    """'ko', 'en', 'other' (another language or script) or 'none' (no letters at all)."""
    profile = script_profile(text)
    if profile.letters == 0:
        return "none"
    if profile.hangul >= 2 and profile.hangul >= 0.15 * profile.letters:
        return "ko"
    if profile.latin < 0.6 * profile.letters:
        return "other"
    words = latin_words(text)
    lang, counts = stopword_language(words)
    if lang not in (None, "en") and counts[lang] >= 2 and counts[lang] > 2 * counts["en"]:
        return "other"
    return "en"


def english_part(text: str) -> str:
    """The English sentences of a multilingual text (EU BTI descriptions: original, English, Korean)."""
    hangul = _HANGUL_RUN.search(text)
    head = text[: hangul.start()] if hangul else text
    sentences = re.split(r"(?<=[.;:])\s+", head)
    kept: list[str | None] = []  # None: a gap, the next stopword-free piece is not English
    for sentence in sentences:
        words = latin_words(sentence)
        if not words:
            continue
        _, counts = stopword_language(words)
        other = max(v for k, v in counts.items() if k != "en")
        continues = bool(kept) and kept[-1] is not None
        if counts["en"] > other or (counts["en"] == other and continues):
            kept.append(sentence)
        elif kept and kept[-1] is not None:
            kept.append(None)
    return " ".join(k for k in kept if k).strip()


def english_segments(product_name: str) -> str:
    """The English segments of a KCS product name ("Red ginseng extract; 발효홍삼추출물" -> "Red ginseng extract")."""
    kept = []
    for segment in product_name.split(";"):
        segment = segment.strip()
        profile = script_profile(segment)
        if profile.latin >= 3 and profile.latin >= 0.9 * profile.letters:
            kept.append(segment)
    text = "; ".join(kept)
    return text if len(re.findall(r"[A-Za-z]{2,}", text)) >= 2 else ""


def query_meta(text: str) -> list[float]:
    """What kind of query this is, for the ranker: share of Hangul letters, length, several lines or one."""
    profile = script_profile(text[:2000])
    return [
        profile.hangul / max(profile.letters, 1),
        float(len(text)).__pow__(0.5) / 40.0,
        float("\n" in text),
    ]
