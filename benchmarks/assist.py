"""gtcode local assistance: how good `suggest` and `similar` are, and how fast, on this machine.

    python benchmarks/assist.py [--n 200] [--words 1500] [--skip-quality] [--skip-speed] [--json]
                                [--wordllama-path FOLDER]

Quality, per dataset (the demo, and the public QualCoder sample `../shared/refi-qda/samples/qc-1.3.2/demo.qdpx`
when present). Held-out evaluation: leave one document out where a dataset has three or more documents, else
five folds over the coded passages. For each coded participant segment held out, the ranked codes are scored
top-1 (the first is one of its codes) and top-3 (any of its codes among the first three), for:

* majority: the three codes used most in the training part, for every passage;
* tfidf-knn: the 15 nearest coded passages (TF-IDF cosine) vote, without the codebook;
* gtcode: what `gtcode suggest` does (the same neighbours plus each code's definition as a voter);
* linear: one-vs-rest logistic regression (scikit-learn, classes balanced) on the same TF-IDF rows, the code
  definitions among them, codes ranked by probability; linear+knn: w × its scores + (1 - w) × gtcode's, each
  divided by its best. C and w are picked on the demo only (by top-3, then top-1) and reused unchanged;
* when wordllama is installed (the `ai` extra, loaded by `gtcode.assist.embedding`; or, with `--wordllama-path
  FOLDER`, from a folder `pip install --target`-ed): wl-knn, the same vote over wordllama's static embedding
  (256 dimensions, shipped in its wheel, loaded by explicit path), and wl+tfidf-knn / -linear / -lin+knn over
  TF-IDF and the embedding side by side. wl+tfidf-knn is what `suggest` does with the extra (its `Suggester`
  given the embedding); gtcode is what it does without. If it cannot be loaded, the line says why and the rest
  is measured.

Each figure comes with the seconds its whole held-out run took (features, fitting and ranking). The quality runs
are wrapped in a guard that refuses every socket connection and host lookup and reports any attempted.

For `similar`: how often the nearest coded passage in another document shares a code with the passage (top-1,
and any of the five nearest), against the chance that a random coded passage elsewhere does.

Speed, on a synthetic project of `--n` interviews (benchmarks/corpus.py) coded by the starter codebook's
autocoding: the stored index's build time and size, its refresh after one edited document, `similar` latency
(median of 5, library call in a warm process; and `gtcode similar` as a whole command, median of 7, beside
`gtcode --help` and a minimal Typer app timed in turn with it) and `suggest` over the whole project, each beside
the goal the issue sets. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
QC = REPO.parent / "shared" / "refi-qda" / "samples" / "qc-1.3.2" / "demo.qdpx"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def folds(passages) -> list[list[int]]:
    """Indices held out together: one document at a time, or five folds when there are fewer than 3 documents."""
    docs = sorted({p.document_id for p in passages})
    if len(docs) >= 3:
        return [[i for i, p in enumerate(passages) if p.document_id == d] for d in docs]
    return [[i for i in range(len(passages)) if i % 5 == f] for f in range(5)]


def _score(ranked: list[list[str]], gold: list[list[str]]) -> tuple[int, int]:
    top1 = sum(bool(r) and r[0] in g for r, g in zip(ranked, gold))
    top3 = sum(bool(set(r[:3]) & set(g)) for r, g in zip(ranked, gold))
    return top1, top3


#: what the benchmark compares, in the order printed (the wordllama ones only when it loads)
METHODS = ("majority", "tfidf-knn", "gtcode", "linear", "linear+knn")
WL_METHODS = ("wl-knn", "wl+tfidf-knn", "wl+tfidf-linear", "wl+tfidf-lin+knn")
#: LogisticRegression's inverse regularisation, and the weights the linear+kNN mixes try: both picked on the
#: demo only (by top-3, then top-1) and then used unchanged on every other dataset
C_GRID = (1.0, 10.0, 100.0)
MIX_GRID = tuple(round(0.1 * i, 1) for i in range(11))


def _top(scores: dict[str, float], k: int = 3) -> list[str]:
    return sorted(scores, key=lambda c: (-scores[c], c))[:k]


def _votes(model, sims) -> list[dict[str, float]]:
    """Each row's code → share of its nearest neighbours' similarity: `suggest`'s own vote (`Suggester._rank`)."""
    return [{s.code: s.score for s in model._rank(row, 10 ** 6, set())} for row in sims]


