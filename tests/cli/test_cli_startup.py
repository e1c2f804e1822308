"""Start-up (issue 19): read commands skip pydantic and the facade modules they do not use, and the CLI's own
conversion of plain parameters gives exactly what Typer's would, errors included."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Annotated, Optional

import pytest
import typer
from typer.testing import CliRunner

from gtcode.cli._app import App


def _loaded_after(argv: list[str]) -> tuple[str, set[str]]:
    """What `gtcode ARGV` printed, and every module a fresh interpreter had loaded by its end."""
    script = (f"from gtcode.cli import app\n"
              f"try:\n    app({argv!r}, standalone_mode=False)\n"
              f"except SystemExit:\n    pass\n"
              f"import json, sys\nprint(json.dumps(sorted(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    *shown, modules = done.stdout.strip().splitlines()
    return "\n".join(shown), set(json.loads(modules))


@pytest.fixture
def small(project, tmp_path):
    (tmp_path / "P01.txt").write_text("Interviewer: How was it?\nP01: The film was good. I was nervous.\n")
    project.docs.import_paths([tmp_path / "P01.txt"])
    project.codes.add("Feelings")
    project.codes.add("Nerves", parent="Feelings")
    project.coding.apply("D1:3", "Nerves")
    return project


@pytest.mark.parametrize("argv, shows", [
    (["docs", "list"], "P01"), (["docs", "list", "--json"], '"P01"'), (["codes", "tree"], "Nerves"),
    (["retrieve", "Nerves"], "I was nervous"), (["search", "film", "--limit", "5"], "film"),
])
def test_read_commands_do_not_import_pydantic(small, argv, shows):
    shown, loaded = _loaded_after(["-p", str(small.path), *argv])
    assert shows in shown
    assert not {m for m in loaded if m.split(".")[0] in ("pydantic", "pydantic_core")}


def test_docs_list_loads_only_the_facade_module_it_calls(small):
    _, loaded = _loaded_after(["-p", str(small.path), "docs", "list", "--json"])
    facade = {m for m in loaded if m.startswith("gtcode.project.")}
    assert "gtcode.project._data" in facade
    assert not facade & {"gtcode.project._theory", "gtcode.project._open_coding", "gtcode.project._assist"}


def test_version_does_not_open_the_store_modules():
    shown, loaded = _loaded_after(["--version"])
    assert shown.startswith("gtcode ")
    assert "gtcode.project" not in loaded and "gtcode.store.db" not in loaded


def test_a_namespace_is_made_once_and_old_names_still_reach_it(small):
    assert small.docs is small.docs
    assert small.codes.get("Nerves").path == "Feelings/Nerves"
    with pytest.warns(DeprecationWarning, match="use Project.docs.list"):
        assert [d.name for d in small.documents()] == ["P01"]


# --- the CLI's conversion of plain parameters against Typer's own -------------------------------------------

def _record(seen: dict):
    def command(
        name: Annotated[str, typer.Argument()],
        paths: Annotated[Optional[list[Path]], typer.Argument()] = None,
        label: Annotated[Optional[str], typer.Option()] = None,
        count: Annotated[int, typer.Option()] = 20,
        least: Annotated[int, typer.Option(min=1, max=9)] = 3,
        tag: Annotated[Optional[list[str]], typer.Option()] = None,
        out: Annotated[Optional[Path], typer.Option("-o")] = None,
        flag: Annotated[bool, typer.Option("--flag")] = False,
    ) -> None:
        seen.update(name=name, paths=paths, label=label, count=count, least=least, tag=tag, out=out, flag=flag)
    return command


def _run_both(argv: list[str], env: dict | None = None):
    """The same command under gtcode's App and under a stock Typer app: (exit code, output, values) of each.
    The usage line is left out of the output: gtcode's names its arguments as git does (`NAME [PATHS...]`)."""
    results = []
    for kind in (App, typer.Typer):
        seen: dict = {}
        app = kind()
        app.command("run")(_record(seen))
        app.command("other")(lambda: None)
        result = CliRunner().invoke(app, ["run", *argv], env=env, prog_name="x")
        results.append((result.exit_code, result.output.split("\n", 1)[-1], seen))
    return results


@pytest.mark.parametrize("argv", [
    ["Nerves"],
    ["Nerves", "a.txt", "~/b/c.docx", "--label", "mother", "--count", "05", "--least", "9", "--tag", "x",
     "--tag", "y y", "-o", "out/report.md", "--flag"],
    ["Nerves", "--count", "-3", "--label", ""],
    ["Nerves", "--count", "007", "--least", "1", "--tag", ""],
])
def test_plain_parameters_get_the_values_typer_gives(argv):
    ours, typers = _run_both(argv)
    assert ours[0] == 0, ours[1]
    assert ours == typers
    values = ours[2]
    assert type(values["count"]) is int and type(values["least"]) is int
    assert all(type(v) is str for v in values["tag"] or [])
    if values["out"] is not None:
        assert isinstance(values["out"], Path) and all(isinstance(p, Path) for p in values["paths"])


@pytest.mark.parametrize("argv", [
    ["Nerves", "--count", "ten"], ["Nerves", "--count", "1.5"], ["Nerves", "--least", "0"],
    ["Nerves", "--least", "12"], ["Nerves", "--count", "٣"], ["Nerves", "--count", " 4"],
])
def test_values_that_are_not_plain_get_typers_own_answer(argv):
    ours, typers = _run_both(argv)
    assert ours == typers
    if "ten" in argv or "0" in argv:
        assert ours[0] == 2 and "Invalid value for '--" in ours[1]


def test_values_from_the_environment_convert_as_typer_converts_them():
    def command(limit: Annotated[int, typer.Option(envvar="X_LIMIT")] = 1,
                who: Annotated[Optional[str], typer.Option(envvar="X_WHO")] = None) -> None:
        print(repr(limit), repr(who))

    outputs = []
    for kind in (App, typer.Typer):
        app = kind()
        app.command("run")(command)
        app.command("other")(lambda: None)
        outputs.append(CliRunner().invoke(app, ["run"], env={"X_LIMIT": "12", "X_WHO": "ana"}).output)
    assert outputs[0] == outputs[1] == "12 'ana'\n"
