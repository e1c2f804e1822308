"""gtcode benchmarks: import throughput against its floor, peak memory, read latency, start-up.

    python benchmarks/run.py [--n 40] [--words 2000] [--big 200] [--big-words 1500] [--json] [--keep]

Figures are printed, never asserted: these are measurements, not tests. Each
figure is set beside a floor or a baseline measured in the same run on the
same machine, so the ratios mean something even on a slow or busy machine.
See benchmarks/README.md for what each figure means and the targets.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from multiprocessing import get_context
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

GTCODE = Path(sys.executable).with_name("gtcode")   # the console script of this environment
FLOOR_TARGET = 0.50       # import words/s at least half the floor's
STARTUP_TARGET = 1.20     # a read command at most 1.2x the minimal two-command Typer app
#: The floor of start-up: the smallest Typer app with two commands (so a group, as gtcode's is), run as `bye`.
#: benchmarks/scale.py sets its process figures beside the same app.
MINIMAL_APP = '''\
import typer

app = typer.Typer()


@app.command()
def hello(name: str = "world") -> None:
    print("hello", name)


@app.command()
def bye() -> None:
    print("bye")


if __name__ == "__main__":
    app()
'''
#: A second reference, as a real read command is built: one option and a Rich table. Typer converts the
#: option through a pydantic TypeAdapter (importing pydantic and its plugin loader), and a table needs Rich.
TYPICAL_APP = '''\
from typing import Annotated

import typer

app = typer.Typer()


@app.command()
def hello(name: Annotated[str, typer.Option(help="who")] = "hello") -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table()
    table.add_column("greeting")
    table.add_row(name)
    Console().print(table)


if __name__ == "__main__":
    app()
'''
#: The read commands timed against the floor (arguments after `gtcode -p PROJECT`).
STARTUP_COMMANDS = {"docs list": ["docs", "list"], "codes tree": ["codes", "tree"],
                    "retrieve CODE": ["retrieve", "Fear of judgement"], "docs list --json": ["docs", "list", "--json"]}


def log(message: str) -> None:
    """Progress on stderr, so stdout is only the table (or the JSON)."""
    print(message, file=sys.stderr, flush=True)


def peak_rss_mib() -> float:
    """This process's peak resident memory, in MiB.

    Linux: VmHWM from /proc/self/status. Not ru_maxrss there: Linux carries
    ru_maxrss across fork and exec, so a child reports at least its parent's
    peak (the corpus generator's, here). Elsewhere ru_maxrss (bytes on macOS).
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)


