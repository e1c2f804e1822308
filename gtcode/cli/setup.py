"""Set-up commands: init, demo, config."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ._app import App, err, print_json, state

PANEL = "Set up"
config_app = App(help="Your settings (outside any project): user, nlp, interviewer.")


def register(app: App) -> None:
    app.command(rich_help_panel=PANEL)(init)
    app.command(rich_help_panel=PANEL)(demo)
    app.add_typer(config_app, name="config", rich_help_panel=PANEL)


def init(
    directory: Annotated[Path, typer.Argument(help="Folder for the project (created if needed).")] = Path("."),
    name: Annotated[Optional[str], typer.Option(help="Project name (default: the folder name).")] = None,
) -> None:
    """Create a project: a gtcode.db file in DIRECTORY.

    Example: gtcode init vig-study --name "VIG engagement"
    """
    from ..project import Project

    project = Project.init(directory, name=name, coder=state.coder, command=state.command)
    err(f"Created project {project.name!r} at {project.path}")
    project.close()


def demo(
    directory: Annotated[Path, typer.Argument(help="Where to build the demo project.")] = Path("demo"),
    source: Annotated[Optional[Path], typer.Option("--from", help="Folder of sample transcripts "
                                                   "(default: the bundled transcripts/).")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Build the demo project from the bundled fictional VIG interviews and show what it holds.

    Rebuilds from scratch each time, so running it twice gives the same result.
    Example: gtcode demo /tmp/vig-demo
    """
    from ..demo import build_demo
    from .render import render_import_report, render_stats, render_documents

    result = build_demo(directory, source, coder=state.coder or "demo", command=state.command)
    counts = result.project.code_counts()
    empty = {"own": 0, "codings": 0, "documents": 0, "cases": 0}
    tree = [(c, counts.get(c.id, empty)) for c in result.project.codes()]
    if json_out:
        print_json({"project": str(result.project.path), "import": result.report.to_dict(),
                    "stats": result.project.stats(),
                    "search": {"query": result.query, "hits": [h.to_dict() for h in result.hits]},
                    "codes": [c.to_dict() | n for c, n in tree]})
        return
    render_import_report(result.report, failures_only=state.quiet)
    render_stats(result.project.stats())
    render_documents(result.project.documents())
    from .render import render_code_tree, render_hits
    typer.echo("")
    typer.echo(f"Search {result.query!r} among mothers' turns:")
    render_hits(result.hits, result.total)
    if tree:
        typer.echo("")
        typer.echo(f"Open coding: the starter codebook's patterns suggested {result.autocode.added} codings "
                   "(accepted for the demo; a researcher reviews each with 'gtcode review'):")
        render_code_tree(tree)
    if result.model:
        typer.echo("")
        typer.echo(f"Explanatory model: core category {result.model['core']!r}, {result.model['relations']} "
                   "grounded relations (gtcode model show). Figures:")
        for path in result.model["files"]:
            typer.echo(f"  {path}")
    where = result.project.path.parent
    err(f"\nDemo project: {result.project.path}\nTry: gtcode -p {where} docs show P01 --segments 12-40"
        f"\n     gtcode -p {where} retrieve \"Feeling judged as a parent\" --context 1"
        f"\n     gtcode -p {where} memo list      (memos, with a supervisor's comment and sign-off)"
        f"\n     gtcode -p {where} audit          (what changed since the supervisor signed off)")
    result.project.close()


@config_app.command("set")
def config_set(key: Annotated[str, typer.Argument(help="user, nlp or interviewer")],
               value: Annotated[str, typer.Argument(help="The value.")]) -> None:
    """Set a setting.

    Example: gtcode config set user "Hannah Reid"
    """
    from ..config import set_config
    path = set_config(key, value)
    err(f"{key} = {value!r} (in {path})")


@config_app.command("unset")
def config_unset(key: Annotated[str, typer.Argument(help="The setting to remove.")]) -> None:
    """Remove a setting.

    Example: gtcode config unset nlp
    """
    from ..config import set_config
    set_config(key, None)
    err(f"{key} removed")


@config_app.command("get")
def config_get(key: Annotated[str, typer.Argument(help="The setting to show.")]) -> None:
    """Print one setting (the coder name resolves as gtcode would).

    Example: gtcode config get user
    """
    from ..config import KNOWN_KEYS, load_config, resolve_coder
    from ..errors import ConfigError
    if key not in KNOWN_KEYS:
        raise ConfigError(f"unknown setting {key!r}; known: {', '.join(KNOWN_KEYS)}")
    value = resolve_coder(state.coder) if key == "user" else load_config().get(key)
    if value is None:
        raise typer.Exit(1)
    typer.echo(value)


@config_app.command("list")
def config_list(json_out: Annotated[bool, typer.Option("--json", help="As JSON.")] = False) -> None:
    """Show every setting, its value and what it means.

    Example: gtcode config list
    """
    from ..config import KNOWN_KEYS, config_path, load_config
    data = load_config()
    if json_out:
        print_json({"path": str(config_path()), "settings": data})
        return
    for key, meaning in KNOWN_KEYS.items():
        typer.echo(f"{key:12} {data.get(key, '(not set)')!s:30} {meaning}")
    err(f"(from {config_path()})")
