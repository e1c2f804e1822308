"""Looking after the project file: `gtcode doctor` (is it damaged? salvage it) and `gtcode backup`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from gtcode.cli._app import App, settings
from gtcode.cli.options import Json
from gtcode.cli.output import err, plural, print_json

PANEL = "Set up"


def register(app: App) -> None:
    app.command(rich_help_panel=PANEL)(doctor)
    app.command(rich_help_panel=PANEL)(backup)


def doctor(
    salvage: Annotated[Optional[Path], typer.Option(
        "--salvage", metavar="OUT", help="Also write what can still be read to this new file.")] = None,
    json_out: Json = False,
) -> None:
    """Check the project file for damage (SQLite's full integrity check); exit 1 if it is damaged.

    Works on a project that cannot be opened. With --salvage OUT, what can still be read is copied to OUT (with
    the sqlite3 tool's .recover when it is installed, else statement by statement); check OUT before using it,
    and prefer a backup.

    Example: gtcode doctor --salvage rescued.db
    """
    from gtcode.project._maintenance import doctor as run

    result = run(settings().project, salvage_to=salvage)
    if json_out:
        print_json(result.to_dict())
    elif result.ok:
        counts = ", ".join(plural(n, t.rstrip("s")) for t, n in result.rows.items())
        typer.echo(f"{result.path}: no damage found (integrity check ok; {result.size:,} bytes"
                   + (f"; {counts}" if counts else "") + ").")
    else:
        typer.echo(f"{result.path}: damaged. SQLite reports:")
        for problem in result.problems:
            typer.echo(f"  {problem}")
        typer.echo("What to do: restore the latest backup (`gtcode backup` makes one; copies of the project "
                   "count too). If there is none, `gtcode doctor --salvage OUT` copies what can still be read "
                   "into a new file: open it with `gtcode -p OUT stats` and check it before relying on it.")
    if result.salvaged and not json_out:
        err(f"Wrote what could be read to {result.salvaged} (method: {result.method}).")
    if not result.ok:
        raise typer.Exit(1)


def backup(
    dest: Annotated[Optional[Path], typer.Argument(
        help="The copy to write (default: gtcode-backup-DATE-TIME.db beside the project); a folder puts it there.")]
    = None,
) -> None:
    """Copy the project safely, even while gtcode is running on it elsewhere: do it before a merge, a redaction,
    a --force or a new gtcode version.

    Example: gtcode backup ~/backups/
    """
    from gtcode.project._maintenance import backup as run

    written = run(settings().project, dest)
    err(f"Backed up the project to {written}.")
