"""``clearway assist``: train the retrieval model, run the benchmark, write the held-out cases; and
``clearway ask "..."`` (registered at the root) to ask the assistant from a terminal.

    clearway assist train                        build the served model (CPU, minutes)
    clearway assist vectors [--check]            rebuild (check) the shipped e5 vectors of the corpus
    clearway assist holdout-cases FILE.jsonl     the held-out tenth of the corpus, in the benchmark's format
    clearway assist benchmark --cases F.jsonl --json
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from clearway.assistant import model_store
from clearway.assistant.answer import Answer
from clearway.assistant.consult import Consultant
from clearway.assistant.knowledge import bundled_knowledge
from clearway.benchmarks import assistant as bench
from clearway.cli.common import acting_user, console, print_json, readable_errors, runtime
from clearway.config import Settings
from clearway.uow import unit_of_work

app = typer.Typer(help="The consultation assistant: model, benchmark.", no_args_is_help=True)


@app.command("train")
def train(force: Annotated[bool, typer.Option(help="Rebuild even if this version exists")] = False) -> None:
    """Build the assistant's retrieval model from the bundled corpus (its held-out tenth left out)."""
    settings = Settings()
    with readable_errors():
        console.print(model_store.train(settings.models_dir, force=force))


@app.command("vectors")
def vectors(
    check: Annotated[
        bool, typer.Option("--check", help="Only say whether the shipped file is current (exit 1 if not)")
    ] = False,
) -> None:
    """Encode the corpus with e5 into the shipped file the model is built from (run when the corpus changes)."""
    from clearway.assistant import e5_vectors

    if check:
        ok, message = e5_vectors.status()
        console.print(message)
        raise typer.Exit(0 if ok else 1)
    path, size = e5_vectors.build()
    console.print(f"wrote {escape(str(path))} ({size / 1e6:.1f} MB); commit it")


@app.command("holdout-cases")
def holdout_cases(out: Annotated[Path, typer.Argument(help="Where to write the JSON Lines cases")]) -> None:
    """Write the corpus's held-out tenth (never used to build the model) as benchmark cases."""
    pairs = bundled_knowledge().held_out_pairs()
    out.write_text(bundled_knowledge().as_cases(pairs), "utf-8")
    console.print(f"{len(pairs)} held-out cases written to {out}")


@app.command("benchmark")
def benchmark(
    cases: Annotated[list[Path], typer.Option("--cases", help="JSON Lines: id, question, answer, passage")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The figures of shared/design/benchmarks.md on the given cases (no user, no conversation)."""
    settings = Settings()
    rt = runtime()
    with readable_errors():
        consultant = Consultant(model_store.served(settings.models_dir), rt)
        today = rt.today()
        result = bench.run(cases, lambda q: consultant.ask(q, on=today))
    if as_json:
        print_json(result)
        return
    for key in (
        "n",
        "declined",
        "passage_hit@1",
        "passage_hit@3",
        "answer_f1",
        "answered_wrong_rate",
        "latency_ms_p50",
        "latency_ms_p95",
    ):
        console.print(f"{key}: {result[key]}")


def print_answer(answer: Answer) -> None:
    console.print(escape(answer.text))
    if answer.tool:
        for assumption in answer.tool.assumed:
            console.print(f"  [dim]assumed: {escape(assumption)}[/]")
    for i, cited in enumerate(answer.citations[:3], start=1):
        console.print(f"  [dim][{i}] {escape(cited.source)}[/]")
    if answer.handoff_offered:
        console.print("  [dim]ask a customs officer: POST /api/v1/assistant/conversations/{id}/handoff[/]")


def ask(
    question: Annotated[str, typer.Argument(help="Your question, in Korean or English")],
    user: Annotated[
        str | None,
        typer.Option("--as", help="Ask as this user (declaration status)", envvar="CLEARWAY_CLI_USER"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Ask the consultation assistant."""
    rt = runtime()
    with readable_errors(), unit_of_work(rt.sessions) as session:
        consultant = Consultant(model_store.served(rt.settings.models_dir), rt)
        principal = acting_user(session, user) if user else None
        answer = consultant.ask(question, on=rt.today(), session=session, principal=principal)
    if as_json:
        print_json(answer.as_dict())
    else:
        print_answer(answer)
