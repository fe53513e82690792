"""Webhook subscriptions for a company's own declaration events."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from clearway.identity.core import Scope
from clearway.messaging import webhooks
from clearway.messaging.destinations import DestinationPolicy
from clearway.web.deps import PrincipalDep, ResourceId, RuntimeDep, SessionDep

router = APIRouter(prefix="/webhooks", tags=["webhooks"])


class WebhookCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str = Field(max_length=500, description="Absolute https:// URL that receives POSTed JSON events")


class WebhookRead(BaseModel):
    id: int
    url: str
    created_at: datetime
    secret: str | None = Field(None, description="HMAC-SHA256 key for Clearway-Signature; shown once")


@router.post(
    "", status_code=201, response_model=WebhookRead, summary="Subscribe to your declarations' events"
)
def create(
    body: WebhookCreate, session: SessionDep, principal: PrincipalDep, runtime: RuntimeDep
) -> WebhookRead:
    policy = DestinationPolicy.of(runtime.settings.webhook_allowed_networks)
    row, secret = webhooks.register(
        session,
        principal,
        body.url,
        now=runtime.clock(),
        allow_http=runtime.settings.allow_http_webhooks,
        policy=policy,
    )
    return WebhookRead(id=row.id, url=row.url, created_at=row.created_at, secret=secret)


class DeadLetter(BaseModel):
    id: int
    subscription_id: int
    company_id: int
    url: str
    event_id: str
    topic: str
    attempts: int
    last_status: int | None
    last_error: str | None
    dead_since: datetime | None


class Replayed(BaseModel):
    replayed: int = Field(description="Dead letters put back in the delivery queue, due now")


@router.get(
    "/dead-letters",
    response_model=list[DeadLetter],
    summary="Webhook deliveries that failed for good (administrators)",
)
def list_dead_letters(
    session: SessionDep,
    principal: PrincipalDep,
    limit: Annotated[int, Query(ge=1, le=5000, description="Most recent first, at most this many")] = 500,
) -> list[DeadLetter]:
    principal.require_scope(Scope.MESSAGING_ADMIN)
    return [
        DeadLetter(
            id=job.id,
            subscription_id=sub.id,
            company_id=sub.company_id,
            url=sub.url,
            event_id=job.event_id,
            topic=job.topic,
            attempts=job.attempts,
            last_status=job.last_status,
            last_error=job.last_error,
            dead_since=job.finished_at,
        )
        for job, sub in webhooks.dead_letters(session, limit)
    ]


@router.post(
    "/dead-letters/{job_id}/replay", response_model=Replayed, summary="Deliver one dead letter again"
)
def replay_one(
    job_id: ResourceId, session: SessionDep, principal: PrincipalDep, runtime: RuntimeDep
) -> Replayed:
    principal.require_scope(Scope.MESSAGING_ADMIN)
    return Replayed(replayed=webhooks.replay(session, principal, job_id, now=runtime.clock()))


@router.post("/dead-letters:replay", response_model=Replayed, summary="Deliver every dead letter again")
def replay_all(session: SessionDep, principal: PrincipalDep, runtime: RuntimeDep) -> Replayed:
    principal.require_scope(Scope.MESSAGING_ADMIN)
    return Replayed(replayed=webhooks.replay(session, principal, None, now=runtime.clock()))


@router.get("", response_model=list[WebhookRead], summary="Your company's active webhooks")
def list_webhooks(session: SessionDep, principal: PrincipalDep) -> list[WebhookRead]:
    return [
        WebhookRead(id=r.id, url=r.url, created_at=r.created_at)
        for r in webhooks.subscriptions(session, principal)
    ]


@router.delete("/{subscription_id}", status_code=204, summary="Stop a webhook")
def delete(
    subscription_id: ResourceId, session: SessionDep, principal: PrincipalDep, runtime: RuntimeDep
) -> None:
    webhooks.deactivate(session, principal, subscription_id, now=runtime.clock())
