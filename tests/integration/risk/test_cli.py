"""`clearway risk` as an operator runs it: benchmark, train, promote, models, report, criteria."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from clearway.risk.cli import app
from tests.unit.risk.test_benchmark import write_csv

runner = CliRunner()


@pytest.fixture
def env(runtime, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CLEARWAY_HOME", str(runtime.settings.home))
    monkeypatch.setenv("CLEARWAY_DATABASE_URL", runtime.settings.resolved_database_url)
    return runtime


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_benchmark_prints_the_contract_json(tmp_path):
    train = write_csv(tmp_path / "train.csv", 300, 1)
    test = write_csv(tmp_path / "test.csv", 120, 2)
    result = run("benchmark", "--train", str(train), "--test", str(test), "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["n_train"] == 300 and out["n_test"] == 120 and 0 <= out["auc"] <= 1
    missing = run("benchmark", "--train", str(train), "--test", str(tmp_path / "none.csv"))
    assert missing.exit_code == 1 and "no such file" in missing.output


def test_train_promote_list_and_report(env, tmp_path):
    train = write_csv(tmp_path / "train.csv", 300, 1)
    refused = run("train", "--csv", str(train), "--as", "trader")
    assert refused.exit_code == 1 and "only a risk analyst" in refused.output
    trained = run(
        "train",
        "--csv",
        str(train),
        "--as",
        "analyst",
        "--groups",
        "declaration",
        "--groups",
        "value_history",
        "--json",
    )
    assert trained.exit_code == 0, trained.output
    version = json.loads(trained.output)["version"]
    assert json.loads(trained.output)["status"] == "candidate"
    promoted = run("promote", version, "--as", "analyst", "--note", "better holdout")
    assert promoted.exit_code == 0 and "promoted by analyst" in promoted.output
    listed = json.loads(run("models", "--as", "officer", "--json").output)
    assert listed[0]["version"] == version and listed[0]["status"] == "promoted"
    report = json.loads(run("report", "--as", "analyst", "--json").output)
    assert report["promoted_model"] == version
    bad_groups = run("train", "--csv", str(train), "--as", "analyst", "--groups", "astrology")
    assert bad_groups.exit_code == 1 and "astrology" in bad_groups.output


def test_criteria_add_names_a_malformed_field(env, tmp_path):
    good = tmp_path / "good.json"
    good.write_text(
        json.dumps(
            {
                "code": "X1",
                "name": "beef",
                "lane": "red",
                "condition": {"field": "commodity_code", "op": "prefix", "value": "0201"},
            }
        )
    )
    ok = run("criteria", "add", str(good), "--as", "analyst")
    assert ok.exit_code == 0 and "criterion X1 v1" in ok.output
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "code": "X2",
                "name": "broken",
                "lane": "red",
                "condition": {"all": [{"field": "origin", "op": "eq", "value": "CN"}]},
            }
        )
    )
    refused = run("criteria", "add", str(bad), "--as", "analyst")
    assert refused.exit_code == 1 and "/condition/all/0/field" in refused.output
    listed = json.loads(run("criteria", "list", "--as", "officer", "--json").output)
    assert [c["code"] for c in listed] == ["X1"]


def test_simulate_replays_weeks_and_prints_the_figures(tmp_path):
    first = write_csv(tmp_path / "first.csv", 300, 1)
    more = write_csv(tmp_path / "more.csv", 200, 2)
    result = run(
        "simulate", "--data", str(first), "--data", str(more), "--budget", "10", "--weeks", "2", "--json"
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert [s["rows"] for s in out["sources"]] == [300, 200]
    assert out["settings"]["start"] == "2025-02-03" and out["settings"]["policy"]["method"] == "novelty"
    assert [w["week"] for w in out["weeks"]] == ["2025-02-03", "2025-02-10"]
    assert all(w["checked"] == w["declarations"] * 10 // 100 for w in out["weeks"])
    assert 0 <= out["overall"]["precision"] <= 1 and out["overall"]["warm_start_labelled"] > 0
    table = run("simulate", "--data", str(first), "--weeks", "1", "--policy", "thompson")
    assert table.exit_code == 0 and "overall" in table.output and "precision" in table.output
    bad = run("simulate", "--data", str(first), "--policy", "greedy", "--prior", "checked")
    assert bad.exit_code == 1 and "greedy" in bad.output
