"""`clearway classify "TEXT"`, `classify train`, `classify benchmark`, through a root CLI like the core's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from clearway.classification import cli as classify_cli
from clearway.classification import registry
from clearway.classification.training import TrainResult
from tests.integration.classification.conftest import serve

CONTRACT_KEYS = {
    "n",
    "declined",
    "hs2_top1",
    "hs4_top1",
    "hs6_top1",
    "hs6_top3",
    "hs6_top5",
    "hs10_top1",
    "hs6_top1_ci95",
    "latency_ms_p50",
    "latency_ms_p95",
    "by_file",
}

root = typer.Typer()
root.add_typer(classify_cli.app, name="classify")


@root.command()
def other() -> None:
    """A sibling command, so `classify` is a sub-group as in the real root CLI."""


@pytest.fixture
def home(tmp_path: Path, tiny_model_folder: Path) -> Path:
    registry.forget()
    serve(tiny_model_folder, tmp_path / "models")
    return tmp_path


def run(home: Path, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(root, ["classify", *args], env={"CLEARWAY_HOME": str(home)})


def test_text_is_classified_human_readable_and_json(home):
    human = run(home, "남성용 가죽 신발, 바깥바닥은 고무")
    assert human.exit_code == 0, human.output
    assert "6403" in human.output and "section" in human.output and "ruling" in human.output
    machine = run(home, "--json", "Lipstick in a plastic case")
    assert machine.exit_code == 0, machine.output
    # (the test runner echoes the typed answers on stdout; a terminal shows them itself)
    body = json.loads(machine.stdout[machine.stdout.index("{\n") :])
    assert body["candidates"][0]["hs6"].startswith("3304") and body["declined"] is False
    assert body["candidates"][0]["evidence"]["path"][0]["level"] == "section"


def test_unquoted_words_and_options_after_the_text(home):
    result = run(home, "men's", "leather", "shoes", "--json", "--top-k", "2")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["candidates"]) == 2


def test_a_decline_is_an_answer_not_an_error(home):
    result = run(home, "🙂", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["decline"]["code"] == "no_words"
    assert "declined" in run(home, "gift").output


def test_bad_options_are_readable_errors(home):
    result = run(home, "shoes", "--top-k", "99")
    assert result.exit_code == 1 and "top_k" in result.output
    assert run(home, "train", "--params", "{not json").exit_code == 1


def test_no_model_is_a_readable_error(tmp_path):
    registry.forget()
    result = run(tmp_path, "shoes")
    assert result.exit_code == 1 and "clearway classify train" in result.output


def test_benchmark_prints_the_contract(home, tmp_path):
    cases = tmp_path / "cases.jsonl"
    cases.write_text(
        "\n".join(
            json.dumps(c, ensure_ascii=False)
            for c in [
                {
                    "id": "1",
                    "text": "남성용 가죽 구두, 바깥바닥은 고무",
                    "hs": "6403991000",
                    "lang": "ko",
                    "national": "KR",
                },
                {"id": "2", "text": "lipstick", "hs": "330410", "lang": "en", "national": "UK"},
                {"id": "3", "text": "", "hs": "330410", "lang": "en", "national": "UK"},
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    more = tmp_path / "more.jsonl"
    more.write_text(
        json.dumps(
            {"id": "4", "text": "립스틱", "hs": "3304100000", "lang": "ko", "national": "KR"},
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    result = run(home, "benchmark", "--cases", str(cases), "--cases", str(more), "--json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert set(figures) == CONTRACT_KEYS
    assert figures["n"] == 4 and figures["declined"] == 1
    assert set(figures["by_file"]) == {"cases.jsonl", "more.jsonl"}
    assert set(figures["by_file"]["cases.jsonl"]) == CONTRACT_KEYS - {"by_file"}
    assert figures["hs10_top1"] is not None and figures["by_file"]["cases.jsonl"]["hs6_top1"] >= 0.33
    assert figures["latency_ms_p95"] >= figures["latency_ms_p50"] > 0


def test_benchmark_of_a_missing_file_is_a_readable_error(home, tmp_path):
    result = run(home, "benchmark", "--cases", str(tmp_path / "nope.jsonl"), "--json")
    assert result.exit_code == 1 and "nope.jsonl" in result.output.replace("\n", "")  # long paths wrap


def test_train_command_reports_the_version(home, monkeypatch, tiny_model_folder):
    seen = {}

    def fake_train(models_dir, **kwargs):  # type: ignore[no-untyped-def]
        seen.update(kwargs, models_dir=models_dir)
        return TrainResult("hs-x", tiny_model_folder, 1.0, 1_000_000, {"internal": {}}, "f" * 64, True)

    monkeypatch.setattr(classify_cli, "train", fake_train)
    result = run(home, "train", "--json", "--params", '{"level_models": ["lr_use_c"]}')
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["version"] == "hs-x"
    assert seen["params"] == {"level_models": ("lr_use_c",)} and seen["models_dir"] == home / "models"


def test_help_lists_the_commands(home):
    result = run(home, "--help")
    assert result.exit_code == 0 and "train" in result.output and "benchmark" in result.output


def test_interactive_asks_in_the_terminal_and_keeps_the_answer(home):
    def ask(answers: str):  # type: ignore[no-untyped-def]
        return CliRunner().invoke(
            root, ["classify", "신발", "--interactive"], input=answers, env={"CLEARWAY_HOME": str(home)}
        )

    # a number out of range is asked again; then the first answer of each question
    result = ask("9\n1\n1\n1\n1\n")
    assert result.exit_code == 0, result.output
    assert "물품의 특성에 가장 맞는 것은" in result.output or "물품에 맞는 설명은" in result.output
    assert "  1. " in result.output and "잘 모르겠음" in result.output
    assert result.output.count("답변 번호") >= 2  # 9 was refused
    assert "answered" in result.output and "→" in result.output
    machine = CliRunner().invoke(
        root,
        ["classify", "footwear", "--interactive", "--json"],
        input="1\n1\n1\n",
        env={"CLEARWAY_HOME": str(home)},
    )
    assert machine.exit_code == 0, machine.output
    # (the test runner echoes the typed answers on stdout; a terminal shows them itself)
    body = json.loads(machine.stdout[machine.stdout.index("{\n") :])
    assert body["answered"] and body["answered"][0]["answer"]["en"]
    kept = set(body["answered"][-1]["kept"])
    assert {c["hs6"] for c in body["candidates"]} <= kept


def test_benchmark_guided_adds_the_after_questions_figures(home, tmp_path):
    cases = tmp_path / "cases.jsonl"
    cases.write_text(
        json.dumps(
            {"id": "1", "text": "신발", "hs": "6403911000", "lang": "ko", "national": "KR"},
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    result = run(home, "benchmark", "--cases", str(cases), "--guided", "2", "--json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert set(figures) == CONTRACT_KEYS | {
        "hs6_top1_after_questions",
        "hs6_top3_after_questions",
        "questions_asked_mean",
    }
    assert figures["questions_asked_mean"] >= 1
    assert run(home, "benchmark", "--cases", str(cases), "--guided", "3").exit_code != 0


def test_vectors_check_says_the_shipped_file_is_current() -> None:
    result = CliRunner().invoke(root, ["classify", "vectors", "--check"])
    assert result.exit_code == 0, result.output
    assert "shipped vectors, current" in result.output


def test_a_legal_note_is_shown_with_the_code_it_moved(home):
    human = run(home, "rubber sandals for women")
    assert human.exit_code == 0, human.output
    assert "note       Chapter 39, note 2(q)" in human.output and '(prefer, "sandal")' in human.output
    korean = run(home, "고무제 샌들")
    assert "제39류 주 제2호 (q)" in korean.output and "제64류에 분류" in korean.output
