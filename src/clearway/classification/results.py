"""What the classifier answers: ranked codes with confidence and evidence, or a decline with its reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from clearway.classification.decline import Decline
from clearway.classification.hierarchy import PathStep
from clearway.classification.notes import Firing


@dataclass(frozen=True, slots=True)
class RulingEvidence:
    """A past ruling (or tariff reference) similar to the description, with the code it was given."""

    reference: str
    source: str  # kcs, eu_bti, uk_extra, uk_search
    code: str
    title: str
    similarity: float
    decided_on: date | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "source": self.source,
            "code": self.code,
            "title": self.title,
            "similarity": round(self.similarity, 3),
            "decided_on": self.decided_on.isoformat() if self.decided_on else None,
        }


@dataclass(frozen=True, slots=True)
class NationalLine:
    code: str  # HSK 10 digits
    confidence: float
    description_ko: str
    description_en: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "confidence": round(self.confidence, 4),
            "description_ko": self.description_ko,
            "description_en": self.description_en,
        }


@dataclass(frozen=True, slots=True)
class Candidate:
    """One HS6 subheading the goods may fall in, its national lines, and why."""

    hs6: str
    confidence: float  # calibrated: the chance that this HS6 is right
    description: str  # HS 2022 English text of the subheading
    path: list[PathStep]  # section → chapter → heading → subheading → national line (of the best line)
    national_lines: list[NationalLine]
    rulings: list[RulingEvidence]
    notes: tuple[Firing, ...] = ()  # the legal notes that moved this candidate up or down

    @property
    def hs10(self) -> str | None:
        return self.national_lines[0].code if self.national_lines else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "hs6": self.hs6,
            "hs10": self.hs10,
            "confidence": round(self.confidence, 4),
            "description": self.description,
            "evidence": {
                "path": [step.as_dict() for step in self.path],
                "rulings": [r.as_dict() for r in self.rulings],
                "notes": [n.as_dict() for n in self.notes],
            },
            "national_lines": [n.as_dict() for n in self.national_lines],
        }


@dataclass(frozen=True, slots=True)
class Classification:
    text: str  # what the model read (normalised, cut)
    language: str  # ko, en, other, none
    candidates: list[Candidate] = field(default_factory=list)
    decline: Decline | None = None
    truncated: bool = False
    model_version: str = ""
    notes: list[Firing] = field(default_factory=list)  # every legal-note rule that fired (see .notes)

    @property
    def declined(self) -> bool:
        return self.decline is not None

    @property
    def hs6_ranking(self) -> list[str]:
        return [c.hs6 for c in self.candidates]

    @property
    def hs10_ranking(self) -> list[str]:
        return [line.code for c in self.candidates for line in c.national_lines]

    def as_dict(self) -> dict[str, Any]:
        return {
            "model_version": self.model_version,
            "language": self.language,
            "truncated": self.truncated,
            "declined": self.declined,
            "decline": self.decline.as_dict() if self.decline else None,
            "candidates": [c.as_dict() for c in self.candidates],
            "notes": [n.as_dict() for n in self.notes],
        }


@dataclass(frozen=True, slots=True)
class CodeCheck:
    """The cheap check of a declared code against its description."""

    code: str
    risk: float | None  # P(the code is wrong); None when it could not be checked
    unlikely: bool
    suggestions: list[str]  # HS6 codes that fit the description better (best first)
    reason: str = ""  # why it could not be checked (unknown_code, no_description)
