"""The audit trail and undo."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from gtcode.cli._app import App, open_project
from gtcode.cli.options import By, Json, OldCoder, by_name
from gtcode.cli.output import err, print_json, print_table, table

PANEL = "History"


def register(app: App) -> None:
    app.command("log", rich_help_panel=PANEL)(log)
    app.command("undo", rich_help_panel=PANEL)(undo)


def log(
    code: Annotated[Optional[str], typer.Option(help="Only events about this code.")] = None,
    by: By = None,
    old_coder: OldCoder = None,
    since: Annotated[Optional[str], typer.Option(
        help="From this date on: YYYY-MM-DD, YYYY-MM-DDTHH:MM (UTC), today, yesterday, 7d or 2w "
             "(as for audit).")] = None,
    limit: Annotated[int, typer.Option(help="At most this many events (0: all).")] = 50,
    json_out: Json = False,
) -> None:
    """The audit log: who changed what, when, with which command — newest first.

    Example: gtcode log --code "Feeling judged" --by "Sam Patel" --since 7d
    """
    from gtcode.report.dates import parse_when

    since = parse_when(since) if since is not None else None
    with open_project() as project:
        events = project.history.log(code=code, coder=by_name(by, old_coder, "log"), since=since,
                                     limit=limit or None)
    if json_out:
        print_json(events)
        return
    if not events:
        err("No events match.")
        return
    t = table(("When", {"no_wrap": True}), ("Who", {"no_wrap": True}), ("What", {"ratio": 1}))
    for e in events:
        t.add_row(e["at"][:16].replace("T", " "), e["coder"], e["summary"])
    print_table(t)


def undo(steps: Annotated[int, typer.Argument(help="How many of your last commands to undo.")] = 1) -> None:
    """Reverse your last command(s) exactly — a merge, a delete, an autocode run, a rename…

    Example: gtcode undo 2
    """
    with open_project() as project:
        done = project.history.undo(steps)
    for d in done:
        err(f"Undid: {d['summary']}")
