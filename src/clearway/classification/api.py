"""``POST /api/v1/classifications``: a product description → ranked HS6/HSK10 codes with evidence, or a
decline. Any signed-in user with ``tariff:read`` may ask (every role has it). Nothing is stored."""

from __future__ import annotations

from fastapi import APIRouter

from clearway.classification.schemas import ClassificationRead, ClassificationRequest
from clearway.classification.service import classify_with_served_model
from clearway.identity.core import Scope
from clearway.web.deps import PrincipalDep, SettingsDep

router = APIRouter(tags=["classification"])


@router.post("/classifications", response_model=ClassificationRead)
def classify(
    body: ClassificationRequest, principal: PrincipalDep, settings: SettingsDep
) -> ClassificationRead:
    """Classify a Korean or English description. A decline (too vague, empty, other language, brand only...)
    is a normal answer with ``declined: true`` and the reason; 503 when no model has been trained."""
    principal.require_scope(Scope.TARIFF_READ)
    result = classify_with_served_model(settings.models_dir, body.text, lang=body.lang, top_k=body.top_k)
    return ClassificationRead.model_validate(result.as_dict())
