"""Status notifications to filers: each company may register HTTPS endpoints; every event on one of its
declarations is POSTed there as JSON, signed with HMAC-SHA256 over the body (header ``Clearway-Signature``).

Delivery goes through a queue per subscription (``webhook_job``): the consumer of declaration events writes one
job per (subscription, event) — deduplicated by event id, so an event the bus hands over twice is delivered
once — and a dispatcher delivers the due jobs with bounded concurrency, one subscription per slot, in event
order (a failed event waits for its retry while the later ones go on), with short timeouts and a circuit
breaker per endpoint: once it opens, the endpoint's slot is given up until the cool-down ends. A failed attempt (connection refused, timeout,
408/429/5xx) is retried with exponential backoff and jitter; after the last attempt, or on a refusal for good,
the job is dead-lettered: administrators list and replay dead letters (page and API)."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import random
import secrets
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any, cast
from urllib.parse import SplitResult, urlsplit, urlunsplit

import httpx
from sqlalchemy import Table, bindparam, func, literal, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from clearway.audit.service import Actor, record
from clearway.db import UTCDateTime, one_of
from clearway.declaration import disclosure
from clearway.declaration.models import Declaration
from clearway.errors import FieldError, Forbidden, NotFound, ValidationFailed
from clearway.identity.core import COMPANY_ROLES, Principal
from clearway.messaging.bus import Message
from clearway.messaging.destinations import DestinationPolicy, DestinationRefused
from clearway.messaging.models import ProcessedEvent, WebhookDelivery, WebhookJob, WebhookSubscription
from clearway.messaging.reliability import Breaker, RetryPolicy, accepted, is_retryable

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


def notification(message: Message, declaration_id: int, declarant_reference: str) -> dict[str, Any]:
    """The filer's view of an event (the disclosure policy's, as on the filer's pages)."""
    p = message.payload
    actor, reason, data = disclosure.event_parts(
        p["action"], p.get("actor", ""), p.get("reason"), p.get("data", {}), disclosure.Audience.FILER
    )
    return {
        "event_id": message.key,
        "topic": message.topic,
        "declaration_id": declaration_id,
        "declarant_reference": declarant_reference,
        "action": p["action"],
        "occurred_at": p["occurred_at"],
        "actor": actor,
        "reason": reason,
        "data": data,
    }


CONSUMER = "webhooks"
DELIVERING = timedelta(seconds=30)  # a claimed job is due again after this if its deliverer died


def _record_processed(session: Session, messages: list[Message], now: datetime) -> list[Message]:
    """The messages this consumer has not handled before (by event id), now recorded as handled: one
    ``INSERT … ON CONFLICT DO NOTHING RETURNING``, so a concurrent consumer that records the same event first
    makes this one skip it. PostgreSQL gets the ids as one array (``unnest``), not one row of parameters each."""
    first: dict[str, Message] = {}
    for m in messages:
        first.setdefault(m.key, m)
    if not first:
        return []
    table = cast(Table, ProcessedEvent.__table__)
    if session.get_bind().dialect.name == "postgresql":
        each = select(
            literal(CONSUMER),
            func.unnest(bindparam("event_ids", list(first), type_=ARRAY(table.c.event_id.type))),
            literal(now, UTCDateTime()),
        )
        statement = (
            postgresql_insert(table)
            .from_select(["consumer", "event_id", "processed_at"], each)
            .on_conflict_do_nothing()
            .returning(table.c.event_id)
        )
        fresh = set(session.execute(statement).scalars())
    else:
        rows = [{"consumer": CONSUMER, "event_id": k, "processed_at": now} for k in first]
        returning = sqlite_insert(table).on_conflict_do_nothing().returning(table.c.event_id)
        fresh = set(session.execute(returning, rows).scalars())
    return [m for k, m in first.items() if k in fresh]


