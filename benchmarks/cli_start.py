"""How long the CLI takes to start: `clearway --help` and `clearway audit verify` (on a fresh database).

    .venv/bin/python benchmarks/cli_start.py [--runs 9]

Runs each command ``--runs`` times in a new process and writes the median wall-clock and CPU (user + system)
seconds, with the load average before and after (the machine is often shared: CPU seconds are the figure that
does not depend on the other processes), to ``benchmarks/results/cli_start.json``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.record import write


def clearway() -> list[str]:
    script = Path(sys.executable).with_name("clearway")
    return [str(script)] if script.exists() else [sys.executable, "-m", "clearway.cli.main"]


def timed(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([*clearway(), *args], env=env, check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def measure(args: list[str], env: dict[str, str], runs: int) -> dict[str, Any]:
    timed(args, env)  # warm the file cache and the bytecode
    samples = [timed(args, env) for _ in range(runs)]
    return {
        "runs": runs,
        "wall_s_median": round(statistics.median(s[0] for s in samples), 3),
        "wall_s_min": round(min(s[0] for s in samples), 3),
        "cpu_s_median": round(statistics.median(s[1] for s in samples), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "CLEARWAY_HOME": home}
        env.pop("CLEARWAY_DATABASE_URL", None)
        subprocess.run([*clearway(), "db", "upgrade"], env=env, check=True, capture_output=True)
        load_before = os.getloadavg()
        results = {
            "help": measure(["--help"], env, options.runs),
            "audit_verify": measure(["audit", "verify"], env, options.runs),
        }
        load_after = os.getloadavg()
    path = write("cli_start", {"commands": results, "load_average_1m": [load_before[0], load_after[0]]})
    for name, figures in results.items():
        print(f"{name}: median {figures['wall_s_median']} s wall, {figures['cpu_s_median']} s CPU")
    print(f"load average {load_before[0]:.1f} → {load_after[0]:.1f}; written to {path}")


if __name__ == "__main__":
    main()
