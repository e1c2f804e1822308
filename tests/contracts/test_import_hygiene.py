"""Start-up matters in a terminal: heavy libraries load only for commands that need them,
and the core library never imports the CLI's toolkit."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import gtcode

HEAVY = ("spacy", "sqlite_utils", "docx", "networkx", "numpy", "matplotlib", "textual", "yaml")
UI = ("typer", "rich", "textual", "click")


def modules_loaded(code: str, cwd: Path | None = None) -> set[str]:
    """The top-level modules a fresh interpreter has loaded after running `code`."""
    script = code + "\nimport sys, json\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=cwd)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


CORE = sorted(m.name for m in pkgutil.walk_packages(gtcode.__path__, "gtcode.")
              if not m.name.startswith(("gtcode.cli", "gtcode.tui", "gtcode.__main__")))


@pytest.mark.parametrize("module", CORE)
def test_core_module_does_not_import_ui_toolkits(module):
    loaded = modules_loaded(f"import {module}")
    ui = set(UI) - ({"click"} if "sqlite_utils" in loaded else set())  # sqlite-utils' own dependency
    assert not loaded & ui


def test_opening_a_project_loads_nothing_heavy(project):
    loaded = modules_loaded(f"from gtcode import Project\np = Project.open({str(project.path)!r})\np.documents()")
    assert not loaded & set(HEAVY)


@pytest.mark.parametrize("argv", [
    ["docs", "list"], ["docs", "show", "P01"], ["search", "film"], ["stats"], ["cases", "list"], ["--help"],
    ["docs", "list", "--json"], ["codes", "tree"], ["codes", "list"], ["log"], ["retrieve", "Film"],
    ["codes", "show", "Film"], ["review"], ["compare", "Film", "Film/Camera"], ["audit"], ["memo", "list"],
    ["cooccur"], ["matrix", "--cols", "role"], ["saturation"], ["category", "list"], ["relations"],
])
def test_read_commands_do_not_import_heavy_libraries(project, tmp_path, argv):
    (tmp_path / "P01.txt").write_text("Interviewer: Hello.\nP01: The film was good.\n")
    project.docs.import_paths([tmp_path / "P01.txt"])
    project.codes.add("Film")
    project.codes.add("Film/Camera")
    project.coding.apply("D1:2", "Film")
    project.cases.set("P01", {"role": "mother"})
    code = (f"from gtcode.cli import app\n"
            f"try:\n    app({['-p', str(project.path), *argv]!r}, standalone_mode=False)\n"
            f"except SystemExit:\n    pass")
    loaded = modules_loaded(code)
    assert not loaded & set(HEAVY), loaded & set(HEAVY)
