"""`gtcode saturation`: new codes per transcript in interview order, and whether the last few added any."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from gtcode.cli._app import App, open_project
from gtcode.cli.options import Json, Where, output_file
from gtcode.cli.output import err, out_console, print_json, print_table, table, where_phrase

PANEL = "Axial and selective coding"


def register(app: App) -> None:
    app.command("saturation", rich_help_panel=PANEL)(saturation)


BAR = (4, 30)  # characters for the largest number of new codes: at least, at most


def saturation(
    order: Annotated[str, typer.Option(help="imported (import order), name, or a case attribute such as an "
                                       "interview date (then name).")] = "imported",
    last: Annotated[int, typer.Option(help="K: the run of last transcripts the rule looks at.")] = 3,
    threshold: Annotated[float, typer.Option(help="Saturation when the last K add at most this "
                                             "% new codes.")] = 5.0,
    where: Where = None,
    output: Annotated[Optional[Path], output_file("Also draw the curve to a .png, .svg or .pdf file (A4 width).")]
    = None,
    json_out: Json = False,
) -> None:
    """New codes per transcript in interview order, the cumulative count and the share new in the last K.

    Rule of thumb: Guest, Bunce & Johnson (2006), Guest, Namey & Chen (2020).

    Saturation when a run of interviews adds ≤ 5% new codes (new in the run / all codes so far).

    Transcripts with no confirmed coding are left out: work not yet coded is not saturation.

    Example: gtcode saturation --order interview_date --last 3 -o saturation.png
    """
    from gtcode.analysis.saturation import check_plot_path

    if output is not None:
        check_plot_path(output)
    with open_project() as project:
        result = project.analysis.saturation(order, last, threshold=threshold, where=where)
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
        keep, right = {"no_wrap": True}, {"justify": "right", "no_wrap": True}
        t = table(("#", right | {"style": "dim"}), ("Document", keep | {"overflow": "ellipsis"}),
                  *([("Case", keep)] if cases else []), *([(s.order, keep)] if attribute else []),
                  ("Codes", right), ("New", right), ("", keep | {"width": bar_w}), ("Cumulative", right),
                  (f"Last {s.last}", right))
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
            t.add_row(*cells, style="bold" if r.in_window else None)
        print_table(t, console)
        console.print(Text(f"New: codes first seen there. Last {s.last}: new codes in the {s.last} transcripts "
                           f"ending there, as a % of all codes so far.", style="dim"))
    console.print(Text(s.verdict, style="bold"))
    console.print(Text(f"Rule: {s.rule}. Order: {order_phrase(s)}{where_phrase(s.where)}.", style="dim"))
