"""Codes together: `gtcode cooccur` (codes that share units, with Jaccard) and `gtcode matrix` (codes or
categories against the values of a case attribute)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from gtcode.cli._app import App, open_project
from gtcode.cli.options import Csv, DataOutput, Json, Where, check_output_path
from gtcode.cli.output import as_json, csv_text, emit, err, out_console, plural, print_table, table, where_phrase
from gtcode.errors import InputError

PANEL = "Axial and selective coding"
Codes = Annotated[Optional[list[str]], typer.Option(
    "--codes", "--code", "-c", help="A code or category, by name or path (repeat for each). A category counts its "
    "whole subtree as one.")]
Children = Annotated[bool, typer.Option("--children/--no-children",
                                        help="Count a named code with its child codes (the default) or alone.")]


def register(app: App) -> None:
    app.command("cooccur", rich_help_panel=PANEL)(cooccur)
    app.command("matrix", rich_help_panel=PANEL)(matrix)


def _data_format(json_out: bool, csv_out: bool, output: Path | None) -> str | None:
    """json, csv or None (a table for people); -o alone takes the format from its suffix."""
    if json_out and csv_out:
        raise InputError("--json and --csv: choose one")
    if output is not None:
        check_output_path(output)
        if not (json_out or csv_out):
            suffix = output.suffix.lower()
            if suffix not in (".csv", ".json"):
                raise InputError(f"-o {output}: writes .csv or .json (or add --csv/--json), not "
                                 f"{suffix or 'no suffix'!r}")
            return suffix[1:]
    return "json" if json_out else "csv" if csv_out else None


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
    output: DataOutput = None,
) -> None:
    """Which codes occur together: units with both codes, and Jaccard (units with both / units with either).

    Without --codes, every code with a confirmed coding is compared by its own codings.

    A few codes show as a matrix, many as the top pairs.

    Example: gtcode cooccur --by turn --where role=mother --codes "Fear of judgement" --codes "Being filmed"
    """
    from gtcode.analysis.cooccurrence import top_pairs

    kind = _data_format(json_out, csv_out, output)
    if min_both < 0 or top < 0:
        raise InputError(f"{'--min' if min_both < 0 else '--top'}: expected 0 or more")
    with open_project() as project:
        result = project.analysis.cooccurrence(codes, by=by, where=where, children=children)
    ranked = top_pairs(result, None, sort=sort, min_both=min_both)
    if kind == "json":
        data = result.to_dict(min_both) | {"sort": sort, "pairs": [p.to_dict() for p in ranked]}   # best first
        emit(as_json(data), output, "the co-occurrence counts")
        return
    if kind == "csv":
        rows = [["a", "b", "both", "a_units", "b_units", "jaccard", "by"]]
        rows += [[p.a, p.b, p.both, p.a_units, p.b_units, f"{p.jaccard:.4f}", result.by] for p in ranked]
        emit(csv_text(rows), output, plural(len(ranked), "pair"))
        return
    unit = plural(result.units, result.by)
    if len(result.codes) < 2:
        err(f"Nothing to compare: {plural(len(result.codes), 'code')} with confirmed codings in {unit}"
            f"{where_phrase(result.where)}.")
        return
    console = out_console()
    if pairs or len(result.codes) > MATRIX_MAX or not _render_matrix(console, result, min_both):
        _render_pairs(console, result, ranked[:top or None], len(ranked))
    err(f"Units: {unit}{where_phrase(result.where)}. A unit has a code when a confirmed coding overlaps it; "
        "Jaccard = units with both / units with either.")


def _short_names(paths: list[str]) -> list[str]:
    """Code names where they are unique among those shown, else paths."""
    from collections import Counter

    names = [p.rsplit("/", 1)[-1] for p in paths]
    seen = Counter(n.casefold() for n in names)
    return [n if seen[n.casefold()] == 1 else p for n, p in zip(names, paths)]


def _render_matrix(console, result, min_both: int) -> bool:
    """Codes × codes: units with both and Jaccard per cell, each code's units on the diagonal. False: too wide."""
    from rich.text import Text

    n = len(result.codes)
    labels = _short_names([c.code for c in result.codes])
    label_w = min(40, max(len(x) for x in labels) + 4)
    cell_w = max(9, len(str(max(c.units for c in result.codes))) + 6)
    if label_w + n * (cell_w + 1) > console.width:
        return False
    t = table(("Code", {"max_width": 40, "overflow": "fold"}),
              *((str(i), {"justify": "right", "min_width": cell_w - 2}) for i in range(1, n + 1)), title=None)
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
        t.add_row(f"{i + 1} {labels[i]}", *cells)
    print_table(t, console)
    console.print(Text(f"Cells: {result.by}s with both, then Jaccard; diagonal: {result.by}s with the code.",
                       style="dim"))
    return True


