"""``clearway risk``: benchmark, train, models, promote, report, criteria.

The root CLI registers ``app`` as ``clearway risk``; until then ``python -m clearway.risk.cli`` runs it.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from clearway.audit.service import Actor
from clearway.benchmarks import risk as bench
from clearway.cli.common import acting_user, console, print_json, readable_errors, runtime
from clearway.clock import korea_date
from clearway.errors import FieldError, Forbidden, ValidationFailed
from clearway.identity.core import Principal, Role
from clearway.risk import service, versions
from clearway.risk.features import ALL_GROUPS
from clearway.risk.learning import modelops
from clearway.risk.learning import runner as sim
from clearway.risk.learning.simulate import DEFAULT_POLICY, Settings
from clearway.risk.selection import EXPLORATION_METHODS, BudgetPolicy
from clearway.uow import unit_of_work

app = typer.Typer(
    help="Risk selection: criteria, the learned model, monitoring, benchmark.",
    no_args_is_help=True,
    add_completion=False,
)
criteria_app = typer.Typer(help="Selectivity criteria.", no_args_is_help=True)
app.add_typer(criteria_app, name="criteria")

AsJson = Annotated[bool, typer.Option("--json", help="Machine-readable output")]
AsUser = Annotated[
    str, typer.Option("--as", help="Act as this user (a risk analyst or admin)", envvar="CLEARWAY_CLI_USER")
]


def _analyst(principal: Principal) -> Actor:
    if principal.role not in (Role.RISK_ANALYST, Role.ADMIN):
        raise Forbidden(
            f"only a risk analyst or admin may do this; {principal.username} is {principal.role.value}"
        )
    return Actor(principal.username, principal.user_id)


def _params(groups: list[str] | None) -> dict[str, Any] | None:
    if not groups:
        return None
    bad = [g for g in groups if g not in ALL_GROUPS]
    if bad:
        raise ValidationFailed(
            f"unknown feature group(s): {', '.join(bad)}",
            errors=[FieldError("--groups", "unknown_group", f"known: {', '.join(ALL_GROUPS)}")],
        )
    return {"groups": tuple(groups)}


def _fmt(x: Any) -> str:
    return "-" if x is None else (f"{x:.3f}" if isinstance(x, float) else str(x))


@app.command()
def benchmark(
    train: Annotated[list[Path], typer.Option("--train", help="Training CSV (KCS columns); repeatable")],
    test: Annotated[Path, typer.Option("--test", help="Test CSV (KCS columns)")],
    as_json: AsJson = False,
) -> None:
    """Train the product's risk model on --train files, score --test, then read its labels and report."""
    with readable_errors():
        result = bench.run(train, test)
    if as_json:
        print_json(result)
        return
    table = Table(title=f"risk benchmark: {result['n_train']} training rows, {result['n_test']} test rows")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for k, v in result.items():
        if k not in ("n_train", "n_test"):
            table.add_row(k, _fmt(v))
    console.print(table)


@app.command()
def simulate(
    data: Annotated[
        list[Path], typer.Option("--data", help="KCS-format CSV; repeatable (replayed in date order)")
    ],
    start: Annotated[
        str | None, typer.Option(help="First simulated day, YYYY-MM-DD (default: 4 weeks after the first)")
    ] = None,
    weeks: Annotated[int | None, typer.Option(help="Weeks to replay (default: until the data ends)")] = None,
    budget: Annotated[float, typer.Option(help="Percent of each week's declarations checked")] = 5.0,
    policy: Annotated[
        str, typer.Option(help=f"Exploration method: {', '.join(EXPLORATION_METHODS)}")
    ] = DEFAULT_POLICY.method,
    exploration: Annotated[
        float, typer.Option(help="Share of the budget spent exploring (0 to 1)")
    ] = DEFAULT_POLICY.exploration_share,
    retrain_every: Annotated[int, typer.Option(help="Retrain the model every N weeks")] = 1,
    prior: Annotated[
        str,
        typer.Option(
            help="Prior of the history rates: 'population' (estimated from unbiased checks) or 'checked' "
            "(hit rate of all checks)"
        ),
    ] = "population",
    seed: Annotated[str, typer.Option(help="Seed of the exploration draws")] = DEFAULT_POLICY.seed,
    as_json: AsJson = False,
) -> None:
    """Replay a deployment week by week: only the declarations the policy checks reveal their outcome."""
    with readable_errors():
        records, outcomes, sources = sim.load(data)
        first = _day(start, "--start") or sim.default_start(records)
        settings = Settings(
            start=first,
            weeks=weeks if weeks is not None else sim.weeks_available(records, first),
            budget=budget,
            policy=BudgetPolicy(method=policy, exploration_share=exploration, seed=seed),
            retrain_every=retrain_every,
            prior=prior,
        )
        out = {"sources": sources, **sim.run(records, outcomes, settings)}
    if as_json:
        print_json(out)
        return
    table = Table(
        title=f"simulated deployment from {first}: budget {budget}%, policy {policy} {exploration:.0%}"
    )
    columns = (
        "week",
        "declarations",
        "checked",
        "found",
        "precision",
        "recall",
        "critical_recall",
        "revenue_caught_krw",
        "auc",
        "psi",
        "psi_status",
    )
    for col in columns:
        table.add_column(col)
    for w in out["weeks"]:
        table.add_row(*(_fmt(w[c]) for c in columns))
    console.print(table)
    o = out["overall"]
    console.print(
        f"[bold]overall[/]: {o['checked']} checks of {o['declarations']} declarations; precision "
        f"{_fmt(o['precision'])}, recall {_fmt(o['recall'])}, critical recall {_fmt(o['critical_recall'])}, "
        f"revenue caught {o['revenue_caught_krw']:,} won ({_fmt(o['revenue_recall'])} of the duty at stake), "
        f"mean weekly AUC {_fmt(o['mean_weekly_auc'])}"
    )
    for d in out["drops"]:
        console.print(
            f"precision drop in week {d['week']}: {_fmt(d['precision'])} against "
            f"{_fmt(d['trailing_precision'])}; PSI {_fmt(d['psi'])} ({d['psi_status'] or 'no reference'}); "
            f"back after {_fmt(d['recovery_weeks'])} week(s)"
        )


