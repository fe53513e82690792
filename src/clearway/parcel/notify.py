"""Telling the code holder: the notification port, a local adapter, and the delivery of pending notices.

Notifications are written in the same transaction as the change they report (``parcel_notification``, an
outbox); :func:`deliver_pending` hands them to a :class:`Notifier` and marks them delivered. Production plugs
an SMS, e-mail or webhook gateway into the port (:class:`WebhookNotifier` posts signed JSON to a gateway);
:class:`LocalNotifier` keeps what it was given (tests, the embedded default, the CLI prints them).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

import httpx
from sqlalchemy.orm import Session

from clearway.messaging.webhooks import sign
from clearway.parcel import repository as repo
from clearway.parcel.protection import PersonalDataCipher

TEXTS = {
    "code_issued": "Your personal customs code {code} was issued.",
    "code_suspended": "Your personal customs code {code} was suspended ({reason}).",
    "code_reissued": "Your personal customs code {old_code} was replaced by {new_code_clear} ({reason}); "
    "the old code no longer works.",
    "parcel_cleared": "Parcel {house_bill} from {dispatch_country} ({carrier}) was {outcome} under your code "
    "{code}. Not yours? Report it: the code will be suspended.",
    "sign_in_number": "Clearway: your sign-in number is {otp} (code {code}). Do not share it.",
    "parcel_checked": "Parcel {house_bill} was checked by customs: {result}.",
    "parcel_disputed": "You reported parcel {house_bill} as not yours: your code was suspended and a case "
    "opened.",
}


@dataclass(frozen=True, slots=True)
class Notice:
    notification_id: int
    phone: str
    event: str
    text: str


class Notifier(Protocol):
    def deliver(self, notice: Notice) -> None: ...


@dataclass
class LocalNotifier:
    """Keeps every notice in memory (an inbox per phone number)."""

    sent: list[Notice] = field(default_factory=list)

    def deliver(self, notice: Notice) -> None:
        self.sent.append(notice)

    def inbox(self, phone: str) -> list[Notice]:
        return [n for n in self.sent if n.phone == phone]


@dataclass
class WebhookNotifier:
    """Hands each notice to an SMS / e-mail gateway's webhook: a JSON POST signed with HMAC-SHA256 over the
    body (header ``Clearway-Signature``, as the declaration webhooks). A refused delivery raises, so the notice
    stays pending (at least once)."""

    url: str
    secret: str
    client: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=5.0))

    def deliver(self, notice: Notice) -> None:
        body = json.dumps(
            {"id": notice.notification_id, "to": notice.phone, "event": notice.event, "text": notice.text},
            ensure_ascii=False,
        ).encode("utf-8")
        response = self.client.post(
            self.url,
            content=body,
            headers={"Content-Type": "application/json", "Clearway-Signature": sign(self.secret, body)},
        )
        response.raise_for_status()


def render(event: str, body: dict[str, Any]) -> str:
    template = TEXTS.get(event, event)
    try:
        return template.format(**body)
    except (KeyError, IndexError):
        return f"{event}: {body}"


def deliver_pending(
    session: Session, cipher: PersonalDataCipher, notifier: Notifier, *, now: datetime, limit: int = 1000
) -> int:
    """Deliver up to ``limit`` pending notices in order; each is marked delivered only once handed over."""
    count = 0
    for note in repo.pending_notifications(session, limit):
        holder = repo.code(session, note.code_id)
        if holder is None:
            continue
        body = dict(note.body)
        if note.event == "code_reissued":  # the new code itself goes only to its holder, never into a table
            body["new_code_clear"] = cipher.decrypt(holder.code_enc)
        phone = cipher.decrypt(holder.phone_enc)
        notifier.deliver(Notice(note.id, phone, note.event, render(note.event, body)))
        note.status, note.delivered_at = "delivered", now
        count += 1
    session.flush()
    return count
