"""How long `make test` takes: the test suite as `make test` runs it, timed whole, beside its goal (issue 19).

    python benchmarks/suite.py [--slowest 15] [--json] [TEST_FILE ...]

Runs `python -m pytest -q -n auto --dist worksteal` (the command in the Makefile) in this checkout and prints the
wall time beside the goal of two minutes, the tests passed and skipped, the CPU time of the workers, and the
slowest tests. A test that fails is reported, not hidden: the figure then says so. Figures are printed, never
asserted; the machine's speed moves a lot from hour to hour, so compare runs made in the same minutes.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_S = 120.0
COMMAND = ["-m", "pytest", "-q", "-n", "auto", "--dist", "worksteal", "-p", "no:cacheprovider"]


def run_suite(slowest: int, paths: list[str]) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *COMMAND, f"--durations={slowest}", *paths], cwd=ROOT, capture_output=True,
                          text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = done.stdout
    counts = {kind: int(n) for n, kind in re.findall(r"(\d+) (passed|failed|skipped|errors?)", out.splitlines()[-1]
                                                          if out.strip() else "")}
    slow = [(float(m.group(1)), m.group(2), m.group(3)) for m in
            re.finditer(r"^([\d.]+)s (call|setup|teardown)\s+(\S+)", out, re.M)]
    return {"wall_s": wall, "cpu_s": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
            "exit": done.returncode, "counts": counts, "slowest": slow[:slowest], "goal_s": GOAL_S}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slowest", type=int, default=15, help="slowest tests listed (default 15)")
    parser.add_argument("--json", action="store_true", help="the figures as JSON")
    parser.add_argument("paths", nargs="*", help="only these test files (a check of this script, not the figure)")
    args = parser.parse_args(argv)
    print("suite: running the tests as `make test` does (a few minutes)", file=sys.stderr, flush=True)
    result = run_suite(args.slowest, args.paths)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    counts = ", ".join(f"{n:,} {kind}" for kind, n in result["counts"].items()) or "no summary line"
    verdict = "met" if result["wall_s"] <= GOAL_S and result["exit"] == 0 else "NOT met"
    print("\nThe test suite (`make test`, two pytest-xdist workers on this machine)"
          + (f": only {', '.join(args.paths)}, not the figure" if args.paths else ""))
    print(f"  wall time           {result['wall_s']:7.1f} s   goal <= {GOAL_S:.0f} s: {verdict}")
    print(f"  CPU time (workers)  {result['cpu_s']:7.1f} s   {counts}; exit {result['exit']}")
    if result["slowest"]:
        print("  slowest:")
        for seconds, phase, test in result["slowest"]:
            print(f"    {seconds:5.2f} s  {phase:5}  {test}")


if __name__ == "__main__":
    main()
