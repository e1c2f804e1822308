"""gtcode model benchmarks: model show, model check, model export and cooccur at thesis scale.

    python benchmarks/model.py [--n 200] [--words 1500] [--codes 500] [--categories 60] [--codings 20000]

Builds a project of `--n` synthetic interviews (benchmarks/corpus.py), then
500 codes under 60 categories, random codings and a relation from every
category to a core category, and times (medians) the library calls and the
whole `gtcode` processes. Issue 5 asks that they "stay interactive".
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

GTCODE = Path(sys.executable).with_name("gtcode")


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def build(tmp: Path, args) -> Path:
    from gtcode import Project
    from gtcode.coding import code_spans
    from gtcode.spans import Span

    files = corpus.generate(tmp / "corpus", args.n, args.words, formats=("txt",))
    p = Project.init(tmp / "project", name="model bench", coder="bench")
    p.docs.import_paths([f.path for f in files])
    rng = random.Random(0)
    with p.transaction() as txn:
        from gtcode.codes import add_code
        from gtcode.model import new_category
        core = new_category(p.store, txn, "Engagement")
        cats = [new_category(p.store, txn, f"Category {i:02d}") for i in range(args.categories)]
        codes = [add_code(p.store, txn, f"Code {i:03d}", cats[i % len(cats)].path, record=False)
                 for i in range(args.codes)]
        segs = p.store.all("SELECT document_id, start_char, end_char FROM segments")
        by_code: dict[int, list] = {}
        for s in rng.sample(segs, min(args.codings, len(segs))):
            by_code.setdefault(rng.randrange(len(codes)), []).append(Span(s[0], s[1], s[2], "bench"))
        for i, spans in by_code.items():
            code_spans(p.store, txn, [codes[i].path], spans)
    for i, cat in enumerate(cats):
        evidence = [x.address for x in p.coding.passages(cat.path)[:3]]
        p.model.relate(cat.path, "hinders" if i % 2 else "facilitates", core.path, evidence=evidence)
    p.model.set_core(core.path)
    p.close()
    return tmp / "project"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--words", type=int, default=1500)
    ap.add_argument("--codes", type=int, default=500)
    ap.add_argument("--categories", type=int, default=60)
    ap.add_argument("--codings", type=int, default=20000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()

    from gtcode import Project

    tmp = Path(tempfile.mkdtemp(prefix="gtcode-model-"))
    try:
        t0 = time.perf_counter()
        folder = build(tmp, args)
        print(f"project: {args.n} interviews, {args.codes} codes, {args.categories} categories, "
              f"~{args.codings:,} codings; built in {time.perf_counter() - t0:.1f} s")
        p = Project.open(folder)
        rows = [("library: model show", lambda: p.model.show("role")),
                ("library: model check", lambda: p.model.check()),
                ("library: relations", lambda: p.model.relations())]
        try:
            from gtcode.report.diagram.draw import export_model
            rows += [("library: model export svg", lambda: export_model(p, tmp / "m.svg")),
                     ("library: model export json", lambda: export_model(p, tmp / "m.json"))]
        except ImportError:
            pass
        try:
            from gtcode.analysis.cooccurrence import cooccurrence
            rows.append(("library: cooccur by segment", lambda: cooccurrence(p.store, by="segment")))
        except ImportError:
            pass
        for name, fn in rows:
            print(f"  {name:34} {median_ms(fn, args.runs):9.1f} ms")
        for argv in (["model", "show"], ["model", "check"], ["model", "export", "-o", str(tmp / "p.svg")],
                     ["cooccur"]):
            cmd = [str(GTCODE), "-p", str(folder), *argv]
            ms = median_ms(lambda: subprocess.run(cmd, capture_output=True), max(3, args.runs // 2))
            print(f"  process: gtcode {' '.join(argv[:2]):24} {ms:9.0f} ms")
        p.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
