from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class TokenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=200)
    name: str = Field("api token", max_length=100)
    scopes: list[str] | None = Field(None, description="Narrow the token to these scopes (default: the role's)")
    ttl_hours: int | None = Field(None, ge=1, le=24 * 366)


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