def _linear(x, labels, x_test, c: float) -> list[dict[str, float]]:
    """One-vs-rest logistic regression (classes balanced; liblinear, which fits these small sparse problems some
    five times faster than the default lbfgs, to the same figures): each code's probability for each test row."""
    import warnings

    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.preprocessing import MultiLabelBinarizer

    binarizer = MultiLabelBinarizer()
    y = binarizer.fit_transform(labels)
    with warnings.catch_warnings():   # a code on every training row is predicted constantly, as it should be
        warnings.simplefilter("ignore", UserWarning)
        model = OneVsRestClassifier(LogisticRegression(C=c, class_weight="balanced", solver="liblinear",
                                                       random_state=0)).fit(x, y)
    return [dict(zip(binarizer.classes_, map(float, row))) for row in model.predict_proba(x_test)]


def _mix(linear: dict[str, float], knn: dict[str, float], w: float) -> dict[str, float]:
    """w × linear + (1 - w) × kNN, each first divided by its row's best score."""
    top_l, top_k = max(linear.values(), default=0) or 1, max(knn.values(), default=0) or 1
    return {c: w * linear.get(c, 0) / top_l + (1 - w) * knn.get(c, 0) / top_k for c in set(linear) | set(knn)}


def _unit(rows):
    import numpy

    norms = numpy.linalg.norm(rows, axis=1, keepdims=True)
    return numpy.divide(rows, norms, out=numpy.zeros_like(rows), where=norms > 0)


class Split:
    """One held-out part of a dataset: the training passages plus the codebook's definitions (labelled rows, as
    `suggest` has them), the test texts, and their TF-IDF (and, given, static-embedding) features."""

    def __init__(self, train, codes, test, embedded=None):
        from gtcode.assist.suggest import Suggester, code_profile
        from gtcode.assist.vectors import Weights, hashed_counts, stack

        self.train, self.test, self.codes = train, test, codes
        self.labels = [p.codes for p in train] + [[c.path] for c in codes]
        weights = Weights(stack([hashed_counts([p.text for p in train]),
                                 hashed_counts([code_profile(c) for c in codes])]))
        self.x = weights.rows.csr()
        self.x_test = weights.transform(hashed_counts([p.text for p in test])).csr()
        self.embedded = embedded
        if embedded is not None:
            self.knn = Suggester(train, codes)   # for its vote over other similarities
            self.e = _unit(embedded.embed([p.text for p in train] + [code_profile(c) for c in codes]))
            self.e_test = _unit(embedded.embed([p.text for p in test]))

    def both(self, test: bool):
        """TF-IDF and embedding side by side (each unit length, so a dot product is the mean of both cosines)."""
        from scipy.sparse import csr_matrix, hstack

        x, e = (self.x_test, self.e_test) if test else (self.x, self.e)
        return hstack([x, csr_matrix(e)]).tocsr()

    def run(self, method: str, c: float) -> list[dict[str, float]]:
        from gtcode.assist.suggest import Suggester

        if method in ("tfidf-knn", "gtcode"):   # exactly what suggest does, with and without the codebook
            model = Suggester(self.train, self.codes if method == "gtcode" else [])
            return [{s.code: s.score for s in r} for r in model.rank([p.text for p in self.test], 10 ** 6)]
        if method == "linear":
            return _linear(self.x, self.labels, self.x_test, c)
        if method == "wl-knn":
            return _votes(self.knn, self.e_test @ self.e.T)
        if method == "wl+tfidf-knn":   # exactly what suggest does with the ai extra
            model = Suggester(self.train, self.codes, embedding=self.embedded)
            return [{s.code: s.score for s in r} for r in model.rank([p.text for p in self.test], 10 ** 6)]
        if method == "wl+tfidf-linear":
            return _linear(self.both(False), self.labels, self.both(True), c)
        raise ValueError(method)


