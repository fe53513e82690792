"""API and file shapes of the origin domain (Pydantic), and their conversion to the pure core's values.

- :class:`BomIn` — a bill of materials for ``clearway origin check BOM.json`` and ``POST /origin/determinations``.
- :class:`CertificateIn` — a certificate's data elements, to register one from JSON.
- :class:`VerifyIn` — a declaration and the goods line whose preference claim to verify.
- :class:`ElectronicCertificateIn` — an electronic certificate of origin as exchanged between authorities
  (Korea–China and Korea–ASEAN electronic origin data exchange, EODES): the form's boxes as JSON.
- :class:`VerificationCaseIn` and friends — a request to the exporting country's authority to verify one.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from pydantic_core import PydanticCustomError

from clearway.declaration.content import IsoDate, Reference60
from clearway.declaration.validation import field_errors_from
from clearway.errors import ValidationFailed
from clearway.origin.bom import BillOfMaterials, Material, Product, Transit
from clearway.origin.certificates import Certificate, CertificateItem, Transport
from clearway.origin.hs import digits
from clearway.reference import codes

MAX_MATERIALS = 500
MAX_AMOUNT = Decimal("1e12")


def _country(value: str) -> str:
    value = value.strip().upper()
    if value == "EU":
        return value
    problem = codes.check_country(value)
    if problem:
        raise PydanticCustomError(problem[0], problem[1])
    return value


def _hs(value: str) -> str:
    return digits(value)


Country = Annotated[str, AfterValidator(_country)]
HsCode = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=2, max_length=14), AfterValidator(_hs)
]
Money = Annotated[Decimal, Field(ge=0, le=MAX_AMOUNT, max_digits=20, decimal_places=4)]
Price = Annotated[Decimal, Field(gt=0, le=MAX_AMOUNT, max_digits=20, decimal_places=4)]
# one precision for quantities and masses end to end: 4 decimals, what NUMERIC(20,4) stores
Weight = Annotated[Decimal, Field(ge=0, le=Decimal("1e9"), max_digits=20, decimal_places=4)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class MaterialIn(_In):
    hs: HsCode
    value: Money
    origin_country: Country
    originating: bool
    weight_kg: Weight | None = None
    description: Text = ""
    wholly_obtained: bool | None = None


class ProductIn(_In):
    hs: HsCode
    ex_works_price: Price
    fob_price: Price | None = None
    net_cost: Price | None = None
    weight_kg: Weight | None = None
    description: Text = ""
    currency: Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True, max_length=3)] = ""
    producer_country: Country | None = Field(
        None, description="Where the product was made (a Party, for a preferential agreement)"
    )
    wholly_obtained: bool = False
    processes: list[Text] | None = Field(
        None, description="Operations carried out by the producer; None = not declared"
    )


class TransitIn(_In):
    country: Country
    operations: list[Text] = Field(default_factory=list)
    released_for_free_circulation: bool = False


class BomIn(_In):
    agreement: (
        Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True, max_length=20)] | None
    ) = None
    on: IsoDate | None = Field(None, description="Date the rules are read on (default: today)")
    product: ProductIn
    materials: Annotated[list[MaterialIn], Field(max_length=MAX_MATERIALS)] = Field(default_factory=list)
    transit: list[TransitIn] | None = Field(
        None, description="Countries passed through; [] = shipped directly"
    )
    attestations: dict[str, bool] = Field(default_factory=dict, description="criterion id or text -> holds?")
    variant: Text | None = None

    def to_core(self) -> BillOfMaterials:
        p = self.product
        return BillOfMaterials(
            product=Product(
                hs=p.hs,
                ex_works_price=p.ex_works_price,
                fob_price=p.fob_price,
                net_cost=p.net_cost,
                weight_kg=p.weight_kg,
                description=p.description,
                wholly_obtained=p.wholly_obtained,
                processes=tuple(p.processes) if p.processes is not None else None,
                producer_country=p.producer_country,
                currency=p.currency,
            ),
            materials=tuple(
                Material(
                    hs=m.hs,
                    value=m.value,
                    origin_country=m.origin_country,
                    originating=m.originating,
                    weight_kg=m.weight_kg,
                    description=m.description,
                    wholly_obtained=m.wholly_obtained,
                )
                for m in self.materials
            ),
            transit=None
            if self.transit is None
            else tuple(
                Transit(t.country, tuple(o.lower() for o in t.operations), t.released_for_free_circulation)
                for t in self.transit
            ),
            attestations=dict(self.attestations),
            variant=self.variant,
        )


class CertificateItemIn(_In):
    description: Text = ""
    hs6: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d{4}\.?\d{2}$")] | None = None
    quantity: Annotated[Decimal, Field(ge=0, le=Decimal("1e10"), max_digits=20, decimal_places=4)] | None = (
        None
    )
    unit: Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True, max_length=10)] | None = None
    gross_weight_kg: Weight | None = None
    origin_criterion: Annotated[str, StringConstraints(strip_whitespace=True, max_length=20)] | None = None
    origin_country: Country | None = None
    value: Money | None = None
    marks: Text | None = None
    item_number: int | None = None


class TransportIn(_In):
    means: Text | None = None
    departure_date: IsoDate | None = None
    vessel: Text | None = None
    port_of_loading: Text | None = None
    port_of_discharge: Text | None = None
    transit: list[Country] = Field(default_factory=list)
    transit_evidence: bool = False


Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class CertificateIn(_In):
    reference: Reference60  # normalised like the claims that cite it
    agreement: Annotated[
        str, StringConstraints(strip_whitespace=True, to_upper=True, min_length=2, max_length=20)
    ]
    form: Annotated[str, StringConstraints(max_length=40)] = ""
    issuer: Name | None = None
    issuing_country: Country | None = None
    issue_date: IsoDate | None = None
    valid_until: IsoDate | None = None
    exporter_name: Name | None = None
    exporter_address: Text | None = None
    exporter_country: Country | None = None
    exporter_authorisation: Annotated[str, StringConstraints(max_length=60)] | None = None
    producer_name: Name | None = None
    importer_name: Name | None = None
    importer_address: Text | None = None
    importer_country: Country | None = None
    certifier_role: Annotated[str, StringConstraints(pattern=r"^(importer|exporter|producer)$")] | None = None
    certifier_name: Name | None = None
    origin_country: Country | None = None
    origin_criterion: Annotated[str, StringConstraints(max_length=20)] | None = None
    invoice_reference: Annotated[str, StringConstraints(max_length=60)] | None = None
    invoice_date: IsoDate | None = None
    blanket_from: IsoDate | None = None
    blanket_to: IsoDate | None = None
    place: Annotated[str, StringConstraints(max_length=100)] | None = None
    signatory: Name | None = None
    remarks: Text | None = None
    declaration_text: Annotated[str, StringConstraints(max_length=2000)] | None = None
    items: Annotated[list[CertificateItemIn], Field(max_length=999)] = Field(default_factory=list)
    transport: TransportIn | None = None
    elements: dict[str, Any] = Field(default_factory=dict)

    def to_core(self) -> Certificate:
        data = self.model_dump(exclude={"items", "transport"})
        items = tuple(
            CertificateItem(**{**i.model_dump(), "hs6": i.hs6.replace(".", "") if i.hs6 else None})
            for i in self.items
        )
        transport = (
            Transport(**{**self.transport.model_dump(), "transit": tuple(self.transport.transit)})
            if self.transport
            else None
        )
        return Certificate(**data, items=items, transport=transport)


# ---- electronic certificates (e-CO) ------------------------------------------------------------------------
Quantity = Annotated[Decimal, Field(gt=0, le=Decimal("1e10"), max_digits=20, decimal_places=4)]
Code20 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]


class EcoPartyIn(_In):
    name: Name
    address: Text | None = None
    country: Country


class EcoAuthorityIn(_In):
    name: Name
    country: Country


class EcoConsignmentIn(_In):
    means_of_transport: Annotated[str, StringConstraints(pattern=r"^(sea|air|road|rail|post|multimodal)$")]
    departure_date: IsoDate | None = None
    vessel_or_flight: Text | None = None
    port_of_loading: Text | None = None
    port_of_discharge: Text
    transit_countries: list[Country] = Field(default_factory=list)
    transit_evidence: bool = False


class EcoInvoiceIn(_In):
    number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
    date: IsoDate


class EcoItemIn(_In):
    item_number: Annotated[int, Field(ge=1, le=999)]
    hs_code: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d{4}\.?\d{2}$")]
    hs_version: Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True, max_length=10)]
    description: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
    quantity: Quantity
    unit: Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True, min_length=1, max_length=10)]
    gross_weight_kg: Weight | None = None
    fob_value: Money | None = None
    currency: (
        Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Z]{3}$")] | None
    ) = None
    origin_criterion: Code20
    marks: Text | None = None


class ElectronicCertificateIn(_In):
    """The boxes of an authority-issued certificate as the origin data exchange carries them."""

    agreement: Annotated[
        str, StringConstraints(strip_whitespace=True, to_upper=True, min_length=2, max_length=20)
    ]
    certificate_number: Reference60
    issuing_authority: EcoAuthorityIn
    issue_date: IsoDate
    exporter: EcoPartyIn
    producer: EcoPartyIn | None = None
    importer: EcoPartyIn
    consignment: EcoConsignmentIn
    invoices: Annotated[list[EcoInvoiceIn], Field(min_length=1, max_length=20)]
    items: Annotated[list[EcoItemIn], Field(min_length=1, max_length=999)]
    issued_retroactively: bool = False
    remarks: Text | None = None


# ---- verification requests to the exporting authority ------------------------------------------------------
Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class VerificationCaseIn(_In):
    certificate_id: Annotated[int, Field(ge=1)]
    declaration_id: Annotated[int, Field(ge=1)] | None = None
    line_number: Annotated[int, Field(ge=1, le=999)] | None = None
    grounds: Note
    questions: Annotated[list[Note], Field(max_length=20)] = Field(default_factory=list)


class CaseSentIn(_In):
    sent_reference: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


class CaseAnswerIn(_In):
    result: Annotated[str, StringConstraints(pattern=r"^(confirmed|denied)$")]
    answer: Note


class CaseCloseIn(_In):
    note: Note | None = None


class ReadTextIn(_In):
    text: Annotated[str, StringConstraints(min_length=1, max_length=200_000)]
    agreement: (
        Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True, max_length=20)] | None
    ) = None


class VerifyIn(_In):
    declaration: dict[str, Any]
    line_number: Annotated[int, Field(ge=1, le=999)] = 1
    on: IsoDate | None = None


def parse(model: type[_In], document: Any, what: str) -> Any:
    if not isinstance(document, dict):
        raise ValidationFailed(f"the {what} must be a JSON object")
    try:
        return model.model_validate(document)
    except ValidationError as exc:
        errors = field_errors_from(exc)
        raise ValidationFailed(f"{len(errors)} invalid field(s) in the {what}", errors=errors) from None
