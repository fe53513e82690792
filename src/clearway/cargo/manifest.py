"""The manifest (적하목록) as submitted: immutable value objects, parsed and checked in one pass.

Pydantic is used as a value-validation library (as in ``declaration/content.py``): one parse checks every
field and gives a JSON pointer per problem; cross-field rules are a separate pure pass.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from pydantic_core import PydanticCustomError

from clearway.cargo import core
from clearway.errors import FieldError, ValidationFailed
from clearway.reference import codes

MAX_HOUSES = 20_000


def _check(fn: Callable[[str], core.Problem]) -> AfterValidator:
    def validate(value: str) -> str:
        problem = fn(value)
        if problem:
            raise PydanticCustomError(problem[0], problem[1])
        return value

    return AfterValidator(validate)


_UP = StringConstraints(strip_whitespace=True, to_upper=True)
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
BillNumber = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, to_upper=True, min_length=4, max_length=35, pattern=r"^[A-Z0-9-]+$"
    ),
]
Country = Annotated[str, _UP, _check(codes.check_country)]
Locode = Annotated[str, _UP, _check(core.check_locode)]
DischargePort = Annotated[str, _UP, _check(core.check_discharge_port)]
ContainerNumber = Annotated[str, _UP, _check(core.check_container)]
CarrierCode = Annotated[str, _UP, _check(core.check_carrier_code)]
Imo = Annotated[str, StringConstraints(strip_whitespace=True), _check(core.check_imo)]
Hs6 = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{6}$")]
PackageType = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Z0-9]{2}$")
]
SizeType = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[0-9][0-9A-Z][A-Z][0-9A-Z]$")
]
Weight = Annotated[Decimal, Field(gt=0, le=Decimal("1e7"), decimal_places=3)]
Volume = Annotated[Decimal, Field(gt=0, le=Decimal("1e6"), decimal_places=3)]


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Party(_Value):
    name: Text
    country: Country
    brn: Annotated[str, StringConstraints(pattern=r"^[0-9-]{5,20}$")] | None = None
    address: Annotated[str, StringConstraints(min_length=1, max_length=500)] | None = None

    @cached_property
    def key(self) -> str:
        """The party key the risk watchlists use: ``BRN:digits`` or ``NAME|COUNTRY``."""
        if self.brn:
            return "BRN:" + self.brn.replace("-", "")  # the pattern allows digits and hyphens only
        return f"{' '.join(self.name.upper().split())}|{self.country}"


class Voyage(_Value):
    """The means of transport: a vessel voyage (IMO number) or a flight (carrier code + flight number)."""

    mode: Literal["sea", "air"]
    carrier_code: CarrierCode
    number: Annotated[
        str, StringConstraints(strip_whitespace=True, to_upper=True, min_length=1, max_length=17)
    ]
    vessel_name: Text | None = None
    imo: Imo | None = None
    port_of_loading: Locode
    port_of_discharge: DischargePort
    departure_date: date
    arrival_date: date


class Container(_Value):
    number: ContainerNumber
    size_type: SizeType = "22G1"
    seals: Annotated[
        list[Annotated[str, StringConstraints(min_length=1, max_length=35)]], Field(max_length=9)
    ] = []


class HouseBill(_Value):
    house_bill: BillNumber
    shipper: Party
    consignee: Party
    notify: Party | None = None
    description: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=500)]
    hs6: Hs6 | None = None
    packages: Annotated[int, Field(ge=1, le=10_000_000)]
    package_type: PackageType
    gross_weight_kg: Weight
    volume_m3: Volume | None = None
    value: Annotated[Decimal, Field(gt=0, le=Decimal("1e12"))] | None = None
    currency: Annotated[str, _UP, _check(codes.check_currency)] | None = None
    transshipment_ports: Annotated[list[Locode], Field(max_length=9)] = []
    containers: Annotated[list[ContainerNumber], Field(max_length=999)] = []


class MasterBill(_Value):
    master_bill: BillNumber
    houses: Annotated[list[HouseBill], Field(min_length=1, max_length=MAX_HOUSES)]


class Manifest(_Value):
    """What a carrier or forwarder submits; ``reference`` is the submitter's own reference for it."""

    reference: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=35)]
    voyage: Voyage
    containers: Annotated[list[Container], Field(max_length=MAX_HOUSES)] = []
    masters: Annotated[list[MasterBill], Field(min_length=1, max_length=MAX_HOUSES)]

    def houses(self) -> list[tuple[int, int, MasterBill, HouseBill]]:
        """(master sequence, house sequence, master, house), numbered from 1 in submitted order."""
        return [
            (m, h, master, house)
            for m, master in enumerate(self.masters, 1)
            for h, house in enumerate(master.houses, 1)
        ]


