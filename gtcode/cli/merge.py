"""`gtcode merge OTHER.db`: bring another coder's copy of the project back into this one."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gtcode.cli._app import App, open_project
from gtcode.cli.options import DryRun, Json
from gtcode.cli.output import err, out_console, plural, show, table


def register(app: App) -> None:
    app.command("merge", rich_help_panel="Team and exchange")(merge)


def merge(
    other: Annotated[Path, typer.Argument(help="The other coder's project: its gtcode.db, or the folder holding it.")],
    dry_run: DryRun = False,
    json_out: Json = False,
) -> None:
    """Merge another coder's project (same transcripts) into this one: codes, codings, memos, comments,
    the model and the audit log, nothing twice. Merging again changes nothing; 'gtcode undo' reverses it.

    Example: gtcode merge ../coder2/gtcode.db --dry-run
    """
    from gtcode.team.merge import merge_project

    with open_project() as project:
        report = merge_project(project, other, dry_run=dry_run)
    show(report, json_out, _render, lambda r: r.to_dict())
    for warning in report.warnings:
        err(f"Warning: {warning}", style="yellow")
    if not report.changed:
        err(f"Nothing to merge: everything in {report.other} is already here.")
    elif report.dry_run:
        err(f"Dry run: nothing was changed. Run without --dry-run to merge {report.other}.")
    else:
        err(f"Merged {report.other}. 'gtcode undo' reverses the merge.")


def _render(report) -> None:
    docs = report.documents
    verb = "Nothing new in" if not report.changed else "Would merge" if report.dry_run else "Merged"
    title = (f"{verb} {report.other_name!r} ({report.other}): "
             f"{plural(docs.get('matched', 0), 'transcript')} matched")
    t = table("", *((heading, {"justify": "right"}) for heading in ("added", "updated", "already here", "skipped")))
    for kind, n in report.counts.items():
        if n.added or n.updated or n.present or n.skipped:
            t.add_row(kind, *(str(x) if x else "·" for x in (n.added, n.updated, n.present, n.skipped)))
    console = out_console()
    # The title on its own line, never wrapped mid-sentence (as the table's title it wrapped at the table's width).
    console.print(title, markup=False, highlight=False, soft_wrap=True)
    console.print(t)
