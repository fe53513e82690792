"""The personal customs code format: check digit, errors it catches, masking, holder matching."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from clearway.parcel import codes

serials = st.text(alphabet="0123456789", min_size=11, max_size=11)


@given(serials)
def test_every_made_code_checks(serial: str) -> None:
    code = codes.make_code(serial)
    assert len(code) == 13 and code.startswith("P") and codes.check_code(code) is None
    assert codes.check_code(f" {code[:5]}-{code[5:].lower()} ".replace("P", "p")) is None  # as typed


@given(serials, st.integers(1, 12), st.integers(1, 9))
def test_any_single_digit_error_is_caught(serial: str, position: int, delta: int) -> None:
    code = codes.make_code(serial)
    wrong = code[:position] + str((int(code[position]) + delta) % 10) + code[position + 1 :]
    problem = codes.check_code(wrong)
    assert problem is not None and problem.code == "code_invalid"


@given(serials, st.integers(1, 11))
def test_any_adjacent_transposition_is_caught(serial: str, position: int) -> None:
    code = codes.make_code(serial)
    if code[position] == code[position + 1]:
        return
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
    assert codes.check_code(swapped) is not None


def test_malformed_codes() -> None:
    for text in ("", "P123", "X12345678901" + "2", "P1234567890AB", "P１２３４５６７８９０１２"):
        assert codes.check_code(text) is not None


@given(serials)
def test_masks_show_no_more_than_the_tail(serial: str) -> None:
    code = codes.make_code(serial)
    masked = codes.mask_code(code)
    assert masked.startswith("P") and masked.endswith(code[-4:]) and masked.count("*") == 8


def test_name_and_phone_masks() -> None:
    assert codes.mask_name("김민수") == "김*수"
    assert codes.mask_name("John Smith") == "J**n S***h"
    assert codes.mask_phone("010-1234-5678") == "010-****-5678"
    assert codes.mask_phone("+82 10 1234 5678") == "821-*****-5678"


def test_holder_matching_as_carriers_check() -> None:
    assert codes.holder_mismatches("John SMITH", "010-1234-5678", "john smith", "+82 10 9999 5678") == []
    assert codes.holder_mismatches("Mary-Jane Doe", "01012345678", "MARY JANE DOE", "5678") == []
    found = codes.holder_mismatches("김민수", "010-1234-5678", "김민준", "010-1234-5679")
    assert [p.code for p in found] == ["name_mismatch", "phone_mismatch"]
    short = codes.holder_mismatches("김민수", "01012345678", "김민수", "567")
    assert [p.code for p in short] == ["phone_mismatch"]