def _pointer(loc: tuple[int | str, ...]) -> str:
    return "".join(f"/{part}" for part in loc)


def cross_field_errors(manifest: Manifest) -> list[FieldError]:
    errors: list[FieldError] = []
    v = manifest.voyage
    if v.arrival_date < v.departure_date:
        errors.append(
            FieldError(
                "/voyage/arrival_date",
                "arrival_before_departure",
                "the arrival date is before the departure date",
            )
        )
    if v.mode == "sea" and v.imo is None:
        errors.append(FieldError("/voyage/imo", "required", "a vessel is named by its IMO number"))
    if v.port_of_loading == v.port_of_discharge:
        errors.append(
            FieldError("/voyage/port_of_loading", "same_port", "loading and discharge ports are the same")
        )
    containers: set[str] = set()
    for i, c in enumerate(manifest.containers):
        if c.number in containers:
            errors.append(
                FieldError(
                    f"/containers/{i}/number", "duplicate_container", f"container {c.number} is listed twice"
                )
            )
        containers.add(c.number)
    bills: set[str] = set()
    for m, master in enumerate(manifest.masters):
        if master.master_bill in bills:
            errors.append(
                FieldError(
                    f"/masters/{m}/master_bill", "duplicate_bill", f"bill {master.master_bill} appears twice"
                )
            )
        bills.add(master.master_bill)
        for h, house in enumerate(master.houses):
            where = f"/masters/{m}/houses/{h}"
            if house.house_bill in bills:
                errors.append(
                    FieldError(
                        f"{where}/house_bill",
                        "duplicate_bill",
                        f"bill {house.house_bill} appears twice in the manifest",
                    )
                )
            bills.add(house.house_bill)
            for k, number in enumerate(house.containers):
                if number not in containers:
                    errors.append(
                        FieldError(
                            f"{where}/containers/{k}",
                            "unknown_container",
                            f"container {number} is not in the manifest's container list",
                        )
                    )
            if (house.value is None) != (house.currency is None):
                errors.append(
                    FieldError(
                        f"{where}/currency",
                        "value_needs_currency",
                        "a value is given with its currency, or neither is given",
                    )
                )
    return errors


def parse_manifest(document: Any) -> Manifest:
    """Parse and check; raise :class:`ValidationFailed` listing every problem."""
    if not isinstance(document, dict):
        raise ValidationFailed(
            "the manifest must be a JSON object",
            errors=[FieldError("", "not_an_object", "expected a JSON object")],
        )
    try:
        manifest = Manifest.model_validate(document)
    except ValidationError as exc:
        errors = [
            FieldError(_pointer(tuple(e["loc"])), e["type"], e["msg"]) for e in exc.errors(include_url=False)
        ]
        raise ValidationFailed(f"{len(errors)} invalid field(s) in the manifest", errors=errors) from None
    errors = cross_field_errors(manifest)
    if errors:
        raise ValidationFailed(f"{len(errors)} inconsistent field(s) in the manifest", errors=errors)
    return manifest
