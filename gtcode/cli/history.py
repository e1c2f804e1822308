"""The audit trail and undo."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from gtcode.cli._app import App, open_project
from gtcode.cli.options import Coder, Json
from gtcode.cli.output import err, out_console, print_json, table

PANEL = "History"


def register(app: App) -> None:
    app.command("log", rich_help_panel=PANEL)(log)
    app.command("undo", rich_help_panel=PANEL)(undo)


def log(
    code: Annotated[Optional[str], typer.Option(help="Only events about this code.")] = None,
    coder: Coder = None,
    since: Annotated[Optional[str], typer.Option(help="From this date (YYYY-MM-DD) on.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many events (0: all).")] = 50,
    json_out: Json = False,
) -> None:
    """The audit log: who changed what, when, with which command — newest first.

    Example: gtcode log --code "Feeling judged" --since 2026-11-01
    """
    with open_project() as project:
        events = project.history.log(code=code, coder=coder, since=since, limit=limit or None)
    if json_out:
        print_json(events)
        return
    if not events:
        err("No events match.")
        return
    t = table(("When", {"no_wrap": True}), ("Who", {"no_wrap": True}), ("What", {"ratio": 1}))
    for e in events:
        t.add_row(e["at"][:16].replace("T", " "), e["coder"], e["summary"])
    out_console().print(t)


def undo(steps: Annotated[int, typer.Argument(help="How many of your last commands to undo.")] = 1) -> None:
    """Reverse your last command(s) exactly — a merge, a delete, an autocode run, a rename…

    Example: gtcode undo 2
    """
    with open_project() as project:
        done = project.history.undo(steps)
    for d in done:
        err(f"Undid: {d['summary']}")
