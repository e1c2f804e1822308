"""gtcode's import beside a peer's, on the same corpus in the same run (issue 19: at least 3x qc's default importer).

    python benchmarks/peers.py [--n 50] [--words 10000] [--runs 3] [--qc PATH] [--json]

The peer is qc (Chris Proctor's `qualitative-coding` package, the command-line
qualitative coding tool): `qc init` then `qc corpus import --recursive DIR`,
whose default importer runs pandoc on each file. gtcode's side is the same as
a researcher's: `gtcode init` then `gtcode import DIR`, keeping speaker turns,
sentence segments and the full-text index. Both are whole processes, run in
turn (gtcode, qc, qc verbatim, floor, then again) so load on the machine falls
on all of them alike; medians are printed with the ratios.

qc is not a dependency of gtcode. `make bench` puts it in its own venv
(`.venv-peers`: `pip install qualitative-coding pypandoc-binary`, the latter
for a pandoc binary); elsewhere pass `--qc` or put `qc` and `pandoc` on PATH.
Without them the run says so and prints gtcode's figures alone.

The floor is a process that imports spaCy and runs gtcode's readers and the
sentencizer over the same files with no database: what any importer built on
these readers and this pipeline must pay, start-up included.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402
from run import GTCODE, Processes, log, measured  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
PEERS_VENV = REPO / ".venv-peers"
TARGET = 3.0              # gtcode at least 3x as fast as qc's default importer

FLOOR_SCRIPT = '''\
import sys
from pathlib import Path

import gtcode.ingest.nlp
from gtcode.ingest import read_path

nlp = gtcode.ingest.nlp.load()
paths = sorted(p for p in Path(sys.argv[1]).iterdir() if p.suffix != ".csv")
texts = [doc.text[t.body_start:t.end] for path in paths for doc in read_path(path) for t in doc.turns
         if t.end > t.body_start]
print(sum(1 for doc in nlp.pipe(texts, batch_size=256) for _ in doc.sents), file=sys.stderr)
'''


def find_qc(given: str | None) -> tuple[Path | None, Path | None, str]:
    """(qc, the folder holding pandoc, why not) — qc from --qc, .venv-peers or PATH; pandoc from PATH or the
    pypandoc-binary wheel beside qc."""
    candidates = [Path(given)] if given else [PEERS_VENV / "bin" / "qc"]
    if not given and shutil.which("qc"):
        candidates.append(Path(shutil.which("qc")))
    qc = next((c for c in candidates if c.is_file()), None)
    if qc is None:
        return None, None, (f"{given}: no such file" if given else
                            "qc is not installed (make bench puts it in .venv-peers; or pass --qc PATH)")
    on_path = shutil.which("pandoc")
    if on_path:
        return qc, Path(on_path).parent, ""
    bundled = sorted(qc.parent.parent.glob("lib/python3*/site-packages/pypandoc/files/pandoc"))
    if bundled:
        return qc, bundled[0].parent, ""
    return qc, None, "pandoc is not on PATH and no pypandoc-binary beside qc: qc's default importer needs it"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=50, help="interviews (default 50)")
    parser.add_argument("--words", type=int, default=10000, help="words of speech in each (default 10,000)")
    parser.add_argument("--runs", type=int, default=3, help="rounds; medians are reported (default 3)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--qc", help="the qc command to compare with (default: .venv-peers/bin/qc, then PATH)")
    parser.add_argument("--json", action="store_true", help="the figures as JSON")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="gtcode-peers-"))
    try:
        result = compare(tmp, args)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_result(result)


def compare(tmp: Path, args) -> dict:
    log(f"peers: generating {args.n} interviews of ~{args.words:,} words (.txt, Interviewer:/Pnnn: turns)")
    written = corpus.generate(tmp / "corpus", args.n, args.words, formats=("txt",), seed=args.seed)
    (tmp / "corpus" / "participants.csv").unlink()      # transcripts only, for both tools
    words = sum(t.words for t in written)
    qc, pandoc_dir, why_not = find_qc(args.qc)
    procs = Processes(tmp)
    env = dict(procs.env)
    if pandoc_dir is not None:
        env["PATH"] = f"{pandoc_dir}:{env.get('PATH', '')}"
    (tmp / "floor.py").write_text(FLOOR_SCRIPT)

    def fresh(name: str) -> Path:
        folder = tmp / name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        return folder

    def gtcode_import() -> tuple[Path, list[list[str]]]:
        folder = fresh("gtcode")
        return folder, [[str(GTCODE), "init", "."], [str(GTCODE), "import", str(tmp / "corpus")]]

    def qc_import(importer: str | None) -> tuple[Path, list[list[str]]]:
        folder = fresh("qc")                            # qc keeps its project (and its log) in the folder it runs in
        extra = ["--importer", importer] if importer else []
        return folder, [[str(qc), "init"], [str(qc), "corpus", "import", "--recursive", str(tmp / "corpus"), *extra]]

    runs: dict[str, list[tuple[float, float]]] = {"gtcode": [], "floor": []}
    tools = {"gtcode": gtcode_import,
             "floor": lambda: (tmp, [[sys.executable, str(tmp / "floor.py"), str(tmp / "corpus")]])}
    if why_not == "":
        tools |= {"qc": lambda: qc_import(None), "qc verbatim": lambda: qc_import("verbatim")}
        runs |= {"qc": [], "qc verbatim": []}
    else:
        log(f"peers: {why_not}; gtcode's figures alone")
    problems: list[str] = []
    for round_ in range(args.runs + 1):                 # the first round is a warm-up (file cache, bytecode)
        for name, steps in tools.items():
            seconds, peak = 0.0, 0.0
            folder, cmds = steps()
            for cmd in cmds:
                s, mib, code, tail = measured(cmd, env | {"HOME": str(tmp)}, cwd=folder)
                seconds, peak = seconds + s, max(peak, mib)
                if code != 0:
                    problems.append(f"{name}: {' '.join(cmd[:3])} … exited {code}: {tail}")
            if round_:
                runs[name].append((seconds, peak))
        if round_:
            log(f"peers: round {round_}: " + ", ".join(f"{k} {v[-1][0]:.1f} s" for k, v in runs.items()))
    medians = {k: {"s": round(statistics.median(s for s, _ in v), 2), "peak_mib": round(max(m for _, m in v))}
               for k, v in runs.items() if v}
    out = {"corpus": {"files": args.n, "words": words, "format": "txt"}, "runs": args.runs, "medians": medians,
           "target": TARGET, "peer": str(qc) if qc else None, "skipped": why_not or None, "problems": problems}
    if "qc" in medians:
        out["speedup_vs_qc"] = round(medians["qc"]["s"] / medians["gtcode"]["s"], 2)
        out["speedup_vs_qc_verbatim"] = round(medians["qc verbatim"]["s"] / medians["gtcode"]["s"], 2)
    out["gtcode_over_floor"] = round(medians["gtcode"]["s"] / medians["floor"]["s"], 2)
    return out


def print_result(r: dict) -> None:
    m = r["medians"]
    c = r["corpus"]
    print(f"Import beside a peer: {c['files']} interviews, {c['words']:,} words (.txt); whole processes, "
          f"median of {r['runs']} interleaved rounds")
    rows = [("gtcode init + import", "gtcode", "turns, segments, full-text index"),
            ("qc init + corpus import (pandoc)", "qc", "qc's default importer: pandoc per file, plain text"),
            ("qc corpus import --importer verbatim", "qc verbatim", "copies the files; keeps no structure"),
            ("floor: spaCy + readers + sentencizer", "floor", "no database; start-up included")]
    for label, key, note in rows:
        if key in m:
            print(f"  {label:40s} {m[key]['s']:7.2f} s  {m[key]['peak_mib']:5d} MiB   {note}")
    if "speedup_vs_qc" in r:
        ok = "met" if r["speedup_vs_qc"] >= r["target"] else "NOT MET"
        print(f"  gtcode vs qc's default importer: {r['speedup_vs_qc']:.2f}x as fast "
              f"(target >= {r['target']:.0f}x: {ok}); vs qc verbatim {r['speedup_vs_qc_verbatim']:.2f}x")
    else:
        print(f"  qc: skipped ({r['skipped']})")
    print(f"  gtcode / floor: {r['gtcode_over_floor']:.2f}x the floor's time")
    for p in r["problems"]:
        print(f"  Problem: {p}")


if __name__ == "__main__":
    main()
