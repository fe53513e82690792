"""Figures of a simulated deployment, per week and overall: the only simulator code given all labels.

Per week: declarations, checks, findings among them (precision), recall of fraud and of critical fraud,
revenue caught, the model's AUC on all the week's declarations (the scores it selected with, from a model
trained before the week), the score drift (PSI against the previous weeks' scores) and the finding rate of the
exploration checks apart (the only unbiased look at what the model let through).

**Revenue** is a stated proxy (the dataset has no assessed-tax column): the duty at stake of each caught
fraud, ``Item Price × Tax Rate / 100`` in won.

**Drift**: a week whose precision falls below 0.8× the mean of the four weeks before is a *drop*; the report
lists each drop with what the PSI drift report said that week, and how many weeks precision took to come back
to that earlier mean (``recovery_weeks``; ``None`` if it never did within the run).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from clearway.risk.learning.simulate import Trace
from clearway.risk.metrics import auc, histogram, psi, psi_bins
from clearway.risk.records import Outcome, RiskRecord

DROP_FACTOR = 0.8
TRAILING_WEEKS = 4


def duty_at_stake(record: RiskRecord) -> Decimal:
    """Item Price × Tax Rate / 100, in whole won (a reporting figure: rounded half up to the won)."""
    if record.value_krw is None or record.tax_rate is None:
        return Decimal(0)
    value = Decimal(str(record.value_krw)) * Decimal(str(record.tax_rate)) / 100
    return max(Decimal(0), value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _ratio(num: float, den: float) -> float | None:
    return None if den == 0 else round(num / den, 4)


def psi_status(value: float | None) -> str | None:
    """The wording of ``clearway risk report``'s drift lines."""
    if value is None:
        return None
    return "stable" if value < 0.1 else "some drift" if value < 0.25 else "shifted: consider retraining"


def evaluate(trace: Trace, records: Sequence[RiskRecord], outcomes: Sequence[Outcome]) -> dict[str, Any]:
    weeks_out: list[dict[str, Any]] = []
    totals = {"declarations": 0, "checked": 0, "found": 0, "frauds": 0, "critical": 0, "critical_found": 0}
    revenue_caught = revenue_total = Decimal(0)
    explored = explored_found = 0
    history: list[list[float]] = []
    for week in trace.weeks:
        fraud = [outcomes[i].fraud for i in week.indices]
        found = sum(outcomes[i].fraud for i in week.selected)
        critical = sum(1 for i in week.indices if outcomes[i].fraud and outcomes[i].critical)
        critical_found = sum(1 for i in week.selected if outcomes[i].fraud and outcomes[i].critical)
        caught = sum((duty_at_stake(records[i]) for i in week.selected if outcomes[i].fraud), Decimal(0))
        at_stake = sum((duty_at_stake(records[i]) for i in week.indices if outcomes[i].fraud), Decimal(0))
        ex = [i for i, m in zip(week.selected, week.methods, strict=True) if m == "exploration"]
        ex_found = sum(outcomes[i].fraud for i in ex)
        reference = [s for scores in history[-TRAILING_WEEKS:] for s in scores]
        drift = None
        if reference and week.scores:
            edges = psi_bins(reference)
            drift = round(psi(histogram(reference, edges), histogram(week.scores, edges)), 4)
        history.append(week.scores)
        weeks_out.append(
            {
                "week": week.start.isoformat(),
                "declarations": len(week.indices),
                "checked": len(week.selected),
                "explored": len(ex),
                "found": found,
                "precision": _ratio(found, len(week.selected)),
                "recall": _ratio(found, sum(fraud)),
                "critical_recall": _ratio(critical_found, critical),
                "revenue_caught_krw": int(caught),
                "revenue_recall": _ratio(float(caught), float(at_stake)),
                "exploration_hit_rate": _ratio(ex_found, len(ex)),
                "auc": None if (a := auc(week.scores, fraud)) is None else round(a, 4),
                "psi": drift,
                "psi_status": psi_status(drift),
                "model_trained_on": week.model_trained_on,
            }
        )
        totals["declarations"] += len(week.indices)
        totals["checked"] += len(week.selected)
        totals["found"] += found
        totals["frauds"] += sum(fraud)
        totals["critical"] += critical
        totals["critical_found"] += critical_found
        revenue_caught += caught
        revenue_total += at_stake
        explored += len(ex)
        explored_found += ex_found
    aucs = [w["auc"] for w in weeks_out if w["auc"] is not None]
    drops = drift_drops(weeks_out)
    recovered = [d["recovery_weeks"] for d in drops if d["recovery_weeks"] is not None]
    overall = {
        **totals,
        "warm_start_labelled": len(trace.warm),
        "precision": _ratio(totals["found"], totals["checked"]),
        "recall": _ratio(totals["found"], totals["frauds"]),
        "critical_recall": _ratio(totals["critical_found"], totals["critical"]),
        "revenue_caught_krw": int(revenue_caught),
        "revenue_at_stake_krw": int(revenue_total),
        "revenue_recall": _ratio(float(revenue_caught), float(revenue_total)),
        "explored": explored,
        "exploration_hit_rate": _ratio(explored_found, explored),
        "mean_weekly_auc": round(sum(aucs) / len(aucs), 4) if aucs else None,
        "precision_drops": len(drops),
        "mean_recovery_weeks": round(sum(recovered) / len(recovered), 2) if recovered else None,
        "unrecovered_drops": len(drops) - len(recovered),
    }
    return {"settings": trace.settings.as_dict(), "overall": overall, "weeks": weeks_out, "drops": drops}


def drift_drops(weeks: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Weeks whose precision fell below 0.8× the trailing four-week mean, with the PSI and the recovery."""
    out = []
    w = TRAILING_WEEKS
    while w < len(weeks):
        before = [x["precision"] for x in weeks[w - TRAILING_WEEKS : w] if x["precision"] is not None]
        now = weeks[w]["precision"]
        if not before or now is None:
            w += 1
            continue
        level = sum(before) / len(before)
        if now >= DROP_FACTOR * level:
            w += 1
            continue
        recovery = next(
            (j - w for j in range(w + 1, len(weeks)) if (weeks[j]["precision"] or 0) >= level), None
        )
        out.append(
            {
                "week": weeks[w]["week"],
                "precision": now,
                "trailing_precision": round(level, 4),
                "psi": weeks[w]["psi"],
                "psi_status": weeks[w]["psi_status"],
                "auc": weeks[w]["auc"],
                "recovery_weeks": recovery,
            }
        )
        w += max(1, recovery or 1)  # a drop is counted once, until precision is back
    return out
