"""Word tokens for the word-level index: Korean content morphemes (kiwipiepy) and English words.

Korean is agglutinative: "플라스틱으로" and "플라스틱제" must both give "플라스틱", which character n-grams only
approximate. Kiwi splits them; we keep nouns, roots, foreign words and numbers. English words get a light
plural folding ("shoes" -> "shoe"). The analyser is loaded once per process.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from typing import Any

from kiwipiepy import Kiwi

_CONTENT_TAGS = frozenset({"NNG", "NNP", "XR", "SL", "SH", "SN", "NR"})
_LATIN = re.compile(r"[a-z][a-z0-9]*")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_lock = threading.Lock()


@cache
def _kiwi() -> Kiwi:
    return Kiwi(num_workers=1)


def fold_english(word: str) -> str:
    """Plural folding good enough for matching tariff wording ("articles" ~ "article", "boxes" ~ "box")."""
    if len(word) <= 3 or word.endswith("ss") or word.endswith("us") or word.endswith("is"):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def _english(text: str) -> list[str]:
    return [fold_english(w) for w in _LATIN.findall(text.lower())]


def _from_tokens(tokens: Iterable[Any]) -> list[str]:  # kiwipiepy tokens (kiwipiepy has no type information)
    out: list[str] = []
    for token in tokens:
        if token.tag not in _CONTENT_TAGS:
            continue
        form = token.form.lower()
        if token.tag == "SL":
            out += _english(form)
        else:
            out.append(form)
    return out


def analyse(text: str) -> list[str]:
    """Content tokens of one text (Korean morphemes + folded English words + numbers)."""
    return list(_analyse_cached(text))


@lru_cache(maxsize=2048)
def _analyse_cached(text: str) -> tuple[str, ...]:
    """A request analyses the same text twice (decline check, then the index); the second time is free."""
    if not _HANGUL.search(text):
        return tuple(_english(text) + re.findall(r"\d+", text))
    with _lock:
        tokens = _kiwi().tokenize(text)
    return tuple(_from_tokens(tokens))


def analyse_many(texts: Sequence[str]) -> list[list[str]]:
    """The same for many texts; Korean ones are analysed in one batch (much faster)."""
    if len(texts) <= 4:  # a request: one or two texts, through the cache
        return [analyse(t) for t in texts]
    out: list[list[str] | None] = [None] * len(texts)
    korean = [i for i, t in enumerate(texts) if _HANGUL.search(t)]
    for i, text in enumerate(texts):
        if not _HANGUL.search(text):
            out[i] = _english(text) + re.findall(r"\d+", text)
    if korean:
        with _lock:
            results = list(_kiwi().tokenize([texts[i] for i in korean]))
        for i, tokens in zip(korean, results, strict=True):
            out[i] = _from_tokens(tokens)
    return [o or [] for o in out]


def identity(tokens: list[str]) -> list[str]:
    """Analyzer for a TfidfVectorizer fed with pre-tokenised documents (module-level so it pickles)."""
    return tokens