class WebhookDeliverer:
    """Turns declaration events into delivery jobs and delivers the due jobs (see the module's notes)."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Callable[[], datetime],
        http: httpx.Client | None = None,
        timeout: float = 3.0,
        policy: DestinationPolicy | None = None,
        retry: RetryPolicy | None = None,
        concurrency: int = 8,
        breaker: Breaker | None = None,
        draw: Callable[[], float] = random.random,
    ) -> None:
        self.sessions, self.clock = sessions, clock
        self.http = http or httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 2.0)),
            follow_redirects=False,
            limits=httpx.Limits(max_connections=concurrency * 2),
        )
        self.policy = policy or DestinationPolicy()
        self.retry = retry or RetryPolicy()
        self.concurrency = concurrency
        self.breaker = breaker or Breaker()
        self.draw = draw
        self.breakers: dict[str, Breaker] = {}
        self._lock = threading.Lock()
        self._busy: set[int] = set()
        self._pool = ThreadPoolExecutor(concurrency, thread_name_prefix="clearway-webhook")
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- the consumer: events → jobs ------------------------------------------------------------------------
    def enqueue(self, session: Session, messages: list[Message]) -> int:
        """One job per (active subscription of the filer, event shown to filers); returns the jobs written.
        Events handled before (same event id) are skipped."""
        now = self.clock()
        fresh = _record_processed(session, messages, now)
        events = [m for m in fresh if m.payload.get("subject_type") == "declaration"]
        events = [m for m in events if disclosure.shown(m.payload["action"], disclosure.Audience.FILER)]
        if not events:
            return 0
        ids = {int(m.payload["subject_id"]) for m in events}
        subscribed = (
            select(WebhookSubscription.id)
            .where(
                WebhookSubscription.company_id == Declaration.filer_company_id,
                WebhookSubscription.active.is_(True),
            )
            .exists()
        )
        owners = {  # only the declarations whose filer has an active subscription: mostly none
            row.id: row
            for row in session.execute(
                select(Declaration.id, Declaration.filer_company_id, Declaration.declarant_reference).where(
                    one_of(session, Declaration.id, ids), subscribed
                )
            )
        }
        if not owners:
            return 0
        targets: dict[int, list[WebhookSubscription]] = {}
        for subscription in session.scalars(
            select(WebhookSubscription).where(
                WebhookSubscription.company_id.in_({o.filer_company_id for o in owners.values()}),
                WebhookSubscription.active.is_(True),
            )
        ):
            targets.setdefault(subscription.company_id, []).append(subscription)
        jobs = []
        for message in events:
            owner = owners.get(int(message.payload["subject_id"]))
            if owner is None or owner.filer_company_id not in targets:  # nobody to tell: no body to build
                continue
            body = json.dumps(notification(message, owner.id, owner.declarant_reference), ensure_ascii=False)
            for target in targets[owner.filer_company_id]:
                jobs.append(
                    {
                        "subscription_id": target.id,
                        "event_id": message.key,
                        "event_seq": int(message.payload["seq"]),
                        "topic": message.topic,
                        "body": body,
                        "state": "pending",
                        "attempts": 0,
                        "next_attempt_at": now,
                        "created_at": now,
                    }
                )
        if jobs:
            session.execute(cast(Table, WebhookJob.__table__).insert(), jobs)
        return len(jobs)

    def consume(self, messages: list[Message]) -> int:
        """:meth:`enqueue` in a transaction of its own (the RabbitMQ consumer's batch)."""
        with self.sessions() as session, session.begin():
            return self.enqueue(session, messages)

    def deliver_all(self, messages: list[Message]) -> None:
        """Enqueue and deliver what is due now, waiting for it (a synchronous round: tests, one-off use)."""
        self.consume(messages)
        self.run_due(wait=True)

    # -- the dispatcher: due jobs → HTTP --------------------------------------------------------------------
    def run_due(self, *, wait: bool = False) -> int:
        """Start a delivery slot for each subscription with due jobs that has none running and whose endpoint's
        circuit lets a delivery through; returns how many were started."""
        now = self.clock()
        with self.sessions() as session:
            due = session.execute(
                select(WebhookJob.subscription_id, WebhookSubscription.url)
                .join(WebhookSubscription, WebhookSubscription.id == WebhookJob.subscription_id)
                .where(WebhookJob.state == "pending", WebhookJob.next_attempt_at <= now)
                .group_by(WebhookJob.subscription_id, WebhookSubscription.url)
                .order_by(func.min(WebhookJob.next_attempt_at))
            ).all()
        started: list[Future[None]] = []
        for subscription_id, url in due:
            with self._lock:
                if subscription_id in self._busy or len(self._busy) >= self.concurrency:
                    continue
                if not self.breakers.get(url, self.breaker).allows(now):
                    continue
                self._busy.add(subscription_id)
            started.append(self._pool.submit(self._deliver_subscription, subscription_id))
        if wait:
            for future in started:
                future.result()
        return len(started)

    def _claim(self, job_ids: list[int], now: datetime) -> set[int]:
        """Take the due jobs for this slot: due again only after :data:`DELIVERING` if this process dies."""
        table = cast(Table, WebhookJob.__table__)
        with self.sessions() as session, session.begin():
            return set(
                session.scalars(
                    update(table)
                    .where(
                        table.c.id.in_(job_ids), table.c.state == "pending", table.c.next_attempt_at <= now
                    )
                    .values(next_attempt_at=now + DELIVERING)
                    .returning(table.c.id)
                )
            )

    def _release(self, job_ids: list[int]) -> None:
        if not job_ids:
            return
        with self.sessions() as session, session.begin():
            session.execute(
                update(WebhookJob)
                .where(WebhookJob.id.in_(job_ids), WebhookJob.state == "pending")
                .values(next_attempt_at=self.clock())
            )

    def _deliver_subscription(self, subscription_id: int) -> None:
        try:
            while not self._stop.is_set():
                now = self.clock()
                with self.sessions() as session:
                    target = session.get(WebhookSubscription, subscription_id)
                    jobs = list(
                        session.execute(
                            select(WebhookJob.id, WebhookJob.event_id, WebhookJob.topic, WebhookJob.body)
                            .where(
                                WebhookJob.subscription_id == subscription_id,
                                WebhookJob.state == "pending",
                                WebhookJob.next_attempt_at <= now,
                            )
                            .order_by(WebhookJob.event_seq, WebhookJob.id)
                            .limit(20)
                        )
                    )
                    url, secret, active = (
                        (target.url, target.secret, target.active) if target else ("", "", False)
                    )
                if not jobs:
                    return
                claimed = self._claim([j.id for j in jobs], now)
                todo = [j for j in jobs if j.id in claimed]
                for n, job in enumerate(todo):
                    now = self.clock()
                    with self._lock:
                        breaker = self.breakers.get(url, self.breaker)
                        if not breaker.allows(now) or self._stop.is_set():
                            self._release([j.id for j in todo[n:]])  # due again at once, for later
                            return
                        self.breakers[url] = breaker.start(now)
                    status, error, final = (
                        self._post(url, secret, job.event_id, job.topic, job.body.encode("utf-8"))
                        if active
                        else (None, "the webhook was deleted", True)
                    )
                    ok = accepted(status)
                    self._finish(job.id, subscription_id, status, error, ok, final)
                    with self._lock:
                        breaker = self.breakers.get(url, self.breaker)
                        self.breakers[url] = breaker.succeeded() if ok else breaker.failed(self.clock())
        finally:
            with self._lock:
                self._busy.discard(subscription_id)

    def _post(
        self, url: str, secret: str, event_id: str, topic: str, body: bytes
    ) -> tuple[int | None, str | None, bool]:
        """(status, error, refused for good)."""
        try:
            # checked again at each delivery; the connection goes to the checked address (DNS rebinding)
            address = check_url(url, allow_http=True, policy=self.policy)
            target, host, extensions = pinned(url, address)
            response = self.http.post(
                target,
                content=body,
                extensions=extensions,
                headers={
                    **host,
                    "Content-Type": "application/json",
                    "Clearway-Event": topic,
                    "Clearway-Event-Id": event_id,
                    "Clearway-Signature": sign(secret, body),
                },
            )
            return response.status_code, None, not is_retryable(response.status_code)
        except ValidationFailed as exc:
            error = f"refused: {exc.errors[0].message if exc.errors else exc.detail}"[:1000]
            log.warning("webhook %s refused: %s", url, error)
            return None, error, True
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"[:1000]
            log.warning("webhook %s failed: %s", url, error)
            return None, error, False

    def _finish(
        self, job_id: int, subscription_id: int, status: int | None, error: str | None, ok: bool, final: bool
    ) -> None:
        now = self.clock()
        with self.sessions() as session, session.begin():
            job = session.get(WebhookJob, job_id)
            if job is None:
                return
            job.attempts += 1
            job.last_status, job.last_error = status, error
            if ok:
                job.state, job.finished_at = "delivered", now
            elif final or self.retry.exhausted(job.attempts):
                job.state, job.finished_at = "dead", now
                job.last_error = error or f"HTTP {status}"
            else:
                job.next_attempt_at = now + self.retry.delay(job.attempts, self.draw())
            session.add(
                WebhookDelivery(
                    subscription_id=subscription_id,
                    event_seq=job.event_seq,
                    status_code=status,
                    error=error,
                    delivered_at=now,
                )
            )

    # -- the dispatcher thread ------------------------------------------------------------------------------
    def start(self, interval: float = 0.2) -> None:
        self._thread = threading.Thread(
            target=self.run, args=(interval,), name="clearway-webhook-dispatcher", daemon=True
        )
        self._thread.start()

    def run(self, interval: float = 0.2) -> None:
        while not self._stop.is_set():
            try:
                self.run_due()
            except Exception:  # keep delivering; the jobs stay in the queue
                log.exception("webhook dispatcher failed")
            self._stop.wait(interval)

    def stop(self) -> None:
        """Stop starting deliveries; the ones under way finish (bounded by the timeout)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=20)
        self._pool.shutdown(wait=True)


# -- dead letters ---------------------------------------------------------------------------------------------
def dead_letters(session: Session, limit: int = 200) -> list[tuple[WebhookJob, WebhookSubscription]]:
    rows = session.execute(
        select(WebhookJob, WebhookSubscription)
        .join(WebhookSubscription, WebhookSubscription.id == WebhookJob.subscription_id)
        .where(WebhookJob.state == "dead")
        .order_by(WebhookJob.finished_at.desc(), WebhookJob.id.desc())
        .limit(limit)
    )
    return [(job, sub) for job, sub in rows]


def dead_letter_count(session: Session) -> int:
    return int(session.scalar(select(func.count(WebhookJob.id)).where(WebhookJob.state == "dead")) or 0)


def replay(session: Session, principal: Principal, job_id: int | None, *, now: datetime) -> int:
    """Put one dead letter (or all) back in the queue, due now with a fresh retry budget; audited."""
    query = select(WebhookJob).where(WebhookJob.state == "dead")
    if job_id is not None:
        query = query.where(WebhookJob.id == job_id)
    jobs = list(session.scalars(query.order_by(WebhookJob.id)))
    if job_id is not None and not jobs:
        raise NotFound(f"no dead letter {job_id}")
    for job in jobs:
        job.state, job.attempts, job.next_attempt_at, job.finished_at = "pending", 0, now, None
    session.flush()
    for subscription_id in sorted({j.subscription_id for j in jobs}):
        record(
            session,
            actor=Actor(principal.username, principal.user_id),
            subject_type=SUBJECT,
            subject_id=subscription_id,
            action="webhook_replayed",
            at=now,
            data={"jobs": [j.id for j in jobs if j.subscription_id == subscription_id]},
        )
    return len(jobs)
