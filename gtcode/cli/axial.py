"""Axial and selective coding: codes that occur together, codes across case attributes, saturation."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from gtcode.errors import InputError
from gtcode.cli._app import App, err, open_project, out_console, print_json
from gtcode.cli.analysis import Json, Where

PANEL = "Axial and selective coding"
Codes = Annotated[Optional[list[str]], typer.Option(
    "--codes", "--code", "-c", help="A code or category, by name or path (repeat for each). A category counts its "
    "whole subtree as one.")]
Children = Annotated[bool, typer.Option("--children/--no-children",
                                        help="Count a named code with its child codes (the default) or alone.")]
Csv = Annotated[bool, typer.Option("--csv", help="As CSV (data only): to stdout, or to -o FILE.")]
Output = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the CSV or JSON to this file "
                                                "(.csv or .json says which).")]


def register(app: App) -> None:
    app.command("cooccur", rich_help_panel=PANEL)(cooccur)
    app.command("matrix", rich_help_panel=PANEL)(matrix)
    app.command("saturation", rich_help_panel=PANEL)(saturation)


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else plural or word + 's'}"


def _filters(where: list[str]) -> str:
    return f" where {' and '.join(where)}" if where else ""


def _data_format(json_out: bool, csv_out: bool, output: Path | None) -> str | None:
    """json, csv or None (a table for people); -o alone takes the format from its suffix."""
    if json_out and csv_out:
        raise InputError("--json and --csv: choose one")
    if output is not None:
        if output.is_dir():
            raise InputError(f"-o {output}: is a folder; name a file")
        if not output.parent.is_dir():
            raise InputError(f"-o {output}: folder {output.parent} does not exist")
        if not (json_out or csv_out):
            suffix = output.suffix.lower()
            if suffix not in (".csv", ".json"):
                raise InputError(f"-o {output}: writes .csv or .json (or add --csv/--json), not "
                                 f"{suffix or 'no suffix'!r}")
            return suffix[1:]
    return "json" if json_out else "csv" if csv_out else None


def _emit(kind: str, data, output: Path | None, what: str) -> None:
    """JSON (a dict) or CSV (header + rows) to stdout, or to a file with a note on stderr."""
    import json

    if kind == "json":
        if output is None:
            print_json(data)
            return
        text = json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"
    else:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(data)
        text = buffer.getvalue()
        if output is None:
            sys.stdout.write(text)
            return
    from gtcode.files import write_output
    write_output(output, text)
    err(f"Wrote {what} to {output}.")


# --- cooccur -------------------------------------------------------------------------------------

MATRIX_MAX = 12   # more codes than this: the top pairs, not a matrix


def cooccur(
    codes: Codes = None,
    by: Annotated[str, typer.Option(help="The unit two codes must share: segment, turn (speaker turn) or "
                                    "document.")] = "segment",
    where: Where = None,
    min_both: Annotated[int, typer.Option("--min", help="Only pairs sharing at least this many units "
                                          "(0: every pair, in --csv/--json too).")] = 1,
    sort: Annotated[str, typer.Option(help="Rank pairs by jaccard or both (units with both).")] = "jaccard",
    top: Annotated[int, typer.Option(help="Pairs to list when there are too many codes for a matrix "
                                     "(0: all).")] = 25,
    pairs: Annotated[bool, typer.Option("--pairs", help="List the top pairs even when a matrix would fit.")]
    = False,
    children: Children = True,
    json_out: Json = False,
    csv_out: Csv = False,
    output: Output = None,
) -> None:
    """Which codes occur together: units with both codes, and Jaccard (units with both / units with either).

    Without --codes, every code with a confirmed coding is compared by its own codings.

    A few codes show as a matrix, many as the top pairs.

    Example: gtcode cooccur --by turn --where role=mother --codes "Fear of judgement" --codes "Being filmed"
    """
    from gtcode.analysis.cooccurrence import cooccurrence, top_pairs

    kind = _data_format(json_out, csv_out, output)
    if min_both < 0 or top < 0:
        raise InputError(f"{'--min' if min_both < 0 else '--top'}: expected 0 or more")
    with open_project() as project:
        result = cooccurrence(project.store, codes, by=by, where=where, children=children)
    ranked = top_pairs(result, None, sort=sort, min_both=min_both)
    if kind == "json":
        data = result.to_dict(min_both) | {"sort": sort, "pairs": [p.to_dict() for p in ranked]}   # best first
        _emit(kind, data, output, "the co-occurrence counts")
        return
    if kind == "csv":
        rows = [["a", "b", "both", "a_units", "b_units", "jaccard", "by"]]
        rows += [[p.a, p.b, p.both, p.a_units, p.b_units, f"{p.jaccard:.4f}", result.by] for p in ranked]
        _emit(kind, rows, output, _plural(len(ranked), "pair"))
        return
    unit = _plural(result.units, result.by)
    if len(result.codes) < 2:
        err(f"Nothing to compare: {_plural(len(result.codes), 'code')} with confirmed codings in {unit}"
            f"{_filters(result.where)}.")
        return
    console = out_console()
    if pairs or len(result.codes) > MATRIX_MAX or not _render_matrix(console, result, min_both):
        _render_pairs(console, result, ranked[:top or None], len(ranked))
    err(f"Units: {unit}{_filters(result.where)}. A unit has a code when a confirmed coding overlaps it; "
        "Jaccard = units with both / units with either.")


def _short_names(paths: list[str]) -> list[str]:
    """Code names where they are unique among those shown, else paths."""
    from collections import Counter

    names = [p.rsplit("/", 1)[-1] for p in paths]
    seen = Counter(n.casefold() for n in names)
    return [n if seen[n.casefold()] == 1 else p for n, p in zip(names, paths)]


def _render_matrix(console, result, min_both: int) -> bool:
    """Codes × codes: units with both and Jaccard per cell, each code's units on the diagonal. False: too wide."""
    from rich.table import Table
    from rich.text import Text

    n = len(result.codes)
    labels = _short_names([c.code for c in result.codes])
    label_w = min(40, max(len(x) for x in labels) + 4)
    cell_w = max(9, len(str(max(c.units for c in result.codes))) + 6)
    if label_w + n * (cell_w + 1) > console.width:
        return False
    table = Table(show_edge=False, pad_edge=False, title=None)
    table.add_column("Code", max_width=40, overflow="fold")
    for i in range(1, n + 1):
        table.add_column(str(i), justify="right", min_width=cell_w - 2)
    for i, a in enumerate(result.codes):
        cells = []
        for j, b in enumerate(result.codes):
            if i == j:
                cells.append(Text(str(a.units), style="bold"))
                continue
            p = result.pair(a.code, b.code)
            if p.both < max(min_both, 1):
                cells.append(Text("·", style="dim"))
            else:
                cells.append(Text(f"{p.both} ").append(f"{p.jaccard:.2f}".lstrip("0") if p.jaccard < 1 else "1",
                                                       style="dim"))
        table.add_row(f"{i + 1} {labels[i]}", *cells)
    console.print(table)
    console.print(Text(f"Cells: {result.by}s with both, then Jaccard; diagonal: {result.by}s with the code.",
                       style="dim"))
    return True


