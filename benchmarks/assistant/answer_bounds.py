"""Bounds on answer F1 on the development split: what answering more, or choosing better, could reach.

    .venv/bin/python benchmarks/assistant/answer_bounds.py      # ~4 min: builds the development model

Every development question is asked once with the served decline threshold and once with none (every question
answered), with the development model of ``dev.py``. Per case it scores (char-bigram F1, the benchmark
contract's) the answer as served; the answer with the asked question put in front (do the reference answers
reward restating the question?); the answer when nothing is declined; and the best of the official answers of
the first cited passage (the training pairs' answers of that passage) as picked by an oracle that knows the
reference answer — an upper bound of choosing among them. Where the first cited passage is not the right one, it
also scores how alike the two passages are (char-bigram F1 of their texts: are the misses near-duplicate
passages, or questions more than one passage answers?). Writes benchmarks/results/assistant_answer_bounds.json.
"""

from __future__ import annotations

import dataclasses
import statistics
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from benchmarks.assistant.dev import development_model
from benchmarks.record import write
from clearway.assistant.answer import bigram_f1
from clearway.assistant.consult import Consultant
from clearway.assistant.knowledge import bundled_knowledge, squash
from clearway.config import Settings
from clearway.runtime import build_runtime


def mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 4) if values else 0.0


def main() -> None:
    knowledge = bundled_knowledge()
    model, _ = development_model(knowledge)
    runtime = build_runtime(Settings())
    today = runtime.today()
    served = Consultant(model, runtime)
    answer_all = Consultant(dataclasses.replace(model, threshold=float("-inf")), runtime)
    official: dict[str, list[str]] = defaultdict(list)
    for pair in knowledge.fitting_pairs():
        official[squash(knowledge.passages[pair.passage].text)].append(pair.answer)
    rows = []
    for pair in knowledge.development_pairs():
        reference = pair.answer
        asked = served.ask(pair.question, on=today)
        forced = answer_all.ask(pair.question, on=today)
        cited = [squash(c.passage) for c in forced.citations]
        first = cited[0] if cited else ""
        gold = squash(knowledge.passages[pair.passage].text)
        rows.append(
            {
                "first_right": first == gold,
                "wrong_if_answered": gold not in cited[:3],
                "declined": asked.declined,
                "served": 0.0 if asked.declined else bigram_f1(asked.text, reference),
                "question_in_front": 0.0
                if asked.declined
                else bigram_f1(f"{pair.question} {asked.text}", reference),
                "answer_all": 0.0 if forced.declined else bigram_f1(forced.text, reference),
                "oracle_official": max((bigram_f1(o, reference) for o in official[first]), default=0.0),
                "first_like_right": bigram_f1(first, gold),
            }
        )
    right = [r for r in rows if r["first_right"]]
    wrong = [r for r in rows if not r["first_right"]]
    figures = {
        "n": len(rows),
        "declined": sum(r["declined"] for r in rows),
        "first_passage_right": mean([float(r["first_right"]) for r in rows]),
        "answer_f1_served": mean([r["served"] for r in rows]),
        "answer_f1_question_in_front": mean([r["question_in_front"] for r in rows]),
        "answer_f1_answer_all": mean([r["answer_all"] for r in rows]),
        "answered_wrong_rate_answer_all": mean([float(r["wrong_if_answered"]) for r in rows]),
        "answer_f1_answer_all_oracle_official": mean(
            [max(r["answer_all"], r["oracle_official"]) for r in rows]
        ),
        "answer_all_when_first_right": mean([r["answer_all"] for r in right]),
        "answer_all_when_first_wrong": mean([r["answer_all"] for r in wrong]),
        "oracle_official_when_first_right": mean([r["oracle_official"] for r in right]),
        "oracle_official_when_first_wrong": mean([r["oracle_official"] for r in wrong]),
        "first_wrong_passage_likeness_median": round(
            float(statistics.median([r["first_like_right"] for r in wrong])) if wrong else 0.0, 4
        ),
        "first_wrong_passage_likeness_over_half": sum(r["first_like_right"] > 0.5 for r in wrong),
    }
    for name, value in figures.items():
        print(f"{name}: {value}")
    print(write("assistant_answer_bounds", {"development": figures}))


if __name__ == "__main__":
    main()
