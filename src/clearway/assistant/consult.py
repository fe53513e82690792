"""One question in, one checked answer out: read the question, call a tool or retrieve guidance, compose.

Used by the API, the web chat, ``clearway ask`` and the benchmark. Sessions may be ``None`` (the benchmark and a
CLI without a database): the tools that need the database then say so, and the facts come from the bundled
parameters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from clearway.assistant import answer as compose
from clearway.assistant import tools
from clearway.assistant.answer import Answer, Cited, ToolResult
from clearway.assistant.intent import MAX_QUESTION, Intent, Reading, language_of, read
from clearway.assistant.knowledge import Knowledge
from clearway.assistant.model_store import ServedModel
from clearway.identity.core import Principal
from clearway.runtime import Runtime

ANSWER_TEMPERATURE = 0.1  # scale of the predicted answer F1 in the answer weights, chosen on dev


@dataclass
class Consultant:
    model: ServedModel
    runtime: Runtime | None = None
    knowledge: Knowledge | None = None

    def __post_init__(self) -> None:
        self.knowledge = self.knowledge or self.model.knowledge

    def retrieve(
        self, question: str, k: int = 3
    ) -> tuple[list[Cited], float, float, list[tuple[str, float]]]:
        """The cited passages, the top score, its calibrated confidence and the official answers to the corpus
        questions on the top passage likeliest to be like the wanted answer, each weighted by that likelihood
        (the answer weigher's predicted F1, see :mod:`.retrieval`)."""
        assert self.knowledge is not None
        ranked = self.model.retriever.rank(question, k=k)
        cited = [compose.cite(self.knowledge.passages[r.passage], r.score) for r in ranked]
        top = ranked[0]
        pairs = self.model.retriever.pairs_
        best = max((s for _, s in top.neighbours), default=0.0)
        answers = [(pairs[i].answer, math.exp((s - best) / ANSWER_TEMPERATURE)) for i, s in top.neighbours]
        return cited, top.score, self.model.confidence(top.score), answers

    def ask(
        self, question: str, *, on: date, session: Session | None = None, principal: Principal | None = None
    ) -> Answer:
        text = (question or "").strip()
        language = language_of(text)
        if not text:
            return compose.refusal(language if language != "other" else "ko", "empty")
        text = text[:MAX_QUESTION]
        reading = read(text)
        if reading.injection:
            return compose.refusal(language, "refused")
        cited, score, confidence, answers = self.retrieve(text)
        tool = self._tool(reading, on, session, principal, language)
        if tool is not None:
            return compose.from_tool(language, reading.intent.value, tool, cited)
        if score < self.model.threshold or language == "other":
            return compose.declined(language, reading.intent.value, cited, confidence)
        return compose.from_guidance(text, language, reading.intent.value, answers, cited, confidence)

    def _tool(
        self, reading: Reading, on: date, session: Session | None, principal: Principal | None, language: str
    ) -> ToolResult | None:
        intent = reading.intent
        if intent is Intent.ALLOWANCE:
            return tools.allowance(session, on, language)
        if self.runtime is None:
            return None
        if intent is Intent.CLASSIFY:
            return tools.classify(self.runtime, reading.goods, language)
        if intent is Intent.DUTY_ESTIMATE and session is not None:
            return tools.estimate(self.runtime, session, reading, on, language)
        if intent is Intent.DECLARATION_STATUS and session is not None:
            return tools.declaration_status(self.runtime, session, principal, reading, language)
        return None
