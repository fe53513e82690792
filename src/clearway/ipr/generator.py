"""Synthetic declaration lines with planted counterfeit patterns, for measuring the screen. Pure, seeded.

No public data of counterfeit seizures exists (customs keep them confidential), so this generator *writes*
them, and every figure measured on it says so. Each line is drawn from one named **pattern**; the patterns are
split in two families and the screen's weights (:mod:`clearway.ipr.core`) were set looking only at the
``TUNING`` family; the ``HELD_OUT`` family (other misspelling kinds, other scripts, other price levels and
genuine look-alikes) is used only to report figures.

Patterns (label 1 = counterfeit, 0 = not):

* tuning: ``fake_exact_cheap`` (exact mark, unauthorised importer, ≤ 20% of the band, non-genuine origin) 1;
  ``fake_typo_insert`` (a doubled letter, NIKEE) 1; ``genuine_authorised`` (authorised importer, in-band) 0;
  ``genuine_parallel`` (unauthorised importer, genuine origin, in-band, parallel imports permitted) 0;
  ``unbranded`` (no mark) 0.
* held out: ``fake_hangul`` (the Hangul form, 나이키) 1; ``fake_typo_drop`` (a dropped letter, Adids) 1;
  ``fake_spaced`` (A D I D A S) 1; ``fake_swap`` (adjacent letters swapped, Rloex) 1; ``fake_mid_price``
  (exact mark, 60–90% of the band's minimum, non-genuine origin) 1; ``fake_genuine_origin_cheap`` (genuine
  origin but ≤ 20% of the band) 1; ``lookalike_word`` (an ordinary word one letter from a mark: bike, like) 0;
  ``common_word_other_goods`` (apple in fruit) 0; ``parallel_hangul`` (genuine parallel import in Hangul) 0.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from clearway.ipr.core import PriceBand, RecordedRight, ScreenLine

AUTHORISED = "2208100001"


@dataclass(frozen=True, slots=True)
class Brand:
    marks: tuple[str, ...]
    hs6: str
    noun: tuple[str, str]  # English, Korean
    band: tuple[int, int]  # genuine USD per unit
    origins: tuple[str, ...]


BRANDS = (
    Brand(("NIKE", "나이키"), "640411", ("running shoes", "운동화"), (40, 220), ("VN", "ID")),
    Brand(("ADIDAS", "아디다스"), "640411", ("sneakers", "스니커즈"), (35, 200), ("VN", "ID", "CN")),
    Brand(("ROLEX", "롤렉스"), "910211", ("wrist watch", "손목시계"), (4000, 40000), ("CH",)),
    Brand(("CHANEL", "샤넬"), "420221", ("leather handbag", "가죽 핸드백"), (2500, 9000), ("FR", "IT")),
    Brand(("GUCCI", "구찌"), "420221", ("handbag", "핸드백"), (1200, 5000), ("IT",)),
    Brand(("SAMSUNG", "삼성"), "851713", ("smartphone", "스마트폰"), (250, 1500), ("KR", "VN")),
)
FAKE_ORIGINS = ("CN", "HK", "TR", "TH")
GENERIC = {
    "640411": ("sports shoes", "canvas shoes"),
    "910211": ("quartz watch", "digital watch"),
    "420221": ("tote bag", "pu handbag"),
    "851713": ("mobile phone", "android phone"),
}

TUNING = ("fake_exact_cheap", "fake_typo_insert", "genuine_authorised", "genuine_parallel", "unbranded")
HELD_OUT = (
    "fake_hangul",
    "fake_typo_drop",
    "fake_spaced",
    "fake_swap",
    "fake_mid_price",
    "fake_genuine_origin_cheap",
    "lookalike_word",
    "common_word_other_goods",
    "parallel_hangul",
)
LABEL = {p: int(p.startswith("fake_")) for p in TUNING + HELD_OUT}


def rights() -> list[RecordedRight]:
    out = [
        RecordedRight(
            id=i + 1,
            marks=b.marks,
            hs_scopes=(b.hs6[:4],),
            authorised_brns=frozenset({AUTHORISED}),
            genuine_origins=frozenset(b.origins),
            price_bands=(PriceBand(b.hs6, "*", "USD", Decimal(b.band[0]), Decimal(b.band[1])),),
            parallel_imports_allowed=True,
        )
        for i, b in enumerate(BRANDS)
    ]
    out.append(
        RecordedRight(
            id=len(out) + 1,
            marks=("APPLE", "애플"),
            hs_scopes=("8471", "8517"),
            parallel_imports_allowed=True,
        )
    )
    return out


@dataclass(frozen=True, slots=True)
class Example:
    pattern: str
    label: int
    line: ScreenLine


def _typo(word: str, kind: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    if kind == "insert":
        return word[:i] + word[i] + word[i:]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # swap


def example(pattern: str, rng: random.Random, number: int) -> Example:
    brand = rng.choice(BRANDS)
    latin, hangul = brand.marks
    low, high = brand.band
    qty = rng.choice((10, 50, 100, 300))
    origin = rng.choice(FAKE_ORIGINS)
    importer = f"{rng.randrange(100, 999)}81{rng.randrange(10000, 99999)}"
    unit = Decimal(rng.uniform(low * 0.05, low * 0.2)).quantize(Decimal("0.01"))
    code = brand.hs6 + "0000"
    english, korean = brand.noun
    text = f"{latin} {english}"
    if pattern == "fake_typo_insert":
        text = f"{_typo(latin, 'insert', rng)} {english}"
    elif pattern in ("genuine_authorised", "genuine_parallel", "parallel_hangul"):
        unit = Decimal(rng.uniform(low, high)).quantize(Decimal("0.01"))
        origin = rng.choice(brand.origins)
        if pattern == "genuine_authorised":
            importer = AUTHORISED
        if pattern == "parallel_hangul":
            text = f"{hangul} {korean} 병행수입"
    elif pattern == "unbranded":
        text = rng.choice(GENERIC[brand.hs6])
    elif pattern == "fake_hangul":
        text = f"{hangul} {korean}"
    elif pattern == "fake_typo_drop":
        text = f"{_typo(latin, 'drop', rng)} {english}"
    elif pattern == "fake_swap":
        text = f"{_typo(latin, 'swap', rng)} {english}"
    elif pattern == "fake_spaced":
        text = f"{' '.join(latin)} {english}"
    elif pattern == "fake_mid_price":
        unit = Decimal(rng.uniform(low * 0.6, low * 0.9)).quantize(Decimal("0.01"))
    elif pattern == "fake_genuine_origin_cheap":
        origin = rng.choice(brand.origins)
    elif pattern == "lookalike_word":
        text = f"{rng.choice(('bike', 'like', 'nice', 'adios', 'samsonite', 'role play'))} {english}"
    elif pattern == "common_word_other_goods":
        text, code = rng.choice(("fresh apple fuji", "apple juice concentrate")), "0808100000"
    line = ScreenLine(number, text, code, origin, Decimal(qty), unit * qty, "USD", importer)
    return Example(pattern, LABEL[pattern], line)


def generate(patterns: tuple[str, ...], per_pattern: int, seed: int) -> list[Example]:
    rng = random.Random(seed)
    return [example(p, rng, n) for n, p in enumerate(p for p in patterns for _ in range(per_pattern))]
