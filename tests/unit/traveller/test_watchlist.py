"""Watchlist files: entries in Hangul or Latin read; a file with broken rows refused whole, each row named."""

from __future__ import annotations

from datetime import date

import pytest

from clearway.errors import ValidationFailed
from clearway.traveller.watchlist import read_watchlist

HEADER = "entry_id,name,aliases,date_of_birth,nationality,reason,source\n"


def test_entries_with_aliases_in_both_scripts() -> None:
    entries = read_watchlist(
        HEADER + "W1,김민수,KIM MIN-SOO|GIM MINSU,1985-03-14,kor,smuggling,KCS\n"
        "W2,Jürgen Müller,,,DEU,,Interpol\n"
    )
    assert [e.entry_id for e in entries] == ["W1", "W2"]
    assert entries[0].aliases == ("KIM MIN-SOO", "GIM MINSU") and entries[0].nationality == "KOR"
    assert entries[0].date_of_birth == date(1985, 3, 14) and entries[1].date_of_birth is None


def test_broken_rows_are_each_named_and_nothing_is_loaded() -> None:
    text = HEADER + (
        "W1,KIM MINSU,,1985-02-30,KOR,,\nW1,LEE SOYEON,,,,,\n,김 MINSU,,,Korea,,\nW4,PARK,,,,,,extra\n"
    )
    with pytest.raises(ValidationFailed) as caught:
        read_watchlist(text)
    assert {e.pointer: e.code for e in caught.value.errors} == {
        "/rows/2/date_of_birth": "bad_date",
        "/rows/3/entry_id": "duplicate",
        "/rows/4/entry_id": "missing",
        "/rows/4/name": "bad_name",
        "/rows/4/nationality": "bad_format",
        "/rows/5": "extra_fields",
    }


def test_a_file_without_header_is_refused() -> None:
    with pytest.raises(ValidationFailed) as caught:
        read_watchlist("W1,KIM MINSU\n")
    assert {e.code for e in caught.value.errors} == {"missing_column"}
