"""Output for every command: data on stdout (tables, JSON, CSV), messages and progress on stderr.

The one home of the table style, the JSON format, `plural`, the `where` phrase and the progress bar.
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path

from gtcode import text as _text

#: The wording helpers every command's messages use ("1 document", a quote cut with "…"), from gtcode.text.
plural, clip = _text.plural, _text.clip


def err(message: str, style: str | None = None) -> None:
    """A message for people: stderr, so stdout stays data."""
    from rich.console import Console

    Console(stderr=True, highlight=False, soft_wrap=True).print(message, style=style, markup=False)


def out_console():
    from rich.console import Console

    return Console(highlight=False)


def as_json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"


def print_json(data) -> None:
    sys.stdout.write(as_json(data))


def show(data, json_out: bool, render, as_data=None) -> None:
    """`--json`: the data on stdout (through `as_data` when given); otherwise `render(data)` for people."""
    if json_out:
        print_json(as_data(data) if as_data else data)
    else:
        render(data)


def emit(data: str | bytes, output: Path | None, what: str) -> None:
    """Text or bytes to stdout, or to `output` (atomically) with `Wrote WHAT to OUTPUT.` on stderr."""
    if output is None or str(output) == "-":
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
        return
    from gtcode.files import write_output

    write_output(output, data)
    err(f"Wrote {what} to {output}.")


def csv_text(rows) -> str:
    """Rows (the header first) as CSV text."""
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def table(*columns, **options):
    """The Rich table every command prints: no outer edge, no padding at the edge.

    `columns` are names or (name, {add_column options}) pairs.
    """
    from rich.table import Table

    t = Table(**({"show_edge": False, "pad_edge": False} | options))
    for column in columns:
        name, kw = column if isinstance(column, tuple) else (column, {})
        t.add_column(name, **kw)
    return t


#: Rows above which `print_table` draws through `LongTable`: Rich takes ~1 ms a row (50 rows: 40-80 ms).
LONG = 50


def print_table(t, console=None) -> None:
    """A table on stdout (or `console`); a long one through `LongTable`: Rich's output without its ms a row.

    Not cropped: a table is never wider than the console, and measuring 10,000 lines to crop none costs."""
    console = console or out_console()
    if t.row_count <= LONG:
        console.print(t)
    else:
        from gtcode.cli.long_table import LongTable

        console.print(LongTable(t), crop=False)


def add_rows(t, rows) -> None:
    """Rows of plain text added to a Rich table at once: what `t.add_row(*row)` does for each, without its checks
    cell by cell (10,000 rows of 8 cells: about 50 ms saved). Anything else (another renderable, a short row, a
    Rich without the list of cells a column keeps) goes through `add_row`, so the table is the same either way."""
    from itertools import chain

    rows = rows if isinstance(rows, list) else list(rows)
    columns = t.columns
    try:
        from rich.table import Row

        cells = [column._cells for column in columns]
    except (ImportError, AttributeError):
        cells = None
    width = len(columns)
    if cells is None or (rows and (set(map(len, rows)) != {width}
                                   or set(map(type, chain.from_iterable(rows))) != {str})):
        for row in rows:
            t.add_row(*row)
        return
    for column_cells, values in zip(cells, zip(*rows)):
        column_cells.extend(values)
    t.rows.extend(Row() for _ in rows)


def where_phrase(where: list[str] | None) -> str:
    """` where role=mother and site=Trust A` for a message, or nothing."""
    return f" where {' and '.join(where)}" if where else ""


def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return ""
    s = int(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


class Bar:
    """A running Rich progress bar: `advance` for counted items, `update` for done-of-total."""

    def __init__(self, progress, task, label: str):
        self._progress, self._task, self._label = progress, task, label

    def advance(self, n: int, item: str) -> None:
        self._progress.update(self._task, advance=n, description=f"{self._label} {item[:30]}")

    def update(self, done: int, total: int) -> None:
        self._progress.update(self._task, completed=done, total=total)


@contextmanager
def progress(label: str, total: int | None = None, *, quiet: bool = False):
    """A transient progress bar on stderr; yields a `Bar`, or None when quiet, not a terminal, or one item."""
    if quiet or (total is not None and total < 2) or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    bar = Progress(console=Console(stderr=True), transient=True)
    task = bar.add_task(label, total=total)
    bar.start()
    try:
        yield Bar(bar, task, label)
    finally:
        bar.stop()