def _render_pairs(console, result, shown, total: int) -> None:

    right, fold = {"justify": "right"}, {"overflow": "fold"}
    t = table(("#", right | {"style": "dim"}), ("Code A", fold), ("Code B", fold), ("Both", right), ("A", right),
              ("B", right), ("Jaccard", right))
    short = dict(zip((c.code for c in result.codes), _short_names([c.code for c in result.codes])))
    for i, p in enumerate(shown, 1):
        t.add_row(str(i), short[p.a], short[p.b], f"{p.both:,}", f"{p.a_units:,}", f"{p.b_units:,}",
                      f"{p.jaccard:.3f}")
    if shown:
        print_table(t, console)
    more = f"; the top {len(shown)} shown (--top 0 for all)" if len(shown) < total else ""
    err(f"{plural(total, 'pair')} of {plural(len(result.codes), 'code')} share a {result.by}{more}.")


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
    output: DataOutput = None,
) -> None:
    """Codes or categories against the values of a case attribute: who talks about what.

    Example: gtcode matrix --rows categories --cols role --count cases
    """
    kind = _data_format(json_out, csv_out, output)
    with open_project() as project:
        result = project.analysis.matrix(cols, rows=rows, count=count, where=where, codes=codes, children=children)
    if kind == "json":
        emit(as_json(result.to_dict()), output, "the matrix")
        return
    if kind == "csv":
        lines = [["code", *(c.label for c in result.columns), "total"]]
        lines += [[r.code, *r.counts, r.total] for r in result.rows]
        emit(csv_text(lines), output, plural(len(result.rows), "row"))
        return
    if not result.rows:
        what = "categories" if result.rows_of == "categories" else "codes with confirmed codings"
        err(f"No {what}{where_phrase(result.where)}.")
        return
    _render_attribute_matrix(result)
    note = f"Cells: {result.count}" + {"segments": " coded", "cases": " with a coding (of the cases in the column)",
                                        "codings": ""}[result.count]
    none = f"; {result.columns[-1].label}: cases without {result.attribute}, documents without a case" \
        if result.columns and result.columns[-1].value is None else ""
    left = f"; {plural(result.left_out, 'code')} with nothing in scope left out" if result.left_out else ""
    err(f"{note}{where_phrase(result.where)}{none}{left}.")


def _render_attribute_matrix(m) -> None:
    from rich.text import Text

    t = table(("Category" if m.rows_of == "categories" else "Code", {"overflow": "fold"}),
              *((f"{c.label}\n{plural(c.cases, 'case')}", {"justify": "right"}) for c in m.columns),
              (f"Total\n{plural(m.cases, 'case')}", {"justify": "right", "style": "bold"}))

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
                t.add_row(Text("  " * (depth - 1) + parts[depth - 1], style="dim"), *[""] * (len(m.columns) + 1))
                shown.add(prefix)
        shown.add(r.code.casefold())
        t.add_row("  " * (len(parts) - 1) + parts[-1], *(cell(n, c.cases) for n, c in zip(r.counts, m.columns)),
                      cell(r.total, m.cases))
    print_table(t)
