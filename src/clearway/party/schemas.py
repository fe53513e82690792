"""Request and response bodies of the party endpoints."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from clearway.declaration.content import IsoDate


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class CompanyCreate(_Body):
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    kind: Literal["trader", "broker", "customs"]
    brn: Annotated[str, StringConstraints(max_length=20)] | None = Field(None, description="사업자등록번호")
    customs_code: Annotated[str, StringConstraints(max_length=15)] | None = Field(
        None, description="통관고유부호"
    )


class CustomsCodeUpdate(_Body):
    customs_code: Annotated[str, StringConstraints(max_length=15)] | None


class CompanyRead(BaseModel):
    id: int
    name: str
    kind: str
    brn: str | None
    customs_code: str | None


class MandateCreate(_Body):
    broker_company_id: Annotated[int, Field(ge=1, le=2_147_483_647)]
    client_company_id: Annotated[int, Field(ge=1, le=2_147_483_647)]
    scope: Literal["import", "export", "both"]
    valid_from: IsoDate
    valid_to: IsoDate | None = None


class MandateRevoke(_Body):
    reason: Annotated[str, StringConstraints(min_length=1, max_length=500)]


class MandateRead(BaseModel):
    id: int
    broker_company_id: int
    client_company_id: int
    scope: str
    valid_from: date
    valid_to: date | None
    revoked_on: date | None
    revoke_reason: str | None


class ClientRead(BaseModel):
    id: int
    name: str
    brn: str | None
