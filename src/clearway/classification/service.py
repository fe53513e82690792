"""The classification service: validate a request, ask the served model, answer.

Shared by the API, the CLI and the consultation assistant. The model is loaded once per process by
:mod:`.registry`; nothing here touches the database.
"""

from __future__ import annotations

from pathlib import Path

from clearway.classification.model import HSClassifier
from clearway.classification.registry import served_model
from clearway.classification.results import Classification
from clearway.errors import FieldError, ValidationFailed

MAX_TOP_K = 20
MAX_TEXT_CHARS = 200_000  # longer requests are refused; anything up to this is accepted and cut
LANGUAGES = ("ko", "en")


def validate_request(text: object, lang: str | None, top_k: int) -> None:
    errors = []
    if not isinstance(text, str):
        errors.append(FieldError("/text", "not_text", "text must be a string"))
    elif len(text) > MAX_TEXT_CHARS:
        errors.append(FieldError("/text", "too_long", f"at most {MAX_TEXT_CHARS:,} characters"))
    if lang is not None and lang not in LANGUAGES:
        errors.append(FieldError("/lang", "unsupported_language", "lang is 'ko' or 'en' (or omitted)"))
    if not 1 <= top_k <= MAX_TOP_K:
        errors.append(FieldError("/top_k", "out_of_range", f"top_k is between 1 and {MAX_TOP_K}"))
    if errors:
        raise ValidationFailed("the classification request has invalid fields", errors=errors)


def classify_text(
    model: HSClassifier, text: str, *, lang: str | None = None, top_k: int = 5, evidence: int = 3
) -> Classification:
    """Ranked candidates with evidence, or a decline. ``lang`` is a hint; the text's own language decides."""
    validate_request(text, lang, top_k)
    return model.classify([text], top_k=top_k, evidence=evidence)[0]


def classify_with_served_model(
    models_dir: Path, text: str, *, lang: str | None = None, top_k: int = 5
) -> Classification:
    validate_request(text, lang, top_k)
    return classify_text(served_model(models_dir), text, lang=lang, top_k=top_k)
