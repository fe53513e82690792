"""The typed result of assessing one goods line: the figures the declaration stores and risk selection reads.

The assessment step hands one :class:`AssessedLine` per goods item next to the item's explanation (the
display JSON in ``AssessmentOutcome.lines``, shown to people and kept on the version). Code reads these
fields, never the display keys, so renaming a display key cannot silently turn a figure into ``None``.
Pure: plain values, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

from clearway.tariff.priority import RateKind


def _no_taxes() -> Mapping[str, Decimal]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class AssessedLine:
    """What the assessment found for one goods line, in won.

    ``customs_value_krw`` (과세가격) is known as soon as the line is valued, even when a later step fails;
    the duty and tax figures are ``None`` unless the line could be assessed (``can_assess``). ``duty_krw`` is
    the customs duty with any trade-remedy duty on top; ``taxes_krw`` the internal taxes and VAT, one entry
    per kind in ``taxes_by_kind``; ``due_krw`` what the line owes (zero under a relief that frees it).
    ``applied_rate_code``/``applied_rate_kind``: the rate chosen under 관세법 제50조, when the engine got that
    far. ``preference_granted`` is ``None`` when no preferential (FTA) rate was claimed for the line.
    """

    line_number: int
    can_assess: bool
    customs_value_krw: Decimal | None = None
    duty_krw: Decimal | None = None
    taxes_krw: Decimal | None = None
    due_krw: Decimal | None = None
    taxes_by_kind: Mapping[str, Decimal] = field(default_factory=_no_taxes, hash=False)
    applied_rate_code: str | None = None
    applied_rate_kind: RateKind | None = None
    preference_rate_code: str | None = None
    preference_granted: bool | None = None

    def amounts(self) -> tuple[Decimal | None, ...]:
        """The won figures a store must be able to hold: value, duty, taxes and what is due."""
        return (self.customs_value_krw, self.duty_krw, self.taxes_krw, self.due_krw)

    def taxed_at(self) -> str | None:
        """The rate code the line is taxed at: the applied rate, else the code of a granted preference."""
        if self.applied_rate_code:
            return self.applied_rate_code
        if self.preference_granted and self.preference_rate_code:
            return self.preference_rate_code
        return None