def measured(cmd: list[str], env: dict, cwd: str | Path | None = None) -> tuple[float, float, int, str]:
    """Run `cmd` once: (wall seconds, its own peak resident memory in MiB, exit code, last line of stderr).

    The peak is the child's VmHWM, read from /proc while it runs (a high-water mark, so the last reading holds
    all but its final moments). Not wait4's ru_maxrss: Linux carries that across fork and exec, so every child
    of a large benchmark process would report at least the benchmark's own peak. Elsewhere ru_maxrss."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=cwd)
        status_file, peak_kib = Path(f"/proc/{child.pid}/status"), 0
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            try:
                for line in status_file.read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peak_kib = max(peak_kib, int(line.split()[1]))
            except (OSError, ValueError):
                pass
            time.sleep(0.005)
        seconds = time.perf_counter() - start
        if not Path("/proc/self/status").exists():     # not Linux: no /proc to read
            peak_kib = usage.ru_maxrss // (1024 if sys.platform == "darwin" else 1)
        err.seek(0)
        tail = err.read().decode(errors="replace").strip().splitlines()
    return seconds, peak_kib / 1024, os.waitstatus_to_exitcode(status), (tail or ["?"])[-1]


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


class Processes:
    """Whole-process timings of commands, in one environment that no user config can change.

    Bytecode caching is on (into a private PYTHONPYCACHEPREFIX) even where the
    caller's environment sets PYTHONDONTWRITEBYTECODE: an installed gtcode has
    its .pyc files, and without them every start would compile gtcode's sources.
    Each command runs once untimed first, to fill that cache.
    """

    def __init__(self, tmp: Path):
        drop = ("GTCODE_PROJECT", "PYTHONDONTWRITEBYTECODE")
        self.env = {k: v for k, v in os.environ.items() if k not in drop}
        self.env["GTCODE_CONFIG"] = str(tmp / "no-such-config.toml")
        self.env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
        self.problems: list[str] = []
        self.warm: set[tuple[str, ...]] = set()

    def once(self, cmd: list[str]) -> float:
        if tuple(cmd) not in self.warm:
            self.warm.add(tuple(cmd))
            self.once(cmd)
        start = time.perf_counter()
        done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=self.env, text=True)
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            tail = done.stderr.strip().splitlines()[-1:] or ["(no message)"]
            problem = f"{' '.join(cmd[1:])}: exit {done.returncode}: {tail[0]}"
            if problem not in self.problems:
                self.problems.append(problem)
        return elapsed

    def median_ms(self, cmd: list[str], runs: int) -> float:
        return statistics.median(self.once(cmd) for _ in range(runs)) * 1000

    def interleaved_many(self, cmds: dict[str, list[str]], runs: int) -> dict[str, float]:
        """Median ms of each command, all run turn about `runs` times, so load falls on each alike."""
        times: dict[str, list[float]] = {label: [] for label in cmds}
        for _ in range(runs):
            for label, cmd in cmds.items():
                times[label].append(self.once(cmd))
        return {label: statistics.median(t) * 1000 for label, t in times.items()}

    def import_profile(self, cmd: list[str], top: int = 6) -> dict:
        """Import time (ms) of a command, total and by top-level package, from `python -X importtime`.

        Self times are summed, so packages add up to the total; the standard
        library counts as one package.
        """
        done = subprocess.run([sys.executable, "-X", "importtime", *cmd], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, env=self.env, text=True)
        by_package: dict[str, float] = {}
        for line in done.stderr.splitlines():
            parts = line.removeprefix("import time:").split("|")
            if len(parts) != 3 or not parts[0].strip().isdigit():
                continue
            package = parts[2].strip().split(".")[0]
            if package in sys.stdlib_module_names or package in sys.builtin_module_names:
                package = "stdlib"
            by_package[package] = by_package.get(package, 0.0) + int(parts[0]) / 1000
        ranked = sorted(by_package.items(), key=lambda kv: -kv[1])
        return {"total_ms": round(sum(by_package.values()), 1),
                "by_package_ms": {k: round(v, 1) for k, v in ranked[:top]}}


# --- import throughput, floor and peak RSS (in a fresh process) -----------------

def measure_import(files: list[str], work: str) -> dict:
    """Run in a fresh process: warm up, time the import, read peak RSS, then time the floor.

    The warm-up imports one file of each format into a throwaway project, so
    loading spaCy, the readers and SQLite is counted in neither figure. The
    import goes first so its peak RSS is not inflated by the floor's Docs.
    """
    import gtcode.ingest.nlp
    from gtcode import Project
    from gtcode.ingest import read_path

    paths = [Path(f) for f in files]
    with Project.init(Path(work) / "warm-up", name="warm-up", coder="bench") as project:
        project.docs.import_paths(list({p.suffix: p for p in paths}.values()))
    rss_warm = peak_rss_mib()

    start = time.perf_counter()
    with Project.init(Path(work) / "import", name="import benchmark", coder="bench") as project:
        report = project.docs.import_paths(paths)
    import_s = time.perf_counter() - start
    rss_peak = peak_rss_mib()

    # The floor: gtcode's own readers plus the sentencizer alone, no database.
    start = time.perf_counter()
    nlp = gtcode.ingest.nlp.load()
    texts = [doc.text[t.body_start:t.end] for path in paths for doc in read_path(path) for t in doc.turns
             if t.end > t.body_start]
    docs = list(nlp.pipe(texts, batch_size=256))
    sentences = sum(1 for doc in docs for _ in doc.sents)
    floor_s = time.perf_counter() - start

    return {"import_s": import_s, "floor_s": floor_s, "rss_warm": rss_warm, "rss_peak": rss_peak,
            "sentences": sentences, "turn_texts": len(texts),
            "outcomes": [{"source": o.source, "status": o.status, "message": o.message, "words": o.words,
                          "turns": o.turns, "segments": o.segments} for o in report.outcomes]}


def import_benchmark(tmp: Path, n: int, words: int, seed: int, problems: list[str]) -> dict:
    log(f"import: generating {n} transcripts of ~{words:,} words")
    written = corpus.generate(tmp / "corpus", n, words, seed=seed)
    log("import: warm-up, import and floor in a fresh process")
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        r = pool.submit(measure_import, [str(t.path) for t in written], str(tmp / "import-work")).result()
    check_outcomes(written, r["outcomes"], problems)
    total = sum(o["words"] for o in r["outcomes"] if o["status"] == "imported")
    return {
        "files": n, "words": total, "formats": sorted({t.path.suffix[1:] for t in written}),
        "import_s": round(r["import_s"], 3), "import_words_per_s": round(total / r["import_s"]),
        "floor_s": round(r["floor_s"], 3), "floor_words_per_s": round(total / r["floor_s"]),
        "ratio": round(r["floor_s"] / r["import_s"], 3), "target_ratio": FLOOR_TARGET,
        "segments": sum(o["segments"] for o in r["outcomes"]), "floor_sentences": r["sentences"],
        "peak_rss_mib": round(r["rss_peak"], 1), "peak_rss_after_warm_up_mib": round(r["rss_warm"], 1),
    }


def check_outcomes(written: list[corpus.Transcript], outcomes: list[dict], problems: list[str]) -> None:
    """Every generated file should import, with the turns that were written."""
    by_source = {o["source"]: o for o in outcomes}
    for t in written:
        o = by_source.get(str(t.path))
        if o is None or o["status"] != "imported":
            problems.append(f"{t.path.name}: {o['status'] + ': ' + o['message'] if o else 'no outcome'}")
        elif o["turns"] != t.turns:
            problems.append(f"{t.path.name}: gtcode found {o['turns']} turns, {t.turns} were written")


# --- heavy readers: PDF and DOCX, in pages per second ------------------------------------

PAGE_LINES, LINE_CHARS = 46, 80     # a printed transcript page: 46 lines of up to 80 characters (Courier 11pt)


def _pages(text: str) -> list[list[str]]:
    """A transcript laid out as printed pages: paragraphs wrapped at LINE_CHARS, a blank line between them."""
    import textwrap

    lines: list[str] = []
    for para in text.split("\n"):
        lines.extend(textwrap.wrap(para, LINE_CHARS) or [""])
    return [lines[i:i + PAGE_LINES] for i in range(0, len(lines), PAGE_LINES)]


def measure_readers(pdfs: list[str], docxs: list[str], work: str) -> dict:
    """Fresh process: each heavy format read alone (gtcode's reader) and imported whole (init + import_paths)."""
    import gtcode.ingest.nlp
    from gtcode import Project
    from gtcode.ingest import read_path

    gtcode.ingest.nlp.load()
    out = {}
    for fmt, files in (("pdf", pdfs), ("docx", docxs)):
        paths = [Path(f) for f in files]
        read_path(paths[0])                                   # warm the reader's imports
        start = time.perf_counter()
        turns = sum(len(doc.turns) for path in paths for doc in read_path(path))
        read_s = time.perf_counter() - start
        start = time.perf_counter()
        with Project.init(Path(work) / fmt, name=fmt, coder="bench") as project:
            report = project.docs.import_paths(paths)
        import_s = time.perf_counter() - start
        out[fmt] = {"read_s": read_s, "import_s": import_s, "turns": turns,
                    "imported": report.count("imported"), "words": sum(o.words for o in report.outcomes)}
    return out


def reader_benchmark(tmp: Path, n: int, words: int, seed: int, problems: list[str]) -> dict:
    """The same interviews as printed PDFs (one text object a word, as some exporters write them) and as DOCX."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.lib.test_readers import write_pdf       # the test suite's PDF writer: no PDF library needed

    log(f"readers: {n} interviews of ~{words:,} words as PDF and DOCX")
    txt = corpus.generate(tmp / "readers-txt", n, words, formats=("txt",), seed=seed)
    docx = corpus.generate(tmp / "readers-docx", n, words, formats=("docx",), seed=seed)
    pages, pdfs = 0, []
    for t in txt:
        laid_out = _pages(t.path.read_text(encoding="utf-8"))
        pages += len(laid_out)
        pdfs.append(str(write_pdf(t.path.with_suffix(".pdf"), laid_out)))
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        r = pool.submit(measure_readers, pdfs, [str(t.path) for t in docx], str(tmp / "readers-work")).result()
    for fmt, figures in r.items():
        if figures["imported"] != n:
            problems.append(f"readers: {figures['imported']} of {n} {fmt} files imported")
    return {"files": n, "pdf_pages": pages, "pdf": r["pdf"], "docx": r["docx"],
            "pdf_pages_per_s_read": round(pages / r["pdf"]["read_s"], 1),
            "pdf_pages_per_s_import": round(pages / r["pdf"]["import_s"], 1)}


# --- read latency on a large project ------------------------------------------------

def build_project(folder: Path, corpus_dir: Path, n: int, words: int, seed: int, problems: list[str]) -> dict:
    """A project of `n` interviews with cases (role=mother/practitioner), built through the API."""
    import gtcode.ingest.nlp
    from gtcode import Project

    written = corpus.generate(corpus_dir, n, words, seed=seed)
    gtcode.ingest.nlp.load()  # keep spaCy loading out of the build time
    start = time.perf_counter()
    with Project.init(folder, name=folder.name, coder="bench") as project:
        report = project.docs.import_paths([t.path for t in written])
        build_s = time.perf_counter() - start
        cases = project.cases.import_file(corpus_dir / "participants.csv")
    check_outcomes(written, [vars(o) for o in report.outcomes], problems)
    if len(cases["linked"]) != n:
        problems.append(f"{folder.name}: {len(cases['linked'])} of {n} documents linked to their case")
    total = sum(o.words for o in report.outcomes)
    return {"documents": n, "words": total, "import_s": round(build_s, 3),
            "import_words_per_s": round(total / build_s)}


def latency_benchmark(tmp: Path, procs: Processes, n: int, words: int, seed: int, lib_runs: int, cli_runs: int,
                      problems: list[str]) -> dict:
    from gtcode import Project

    log(f"latency: building a {n}-interview project of ~{words:,} words each")
    folder = tmp / f"project-{n}"
    built = build_project(folder, tmp / f"corpus-{n}", n, words, seed, problems)
    where_query, where = '"social worker" OR evidence', ["role=mother"]

    def docs():
        with Project.open(folder) as p:
            return p.docs.list()

    def search():
        with Project.open(folder) as p:
            return p.analysis.search("film", limit=50)

    def search_where():
        with Project.open(folder) as p:
            return p.analysis.search(where_query, where=where, limit=50)

    counts = {"documents": len(docs()), "film_hits": search()[1], "where_hits": search_where()[1]}
    for key, value in counts.items():
        if not value:
            problems.append(f"latency: {key} is 0 on the {n}-interview project")
    log(f"latency: library, median of {lib_runs}")
    library = {"docs list": median_ms(docs, lib_runs), "search film": median_ms(search, lib_runs),
               "search --where": median_ms(search_where, lib_runs)}
    log(f"latency: CLI processes, median of {cli_runs}")
    gt = [str(GTCODE), "-p", str(folder)]
    cli = {"gtcode docs list": procs.median_ms([*gt, "docs", "list"], cli_runs),
           "gtcode docs list --json": procs.median_ms([*gt, "docs", "list", "--json"], cli_runs),
           "gtcode search film": procs.median_ms([*gt, "search", "film"], cli_runs)}
    return {"project": built | counts, "where_query": f"search({where_query!r}, where={where})",
            "library_ms": {k: round(v, 2) for k, v in library.items()},
            "cli_ms": {k: round(v, 1) for k, v in cli.items()}}


# --- start-up -------------------------------------------------------------------------

def startup_benchmark(tmp: Path, procs: Processes, runs: int, seed: int) -> dict:
    """Read commands on a tiny project against the minimal two-command Typer app: the CLI's own start-up.

    All of them run turn about (interleaved), so other load on the machine falls on each alike."""
    from gtcode import Project

    log(f"start-up: {runs} interleaved runs each")
    written = corpus.generate(tmp / "corpus-small", 3, 300, seed=seed)
    with Project.init(tmp / "project-small", name="small", coder="bench") as project:
        project.docs.import_paths([t.path for t in written])
        project.codes.add("Barriers")
        project.codes.add("Fear of judgement", parent="Barriers")
        project.coding.apply(["D1:2", "D2:3"], "Fear of judgement")
    for name, text in (("minimal_typer_app.py", MINIMAL_APP), ("typical_typer_app.py", TYPICAL_APP)):
        (tmp / name).write_text(text, encoding="utf-8")
    floor = [sys.executable, str(tmp / "minimal_typer_app.py"), "bye"]
    gtcode = [str(GTCODE), "-p", str(tmp / "project-small")]
    cmds = {"floor": floor, "typical": [sys.executable, str(tmp / "typical_typer_app.py")]}
    cmds |= {label: gtcode + argv for label, argv in STARTUP_COMMANDS.items()}
    ms = procs.interleaved_many(cmds, runs)
    return {"typer_app_ms": round(ms["floor"], 1), "typical_app_ms": round(ms["typical"], 1),
            "commands_ms": {k: round(ms[k], 1) for k in STARTUP_COMMANDS},
            "ratios": {k: round(ms[k] / ms["floor"], 3) for k in STARTUP_COMMANDS}, "target_ratio": STARTUP_TARGET,
            "typer_app_imports": procs.import_profile(floor[1:]),
            "docs_list_imports": procs.import_profile(gtcode + STARTUP_COMMANDS["docs list"])}


# --- output -----------------------------------------------------------------------------

def machine() -> dict:
    import spacy

    import gtcode
    return {"date": date.today().isoformat(), "cpus": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(terse=True), "gtcode": gtcode.__version__, "spacy": spacy.__version__}


def print_table(r: dict) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    m, imp, lat, st, runs = r["machine"], r["import"], r["latency"], r["startup"], r["params"]
    met = lambda ok: "met" if ok else "NOT MET"  # noqa: E731
    table = Table(box=box.SIMPLE, title=f"gtcode {m['gtcode']} benchmarks, {m['date']}, {m['cpus']} CPUs, "
                  f"Python {m['python']}, spaCy {m['spacy']}", title_justify="left")
    table.add_column("Figure")
    table.add_column("Value", justify="right")
    table.add_column("Target / note")

    table.add_row("[bold]Import", "", f"{imp['files']} files ({', '.join(imp['formats'])}), {imp['words']:,} words")
    table.add_row("  import (init + import_paths)", f"{imp['import_words_per_s']:,} words/s", f"{imp['import_s']} s")
    table.add_row("  floor (readers + sentencizer)", f"{imp['floor_words_per_s']:,} words/s", f"{imp['floor_s']} s")
    table.add_row("  import / floor", f"{imp['ratio']:.0%}",
                  f"target >= {FLOOR_TARGET:.0%}: {met(imp['ratio'] >= FLOOR_TARGET)}")
    table.add_row("  peak RSS of the import", f"{imp['peak_rss_mib']} MiB",
                  f"peak after the warm-up: {imp['peak_rss_after_warm_up_mib']} MiB", end_section=True)

    p = lat["project"]
    table.add_row("[bold]Read latency", "", f"{p['documents']} interviews with cases, {p['words']:,} words")
    table.add_row("  building it (import_paths)", f"{p['import_words_per_s']:,} words/s", f"{p['import_s']} s")
    notes = [f"{p['documents']} documents", f"{p['film_hits']:,} hits", f"{p['where_hits']:,} hits"]
    for (name, ms), note in zip(lat["library_ms"].items(), notes):
        table.add_row(f"  library: {name}", f"{ms:.1f} ms", f"median of {runs['lib_runs']}; {note}")
    for name, ms in lat["cli_ms"].items():
        table.add_row(f"  process: {name}", f"{ms:.0f} ms", f"median of {runs['cli_runs']}")
    table.add_section()

    table.add_row("[bold]Start-up", "", f"3 documents; {runs['startup_runs']} runs each, interleaved")
    table.add_row("  Typer app, 2 commands (floor)", f"{st['typer_app_ms']:.0f} ms",
                  f"of which imports {st['typer_app_imports']['total_ms']:.0f} ms")
    for label, ms in st["commands_ms"].items():
        ratio = st["ratios"][label]
        note = f"target <= {STARTUP_TARGET}x: {met(ratio <= STARTUP_TARGET)}"
        if label == "docs list":
            note += f"; of which imports {st['docs_list_imports']['total_ms']:.0f} ms"
        table.add_row(f"  gtcode {label}", f"{ms:.0f} ms = {ratio:.2f}x", note)
    table.add_row("  Typer app with 1 option + Rich table", f"{st['typical_app_ms']:.0f} ms",
                  f"{st['typical_app_ms'] / st['typer_app_ms']:.2f}x the floor: what a typical Typer + Rich "
                  "read command pays")

    rd = r["readers"]
    table.add_section()
    table.add_row("[bold]Heavy readers", "", f"{rd['files']} interviews as PDF ({rd['pdf_pages']} pages) and "
                  "as DOCX; reported apart from the import above")
    table.add_row("  PDF: read (pdfminer layout)", f"{rd['pdf_pages_per_s_read']:,} pages/s",
                  f"{rd['pdf']['read_s']:.2f} s, {rd['pdf']['turns']:,} turns")
    table.add_row("  PDF: import", f"{rd['pdf_pages_per_s_import']:,} pages/s",
                  f"{rd['pdf']['import_s']:.2f} s, {rd['pdf']['words']:,} words")
    for step in ("read", "import"):
        d = rd["docx"]
        table.add_row(f"  DOCX: {step}", f"{d['words'] / d[step + '_s']:,.0f} words/s", f"{d[step + '_s']:.2f} s")

    console = Console(width=max(100, Console().width), highlight=False)
    console.print(table)
    packages = ", ".join(f"{k} {v:.0f}" for k, v in st["docs_list_imports"]["by_package_ms"].items())
    console.print(f"Import time of docs list by package (ms, self times): {packages}")
    console.print(f"library: search --where is {lat['where_query']}")
    for problem in r["problems"]:
        console.print(f"Problem: {problem}", style="red", markup=False)
    console.print(f"Whole run: {r['elapsed_s']:.0f} s")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=40, help="transcripts in the import benchmark (default 40)")
    parser.add_argument("--words", type=int, default=2000, help="words in each of those (default 2000)")
    parser.add_argument("--big", type=int, default=200, help="interviews in the latency project (default 200)")
    parser.add_argument("--big-words", type=int, default=1500, help="words in each of those (default 1500)")
    parser.add_argument("--lib-runs", type=int, default=20, help="library calls timed, median (default 20)")
    parser.add_argument("--cli-runs", type=int, default=10, help="CLI processes timed, median (default 10)")
    parser.add_argument("--startup-runs", type=int, default=15,
                        help="start-up rounds: each command once per round; medians (default 15)")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    parser.add_argument("--readers", type=int, default=10,
                        help="interviews (of --words) read as PDF and as DOCX, pages/s (default 10)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead of a table")
    parser.add_argument("--keep", action="store_true", help="keep the corpora and projects (path on stderr)")
    args = parser.parse_args(argv)
    if not GTCODE.exists():
        parser.error(f"{GTCODE}: no gtcode script next to this Python; run with the venv's python")

    began = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="gtcode-bench-"))
    problems: list[str] = []
    procs = Processes(tmp)
    try:
        result = {
            "machine": machine(),
            "params": {k: getattr(args, k) for k in ("n", "words", "big", "big_words", "lib_runs", "cli_runs",
                                                     "startup_runs", "seed")},
            "import": import_benchmark(tmp, args.n, args.words, args.seed, problems),
            "latency": latency_benchmark(tmp, procs, args.big, args.big_words, args.seed, args.lib_runs,
                                         args.cli_runs, problems),
            "startup": startup_benchmark(tmp, procs, args.startup_runs, args.seed),
            "readers": reader_benchmark(tmp, args.readers, args.words, args.seed, problems),
        }
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
