"""The assistant's own held-out figures: the served model, scored on the corpus's held-out tenth.

    .venv/bin/python benchmarks/assistant/holdout.py

Builds the model if needed (`clearway assist train`, which never sees the held-out tenth), writes the held-out
cases (`clearway assist holdout-cases`), runs the benchmark contract (`clearway assist benchmark`) and the
tool-use set, and writes benchmarks/results/assistant_holdout.json with the machine and the commit.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from benchmarks.record import write
from clearway.assistant import model_store
from clearway.assistant.cli import holdout_cases
from clearway.assistant.consult import Consultant
from clearway.assistant.tool_check import run as tool_use
from clearway.benchmarks import assistant as bench
from clearway.config import Settings
from clearway.runtime import build_runtime

TOOL_CASES = Path(__file__).resolve().parent / "tool_cases.jsonl"


def main() -> None:
    settings = Settings()
    print(model_store.train(settings.models_dir))
    runtime = build_runtime(settings)
    consultant = Consultant(model_store.served(settings.models_dir), runtime)
    today = runtime.today()
    with tempfile.TemporaryDirectory() as folder:
        cases = Path(folder) / "assistant_holdout.jsonl"
        holdout_cases(cases)
        figures = bench.run([cases], lambda q: consultant.ask(q, on=today))
    figures["by_file"] = {"held-out tenth": next(iter(figures["by_file"].values()))}
    tools = tool_use(TOOL_CASES, date(2026, 12, 4))
    path = write(
        "assistant_holdout",
        {
            "model": consultant.model.version,
            "held_out": figures,
            "tool_use": {"n": tools["n"], "right": tools["right"]},
        },
    )
    print(path)


if __name__ == "__main__":
    main()
