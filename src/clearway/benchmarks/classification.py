"""``clearway classify benchmark``: score a model on JSON Lines case files (shared/design/benchmarks.md).

The classifier sees each case's ``text`` (and ``lang``) only; the code is read after it answered. Cases are
classified one at a time, as a user would, so the latency figures are per description.

``--guided N``: the classifier's questions are answered by the contract's oracle (the answer whose codes keep
the truth's HS6, else "not sure"), up to N per case; ``hs6_top1_after_questions`` is scored on what is left.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from clearway.classification import guided
from clearway.classification.metrics import CaseOutcome, summarise
from clearway.classification.model import HSClassifier
from clearway.classification.questions import NOT_SURE, Question, bundled_texts
from clearway.classification.questions import answer as apply_answer
from clearway.errors import FieldError, ValidationFailed

NATIONALS = ("KR", "UK", "US", "EU")


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    text: str
    hs: str
    lang: str
    national: str


def parse_case(line: str, where: str) -> Case:
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValidationFailed(f"{where} is not valid JSON ({exc.msg})") from None
    if not isinstance(raw, dict):
        raise ValidationFailed(f"{where} is not a JSON object")
    problems = []
    for name in ("id", "text", "hs", "lang", "national"):
        if not isinstance(raw.get(name), str):
            problems.append(FieldError(f"/{name}", "missing", f"{name} must be a string"))
    if problems:
        raise ValidationFailed(f"{where} is not a benchmark case", errors=problems)
    hs = raw["hs"].strip()
    if not hs.isdigit() or len(hs) not in (6, 8, 10):
        raise ValidationFailed(
            f"{where} is not a benchmark case",
            errors=[FieldError("/hs", "malformed_code", "hs has 6, 8 or 10 digits only")],
        )
    return Case(raw["id"], raw["text"], hs, raw["lang"], raw["national"].strip().upper())


def read_cases(path: Path) -> list[Case]:
    cases = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                cases.append(parse_case(line, f"{path.name} line {number}"))
    return cases


def outcome(model: HSClassifier, case: Case, clock: Callable[[], float] = time.perf_counter) -> CaseOutcome:
    started = clock()
    result = model.classify([case.text], top_k=5)[0]
    elapsed = (clock() - started) * 1000.0
    ranking = tuple(result.hs10_ranking or result.hs6_ranking) if not result.declined else ()
    return CaseOutcome(
        truth=case.hs, national=case.national, ranking=ranking, declined=result.declined, latency_ms=elapsed
    )


def oracle(question: Question, truth: str) -> str:
    """The contract's oracle: the answer whose kept codes contain the truth's HS6, else "not sure"."""
    for answer in question.answers:
        if answer.id != NOT_SURE and truth[:6] in answer.codes:
            return answer.id
    return NOT_SURE


def guided_outcome(
    model: HSClassifier, case: Case, questions: int, clock: Callable[[], float] = time.perf_counter
) -> CaseOutcome:
    """Classify (with the candidates a question is asked over), then let the oracle answer up to
    ``questions`` questions. The figures before questions come from the same answer, cut to 5 candidates."""
    started = clock()
    result, state = guided.start(model, case.text, lang=case.lang if case.lang in ("ko", "en") else None)
    elapsed = (clock() - started) * 1000.0
    if result.declined:
        return CaseOutcome(case.hs, case.national, (), True, elapsed, after=(), questions=0)
    first = replace(result, candidates=result.candidates[:5])
    ranking = tuple(first.hs10_ranking or first.hs6_ranking)
    texts = bundled_texts()
    asked = 0
    while state.question is not None and asked < questions:
        state = apply_answer(state, oracle(state.question, case.hs), texts)
        asked += 1
    after = tuple(hs6 for hs6, _ in state.candidates)
    return CaseOutcome(case.hs, case.national, ranking, False, elapsed, after=after, questions=asked)


def run(
    model: HSClassifier,
    files: Sequence[Path],
    *,
    guided_questions: int = 0,
    warm_up: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """The contract's figures over all files, and ``by_file``."""
    loaded = [(path, read_cases(path)) for path in files]
    if warm_up:  # first-call costs (analyser and encoder start-up) are not a description's latency
        model.classify(["warm-up: stainless steel kitchen knife", "스테인리스강 주방용 칼"])
    total = sum(len(cases) for _, cases in loaded)
    done = 0
    per_file: dict[str, list[CaseOutcome]] = {}
    for path, cases in loaded:
        outcomes = []
        for case in cases:
            outcomes.append(
                guided_outcome(model, case, guided_questions) if guided_questions else outcome(model, case)
            )
            done += 1
            if progress:
                progress(done, total)
        per_file[path.name if path.name not in per_file else str(path)] = outcomes
    everything = [o for outcomes in per_file.values() for o in outcomes]
    return {**summarise(everything), "by_file": {name: summarise(o) for name, o in per_file.items()}}


def trained_on(model: HSClassifier, files: Sequence[Path]) -> int:
    """How many cases of ``files`` have ids the model was trained on (a contaminated measurement)."""
    ids: frozenset[str] = getattr(model, "trained_ids_", frozenset())
    count = 0
    for path in files:
        for case in read_cases(path):
            base = case.id[:-3] if case.id.endswith(":en") else case.id
            count += base in ids
    return count
