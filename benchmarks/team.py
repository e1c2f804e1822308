"""gtcode team and exchange benchmarks: agreement, merge, REFI-QDA export/import and the thesis report.

    python benchmarks/team.py [--n 200] [--words 1500] [--codes 500] [--categories 60] [--codings 20000]

Builds the thesis-scale project of benchmarks/model.py, copies it for a
second coder who re-codes a fifth of the interviews (four in five passages the
same, the rest a segment later), then times: merging the copy back, agreement
by segment over the double-coded interviews, the disagreements of one code,
exporting and re-importing a .qdpx, and writing the Word report. Figures are
printed, never asserted.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from model import GTCODE, build, median_ms  # noqa: E402


def second_coder(copy: Path, share: float) -> int:
    """The second coder's pass in their copy: same codes, some passages moved a segment on."""
    from gtcode import Project
    from gtcode.coding import code_spans
    from gtcode.spans import Span

    with Project.open(copy, coder="second") as p:
        docs = [r[0] for r in p.store.all("SELECT id FROM documents ORDER BY id")]
        chosen = docs[: max(1, int(len(docs) * share))]
        marks = ",".join("?" * len(chosen))
        rows = p.store.all(f"SELECT c.code_id, c.document_id, s.ordinal FROM codings c JOIN segments s ON "
                           f"s.document_id = c.document_id AND s.start_char = c.start_char WHERE c.document_id IN "
                           f"({marks}) ORDER BY c.id", chosen)
        segs = {(r[0], r[1]): (r[2], r[3]) for r in p.store.all(
            f"SELECT document_id, ordinal, start_char, end_char FROM segments WHERE document_id IN ({marks})",
            chosen)}
        paths = {c.id: c.path for c in p.codes.list()}
        made = 0
        with p.transaction() as txn:
            for i, (code_id, doc, ordinal) in enumerate(rows):
                n = ordinal + 1 if i % 5 == 4 and (doc, ordinal + 1) in segs else ordinal
                start, end = segs[(doc, n)]
                made += code_spans(p.store, txn, [paths[code_id]], [Span(doc, start, end, "bench")])["added"]
        return made


def run(args_list: list[str], cwd: Path) -> float:
    t = time.perf_counter()
    subprocess.run([str(GTCODE), *args_list], cwd=cwd, check=False, capture_output=True)
    return (time.perf_counter() - t) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--words", type=int, default=1500)
    ap.add_argument("--codes", type=int, default=500)
    ap.add_argument("--categories", type=int, default=60)
    ap.add_argument("--codings", type=int, default=20000)
    ap.add_argument("--share", type=float, default=0.2, help="Share of interviews the second coder codes.")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()

    from gtcode import Project
    from gtcode.exchange import export_qdpx, import_exchange_file
    from gtcode.report.thesis import write_report
    from gtcode.team.merge import merge_project

    tmp = Path(tempfile.mkdtemp(prefix="gtcode-team-"))
    try:
        t = time.perf_counter()
        folder = build(tmp, args)
        db = folder / "gtcode.db"
        copy = tmp / "second.db"
        shutil.copy(db, copy)
        made = second_coder(copy, args.share)
        print(f"project: {args.n} interviews, {args.codes} codes, ~{args.codings:,} codings; second coder "
              f"made {made:,} codings in {int(args.n * args.share)} interviews; built in {time.perf_counter() - t:.1f} s")
        with Project.open(db, coder="bench") as p:
            t = time.perf_counter()
            report = merge_project(p, copy)
            codings = report.to_dict()["counts"].get("codings", {})
            print(f"  library: merge                        {(time.perf_counter() - t) * 1000:8.1f} ms "
                  f"(codings: {codings})")
            t = time.perf_counter()
            again = merge_project(p, copy)
            print(f"  library: merge again (nothing new)    {(time.perf_counter() - t) * 1000:8.1f} ms "
                  f"(changed: {bool(again.changed)})")
            ag = p.team.agreement()
            print(f"  library: agreement by segment         {median_ms(lambda: p.team.agreement(), args.runs):8.1f} ms "
                  f"({len(ag.codes)} codes × {ag.units:,} segments; kappa {ag.overall.kappa:.3f})")
            print(f"  library: agreement by document        "
                  f"{median_ms(lambda: p.team.agreement(unit='document'), args.runs):8.1f} ms")
            code = ag.codes[0].code
            print(f"  library: disagreements of one code    "
                  f"{median_ms(lambda: p.team.disagreements(code), args.runs):8.1f} ms")
            t = time.perf_counter()
            export_qdpx(p, tmp / "study.qdpx")
            print(f"  library: export qdpx                  {(time.perf_counter() - t) * 1000:8.1f} ms "
                  f"({(tmp / 'study.qdpx').stat().st_size / 1e6:.1f} MB)")
            t = time.perf_counter()
            write_report(p, tmp / "report.docx")
            print(f"  library: report docx                  {(time.perf_counter() - t) * 1000:8.1f} ms")
        fresh = Project.init(tmp / "fresh", coder="bench")
        t = time.perf_counter()
        import_exchange_file(fresh, tmp / "study.qdpx")
        print(f"  library: import qdpx (fresh project)  {(time.perf_counter() - t) * 1000:8.1f} ms")
        fresh.close()
        print(f"  process: gtcode agreement                    {run(['agreement'], folder):6.0f} ms")
        print(f"  process: gtcode export codings               "
              f"{run(['export', 'codings', '-o', str(tmp / 'c.csv')], folder):6.0f} ms")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
