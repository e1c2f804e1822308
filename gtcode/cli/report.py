"""Thesis outputs: `gtcode report` (Word, Markdown or HTML), and `export codings` / `export matrix` for R
and pandas. Thin: parse, call the library, say what was written."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from gtcode.cli._app import App, err, open_project, state
from gtcode.cli.exports import export_app

PANEL = "Thesis outputs"
WHERE_HELP = "Only these cases' interviews: role=mother, site!=Trust B (repeatable)."
Where = Annotated[Optional[list[str]], typer.Option(help=WHERE_HELP)]


def register(app: App) -> None:
    app.command("report", rich_help_panel=PANEL)(report)


def report(
    output: Annotated[Path, typer.Option("--output", "-o", help="The report file: .docx, .md or .html.")],
    format: Annotated[Optional[str], typer.Option("--format", "-f", help="docx, md or html (default: from the "
                                                  "file's suffix).")] = None,
    title: Annotated[Optional[str], typer.Option(help="The report's title (default: the project's name).")] = None,
    where: Where = None,
) -> None:
    """Write the thesis report: study summary, codebook table, categories, model diagram, saturation, memos, audit.

    Word uses only built-in styles (a thesis template restyles it) on A4; Markdown writes its figures beside
    the file (report-model.png, report-saturation.png); HTML is one self-contained page. Counts leave out
    autocoded suggestions still waiting for review.

    Example: gtcode report -o report.docx --title "Engagement with VIG" --where site="Trust A"
    """
    from gtcode.report.thesis import write_report

    with open_project() as project:
        written = write_report(project, output, format, title=title, where=where)
    if not state.quiet:
        err(f"Wrote the report to {written[0]}" + (f", with {', '.join(p.name for p in written[1:])} beside it"
                                                  if written[1:] else "") + ".")


@export_app.command("codings")
def export_codings(
    output: Annotated[Path, typer.Option("--output", "-o", help="The file: .csv or .jsonl.")],
    format: Annotated[Optional[str], typer.Option("--format", "-f", help="csv or jsonl (default: from the "
                                                  "file's suffix).")] = None,
    where: Where = None,
) -> None:
    """Every coding as a row for R or pandas: document, case, attributes, speaker, address, offsets, text, code,
    category, coder, time, and whether it is still pending review.

    Example: gtcode export codings -o codings.csv --where role=mother
    """
    from gtcode.exchange.tabular import export_codings as run

    with open_project() as project:
        done = run(project, output, format, where=where)
    if not state.quiet:
        err(f"Wrote {done['rows']} coding(s) to {done['path']} ({done['format']}; {done['pending']} pending "
            "review, marked in the 'pending' column).")


@export_app.command("matrix")
def export_matrix(
    output: Annotated[Path, typer.Option("--output", "-o", help="The CSV file.")],
    where: Where = None,
) -> None:
    """The code × case matrix as CSV: 1 where a case has a confirmed coding of the code (or its sub-codes).

    Example: gtcode export matrix -o matrix.csv
    """
    from gtcode.exchange.tabular import export_matrix as run

    with open_project() as project:
        done = run(project, output, where=where)
    if not state.quiet:
        err(f"Wrote {done['codes']} code(s) × {done['cases']} case(s) to {done['path']}.")
