"""gtcode autocoding benchmark: a 2M-word project, 50 patterns, against spaCy's matchers run alone.

    python benchmarks/autocode.py [--n 1000] [--words 2000] [--patterns 50] [--keep]

Target (issue 3): autocoding runs at ≥ 50 % of the speed of the same spaCy
matchers run alone over the same participant segments. "The same matchers"
are what autocode uses: PhraseMatchers on LOWER and on LEMMA (lookup
lemmatizer), fed by `nlp.pipe`. spaCy is loaded before anything is timed.
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
TARGET = 0.50


def fifty_patterns(n: int, out: Path) -> Path:
    """The shipped starter codebook, its patterns trimmed to the first `n`."""
    import yaml

    data = yaml.safe_load((REPO / "codebooks" / "vig-engagement.yml").read_text(encoding="utf-8"))
    left = [n]

    def trim(codes):
        for c in codes:
            if "patterns" in c:
                c["patterns"] = c["patterns"][:max(left[0], 0)]
                left[0] -= len(c["patterns"])
                if not c["patterns"]:
                    del c["patterns"]
            trim(c.get("codes", []))

    trim(data["codes"])
    out.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return out


def best(fn, runs: int = 3):
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000, help="interviews (default 1000)")
    ap.add_argument("--words", type=int, default=2000, help="words each (default 2000: 2M words in all)")
    ap.add_argument("--patterns", type=int, default=50, help="patterns from the starter codebook (default 50)")
    ap.add_argument("--keep", action="store_true", help="keep the project (path on stderr)")
    args = ap.parse_args()

    from spacy.matcher import PhraseMatcher

    from gtcode import Project
    from gtcode.ingest import nlp as gnlp
    from gtcode.codebook.autocode import candidate_segments, rules_from_project

    tmp = Path(tempfile.mkdtemp(prefix="gtcode-autocode-"))
    try:
        t0 = time.perf_counter()
        files = corpus.generate(tmp / "corpus", args.n, args.words, formats=("txt",))
        project = Project.init(tmp / "project", name="autocode bench", coder="bench")
        report = project.docs.import_paths([f.path for f in files])
        words_all = sum(o.words for o in report.outcomes)
        project.codebook.import_file(fifty_patterns(args.patterns, tmp / "book.yml"))
        print(f"project: {args.n} interviews, {words_all:,} words, built in {time.perf_counter() - t0:.1f} s",
              file=sys.stderr)

        nlp = gnlp.load(lemmas=True)  # spaCy and its tables loaded before timing, for both sides
        texts = [s.text for s in candidate_segments(project.store, False)]
        words = sum(len(t.split()) for t in texts)
        phrases = [p for r in rules_from_project(project.store) for p in r.patterns if isinstance(p, str)]

        def matchers_alone():
            lower, lemma = PhraseMatcher(nlp.vocab, attr="LOWER"), PhraseMatcher(nlp.vocab, attr="LEMMA")
            docs = list(nlp.pipe(p.lower() for p in phrases))
            lower.add("p", docs)
            lemma.add("p", docs)
            hits = 0
            with nlp.select_pipes(enable=["lemmatizer"]):
                for doc in nlp.pipe((t.lower() for t in texts), batch_size=1000):
                    hits += bool(lower(doc) or lemma(doc))
            return hits

        alone, hits = best(matchers_alone)
        dry, result = best(lambda: project.review.autocode(dry_run=True))

        def write():
            r = project.review.autocode()
            project.history.undo()
            return r
        wet, written = best(write, runs=1)
        print(f"autocoding benchmark: {len(texts):,} participant segments, {words:,} words, {len(phrases)} patterns")
        print(f"  spaCy matchers alone (LOWER + LEMMA)   {alone:6.2f} s  {words / alone:>12,.0f} words/s  "
              f"({hits:,} segments matched)")
        print(f"  gtcode autocode --dry-run              {dry:6.2f} s  {words / dry:>12,.0f} words/s  "
              f"({result.matched:,} suggestions)  = {alone / dry:.0%} of the matchers' speed")
        print(f"  gtcode autocode (writes pending)       {wet:6.2f} s  {words / wet:>12,.0f} words/s  "
              f"({written.added:,} codings)  = {alone / wet:.0%} of the matchers' speed "
              f"(target >= {TARGET:.0%}: {'met' if alone / wet >= TARGET else 'NOT MET'})")
        project.close()
    finally:
        if args.keep:
            print(f"kept: {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
