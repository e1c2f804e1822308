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

HEAVY = ("spacy", "sqlite_utils", "docx", "networkx", "numpy", "matplotlib", "textual", "yaml", "wordllama")
UI = ("typer", "rich", "textual", "click")


def modules_loaded(code: str, cwd: Path | None = None) -> set[str]:
    """The top-level modules a fresh interpreter has loaded after running `code`."""
    script = code + "\nimport sys, json\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=cwd)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


CORE = sorted(m.name for m in pkgutil.walk_packages(gtcode.__path__, "gtcode.")
              if not m.name.startswith(("gtcode.cli", "gtcode.tui", "gtcode.__main__")))


#: One interpreter forks a fresh child per module; the child imports just that module and reports `sys.modules`
#: (the same answer as a new interpreter per module, at a fraction of the start-up cost). Modules are grouped by
#: the package that holds them: a child imports the package, then forks one grandchild per module, which imports
#: only that module. `import gtcode.exchange.qdc` runs `gtcode`, then `gtcode.exchange`, then the module, in that
#: order, so each grandchild is in the state a fresh interpreter's import would reach, without importing its
#: package (gtcode.exchange pulls in most of the library) once per module.
_FORK_EACH = """
import json, os, sys
from collections import defaultdict


def forked(work):
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            answer = work()
        except BaseException as exc:
            answer = {"error": repr(exc)}
        with os.fdopen(write, "w") as pipe:
            pipe.write(json.dumps(answer))
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        answer = json.loads(pipe.read())
    os.waitpid(pid, 0)
    return answer


def alone(module):
    __import__(module)
    return sorted({m.split('.')[0] for m in sys.modules})


def in_package(package, members):
    try:
        __import__(package)
    except BaseException as exc:
        return {m: {"error": repr(exc)} for m in members}
    return {m: forked(lambda: alone(m)) for m in members}


groups = defaultdict(list)
for module in json.loads(sys.argv[1]):
    groups[module.rpartition('.')[0]].append(module)
out = {}
for package, members in groups.items():
    out.update(forked(lambda: in_package(package, members)))
print(json.dumps(out))
"""


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs os.fork")
def test_no_core_module_imports_ui_toolkits():
    """Every library module, each imported alone (one test, so the ~130 imports run once, not once per worker)."""
    done = subprocess.run([sys.executable, "-c", _FORK_EACH, json.dumps(CORE)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    imports = json.loads(done.stdout)
    assert sorted(imports) == CORE
    failed = {m: loaded for m, loaded in imports.items() if not isinstance(loaded, list)}
    assert not failed, failed
    offenders = {}
    for module, loaded in imports.items():
        ui = set(UI) - ({"click"} if "sqlite_utils" in loaded else set())  # sqlite-utils' own dependency
        if set(loaded) & ui:
            offenders[module] = sorted(set(loaded) & ui)
    assert not offenders, offenders


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