@app.command("train")
def train_command(
    user: AsUser,
    csv: Annotated[
        list[Path] | None,
        typer.Option(
            "--csv", help="Train on KCS-format CSV file(s) instead of the product's inspection results"
        ),
    ] = None,
    bundled: Annotated[
        bool, typer.Option("--bundled", help="Train on the bundled KCS train + valid files")
    ] = False,
    groups: Annotated[
        list[str] | None,
        typer.Option(
            "--groups", help=f"Feature groups (default: the chosen set); any of {', '.join(ALL_GROUPS)}"
        ),
    ] = None,
    promote: Annotated[bool, typer.Option("--promote", help="Promote the new version at once")] = False,
    note: Annotated[str | None, typer.Option(help="Why this version was trained")] = None,
    as_json: AsJson = False,
) -> None:
    """Train a new model version (a candidate; promote it to make it score declarations)."""
    rt = runtime()
    models_dir = rt.settings.models_dir
    with readable_errors(), unit_of_work(rt.sessions) as session:
        actor = _analyst(acting_user(session, user))
        now = rt.clock()
        params = _params(groups)
        files = list(csv or []) + (modelops.bundled_kcs_files() if bundled else [])
        if files:
            _, row, _ = modelops.train_from_files(
                session, files, models_dir=models_dir, actor=actor, now=now, params=params, note=note
            )
        else:
            row = modelops.train_from_product(
                session, models_dir=models_dir, actor=actor, now=now, params=params, note=note
            )
        assert row is not None
        if promote:
            row = versions.promote(
                session, version=row.version, models_dir=models_dir, actor=actor, now=now, note=note
            )
        out: dict[str, Any] = {
            "version": row.version,
            "status": row.status,
            "file": row.file_name,
            "fingerprint": row.fingerprint,
            "metrics": row.metrics,
        }
    if as_json:
        print_json(out)
        return
    holdout = out["metrics"].get("holdout") or {}
    console.print(
        f"[bold]risk model {out['version']}[/] — {out['status']}; {out['metrics']['n_train']} records, "
        f"{out['metrics']['with_finding']} with findings; file {out['file']}"
    )
    if holdout:
        console.print(
            f"holdout ({holdout['n']} latest records): precision@5% {_fmt(holdout['precision@5'])}, "
            f"@10% {_fmt(holdout['precision@10'])}, AUC {_fmt(holdout['auc'])}"
        )
    if out["status"] != "promoted":
        console.print(f"promote it with: clearway risk promote {out['version']} --as {user}")


@app.command()
def models(user: AsUser, as_json: AsJson = False) -> None:
    """List model versions (newest first)."""
    rt = runtime()
    with readable_errors(), unit_of_work(rt.sessions) as session:
        acting_user(session, user)
        rows: list[dict[str, Any]] = [
            {
                "version": m.version,
                "status": m.status,
                "created_at": m.created_at.isoformat(),
                "trained_by": m.trained_by,
                "promoted_by": m.promoted_by,
                "fingerprint": m.fingerprint,
                "n_train": (m.metrics or {}).get("n_train"),
                "holdout": (m.metrics or {}).get("holdout"),
                "note": m.note,
            }
            for m in modelops.repo.model_versions(session)
        ]
    if as_json:
        print_json(rows)
        return
    table = Table(title="risk model versions")
    for col in ("version", "status", "trained", "records", "holdout p@5%", "holdout AUC", "note"):
        table.add_column(col)
    for r in rows:
        h = r["holdout"] or {}
        table.add_row(
            r["version"],
            r["status"],
            f"{r['created_at'][:16]} {r['trained_by']}",
            _fmt(r["n_train"]),
            _fmt(h.get("precision@5")),
            _fmt(h.get("auc")),
            r["note"] or "",
        )
    console.print(table)


