"""``POST /api/v1/classifications``: a product description → ranked HS6/HSK10 codes with evidence, or a
decline; when the top candidates are close, a question whose answers separate them (guided classification).
``POST /api/v1/classifications/{id}/answers`` applies an answer. Scope ``classification:read``. A guided
classification is stored (its answers are evidence); a plain one is not."""

from __future__ import annotations

from fastapi import APIRouter

from clearway.classification import guided
from clearway.classification.registry import served_model
from clearway.classification.schemas import AnswerRequest, ClassificationRead, ClassificationRequest
from clearway.classification.service import classify_with_served_model
from clearway.web.deps import PrincipalDep, RuntimeDep, SessionDep, SettingsDep

router = APIRouter(tags=["classification"])


@router.post("/classifications", response_model=ClassificationRead)
def classify(
    body: ClassificationRequest,
    principal: PrincipalDep,
    settings: SettingsDep,
    session: SessionDep,
    runtime: RuntimeDep,
) -> ClassificationRead:
    """Classify a Korean or English description. A decline (too vague, empty, other language, brand only...)
    is a normal answer with ``declined: true`` and the reason; 503 when no model has been trained. With
    ``guided`` (the default) and close candidates, the answer carries ``id`` and ``question``."""
    if not body.guided:
        result = classify_with_served_model(settings.models_dir, body.text, lang=body.lang, top_k=body.top_k)
        return ClassificationRead.model_validate(result.as_dict())
    view = guided.open_session(
        session,
        served_model(settings.models_dir),
        body.text,
        lang=body.lang,
        top_k=body.top_k,
        user_id=principal.user_id,
        now=runtime.clock(),
    )
    return ClassificationRead.model_validate(view.body)


@router.get("/classifications/{classification_id}", response_model=ClassificationRead)
def show(classification_id: str, principal: PrincipalDep, session: SessionDep) -> ClassificationRead:
    """A guided classification as it stands: the candidates its answers kept, the open question if any."""
    view = guided.show_session(session, classification_id, user_id=principal.user_id)
    return ClassificationRead.model_validate(view.body)


@router.post("/classifications/{classification_id}/answers", response_model=ClassificationRead)
def answer(
    classification_id: str,
    body: AnswerRequest,
    principal: PrincipalDep,
    session: SessionDep,
    runtime: RuntimeDep,
) -> ClassificationRead:
    """Answer the open question: only the candidates the answer keeps remain (re-ranked); ``not_sure`` keeps
    them all and asks the next-best question. Each answer is listed in ``answered``."""
    view = guided.answer_session(
        session, classification_id, body.answer, user_id=principal.user_id, now=runtime.clock()
    )
    return ClassificationRead.model_validate(view.body)
