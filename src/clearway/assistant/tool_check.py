"""The tool-use set (``benchmarks/assistant/tool_cases.jsonl``): does the assistant pick the expected tool
with the expected facts? Each case names the tool and any of: amount, currency, country, regime, declaration
(serial), goods, the fact that must be asked for (``missing``) and a figure the answer must state (allowance)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from clearway.assistant import tools
from clearway.assistant.intent import read


def check(case: dict[str, Any], on: date) -> list[str]:
    """What the assistant got wrong on ``case`` (empty when right)."""
    r = read(case["question"])
    wrong = []
    if r.intent.value != case["tool"]:
        return [f"tool {r.intent.value}, expected {case['tool']}"]
    if "amount" in case and (r.money is None or r.money.amount != Decimal(case["amount"])):
        wrong.append(f"amount {r.money}")
    if "currency" in case and (r.money is None or r.money.currency != case["currency"]):
        wrong.append(f"currency {r.money}")
    for name in ("country", "declaration", "goods"):
        if name in case and getattr(r, name) != case[name]:
            wrong.append(f"{name} {getattr(r, name)!r}")
    if "regime" in case and (r.regime is None or r.regime.value != case["regime"]):
        wrong.append(f"regime {r.regime}")
    if "missing" in case and case["missing"] not in r.missing:
        wrong.append(f"missing {r.missing}")
    if "figure" in case:
        text = tools.allowance(None, on, r.language).summary
        if case["figure"] not in text:
            wrong.append(f"figure {case['figure']} not in {text!r}")
    return wrong


def run(path: Path, on: date) -> dict[str, Any]:
    cases = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    failures = {c["question"]: problems for c in cases if (problems := check(c, on))}
    return {"n": len(cases), "right": len(cases) - len(failures), "failures": failures}
