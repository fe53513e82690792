"""Guided classification, the service: classify, ask the question that separates close candidates, narrow.

Shared by the API (``POST /api/v1/classifications`` and ``…/{id}/answers``), the CLI (``--interactive``), the
web page and the benchmark (``--guided N``); other domains (the SME assistant) call :func:`open_session` and
:func:`answer_session`, or the stateless :func:`start` / :func:`replay` / :func:`narrowed_result`.

The classifier is asked for up to :data:`GUIDED_TOP_K` candidates (a question is asked over all of them), the
user is shown ``top_k``. A stored session keeps the classifier's answer as given and the answer ids chosen; the
questions are replayed from them (the nomenclature is fixed), so the evidence is exactly what the user saw.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from clearway.classification import questions as q
from clearway.classification.model import HSClassifier
from clearway.classification.models import GuidedClassification
from clearway.classification.results import Candidate, Classification
from clearway.classification.service import validate_request
from clearway.errors import Conflict, FieldError, NotFound, ValidationFailed

# Chosen on the development split (benchmarks/classification/RESULTS.md, "Guided questions"): with 20 candidates,
# questions only below 60% top-1 and candidates from 0.5% shaping them, two oracle answers left the right HS6
# first for 57.2% of the cases; with 30 candidates, questions below 90% and candidates from 0.2%, 62.8% (50
# candidates: 63.1%, for a stored session about 1.7 times as large).
GUIDED_TOP_K = 30


def start(model: HSClassifier, text: str, *, lang: str | None = None) -> tuple[Classification, q.Guided]:
    """Classify and, when the candidates are close, the first question (stateless)."""
    validate_request(text, lang, 5)
    result = model.classify([text], top_k=GUIDED_TOP_K)[0]
    return result, state_for(result)


def state_for(result: Classification) -> q.Guided:
    if result.declined:
        return q.Guided(())
    return q.start([(c.hs6, c.confidence) for c in result.candidates], q.bundled_texts())


def replay(candidates: list[tuple[str, float]], answers: list[str]) -> q.Guided:
    """The session's state after ``answers`` (answer ids, in order), from the candidates as first given."""
    texts = q.bundled_texts()
    state = q.start(candidates, texts)
    for answer_id in answers:
        state = q.answer(state, answer_id, texts)
    return state


def narrowed_result(result: Classification, state: q.Guided, top_k: int) -> Classification:
    """The classifier's answer with only the candidates the answers kept, their confidence given the answers."""
    by_code = {c.hs6: c for c in result.candidates}
    kept: list[Candidate] = []
    for hs6, p in state.candidates[:top_k]:
        c = by_code[hs6]
        scale = p / c.confidence if c.confidence > 0 else 1.0
        lines = [replace(n, confidence=n.confidence * scale) for n in c.national_lines]
        kept.append(replace(c, confidence=p, national_lines=lines))
    return replace(result, candidates=kept)


def language_of(result: Classification, lang: str | None) -> str:
    return lang if lang in ("ko", "en") else ("ko" if result.language == "ko" else "en")


def guided_dict(result_dict: dict[str, Any], state: q.Guided, top_k: int) -> dict[str, Any]:
    """The API's answer: the stored classification narrowed by the answers, the next question, the evidence."""
    by_code = {c["hs6"]: c for c in result_dict.get("candidates", [])}
    candidates = []
    for hs6, p in state.candidates[:top_k]:
        c = dict(by_code[hs6])
        scale = p / c["confidence"] if c["confidence"] > 0 else 1.0
        c["national_lines"] = [
            {**n, "confidence": round(n["confidence"] * scale, 4)} for n in c.get("national_lines", [])
        ]
        c["confidence"] = round(p, 4)
        candidates.append(c)
    return {
        **result_dict,
        "candidates": candidates,
        "question": _question_dict(state.question) if state.question else None,
        "answered": [a.as_dict() for a in state.answered],
    }


def _question_dict(question: q.Question) -> dict[str, Any]:
    return question.as_dict()


@dataclass(frozen=True, slots=True)
class SessionView:
    id: str | None
    body: dict[str, Any]  # the API shape (ClassificationRead with id, question, answered)


def open_session(
    session: Session,
    model: HSClassifier,
    text: str,
    *,
    lang: str | None,
    top_k: int,
    user_id: int | None,
    now: datetime,
) -> SessionView:
    """Classify; when a question is asked, store the session (its id continues it) and return the question."""
    validate_request(text, lang, top_k)
    result = model.classify([text], top_k=GUIDED_TOP_K)[0]
    state = state_for(result)
    stored = result.as_dict()
    if state.question is None:
        body = guided_dict(stored, state, top_k)
        return SessionView(None, {**body, "id": None})
    row = GuidedClassification(
        id=secrets.token_hex(16),
        user_id=user_id,
        text=text,
        language=language_of(result, lang),
        model_version=result.model_version,
        top_k=top_k,
        result=stored,
        answers=[],
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    return SessionView(row.id, {**guided_dict(stored, state, top_k), "id": row.id})


def _row(session: Session, session_id: str, user_id: int | None) -> GuidedClassification:
    row = session.get(GuidedClassification, session_id)
    if row is None or row.user_id != user_id:  # another user's session is as good as absent
        raise NotFound(f"no classification {session_id}")
    return row


def _candidates(row: GuidedClassification) -> list[tuple[str, float]]:
    return [(c["hs6"], float(c["confidence"])) for c in row.result.get("candidates", [])]


def show_session(session: Session, session_id: str, *, user_id: int | None) -> SessionView:
    row = _row(session, session_id, user_id)
    state = replay(_candidates(row), list(row.answers))
    return SessionView(row.id, {**guided_dict(row.result, state, row.top_k), "id": row.id})


def answer_session(
    session: Session, session_id: str, answer_id: str, *, user_id: int | None, now: datetime
) -> SessionView:
    """Apply the chosen answer: the candidates it keeps, re-ranked, and the next question if still close."""
    row = _row(session, session_id, user_id)
    state = replay(_candidates(row), list(row.answers))
    if state.question is None:
        raise Conflict("this classification has no open question", reason="no_open_question")
    if state.question.answer(answer_id) is None:
        raise ValidationFailed(
            "not an answer of the open question",
            errors=[
                FieldError(
                    "/answer", "unknown_answer", "one of " + ", ".join(a.id for a in state.question.answers)
                )
            ],
        )
    state = q.answer(state, answer_id, q.bundled_texts())
    row.answers = [*row.answers, answer_id]
    row.updated_at = now
    session.flush()
    return SessionView(row.id, {**guided_dict(row.result, state, row.top_k), "id": row.id})


def session_text(session: Session, session_id: str, *, user_id: int | None) -> str:
    """The description a guided classification was asked about."""
    return _row(session, session_id, user_id).text
