"""`gtcode merge OTHER.db`: bring another coder's copy of the project back into this one."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gtcode.cli._app import App, err, open_project, out_console, print_json


def register(app: App) -> None:
    app.command("merge", rich_help_panel="Team and exchange")(merge)


def merge(
    other: Annotated[Path, typer.Argument(help="The other coder's project: its gtcode.db, or the folder holding it.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; change nothing.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="The report as JSON.")] = False,
) -> None:
    """Merge another coder's project (same transcripts) into this one: codes, codings, memos, comments,
    the model and the audit log, nothing twice. Merging again changes nothing; 'gtcode undo' reverses it.

    Example: gtcode merge ../coder2/gtcode.db --dry-run
    """
    with open_project() as project:
        report = project.merge(other, dry_run=dry_run)
    if json_out:
        print_json(report.to_dict())
    else:
        _render(report)
    for warning in report.warnings:
        err(f"Warning: {warning}", style="yellow")
    if not report.changed:
        err(f"Nothing to merge: everything in {report.other} is already here.")
    elif report.dry_run:
        err(f"Dry run: nothing was changed. Run without --dry-run to merge {report.other}.")
    else:
        err(f"Merged {report.other}. 'gtcode undo' reverses the merge.")


def _render(report) -> None:
    from rich.table import Table

    docs = report.documents
    verb = "Nothing new in" if not report.changed else "Would merge" if report.dry_run else "Merged"
    title = f"{verb} {report.other_name!r} ({report.other}): {docs.get('matched', 0)} transcript(s) matched"
    table = Table(title=title, title_justify="left", show_edge=False, pad_edge=False)
    table.add_column("")
    for heading in ("added", "updated", "already here", "skipped"):
        table.add_column(heading, justify="right")
    for kind, t in report.counts.items():
        if t.added or t.updated or t.present or t.skipped:
            table.add_row(kind, *(str(n) if n else "·" for n in (t.added, t.updated, t.present, t.skipped)))
    out_console().print(table)
