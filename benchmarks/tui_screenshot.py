"""The README's picture of `gtcode tui`: the demo project, drawn by Textual's own screenshot.

    python benchmarks/tui_screenshot.py [-o docs/tui.svg] [--at D2:64] [--size 150x36]

Builds the demo project (`gtcode demo`) in a temporary folder, opens the TUI
headless at a fixed size on a passage with codes in the margin, extends the
selection over two segments, and saves the SVG. Nothing on screen depends on
the date, so re-running it gives the same picture while the demo is unchanged.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


async def shoot(project: Path, out: Path, at: str, size: tuple[int, int], keys: list[str]) -> None:
    from gtcode.tui import make_app

    app = make_app(project, at, coder="Hannah Reid", poll=None)
    async with app.run_test(size=size) as pilot:
        await pilot.press(*keys)
        await pilot.pause()
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(app.export_screenshot(title="gtcode tui"), encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", default=str(REPO / "docs" / "tui.svg"), help="SVG to write")
    parser.add_argument("--at", default="D2:64", help="segment to open at (D2:64)")
    parser.add_argument("--size", default="150x36", help="terminal size, COLSxROWS (150x36)")
    args = parser.parse_args(argv)
    cols, rows = (int(x) for x in args.size.lower().split("x"))
    os.environ.pop("NO_COLOR", None)          # the picture is in colour whatever this shell prefers
    from gtcode.demo import build_demo

    tmp = Path(tempfile.mkdtemp(prefix="gtcode-shot-"))
    try:
        result = build_demo(tmp / "demo")
        result.project.close()
        asyncio.run(shoot(tmp / "demo", Path(args.output), args.at, (cols, rows), ["J"]))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"wrote {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
