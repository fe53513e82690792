"""Watchlist matcher: precision and recall on a labelled set of name variants, and screening speed.

The labelled set is built here, deterministically (seeded), from Korean names written in Hangul and the ways
passports, airline systems and lists write them (Revised Romanization, customary surname spellings, SOO/SU,
YOUNG/YEONG, hyphenated or split given names, family name last) and from European names with diacritics and
one-letter typos. Positives pair a listed person with a variant of the same name; negatives pair them with a
different person from the same pool (often the same family name: the hard case). Dates of birth are left out
so the figures measure the names alone.

    PYTHONPATH=src:. python -m benchmarks.traveller.screening [--entries 100000 --passengers 500]

Precision and recall are reported twice: comparing every pair (``screen_one``, before the index) and through
the candidate index (``WatchIndex``, after: a pair counts as a hit only when the index proposes the entry and
the full score then reaches the threshold). Speed is the index's: a list of ``--entries`` distinct people
(Korean names from 40 family names x 2-syllable given names from 60 common syllables, written in Hangul or
in one of the romanised spellings, and European names from first x last name pools), a flight of
``--passengers`` (a tenth of them listed people in a variant spelling) screened on one core. The exhaustive
speed is measured on a slice and extrapolated.
"""

from __future__ import annotations

import argparse
import random
import time

from benchmarks.record import write
from clearway.traveller.names import romanise
from clearway.traveller.screening import Person, WatchEntry, WatchIndex, screen, screen_one

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


def precision_recall(pairs: list[tuple[Person, WatchEntry, bool]], *, indexed: bool) -> dict[str, float]:
    """Every pair compared (``indexed=False``), or only what the candidate index proposes (``indexed=True``)."""
    index = WatchIndex(list({e.entry_id: e for _, e, _ in pairs}.values())) if indexed else None
    tp = fp = fn = tn = 0
    for person, entry, same in pairs:
        if index is None:
            hit = screen_one(person, entry).hit
        else:
            hit = any(m.entry_id == entry.entry_id for m in index.screen(person))
        tp += hit and same
        fp += hit and not same
        fn += (not hit) and same
        tn += (not hit) and not same
    return {
        "pairs": len(pairs),
        "positives": tp + fn,
        "negatives": fp + tn,
        "precision": round(tp / (tp + fp), 4),
        "recall": round(tp / (tp + fn), 4),
        "false_positives": fp,
        "false_negatives": fn,
    }


FAMILY_HANGUL = [*SURNAMES, *"강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진"]
SYLLABLES = list(
    "민수서연지훈영호진현우은준성하동혜경미정석재원태상희선주철용숙순자옥명광국기병종승한규범도윤"
    "찬결건율채다소예유시아"
)
FIRST = ["Anna", "Jürgen", "Marie", "José", "Luca", "Sofia", "Mateo", "Zoë", "Björn", "Elena", "Noah"]
FIRST += ["Olivia", "Lukas", "Chloé", "Hugo", "Ingrid", "Pavel", "Agnieszka", "Dmitri", "Fatima", "Omar"]
LAST = ["Müller", "Dubois", "García", "Nowak", "Andersson", "Rossi", "Novák", "Smith", "Jansen", "Kowalski"]
LAST += ["Schäfer", "López", "Martin", "Silva", "Ivanov", "Nielsen", "Horvat", "Papadopoulos", "Weber"]


def _distinct_people(rng: random.Random, n: int) -> list[str]:
    """``n`` distinct listed names: mostly Korean (Hangul or romanised), a third European with a suffix."""
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < n:
        if rng.random() < 0.66:
            name = rng.choice(FAMILY_HANGUL) + "".join(rng.choices(SYLLABLES, k=rng.choice((1, 2, 2, 2, 3))))
            if rng.random() < 0.5:
                name = f"{romanise(name[0])} {romanise(name[1:])}"
        else:
            name = f"{rng.choice(FIRST)} {rng.choice(FIRST)} {rng.choice(LAST)}{rng.choice(LAST).lower()}"
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def speed(entries: int, passengers: int, seed: int = 13) -> dict[str, float]:
    rng = random.Random(seed)
    names = _distinct_people(rng, entries + passengers)
    listed = [WatchEntry(str(i), name) for i, name in enumerate(names[:entries])]
    flight = [Person(name) for name in names[entries:]]
    for i in range(0, passengers, 10):  # a tenth of the flight is listed, written another way
        listed_name = names[rng.randrange(entries)]
        flight[i] = Person(listed_name.upper() if listed_name.isascii() else romanise(listed_name))
    started = time.perf_counter()
    index = WatchIndex(listed)
    built = time.perf_counter() - started
    started = time.perf_counter()
    hits = sum(1 for person in flight if index.screen(person))
    seconds = time.perf_counter() - started
    sample = listed[:2000]
    started = time.perf_counter()
    for person in flight[:20]:
        screen(person, sample)
    exhaustive = (time.perf_counter() - started) / (20 * len(sample)) * entries * passengers
    return {
        "entries": entries,
        "passengers": passengers,
        "index_keys": index.key_count,
        "index_build_seconds": round(built, 2),
        "flight_seconds": round(seconds, 3),
        "passengers_with_hits": hits,
        "exhaustive_seconds_extrapolated": round(exhaustive, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--passengers", type=int, default=500)
    args = parser.parse_args()
    pairs = labelled_pairs()
    results = {
        "before_all_pairs": precision_recall(pairs, indexed=False),
        "after_index": precision_recall(pairs, indexed=True),
        "speed": speed(args.entries, args.passengers),
    }
    print(results)
    print(write("traveller_screening", results))


if __name__ == "__main__":
    main()
