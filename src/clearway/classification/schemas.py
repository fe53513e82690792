"""API shapes of ``POST /api/v1/classifications``."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from clearway.classification.service import MAX_TEXT_CHARS, MAX_TOP_K


class ClassificationRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "text": "Red ginseng extract\n홍삼을 용제(물과 부틸렌글리콜)로 추출한 미황색계 투명 액상 - 용도: 화장품 제조용",
                    "lang": "ko",
                    "top_k": 3,
                }
            ]
        },
    )

    text: str = Field(
        max_length=MAX_TEXT_CHARS,
        description="Product name, description, material, use; "
        "several lines allowed. Long texts are read up to their first ~1,500 characters.",
    )
    lang: Literal["ko", "en"] | None = Field(None, description="A hint; the text's own language decides")
    top_k: int = Field(5, ge=1, le=MAX_TOP_K, description="How many HS6 candidates")
    guided: bool = Field(
        True,
        description="When the top candidates are close, ask the question that separates them "
        "(answer it with POST /classifications/{id}/answers)",
    )


class AnswerRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"answer": "a1"}]})

    answer: str = Field(max_length=20, description="The id of one of the question's answers, or 'not_sure'")


class PathStepRead(BaseModel):
    level: Literal["section", "chapter", "heading", "subheading", "national"]
    code: str
    description: str
    description_ko: str | None = None


class RulingRead(BaseModel):
    reference: str = Field(description="The ruling's reference number (KCS, EU BTI) or the UK reference")
    source: str
    code: str
    title: str
    similarity: float
    decided_on: date | None


class NoteRead(BaseModel):
    rule: str = Field(description="The rule's id in data/classification/legal_notes.json")
    kind: Literal["exclusion", "parts", "set", "knitted"]
    note: str = Field(description="The legal provision: section or chapter note, heading, or GIR")
    note_ko: str
    says: str = Field(description="What the note decides (paraphrase)")
    says_ko: str
    effect: Literal["veto", "prefer"] = Field(
        description="veto: the candidates were moved below all others; prefer: they were moved up"
    )
    codes: list[str] = Field(description="The HS6 candidates the rule moved")
    matched: str = Field(description="The phrase of the description that fired the rule")


class EvidenceRead(BaseModel):
    path: list[PathStepRead] = Field(description="Section → chapter → heading → subheading → national line")
    rulings: list[RulingRead] = Field(
        description="The most similar past rulings with this HS6 (or, when it has too few, of its heading)"
    )
    notes: list[NoteRead] = Field(
        default_factory=list, description="The legal notes (section/chapter notes, GIR) that moved this code"
    )


class NationalLineRead(BaseModel):
    code: str
    confidence: float
    description_ko: str
    description_en: str


class CandidateRead(BaseModel):
    hs6: str
    hs10: str | None
    confidence: float = Field(description="Calibrated chance that this HS6 is right")
    description: str
    evidence: EvidenceRead
    national_lines: list[NationalLineRead]


class DeclineRead(BaseModel):
    code: Literal[
        "empty", "no_words", "too_short", "unsupported_language", "too_vague", "brand_only", "low_confidence"
    ]
    message: str


class BilingualText(BaseModel):
    en: str
    ko: str


class AnswerRead(BaseModel):
    id: str = Field(description="a1…a4, 'none' (none of the above) or 'not_sure' (keeps every candidate)")
    label: BilingualText = Field(description="A short attribute phrase from the nomenclature")
    codes: list[str] = Field(description="The HS6 candidates this answer keeps")
    kept: int


class QuestionRead(BaseModel):
    level: str = Field(description="The nomenclature level the answers come from: chapter, heading, dash1…")
    text: BilingualText
    gain_bits: float = Field(description="Expected information gain of the question (bits)")
    answers: list[AnswerRead]


class AnsweredRead(BaseModel):
    level: str
    question: BilingualText
    answer_id: str
    answer: BilingualText
    kept: list[str]


class ClassificationRead(BaseModel):
    id: str | None = Field(
        None, description="The guided classification's id, when a question was asked (continue with it)"
    )
    question: QuestionRead | None = Field(
        None, description="The open question, when the candidates are close"
    )
    answered: list[AnsweredRead] = Field(
        default_factory=list, description="The questions answered so far and the answers chosen (evidence)"
    )
    model_version: str
    language: str
    truncated: bool
    declined: bool
    decline: DeclineRead | None
    candidates: list[CandidateRead]
    notes: list[NoteRead] = Field(
        default_factory=list, description="Every legal-note rule that fired for this description"
    )
