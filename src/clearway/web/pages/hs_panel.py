"""The HS suggestion panel shared by the filing form and the pre-filing simulator: the classifier's likely
codes for a description and, when they are close, the guided question (:mod:`clearway.classification.guided`,
stored per user like the ``/classify`` page's) whose answer re-ranks them; answers stay shown as evidence."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from clearway.classification import guided
from clearway.classification.registry import served_model
from clearway.errors import ClearwayError
from clearway.identity.core import Principal
from clearway.runtime import Runtime
from clearway.web.pages.guard import problem_context

SUGGESTIONS = 5
MAX_TEXT = 2000


def opened(session: Session, runtime: Runtime, principal: Principal, text: str, lang: str) -> dict[str, Any]:
    """The panel for a new description (a guided session is stored when a question is asked)."""
    context = empty(text)
    if len(text) < 2:
        return context
    try:
        view = guided.open_session(
            session,
            served_model(runtime.settings.models_dir),
            text[:MAX_TEXT],
            lang=lang,
            top_k=SUGGESTIONS,
            user_id=principal.user_id,
            now=runtime.clock(),
        )
    except ClearwayError as error:
        context["unavailable"] = problem_context(error, lang)["problem"]["title"]
        return context
    return {**context, **shown(view.body, lang)}


def answered(
    session: Session, runtime: Runtime, principal: Principal, classification_id: str, answer: str, lang: str
) -> dict[str, Any]:
    """The panel after an answer (another user's session is not found)."""
    view = guided.answer_session(
        session, classification_id[:40], answer[:20], user_id=principal.user_id, now=runtime.clock()
    )
    text = guided.session_text(session, classification_id[:40], user_id=principal.user_id)
    return {**empty(text), **shown(view.body, lang), "focus_panel": True}


def empty(text: str) -> dict[str, Any]:
    return {
        "text": text,
        "candidates": [],
        "declined": None,
        "unavailable": None,
        "guided": None,
        "focus_panel": False,
    }


def shown(body: dict[str, Any], lang: str) -> dict[str, Any]:
    """The candidates as national lines to pick, and the guided state (id, question, answers given)."""
    candidates = []
    for c in body.get("candidates", []):
        lines = c.get("national_lines") or []
        if not lines:
            continue
        line = lines[0]
        code = line["code"]
        candidates.append(
            {
                "code": code,
                "printed": f"{code[:4]}.{code[4:6]}-{code[6:]}",
                "description": (line["description_ko"] if lang == "ko" else line["description_en"])
                or c["description"],
                "hs6": c["hs6"],
                "confidence": round(c["confidence"] * 100),
            }
        )
    return {
        "candidates": candidates,
        "declined": body.get("decline") if body.get("declined") else None,
        "guided": {
            "id": body.get("id"),
            "question": body.get("question"),
            "answered": body.get("answered", []),
        },
    }
