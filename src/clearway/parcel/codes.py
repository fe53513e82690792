"""Personal customs codes (개인통관고유부호): format, check character, masking, holder verification. Pure.

Format (Clearway's, modelled on the 13-character codes KCS issues, which start with ``P``)::

    P DDDDDDDDDDD C
    │ │           └ check digit: the Damm algorithm over the eleven serial digits
    │ └ eleven serial digits, drawn at random when the code is issued
    └ the letter P

The Damm check digit (H. M. Damm, 2004: a totally anti-symmetric quasigroup of order 10) detects every
single-digit error and every transposition of two adjacent digits (the check digit included), so a code typed
wrong by a buyer or a shop is refused as ``code_invalid`` before anything is looked up. Spaces and hyphens are
ignored and a lower-case ``p`` is accepted (:func:`normalise`).

Verification follows what carriers check before they file a list (목록통관): the name on the parcel must be
the holder's name (spaces, hyphens and letter case ignored, as foreigners' names are typed in many ways),
and the last four digits of the consignee's telephone number must be those of the holder's.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

PREFIX = "P"
SERIAL_DIGITS = 11
LENGTH = 1 + SERIAL_DIGITS + 1
PHONE_DIGITS_COMPARED = 4


# The Damm quasigroup of order 10 (Damm 2004, the table of his dissertation, also on Wikipedia).
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)


def check_digit(serial: str) -> str:
    """The Damm check digit of a string of decimal digits (a valid string with its digit ends in state 0)."""
    interim = 0
    for ch in serial:
        interim = _DAMM[interim][int(ch)]
    return str(interim)


def make_code(serial: str) -> str:
    """The code for eleven serial digits (the caller draws them at random)."""
    if len(serial) != SERIAL_DIGITS or not serial.isascii() or not serial.isdigit():
        raise ValueError(f"a serial is {SERIAL_DIGITS} decimal digits")
    return f"{PREFIX}{serial}{check_digit(serial)}"


def normalise(text: str) -> str:
    """Upper case, without spaces or hyphens."""
    return "".join(ch for ch in text if ch not in " -\t").upper()


@dataclass(frozen=True, slots=True)
class CodeProblem:
    code: str
    message: str


def check_code(text: str) -> CodeProblem | None:
    """None when ``text`` (normalised) is a well-formed code whose check digit agrees."""
    code = normalise(text)
    if len(code) != LENGTH or not code.startswith(PREFIX):
        return CodeProblem("code_invalid", f"a personal customs code is '{PREFIX}' and {LENGTH - 1} digits")
    digits = code[1:]
    if not digits.isascii() or not digits.isdigit():
        return CodeProblem("code_invalid", f"a personal customs code is '{PREFIX}' and {LENGTH - 1} digits")
    if check_digit(digits[:-1]) != digits[-1]:
        return CodeProblem("code_invalid", "the check digit does not agree: the code is mistyped")
    return None


def normalise_name(name: str) -> str:
    """A name as compared: NFC, no spaces, hyphens or dots, case-folded."""
    text = unicodedata.normalize("NFC", name)
    return "".join(ch for ch in text if not ch.isspace() and ch not in "-.").casefold()


def phone_digits(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isascii() and ch.isdigit())


def holder_mismatches(
    holder_name: str, holder_phone: str, given_name: str, given_phone: str
) -> list[CodeProblem]:
    """What does not match between the holder's record and what a carrier was given (empty: it matches)."""
    problems = []
    if normalise_name(holder_name) != normalise_name(given_name):
        problems.append(CodeProblem("name_mismatch", "the name is not the name the code was issued to"))
    given = phone_digits(given_phone)
    if (
        len(given) < PHONE_DIGITS_COMPARED
        or given[-PHONE_DIGITS_COMPARED:] != phone_digits(holder_phone)[-PHONE_DIGITS_COMPARED:]
    ):
        problems.append(
            CodeProblem("phone_mismatch", "the telephone number's last four digits are not the holder's")
        )
    return problems


def mask_code(code: str) -> str:
    """``P********1234``: the letter and the last four characters."""
    return code[:1] + "*" * (len(code) - 5) + code[-4:] if len(code) > 5 else "*" * len(code)


def mask_name(name: str) -> str:
    """``김*수``, ``J**n D*e``: the first and last character of each word (one-character words kept)."""

    def word(w: str) -> str:
        if len(w) <= 1:
            return w
        if len(w) == 2:
            return w[0] + "*"
        return w[0] + "*" * (len(w) - 2) + w[-1]

    return " ".join(word(w) for w in name.split())


def mask_phone(phone: str) -> str:
    """``010-****-5678``-like: the first three and last four digits."""
    digits = phone_digits(phone)
    if len(digits) <= 7:
        return "*" * max(len(digits) - 4, 0) + digits[-4:]
    return f"{digits[:3]}-{'*' * (len(digits) - 7)}-{digits[-4:]}"
