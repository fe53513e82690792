"""The assistant's development figures: a model built without the development split, measured on it.

    .venv/bin/python benchmarks/assistant/dev.py [--vectors-cache FILE] [--split SALT]

The development split is a fixed tenth of the training pairs (`assistant/knowledge.py: is_development`); the
model measured here is built exactly as the served one (`model_store.build`) but on the training pairs less
that split, and its figures are the benchmark contract's (`clearway.benchmarks.assistant`). Design and
parameter choices are made on these figures, never on the held-out tenth. `--vectors-cache` keeps the USE
vectors of the corpus between runs (float16, so figures may differ in the last digit from a run without it);
the e5 vectors of the corpus come from the shipped file (`assistant/e5_vectors.py`). `--split SALT` measures on
another tenth of the training pairs (drawn by that salt), to see whether a choice holds beyond the one split; its
figures go to assistant_dev_SALT.json.
Writes benchmarks/results/assistant_dev.json with the machine and the commit.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from benchmarks.record import write
from clearway.assistant import model_store
from clearway.assistant.consult import Consultant
from clearway.assistant.e5_encoder import default_e5
from clearway.assistant.knowledge import DEVELOPMENT_SALT, Knowledge, bundled_knowledge
from clearway.benchmarks import assistant as bench
from clearway.classification.embedding import CachedEmbedder, Embedder, UseEmbedder
from clearway.config import Settings
from clearway.runtime import build_runtime


def development_model(
    knowledge: Knowledge, vectors_cache: Path | None = None, salt: str = DEVELOPMENT_SALT
) -> tuple[model_store.ServedModel, float]:
    """The model built as the served one but without the development split, and its build's CPU seconds."""
    embedder: Embedder = UseEmbedder()
    if vectors_cache is not None:
        embedder = CachedEmbedder(embedder, vectors_cache)
    started = time.process_time()
    built = model_store.build(knowledge, knowledge.fitting_pairs(salt), embedder, model_store.corpus_e5())
    build_cpu = time.process_time() - started
    if isinstance(embedder, CachedEmbedder):
        embedder.save()
    # asked questions are encoded live, as the served model encodes them (not looked up in a cache)
    live = embedder.inner if isinstance(embedder, CachedEmbedder) else embedder
    built.retriever.attach(live, default_e5())
    model = model_store.ServedModel(
        built.retriever, knowledge, built.threshold, built.calibration, "development"
    )
    return model, build_cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--vectors-cache", type=Path, default=None)
    parser.add_argument("--split", default=DEVELOPMENT_SALT, help="salt drawing the tenth measured on")
    parser.add_argument("--no-write", action="store_true", help="print the figures only")
    args = parser.parse_args()
    knowledge = bundled_knowledge()
    model, build_cpu = development_model(knowledge, args.vectors_cache, args.split)
    runtime = build_runtime(Settings())
    consultant = Consultant(model, runtime)
    today = runtime.today()
    with tempfile.TemporaryDirectory() as folder:
        cases = Path(folder) / "assistant_dev.jsonl"
        cases.write_text(knowledge.as_cases(knowledge.development_pairs(args.split)), "utf-8")
        figures = bench.run([cases], lambda q: consultant.ask(q, on=today))
    default = args.split == DEVELOPMENT_SALT
    figures["by_file"] = {
        "development split" if default else f"split {args.split}": next(iter(figures["by_file"].values()))
    }
    summary = {k: v for k, v in figures.items() if k != "by_file"}
    print(json.dumps({**summary, "build_cpu_seconds": round(build_cpu, 1)}, indent=2))
    if not args.no_write:
        name = "assistant_dev" if default else f"assistant_dev_{args.split}"
        record = {"development": figures, "split": args.split, "build_cpu_seconds": round(build_cpu, 1)}
        print(write(name, record))


if __name__ == "__main__":
    main()
