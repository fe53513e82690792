from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearway.errors import ValidationFailed
from clearway.payment.core import (
    Assessed,
    Confirmation,
    Received,
    callback_secret,
    is_valid_number,
    parse_confirmation,
    payment_number,
    reconcile,
    sign,
    verify,
)

SECRET = callback_secret("test-secret")


@given(st.integers(1, 10**10 - 1), st.integers(1, 999), st.integers(2000, 2099))
def test_payment_numbers_carry_a_check_digit_that_catches_a_mistyped_digit(declaration_id, version, year):
    number = payment_number(declaration_id, version, year)
    assert len(number) == 16 and is_valid_number(number)
    for i in range(15):
        wrong = number[:i] + str((int(number[i]) + 1) % 10) + number[i + 1 :]
        assert not is_valid_number(wrong)


def test_a_confirmation_verifies_only_with_its_signature_and_figures():
    c = Confirmation(payment_number(42, 1, 2026), Decimal("450000"), "SIM-1", "2026-11-20T01:00:00+00:00")
    signature = sign(SECRET, c)
    assert verify(SECRET, c, signature)
    assert not verify(
        SECRET, Confirmation(c.payment_number, Decimal("450001"), "SIM-1", c.paid_at), signature
    )
    assert not verify(callback_secret("other"), c, signature)
    assert not verify(SECRET, c, "")


def test_unreadable_confirmations_name_the_field():
    with pytest.raises(ValidationFailed) as info:
        parse_confirmation(
            {"payment_number": "1234567890123456", "amount_krw": "1.5", "bank_reference": "x", "paid_at": "t"}
        )
    assert {e.pointer for e in info.value.errors} == {"/payment_number", "/amount_krw"}


def test_reconciliation_finds_unpaid_differing_and_unknown_payments():
    a, b, c, z = (payment_number(i, 1, 2026) for i in (1, 2, 3, 4))
    report = reconcile(
        [
            Assessed(a, 1, Decimal(100)),
            Assessed(b, 2, Decimal(200)),
            Assessed(c, 3, Decimal(300)),
            Assessed(z, 4, Decimal(0), settled=True),
        ],
        [
            Received(a, Decimal(100), "r1"),
            Received(b, Decimal(150), "r2"),
            Received("9" * 16, Decimal(5), "r3"),
        ],
    )
    assert report.matched == [a, z] and report.unpaid == [c]
    assert report.differing == [{"payment_number": b, "assessed_krw": "200", "received_krw": "150"}]
    assert report.unknown == ["9" * 16] and not report.balanced
    assert report.assessed_krw == Decimal(600) and report.received_krw == Decimal(255)
