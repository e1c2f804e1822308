"""REFI-QDA exchange on the command line: `gtcode export qdpx`, and the helpers `gtcode import X.qdpx`
and `gtcode codebook import/export` call for .qdpx, .qde and .qdc files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from gtcode.cli._app import err, open_project, print_json, state
from gtcode.cli.exports import export_app

POSITIONS_HELP = ("How the file counts text positions: codepoint (the spec), utf16 (NVivo) or codepoint-lf "
                  "(ATLAS.ti). Default: guessed from the tool that wrote it.")


def is_exchange_file(path) -> bool:
    """Whether `gtcode import` should hand this path to the REFI-QDA importer."""
    from gtcode.exchange import SUFFIXES
    return Path(str(path)).suffix.lower() in SUFFIXES


def render_loss_report(report, json_out: bool = False) -> None:
    """What happened, on stderr (or the whole report as JSON on stdout): counts, skipped items, losses."""
    if json_out:
        print_json(report.to_dict())
        return
    verb = "Exported" if report.direction == "export" else "Would import" if report.dry_run else "Imported"
    where = Path(report.source).name
    who = f" (from {report.origin})" if report.direction == "import" and report.origin else ""
    err(f"{verb} {where}{who}: {report.summary}.")
    if report.dry_run:
        err("Dry run: nothing was changed.")
    if report.warnings and not state.quiet:
        err(f"Skipped ({len(report.warnings)}):", style="yellow")
        for w in report.warnings:
            err(f"  - {w}", style="yellow")
    if report.losses:
        head = "Not in the file (REFI-QDA cannot carry it):" if report.direction == "export" else \
            "In the file but not imported (gtcode cannot hold it):"
        err(head, style="yellow")
        for loss in report.losses:
            err(f"  - {loss}", style="yellow")


@export_app.command("qdpx")
def export_qdpx_command(
    output: Annotated[Path, typer.Argument(help="The .qdpx file to write (replaced if it exists).")],
    validate: Annotated[Optional[Path], typer.Option(
        help="Check project.qde against this XSD (e.g. Project-mrt2019.xsd) and fail if it is invalid.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Export the project as a REFI-QDA project for NVivo, ATLAS.ti, MAXQDA, QualCoder…

    Codes and categories, documents, confirmed codings, memos, cases and attributes, relations.
    Lists what the format cannot carry (pending codings, memo history, relation evidence…).
    Example: gtcode export qdpx study.qdpx
    """
    if output.suffix.lower() != ".qdpx":
        output = output.with_name(output.name + ".qdpx")
    with open_project() as project:
        report = project.export_qdpx(output, schema=validate)
    render_loss_report(report, json_out)
    if not json_out:
        err(f"Wrote {output}.")
