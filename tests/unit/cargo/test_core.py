"""Container numbers, IMO numbers, UN/LOCODEs and cargo control numbers."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from clearway.cargo import core

owners = st.text(alphabet=string.ascii_uppercase, min_size=3, max_size=3)
serials = st.integers(min_value=0, max_value=999_999)


def test_known_container_numbers() -> None:
    assert core.check_container("CSQU3054383") is None  # the ISO 6346 example
    assert core.check_container("MSKU9070323") is None
    assert core.check_container("CSQU3054384")[0] == "bad_check_digit"
    assert core.check_container("CSQ3054383")[0] == "malformed_container"
    assert core.check_container("CSQX3054383")[0] == "malformed_container"  # category U, J or Z


@given(owners, st.sampled_from("UJZ"), serials, st.integers(min_value=0, max_value=9))
def test_a_container_number_with_its_check_digit_passes_and_any_other_digit_fails(
    owner: str, category: str, serial: int, wrong: int
) -> None:
    first = f"{owner}{category}{serial:06d}"
    digit = core.container_check_digit(first)
    assert core.check_container(f"{first}{digit}") is None
    if wrong != digit:
        assert core.check_container(f"{first}{wrong}")[0] == "bad_check_digit"


@given(owners, st.sampled_from("UJZ"), serials, st.integers(min_value=0, max_value=5))
def test_a_single_changed_serial_digit_is_caught_unless_the_residue_wraps(
    owner: str, category: str, serial: int, position: int
) -> None:
    first = f"{owner}{category}{serial:06d}"
    number = first + str(core.container_check_digit(first))
    i = 4 + position
    changed = number[:i] + str((int(number[i]) + 1) % 10) + number[i + 1 :]
    # mod 11 catches every single-digit change; only a residue of 10 (written 0) can collide with 0
    residues = {core.container_check_digit(changed[:10]), int(number[10])}
    assert core.check_container(changed) is not None or residues == {0}


def test_imo_numbers() -> None:
    assert core.check_imo("9074729") is None
    assert core.check_imo("9074728")[0] == "bad_check_digit"
    assert core.check_imo("907472")[0] == "malformed_imo"


def test_locodes() -> None:
    assert core.check_locode("CNSHA") is None and core.check_locode("DEHAM") is None
    assert core.check_locode("KRPUS") is None
    assert core.check_locode("KRZZZ")[0] == "unknown_locode"  # Korean: only the known ports of entry
    assert core.check_locode("XXSHA")[0] == "unknown_locode"  # no such country
    assert core.check_locode("CN-SH")[0] == "malformed_locode"
    assert core.check_discharge_port("CNSHA")[0] == "unknown_port"  # cargo reported to Korea lands in Korea


@given(
    st.integers(min_value=2000, max_value=2099),
    st.text(alphabet=string.ascii_uppercase + string.digits, min_size=2, max_size=4),
    st.integers(min_value=1, max_value=9999),
    st.integers(min_value=1, max_value=9999),
    st.integers(min_value=1, max_value=9999),
)
def test_cargo_control_numbers_are_19_characters_and_self_checking(
    year: int, carrier: str, serial: int, msn: int, hsn: int
) -> None:
    mrn = core.manifest_reference_number(year, carrier, serial)
    ccn = core.cargo_control_number(mrn, msn, hsn)
    assert len(mrn) == 11 and len(ccn) == 19 and ccn.startswith(mrn)
    assert core.check_cargo_control_number(ccn) is None
    wrong = str((int(ccn[10]) + 1) % 10)
    assert core.check_cargo_control_number(ccn[:10] + wrong + ccn[11:])[0] == "bad_check_digit"
