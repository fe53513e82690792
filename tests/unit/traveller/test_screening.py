"""The watchlist matcher: names across Hangul and Latin, order, hyphens, spelling variants, diacritics;
date of birth and nationality as evidence; a score and the reasons for every hit."""

from __future__ import annotations

from datetime import date

from hypothesis import example, given
from hypothesis import strategies as st

from clearway.traveller.names import fold_latin, forms, romanise, script_of
from clearway.traveller.screening import Person, WatchEntry, WatchIndex, screen, screen_one

KIM = WatchEntry(
    "W1",
    "김민수",
    aliases=("KIM MIN-SOO",),
    date_of_birth=date(1985, 3, 14),
    nationality="KOR",
    reason="smuggling",
    source="test list",
)
MULLER = WatchEntry("W2", "Jürgen Müller", date_of_birth=date(1970, 1, 2), nationality="DEU")


def test_romanisation_and_scripts() -> None:
    assert romanise("김민수") == "GIMMINSU" and romanise("박정희") == "BAKJEONGHUI"
    assert script_of("김민수") == "hangul" and script_of("KIM MIN SU") == "latin"
    assert script_of("김 MINSU") == "mixed" and script_of("123") == "none"
    assert fold_latin("Jürgen  Müller-Lüdenscheidt") == "JURGEN MULLERLUDENSCHEIDT"
    assert next(f.text for f in forms("남궁민수", None)) == "NAMGUNG MINSU"


def test_the_same_person_in_every_way_a_list_or_a_passport_writes_the_name() -> None:
    for person in (
        Person("KIM", "MIN SU"),
        Person("MINSU KIM"),
        Person("GIM", "MIN-SU"),
        Person("김민수"),
        Person("KIM", "MINSOO"),
        Person("Kim", "Min-Soo"),
        Person("MIN SU", "KIM"),
    ):
        match = screen_one(person, KIM)
        assert match.hit, (person, match)
    hangul = screen_one(Person("KIM", "MIN SU"), KIM)
    assert "Hangul 김민수 romanised as GIM MINSU" in hangul.reasons[0]
    swapped = screen_one(Person("MINSU KIM"), KIM)
    assert "swapped" in swapped.reasons[0] or "family name last" in swapped.reasons[0]


def test_other_people_do_not_match() -> None:
    for person in (
        Person("KIM", "MINJI"),
        Person("LEE", "MINSU"),
        Person("PARK", "SOYEON"),
        Person("김민지"),
        Person("MINSU KANG"),
        Person("LIM", "MIN-SU"),
    ):
        assert not screen_one(person, KIM).hit, person


def test_diacritics_and_typos() -> None:
    assert screen_one(Person("MULLER", "JURGEN"), MULLER).hit
    assert screen_one(Person("MUELER", "JURGEN"), MULLER).hit  # one letter wrong
    assert not screen_one(Person("MILLS", "JORDAN"), MULLER).hit


def test_date_of_birth_and_nationality_confirm_or_refute() -> None:
    confirmed = screen_one(Person("KIM", "MINSU", date(1985, 3, 14), "KOR"), KIM)
    unknown = screen_one(Person("KIM", "MINSU"), KIM)
    refuted = screen_one(Person("KIM", "MINSU", date(1990, 7, 1), "USA"), KIM)
    assert confirmed.score > unknown.score > refuted.score
    assert confirmed.hit and unknown.hit and not refuted.hit
    listed = WatchEntry("W4", "KIM MINSU", date_of_birth=date(1985, 3, 4))
    listed = WatchEntry("W4", "KIM MINSU", date_of_birth=date(1985, 3, 4), nationality="KOR")
    spelled = [
        screen_one(Person("KIM", "MINSOO", born, "USA"), listed)
        for born in (None, date(1985, 4, 3), date(1985, 3, 4))
    ]
    assert spelled[0].name_score == 97  # SOO ~ SU after folding spelling variants
    assert [m.score for m in spelled] == [87, 91, 97]  # nationality -10; +4 when transposed, +10 when equal
    assert any("transposed" in r for r in spelled[1].reasons)
    assert any("date of birth differs" in r for r in refuted.reasons)
    assert any("nationality differs" in r for r in refuted.reasons)
    assert any("confirms" in r for r in confirmed.reasons)


