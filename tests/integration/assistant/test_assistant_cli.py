"""``clearway ask`` and ``clearway assist benchmark`` as a user runs them (real processes, a real home)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.assistant_model import serve, tiny_knowledge

CLEARWAY = [sys.executable, "-m", "clearway.cli.main"]

# runs the CLI as processes: part of the whole suite, not of the fast target
pytestmark = pytest.mark.slow


def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CLEARWAY_HOME": str(home), "COLUMNS": "200"}
    env.pop("CLEARWAY_DATABASE_URL", None)
    return subprocess.run([*CLEARWAY, *args], env=env, capture_output=True, text=True, timeout=300)


def test_ask_answers_with_sources_and_the_benchmark_prints_the_contract(
    tmp_path: Path, tiny_models: Path
) -> None:
    serve(tiny_models, tmp_path / "models")
    assert run(tmp_path, "db", "upgrade").returncode == 0
    knowledge = tiny_knowledge()
    pair = knowledge.pairs[1]
    answered = run(tmp_path, "ask", pair.question, "--json")
    assert answered.returncode == 0, answered.stderr
    body = json.loads(answered.stdout)
    assert body["citations"][0]["source"] == knowledge.passages[pair.passage].citation.label()
    plain = run(tmp_path, "ask", "면세한도가 얼마예요?")
    assert plain.returncode == 0 and "800" in plain.stdout
    cases = tmp_path / "cases.jsonl"
    cases.write_text(
        "\n".join(
            json.dumps(
                {
                    "id": str(p.id),
                    "question": p.question,
                    "answer": p.answer,
                    "passage": knowledge.passages[p.passage].text,
                },
                ensure_ascii=False,
            )
            for p in knowledge.pairs[:12]
        )
        + "\n",
        encoding="utf-8",
    )
    bench = run(tmp_path, "assist", "benchmark", "--cases", str(cases), "--json")
    assert bench.returncode == 0, bench.stderr
    figures = json.loads(bench.stdout)
    for key in (
        "n",
        "declined",
        "passage_hit@1",
        "passage_hit@3",
        "answer_f1",
        "answered_wrong_rate",
        "latency_ms_p50",
        "latency_ms_p95",
        "by_file",
    ):
        assert key in figures
    assert figures["n"] == 12 and figures["passage_hit@3"] > 0.5


def test_without_a_model_ask_says_how_to_build_it(tmp_path: Path) -> None:
    result = run(tmp_path, "ask", "면세한도?")
    assert (
        result.returncode == 1
        and "clearway assist train" in result.stderr
        and "Traceback" not in result.stderr
    )
