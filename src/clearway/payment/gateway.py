"""The bank, behind a port: :class:`PaymentGateway`, and the local bank simulator that pays an order and calls
back with an HMAC-signed confirmation (in-process for the embedded default; a real bank calls
``POST /api/v1/payments/callback`` with the same signed body)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from itertools import count

from clearway.payment.core import Confirmation, sign

Callback = Callable[[dict[str, str], str], object]


class PaymentGateway(ABC):
    @abstractmethod
    def pay(self, payment_number: str, amount_krw: Decimal) -> Confirmation:
        """Have ``amount_krw`` paid against ``payment_number``; the bank confirms through the callback."""


class BankSimulator(PaymentGateway):
    """A bank that pays whatever it is asked to and calls back, signed, at once (tests, demo, embedded)."""

    _serial = count(1)

    def __init__(self, secret: bytes, callback: Callback, clock: Callable[[], datetime]) -> None:
        self.secret = secret
        self.callback = callback
        self.clock = clock

    def pay(self, payment_number: str, amount_krw: Decimal) -> Confirmation:
        now = self.clock()
        confirmation = Confirmation(
            payment_number,
            amount_krw,
            f"SIM-{now:%Y%m%d%H%M%S}-{next(self._serial):06d}-{payment_number[-6:]}",
            now.isoformat(),
        )
        self.callback(confirmation.as_dict(), sign(self.secret, confirmation))
        return confirmation