#: the combinations, and the two rankings each mixes
MIXES = {"linear+knn": ("linear", "gtcode"), "wl+tfidf-lin+knn": ("wl+tfidf-linear", "wl+tfidf-knn")}


def suggest_quality(store, *, embedded=None, tuned: dict | None = None) -> dict:
    """Held-out top-1/top-3 of every method, and each one's time over all the held-out parts. `tuned` holds C and
    the mixing weight picked on the demo; when None they are picked here (the demo run)."""
    from gtcode.assist.passages import load_passages
    from gtcode.assist.suggest import code_profile
    from gtcode.codes import all_codes

    coded = [p for p in load_passages(store, "segment") if p.coded]
    codes = [c for c in all_codes(store) if code_profile(c).strip()]
    methods = [m for m in METHODS + WL_METHODS if m not in MIXES and m != "majority"
               and (embedded is not None or not m.startswith("wl"))]
    cs = C_GRID if tuned is None else (tuned["C"],)
    scores = {(m, c): [] for m in methods for c in (cs if "linear" in m else (None,))}
    seconds = Counter()
    gold, majority = [], []
    for held in folds(coded):
        out = set(held)
        train = [p for i, p in enumerate(coded) if i not in out]
        test = [coded[i] for i in held]
        gold += [p.codes for p in test]
        start = time.perf_counter()
        common = [c for c, _ in Counter(c for p in train for c in p.codes).most_common(3)]
        majority += [common] * len(test)
        seconds["majority", None] += time.perf_counter() - start
        start = time.perf_counter()
        split = Split(train, codes, test, embedded)
        features = time.perf_counter() - start   # counted in the time of every method that reads them
        for m, c in scores:
            start = time.perf_counter()
            scores[m, c] += split.run(m, c)
            seconds[m, c] += time.perf_counter() - start + (features if m not in ("tfidf-knn", "gtcode") else 0)
    n = len(coded)
    if tuned is None:
        tuned = {"C": max(cs, key=lambda c: _score([_top(s) for s in scores["linear", c]], gold)[::-1])}
    chosen = [(m, c) for m, c in scores if c is None or c == tuned["C"]]
    best = {m: scores[m, c] for m, c in chosen}
    took = {m: seconds[m, c] for m, c in chosen} | {"majority": seconds["majority", None]}
    ranked = {"majority": majority} | {m: [_top(s) for s in best[m]] for m in best}
    if "w" not in tuned:
        tuned["w"] = max(MIX_GRID, key=lambda w: _score([_top(_mix(a, b, w)) for a, b in
                                                          zip(best["linear"], best["gtcode"])],
                                                         gold)[::-1])
    for mix, (a, b) in MIXES.items():
        if a in best:
            ranked[mix] = [_top(_mix(x, y, tuned["w"])) for x, y in zip(best[a], best[b])]
            took[mix] = took[a] + took[b]
    results = {}
    for name, r in ranked.items():
        a, b = _score(r, gold)
        results[name] = {"top1": round(a / n, 3), "top3": round(b / n, 3), "seconds": round(took[name], 2)}
    return {"passages": n, "codes": len({c for p in coded for c in p.codes}),
            "documents": len({p.document_id for p in coded}), "evaluation": "leave one document out"
            if len({p.document_id for p in coded}) >= 3 else "5 folds over passages",
            "tuned": dict(tuned), "methods": results}


def similar_quality(store) -> dict:
    from gtcode.assist.passages import load_passages
    from gtcode.assist.vectors import Weights, hashed_counts

    coded = [p for p in load_passages(store, "segment") if p.coded]
    weights = Weights(hashed_counts([p.text for p in coded]))   # as `similar` weighs the stored counts
    sims = weights.similarities(weights.rows)
    top1 = top5 = n = 0
    rng = random.Random(0)
    chance = []
    for i, p in enumerate(coded):
        other = [j for j in range(len(coded)) if coded[j].document_id != p.document_id]
        if not other:
            continue
        order = sorted(other, key=lambda j: -sims[i, j])
        shares = [bool(set(coded[j].codes) & set(p.codes)) for j in order[:5]]
        n += 1
        top1 += shares[0]
        top5 += any(shares)
        chance.append(bool(set(coded[rng.choice(other)].codes) & set(p.codes)))
    if not n:
        return {"passages": 0}
    return {"passages": n, "nearest_shares_code": round(top1 / n, 3), "any_of_5_shares_code": round(top5 / n, 3),
            "random_shares_code": round(sum(chance) / len(chance), 3)}


