"""`gtcode report`: the thesis report (Word, Markdown or HTML). Thin: parse, call the library, say what was
written."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from gtcode.cli._app import App, open_project, settings
from gtcode.cli.options import Where, output_file
from gtcode.cli.output import err

PANEL = "Thesis outputs"


def register(app: App) -> None:
    app.command("report", rich_help_panel=PANEL)(report)


def report(
    output: Annotated[Path, output_file("The report file: .docx, .md or .html.")],
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
    if not settings().quiet:
        err(f"Wrote the report to {written[0]}" + (f", with {', '.join(p.name for p in written[1:])} beside it"
                                                  if written[1:] else "") + ".")
