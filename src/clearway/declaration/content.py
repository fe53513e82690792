"""The declaration document after the WCO Data Model: parties, consignment, goods items, documents.

These are immutable value objects. Field-level validation happens while parsing (every field in one pass);
rules that relate several fields are in :mod:`clearway.declaration.validation`. Code-list and nomenclature checks are the pure functions of
:mod:`clearway.reference.codes` and :mod:`clearway.tariff.nomenclature`; the nomenclature and the date the
commodity codes must be valid on are passed in the validation context (``{"nomenclature": ..., "on": date}``).

Pydantic is used here as a value-validation library, not as a web framework: nothing in this module knows
about HTTP or the database.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from clearway.reference import codes
from clearway.reference import text as text_rules
from clearway.tariff.nomenclature import Nomenclature

# Upper bounds that catch typing accidents (a value in won typed into a USD field, a mass in grams...)
# while admitting the largest real consignments (a VLCC carries about 3e8 kg).
MAX_AMOUNT = Decimal("1e12")
MAX_QUANTITY = Decimal("1e10")
MAX_MASS_KG = Decimal("1e9")
MAX_ITEMS = 999


def _code_check(check: Callable[[str], codes.Problem]) -> AfterValidator:
    def validate(value: str) -> str:
        problem = check(value)
        if problem:
            raise PydanticCustomError(problem[0], problem[1])
        return value

    return AfterValidator(validate)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: Any) -> Any:
    """Dates only as YYYY-MM-DD (no timestamps, no other formats: 0 is not 1970-01-01)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        return value.strip()
    raise PydanticCustomError("bad_date", "a date is written YYYY-MM-DD")


IsoDate = Annotated[date, BeforeValidator(_iso_date), Field(json_schema_extra={"format": "date"})]


def _listed(values: Any) -> Any:
    return Field(json_schema_extra={"enum": sorted(values)})


def _safe_text(value: str) -> str:
    """Free text: no control, invisible or text-direction characters (:mod:`clearway.reference.text`)."""
    problem = text_rules.unsafe_character(value)
    if problem:
        raise PydanticCustomError(problem[0], problem[1])
    return value


def _identifier(value: Any) -> Any:
    """References: NFKC-normalised (fullwidth → ASCII) and restricted to a visible, unambiguous set."""
    if not isinstance(value, str):
        return value
    normal, problem = text_rules.normalise_identifier(value)
    if problem:
        raise PydanticCustomError(problem[0], problem[1])
    return normal


SafeText = AfterValidator(_safe_text)
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), SafeText]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000), SafeText]

_Normalised = BeforeValidator(_identifier)
Reference35 = Annotated[
    str, _Normalised, StringConstraints(strip_whitespace=True, min_length=1, max_length=35)
]
Reference60 = Annotated[
    str, _Normalised, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)
]
TransportDocumentNumber = Annotated[
    str, _Normalised, StringConstraints(strip_whitespace=True, min_length=4, max_length=35)
]
# Code-list fields: checked by the pure functions of reference.codes; the lists are published in the OpenAPI
# schema so clients can validate before sending.
_UP = StringConstraints(strip_whitespace=True, to_upper=True)
Country = Annotated[str, _UP, _code_check(codes.check_country), _listed(codes.country_codes())]
Currency = Annotated[str, _UP, _code_check(codes.check_currency), _listed(codes.currency_codes())]
UnitCode = Annotated[str, _UP, _code_check(codes.check_unit), _listed(codes.units())]
Incoterm = Annotated[str, _UP, _code_check(codes.check_incoterm), _listed(codes.INCOTERMS_2020)]
TransportMode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_lower=True),
    _code_check(codes.check_transport_mode),
    _listed(codes.TRANSPORT_MODES),
]
OfficeCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True),
    _code_check(codes.check_customs_office),
    _listed(codes.customs_offices()),
]
PortCode = Annotated[str, _UP, _code_check(codes.check_port), _listed(codes.ports())]
AgreementCode = Annotated[str, _UP, _code_check(codes.check_agreement), _listed(codes.agreements())]
Amount = Annotated[Decimal, Field(gt=0, le=MAX_AMOUNT, decimal_places=4)]
Charge = Annotated[Decimal, Field(ge=0, le=MAX_AMOUNT, decimal_places=4)]
# One precision for quantities and masses end to end: 4 decimals (0.1 g), what the line table's NUMERIC(20,4)
# keeps — a value the document accepted is never rounded when stored.
Quantity = Annotated[Decimal, Field(gt=0, le=MAX_QUANTITY, decimal_places=4)]
MassKg = Annotated[Decimal, Field(gt=0, le=MAX_MASS_KG, decimal_places=4)]


