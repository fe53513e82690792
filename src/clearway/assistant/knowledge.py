"""The consultation knowledge: KCS personal-clearance guidance passages and the question–answer pairs grounded in
them (``data/consult/kcs_qa.jsonl``, see ``data/consult/SOURCES.md``).

A passage is cited by its document, section and page as the corpus gives them ("관세청 해외직구(전자상거래) Q&A,
수입제한_35, page: 12"). A random tenth of the pairs (:func:`is_held_out`, fixed by a hash of the pair's id) is
kept out of every model built from the corpus and used only to measure it. A further tenth of the remaining
pairs (:func:`is_development`, by a hash with another salt) is the development split: models built without it
are measured on it to choose the model's design and parameters (``benchmarks/assistant/dev.py``); the held-out
tenth is never used for such choices. The served model is built on all the training pairs, development included.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

HOLDOUT_SALT = "clearway-assistant-holdout"
DEVELOPMENT_SALT = "clearway-assistant-development"
ATTRIBUTION = "출처: 관세청 공개 안내자료; 편집: privateInt/RAG-chatbot"
_SPACE = re.compile(r"\s+")
_PAGE = re.compile(r"page:\s*(\d+)\s*$")


def squash(text: str) -> str:
    """The text with all whitespace removed (how the benchmark compares passages)."""
    return _SPACE.sub("", text)


@dataclass(frozen=True, slots=True)
class Citation:
    document: str
    section: str | None
    page: int | None

    @classmethod
    def parse(cls, source: str | None) -> Citation:
        if not source:
            return cls("관세청 개인통관 안내자료", None, None)
        page_match = _PAGE.search(source)
        page = int(page_match.group(1)) if page_match else None
        body = _PAGE.sub("", source).strip().rstrip(",").strip()
        parts = [p.strip() for p in body.split(",") if p.strip()]
        document = parts[0] if parts else body
        section = ", ".join(parts[1:]) or None
        return cls(document, section, page)

    def label(self) -> str:
        bits = [self.document]
        if self.section:
            bits.append(self.section)
        if self.page is not None:
            bits.append(f"p. {self.page}")
        return ", ".join(bits)


@dataclass(frozen=True, slots=True)
class Passage:
    index: int
    text: str
    citation: Citation


@dataclass(frozen=True, slots=True)
class QAPair:
    id: int
    question: str
    answer: str
    passage: int  # index into Knowledge.passages


@dataclass(frozen=True, slots=True)
class Knowledge:
    passages: tuple[Passage, ...]
    pairs: tuple[QAPair, ...]

    def training_pairs(self) -> tuple[QAPair, ...]:
        return tuple(p for p in self.pairs if not is_held_out(p.id))

    def held_out_pairs(self) -> tuple[QAPair, ...]:
        return tuple(p for p in self.pairs if is_held_out(p.id))

    def development_pairs(self, salt: str = DEVELOPMENT_SALT) -> tuple[QAPair, ...]:
        """The development split: a tenth of the training pairs, for choosing a design without the held-out
        (another ``salt`` draws another tenth, to see whether a choice holds beyond one split)."""
        return tuple(p for p in self.training_pairs() if is_development(p.id, salt))

    def fitting_pairs(self, salt: str = DEVELOPMENT_SALT) -> tuple[QAPair, ...]:
        """The training pairs less the development split (what a model measured on that split is built on)."""
        return tuple(p for p in self.training_pairs() if not is_development(p.id, salt))

    def as_cases(self, pairs: tuple[QAPair, ...]) -> str:
        """``pairs`` as benchmark cases, JSON Lines (id, question, reference answer, grounding passage)."""
        return "".join(
            json.dumps(
                {
                    "id": str(p.id),
                    "question": p.question,
                    "answer": p.answer,
                    "passage": self.passages[p.passage].text,
                },
                ensure_ascii=False,
            )
            + "\n"
            for p in pairs
        )


def is_held_out(pair_id: int) -> bool:
    """A fixed random tenth of the corpus, never used to build or tune a model."""
    digest = hashlib.sha256(f"{HOLDOUT_SALT}:{pair_id}".encode()).digest()
    return digest[0] % 10 == 0


def is_development(pair_id: int, salt: str = DEVELOPMENT_SALT) -> bool:
    """A fixed random tenth of the training pairs (held-out pairs are never development pairs)."""
    digest = hashlib.sha256(f"{salt}:{pair_id}".encode()).digest()
    return not is_held_out(pair_id) and digest[0] % 10 == 0


def parse_corpus(lines: list[str]) -> Knowledge:
    """Passages deduplicated by their text without whitespace; the first source seen names a passage."""
    passages: list[Passage] = []
    by_text: dict[str, int] = {}
    pairs: list[QAPair] = []
    for line in lines:
        if not line.strip():
            continue
        row = json.loads(line)
        key = squash(row["passage"])
        index = by_text.get(key)
        if index is None:
            index = by_text[key] = len(passages)
            passages.append(Passage(index, row["passage"].strip(), Citation.parse(row.get("source"))))
        pairs.append(QAPair(int(row["id"]), row["question"].strip(), row["answer"].strip(), index))
    return Knowledge(tuple(passages), tuple(pairs))


@cache
def bundled_knowledge() -> Knowledge:
    text = resources.files("clearway.data").joinpath("consult/kcs_qa.jsonl").read_text("utf-8")
    return parse_corpus(text.splitlines())