class NoNetwork:
    """While active, every attempt to open a connection or look up a host raises, and is listed in `attempts`:
    a method that tries to reach the network fails loudly here instead of quietly contacting a server."""

    PATCHED = (("socket", "connect"), ("socket", "connect_ex"), (None, "create_connection"), (None, "getaddrinfo"))

    def __init__(self):
        self.attempts: list[str] = []
        self.saved = []

    def __enter__(self) -> "NoNetwork":
        import socket

        def refuse(name, method):
            def refused(*args, **kwargs):
                self.attempts.append(f"{name}{args[1:] if method else args}")   # (a method's first is the socket)
                raise OSError(f"network blocked by the benchmark: {name}")
            return refused

        for owner, name in self.PATCHED:
            target = getattr(socket, owner) if owner else socket
            self.saved.append((target, name, getattr(target, name)))
            setattr(target, name, refuse(f"socket.{owner + '.' if owner else ''}{name}", bool(owner)))
        return self

    def __exit__(self, *exc) -> None:
        for target, name, original in self.saved:
            setattr(target, name, original)


#: the files wordllama's wheel ships, read by explicit path
WL_WEIGHTS, WL_TOKENIZER = "weights/l2_supercat_256.safetensors", "tokenizers/l2_supercat_tokenizer_config.json"


def load_wordllama(folder: Path):
    """wordllama's bundled static embedding, from a folder it was `pip install --target`-ed into: (a function
    embedding a list of texts, a description). gtcode's own loader (`gtcode.assist.embedding`) does the same
    for the installed package. Its own `WordLlama.load()` is not used: it looks for the tokenizer
    in `wordllama/tokenizer/` (the wheel ships `tokenizers/`), then in a cache, then downloads it."""
    import importlib

    importlib.import_module("numpy")   # the project's numpy first: the folder holds a copy of its own
    sys.path.insert(0, str(folder))
    try:
        import wordllama
        from safetensors import safe_open
        from tokenizers import Tokenizer
        from wordllama.inference import WordLlamaInference
    finally:
        sys.path.remove(str(folder))
    import logging

    logging.getLogger().setLevel(logging.WARNING)   # wordllama's import turns every library's INFO logging on
    root = Path(wordllama.__file__).parent
    with safe_open(str(root / WL_WEIGHTS), framework="np", device="cpu") as f:
        table = f.get_tensor("embedding.weight")
    model = WordLlamaInference(table, Tokenizer.from_file(str(root / WL_TOKENIZER)))
    return (lambda texts: model.embed(list(texts))), f"wordllama {wordllama.__version__}, {table.shape[1]} dims"


def _wordllama(folder: Path | None) -> tuple[object, dict]:
    """The embedding, from `folder` or (None) the installed package through gtcode's loader, and how it went."""
    start = time.perf_counter()
    try:
        if folder is None:
            from gtcode.assist import embedding

            embedded = embedding.load()
            info = embedded.info
            name = f"{info['embedding']} (installed), {info['dims']} dims, weights {info['weights_sha256']}"
        else:
            embed, name = load_wordllama(folder)
            embedded = SimpleNamespace(embed=embed)   # the form Suggester takes (`Embedding.embed`)
        embedded.embed(["a first sentence to warm it up"])
    except Exception as e:   # not installed, or its files missing: say why and measure the rest
        where = f"from {folder}" if folder else "(pip install 'gtcode[ai]', or give --wordllama-path)"
        return None, {"status": f"not measured: could not load {where}: {type(e).__name__}: {e}"}
    return embedded, {"status": f"{name}, loaded offline in {time.perf_counter() - start:.2f} s"}


