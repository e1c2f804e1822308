"""`gtcode export …`: data out of the project for other tools — a REFI-QDA project for QDA software (qdpx),
and codings and the code × case matrix as tables for R and pandas (gtcode.exchange)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from gtcode.cli._app import App, open_project, settings
from gtcode.cli.options import Json, Where, output_file
from gtcode.cli.output import err
from gtcode.cli.render import render_loss_report
from gtcode.text import plural

export_app = App(help="Export data: REFI-QDA projects for other QDA tools, codings and matrices for R and pandas.")


def register(app: App) -> None:
    app.add_typer(export_app, name="export", rich_help_panel="Team and exchange")


@export_app.command("qdpx")
def export_qdpx(
    output: Annotated[Path, typer.Argument(help="The .qdpx file to write (replaced if it exists).")],
    validate: Annotated[Optional[Path], typer.Option(
        help="Check project.qde against this XSD (e.g. Project-mrt2019.xsd) and fail if it is invalid.")] = None,
    target: Annotated[str, typer.Option(
        "--for", help="The tool that will read it: nvivo (UTF-16 units, CRLF), atlasti or maxqda (CRLF counted "
        "once), qualcoder, or spec (code points, LF; REFI-QDA 1.5).")] = "spec",
    json_out: Json = False,
) -> None:
    """Export the project as a REFI-QDA project for NVivo, ATLAS.ti, MAXQDA, QualCoder…

    Codes and categories, documents, confirmed codings, memos, cases and attributes, relations. The text files
    and positions are written in the units the --for tool reads; the summary names them. Lists what the format
    cannot carry (pending codings, memo history, relation evidence…).
    Example: gtcode export qdpx study.qdpx --for nvivo
    """
    from gtcode.exchange import export_qdpx as run

    from gtcode.files import is_stream

    if output.suffix.lower() != ".qdpx" and not is_stream(output):   # `-`, /dev/null: written as they are
        output = output.with_name(output.name + ".qdpx")
    with open_project() as project:
        report = run(project, output, schema=validate, target=target.lower())
    render_loss_report(report, json_out)
    if not json_out:
        err(f"Wrote {output}.")


@export_app.command("codings")
def export_codings(
    output: Annotated[Path, output_file("The file: .csv or .jsonl.")],
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
    if not settings().quiet:
        err(f"Wrote {plural(done['rows'], 'coding')} to {done['path']} ({done['format']}; {done['pending']} pending "
            "review, marked in the 'pending' column).")


@export_app.command("matrix")
def export_matrix(
    output: Annotated[Path, output_file("The CSV file.")],
    where: Where = None,
) -> None:
    """The code × case matrix as CSV: 1 where a case has a confirmed coding of the code (or its sub-codes).

    Example: gtcode export matrix -o matrix.csv
    """
    from gtcode.exchange.tabular import export_matrix as run

    with open_project() as project:
        done = run(project, output, where=where)
    if not settings().quiet:
        err(f"Wrote {plural(done['codes'], 'code')} × {plural(done['cases'], 'case')} to {done['path']}.")


@export_app.command("datasette-metadata")
def export_datasette_metadata(
    output: Annotated[Optional[Path], typer.Argument(help="Where to write it (default: datasette.json beside "
                                                          "the project's gtcode.db).")] = None,
) -> None:
    """Add read-only SQL views (coded_passages, memo_texts, memo_link_targets) and write Datasette's metadata.

    A supervisor can then browse the project without writing SQL: datasette --immutable gtcode.db
    --metadata datasette.json (or sqlite3 gtcode.db "SELECT code, address, text FROM coded_passages").
    Example: gtcode export datasette-metadata
    """
    from gtcode.views import write_datasette_metadata

    with open_project() as project:
        path = write_datasette_metadata(project, output)
    err(f"Wrote {path}; views: coded_passages, memo_texts, memo_link_targets.")
