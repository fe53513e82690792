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
from urllib.parse import SplitResult, urlsplit, urlunsplit

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from clearway.audit.service import Actor, record
from clearway.declaration import disclosure
from clearway.declaration.models import Declaration
from clearway.errors import FieldError, Forbidden, NotFound, ValidationFailed
from clearway.identity.core import COMPANY_ROLES, Principal
from clearway.messaging.bus import Message
from clearway.messaging.destinations import DestinationPolicy, DestinationRefused
from clearway.messaging.models import WebhookDelivery, WebhookSubscription

log = logging.getLogger("clearway.webhooks")
DECLARATION_TOPICS = "clearway.declaration.*"
SUBJECT = "webhook"


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def _port(parts: SplitResult) -> int:
    try:
        port = parts.port
    except ValueError:
        port = -1
    if port is not None and not 0 < port < 65536:
        raise DestinationRefused("the port is not a number from 1 to 65535")
    return port or (443 if parts.scheme == "https" else 80)


def check_url(url: str, *, allow_http: bool, policy: DestinationPolicy | None = None) -> str:
    """Check the URL (scheme, and that its host is a public address); returns the address to connect to."""
    parts = urlsplit(url)
    if parts.scheme not in (("https", "http") if allow_http else ("https",)) or not parts.hostname:
        raise ValidationFailed(
            "the webhook URL is not acceptable",
            errors=[
                FieldError(
                    "/url", "bad_url", "an absolute https:// URL" + (" (or http://)" if allow_http else "")
                )
            ],
        )
    if parts.username or parts.password:
        raise ValidationFailed(
            "the webhook URL is not acceptable",
            errors=[FieldError("/url", "bad_url", "credentials in the URL are not accepted")],
        )
    try:
        return (policy or DestinationPolicy()).resolve(parts.hostname, _port(parts))
    except DestinationRefused as exc:
        raise ValidationFailed(
            "the webhook URL is not acceptable",
            errors=[FieldError("/url", "destination_not_allowed", str(exc))],
        ) from None


def register(
    session: Session,
    principal: Principal,
    url: str,
    *,
    now: datetime,
    allow_http: bool,
    policy: DestinationPolicy | None = None,
) -> tuple[WebhookSubscription, str]:
    if principal.role not in COMPANY_ROLES or principal.company_id is None:
        raise Forbidden("webhooks notify trading companies of their own declarations")
    check_url(url, allow_http=allow_http, policy=policy)
    secret = secrets.token_urlsafe(24)
    row = WebhookSubscription(
        company_id=principal.company_id, url=url, secret=secret, active=True, created_at=now
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor=Actor(principal.username, principal.user_id),
        subject_type=SUBJECT,
        subject_id=row.id,
        action="webhook_registered",
        at=now,
        data={"company_id": row.company_id, "url": url},
    )
    return row, secret


def subscriptions(session: Session, principal: Principal) -> list[WebhookSubscription]:
    return list(
        session.scalars(
            select(WebhookSubscription).where(
                WebhookSubscription.company_id == principal.company_id, WebhookSubscription.active.is_(True)
            )
        )
    )


def deactivate(session: Session, principal: Principal, subscription_id: int, *, now: datetime) -> None:
    row = session.get(WebhookSubscription, subscription_id)
    if row is None or row.company_id != principal.company_id or not row.active:
        raise NotFound(f"no webhook {subscription_id}")
    row.active = False
    session.flush()
    record(
        session,
        actor=Actor(principal.username, principal.user_id),
        subject_type=SUBJECT,
        subject_id=row.id,
        action="webhook_deleted",
        at=now,
        data={"company_id": row.company_id, "url": row.url},
    )


def pinned(url: str, address: str) -> tuple[str, dict[str, str], dict[str, Any]]:
    """The URL rewritten to connect to ``address``, with the Host header and TLS server name of the
    original."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    literal = f"[{address}]" if ":" in address else address
    netloc = literal + (f":{parts.port}" if parts.port else "")
    target = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    host_header = (f"[{host}]" if ":" in host else host) + (f":{parts.port}" if parts.port else "")
    extensions: dict[str, Any] = {"sni_hostname": host} if parts.scheme == "https" else {}
    return target, {"Host": host_header}, extensions


def notification(message: Message, declaration: Declaration) -> dict[str, Any]:
    """The filer's view of an event (the disclosure policy's, as on the filer's pages)."""
    p = message.payload
    actor, reason, data = disclosure.event_parts(
        p["action"], p.get("actor", ""), p.get("reason"), p.get("data", {}), disclosure.Audience.FILER
    )
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

    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Callable[[], datetime],
        http: httpx.Client | None = None,
        timeout: float = 5.0,
        policy: DestinationPolicy | None = None,
    ) -> None:
        self.sessions, self.clock = sessions, clock
        self.http = http or httpx.Client(timeout=timeout, follow_redirects=False)
        self.policy = policy or DestinationPolicy()

    def __call__(self, message: Message) -> None:
        self.deliver_all([message])

    def deliver_all(self, messages: list[Message]) -> None:
        """Deliver the messages in order, in one transaction (the in-process bus hands over a relay round)."""
        events = [m for m in messages if m.payload.get("subject_type") == "declaration"]
        if not events:
            return
        with self.sessions() as session, session.begin():
            ids = {int(m.payload["subject_id"]) for m in events}
            declarations = {
                d.id: d for d in session.scalars(select(Declaration).where(Declaration.id.in_(ids)))
            }
            companies = {d.filer_company_id for d in declarations.values()}
            targets: dict[int, list[WebhookSubscription]] = {}
            for row in session.scalars(
                select(WebhookSubscription).where(
                    WebhookSubscription.company_id.in_(companies), WebhookSubscription.active.is_(True)
                )
            ):
                targets.setdefault(row.company_id, []).append(row)
            for message in events:
                declaration = declarations.get(int(message.payload["subject_id"]))
                if declaration is not None and disclosure.shown(
                    message.payload["action"], disclosure.Audience.FILER
                ):
                    self._post(session, message, declaration, targets.get(declaration.filer_company_id, []))

    def _post(
        self, session: Session, message: Message, declaration: Declaration, targets: list[WebhookSubscription]
    ) -> None:
        if not targets:
            return
        body = json.dumps(notification(message, declaration), ensure_ascii=False).encode("utf-8")
        for target in targets:
            status, error = None, None
            try:
                # checked again at each delivery; the connection goes to the checked address (DNS rebinding)
                address = check_url(target.url, allow_http=True, policy=self.policy)
                url, host, extensions = pinned(target.url, address)
                response = self.http.post(
                    url,
                    content=body,
                    extensions=extensions,
                    headers={
                        **host,
                        "Content-Type": "application/json",
                        "Clearway-Event": message.topic,
                        "Clearway-Event-Id": message.key,
                        "Clearway-Signature": sign(target.secret, body),
                    },
                )
                status = response.status_code
            except ValidationFailed as exc:
                error = f"refused: {exc.errors[0].message if exc.errors else exc.detail}"[:1000]
                log.warning("webhook %s refused: %s", target.url, error)
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__}: {exc}"[:1000]
                log.warning("webhook %s failed: %s", target.url, error)
            session.add(
                WebhookDelivery(
                    subscription_id=target.id,
                    event_seq=message.payload["seq"],
                    status_code=status,
                    error=error,
                    delivered_at=self.clock(),
                )
            )
