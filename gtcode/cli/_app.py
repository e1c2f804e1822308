"""Shared CLI plumbing: the guarded Typer class, global state, consoles, output helpers.

Errors are mapped to output in exactly one place, `_guard`: `Error: …` on
stderr, the error's exit code, no traceback unless --debug.
"""

from __future__ import annotations

import functools
import json
import sys
from dataclasses import dataclass

import typer

from gtcode.errors import GtcodeError


@dataclass
class State:
    project: str | None = None
    coder: str | None = None
    debug: bool = False
    quiet: bool = False
    command: str = "gtcode"


state = State()


def err(message: str, style: str | None = None) -> None:
    """A message for people: stderr, so stdout stays data."""
    from rich.console import Console

    Console(stderr=True, highlight=False, soft_wrap=True).print(message, style=style, markup=False)


def out_console():
    from rich.console import Console

    return Console(highlight=False)


def print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def _command_line(ctx) -> str:
    """The command as typed (reconstructed from parsed options), recorded on every event it causes."""
    import shlex

    chain = []
    while ctx is not None:
        chain.append(ctx)
        ctx = ctx.parent
    words = ["gtcode"]
    for c in reversed(chain):
        if c.parent is not None:
            words.append(c.info_name)
        for param in c.command.params:
            value = c.params.get(param.name)
            if value in (None, False, (), []) or value == param.default:
                continue
            values = value if isinstance(value, (list, tuple)) else [value]
            if getattr(param, "param_type_name", "") == "argument":
                words.extend(str(v) for v in values)
            elif value is True:
                words.append(param.opts[0])
            else:
                for v in values:
                    words.extend([param.opts[0], str(v)])
    return " ".join([words[0], *(shlex.quote(w) for w in words[1:])])


def _guard(fn):
    """Map every exception from a command to one clean line (see module docstring)."""

    @functools.wraps(fn)
    def wrapper(*args, _gtcode_ctx: typer.Context, **kwargs):
        try:
            state.command = _command_line(_gtcode_ctx)
            return fn(*args, **kwargs)
        except typer.Exit:
            raise
        except GtcodeError as exc:
            if state.debug:
                raise
            err(f"Error: {exc}", style="red")
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err("Interrupted: nothing was changed.", style="red")
            raise typer.Exit(130) from None
        except Exception as exc:
            if state.debug:
                raise
            err(f"Error: unexpected {type(exc).__name__}: {exc} (run with --debug for the traceback)", style="red")
            raise typer.Exit(70) from None

    # Ask Typer for the click context too (to record the command line), without
    # every command having to declare it.
    import inspect

    sig = inspect.signature(fn, eval_str=True)
    extra = inspect.Parameter("_gtcode_ctx", inspect.Parameter.KEYWORD_ONLY, annotation=typer.Context)
    wrapper.__signature__ = sig.replace(parameters=[*sig.parameters.values(), extra])
    wrapper.__annotations__ = {**{k: p.annotation for k, p in sig.parameters.items()}, "_gtcode_ctx": typer.Context}
    return wrapper


class App(typer.Typer):
    """Typer whose commands all pass through `_guard`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("pretty_exceptions_show_locals", False)  # transcript text must never leak
        kwargs.setdefault("no_args_is_help", True)
        kwargs.setdefault("rich_markup_mode", "rich")
        super().__init__(**kwargs)

    def command(self, *args, **kwargs):
        register = super().command(*args, **kwargs)

        def decorator(fn):
            register(_guard(fn))
            return fn

        return decorator


def default_command(name: str):
    """A group class that runs `name` when no subcommand is given: `gtcode review [CODE]` lists,
    `gtcode review accept …` decides."""
    from typer.core import TyperGroup

    class DefaultGroup(TyperGroup):
        def parse_args(self, ctx, args):
            if not args or (args[0] not in self.commands and args[0] != "--help"):
                args = [name, *args]
            return super().parse_args(ctx, args)

    return DefaultGroup


def open_project():
    from gtcode.project import Project

    project = Project.open(state.project, coder=state.coder, command=state.command)
    project.debug = state.debug
    return project


def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return ""
    s = int(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"
