"""What the engine assesses: plain values, built from a declaration or an estimate request by the shell."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType


class Regime(StrEnum):
    GENERAL = "general"  # 일반수입신고
    SMALL_PARCEL = "small_parcel"  # 특송·우편 소액물품 (personal use): de minimis applies
    TRAVELLER = "traveller"  # 여행자 휴대품: the traveller allowance applies


@dataclass(frozen=True, slots=True)
class PreferenceInput:
    """An FTA preference claim on a line, with the verifier's verdict already asked by the shell."""

    agreement: str
    rate_code: str | None  # the agreement's FTA rate code (FUS1 ...); None if the agreement is unknown
    certificate_reference: str | None
    granted: bool
    reasons: tuple[str, ...] = ()
    assumed: bool = False  # estimate only: the filer asked to assume the claim will be granted


@dataclass(frozen=True, slots=True)
class LineInput:
    line_number: int
    commodity_code: str
    origin: str
    quantity: Decimal
    quantity_unit: str
    net_mass_kg: Decimal | None
    invoice_amount: Decimal
    currency: str
    incoterm: str
    freight: Decimal | None = None  # freight to the Korean port not in the price, invoice currency
    insurance: Decimal | None = None  # insurance not in the price, invoice currency
    valuation_method: int = 1  # 관세법 제30조~제35조
    preference: PreferenceInput | None = None
    use_type: str | None = None  # 용도구분 the goods are declared for
    recommendation: bool = False  # holds a recommendation / quota allocation (추천) for W1/P1 rates


@dataclass(frozen=True, slots=True)
class AssessmentRequest:
    on: date  # the declaration date: rates, exchange rate and parameters of this date apply
    lines: tuple[LineInput, ...]
    regime: Regime = Regime.GENERAL
    self_declared: bool = False  # traveller: declared voluntarily (자진신고)
    dispatch_country: str | None = None  # small parcels: where the goods were shipped from
    exchange_rates: Mapping[str, Decimal] = field(default_factory=lambda: MappingProxyType({}))
    # what-if exchange rates: KRW per 1 unit of the currency, overriding the customs rate of the week
