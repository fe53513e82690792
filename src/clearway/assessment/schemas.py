"""The estimate request: a lighter schema than a declaration, for a trader planning a shipment.

``POST /api/v1/estimates`` and ``clearway duty estimate FILE.json`` accept either

* ``{"declaration": {...a full declaration...}, ...}`` — parsed with
  :func:`clearway.declaration.validation.parse_declaration`, preference claims checked by the configured
  verifier exactly as at filing; or
* ``{"items": [...], ...}`` — the lighter :class:`EstimateItem` lines below (no parties, no consignment).

Both take ``on`` (the declaration date to assess on; default today in Korea), ``regime``
(general | small_parcel | traveller), ``self_declared`` and ``dispatch_country`` for the reliefs, and
``exchange_rates`` — what-if rates in KRW per 1 unit, e.g. ``{"USD": "1450"}``, used instead of the customs
rate of the week and labelled as such.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from clearway.assessment.inputs import Regime
from clearway.declaration.content import Amount, Country, Currency, Incoterm, MassKg, Quantity, UnitCode

Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]
Rate = Annotated[Decimal, Field(gt=0, le=Decimal("1e7"), max_digits=18, decimal_places=6)]


class EstimatePreference(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    agreement: Annotated[
        str, StringConstraints(strip_whitespace=True, to_upper=True, min_length=1, max_length=20)
    ]
    certificate_reference: Annotated[str, StringConstraints(min_length=1, max_length=60)] | None = None
    assume_granted: bool = Field(
        False, description="estimate as if the claim will be granted (verified at filing)"
    )


class EstimateItem(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    line_number: Annotated[int, Field(ge=1, le=999)] | None = None
    commodity_code: Code
    description: str | None = None
    origin_country: Country
    quantity: Quantity
    quantity_unit: UnitCode
    net_mass_kg: MassKg | None = None
    invoice_amount: Amount
    currency: Currency
    incoterm: Incoterm
    freight: Decimal | None = Field(
        None, description="freight to Korea not in the price (may not be negative)"
    )
    insurance: Decimal | None = Field(None, description="insurance not in the price (may not be negative)")
    valuation_method: Annotated[int, Field(ge=1, le=6)] = 1
    preference: EstimatePreference | None = None
    use_type: str | None = None
    recommendation: bool = False

    @field_validator("commodity_code", mode="before")
    @classmethod
    def _digits(cls, value: Any) -> Any:
        return value.replace(".", "").replace("-", "").replace(" ", "") if isinstance(value, str) else value


class EstimateOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    on: date | None = None
    regime: Regime = Regime.GENERAL
    self_declared: bool = False
    dispatch_country: Country | None = None
    exchange_rates: dict[Currency, Rate] = Field(default_factory=dict)


class EstimateRequest(EstimateOptions):
    items: Annotated[list[EstimateItem], Field(min_length=1, max_length=999)]


class DeclarationEstimateRequest(EstimateOptions):
    declaration: dict[str, Any]
