"""Field-level encryption and blind indexes of personal data."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearway.errors import ServiceUnavailable
from clearway.parcel.protection import PersonalDataCipher

CIPHER = PersonalDataCipher("a-test-key-of-enough-length")
OTHER = PersonalDataCipher("another-test-key-of-enough-length")


@given(st.text(max_size=200))
def test_round_trip_and_no_clear_text(text: str) -> None:
    token = CIPHER.encrypt(text)
    assert CIPHER.decrypt(token) == text
    assert token != CIPHER.encrypt(text)  # a fresh nonce each time
    if len(text) >= 4:
        assert text not in token


def test_another_key_or_an_altered_value_cannot_be_read() -> None:
    token = CIPHER.encrypt("010-1234-5678")
    with pytest.raises(ServiceUnavailable):
        OTHER.decrypt(token)
    # a character inside the sealed bytes (the last base64 character before the padding may carry only
    # unused bits, so altering it could leave the bytes unchanged)
    altered = token[:20] + ("A" if token[20] != "A" else "B") + token[21:]
    with pytest.raises(ServiceUnavailable):
        CIPHER.decrypt(altered)
    with pytest.raises(ServiceUnavailable):
        CIPHER.decrypt("not a token")


def test_blind_indexes_are_stable_per_key_and_kind() -> None:
    assert CIPHER.index("code", "P123") == CIPHER.index("code", "P123")
    assert CIPHER.index("code", "P123") != CIPHER.index("person", "P123")
    assert CIPHER.index("code", "P123") != OTHER.index("code", "P123")
    with pytest.raises(ValueError):
        PersonalDataCipher("short")
