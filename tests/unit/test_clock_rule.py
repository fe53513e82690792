"""The one-clock rule: no module of clearway reads the machine's clock or date except ``clearway/clock.py``.

Domain code is handed ``now`` / ``today`` (the runtime's clock, ``Runtime.today()``); a stray
``datetime.now()`` or ``date.today()`` would make a filing's date depend on the server's time zone and escape the
clock the tests and the demo travel with.
"""

from __future__ import annotations

import ast
from pathlib import Path

import clearway

SRC = Path(clearway.__file__).parent
ALLOWED = {SRC / "clock.py"}
# (object, attribute) calls that read the machine's clock or date
READS = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
    ("time", "time"),
}


def clock_reads(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            name = (
                owner.id
                if isinstance(owner, ast.Name)
                else owner.attr
                if isinstance(owner, ast.Attribute)
                else ""
            )
            if (name, node.func.attr) in READS:
                found.append((node.lineno, f"{name}.{node.func.attr}()"))
    return found


def test_the_detector_finds_each_kind_of_clock_read() -> None:
    code = (
        "datetime.now(UTC)\ndate.today()\ndatetime.datetime.now()\ntime.time()\nclock()\nx.now_or_never()\n"
    )
    assert [what for _, what in clock_reads(ast.parse(code))] == [
        "datetime.now()",
        "date.today()",
        "datetime.now()",
        "time.time()",
    ]


def test_only_the_clock_module_reads_the_machine_clock() -> None:
    offenders = [
        f"{path.relative_to(SRC.parent)}:{line}: {what}"
        for path in sorted(SRC.rglob("*.py"))
        if path not in ALLOWED and "migrations" not in path.parts
        for line, what in clock_reads(ast.parse(path.read_text("utf-8")))
    ]
    assert offenders == [], "use runtime.clock() / runtime.today() or a now= parameter:\n" + "\n".join(
        offenders
    )