def _render_pairs(console, result, shown, total: int) -> None:
    from rich.table import Table

    table = Table(show_edge=False, pad_edge=False)
    table.add_column("#", justify="right", style="dim")
    table.add_column("Code A", overflow="fold")
    table.add_column("Code B", overflow="fold")
    table.add_column("Both", justify="right")
    table.add_column("A", justify="right")
    table.add_column("B", justify="right")
    table.add_column("Jaccard", justify="right")
    short = dict(zip((c.code for c in result.codes), _short_names([c.code for c in result.codes])))
    for i, p in enumerate(shown, 1):
        table.add_row(str(i), short[p.a], short[p.b], f"{p.both:,}", f"{p.a_units:,}", f"{p.b_units:,}",
                      f"{p.jaccard:.3f}")
    if shown:
        console.print(table)
    more = f"; the top {len(shown)} shown (--top 0 for all)" if len(shown) < total else ""
    err(f"{_plural(total, 'pair')} of {_plural(len(result.codes), 'code')} share a {result.by}{more}.")


# --- matrix --------------------------------------------------------------------------------------

def matrix(
    cols: Annotated[str, typer.Option(help="A case attribute: a column per value (role, site…), plus (none) "
                                      "and Total.")],
    rows: Annotated[str, typer.Option(help="codes (each by its own codings) or categories (each with its "
                                      "subtree).")] = "codes",
    count: Annotated[str, typer.Option(help="What a cell counts: segments coded, cases with a coding, or "
                                       "codings.")] = "segments",
    codes: Codes = None,
    children: Children = True,
    where: Where = None,
    json_out: Json = False,
    csv_out: Csv = False,
    output: Output = None,
) -> None:
    """Codes or categories against the values of a case attribute: who talks about what.

    Example: gtcode matrix --rows categories --cols role --count cases
    """
    from gtcode.analysis.cooccurrence import matrix as run

    kind = _data_format(json_out, csv_out, output)
    with open_project() as project:
        result = run(project.store, cols, rows=rows, count=count, where=where, codes=codes, children=children)
    if kind == "json":
        _emit(kind, result.to_dict(), output, "the matrix")
        return
    if kind == "csv":
        table = [["code", *(c.label for c in result.columns), "total"]]
        table += [[r.code, *r.counts, r.total] for r in result.rows]
        _emit(kind, table, output, _plural(len(result.rows), "row"))
        return
    if not result.rows:
        what = "categories" if result.rows_of == "categories" else "codes with confirmed codings"
        err(f"No {what}{_filters(result.where)}.")
        return
    _render_attribute_matrix(result)
    note = f"Cells: {result.count}" + {"segments": " coded", "cases": " with a coding (of the cases in the column)",
                                        "codings": ""}[result.count]
    none = f"; {result.columns[-1].label}: cases without {result.attribute}, documents without a case" \
        if result.columns and result.columns[-1].value is None else ""
    left = f"; {_plural(result.left_out, 'code')} with nothing in scope left out" if result.left_out else ""
    err(f"{note}{_filters(result.where)}{none}{left}.")


