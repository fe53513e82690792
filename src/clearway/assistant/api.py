"""The assistant over HTTP (mounted under /api/v1).

Anyone may open a conversation and ask (travellers do not sign in); the answer to ``POST /conversations``
carries a secret (``X-Conversation-Secret``) that reaches the conversation again. A signed-in caller is also
recognised by its token, so the declaration-status tool can answer for its own company's declarations. Officers
answer consultation tickets.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Header, Request
from pydantic import BaseModel, Field

from clearway.assistant import service
from clearway.assistant.consult import Consultant
from clearway.assistant.model_store import served
from clearway.clock import korea_date
from clearway.identity.core import Principal, Scope
from clearway.identity.service import principal_for_token
from clearway.web.deps import PrincipalDep, ResourceId, RuntimeDep, SessionDep, credential_of

router = APIRouter(prefix="/assistant", tags=["assistant"])


class QuestionIn(BaseModel):
    text: str = Field(max_length=service.MAX_BODY, description="The question, in Korean or English")


class TicketAnswerIn(BaseModel):
    answer: str = Field(min_length=1, max_length=5000)
    publish: bool = Field(True, description="Add the reviewed answer to what the assistant cites")


def optional_principal(request: Request, session: SessionDep, runtime: RuntimeDep) -> Principal | None:
    token = credential_of(request)
    return principal_for_token(session, token, now=runtime.clock()) if token else None


def _client(request: Request, principal: Principal | None) -> str:
    if principal is not None:
        return f"user:{principal.user_id}"
    return f"addr:{request.client.host if request.client else 'unknown'}"


@router.post("/conversations", status_code=201, summary="Open a conversation with the assistant")
def open_conversation(request: Request, session: SessionDep, runtime: RuntimeDep) -> dict[str, Any]:
    principal = optional_principal(request, session, runtime)
    conversation, secret = service.open_conversation(session, principal, runtime.clock())
    return {"id": conversation.id, "secret": secret}


@router.post(
    "/conversations/{conversation_id}/messages", summary="Ask a question; the answer cites its sources"
)
def ask(
    conversation_id: ResourceId,
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    question: Annotated[QuestionIn, Body()],
    secret: Annotated[str | None, Header(alias="X-Conversation-Secret", max_length=200)] = None,
) -> dict[str, Any]:
    principal = optional_principal(request, session, runtime)
    conversation = service.conversation_for(session, conversation_id, secret, principal)
    service.RATE.take(_client(request, principal))
    consultant = Consultant(served(runtime.settings.models_dir), runtime)
    now = runtime.clock()
    answer = service.ask(
        session,
        consultant,
        conversation,
        question.text,
        on=korea_date(now),
        now=now,
        principal=principal,
    )
    return answer.as_dict()


@router.get("/conversations/{conversation_id}", summary="The conversation so far")
def conversation(
    conversation_id: ResourceId,
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    secret: Annotated[str | None, Header(alias="X-Conversation-Secret", max_length=200)] = None,
) -> dict[str, Any]:
    principal = optional_principal(request, session, runtime)
    found = service.conversation_for(session, conversation_id, secret, principal)
    return {
        "id": found.id,
        "messages": [
            {"role": m.role, "text": m.text, "answer": m.answer, "at": m.created_at.isoformat()}
            for m in service.messages(session, found)
        ],
    }


@router.post(
    "/conversations/{conversation_id}/handoff",
    status_code=201,
    summary="Hand the last question to a customs officer (a consultation ticket)",
)
def hand_off(
    conversation_id: ResourceId,
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    secret: Annotated[str | None, Header(alias="X-Conversation-Secret", max_length=200)] = None,
) -> dict[str, Any]:
    principal = optional_principal(request, session, runtime)
    found = service.conversation_for(session, conversation_id, secret, principal)
    return service.ticket_dict(service.hand_off(session, found, runtime.clock()))


@router.get("/tickets", summary="Consultation tickets (officers)")
def list_tickets(
    session: SessionDep, principal: PrincipalDep, status: Literal["open", "answered"] | None = None
) -> list[dict[str, Any]]:
    principal.require_scope(Scope.DECLARATIONS_READ)
    return [service.ticket_dict(t) for t in service.tickets(session, principal, status)]


@router.post("/tickets/{ticket_id}/answer", summary="Answer a consultation ticket (officers)")
def answer_ticket(
    ticket_id: ResourceId,
    body: TicketAnswerIn,
    session: SessionDep,
    principal: PrincipalDep,
    runtime: RuntimeDep,
) -> dict[str, Any]:
    principal.require_scope(Scope.DECISIONS_WRITE)
    ticket = service.answer_ticket(
        session, principal, ticket_id, answer=body.answer, publish=body.publish, now=runtime.clock()
    )
    return service.ticket_dict(ticket)
