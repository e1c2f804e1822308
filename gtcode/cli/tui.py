"""`gtcode tui`: open the terminal coding interface (Textual is imported only when it runs)."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from gtcode.cli._app import App, settings
from gtcode.errors import InputError

PANEL = "Open coding"


def register(app: App) -> None:
    app.command("tui", rich_help_panel=PANEL)(tui)


def in_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def tui(
    document: Annotated[Optional[str], typer.Argument(
        help="Document to open (D3, P01) or a segment (D3:17); default: the first document.")] = None,
    theme: Annotated[str, typer.Option(
        help="Colour theme: ansi-dark (default) and ansi-light follow your terminal's colours; any Textual "
             "theme name works (textual-dark, nord, …).")] = "ansi-dark",
) -> None:
    """Code transcripts in the terminal: segment by segment, keyboard first (press ? for every key).

    Every change is saved at once, shows in 'gtcode log' and can be undone with u (or 'gtcode undo').

    Example: gtcode tui D3:17
    """
    from gtcode.tui import make_app

    s = settings()
    app = make_app(s.project, document, s.coder, theme=theme)
    if not in_terminal():
        app.session.project.close()
        raise InputError("gtcode tui needs a terminal (standard input and output are not one)")
    app.run()
