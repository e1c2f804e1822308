"""The `gtcode` command: a thin skin over `gtcode.Project` (parse, call, render)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from gtcode import __version__
from gtcode.cli._app import App, Settings, lazy_group

# Help panels follow the research workflow: set up → import → look → open coding → compare → … → exchange.
# Each module has `register(app)`; it is imported only when one of its commands runs (or for the full help).
MODULES = ("setup", "maintenance", "importing", "documents", "search", "redact", "cases", "codes", "coding", "tui",
           "codebook", "autocode", "retrieve", "words", "assist", "memos", "audit", "model", "cooccurrence",
           "saturation", "report", "history", "team", "merge", "export")
#: The module of each top-level command (tests/cli/test_cli_lazy.py checks it against what the modules register).
OWNERS = {
    "init": "setup", "demo": "setup", "config": "setup", "doctor": "maintenance", "backup": "maintenance",
    "import": "importing", "docs": "documents", "play": "documents", "search": "search", "stats": "search",
    "redact": "redact",
    "cases": "cases", "codes": "codes", "code": "coding", "uncode": "coding", "invivo": "coding", "tui": "tui",
    "codebook": "codebook", "autocode": "autocode", "review": "autocode", "retrieve": "retrieve",
    "compare": "retrieve", "kwic": "words", "freq": "words", "similar": "assist", "suggest": "assist",
    "explore": "assist", "summarise": "assist", "ai": "assist", "memo": "memos", "audit": "audit",
    "relate": "model", "unrelate": "model", "relations": "model", "paradigm": "model", "core": "model",
    "category": "model", "model": "model", "cooccur": "cooccurrence", "matrix": "cooccurrence",
    "saturation": "saturation", "report": "report", "log": "history", "undo": "history", "agreement": "team",
    "merge": "merge", "export": "export",
}

app = App(
    name="gtcode",
    cls=lazy_group(MODULES, OWNERS),
    help="Grounded-theory coding in the terminal: import interviews, code them, write memos, build the theory.\n\n"
         "Start with [bold]gtcode init[/bold], then [bold]gtcode import transcripts/[/bold].",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"gtcode {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    project: Annotated[Optional[str], typer.Option(
        "--project", "-p", envvar="GTCODE_PROJECT",
        help="Project file or folder (default: gtcode.db here or above).")] = None,
    coder: Annotated[Optional[str], typer.Option("--coder", help="Who you are, recorded on every change "
                                                 "(default: GTCODE_USER, config 'user', login name).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars or chatter on stderr.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    ctx.obj = Settings(project=project, coder=coder, quiet=quiet, debug=debug)


def main() -> None:
    app()
