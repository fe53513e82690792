"""Watchlist matcher: precision and recall on a labelled set of name variants, and screening speed.

The labelled set is built here, deterministically (seeded), from Korean names written in Hangul and the ways
passports, airline systems and lists write them (Revised Romanization, customary surname spellings, SOO/SU,
YOUNG/YEONG, hyphenated or split given names, family name last) and from European names with diacritics and
one-letter typos. Positives pair a listed person with a variant of the same name; negatives pair them with a
different person from the same pool (often the same family name: the hard case). Dates of birth are left out
so the figures measure the names alone.

    PYTHONPATH=src python -m benchmarks.traveller.screening [--entries 2000 --passengers 50]
"""

from __future__ import annotations

import argparse
import random
import time

from clearway.traveller.names import romanise
from clearway.traveller.screening import Person, WatchEntry, screen, screen_one

SURNAMES = {
    "김": ["KIM", "GIM"],
    "이": ["LEE", "YI", "RHEE"],
    "박": ["PARK", "PAK"],
    "최": ["CHOI", "CHOE"],
    "정": ["JUNG", "JEONG", "CHUNG"],
    "강": ["KANG"],
    "조": ["CHO", "JO"],
    "윤": ["YOON", "YUN"],
    "장": ["JANG", "CHANG"],
    "임": ["LIM", "IM"],
}
GIVEN = [
    "민수",
    "서연",
    "지훈",
    "영호",
    "수진",
    "현우",
    "은지",
    "준영",
    "성민",
    "하은",
    "동현",
    "지민",
    "영수",
    "혜진",
]
VARIANTS = [("EO", "U"), ("U", "OO"), ("YEONG", "YOUNG"), ("EU", "U")]
EUROPEAN = [
    "Jürgen Müller",
    "François Dubois",
    "José García",
    "Søren Kierkegaard",
    "Zoë Schäfer",
    "Łukasz Nowak",
    "Ana María López",
    "Björn Andersson",
]


def _latin_variants(rng: random.Random, hangul_family: str, hangul_given: str) -> list[str]:
    given = romanise(hangul_given)
    spelled = given
    for old, new in VARIANTS:
        if old in spelled and rng.random() < 0.5:
            spelled = spelled.replace(old, new, 1)
    syllables = [romanise(s) for s in hangul_given]
    family = rng.choice(SURNAMES[hangul_family])
    return [
        f"{family} {given}",
        f"{given} {family}",
        f"{family} {'-'.join(syllables)}",
        f"{family} {' '.join(syllables)}",
        f"{spelled} {family}",
        hangul_family + hangul_given,
    ]


def _typo(rng: random.Random, name: str) -> str:
    i = rng.randrange(1, len(name) - 1)
    while not name[i].isalpha():
        i = rng.randrange(1, len(name) - 1)
    return name[:i] + rng.choice("AEIOURSTN") + name[i + 1 :]


def labelled_pairs(seed: int = 13) -> list[tuple[Person, WatchEntry, bool]]:
    rng = random.Random(seed)
    people = [(f, g) for f in SURNAMES for g in GIVEN]
    pairs: list[tuple[Person, WatchEntry, bool]] = []
    for n, (family, given) in enumerate(people):
        entry = WatchEntry(f"K{n}", family + given)
        for variant in _latin_variants(rng, family, given):
            pairs.append((Person(variant), entry, True))
        for _ in range(3):
            other = rng.choice([p for p in people if p != (family, given)])
            pairs.append((Person(rng.choice(_latin_variants(rng, *other))), entry, False))
    for n, name in enumerate(EUROPEAN):
        entry = WatchEntry(f"E{n}", name)
        first, *rest = name.split()
        pairs += [
            (Person(name.upper()), entry, True),
            (Person(f"{' '.join(rest)} {first}"), entry, True),
            (Person(_typo(rng, name.upper())), entry, True),
        ]
        pairs += [(Person(other), entry, False) for other in EUROPEAN if other != name]
    return pairs


def precision_recall(pairs: list[tuple[Person, WatchEntry, bool]]) -> dict[str, float]:
    tp = fp = fn = tn = 0
    for person, entry, same in pairs:
        hit = screen_one(person, entry).hit
        tp += hit and same
        fp += hit and not same
        fn += (not hit) and same
        tn += (not hit) and not same
    return {
        "pairs": len(pairs),
        "positives": tp + fn,
        "negatives": fp + tn,
        "precision": tp / (tp + fp),
        "recall": tp / (tp + fn),
        "false_positives": fp,
        "false_negatives": fn,
    }


def speed(entries: int, passengers: int, seed: int = 13) -> dict[str, float]:
    rng = random.Random(seed)
    people = [(f, g) for f in SURNAMES for g in GIVEN]
    names = [
        rng.choice(_latin_variants(rng, *rng.choice(people))) + f" {rng.choice('ABCDEFGH')}"
        for _ in range(entries)
    ]
    listed = [WatchEntry(str(i), name) for i, name in enumerate(names)]
    flight = [Person(rng.choice(_latin_variants(rng, *rng.choice(people)))) for _ in range(passengers)]
    started = time.perf_counter()
    for person in flight:
        screen(person, listed)
    seconds = time.perf_counter() - started
    return {
        "entries": entries,
        "passengers": passengers,
        "seconds": round(seconds, 2),
        "comparisons_per_second": round(entries * passengers / seconds),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--passengers", type=int, default=50)
    args = parser.parse_args()
    print(precision_recall(labelled_pairs()))
    print(speed(args.entries, args.passengers))


if __name__ == "__main__":
    main()
