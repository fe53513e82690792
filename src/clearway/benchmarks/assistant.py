"""``clearway assist benchmark``: the contract of shared/design/benchmarks.md. Pure over the consultant.

Each case's question is asked with no conversation before it and no signed-in user. Passage hit@k compares the
gold passage with the first k distinct cited passages, all whitespace removed; answer F1 is the character-bigram
(multiset) F1 between the answer text and the reference answer, whitespace removed, 0 for a declined case;
answered-wrong counts answered cases whose gold passage is not among the first three cited.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from clearway.assistant.answer import Answer, bigram_f1
from clearway.assistant.knowledge import squash


def read_cases(path: Path) -> list[dict[str, Any]]:
    cases = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        case = json.loads(line)
        missing = [k for k in ("question", "answer", "passage") if not isinstance(case.get(k), str)]
        if missing:
            raise ValueError(f"{path}:{number}: missing {', '.join(missing)}")
        cases.append(case)
    return cases


def _figures(rows: list[tuple[dict[str, Any], Answer, float]]) -> dict[str, Any]:
    n = len(rows)
    if n == 0:
        return {"n": 0}
    hit1 = hit3 = wrong = declined = 0
    f1 = 0.0
    for case, answer, _ in rows:
        gold = squash(case["passage"])
        cited = list(dict.fromkeys(squash(c.passage) for c in answer.citations))
        hit1 += bool(cited) and cited[0] == gold
        hit3 += gold in cited[:3]
        if answer.declined:
            declined += 1
        else:
            f1 += bigram_f1(answer.text, case["answer"])
            wrong += gold not in cited[:3]
    latencies = [ms for _, _, ms in rows]
    return {
        "n": n,
        "declined": declined,
        "passage_hit@1": hit1 / n,
        "passage_hit@3": hit3 / n,
        "answer_f1": f1 / n,
        "answered_wrong_rate": wrong / n,
        "latency_ms_p50": float(np.percentile(latencies, 50)),
        "latency_ms_p95": float(np.percentile(latencies, 95)),
    }


def run(files: list[Path], ask: Callable[[str], Answer]) -> dict[str, Any]:
    rows_by_file: dict[str, list[tuple[dict[str, Any], Answer, float]]] = {}
    for path in files:
        rows = rows_by_file.setdefault(str(path), [])
        for case in read_cases(path):
            started = time.perf_counter()
            answer = ask(case["question"])
            rows.append((case, answer, (time.perf_counter() - started) * 1000))
    everything = [row for rows in rows_by_file.values() for row in rows]
    return {**_figures(everything), "by_file": {name: _figures(rows) for name, rows in rows_by_file.items()}}
