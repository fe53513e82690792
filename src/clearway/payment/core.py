"""Payment of duties and taxes, pure: the electronic payment number (전자납부번호), the bank's signed
confirmation, and the daily reconciliation of what was assessed against what the bank confirmed.

No clock, no database: dates and secrets are passed in; money is :class:`~decimal.Decimal` in whole won.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from clearway.errors import FieldError, ValidationFailed

NUMBER_LENGTH = 16


def check_digit(body: str) -> str:
    """The Luhn (mod 10) check digit of a string of digits, so a mistyped payment number is caught."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def payment_number(declaration_id: int, version: int, year: int) -> str:
    """전자납부번호: 2-digit year, 10-digit declaration serial, 3-digit version, check digit (16 digits)."""
    if not (0 < declaration_id < 10**10 and 0 < version < 1000):
        raise ValueError("declaration id or version out of range for a payment number")
    body = f"{year % 100:02d}{declaration_id:010d}{version:03d}"
    return body + check_digit(body)


def is_valid_number(number: str) -> bool:
    return (
        len(number) == NUMBER_LENGTH
        and number.isascii()
        and number.isdigit()
        and check_digit(number[:-1]) == number[-1]
    )


def display_number(number: str) -> str:
    """Grouped for reading aloud at a bank counter: 26-0000000042-001-7."""
    return f"{number[:2]}-{number[2:12]}-{number[12:15]}-{number[15:]}"


@dataclass(frozen=True, slots=True)
class Confirmation:
    """What the bank says it received for a payment number."""

    payment_number: str
    amount_krw: Decimal
    bank_reference: str
    paid_at: str  # ISO 8601 instant as the bank states it

    def as_dict(self) -> dict[str, str]:
        return {
            "payment_number": self.payment_number,
            "amount_krw": str(self.amount_krw),
            "bank_reference": self.bank_reference,
            "paid_at": self.paid_at,
        }

    def canonical(self) -> bytes:
        return json.dumps(self.as_dict(), sort_keys=True, separators=(",", ":")).encode("utf-8")


def parse_confirmation(body: Any) -> Confirmation:
    """A confirmation from the callback's JSON body, or :class:`ValidationFailed` naming the field."""
    errors: list[FieldError] = []
    if not isinstance(body, dict):
        raise ValidationFailed(
            "a confirmation is a JSON object", errors=[FieldError("", "not_an_object", "object")]
        )
    values: dict[str, str] = {}
    for key in ("payment_number", "amount_krw", "bank_reference", "paid_at"):
        value = body.get(key)
        if not isinstance(value, str) or not value or len(value) > 60:
            errors.append(FieldError(f"/{key}", "required", f"'{key}' is text of 1 to 60 characters"))
        else:
            values[key] = value
    amount = None
    if "amount_krw" in values:
        try:
            amount = Decimal(values["amount_krw"])
        except InvalidOperation:
            errors.append(FieldError("/amount_krw", "not_a_number", "an amount in won"))
        else:
            if not amount.is_finite() or amount < 0 or amount != amount.to_integral_value():
                errors.append(
                    FieldError("/amount_krw", "not_whole_won", "a whole, non-negative amount in won")
                )
    if "payment_number" in values and not is_valid_number(values["payment_number"]):
        errors.append(
            FieldError("/payment_number", "bad_check_digit", "not a valid electronic payment number")
        )
    if errors:
        raise ValidationFailed("the confirmation is not readable", errors=errors)
    assert amount is not None
    return Confirmation(values["payment_number"], amount, values["bank_reference"], values["paid_at"])


def sign(secret: bytes, confirmation: Confirmation) -> str:
    """HMAC-SHA256 of the canonical confirmation, hex."""
    return hmac.new(secret, confirmation.canonical(), hashlib.sha256).hexdigest()


def verify(secret: bytes, confirmation: Confirmation, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, confirmation), signature or "")


def callback_secret(secret_key: str) -> bytes:
    """The key shared with the bank, derived from the installation's secret (one secret to rotate)."""
    return hashlib.sha256(b"clearway-payment-callback\x1f" + secret_key.encode("utf-8")).digest()


# ---- reconciliation ---------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Assessed:
    payment_number: str
    declaration_id: int
    amount_krw: Decimal
    settled: bool = False  # nothing was due and the order was closed without the bank


@dataclass(frozen=True, slots=True)
class Received:
    payment_number: str
    amount_krw: Decimal
    bank_reference: str


@dataclass(frozen=True, slots=True)
class Reconciliation:
    """Assessed against received for one day: matched, unpaid, differing and unknown payments."""

    assessed_krw: Decimal
    received_krw: Decimal
    matched: list[str] = field(default_factory=list)
    unpaid: list[str] = field(default_factory=list)
    differing: list[dict[str, str]] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    @property
    def balanced(self) -> bool:
        return not (self.unpaid or self.differing or self.unknown)

    def as_dict(self) -> dict[str, Any]:
        return {
            "assessed_krw": str(self.assessed_krw),
            "received_krw": str(self.received_krw),
            "balanced": self.balanced,
            "matched": self.matched,
            "unpaid": self.unpaid,
            "differing": self.differing,
            "unknown": self.unknown,
        }


def reconcile(assessed: list[Assessed], received: list[Received]) -> Reconciliation:
    """Each order against the sum of what the bank confirmed for its number."""
    by_number: dict[str, Decimal] = {}
    for r in received:
        by_number[r.payment_number] = by_number.get(r.payment_number, Decimal(0)) + r.amount_krw
    known = {a.payment_number for a in assessed}
    matched, unpaid, differing = [], [], []
    for a in assessed:
        got = by_number.get(a.payment_number)
        if got is None and a.settled and a.amount_krw == 0:
            matched.append(a.payment_number)  # nothing to pay: settled without the bank
        elif got is None:
            unpaid.append(a.payment_number)
        elif got == a.amount_krw:
            matched.append(a.payment_number)
        else:
            differing.append(
                {
                    "payment_number": a.payment_number,
                    "assessed_krw": str(a.amount_krw),
                    "received_krw": str(got),
                }
            )
    return Reconciliation(
        assessed_krw=sum((a.amount_krw for a in assessed), Decimal(0)),
        received_krw=sum((r.amount_krw for r in received), Decimal(0)),
        matched=matched,
        unpaid=unpaid,
        differing=differing,
        unknown=sorted(n for n in by_number if n not in known),
    )
