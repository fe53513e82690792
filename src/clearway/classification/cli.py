"""``clearway classify``: classify a description, train the model, run the benchmark.

    clearway classify "스테인리스강 주방용 칼"            ranked codes with evidence (``--json`` for machines)
    clearway classify train [--exclude-holdout]          build the served model (CPU, minutes)
    clearway classify "TEXT" --interactive                when the top codes are close, asks what separates them
    clearway classify benchmark --cases F.jsonl --json    the figures of shared/design/benchmarks.md
                                [--guided N]             … with an oracle answering up to N questions
    clearway classify vectors [--check]                  rebuild (check) the shipped vectors of the training texts

Any first word that is not a sub-command is the text to classify (``TextFirstGroup``). The root CLI registers
``app`` as ``clearway classify``; until then ``python -m clearway.classification.cli`` runs it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table
from typer import _click as typer_click
from typer.core import TyperGroup

from clearway.benchmarks import classification as bench
from clearway.classification import registry
from clearway.classification.errors import ModelUnavailable
from clearway.classification.results import Classification
from clearway.classification.service import classify_text
from clearway.classification.training import train
from clearway.cli.common import console, errors, print_json, readable_errors
from clearway.config import Settings
from clearway.errors import FieldError, ValidationFailed

if TYPE_CHECKING:
    from clearway.classification.model import HSClassifier

TEXT_COMMAND = "text"


class TextFirstGroup(TyperGroup):
    """A group whose first argument, when it is not a sub-command, is the text to classify."""

    # Typer (0.2x) carries its own copy of click; its groups are called with that copy's Context.
    def parse_args(self, ctx: typer_click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = [TEXT_COMMAND, *args]
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: typer_click.Context) -> list[str]:
        return [name for name in super().list_commands(ctx) if name != TEXT_COMMAND]


app = typer.Typer(
    cls=TextFirstGroup,
    help='HS classification: `clearway classify "TEXT"`, `classify train`, `classify benchmark`.',
    no_args_is_help=True,
    add_completion=False,
)

AsJson = Annotated[bool, typer.Option("--json", help="Machine-readable output")]
ModelDir = Annotated[
    Path | None, typer.Option("--model", help="A model version folder (default: the served model)")
]


def _model(folder: Path | None) -> HSClassifier:
    settings = Settings()
    return registry.load_model(folder) if folder else registry.served_model(settings.models_dir)


@app.command(TEXT_COMMAND, hidden=True)
def classify_command(
    text: Annotated[list[str], typer.Argument(help="The description ('-' reads standard input)")],
    as_json: AsJson = False,
    lang: Annotated[str | None, typer.Option(help="ko or en (a hint)")] = None,
    top_k: Annotated[int, typer.Option("--top-k", help="How many candidates")] = 5,
    model: ModelDir = None,
    interactive: Annotated[
        bool,
        typer.Option(
            "--interactive", "-i", help="When the top candidates are close, ask what separates them"
        ),
    ] = False,
) -> None:
    """Classify a product description."""
    joined = sys.stdin.read() if text == ["-"] else " ".join(text)
    if interactive:
        if text == ["-"]:
            raise typer.BadParameter(
                "--interactive reads the answers from the terminal; pass the text itself"
            )
        _interactive(_model(model), joined, lang, top_k, as_json)
        return
    with readable_errors():
        result = classify_text(_model(model), joined, lang=lang, top_k=top_k)
    if as_json:
        print_json(result.as_dict())
        return
    _print_result(result)


def _interactive(classifier: HSClassifier, text: str, lang: str | None, top_k: int, as_json: bool) -> None:
    """Classify, then ask the guided questions in the terminal (numbered answers) until none is left."""
    from clearway.classification import guided, questions

    with readable_errors():
        result, state = guided.start(classifier, text, lang=lang)
    language = guided.language_of(result, lang)
    texts = questions.bundled_texts()
    out = errors if as_json else console  # with --json, stdout carries the JSON only
    while state.question is not None:
        question = state.question
        if not as_json:
            _print_result(guided.narrowed_result(result, state, top_k))
        out.print(f"\n[bold]{escape(question.text(language))}[/]")
        for number, a in enumerate(question.answers, start=1):
            kept = "" if a.id == questions.NOT_SURE else f"  [dim]({len(a.codes)})[/]"
            out.print(f"  {number}. {escape(a.label(language))}{kept}")
        choice = 0
        while not 1 <= choice <= len(question.answers):
            choice = typer.prompt("답변 번호" if language == "ko" else "Answer number", type=int, err=as_json)
        state = questions.answer(state, question.answers[choice - 1].id, texts)
    final = guided.narrowed_result(result, state, top_k)
    if as_json:
        print_json({**final.as_dict(), "answered": [a.as_dict() for a in state.answered]})
        return
    if state.answered:
        console.print()
        for done in state.answered:
            console.print(
                f"[dim]answered[/] {escape(done.question.text(language))} → "
                f"[bold]{escape(done.answer.label(language))}[/]"
            )
    _print_result(final)


def _print_result(result: Classification) -> None:
    if result.decline:
        console.print(f"[bold yellow]declined[/] ({result.decline.code}): {escape(result.decline.message)}")
        return
    if result.truncated:
        console.print("[dim]the description was long; the first part was read[/]")
    for rank, c in enumerate(result.candidates, start=1):
        console.print(
            f"[bold]{rank}. {c.hs6[:4]}.{c.hs6[4:]}[/]  HSK {escape(c.hs10 or '-')}  "
            f"confidence {c.confidence:.0%}  {escape(c.description)}"
        )
        for step in c.path:
            extra = (
                f" / {step.description_ko}"
                if step.description_ko and step.level in ("heading", "national")
                else ""
            )
            console.print(
                f"     {step.level:<10} {step.code:<10} {escape(step.description[:90])}{escape(extra[:90])}"
            )
        for r in c.rulings:
            when = f" {r.decided_on.isoformat()}" if r.decided_on else ""
            console.print(
                f"     ruling     {escape(r.reference)}{when} → {r.code} ({r.similarity:.2f}) "
                f"{escape(r.title[:70])}"
            )
        for n in c.notes:
            korean = result.language == "ko"
            console.print(
                f"     note       {escape(n.note_ko if korean else n.note)} ({n.effect}, "
                f'"{escape(n.matched)}"): {escape((n.says_ko if korean else n.says)[:110])}'
            )
    shown = {c.hs6 for c in result.candidates}
    for n in result.notes:
        hidden = [code for code in n.codes if code not in shown]
        if n.effect == "veto" and hidden:
            note = n.note_ko if result.language == "ko" else n.note
            console.print(
                f'[dim]note[/] {escape(note)} ("{escape(n.matched)}") moved down '
                f"{', '.join(f'{h[:4]}.{h[4:]}' for h in hidden)}"
            )
    console.print(f"[dim]model {escape(result.model_version)}[/]")


@app.command("train")
def train_command(
    exclude_holdout: Annotated[
        bool,
        typer.Option(
            "--exclude-holdout",
            help="Leave out the held-out split and score on it (not made the served model)",
        ),
    ] = False,
    current: Annotated[
        bool | None,
        typer.Option(
            "--current/--no-current", help="Make it the served model (default: yes, unless --exclude-holdout)"
        ),
    ] = None,
    params: Annotated[str | None, typer.Option(help="Hyper-parameters as JSON (ablations)")] = None,
    as_json: AsJson = False,
) -> None:
    """Train the HS classifier from the vendored data (CPU, a few minutes) and make it the served model."""
    settings = Settings()
    with readable_errors():
        overrides = _parse_params(params)
        result = train(
            settings.models_dir,
            exclude_holdout=exclude_holdout,
            params=overrides,
            make_current=current,
            cache_dir=settings.home / "cache" / "classification",
            log=lambda m: errors.print(f"[dim]{escape(m)}[/]", highlight=False),
        )
    summary = {
        "version": result.version,
        "folder": str(result.folder),
        "seconds": round(result.seconds, 1),
        "size_bytes": result.size_bytes,
        "data_fingerprint_sha256": result.fingerprint,
        "served": result.current,
        "metrics": result.metrics,
    }
    if as_json:
        print_json(summary)
        return
    console.print(
        f"model {escape(result.version)} written to {escape(str(result.folder))} "
        f"({result.size_bytes / 1e6:.0f} MB, {result.seconds:.0f} s)"
        + (" — now served" if result.current else "")
    )
    if "holdout" in result.metrics:
        table = Table(title="held-out split")
        for column in ("set", "n", "hs4 top1", "hs6 top1", "hs6 top3", "hs10 top1"):
            table.add_column(column)
        for name, f in result.metrics["holdout"].items():
            table.add_row(
                name, str(f["n"]), *(_pct(f[k]) for k in ("hs4_top1", "hs6_top1", "hs6_top3", "hs10_top1"))
            )
        console.print(table)


@app.command("vectors")
def vectors_command(
    check: Annotated[
        bool, typer.Option("--check", help="Only say whether the shipped file is current (exit 1 if not)")
    ] = False,
) -> None:
    """Embed the training texts into the shipped file set-up trains from (run when the data change)."""
    from clearway.classification import vectors

    if check:
        ok, message = vectors.status()
        console.print(message)
        raise typer.Exit(0 if ok else 1)
    path, size = vectors.build(log=lambda m: errors.print(f"[dim]{escape(m)}[/]", highlight=False))
    console.print(f"wrote {escape(str(path))} ({size / 1e6:.1f} MB); commit it")


def _pct(x: Any) -> str:
    return "-" if x is None else f"{x:.1%}"


def _parse_params(text: str | None) -> dict[str, Any] | None:
    if not text:
        return None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationFailed(
            "--params is not JSON", errors=[FieldError("--params", "bad_json", exc.msg)]
        ) from None
    if not isinstance(value, dict):
        raise ValidationFailed(
            "--params is a JSON object", errors=[FieldError("--params", "not_object", "{...}")]
        )
    if isinstance(value.get("level_models"), list):
        value["level_models"] = tuple(value["level_models"])
    return value


@app.command("benchmark")
def benchmark_command(
    cases: Annotated[list[Path], typer.Option("--cases", help="JSON Lines case file (repeatable)")],
    as_json: AsJson = False,
    model: ModelDir = None,
    guided_questions: Annotated[
        int,
        typer.Option(
            "--guided",
            min=0,
            max=2,
            help="Let an oracle answer up to N guided questions per case (0, 1 or 2)",
        ),
    ] = 0,
) -> None:
    """Score the served model on benchmark cases (shared/design/benchmarks.md)."""
    settings = Settings()
    with readable_errors():
        for path in cases:
            if not path.is_file():
                raise ValidationFailed(
                    f"no such case file: {path}", errors=[FieldError("--cases", "no_file", str(path))]
                )
        try:
            classifier = _model(model)
        except ModelUnavailable as exc:
            if model is not None:
                raise
            errors.print(f"[yellow]{escape(exc.detail)}[/]\nbuilding it now (one-off, a few minutes)…")
            train(
                settings.models_dir,
                cache_dir=settings.home / "cache" / "classification",
                log=lambda m: errors.print(f"[dim]{escape(m)}[/]", highlight=False),
            )
            classifier = registry.served_model(settings.models_dir)
        seen = bench.trained_on(classifier, cases)
        if seen:
            errors.print(
                f"[yellow]warning:[/] {seen} case(s) were in this model's training data; the figures "
                "overstate accuracy (use a model trained with --exclude-holdout)"
            )
        figures = bench.run(classifier, cases, guided_questions=guided_questions)
    if as_json:
        sys.stdout.write(json.dumps(figures, ensure_ascii=False) + "\n")
        return
    table = Table(title=f"HS classification benchmark — model {classifier.version_}")
    columns: tuple[str, ...] = (
        "n",
        "declined",
        "hs2_top1",
        "hs4_top1",
        "hs6_top1",
        "hs6_top3",
        "hs6_top5",
        "hs10_top1",
        "latency_ms_p50",
        "latency_ms_p95",
    )
    if guided_questions:
        columns = (*columns, "hs6_top1_after_questions", "hs6_top3_after_questions", "questions_asked_mean")
    table.add_column("file")
    for column in columns:
        table.add_column(column)
    for name, f in [*figures["by_file"].items(), ("all", figures)]:
        table.add_row(name, *(str(f[c]) if f[c] is not None else "-" for c in columns))
    console.print(table)


if __name__ == "__main__":
    app()
