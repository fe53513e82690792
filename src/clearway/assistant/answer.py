"""How an answer is composed from what retrieval found and what a tool computed. Pure.

Rules an officer can check:
- every answer cites the passages it rests on (document, section, page as the corpus gives them);
- no figure appears in an answer unless it comes from a cited passage or a tool result: the answer is made of
  sentences of the top cited passage and of official answers grounded in it, and a sentence carrying a figure
  that passage does not carry is left out;
- when retrieval is not confident, the assistant says it does not know, names the closest topics and offers a
  hand-off to an officer;
- an English question answered from Korean guidance says so.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from clearway.assistant.knowledge import Passage

_FIGURE = re.compile(r"\d[\d,.]*")
# a sentence ends at . ! ? or a final 다/요, not at a list number ("1. ...")
_SENTENCE = re.compile(r"(?<=[.!?다요])(?<!\d\.)\s+|\n+")


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


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


def _counts(text: str) -> Counter[str]:
    squashed = re.sub(r"\s+", "", text)
    return Counter(squashed[i : i + 2] for i in range(len(squashed) - 1))


def bigram_f1(answer: str, reference: str) -> float:
    """F1 of the character bigrams (multiset) of two texts, all whitespace removed (the benchmark's answer F1,
    and what the answer weigher learns to predict between official answers)."""
    ca, cr = _counts(answer), _counts(reference)
    overlap = sum((ca & cr).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(ca.values()), overlap / sum(cr.values())
    return 2 * precision * recall / (precision + recall)


def extract(
    pool: Sequence[str], references: Sequence[str], weights: Sequence[float], max_sentences: int = 8
) -> list[int]:
    """Sentences of ``pool`` (indices, in the order chosen) whose concatenation has the highest expected
    character-bigram F1 against ``references`` weighted by ``weights``: the official answers to the corpus
    questions most like the asked one stand for the answer the asker wants. Greedy; stops when no sentence
    raises the expectation."""
    if not pool or not references:
        return []
    vocabulary: dict[str, int] = {}
    ref_counts = [_counts(r) for r in references]
    for counts in ref_counts:
        for gram in counts:
            vocabulary.setdefault(gram, len(vocabulary))
    refs = np.zeros((len(references), max(1, len(vocabulary))), np.float32)
    for j, counts in enumerate(ref_counts):
        for gram, n in counts.items():
            refs[j, vocabulary[gram]] = n
    ref_len = refs.sum(axis=1)
    units = np.zeros((len(pool), refs.shape[1]), np.float32)
    unit_len = np.zeros(len(pool), np.float32)
    for i, text in enumerate(pool):
        counts = _counts(text)
        unit_len[i] = sum(counts.values())
        for gram, n in counts.items():
            if gram in vocabulary:
                units[i, vocabulary[gram]] = n
    w = np.asarray(weights, np.float32)
    w = w / max(float(w.sum()), 1e-9)
    current = np.zeros(refs.shape[1], np.float32)
    current_len = 0.0
    chosen: list[int] = []
    best = 0.0
    for _ in range(min(max_sentences, len(pool))):
        overlap = np.minimum((current + units)[:, None, :], refs[None, :, :]).sum(axis=2)
        f1 = 2 * overlap / ((current_len + unit_len)[:, None] + ref_len[None, :] + 1e-9)
        expected = f1 @ w
        expected[chosen] = -1.0
        i = int(np.argmax(expected))
        if expected[i] <= best + 1e-6:
            break
        best = float(expected[i])
        chosen.append(i)
        current += units[i]
        current_len += float(unit_len[i])
    return chosen


def cite(passage: Passage, score: float) -> Cited:
    return Cited(passage.text, passage.citation.label(), score)


ENGLISH_NOTE = "The guidance I found is Korea Customs Service's, in Korean; it says:"


def from_guidance(
    question: str,
    language: str,
    intent: str,
    official_answers: Sequence[tuple[str, float]],
    cited: list[Cited],
    confidence: float,
) -> Answer:
    """An answer in the words of KCS guidance: sentences of the cited passage and of the official answers to
    the corpus questions most like the asked one (with their weights), chosen by :func:`extract`; a sentence
    carrying a figure that the cited passage does not carry is never used. With nothing to choose from, the
    passage's sentences most like the question."""
    source = cited[0].passage
    pool = sentences(source)
    for text, _ in official_answers:
        pool += sentences(text)
    pool = [s for s in dict.fromkeys(pool) if grounded(s, [source])]
    chosen = extract(pool, [a for a, _ in official_answers], [w for _, w in official_answers])
    body = " ".join(pool[i] for i in chosen) if chosen else best_sentences(source, question)
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
