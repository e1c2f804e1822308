"""Shared CLI plumbing: the Typer class whose commands are guarded, and the settings of the running command.

Errors are mapped to output in exactly one place, `GuardedCommand.invoke`: `Error: …` on stderr, the error's
exit code, no traceback unless --debug. The global options (--project, --coder, --quiet, --debug) live on the
root context's `obj` (a `Settings`); `settings()` is the running command's copy.
"""

from __future__ import annotations

import re
import shlex
from contextvars import ContextVar
from dataclasses import dataclass, replace
from pathlib import Path

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup

from gtcode.cli.output import err
from gtcode.errors import GtcodeError

try:  # Typer's coercion internals (0.29); a Typer without them converts every parameter its own way
    from typer._coercion import RuntimeParam, build_runtime_param
    from typer._param_types import coerce_cli_path
except ImportError:  # pragma: no cover
    RuntimeParam = None


@dataclass(frozen=True)
class Settings:
    """The global options of one command line, and that command line (recorded on every event it causes)."""

    project: str | None = None
    coder: str | None = None
    debug: bool = False
    quiet: bool = False
    command: str = "gtcode"


_current: ContextVar[Settings] = ContextVar("gtcode_settings", default=Settings())


def settings() -> Settings:
    """The settings of the command that is running."""
    return _current.get()


def command_line(ctx) -> str:
    """The command as typed (reconstructed from parsed options), recorded on every event it causes."""
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


#: How an option's value is named in help, by its type (as click and uv name them).
_VALUE_NAMES = {"str": "TEXT", "int": "N", "float": "NUMBER", "Path": "PATH", "path": "PATH", "file": "PATH",
                "directory": "DIR"}
_KEEP_LINE = re.compile(r"^(\s|Examples?:|- |• |\* )")


def reflow(text: str | None) -> str | None:
    """A docstring's paragraphs re-flowed for the terminal's width: hard line breaks inside a sentence go, while
    example lines, indented lines and list items keep their own lines (as git's and uv's help read)."""
    if not text:
        return text
    out = []
    for para in text.split("\n\n"):
        lines = para.split("\n")
        merged = [lines[0]]
        for line in lines[1:]:
            if _KEEP_LINE.match(line) or _KEEP_LINE.match(merged[-1]):
                merged.append(line)
            else:
                merged[-1] = merged[-1].rstrip() + " " + line.strip()
        out.append("\n".join(merged))
    return "\n\n".join(out)


def tidy_param(p) -> None:
    """A parameter shown as git and uv show them: a flag shows no value; an option its value's name (`TEXT`,
    `PATH`, `N`, its own metavar, or its choices); an argument its name (`PATHS...`), not a Python type."""
    from typer.core import TyperArgument

    if getattr(p, "_tidy", False):
        return
    p._tidy = True
    if isinstance(p, TyperArgument):
        name = (p.metavar or p.name.upper()) + ("..." if p.nargs != 1 else "")
        p.metavar = name
        p._usage_display_name = lambda: name if p.required else f"[{name}]"
        p.display_type_rich = lambda ctx: None
    elif getattr(p, "is_flag", False) or getattr(p, "count", False):
        p.display_type_rich = lambda ctx: None
    elif p.metavar:
        p.display_type_rich = lambda ctx, name=p.metavar: name
    else:
        shown = p.display_type(None) if hasattr(p, "display_type") else "<str>"
        bare = shown.strip("<>").removeprefix("list[").removesuffix("]")
        name = _VALUE_NAMES.get(bare, bare if "|" in bare else "N" if bare.startswith("int") else bare.upper())
        p.display_type_rich = lambda ctx, name=name: name


_UNSET = object()
_WHOLE = re.compile(r"-?[0-9]+")


