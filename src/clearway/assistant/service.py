"""Conversations, messages and consultation tickets (shell): load → consult → save. Flushes; never commits.

A conversation is opened by anyone (a traveller need not sign in) and answered with a secret that reaches it
again; a signed-in user's conversation is also theirs by user id. A question the assistant could not answer
can be handed to an officer as a ticket; once the officer answers and publishes it, a later question that
reads the same is answered with the reviewed answer, cited as such.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.orm import Session

from clearway.assistant.answer import Answer, Cited
from clearway.assistant.consult import Consultant
from clearway.assistant.intent import MAX_QUESTION, language_of
from clearway.assistant.models import Conversation, Message, Ticket
from clearway.audit.service import Actor, record
from clearway.errors import ClearwayError, FieldError, NotFound, ValidationFailed
from clearway.identity.core import Principal, Role

REVIEWED_MATCH = 90.0  # rapidfuzz ratio at which a new question reads as a reviewed ticket's question
MAX_BODY = 200_000  # longer is refused; anything up to this is answered (the question is cut)


class TooManyQuestions(ClearwayError):
    type = "too-many-questions"
    title = "Too many questions"
    status = 429


@dataclass
class RateLimit:
    """At most ``limit`` questions per ``window`` seconds per key (a user, a conversation or an address)."""

    limit: int = 30
    window: float = 60.0
    _seen: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, key: str, now: float | None = None) -> None:
        moment = time.monotonic() if now is None else now
        with self._lock:
            seen = self._seen.setdefault(key, deque())
            while seen and moment - seen[0] >= self.window:
                seen.popleft()
            if len(seen) >= self.limit:
                raise TooManyQuestions(f"at most {self.limit} questions a minute; wait a little")
            seen.append(moment)


RATE = RateLimit()  # one per process: questions from a user or an address, over the API and the web chat


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def check_question(text: object) -> str:
    if not isinstance(text, str):
        raise ValidationFailed(
            "the question must be text", errors=[FieldError("/text", "not_text", "a string")]
        )
    if len(text) > MAX_BODY:
        raise ValidationFailed(
            "the question is too long",
            errors=[FieldError("/text", "too_long", f"at most {MAX_BODY:,} characters")],
        )
    return text


def open_conversation(
    session: Session, principal: Principal | None, now: datetime
) -> tuple[Conversation, str]:
    secret = "cv_" + secrets.token_urlsafe(24)
    conversation = Conversation(
        secret_hash=_digest(secret),
        user_id=principal.user_id if principal else None,
        created_at=now,
        updated_at=now,
    )
    session.add(conversation)
    session.flush()
    return conversation, secret


def conversation_for(
    session: Session, conversation_id: int, secret: str | None, principal: Principal | None
) -> Conversation:
    conversation = session.get(Conversation, conversation_id)
    mine = conversation is not None and (
        (secret is not None and secrets.compare_digest(conversation.secret_hash, _digest(secret)))
        or (principal is not None and conversation.user_id == principal.user_id)
    )
    if conversation is None or not mine:
        raise NotFound(f"no conversation {conversation_id}")
    return conversation


def reviewed_answer(session: Session, question: str) -> Ticket | None:
    tickets = session.scalars(select(Ticket).where(Ticket.published.is_(True))).all()
    best = max(tickets, key=lambda t: fuzz.ratio(t.question, question), default=None)
    if best is not None and fuzz.ratio(best.question, question) >= REVIEWED_MATCH:
        return best
    return None


def ask(
    session: Session,
    consultant: Consultant,
    conversation: Conversation,
    question: str,
    *,
    on: date,
    now: datetime,
    principal: Principal | None,
) -> Answer:
    text = check_question(question).strip()[:MAX_QUESTION]
    ticket = reviewed_answer(session, text) if text else None
    if ticket is not None and ticket.answer:
        source = (
            f"세관 상담 답변 #{ticket.id} (검토됨)"
            if language_of(text) == "ko"
            else f"customs consultation answer #{ticket.id} (reviewed)"
        )
        answer = Answer(
            ticket.answer,
            (Cited(ticket.answer, source, 1.0),),
            False,
            "reviewed",
            language_of(text),
            confidence=1.0,
        )
    else:
        answer = consultant.ask(text, on=on, session=session, principal=principal)
    session.add(Message(conversation_id=conversation.id, role="user", text=text, answer=None, created_at=now))
    session.add(
        Message(
            conversation_id=conversation.id,
            role="assistant",
            text=answer.text,
            answer=answer.as_dict(),
            created_at=now,
        )
    )
    conversation.updated_at = now
    session.flush()
    return answer


def messages(session: Session, conversation: Conversation) -> list[Message]:
    return list(
        session.scalars(
            select(Message).where(Message.conversation_id == conversation.id).order_by(Message.id)
        )
    )


def hand_off(session: Session, conversation: Conversation, now: datetime) -> Ticket:
    """Hand the conversation's last question to an officer."""
    last = session.scalar(
        select(Message)
        .where(Message.conversation_id == conversation.id, Message.role == "user")
        .order_by(Message.id.desc())
        .limit(1)
    )
    if last is None:
        raise ValidationFailed(
            "ask a question first", errors=[FieldError("/", "no_question", "nothing to hand off")]
        )
    ticket = Ticket(
        conversation_id=conversation.id,
        question=last.text,
        status="open",
        answer=None,
        published=False,
        officer_user_id=None,
        created_at=now,
        answered_at=None,
    )
    session.add(ticket)
    session.flush()
    record(
        session,
        actor=Actor("assistant"),
        subject_type="assistant_ticket",
        subject_id=ticket.id,
        action="hand_off",
        at=now,
        data={"conversation": conversation.id},
    )
    return ticket


def tickets(session: Session, principal: Principal, status: str | None = None) -> list[Ticket]:
    principal.require_role(Role.OFFICER, Role.ADMIN)
    query = select(Ticket).order_by(Ticket.id)
    if status:
        query = query.where(Ticket.status == status)
    return list(session.scalars(query))


def answer_ticket(
    session: Session, principal: Principal, ticket_id: int, *, answer: str, publish: bool, now: datetime
) -> Ticket:
    """An officer's reviewed answer; published answers become knowledge the assistant cites."""
    principal.require_role(Role.OFFICER, Role.ADMIN)
    if not isinstance(answer, str) or not answer.strip():
        raise ValidationFailed(
            "the answer is empty", errors=[FieldError("/answer", "required", "write the answer")]
        )
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise NotFound(f"no consultation ticket {ticket_id}")
    ticket.answer = answer.strip()[:5000]
    ticket.status = "answered"
    ticket.published = publish
    ticket.officer_user_id = principal.user_id
    ticket.answered_at = now
    session.add(
        Message(
            conversation_id=ticket.conversation_id,
            role="officer",
            text=ticket.answer,
            answer=None,
            created_at=now,
        )
    )
    session.flush()
    record(
        session,
        actor=Actor(principal.username, principal.user_id),
        subject_type="assistant_ticket",
        subject_id=ticket.id,
        action="answer",
        at=now,
        data={"published": publish},
    )
    return ticket


def ticket_dict(ticket: Ticket) -> dict[str, Any]:
    return {
        "id": ticket.id,
        "conversation_id": ticket.conversation_id,
        "question": ticket.question,
        "status": ticket.status,
        "answer": ticket.answer,
        "published": ticket.published,
        "created_at": ticket.created_at.isoformat(),
        "answered_at": ticket.answered_at.isoformat() if ticket.answered_at else None,
    }
