"""Status notifications to filers: each company may register HTTPS endpoints; every event on one of its
declarations is POSTed there as JSON, signed with HMAC-SHA256 over the body (header ``Clearway-Signature``)."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from clearway.declaration import disclosure
from clearway.declaration.models import Declaration
from clearway.errors import FieldError, Forbidden, NotFound, ValidationFailed
from clearway.identity.core import COMPANY_ROLES, Principal
from clearway.messaging.bus import Message
from clearway.messaging.models import WebhookDelivery, WebhookSubscription

log = logging.getLogger("clearway.webhooks")
DECLARATION_TOPICS = "clearway.declaration.*"


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def check_url(url: str, *, allow_http: bool) -> None:
    parts = urlsplit(url)
    if parts.scheme not in (("https", "http") if allow_http else ("https",)) or not parts.netloc:
        raise ValidationFailed("the webhook URL is not acceptable", errors=[
            FieldError("/url", "bad_url", "an absolute https:// URL" + (" (or http://)" if allow_http else ""))])


def register(session: Session, principal: Principal, url: str, *, now: datetime,
             allow_http: bool) -> tuple[WebhookSubscription, str]:
    if principal.role not in COMPANY_ROLES or principal.company_id is None:
        raise Forbidden("webhooks notify trading companies of their own declarations")
    check_url(url, allow_http=allow_http)
    secret = secrets.token_urlsafe(24)
    row = WebhookSubscription(company_id=principal.company_id, url=url, secret=secret, active=True,
                              created_at=now)
    session.add(row)
    session.flush()
    return row, secret


def subscriptions(session: Session, principal: Principal) -> list[WebhookSubscription]:
    return list(session.scalars(select(WebhookSubscription).where(
        WebhookSubscription.company_id == principal.company_id, WebhookSubscription.active.is_(True))))


def deactivate(session: Session, principal: Principal, subscription_id: int) -> None:
    row = session.get(WebhookSubscription, subscription_id)
    if row is None or row.company_id != principal.company_id:
        raise NotFound(f"no webhook {subscription_id}")
    row.active = False
    session.flush()


def notification(message: Message, declaration: Declaration) -> dict[str, Any]:
    """The filer's view of an event (the disclosure policy's, as on the filer's pages)."""
    p = message.payload
    actor, reason, data = disclosure.event_parts(p["action"], p.get("actor", ""), p.get("reason"),
                                                 p.get("data", {}), disclosure.Audience.FILER)
    return {
        "event_id": message.key,
        "topic": message.topic,
        "declaration_id": declaration.id,
        "declarant_reference": declaration.declarant_reference,
        "action": p["action"],
        "occurred_at": p["occurred_at"],
        "actor": actor,
        "reason": reason,
        "data": data,
    }


class WebhookDeliverer:
    """Consumes declaration events and POSTs them to the filer's endpoints, recording each attempt."""

    def __init__(self, sessions: sessionmaker[Session], clock: Callable[[], datetime],
                 http: httpx.Client | None = None, timeout: float = 5.0) -> None:
        self.sessions, self.clock = sessions, clock
        self.http = http or httpx.Client(timeout=timeout, follow_redirects=False)

    def __call__(self, message: Message) -> None:
        self.deliver_all([message])

    def deliver_all(self, messages: list[Message]) -> None:
        """Deliver the messages in order, in one transaction (the in-process bus hands over a relay round)."""
        events = [m for m in messages if m.payload.get("subject_type") == "declaration"]
        if not events:
            return
        with self.sessions() as session, session.begin():
            ids = {int(m.payload["subject_id"]) for m in events}
            declarations = {d.id: d for d in session.scalars(select(Declaration).where(Declaration.id.in_(ids)))}
            companies = {d.filer_company_id for d in declarations.values()}
            targets: dict[int, list[WebhookSubscription]] = {}
            for row in session.scalars(select(WebhookSubscription).where(
                    WebhookSubscription.company_id.in_(companies), WebhookSubscription.active.is_(True))):
                targets.setdefault(row.company_id, []).append(row)
            for message in events:
                declaration = declarations.get(int(message.payload["subject_id"]))
                if declaration is not None and disclosure.shown(message.payload["action"],
                                                                disclosure.Audience.FILER):
                    self._post(session, message, declaration, targets.get(declaration.filer_company_id, []))

    def _post(self, session: Session, message: Message, declaration: Declaration,
              targets: list[WebhookSubscription]) -> None:
        if not targets:
            return
        body = json.dumps(notification(message, declaration), ensure_ascii=False).encode("utf-8")
        for target in targets:
            status, error = None, None
            try:
                response = self.http.post(target.url, content=body, headers={
                    "Content-Type": "application/json",
                    "Clearway-Event": message.topic,
                    "Clearway-Event-Id": message.key,
                    "Clearway-Signature": sign(target.secret, body),
                })
                status = response.status_code
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__}: {exc}"[:1000]
                log.warning("webhook %s failed: %s", target.url, error)
            session.add(WebhookDelivery(subscription_id=target.id, event_seq=message.payload["seq"],
                                        status_code=status, error=error, delivered_at=self.clock()))