def quality(tmp: Path, wordllama_path: Path | None = None) -> dict:
    from gtcode.demo import build_demo

    with NoNetwork() as guard:
        embed, out = _wordllama(wordllama_path)
        out = {"wordllama": out}
        log("quality: building the demo")
        demo = build_demo(tmp / "demo").project
        out["demo"] = suggest_quality(demo.store, embedded=embed) | {"similar": similar_quality(demo.store)}
        demo.close()
        if QC.is_file():
            from gtcode import Project
            from gtcode.exchange.qdpx_import import import_qdpx

            log("quality: importing the QualCoder sample")
            qc = Project.init(tmp / "qc", coder="bench")
            import_qdpx(qc, QC)
            out["qualcoder-sample"] = (suggest_quality(qc.store, embedded=embed, tuned=dict(out["demo"]["tuned"]))
                                       | {"similar": similar_quality(qc.store)})
            qc.close()
    out["wordllama"]["network_attempts"] = guard.attempts
    return out


#: goals for the stored index on a 200-interview project: `similar`'s from issue 17 ("well under a second"; 0.3 s
#: for the library call), the rest set with it. Printed beside the figures, never asserted.
GOALS = {"index_build_s": "one-off, a few seconds", "refresh_one_edit_s": "< 0.5 s",
         "similar_median_s": "<= 0.3 s", "similar_command_s": "<= 0.5 s, 'well under a second'",
         "index_mb": "a few MB"}

def command_times(project: Path, address: str, tmp: Path, runs: int = 7) -> dict:
    """Median wall time (s) of whole processes, what a researcher waits for (start-up, imports, the run, the
    output): `gtcode similar ADDRESS` on an up-to-date index, turn about with two floors, `gtcode --help` and
    the minimal two-command Typer app the start-up benchmarks use (`run.py`), in `run.py`'s environment (no
    user config, bytecode cached as an installed gtcode's is, each command run once untimed first)."""
    from run import MINIMAL_APP, Processes

    floor = tmp / "minimal_typer_app.py"
    floor.write_text(MINIMAL_APP, encoding="utf-8")
    procs = Processes(tmp)
    gtcode = [sys.executable, "-m", "gtcode"]
    medians = procs.interleaved_many({"similar_command_s": [*gtcode, "-p", str(project), "similar", address],
                                      "help_command_s": [*gtcode, "--help"],
                                      "typer_floor_s": [sys.executable, str(floor), "bye"]}, runs)
    if procs.problems:
        raise SystemExit("; ".join(procs.problems))
    return {name: round(ms / 1000, 2) for name, ms in medians.items()}


def _edit_one(p, passages) -> None:
    """Change one participant sentence of one document (a word added), as `gtcode docs edit` would."""
    target = next(x for x in passages if len(x.text.split()) > 8)
    text = p.docs.text(target.document_id)
    fixed = text[:target.start] + target.text.replace(" ", " indeed ", 1) + text[target.end:]
    p.docs.edit(f"D{target.document_id}", fixed, force=True)


