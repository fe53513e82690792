"""Personal names across scripts: which script, Hangul → Latin romanisation, comparable forms. Pure.

Romanisation follows the Revised Romanization of Korean (문화관광부 고시 제2000-8호) letter by letter, as
passports write names (no sound changes across syllables: 민수 → MINSU). Real documents and lists also use the
older McCune-Reischauer-like and customary spellings (김 = KIM/GIM, 이 = LEE/YI/RHEE, 수 = SU/SOO), so names are
also compared in a *canonical* form that folds those variants together.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_INITIALS = (
    "G",
    "KK",
    "N",
    "D",
    "TT",
    "R",
    "M",
    "B",
    "PP",
    "S",
    "SS",
    "",
    "J",
    "JJ",
    "CH",
    "K",
    "T",
    "P",
    "H",
)
_MEDIALS = (
    "A",
    "AE",
    "YA",
    "YAE",
    "EO",
    "E",
    "YEO",
    "YE",
    "O",
    "WA",
    "WAE",
    "OE",
    "YO",
    "U",
    "WO",
    "WE",
    "WI",
    "YU",
    "EU",
    "UI",
    "I",
)
_FINALS = (
    "",
    "K",
    "K",
    "K",
    "N",
    "N",
    "N",
    "T",
    "L",
    "K",
    "M",
    "L",
    "L",
    "L",
    "P",
    "L",
    "M",
    "P",
    "P",
    "T",
    "T",
    "NG",
    "T",
    "T",
    "K",
    "T",
    "P",
    "T",
)
# Two-syllable family names (복성); every other Korean family name is one syllable.
_DOUBLE_SURNAMES = frozenset({"남궁", "제갈", "선우", "황보", "독고", "사공", "서문", "동방"})

# Customary spellings of common family names, each folded to one canonical spelling (the first).
_SURNAME_CLASSES = (
    ("KIM", "GIM"),
    ("LEE", "YI", "RHEE", "RHIE", "I", "RI", "LI", "YEE"),
    ("PARK", "PAK", "BAK", "BAHK"),
    ("CHOI", "CHOE", "CHOY"),
    ("JUNG", "JEONG", "CHUNG", "CHEONG"),
    ("KANG", "GANG"),
    ("CHO", "JO", "JOH"),
    ("YOON", "YUN"),
    ("JANG", "CHANG"),
    ("LIM", "IM", "YIM", "RIM"),
    ("SHIN", "SIN"),
    ("OH", "O"),
    ("SEO", "SUH", "SO"),
    ("KWON", "GWON"),
    ("AHN", "AN"),
    ("JEON", "JUN", "CHUN", "CHEON"),
    ("KO", "GO", "KOH"),
    ("MOON", "MUN"),
    ("SOHN", "SON"),
    ("BAE", "BAI", "PAE"),
    ("BAEK", "PAIK", "BAIK", "BACK"),
    ("HEO", "HUH", "HUR"),
    ("NOH", "NO", "ROH", "RO"),
    ("KWAK", "GWAK"),
    ("SUNG", "SEONG"),
    ("WOO", "U"),
    ("KOO", "GU", "KU"),
    ("RYU", "YOO", "YU", "RYOO"),
    ("NAM",),
    ("HAN",),
    ("HWANG",),
    ("SONG",),
)
_SURNAME_CANON = {spelling: group[0] for group in _SURNAME_CLASSES for spelling in group}
# Common given-name spelling variants, folded in order (SOO → SU, YOUNG → YEONG → YUNG, EO → U...).
_GIVEN_FOLDS = (
    ("YOUNG", "YEONG"),
    ("OO", "U"),
    ("YEO", "YU"),
    ("EO", "U"),
    ("OU", "U"),
    ("EE", "I"),
    ("SH", "S"),
    ("CH", "J"),
    ("K", "G"),
    ("T", "D"),
    ("P", "B"),
)


def script_of(text: str) -> str:
    """'latin', 'hangul', 'other', 'mixed' (letters from more than one), or 'none' (no letters)."""
    scripts = set()
    for ch in text:
        if not ch.isalpha():
            continue
        if 0xAC00 <= ord(ch) <= 0xD7A3 or 0x1100 <= ord(ch) <= 0x11FF or 0x3130 <= ord(ch) <= 0x318F:
            scripts.add("hangul")
        elif unicodedata.name(ch, "").startswith("LATIN"):
            scripts.add("latin")
        else:
            scripts.add("other")
    if not scripts:
        return "none"
    return scripts.pop() if len(scripts) == 1 else "mixed"


def romanise(hangul: str) -> str:
    """Revised Romanization, syllable by syllable, upper case; other characters pass through."""
    out = []
    for ch in hangul:
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172:
            out.append(_INITIALS[code // 588] + _MEDIALS[(code % 588) // 28] + _FINALS[code % 28])
        else:
            out.append(ch)
    return "".join(out)


def fold_latin(text: str) -> str:
    """Upper case, diacritics removed (MÜLLER → MULLER), apostrophes and dots dropped, hyphens as joins."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).upper()
    plain = plain.replace("ß", "SS").replace("Ø", "O").replace("Æ", "AE").replace("Ł", "L")
    plain = re.sub("['\u2019`.]", "", plain)
    plain = re.sub(r"\s*-\s*", "", plain)  # MIN-SU → MINSU: a hyphen joins syllables of one given name
    return " ".join(re.sub(r"[^A-Z ]", " ", plain).split())


