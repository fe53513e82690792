"""How an answer is composed from what retrieval found and what a tool computed. Pure.

Rules an officer can check:
- every answer cites the passages it rests on (document, section, page as the corpus gives them);
- no figure appears in an answer unless it comes from a cited passage or a tool result: an official answer
  whose figures its passage does not carry is replaced by the passage's own sentences;
- when retrieval is not confident, the assistant says it does not know, names the closest topics and offers a
  hand-off to an officer;
- an English question answered from Korean guidance says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from clearway.assistant.knowledge import Passage

_FIGURE = re.compile(r"\d[\d,.]*")
_SENTENCE = re.compile(r"(?<=[.!?다요])\s+|\n+")


@dataclass(frozen=True, slots=True)
class Cited:
    passage: str
    source: str
    score: float

    def as_dict(self) -> dict[str, Any]:
        return {"passage": self.passage, "source": self.source, "score": round(self.score, 4)}


@dataclass(frozen=True, slots=True)
class ToolResult:
    tool: str
    summary: str  # the text shown, every figure in it computed by the tool
    assumed: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    data: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "tool": self.tool,
            "summary": self.summary,
            "assumed": list(self.assumed),
            "missing": list(self.missing),
            "data": self.data,
        }


@dataclass(frozen=True, slots=True)
class Answer:
    text: str
    citations: tuple[Cited, ...]
    declined: bool
    intent: str
    language: str
    tool: ToolResult | None = None
    handoff_offered: bool = False
    confidence: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "declined": self.declined,
            "intent": self.intent,
            "language": self.language,
            "confidence": round(self.confidence, 4),
            "handoff_offered": self.handoff_offered,
            "citations": [c.as_dict() for c in self.citations],
            "tool": self.tool.as_dict() if self.tool else None,
        }


def figures(text: str) -> set[str]:
    return {f.rstrip(".,").replace(",", "") for f in _FIGURE.findall(text) if f.rstrip(".,")}


def grounded(answer: str, sources: list[str]) -> bool:
    """Every figure of ``answer`` appears in one of ``sources`` (thousands separators ignored)."""
    available = set().union(*(figures(s) for s in sources)) if sources else set()
    return figures(answer) <= available


def _bigrams(text: str) -> set[str]:
    squashed = re.sub(r"\s+", "", text)
    return {squashed[i : i + 2] for i in range(len(squashed) - 1)}


def best_sentences(passage: str, question: str, limit: int = 2) -> str:
    """The passage's sentences that share most character pairs with the question, in passage order."""
    sentences = [s.strip() for s in _SENTENCE.split(passage) if s.strip()]
    if len(sentences) <= limit:
        return passage.strip()
    wanted = _bigrams(question)
    scored = sorted(range(len(sentences)), key=lambda i: -len(_bigrams(sentences[i]) & wanted))[:limit]
    return " ".join(sentences[i] for i in sorted(scored))


def cite(passage: Passage, score: float) -> Cited:
    return Cited(passage.text, passage.citation.label(), score)


ENGLISH_NOTE = "The guidance I found is Korea Customs Service's, in Korean; it says:"


def from_guidance(
    question: str, language: str, intent: str, official_answer: str, cited: list[Cited], confidence: float
) -> Answer:
    """An answer in the words of KCS guidance: the official answer to the most similar question when its
    figures are those of the cited passage, else the passage's most relevant sentences."""
    body = official_answer
    if not grounded(body, [c.passage for c in cited[:1]]):
        body = best_sentences(cited[0].passage, question)
    if language != "ko":
        body = f"{ENGLISH_NOTE}\n{body}"
    return Answer(body, tuple(cited), False, intent, language, confidence=confidence)


def declined(
    language: str, intent: str, closest: list[Cited], confidence: float, tool: ToolResult | None = None
) -> Answer:
    topics = "; ".join(c.source for c in closest[:3])
    if language == "ko":
        text = (
            "확실한 답을 찾지 못했습니다. 가까운 안내 자료: "
            + topics
            + ". 세관 상담 담당자에게 질문을 넘길 수 있습니다(상담 요청)."
        )
    else:
        text = (
            "I am not sure I have the answer. The closest guidance: "
            + topics
            + ". I can hand your question to a customs officer (consultation request)."
        )
    return Answer(
        text, tuple(closest), True, intent, language, tool=tool, handoff_offered=True, confidence=confidence
    )


def from_tool(language: str, intent: str, tool: ToolResult, background: list[Cited]) -> Answer:
    """A tool's result first (its figures are computed now, as of the question's date); guidance passages as
    background only."""
    return Answer(tool.summary, tuple(background), False, intent, language, tool=tool)


def refusal(language: str, reason: str) -> Answer:
    """A polite, safe answer to what the assistant will not do."""
    text = {
        "ko": "그 요청은 도와드릴 수 없습니다. 통관 절차, 세금 계산, 품목분류, 본인 회사의 신고 상태를 물어보세요.",
    }.get(
        language,
        "I can't help with that. Ask me about customs procedures, duty estimates, "
        "HS classification, or the status of your own company's declarations.",
    )
    return Answer(text, (), True, reason, language)