def test_screen_lists_hits_best_first() -> None:
    other = WatchEntry("W3", "KIM MINSU", date_of_birth=date(1960, 1, 1))
    hits = screen(Person("KIM", "MINSU", date(1985, 3, 14), "KOR"), [MULLER, other, KIM])
    assert [h.entry_id for h in hits] == ["W1"]


LATIN = st.text(alphabet="ABCDEFGHIJKLMNOPRSTUVWYZÉÜÖÇÑ", min_size=2, max_size=10)
HANGUL = st.text(alphabet=[chr(c) for c in range(0xAC00, 0xD7A4, 97)], min_size=2, max_size=4)
DOB = st.one_of(st.none(), st.dates(date(1920, 1, 1), date(2020, 1, 1)))


@given(LATIN, LATIN, DOB)
def test_exact_name_always_matches(family: str, given_name: str, born: date | None) -> None:
    entry = WatchEntry("P", f"{family} {given_name}", date_of_birth=born)
    person = Person(family, given_name, born)
    match = screen_one(person, entry)
    assert match.hit and match.name_score == 100


@given(HANGUL, DOB)
def test_exact_hangul_name_always_matches(name: str, born: date | None) -> None:
    assert screen_one(Person(name, None, born), WatchEntry("P", name, date_of_birth=born)).hit


@given(LATIN, LATIN, st.sampled_from([KIM, MULLER]))
def test_order_and_case_do_not_change_the_score(family: str, given_name: str, entry: WatchEntry) -> None:
    base = screen_one(Person(family, given_name), entry).name_score
    assert screen_one(Person(given_name, family), entry).name_score == base
    assert screen_one(Person(family.lower(), given_name.lower()), entry).name_score == base
    assert (
        screen_one(Person(f"{family} {given_name}"), entry).name_score
        == screen_one(Person(f"{given_name} {family}"), entry).name_score
    )


def test_the_index_finds_what_comparing_every_entry_finds() -> None:
    entries = [
        KIM,
        MULLER,
        WatchEntry("W3", "PARK SEO-YEON"),
        WatchEntry("W4", "이영호", aliases=("RHEE YOUNG HO",)),
        WatchEntry("W5", "KANG MINSU"),
        WatchEntry("W6", "Anna Maria Rossi"),
    ]
    index = WatchIndex(entries)
    people = [
        Person("GIM", "MIN-SOO", date(1985, 3, 14), "KOR"),
        Person("MINSU KIM"),
        Person("MUELER", "JURGEN"),
        Person("PAK", "SEOYUN"),
        Person("LEE", "YEONGHO"),
        Person("JANG", "MINSU"),
        Person("ROSSI", "ANNA MARIA"),
        Person("SMITH", "JOHN"),
        Person("박서연"),
    ]
    for person in people:
        assert [m.entry_id for m in index.screen(person)] == [m.entry_id for m in screen(person, entries)]
    assert [m.entry_id for m in index.screen(Person("LEE", "YEONGHO"))] == ["W4"]
    assert index.screen(Person("SMITH", "JOHN")) == []


@given(st.sampled_from(["KIM", "GIM", "LEE", "YI", "PARK"]), st.text("AEIOUMNSGHJY", min_size=2, max_size=7))
@example("KIM", "YEE")  # folds to another spelling than its typo "YEQ" does: found through the written form
def test_a_one_letter_typo_in_the_given_name_is_still_a_candidate(family: str, given_name: str) -> None:
    entry = WatchEntry("X", f"{family} {given_name}")
    index = WatchIndex([entry])
    typo = given_name[:-1] + ("Q" if given_name[-1] != "Q" else "Z")
    assert index.candidates(forms(family, typo)) == [0]