class _PlainParam(RuntimeParam or object):
    """Typer's coercion of one parameter, minus pydantic for values already plainly of their type.

    Typer builds a pydantic TypeAdapter for each parameter it converts, and importing pydantic (with its plugin
    loader) is over a third of a minimal Typer app's start-up (benchmarks/run.py). Text, whole numbers in
    range, paths and lists of them come from the command line already what the adapter would return; anything
    else (a bad number, an out-of-range one, a flag's value from the environment) goes to Typer's own
    coercion, so its errors are Typer's.
    """

    def _coerce_value(self, value, param, ctx):
        done = _plain(self.annotation, self.parameter_info, value, param, ctx)
        if done is not _UNSET:
            return done
        param._runtime_param = typer_own = build_runtime_param(param.type_descriptor)
        return typer_own._coerce_value(value, param=param, ctx=ctx)


def _plain(annotation, info, value, param, ctx):
    """`value` as Typer's adapter for `annotation` would return it, or _UNSET where only that adapter can say."""
    if getattr(annotation, "__origin__", None) is list:
        if not isinstance(value, (list, tuple)):
            return _UNSET
        items = [_plain(annotation.__args__[0], info, v, param, ctx) for v in value]
        return _UNSET if any(item is _UNSET for item in items) else items
    if annotation is str or annotation is bool:
        return value if type(value) is annotation else _UNSET
    if annotation is int:
        n = value if type(value) is int else int(value) if isinstance(value, str) and _WHOLE.fullmatch(value) else None
        in_range = n is not None and (info.min is None or n >= info.min) and (info.max is None or n <= info.max)
        return n if in_range else _UNSET
    path_type = info.path_type or annotation
    if isinstance(value, str) and value:
        value = path_type(value)
    return coerce_cli_path(value, info, path_type=path_type, param=param, ctx=ctx) \
        if isinstance(value, path_type) else _UNSET


def _plain_type(annotation, info) -> bool:
    """Whether `_plain` knows `annotation`: text, a flag, a whole number, a path, or a list of one of those."""
    if getattr(annotation, "__origin__", None) is list:
        return _plain_type(annotation.__args__[0], info)
    if annotation in (str, bool, int):
        return True
    path_type = info.path_type or annotation
    return isinstance(annotation, type) and issubclass(annotation, Path) and \
        isinstance(path_type, type) and issubclass(path_type, Path)


def plain_coercion(p) -> None:
    """Give a parameter of a plain type `_PlainParam` as its coercion (see there why)."""
    descriptor = getattr(p, "type_descriptor", None)
    if RuntimeParam is None or descriptor is None or descriptor.is_file or getattr(p, "_runtime_param", 1) is not None:
        return
    info = descriptor.parameter_info
    if info.parser is None and not descriptor.is_choice and _plain_type(descriptor.annotation, info):
        p._runtime_param = _PlainParam(parameter_info=info, annotation=descriptor.annotation)