class DeclarationKind(StrEnum):
    IMPORT = "import"
    EXPORT = "export"


class DocumentKind(StrEnum):
    INVOICE = "invoice"
    CERTIFICATE_OF_ORIGIN = "certificate_of_origin"
    LICENCE = "licence"
    PACKING_LIST = "packing_list"
    TRANSPORT_DOCUMENT = "transport_document"
    OTHER = "other"


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Party(_Value):
    """A trader or broker. ``brn`` is the business registration number (사업자등록번호) for Korean parties."""

    name: Text
    brn: Annotated[str, StringConstraints(pattern=r"^[0-9-]{5,20}$")] | None = None
    address: LongText | None = None
    country: Country


class Consignment(_Value):
    transport_mode: TransportMode
    transport_document: TransportDocumentNumber = Field(
        description="Bill of lading (sea), air waybill (air) or other transport document number"
    )
    arrival_date: IsoDate
    customs_office: OfficeCode
    port: PortCode


class PreferenceClaim(_Value):
    """A claim for an FTA preferential rate, backed by a certificate (or origin declaration)."""

    agreement: AgreementCode
    certificate_reference: Reference60


UseType = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]


class GoodsItem(_Value):
    line_number: Annotated[int, Field(ge=1, le=MAX_ITEMS)]
    commodity_code: Annotated[str, StringConstraints(strip_whitespace=True)]
    description: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=2, max_length=500), SafeText
    ]
    origin_country: Country
    quantity: Quantity
    quantity_unit: UnitCode
    net_mass_kg: MassKg
    invoice_amount: Amount
    currency: Currency
    incoterm: Incoterm
    freight: Charge | None = Field(
        None, description="Freight to the Korean port not in the price, invoice currency"
    )
    insurance: Charge | None = Field(None, description="Insurance not in the price, invoice currency")
    valuation_method: Annotated[int, Field(ge=1, le=6)] = Field(1, description="관세법 제30조~제35조 method")
    preference: PreferenceClaim | None = None
    use_type: UseType | None = Field(
        None,
        description="용도세율구분 the goods are declared for, when a use-specific rate is claimed (optional)",
    )

    @field_validator("commodity_code", mode="before")
    @classmethod
    def _digits_only(cls, value: Any) -> Any:
        # Accept the printed forms 8471.30-0000 and 8471.30.0000 as well as plain digits.
        return value.replace(".", "").replace("-", "").replace(" ", "") if isinstance(value, str) else value

    @field_validator("commodity_code")
    @classmethod
    def _in_nomenclature(cls, value: str, info: ValidationInfo) -> str:
        context = info.context or {}
        nomenclature: Nomenclature | None = context.get("nomenclature")
        on: date | None = context.get("on")
        if len(value) != 10 or not value.isdigit():
            raise PydanticCustomError("malformed_commodity_code", "a commodity code has 10 digits (HSK)")
        if nomenclature is not None and on is not None:
            problem = nomenclature.check(value, on)
            if problem:
                raise PydanticCustomError(problem[0], problem[1])
        return value


class Document(_Value):
    kind: DocumentKind
    reference: Reference60
    issue_date: IsoDate | None = None
    issuer: Text | None = None


class DeclarationContent(_Value):
    """What the filer submits. ``declarant_reference`` is the filer's own reference number (LRN)."""

    kind: DeclarationKind
    declarant_reference: Reference35
    declarant: Party
    importer: Party | None = None
    exporter: Party | None = None
    seller: Party
    buyer: Party
    consignment: Consignment
    items: Annotated[list[GoodsItem], Field(min_length=1, max_length=MAX_ITEMS)]
    documents: list[Document] = Field(default_factory=list, max_length=200)

    def item(self, line_number: int) -> GoodsItem:
        return next(i for i in self.items if i.line_number == line_number)
