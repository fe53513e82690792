"""Pure checks and numbers of the cargo domain: container numbers (ISO 6346), IMO numbers, UN/LOCODEs,
cargo control numbers (화물관리번호). No session, clock or network."""

from __future__ import annotations

import re

from clearway.reference import codes

Problem = tuple[str, str] | None

_CONTAINER = re.compile(r"^[A-Z]{3}[UJZ][0-9]{7}$")
_LOCODE = re.compile(r"^[A-Z]{2}[A-Z2-9]{3}$")
_CARRIER = re.compile(r"^[A-Z0-9]{2,4}$")


def _letter_values() -> dict[str, int]:
    """ISO 6346 Annex A: A=10, then upwards skipping 11, 22 and 33 (multiples of 11)."""
    values: dict[str, int] = {str(d): d for d in range(10)}
    value = 10
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        if value % 11 == 0:
            value += 1
        values[letter] = value
        value += 1
    return values


_VALUES = _letter_values()


def container_check_digit(first_ten: str) -> int:
    """ISO 6346 check digit of owner code + category + serial: Σ value·2^i mod 11, 10 written as 0."""
    total = sum(_VALUES[c] * (1 << i) for i, c in enumerate(first_ten))
    return total % 11 % 10


def check_container(number: str) -> Problem:
    if not _CONTAINER.match(number):
        return "malformed_container", (
            f"'{number}' is not an ISO 6346 container number "
            "(3-letter owner, U/J/Z, 6-digit serial, check digit)"
        )
    expected = container_check_digit(number[:10])
    if int(number[10]) != expected:
        return (
            "bad_check_digit",
            f"the check digit of container {number} should be {expected}, not {number[10]}",
        )
    return None


def imo_check_digit(first_six: str) -> int:
    """IMO ship number: the digits weighted 7…2, summed, last digit of the sum."""
    return sum(int(d) * w for d, w in zip(first_six, range(7, 1, -1), strict=True)) % 10


def check_imo(number: str) -> Problem:
    if len(number) != 7 or not number.isdigit():
        return "malformed_imo", f"'{number}' is not an IMO number (7 digits)"
    if imo_check_digit(number[:6]) != int(number[6]):
        return "bad_check_digit", f"'{number}' fails the IMO check digit"
    return None


def check_locode(value: str) -> Problem:
    """A UN/LOCODE: ISO 3166 country + 3 characters; a Korean one must be a known port of entry."""
    if not _LOCODE.match(value):
        return "malformed_locode", f"'{value}' is not a UN/LOCODE (country code and 3 letters/digits 2-9)"
    problem = codes.check_country(value[:2])
    if problem:
        return "unknown_locode", f"'{value}' names no country: {problem[1]}"
    if value.startswith("KR") and codes.check_port(value):
        return "unknown_locode", f"'{value}' is not a known Korean port of entry"
    return None


def check_discharge_port(value: str) -> Problem:
    """Cargo is reported to Korea: the port of discharge is a Korean port of entry."""
    problem = check_locode(value)
    if problem:
        return problem
    if codes.check_port(value):
        return "unknown_port", f"'{value}' is not a Korean port of entry"
    return None


def check_carrier_code(value: str) -> Problem:
    if not _CARRIER.match(value):
        return "malformed_carrier_code", f"'{value}' is not a carrier code (2-4 letters or digits)"
    return None


def mrn_check_character(body: str) -> str:
    """The check character of a manifest reference number: Σ value·(position+1) mod 10 over ISO 6346 values.

    KCS numbers manifests as year + carrier + serial + check character; the weighting is Clearway's own.
    """
    return str(sum(_VALUES[c] * (i + 1) for i, c in enumerate(body)) % 10)


def manifest_reference_number(year: int, carrier_code: str, serial: int) -> str:
    """적하목록관리번호 (MRN, 11 characters): YY + carrier code padded to 4 + 4-digit serial + check."""
    if not 1 <= serial <= 9999:
        raise ValueError("the manifest serial runs from 1 to 9999 per carrier and year")
    body = f"{year % 100:02d}{carrier_code.upper():X<4}{serial:04d}"
    return body + mrn_check_character(body)


def cargo_control_number(mrn: str, master_seq: int, house_seq: int) -> str:
    """화물관리번호 (CCN, 19 characters): MRN + MSN (master sequence, 4) + HSN (house sequence, 4)."""
    return f"{mrn}{master_seq:04d}{house_seq:04d}"


def check_cargo_control_number(ccn: str) -> Problem:
    if len(ccn) != 19 or not ccn[11:].isdigit():
        return "malformed_ccn", f"'{ccn}' is not a cargo control number (19 characters: MRN + MSN + HSN)"
    if not all(c in _VALUES for c in ccn[:11]) or mrn_check_character(ccn[:10]) != ccn[10]:
        return "bad_check_digit", f"'{ccn}' fails the manifest reference check character"
    return None
