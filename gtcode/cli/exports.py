"""`gtcode export …`: data out of the project for other tools (QDA software, R, pandas).

The commands themselves live beside their subject (`exchange.py`: qdpx; `report.py`:
codings and matrix) and attach to `export_app` here, so the group has one home.
"""

from __future__ import annotations

from gtcode.cli._app import App

export_app = App(help="Export data: REFI-QDA projects for other QDA tools, codings and matrices for R and pandas.")


def register(app: App) -> None:
    app.add_typer(export_app, name="export", rich_help_panel="Team and exchange")