@app.command("promote")
def promote_command(
    version: Annotated[str, typer.Argument(help="Model version")],
    user: AsUser,
    note: Annotated[str | None, typer.Option(help="Why")] = None,
) -> None:
    """Promote a model version: from now on it scores new declarations."""
    rt = runtime()
    with readable_errors(), unit_of_work(rt.sessions) as session:
        actor = _analyst(acting_user(session, user))
        row = versions.promote(
            session,
            version=version,
            models_dir=rt.settings.models_dir,
            actor=actor,
            now=rt.clock(),
            note=note,
        )
    console.print(f"risk model {row.version} promoted by {row.promoted_by}")


@app.command("report")
def report_command(
    user: AsUser,
    since: Annotated[str | None, typer.Option(help="First declaration date, YYYY-MM-DD")] = None,
    until: Annotated[str | None, typer.Option(help="Last declaration date, YYYY-MM-DD")] = None,
    as_json: AsJson = False,
) -> None:
    """Hit rates per criterion and model version, precision of the selected, weekly drift (PSI)."""
    rt = runtime()
    with readable_errors(), unit_of_work(rt.sessions) as session:
        acting_user(session, user)
        out = versions.report(session, since=_day(since, "--since"), until=_day(until, "--until"))
    if as_json:
        print_json(out)
        return
    console.print(
        f"[bold]risk report[/] — {out['declarations']} declarations; lanes {out['lanes']}; "
        f"promoted model {out['promoted_model'] or '-'}"
    )
    s = out["selected"]
    console.print(
        f"selected {s['selected']}, checked {s['checked']}, with finding {s['with_finding']} "
        f"(hit rate {_fmt(s['hit_rate'])})"
    )
    for title, rows, key in (
        ("by method", [{"name": k, **v} for k, v in out["by_method"].items()], "name"),
        ("criteria", out["criteria"], "code"),
        ("models", out["models"], "version"),
    ):
        if not rows:
            continue
        table = Table(title=title)
        for col in (key, "selected/applied", "checked", "with finding", "hit rate"):
            table.add_column(col)
        for r in rows:
            table.add_row(
                str(r[key]) + (f" v{r['version']}" if key == "code" else ""),
                _fmt(r.get("selected", r.get("applied"))),
                _fmt(r["checked"]),
                _fmt(r["with_finding"]),
                _fmt(r["hit_rate"]),
            )
        console.print(table)
    for d in out["drift"]:
        console.print(
            f"drift {d['week']} model {d['model_version']}: PSI {_fmt(d['psi'])} over {d['scored']} "
            f"scores ({d['status'] or 'no reference'})"
        )


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(
            f"{option} is a date YYYY-MM-DD", errors=[FieldError(option, "bad_date", value)]
        ) from None


@criteria_app.command("list")
def criteria_list(user: AsUser, as_json: AsJson = False) -> None:
    """The criteria in their current versions."""
    rt = runtime()
    with readable_errors(), unit_of_work(rt.sessions) as session:
        acting_user(session, user)
        rows: list[dict[str, Any]] = [
            {
                "id": v.criterion.id,
                "code": v.criterion.code,
                "version": v.current.version,
                "name": v.current.name,
                "lane": v.current.lane,
                "active": v.current.active,
                "condition": v.current.condition,
                "random_rate": v.current.random_rate,
                "expected_rate": v.current.expected_rate,
                "changed_by": v.current.changed_by,
                "changed_at": v.current.changed_at.isoformat(),
            }
            for v in service.list_criteria(session)
        ]
    if as_json:
        print_json(rows)
        return
    for r in rows:
        console.print(
            f"{r['id']:>4} {r['code']} v{r['version']} [{r['lane']}]{'' if r['active'] else ' (inactive)'}"
            f" {r['name']} — by {r['changed_by']} {r['changed_at'][:16]}"
        )


@criteria_app.command("add")
def criteria_add(
    file: Annotated[Path, typer.Argument(help="Criterion JSON file")], user: AsUser, as_json: AsJson = False
) -> None:
    """Add a criterion from a JSON file (validated: a malformed condition names the field)."""
    rt = runtime()
    with readable_errors():
        data = json.loads(file.read_text("utf-8"))
        with unit_of_work(rt.sessions) as session:
            actor = _analyst(acting_user(session, user))
            now = rt.clock()
            view = service.create_criterion(session, data=data, actor=actor, now=now, today=korea_date(now))
            out: dict[str, Any] = {
                "id": view.criterion.id,
                "code": view.criterion.code,
                "version": view.current.version,
                "recent": view.recent,
            }
    if as_json:
        print_json(out)
    else:
        recent = out["recent"] or {}
        console.print(
            f"criterion {out['code']} v{out['version']} (id {out['id']}) saved; it would have matched "
            f"{recent.get('matched', 0)} of the last {recent.get('declarations', 0)} declarations"
        )


if __name__ == "__main__":
    app()
