"""The heavy read commands on the large project of `scale.py`, optionally beside another gtcode source tree
(issue 19, second round): `retrieve`, `search --limit 0` on one long transcript, `agreement`, `freq`, `kwic`,
`report -o x.md`, `report -o x.docx` and `export qdpx`, each as a whole process with its peak resident memory.

    python benchmarks/reads.py [--scale 1000] [--runs 3] [--long-mb 2] [--baseline TREE] [--only a,b] [--profile]

The project is the one `scale.py` builds and caches (same `--scale`, `--words`, `--seed`, `--cache`); the long
transcript is built once into the same cache. `--baseline TREE` runs the same commands with `PYTHONPATH=TREE`
first (a checkout of an earlier gtcode, e.g. from `git archive`), so before and after come from one run on one
machine; when this tree's schema is newer, the baseline opens a copy of the project kept at its own schema
(`project-v<N>`, made on the first such run). `--profile` writes a cProfile of each command (this tree) beside
the project and prints its top lines (gtcode's functions by cumulative time, then everything by own time). The
size of each file written is printed beside its time. Figures are printed, never asserted.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402
import scale  # noqa: E402
from run import GTCODE, log, measured  # noqa: E402

from gtcode.store.schema import DB_FILENAME, SCHEMA_VERSION  # noqa: E402


def long_project(folder: Path, mb: float, seed: int) -> Path:
    """One transcript of `mb` MB in a project of its own, built once."""
    from gtcode import Project

    target = folder / f"long-{mb:g}"
    if (target / "built").exists():
        return target / "project"
    src = corpus.generate(target / "src", 1, int(mb * 1_000_000 / 6.2), formats=("txt",), seed=seed)[0].path
    with Project.init(target / "project", coder="bench") as p:
        p.docs.import_paths([src])
    (target / "built").write_text("ok")
    return target / "project"


def schema_of(tree: Path) -> int:
    """The schema version a gtcode source tree writes (its SCHEMA_VERSION)."""
    found = re.search(r"^SCHEMA_VERSION = (\d+)", (tree / "gtcode" / "store" / "schema.py").read_text(), re.M)
    return int(found.group(1))


def for_baseline(project: Path, tree: Path) -> Path:
    """The project as the baseline tree can open it. This tree migrates a cached project to its own schema before
    timing (m010 adds indexes), after which an older gtcode refuses it as written by a newer one; so the first
    run with a baseline keeps a copy taken before, `project-v<N>` beside it, and later runs reuse that copy."""
    known = schema_of(tree)
    if known >= SCHEMA_VERSION:
        return project
    copy = project.with_name(f"{project.name}-v{known}")
    if (copy / DB_FILENAME).exists():
        return copy
    version = sqlite3.connect(project / DB_FILENAME).execute("PRAGMA user_version").fetchone()[0]
    if version > known:
        sys.exit(f"reads: {project} is at schema {version}, newer than the baseline's {known}, and no copy of it "
                 f"at {known} was kept; rebuild the cache (delete {project.parent}) to time that baseline")
    shutil.copytree(project, copy)
    return copy


def migrated(project: Path) -> None:
    """Open the project once with this tree, so a pending migration is not inside the first timed run."""
    from gtcode import Project

    Project.open(project).close()


def outputs(folder: Path) -> dict[str, Path]:
    """Label → the file the command writes, whose size is printed beside its time (the .qdpx's deflate level
    trades one against the other)."""
    out = folder / "reads-out"
    return {"report -o x.md": out / "x.md", "report -o x.docx": out / "x.docx", "export qdpx": out / "x.qdpx"}


def commands(folder: Path, info: dict) -> dict[str, list[str]]:
    """Label → gtcode arguments (after `-p PROJECT`, which the label's project gives)."""
    out = folder / "reads-out"
    out.mkdir(exist_ok=True)
    return {"retrieve": ["retrieve", info["retrieve_code"], "--json"],
            "search --limit 0 (long transcript)": ["search", "film", "--limit", "0", "--json"],
            "agreement": ["agreement"],
            "freq": ["freq"],
            "kwic film": ["kwic", "film", "--json"],
            "report -o x.md": ["report", "-o", str(out / "x.md")],
            "report -o x.docx": ["report", "-o", str(out / "x.docx")],
            "export qdpx": ["export", "qdpx", str(out / "x.qdpx")]}


def timed(cmd: list[str], env: dict, runs: int) -> tuple[float, float, str]:
    """(median wall ms, largest peak RSS MiB, last error line) of a whole process."""
    times, peaks, err = [], [], ""
    for _ in range(runs):
        seconds, peak, code, last = measured(cmd, env)
        times.append(seconds)
        peaks.append(peak)
        if code != 0:
            err = last
    return statistics.median(times) * 1000, max(peaks), err


def profile(cmd: list[str], env: dict, path: Path) -> None:
    """cProfile of one run of `cmd` (the console script run under `python -m cProfile`); its top lines printed."""
    import pstats

    subprocess.run([cmd[0], "-m", "cProfile", "-o", str(path), *cmd[1:]], env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    print(f"\n--- profile: {' '.join(cmd[4:])} ({path})")
    stats = pstats.Stats(str(path))
    stats.sort_stats("cumulative").print_stats(r"gtcode/(?!cli/)", 25)   # below the CLI: where the time goes
    stats.sort_stats("tottime").print_stats(15)                         # and what it is spent on


def main(argv: list[str] | None = None) -> None:
    parser = scale.project_arguments(__doc__, runs=3)
    parser.add_argument("--baseline", help="another gtcode source tree to time first (PYTHONPATH)")
    parser.add_argument("--only", help="comma-separated words: only the figures whose label holds one")
    parser.add_argument("--profile", action="store_true", help="also write and print a cProfile of each")
    args = parser.parse_args(argv)
    folder, info = scale.project_at(args)
    long = long_project(Path(args.cache), args.long_mb, args.seed)
    env = {k: v for k, v in os.environ.items() if k not in ("GTCODE_PROJECT", "PYTHONPATH")}
    env["GTCODE_CONFIG"] = str(folder / "no-such-config.toml")
    trees = ([("baseline", {**env, "PYTHONPATH": args.baseline})] if args.baseline else []) + [("this tree", env)]
    projects = {}                     # tree → {project this tree times: the project that tree opens}
    for project in (folder / "project", long):
        projects.setdefault("baseline", {})[project] = (for_baseline(project, Path(args.baseline))
                                                        if args.baseline else project)
        projects.setdefault("this tree", {})[project] = project
        migrated(project)
    wanted = [w.strip() for w in args.only.split(",")] if args.only else None
    rows = []
    for label, argv_ in commands(folder, info).items():
        if wanted and not any(w in label for w in wanted):
            continue
        project = long if "long" in label else folder / "project"
        cmd = [sys.executable, str(GTCODE), "-p", str(project), *argv_]
        for tree, tree_env in trees:
            log(f"reads: {label} ({tree})")
            ms, rss, err = timed([*cmd[:3], str(projects[tree][project]), *cmd[4:]], tree_env, args.runs)
            written = outputs(folder).get(label)
            size = written.stat().st_size if written is not None and written.exists() and not err else None
            rows.append({"figure": label, "tree": tree, "ms": ms, "rss_mib": rss, "bytes": size, "error": err})
        if args.profile:
            profile(cmd, env, folder / f"profile-{label.split()[0]}.prof")
    if args.json:
        print(json.dumps({"scale": args.scale, "project": info, "figures": rows}, indent=2))
        return
    print(f"\n--scale {args.scale} ({info['documents']:,} interviews, {info['words']:,} words, "
          f"{info['codings']:,} codings); medians of {args.runs} whole processes\n")
    print(f"  {'Figure':<40} {'Tree':<10} {'Time':>10} {'Peak RSS':>10} {'Output':>10}")
    for r in rows:
        value = f"{r['ms'] / 1000:,.1f} s" if r["ms"] >= 10_000 else f"{r['ms']:,.0f} ms"
        size = f"{r['bytes'] / 2**20:,.1f} MiB" if r["bytes"] is not None else ""
        print(f"  {r['figure']:<40} {r['tree']:<10} {value:>10} {r['rss_mib']:>6,.0f} MiB {size:>10}"
              + (f"   error: {r['error']}" if r["error"] else ""))


if __name__ == "__main__":
    main()
