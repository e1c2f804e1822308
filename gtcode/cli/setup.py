"""Set-up commands: init, demo, config."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from gtcode.cli._app import App, settings
from gtcode.cli.options import Json
from gtcode.cli.output import err, plural, print_json
from gtcode.cli.render import render_import_report, render_model

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
    from gtcode.project import Project

    s = settings()
    project = Project.init(directory, name=name, coder=s.coder, command=s.command)
    err(f"Created project {project.name!r} at {project.path}")
    project.close()


def demo(
    directory: Annotated[Path, typer.Argument(help="Where to build the demo project.")] = Path("demo"),
    source: Annotated[Optional[Path], typer.Option("--from", help="Folder of sample transcripts "
                                                   "(default: the bundled transcripts/).")] = None,
    json_out: Json = False,
) -> None:
    """Build the demo project from the bundled fictional VIG interviews and show what it holds.

    Rebuilds from scratch each time, so running it twice gives the same result.
    Example: gtcode demo /tmp/vig-demo
    """
    from gtcode.demo import build_demo

    s = settings()
    result = build_demo(directory, source, coder=s.coder or "demo", command=s.command)
    with result.project as project:
        stats = project.stats()
        files = [str(project.path), *result.model.get("files", []), *result.outputs] if result.model else \
            [str(project.path)]
        agreement = result.agreement.get("report")
        if json_out:
            print_json({"project": str(project.path), "import": result.report.to_dict(), "stats": stats,
                        "agreement": agreement.to_dict() if agreement else None,
                        "model": project.model.show() if result.model else None,
                        "model_check": [p.to_dict() for p in result.check], "files": files})
            return
        render_import_report(result.report, failures_only=s.quiet)
        _render_demo(result, stats, files)


def _render_demo(result, stats: dict, files: list[str]) -> None:
    """The study, step by step, the files written, and commands to try next."""
    from gtcode.demo import DEMO_DOUBLE_CODED, DEMO_SECOND_CODER

    project, agreement = result.project, result.agreement.get("report")
    roles = stats["cases_by_attribute"].get("role", {})
    echo = typer.echo
    echo("The reference study, end to end (fictional interviews, see transcripts/README.md):")
    echo(f"  1. Imported {stats['documents']} interviews ({stats['words']:,} words; "
         + ", ".join(f"{k}: {n}" for k, n in roles.items()) + "), pseudonymised with transcripts/pseudonym-key.csv")
    if result.autocode is not None:
        accepted = sum(result.accepted.values()) if result.accepted else 0
        echo(f"  2. Open coding: the starter codebook's patterns suggested {result.autocode.added} codings, "
             f"all accepted for the demo ({accepted}); a real study reviews each with 'gtcode review'")
        echo(f"  3. Memos: {len(result.memos)}, with a supervisor's comment and sign-off")
    if agreement:
        o = agreement.overall
        echo(f"  4. Double coding: {DEMO_SECOND_CODER} coded {', '.join(DEMO_DOUBLE_CODED)} blind in a copy, "
             f"merged back; agreement over {agreement.units:,} segments: kappa {o.kappa:.2f}, alpha {o.alpha:.2f}")
    if result.model:
        verdict = "no problems" if not result.check else plural(len(result.check), "problem")
        echo(f"  5. Axial and selective coding: core category {result.model['core']!r}, "
             f"{result.model['relations']} grounded relations; model check: {verdict}")
        echo("")
        render_model(project.model.show())
    echo("")
    echo("Files:")
    for path in files:
        echo(f"  {path}")
    where = project.path.parent
    err(f"\nTry: gtcode -p {where} docs show P01 --segments 12-40"
        f"\n     gtcode -p {where} retrieve \"Feeling judged as a parent\" --context 1"
        f"\n     gtcode -p {where} agreement --disagreements \"Self-consciousness while filming\""
        f"\n     gtcode -p {where} memo list      (memos, with a supervisor's comment and sign-off)"
        f"\n     gtcode -p {where} tui            (code in the terminal)")


@config_app.command("set")
def config_set(key: Annotated[str, typer.Argument(help="user, nlp or interviewer")],
               value: Annotated[str, typer.Argument(help="The value.")]) -> None:
    """Set a setting.

    Example: gtcode config set user "Hannah Reid"
    """
    from gtcode.config import set_config
    path = set_config(key, value)
    err(f"{key} = {value!r} (in {path})")


@config_app.command("unset")
def config_unset(key: Annotated[str, typer.Argument(help="The setting to remove.")]) -> None:
    """Remove a setting.

    Example: gtcode config unset nlp
    """
    from gtcode.config import set_config
    set_config(key, None)
    err(f"{key} removed")


@config_app.command("get")
def config_get(key: Annotated[str, typer.Argument(help="The setting to show.")]) -> None:
    """Print one setting (the coder name resolves as gtcode would).

    Example: gtcode config get user
    """
    from gtcode.config import KNOWN_KEYS, load_config, resolve_coder
    from gtcode.errors import ConfigError
    if key not in KNOWN_KEYS:
        raise ConfigError(f"unknown setting {key!r}; known: {', '.join(KNOWN_KEYS)}")
    value = resolve_coder(settings().coder) if key == "user" else load_config().get(key)
    if value is None:
        raise typer.Exit(1)
    typer.echo(value)


@config_app.command("list")
def config_list(json_out: Json = False) -> None:
    """Show every setting, its value and what it means.

    Example: gtcode config list
    """
    from gtcode.config import KNOWN_KEYS, config_path, load_config
    data = load_config()
    if json_out:
        print_json({"path": str(config_path()), "settings": data})
        return
    width = max(map(len, KNOWN_KEYS))
    for key, meaning in KNOWN_KEYS.items():
        typer.echo(f"{key:{width}} {data.get(key, '(not set)')!s:30} {meaning}")
    err(f"(from {config_path()})")