def _render_attribute_matrix(m) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(show_edge=False, pad_edge=False)
    table.add_column("Category" if m.rows_of == "categories" else "Code", overflow="fold")
    for c in m.columns:
        table.add_column(f"{c.label}\n{_plural(c.cases, 'case')}", justify="right")
    table.add_column(f"Total\n{_plural(m.cases, 'case')}", justify="right", style="bold")

    def cell(n: int, of: int) -> Text:
        text = f"{n}/{of}" if m.count == "cases" else f"{n:,}"
        return Text(text, style="dim" if n == 0 else "")

    # Rows read like the code tree: parents that are not rows themselves head their children, dimmed.
    rows = {r.code.casefold() for r in m.rows}
    shown: set[str] = set()
    for r in m.rows:
        parts = r.code.split("/")
        for depth in range(1, len(parts)):
            prefix = "/".join(parts[:depth]).casefold()
            if prefix not in shown and prefix not in rows:
                table.add_row(Text("  " * (depth - 1) + parts[depth - 1], style="dim"), *[""] * (len(m.columns) + 1))
                shown.add(prefix)
        shown.add(r.code.casefold())
        table.add_row("  " * (len(parts) - 1) + parts[-1], *(cell(n, c.cases) for n, c in zip(r.counts, m.columns)),
                      cell(r.total, m.cases))
    out_console().print(table)


# --- saturation ----------------------------------------------------------------------------------

BAR = (4, 30)  # characters for the largest number of new codes: at least, at most


