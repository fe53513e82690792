from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class TokenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=200)
    name: str = Field("api token", max_length=100)
    scopes: list[Annotated[str, Field(max_length=40)]] | None = Field(
        None, max_length=20, description="Narrow the token to these scopes (default: the role's)"
    )
    ttl_hours: int | None = Field(None, ge=1, le=24 * 366, description="Lifetime (default: 90 days)")


class TokenRead(BaseModel):
    token: str
    token_type: str = "Bearer"
    scopes: list[str]
    expires_at: datetime | None


class PrincipalRead(BaseModel):
    user_id: int
    username: str
    role: str
    company_id: int | None
    scopes: list[str]
    expires_at: datetime | None = Field(None, description="When this credential expires")


class TokenListItem(BaseModel):
    id: int
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
