"""The root command imports a command's module only when that command runs; the help still lists every
command in the same panels and order as registering them all up front."""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys

import typer
import typer.main
from typer.testing import CliRunner

import gtcode.cli
from gtcode.cli import MODULES, OWNERS, app
from gtcode.cli._app import App
from tests.conftest import invoke


def _eager_app() -> App:
    """The app as it was built before commands were registered lazily: every module, in MODULES order."""
    eager = App(name="gtcode", help=app.info.help)
    eager.registered_callback = app.registered_callback
    for name in MODULES:
        importlib.import_module(f"gtcode.cli.{name}").register(eager)
    return eager


def test_every_command_module_is_registered_and_every_command_has_its_owner():
    with_register = {m.name for m in pkgutil.iter_modules(gtcode.cli.__path__)
                     if hasattr(importlib.import_module(f"gtcode.cli.{m.name}"), "register")}
    assert set(MODULES) == with_register
    owners = {}
    for name in MODULES:
        sub = App()
        importlib.import_module(f"gtcode.cli.{name}").register(sub)
        owners |= {command: name for command in typer.main.get_group(sub).commands}
    assert OWNERS == owners


def test_help_lists_every_command_in_the_same_panels_and_order():
    runner = CliRunner()
    lazy = runner.invoke(app, ["--help"], prog_name="gtcode")
    eager = runner.invoke(_eager_app(), ["--help"], prog_name="gtcode")
    assert lazy.exit_code == 0 and eager.exit_code == 0
    assert lazy.output == eager.output
    for command in OWNERS:
        assert f"│ {command} " in lazy.output


def test_a_read_command_imports_only_its_own_command_module(project, tmp_path):
    (tmp_path / "P01.txt").write_text("Interviewer: Hello.\nP01: The film was good.\n")
    project.docs.import_paths([tmp_path / "P01.txt"])
    script = (f"from gtcode.cli import app\n"
              f"try:\n    app({['-p', str(project.path), 'docs', 'list', '--json']!r}, standalone_mode=False)\n"
              f"except SystemExit:\n    pass\n"
              f"import json, sys\nprint(json.dumps(sorted(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert '"P01"' in done.stdout
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    commands = {m.removeprefix("gtcode.cli.") for m in loaded if m.startswith("gtcode.cli.")}
    assert "documents" in commands
    assert not commands & (set(MODULES) - {"documents"})
    assert "rich.table" not in loaded        # --json draws no table


def test_commands_of_every_module_still_run_and_unknown_ones_are_refused(project):
    assert "P01" not in invoke(project, "docs", "list").output
    assert invoke(project, "codes", "add", "Film").exit_code == 0
    assert "Film" in invoke(project, "codes", "tree").output
    assert invoke(project, "log").exit_code == 0
    wrong = invoke(project, "dcos", "list", ok=False)
    assert wrong.exit_code != 0
    assert "dcos" in wrong.output