def saturation(
    order: Annotated[str, typer.Option(help="imported (import order), name, or a case attribute such as an "
                                       "interview date (then name).")] = "imported",
    last: Annotated[int, typer.Option(help="K: the run of last transcripts the rule looks at.")] = 3,
    threshold: Annotated[float, typer.Option(help="Saturation when the last K add at most this "
                                             "% new codes.")] = 5.0,
    where: Where = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Also draw the curve to a .png, .svg "
                                                   "or .pdf file (A4 width).")] = None,
    json_out: Json = False,
) -> None:
    """New codes per transcript in interview order, the cumulative count and the share new in the last K.

    Rule of thumb: Guest, Bunce & Johnson (2006), Guest, Namey & Chen (2020).

    Saturation when a run of interviews adds ≤ 5% new codes (new in the run / all codes so far).

    Transcripts with no confirmed coding are left out: work not yet coded is not saturation.

    Example: gtcode saturation --order interview_date --last 3 -o saturation.png
    """
    from gtcode.analysis.saturation import check_plot_path
    from gtcode.analysis.saturation import saturation as run

    if output is not None:
        check_plot_path(output)
    with open_project() as project:
        result = run(project.store, order, last, threshold=threshold, where=where)
    if output is not None:
        from gtcode.analysis.saturation import plot_saturation

        plot_saturation(result, output)
    if json_out:
        print_json(result.to_dict())
    else:
        _render_saturation(result)
    if result.uncoded:
        err(f"Left out, no confirmed codings yet: {', '.join(result.uncoded)}.")
    if result.missing_order:
        err(f"No {result.order} (placed last, by name): {', '.join(result.missing_order)}.")
    if output is not None:
        err(f"Wrote the saturation plot to {output}.")


def _render_saturation(s) -> None:
    from rich.table import Table
    from rich.text import Text

    from gtcode.analysis.saturation import order_phrase

    console = out_console()
    if s.rows:
        attribute = s.order not in ("imported", "name")
        cases = any(r.case and r.case != r.document for r in s.rows)
        docs = [f"{r.label} {r.document}" for r in s.rows]
        fixed = [len(str(len(s.rows))), max(8, *map(len, docs)), 5, 3, 10, len(f"Last {s.last}")]
        if cases:
            fixed.append(max(4, *(len(r.case or "-") for r in s.rows)))
        if attribute:
            fixed.append(max(len(s.order), *(len(r.key or "-") for r in s.rows)))
        room = console.width - sum(fixed) - 3 * len(fixed) - 1   # " │ " between columns, the bar's included
        bar_w = max(BAR[0], min(BAR[1], room))
        top = max(max(r.new for r in s.rows), 1)
        table = Table(show_edge=False, pad_edge=False)
        table.add_column("#", justify="right", style="dim", no_wrap=True)
        table.add_column("Document", no_wrap=True, overflow="ellipsis")
        if cases:
            table.add_column("Case", no_wrap=True)
        if attribute:
            table.add_column(s.order, no_wrap=True)
        table.add_column("Codes", justify="right", no_wrap=True)
        table.add_column("New", justify="right", no_wrap=True)
        table.add_column("", no_wrap=True, width=bar_w)
        table.add_column("Cumulative", justify="right", no_wrap=True)
        table.add_column(f"Last {s.last}", justify="right", no_wrap=True)
        for r, doc in zip(s.rows, docs):
            width = r.new * bar_w / top
            bar = "█" * int(width) + ("▌" if width - int(width) >= 0.5 else "")
            cells = [str(r.position), doc]
            if cases:
                cells.append(r.case or "-")
            if attribute:
                cells.append(r.key or "-")
            cells += [str(r.codes), str(r.new), Text(bar, style="cyan" if r.in_window else "blue"),
                      str(r.cumulative), "" if r.run_share is None else f"{r.run_share:.1f}%"]
            table.add_row(*cells, style="bold" if r.in_window else None)
        console.print(table)
        console.print(Text(f"New: codes first seen there. Last {s.last}: new codes in the {s.last} transcripts "
                           f"ending there, as a % of all codes so far.", style="dim"))
    console.print(Text(s.verdict, style="bold"))
    console.print(Text(f"Rule: {s.rule}. Order: {order_phrase(s)}{_filters(s.where)}.", style="dim"))
