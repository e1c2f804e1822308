"""gtcode coding benchmarks: coding 10,000 segments in one call, and retrieving a code's 1,000 passages.

    python benchmarks/coding.py [--n 200] [--words 1500] [--runs 5] [--cli-runs 5] [--json] [--keep]

Builds a project of `--n` synthetic interviews (benchmarks/corpus.py) with
their cases, then times, as medians:

* `apply_code(addresses, code)` over 10,000 segments in three shapes: ranges
  (`D3:1-50`, one passage per document), odd segments per document
  (`D3:1,3,5,…`, 10,000 separate codings) and 10,000 one-segment addresses
  (`D3:1`, `D3:3`, …). Each run codes a new code, so every run does the same
  work; creating the code is not timed.
* `retrieve` on a code with 1,000 codings: the library call (opening the
  project included) and the whole `gtcode -p PROJECT retrieve CODE` process;
  beside them compare, kwic and freq on the same project.

Figures are printed, never asserted. See benchmarks/README.md for the
machine-independent way to read them (ratios and orders of magnitude).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import GTCODE, Processes, build_project, log, machine, median_ms  # noqa: E402

TARGET = 10_000
RETRIEVE_CODINGS = 1_000


def _segment_counts(folder: Path) -> dict[int, int]:
    from gtcode import Project

    with Project.open(folder) as p:
        return {d.id: d.segments for d in p.docs.list()}


def address_sets(segments: dict[int, int]) -> dict[str, list[str]]:
    """Three ways to name 10,000 segments (documents in order, as many as needed)."""
    ranges, odd, single = [], [], []
    left = TARGET
    for doc, n in segments.items():
        take = min(50, n, left)
        if take:
            ranges.append(f"D{doc}:1-{take}")
            left -= take
    left = TARGET
    for doc, n in segments.items():
        ordinals = list(range(1, n + 1, 2))[:left]
        if ordinals:
            odd.append(f"D{doc}:{','.join(map(str, ordinals))}")
            single.extend(f"D{doc}:{o}" for o in ordinals)
            left -= len(ordinals)
    return {"ranges": ranges, "odd": odd, "single": single}


def coding_benchmark(folder: Path, runs: int, problems: list[str]) -> dict:
    from gtcode import Project

    sets = address_sets(_segment_counts(folder))
    expected = {"ranges": len(sets["ranges"]), "odd": TARGET, "single": TARGET}
    out = {}
    for shape, addresses in sets.items():
        log(f"coding: {shape}, {len(addresses):,} address(es), median of {runs}")
        times = []
        for i in range(runs):
            code = f"Bench {shape} {i + 1}"
            with Project.open(folder, coder="bench") as p:
                p.codes.add(code)
                start = time.perf_counter()
                result = p.coding.apply(addresses, code)
                times.append(time.perf_counter() - start)
            if result["added"] != expected[shape]:
                problems.append(f"coding {shape}: {result['added']} codings added, {expected[shape]} expected")
        times.sort()
        out[shape] = {"addresses": len(addresses), "codings": expected[shape],
                      "median_ms": round(times[len(times) // 2] * 1000, 1),
                      "example": addresses[0][:40] + ("…" if len(addresses[0]) > 40 else "")}
    return out


def retrieve_benchmark(folder: Path, procs: Processes, runs: int, cli_runs: int, problems: list[str]) -> dict:
    """A code with 1,000 codings (5 per document, every 10th segment), another overlapping half of them."""
    from gtcode import Project
    from gtcode.analysis.retrieve import compare, retrieve
    from gtcode.analysis.words import freq, kwic

    segments = _segment_counts(folder)
    per_doc = -(-RETRIEVE_CODINGS // len(segments))
    thousand, half = [], []
    for doc, n in segments.items():
        ordinals = [o for o in range(3, n + 1, 10)][:per_doc][:RETRIEVE_CODINGS - len(thousand)]
        thousand += [f"D{doc}:{o}" for o in ordinals]
        half += [f"D{doc}:{o}-{o + 1}" for o in ordinals[::2] if o + 1 <= n]
    with Project.open(folder, coder="bench") as p:
        p.coding.apply(thousand, "Thousand", create=True)
        p.coding.apply(half, "Overlapping", create=True)

    def lib(fn, **kw):
        def call():
            with Project.open(folder) as p:
                return fn(p.store, **kw)
        return call

    n_found = len(lib(retrieve, code="Thousand")().passages)
    if n_found != len(thousand):
        problems.append(f"retrieve: {n_found} passages, {len(thousand)} coded")
    import gtcode.ingest.nlp
    gtcode.ingest.nlp.load(lemmas=True)   # spaCy's load is timed in the CLI figures, not the library ones
    log(f"retrieve: library, median of {runs}")
    library = {
        "retrieve Thousand": median_ms(lib(retrieve, code="Thousand"), runs),
        "retrieve Thousand --context 2 --by role": median_ms(lib(retrieve, code="Thousand", context=2, by="role"),
                                                             runs),
        "compare Thousand Overlapping": median_ms(lib(compare, a="Thousand", b="Overlapping"), runs),
        "kwic film --lemma": median_ms(lib(kwic, term="film", lemma=True), runs),
        "freq --by role": median_ms(lib(freq, by="role"), runs),
    }
    log(f"retrieve: CLI processes, median of {cli_runs}")
    gt = [str(GTCODE), "-p", str(folder)]
    cli = {" ".join(["gtcode", *args]): procs.median_ms([*gt, *args], cli_runs) for args in (
        ["retrieve", "Thousand"], ["retrieve", "Thousand", "--json"], ["compare", "Thousand", "Overlapping"],
        ["kwic", "film", "--lemma"], ["freq", "--by", "role"], ["docs", "list"])}
    return {"codings": len(thousand), "overlapping_codings": len(half),
            "library_ms": {k: round(v, 1) for k, v in library.items()},
            "cli_ms": {k: round(v, 1) for k, v in cli.items()}}


def print_table(r: dict) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    m, p = r["machine"], r["project"]
    table = Table(box=box.SIMPLE, title=f"gtcode {m['gtcode']} coding benchmarks, {m['date']}, {m['cpus']} CPUs, "
                  f"Python {m['python']}", title_justify="left")
    table.add_column("Figure")
    table.add_column("Median", justify="right")
    table.add_column("Note")
    table.add_row("[bold]Project", "", f"{p['documents']} interviews, {p['words']:,} words, "
                  f"{p['segments']:,} segments; built in {p['import_s']} s")
    table.add_section()
    table.add_row(f"[bold]Coding {TARGET:,} segments", "", f"project.coding.apply(addresses, code), {r['runs']} runs")
    for shape, c in r["coding"].items():
        table.add_row(f"  {shape}: {c['addresses']:,} address(es)", f"{c['median_ms']:,.0f} ms",
                      f"{c['codings']:,} codings; e.g. {c['example']}")
    table.add_section()
    rt = r["retrieve"]
    table.add_row("[bold]Reading codings", "", f"code with {rt['codings']:,} codings; another with "
                  f"{rt['overlapping_codings']} overlapping")
    for name, ms in rt["library_ms"].items():
        table.add_row(f"  library: {name}", f"{ms:,.1f} ms", f"median of {r['runs']}; opening the project included")
    for name, ms in rt["cli_ms"].items():
        table.add_row(f"  process: {name}", f"{ms:,.0f} ms", f"median of {r['cli_runs']}")
    console = Console(width=max(110, Console().width), highlight=False)
    console.print(table)
    for problem in r["problems"]:
        console.print(f"Problem: {problem}", style="red", markup=False)
    console.print(f"Whole run: {r['elapsed_s']:.0f} s")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=200, help="interviews in the project (default 200)")
    parser.add_argument("--words", type=int, default=1500, help="words in each (default 1500)")
    parser.add_argument("--runs", type=int, default=5, help="library runs timed, median (default 5)")
    parser.add_argument("--cli-runs", type=int, default=5, help="CLI processes timed, median (default 5)")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead of a table")
    parser.add_argument("--keep", action="store_true", help="keep the corpus and project (path on stderr)")
    args = parser.parse_args(argv)
    if not GTCODE.exists():
        parser.error(f"{GTCODE}: no gtcode script next to this Python; run with the venv's python")
    began = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="gtcode-coding-bench-"))
    problems: list[str] = []
    procs = Processes(tmp)
    try:
        log(f"building a {args.n}-interview project of ~{args.words:,} words each")
        folder = tmp / "project"
        built = build_project(folder, tmp / "corpus", args.n, args.words, args.seed, problems)
        built["segments"] = sum(_segment_counts(folder).values())
        if built["segments"] < TARGET:
            parser.error(f"the project has {built['segments']:,} segments, fewer than {TARGET:,}: raise --n or --words")
        result = {"machine": machine(), "project": built, "runs": args.runs, "cli_runs": args.cli_runs,
                  "coding": coding_benchmark(folder, args.runs, problems),
                  "retrieve": retrieve_benchmark(folder, procs, args.runs, args.cli_runs, problems)}
    finally:
        if args.keep:
            log(f"kept: {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    result["problems"] = problems + procs.problems
    result["elapsed_s"] = round(time.perf_counter() - began, 1)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_table(result)


if __name__ == "__main__":
    main()