class _Tidy:
    """Help that reads like git's and uv's: docstrings re-flowed (`reflow`), parameters tidied (`tidy_param`);
    plain parameters converted without pydantic (`plain_coercion`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.help = reflow(self.help)   # before anything lists it: the command list shows its first paragraph

    def get_params(self, ctx):
        params = super().get_params(ctx)
        for p in params:
            tidy_param(p)
            plain_coercion(p)
        return params

    def format_help(self, ctx, formatter):
        self.help = reflow(self.help)
        return super().format_help(ctx, formatter)


class GuardedCommand(_Tidy, TyperCommand):
    """A command that runs with its `Settings` and maps every exception to one clean line."""

    def invoke(self, ctx):
        base = ctx.find_root().obj
        token = _current.set(replace(base if isinstance(base, Settings) else Settings(), command=command_line(ctx)))
        try:
            return super().invoke(ctx)
        except typer.Exit:
            raise
        except KeyboardInterrupt:
            err("Interrupted: nothing was changed.", style="red")
            raise typer.Exit(130) from None
        except BrokenPipeError:
            quiet_broken_pipe()
            raise typer.Exit(141) from None
        except Exception as exc:
            if settings().debug:
                raise
            known = exc if isinstance(exc, GtcodeError) else _known(exc)
            if known is not None:
                err(f"Error: {one_line(str(known))}", style="red")
                raise typer.Exit(known.exit_code) from None
            err(one_line(f"Error: unexpected {type(exc).__name__}: {exc} (run with --debug for the traceback)"),
                style="red")
            raise typer.Exit(70) from None
        finally:
            _current.reset(token)


def quiet_broken_pipe() -> None:
    """The reader of our output went away (`gtcode … | head`): stop quietly, as other Unix tools do, with
    nothing more written to the closed pipe (not even Python's flush at exit)."""
    import os
    import sys

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def one_line(text: str) -> str:
    """`text` with control characters escaped (`\\n`, `\\x1b`): a file name holding a newline or a terminal
    escape cannot split an error over lines or restyle the terminal."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _known(exc: Exception) -> GtcodeError | None:
    """Errors that are not gtcode's own but have a plain meaning for the user: a damaged project file, input
    nested too deeply to read, input too big for memory."""
    from gtcode.errors import Invalid, ProjectDamaged
    from gtcode.store.health import REMEDY, is_damage

    if is_damage(exc):
        where = settings().project or "the project file"
        return ProjectDamaged(f"{where} is damaged: {exc}; {REMEDY}")
    if isinstance(exc, RecursionError):
        return Invalid("nested too deeply to handle (codes or data more levels deep than gtcode can follow); "
                       "nothing was changed")
    if isinstance(exc, MemoryError):
        return Invalid("the input is too large to read in the memory available; nothing was changed")
    return None


class TidyGroup(_Tidy, TyperGroup):
    """A command group whose help reads like its commands'."""


class App(typer.Typer):
    """Typer whose commands are all `GuardedCommand`s, in groups whose help is tidied the same way."""

    def __init__(self, **kwargs):
        kwargs.setdefault("cls", TidyGroup)
        kwargs.setdefault("pretty_exceptions_show_locals", False)  # transcript text must never leak
        kwargs.setdefault("no_args_is_help", True)
        kwargs.setdefault("rich_markup_mode", "rich")
        super().__init__(**kwargs)

    def command(self, *args, **kwargs):
        kwargs.setdefault("cls", GuardedCommand)
        return super().command(*args, **kwargs)


def default_command(name: str):
    """A group class that runs `name` when no subcommand is given: `gtcode review [CODE]` lists,
    `gtcode review accept …` decides."""

    class DefaultGroup(TidyGroup):
        def parse_args(self, ctx, args):
            if not args or (args[0] not in self.commands and args[0] != "--help"):
                args = [name, *args]
            return super().parse_args(ctx, args)

    return DefaultGroup


def lazy_group(modules: tuple[str, ...], owners: dict[str, str]):
    """The root group class: a command's module (`gtcode.cli.<module>`, which has `register(app)`) is imported
    only when that command runs, so `gtcode docs list` does not import every command module and its
    renderers. Listing the commands (`--help`, a mistyped name, completion) registers every module in the order
    of `modules`, so the help panels and their order are exactly those of registering them all up front.
    `owners` maps a top-level command to its module; a name not in it loads every module."""

    class LazyGroup(TidyGroup):
        _complete = False

        def _register(self, names) -> dict:
            import importlib

            sub = App()
            for name in names:
                importlib.import_module(f"gtcode.cli.{name}").register(sub)
            return typer.main.get_group(sub).commands

        def _load_all(self) -> None:
            if not self._complete:
                full = self._register(modules)
                extra = {k: v for k, v in self.commands.items() if k not in full}
                self.commands = {k: self.commands.get(k, v) for k, v in full.items()} | extra
                self._complete = True

        def list_commands(self, ctx):
            self._load_all()
            return super().list_commands(ctx)

        def get_command(self, ctx, cmd_name):
            if cmd_name not in self.commands:
                if cmd_name in owners:
                    for k, v in self._register([owners[cmd_name]]).items():
                        self.commands.setdefault(k, v)
                else:
                    self._load_all()
            return super().get_command(ctx, cmd_name)

    return LazyGroup


def open_project():
    from gtcode.project import Project

    s = settings()
    project = Project.open(s.project, coder=s.coder, command=s.command)
    project.debug = s.debug
    return project