def speed(tmp: Path, n: int, words: int) -> dict:
    from gtcode import Project
    from gtcode.assist.index import status
    from gtcode.assist.passages import load_passages
    from gtcode.assist.vectors import Index

    log(f"speed: building a {n}-interview project and autocoding it with the starter codebook")
    written = corpus.generate(tmp / "corpus", n, words)
    p = Project.init(tmp / "big", coder="bench")
    p.docs.import_paths([t.path for t in written])
    p.codebook.import_file(REPO / "codebooks" / "vig-engagement.yml")
    p.review.autocode()
    p.review.accept(all_pending=True)
    passages = load_passages(p.store, "segment")
    start = time.perf_counter()
    Index.build([x.text for x in passages])
    fitted_s = time.perf_counter() - start          # what every run cost before the index was stored
    log("speed: building the stored index")
    start = time.perf_counter()
    built = p.assist.index()
    build_s = time.perf_counter() - start
    _edit_one(p, passages)
    start = time.perf_counter()
    refreshed = p.assist.index()
    refresh_s = time.perf_counter() - start
    address = next(x.address for x in passages if len(x.text.split()) > 8)
    times = []
    for _ in range(5):
        t = time.perf_counter()
        p.assist.similar(address)
        times.append(time.perf_counter() - t)
    p.close()   # the commands run as a researcher's would, with no other process holding the project
    commands = command_times(p.path, address, tmp)
    p = Project.open(p.path, coder="bench")
    # half the documents lose their codings: suggest continues the coding over them
    with p.store.conn:
        p.store.conn.execute("DELETE FROM codings WHERE document_id % 2 = 0")
    t = time.perf_counter()
    run = p.assist.suggest()
    suggest_s = time.perf_counter() - t
    held = status(p.store)
    p.close()
    return {"documents": n, "participant_segments": len(passages), "tfidf_fit_s": round(fitted_s, 2),
            "index_build_s": round(build_s, 2), "index_segments": built["segments"],
            "index_mb": round(held["bytes"] / 1e6, 2), "refresh_one_edit_s": round(refresh_s, 3),
            "refresh_counted": refreshed["counted"], "refresh_reused": refreshed["reused"],
            "similar_median_s": round(statistics.median(times), 3),
            **commands, "suggest_all_s": round(suggest_s, 2), "suggest_passages": len(run.items)}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--words", type=int, default=1500)
    ap.add_argument("--skip-quality", action="store_true")
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--wordllama-path", type=Path, help="a folder wordllama was pip-installed into with --target "
                    "(default: the installed package, the ai extra)")
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="gtcode-assist-"))
    try:
        result = {"quality": {} if args.skip_quality else quality(tmp, args.wordllama_path)}
        if not args.skip_speed:
            result["speed"] = speed(tmp, args.n, args.words)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    if result["quality"]:
        wl = result["quality"].pop("wordllama")
        attempts = "; ".join(wl["network_attempts"]) or "none"
        print("Suggestion quality (held out; top-1 / top-3; seconds for the whole held-out run):")
        print(f"  wordllama: {wl['status']}; connections attempted: {attempts}")
    for name, q in result["quality"].items():
        print(f"  {name}: {q['passages']} coded passages, {q['codes']} codes, {q['documents']} documents, "
              f"{q['evaluation']}; linear C={q['tuned']['C']:g}, mix weight w={q['tuned']['w']:g} (from the demo)")
        for method in METHODS + WL_METHODS:
            if method in q["methods"]:
                m = q["methods"][method]
                print(f"    {method:<17} {m['top1']:.3f} / {m['top3']:.3f}   {m['seconds']:.2f} s")
        s = q["similar"]
        if not s["passages"]:
            print("    similar: no coded passages in more than one document")
            continue
        print(f"    similar: nearest passage in another document shares a code {s['nearest_shares_code']:.3f}, "
              f"one of 5 nearest {s['any_of_5_shares_code']:.3f}, a random one {s['random_shares_code']:.3f}")
    if "speed" in result:
        s = result["speed"]
        print(f"Speed ({s['documents']} interviews, {s['participant_segments']:,} participant segments; each figure "
              "beside its goal, issue 17's or set here):")
        print(f"  stored index: built in {s['index_build_s']} s (goal: {GOALS['index_build_s']}), "
              f"{s['index_segments']:,} segments, {s['index_mb']} MB (goal: {GOALS['index_mb']})")
        print(f"  refresh after one edited document {s['refresh_one_edit_s']} s (goal: {GOALS['refresh_one_edit_s']}):"
              f" {s['refresh_counted']} segment(s) counted, {s['refresh_reused']} kept")
        print(f"  similar (one passage, library call, median of 5) {s['similar_median_s']} s "
              f"(goal: {GOALS['similar_median_s']}); fitting TF-IDF on the text, as each run did before, "
              f"takes {s['tfidf_fit_s']} s alone")
        print(f"  gtcode similar as a command (new process, imports included, median of 7) "
              f"{s['similar_command_s']} s (goal: {GOALS['similar_command_s']}); in the same run "
              f"'gtcode --help' takes {s['help_command_s']} s and a minimal two-command Typer app "
              f"{s['typer_floor_s']} s")
        print(f"  suggest over {s['suggest_passages']:,} uncoded passages {s['suggest_all_s']} s")


if __name__ == "__main__":
    main()
