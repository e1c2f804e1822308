"""Codebook files: `gtcode codebook import` (YAML, or a REFI-QDA .qdc) and `gtcode codebook export`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gtcode.cli._app import App, open_project, settings
from gtcode.cli.options import CodeFilter, DryRun, Json, Output
from gtcode.cli.output import emit, err, print_json
from gtcode.cli.render import render_loss_report

PANEL = "Open coding"
codebook_app = App(help="Codebooks: import a YAML codebook (codes, definitions, patterns) or export the code tree.")


def register(app: App) -> None:
    app.add_typer(codebook_app, name="codebook", rich_help_panel=PANEL)


@codebook_app.command("import")
def codebook_import(
    path: Annotated[Path, typer.Argument(help="A YAML codebook (see codebooks/README.md for the format), a "
                                         "REFI-QDA .qdc codebook from another QDA tool, or the name of a "
                                         "bundled starter codebook (vig-engagement).")],
    dry_run: DryRun = False,
    json_out: Json = False,
) -> None:
    """Import a codebook: add new codes, update changed definitions and patterns; never deletes.

    Example: gtcode codebook import vig-engagement      (or a file: codebooks/vig-engagement.yml)
    """
    from gtcode.exchange import import_exchange_file
    from gtcode.samples import codebook_path

    path = codebook_path(path)
    with open_project() as project:
        if path.suffix.lower() == ".qdc":
            render_loss_report(import_exchange_file(project, path, dry_run), json_out)
            return
        report = project.codebook.import_file(path, dry_run=dry_run)
    if json_out:
        print_json(report.to_dict())
    elif not settings().quiet:
        for item in report.added:
            err(f"  added      {item.path}")
        for item in report.updated:
            err(f"  updated    {item.path}: {', '.join(item.changes)}")
        for note in report.notes:
            err(f"Note: {note}", style="yellow")
    prefix = "Dry run, nothing changed: " if dry_run else ""
    err(f"{prefix}codebook {path.name}: {report.summary}.")


@codebook_app.command("export")
def codebook_export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="yaml (re-importable), csv, md, qdc (REFI-QDA, "
                                     "for other QDA tools), or docx (the codebook table as a thesis appendix; "
                                     "needs -o).")] = "yaml",
    output: Output = None,
    code: CodeFilter = None,
) -> None:
    """Export the code tree with definitions, criteria, examples, colours and patterns.

    Example: gtcode codebook export --format md -o codebook.md
    """
    from gtcode.exchange.dispatch import codebook_format, export_codebook_file

    codebook_format(fmt, output)
    with open_project() as project:
        result = export_codebook_file(project, fmt, output, code=code)
    if isinstance(result, Path):
        err(f"Wrote the codebook table to {result}.")
    else:
        emit(result, output, "the codebook")