@dataclass(frozen=True, slots=True)
class NameForm:
    """One reading of a name: a family name and the given names joined, plus how it was read."""

    family: str
    given: str
    how: str

    @property
    def text(self) -> str:
        return f"{self.family} {self.given}".strip()

    def canonical(self) -> NameForm:
        return NameForm(canonical_family(self.family), canonical_given(self.given), self.how)


@lru_cache(maxsize=1 << 16)
def canonical_family(family: str) -> str:
    return _SURNAME_CANON.get(family, family)


@lru_cache(maxsize=1 << 16)
def canonical_given(given: str) -> str:
    for old, new in _GIVEN_FOLDS:
        given = given.replace(old, new)
    return given


def forms(family: str | None, given: str | None) -> list[NameForm]:
    """Every plausible (family, given) reading of a name given as two fields or as one full name.

    A full name in Latin script is read both ways (family first as in Korea, or last as in Europe); a Hangul
    name is split after its family name (one syllable, or two for a 복성) and romanised.
    """
    if family is not None and given is not None:
        raw = f"{family} {given}"
        fields = True
    else:
        raw = family or given or ""
        fields = False
    if script_of(raw) == "hangul":
        return _hangul_forms(family if fields else None, given if fields else None, raw)
    if fields:
        fam, giv = fold_latin(family or ""), fold_latin(given or "")
        result = [NameForm(fam.replace(" ", ""), giv.replace(" ", ""), "as given")]
        swapped = NameForm(giv.replace(" ", ""), fam.replace(" ", ""), "family and given names swapped")
        return [*result, swapped]
    tokens = fold_latin(raw).split()
    if not tokens:
        return []
    if len(tokens) == 1:
        return [NameForm(tokens[0], "", "single name")]
    return [
        NameForm(tokens[0], "".join(tokens[1:]), "family name first"),
        NameForm(tokens[-1], "".join(tokens[:-1]), "family name last"),
    ]


def _hangul_forms(family: str | None, given: str | None, raw: str) -> list[NameForm]:
    compact = "".join(raw.split())
    if family is None or given is None:
        cut = 2 if compact[:2] in _DOUBLE_SURNAMES and len(compact) > 2 else 1
        family, given = compact[:cut], compact[cut:]
    fam, giv = romanise("".join(family.split())), romanise("".join(given.split()))
    how = f"Hangul {compact} romanised as {fam} {giv}"
    return [NameForm(fam, giv, how), NameForm(giv, fam, how + ", family and given names swapped")]
