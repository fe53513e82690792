"""What filing hands back (:class:`Filing`) and the helpers the declaration service shares with its bulk path
(:mod:`.batch`), the officers' decisions (:mod:`.decisions`) and the filer's replies (:mod:`.documents`)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from clearway.audit.service import Actor
from clearway.declaration.content import DeclarationContent
from clearway.declaration.models import Declaration, DeclarationVersion
from clearway.errors import Conflict, FieldError
from clearway.identity.core import Principal


@dataclass(frozen=True, slots=True)
class Filing:
    declaration: Declaration
    version: DeclarationVersion
    created: bool


def actor_of(principal: Principal) -> Actor:
    return Actor(principal.username, principal.user_id)


def fingerprint(content: DeclarationContent) -> str:
    return hashlib.sha256(content.model_dump_json().encode("utf-8")).hexdigest()


def reference_conflict(existing: Declaration, reference: str) -> Conflict:
    return Conflict(
        f"the reference {reference} already identifies declaration {existing.id}; amend that declaration "
        "to change it",
        declaration_id=existing.id,
        errors=[FieldError("/declarant_reference", "reference_in_use", "already used by this company")],
    )
