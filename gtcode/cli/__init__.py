"""The `gtcode` command: a thin skin over `gtcode.Project` (parse, call, render)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from gtcode import __version__
from gtcode.cli._app import App, state

app = App(
    name="gtcode",
    help="Grounded-theory coding in the terminal: import interviews, code them, write memos, build the theory.\n\n"
         "Start with [bold]gtcode init[/bold], then [bold]gtcode import transcripts/[/bold].",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"gtcode {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    project: Annotated[Optional[str], typer.Option("--project", "-p", envvar="GTCODE_PROJECT",
                                                   help="Project file or folder (default: gtcode.db here or above).")] = None,
    coder: Annotated[Optional[str], typer.Option("--coder", help="Who you are, recorded on every change "
                                                 "(default: GTCODE_USER, config 'user', login name).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars or chatter on stderr.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    state.project, state.coder, state.quiet, state.debug = project, coder, quiet, debug


from gtcode.cli import (analysis, audit, axial, cases, codebook, coding, data, exchange, exports, history, memos, model,  # noqa: E402
               merge, redact, report, setup, team, tui)

# Help panels follow the research workflow: set up → import → look → open coding → compare → history.
setup.register(app)
data.register(app)
redact.register(app)
cases.register(app)
coding.register(app)
tui.register(app)
codebook.register(app)
analysis.register(app)
memos.register(app)
audit.register(app)
model.register(app)
axial.register(app)
report.register(app)
history.register(app)
team.register(app)
merge.register(app)
exports.register(app)


def main() -> None:
    app()
