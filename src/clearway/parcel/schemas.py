"""Request documents of the parcel domain (Pydantic as a value-validation library)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from clearway.declaration.validation import field_errors_from
from clearway.errors import FieldError, ValidationFailed
from clearway.reference.codes import check_country, check_currency

MAX_PARCELS = 10_000
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)
_In = TypeVar("_In", bound=BaseModel)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class ItemIn(_Strict):
    description: str = Field(min_length=1, max_length=300)
    quantity: Decimal = Field(gt=0, max_digits=14, decimal_places=3)
    unit_price: Decimal = Field(ge=0, max_digits=16, decimal_places=4)
    currency: str = Field(min_length=3, max_length=3)
    category: str | None = Field(None, max_length=40)
    hs_code: str | None = Field(None, pattern=r"^\d{6}(\d{4})?$")

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        problem = check_currency(value.upper())
        if problem:
            raise PydanticCustomError(problem[0], problem[1])
        return value.upper()


class ParcelIn(_Strict):
    house_bill: str = Field(min_length=4, max_length=35, pattern=r"^[A-Za-z0-9-]+$")
    buyer_name: str = Field(min_length=1, max_length=100)
    personal_code: str = Field(min_length=1, max_length=20)
    buyer_phone: str = Field(min_length=4, max_length=20)
    address: str = Field(min_length=1, max_length=300)
    arrival_date: date
    dispatch_country: str = Field(min_length=2, max_length=2)
    personal_use: bool = True
    shop: str | None = Field(None, max_length=200)
    url: str | None = Field(None, max_length=500)
    weight_kg: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=3)
    items: list[ItemIn] = Field(min_length=1, max_length=100)

    @field_validator("arrival_date")
    @classmethod
    def _arrival(cls, value: date) -> date:
        if not EARLIEST <= value <= LATEST:
            raise PydanticCustomError("date_out_of_range", f"an arrival date from {EARLIEST} to {LATEST}")
        return value

    @field_validator("dispatch_country")
    @classmethod
    def _country(cls, value: str) -> str:
        problem = check_country(value.upper())
        if problem:
            raise PydanticCustomError(problem[0], problem[1])
        return value.upper()


class ParcelListIn(_Strict):
    reference: str = Field(min_length=1, max_length=60)
    carrier_kind: Literal["express", "post"] = "express"
    parcels: list[Any] = Field(min_length=1)


class IssueCodeIn(_Strict):
    person_id: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=100)
    phone: str = Field(min_length=4, max_length=20)


class VerifyCodeIn(_Strict):
    code: str = Field(min_length=1, max_length=20)
    name: str = Field(min_length=1, max_length=100)
    phone: str = Field(min_length=1, max_length=20)


class ReasonIn(_Strict):
    reason: str = Field(min_length=1, max_length=200)


class ReissueJobIn(_Strict):
    key: str = Field(min_length=1, max_length=80)
    reason: str = Field(min_length=1, max_length=200)
    codes: list[str] = Field(min_length=1)


class BuyerSignInIn(_Strict):
    code: str = Field(min_length=1, max_length=20)
    name: str = Field(min_length=1, max_length=100)
    phone: str = Field(min_length=4, max_length=20)


class BuyerOtpIn(_Strict):
    challenge: str = Field(min_length=10, max_length=200)
    number: str = Field(min_length=6, max_length=6, pattern=r"^\d{6}$")


class InspectionIn(_Strict):
    result: Literal["clear", "found"]
    note: str = Field(min_length=1, max_length=500)


class GeneralDraftIn(_Strict):
    reference: str = Field(min_length=1, max_length=35, pattern=r"^[A-Za-z0-9-]+$")


def parse(model: type[_In], document: Any, what: str) -> _In:
    if not isinstance(document, dict):
        raise ValidationFailed(
            f"the {what} must be a JSON object",
            errors=[FieldError("", "not_an_object", "expected a JSON object")],
        )
    try:
        return model.model_validate(document)
    except ValidationError as exc:
        errors = field_errors_from(exc)
        raise ValidationFailed(f"{len(errors)} invalid field(s) in the {what}", errors=errors) from None


def parse_parcel(document: Any, index: int) -> tuple[ParcelIn | None, list[FieldError]]:
    """One parcel of a list, parsed on its own: its errors never sink the others."""
    prefix: tuple[int | str, ...] = ("parcels", index)
    if not isinstance(document, dict):
        return None, [FieldError(f"/parcels/{index}", "not_an_object", "expected a JSON object")]
    try:
        return ParcelIn.model_validate(document), []
    except ValidationError as exc:
        return None, field_errors_from(exc, prefix)
