"""gtcode TUI benchmark: opening a 20,000-word transcript, and the time each keystroke takes.

    python benchmarks/tui.py [--words 20000] [--presses 50] [--size 120x40] [--json] [--keep]

Builds a project of one synthetic interview (benchmarks/corpus.py) of about
`--words` words of speech (≈1,000 segments at 20,000), with a code on every
fourth participant segment so the margin has stripes to draw, then drives the
app with Textual's headless driver (`App.run_test`) and times, as medians:

* open: `make_app` (project, document, segments, codings, code tree) and the
  first full screen (compose, layout of every segment, first paint);
* keys: each `Pilot.press` until the app is idle again (handling, refresh,
  paint of the headless screen) for moving (j, k), extending the selection
  (J), jumping to the next uncoded segment (n), paging and going to the end;
* writes: coding with a quick key then undoing it (`1`, `u`), each one
  library transaction plus the re-read and redraw of the screen.

Key figures are CPU time (`time.process_time`) per press: `Pilot.press`
polls for idleness in 20 ms sleeps, so its wall time has a floor of about
100 ms that a real terminal does not have; a key bound to nothing (f12) shows
Pilot's own cost. Figures are printed, never asserted. Under ~50 ms a key
feels instant.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402
from run import log, machine  # noqa: E402


def build(folder: Path, words: int) -> dict:
    """One long interview, imported, with codes on every fourth participant segment."""
    from gtcode import Project
    from gtcode.analysis.progress import participant_ordinals

    written = corpus.generate(folder / "corpus", 1, words, formats=("txt",), seed=0)
    with Project.init(folder / "project", name="tui bench", coder="bench") as p:
        p.docs.import_paths([written[0].path], interviewer="Interviewer")
        p.codes.add("Bench")
        for name in ("Fear of judgement", "Being filmed", "Home visits", "Family support", "Waiting"):
            p.codes.add(f"Bench/{name}")
        doc = p.docs.list()[0]
        ordinals = participant_ordinals(p.store, doc.id)[::4]
        for i, name in enumerate(("Fear of judgement", "Being filmed", "Home visits", "Family support")):
            chosen = ordinals[i::4]
            if chosen:
                p.coding.apply([f"D{doc.id}:{n}" for n in chosen], f"Bench/{name}")
        return {"words": doc.words, "segments": doc.segments, "path": str(p.path)}


async def floor(size: tuple[int, int]) -> float:
    """First screen of a minimal Textual app (one Static, a Footer), measured the same way: the floor."""
    from textual.app import App
    from textual.widgets import Footer, Static

    class Minimal(App):
        def compose(self):
            yield Static("hello")
            yield Footer()

    start = time.perf_counter()
    async with Minimal().run_test(size=size) as pilot:
        await pilot.pause()
        return round((time.perf_counter() - start) * 1000, 1)


async def drive(path: str, presses: int, size: tuple[int, int]) -> dict:
    began = time.perf_counter()
    from gtcode.tui.app import make_app   # Textual and the TUI's modules: paid once per start

    import_ms = round((time.perf_counter() - began) * 1000, 1)
    minimal_ms = await floor(size)
    start = time.perf_counter()
    app = make_app(path, coder="bench", poll=None)
    built = time.perf_counter()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        ready = time.perf_counter()
        keys: dict[str, list[float]] = {}

        cpu: dict[str, list[float]] = {}

        async def timed(label: str, key: str, times: int) -> None:
            for _ in range(times):
                t0, c0 = time.perf_counter(), time.process_time()
                await pilot.press(key)
                keys.setdefault(label, []).append(time.perf_counter() - t0)
                cpu.setdefault(label, []).append(time.process_time() - c0)

        await timed("f12 (no binding: Pilot's own cost)", "f12", presses // 2)

        await timed("j (next segment)", "j", presses)
        await timed("k (previous segment)", "k", presses // 2)
        await timed("J (extend selection)", "J", presses // 2)
        await pilot.press("escape")
        await timed("n (next uncoded)", "n", presses // 2)
        await timed("pagedown", "pagedown", presses // 2)
        await timed("G (last segment)", "G", 3)
        await timed("g (first segment)", "g", 3)
        await pilot.press("n")
        writes: dict[str, list[float]] = {}
        for _ in range(max(3, presses // 10)):
            for label, key in (("1 (code with quick key)", "1"), ("u (undo)", "u")):
                t0, c0 = time.perf_counter(), time.process_time()
                await pilot.press(key)
                writes.setdefault(label, []).append(time.perf_counter() - t0)
                cpu.setdefault(label, []).append(time.process_time() - c0)
        message = str(app.screen.query_one("#message").render())
    ms = lambda xs: round(statistics.median(xs) * 1000, 1)  # noqa: E731
    return {"import_ms": import_ms, "minimal_app_first_screen_ms": minimal_ms,
            "make_app_ms": round((built - start) * 1000, 1), "first_screen_ms": round((ready - built) * 1000, 1),
            "open_ms": round((ready - start) * 1000, 1),
            "keys_ms": {k: ms(v) for k, v in keys.items()}, "writes_ms": {k: ms(v) for k, v in writes.items()},
            "cpu_ms": {k: ms(v) for k, v in cpu.items()}, "cpu_max_ms": {k: round(max(v) * 1000, 1)
                                                                          for k, v in cpu.items()},
            "last_message": message}


def print_table(r: dict) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    m, d, t = r["machine"], r["document"], r["tui"]
    table = Table(box=box.SIMPLE, title=f"gtcode {m['gtcode']} TUI benchmark, {m['date']}, {m['cpus']} CPUs, "
                  f"Python {m['python']}, terminal {r['params']['size']}", title_justify="left")
    table.add_column("Figure")
    table.add_column("Median", justify="right")
    table.add_column("Note")
    table.add_row("[bold]Open", "", f"1 transcript, {d['words']:,} words, {d['segments']:,} segments")
    table.add_row("  import Textual and gtcode.tui", f"{t['import_ms']:.0f} ms", "once per start")
    table.add_row("  make_app (library reads)", f"{t['make_app_ms']:.0f} ms", "project, document, codings, codes")
    table.add_row("  first screen", f"{t['first_screen_ms']:.0f} ms", "compose, layout, first paint")
    table.add_row("  minimal Textual app, first screen", f"{t['minimal_app_first_screen_ms']:.0f} ms",
                  "the floor: one Static and a Footer, same measurement")
    table.add_row("  open (make_app + first screen)", f"{t['open_ms']:.0f} ms", "", end_section=True)
    table.add_row("[bold]Keys", "CPU", "CPU time of each press until idle (handling, redraw, paint); "
                  "wall time includes Pilot's idle polling")
    for key, value in t["keys_ms"].items():
        table.add_row(f"  {key}", f"{t['cpu_ms'][key]:.1f} ms",
                      f"slowest {t['cpu_max_ms'][key]:.1f} ms; wall {value:.0f} ms")
    table.add_section()
    table.add_row("[bold]Writes", "CPU", "one transaction each, then re-read and redraw")
    for key, value in t["writes_ms"].items():
        table.add_row(f"  {key}", f"{t['cpu_ms'][key]:.1f} ms", f"slowest {t['cpu_max_ms'][key]:.1f} ms; "
                      f"wall {value:.0f} ms")
    Console(width=max(100, Console().width), highlight=False).print(table)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=20_000, help="words of speech in the transcript (20000)")
    parser.add_argument("--presses", type=int, default=50, help="presses of j timed; other keys fewer (50)")
    parser.add_argument("--size", default="120x40", help="terminal size, COLSxROWS (120x40)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead of a table")
    parser.add_argument("--keep", action="store_true", help="keep the project (path on stderr)")
    args = parser.parse_args(argv)
    cols, rows = (int(x) for x in args.size.lower().split("x"))
    tmp = Path(tempfile.mkdtemp(prefix="gtcode-tui-bench-"))
    try:
        log(f"building a {args.words:,}-word interview")
        document = build(tmp, args.words)
        log(f"driving the TUI headless at {cols}x{rows}")
        result = {"machine": machine(), "params": {"words": args.words, "presses": args.presses, "size": args.size},
                  "document": {k: v for k, v in document.items() if k != "path"},
                  "tui": asyncio.run(drive(document["path"], args.presses, (cols, rows)))}
    finally:
        if args.keep:
            log(f"kept: {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_table(result)


if __name__ == "__main__":
    main()
