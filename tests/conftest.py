"""Shared fixtures and helpers: every test runs in its own folder with its own config, never the user's;
`invoke` runs the CLI for the tests in every folder."""

from __future__ import annotations

import os
import shlex
import sys
from contextlib import contextmanager
from pathlib import Path

# Bytecode is written (to __pycache__, which git ignores) for this run and the processes it starts (the CLI in a
# subprocess, the import-hygiene forks): where PYTHONDONTWRITEBYTECODE is set, each would compile gtcode again.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False

# One thread for each BLAS and OpenMP pool numpy, SciPy and scikit-learn start, in this run and the processes it
# starts (set before any of them loads). Each pool otherwise takes a thread per core, in each of the two test
# processes on two cores, and the threads spin waiting on each other: clustering the demo's passages took 8 s, not 0.1.
for _pool in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_pool, "1")

import pytest  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from gtcode.cli import app  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
TRANSCRIPTS = REPO / "transcripts"
SHARED = REPO.parent / "shared"


def body(doc, turn) -> str:
    """The speech of a turn (after its speaker label)."""
    return doc.text[turn.body_start:turn.end]


def speakers(doc) -> list[str | None]:
    return [t.speaker for t in doc.turns]


def pytest_make_parametrize_id(config, val, argname):
    """Long texts as test ids make collection crawl (a 200,000-character id cost minutes): name them by size."""
    if isinstance(val, (str, bytes)) and len(val) > 80:
        return f"{argname}-{len(val)}chars"
    return None


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """No test touches the user's files, config or projects; Rich output has a fixed width."""
    monkeypatch.setenv("GTCODE_CONFIG", str(tmp_path / "config" / "config.toml"))
    monkeypatch.delenv("GTCODE_PROJECT", raising=False)
    monkeypatch.delenv("GTCODE_USER", raising=False)
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.chdir(tmp_path)
    yield


_runner = CliRunner()


def invoke(project, *args, ok=True, input=None, env=None, coder=None):
    """Run `gtcode [-p PROJECT] [--coder CODER] ARGS…` in-process and return the Result.

    `project` is a Project, a path, or None (no -p). With `ok` the command must exit 0 (its output is shown
    if not); with ok=False the test checks the exit code itself."""
    argv = [] if project is None else ["-p", str(getattr(project, "path", project))]
    if coder is not None:
        argv += ["--coder", coder]
    argv += [str(a) for a in args]
    result = _runner.invoke(app, argv, input=input, env=env)
    if ok:
        assert result.exit_code == 0, f"gtcode {shlex.join(argv)}\n{result.output}"
    return result


def table_rows(project, tables, order="rowid") -> dict[str, list[tuple]]:
    """Every row of these tables in order: compare before and after to check a command changed nothing."""
    return {t: [tuple(r) for r in project.store.all(f"SELECT * FROM {t} ORDER BY {order}")] for t in tables}


@pytest.fixture(scope="session")
def migrated_file(tmp_path_factory) -> Path:
    """An empty project file with every migration applied, made once per test process: `project` copies it rather
    than running the migrations again for each of the ~560 tests that ask for one (tens of ms each)."""
    from gtcode.store.db import Store
    from gtcode.store.schema import DB_FILENAME

    path = tmp_path_factory.mktemp("migrated") / DB_FILENAME
    Store.create(path).close()
    return path


def init_from(migrated: Path, folder: Path, coder: str):
    """What `Project.init(folder, coder=coder)` returns, from a copy of `migrated`: the project's row and its
    `project.init` event are written as init writes them (test_project checks the two give the same file)."""
    import shutil

    from gtcode import Project

    folder.mkdir(parents=True)
    shutil.copyfile(migrated, folder / migrated.name)
    project = Project.open(folder, coder=coder)
    with project.transaction() as txn:
        project.store.name_project(txn, folder.resolve().name)
    return project


@pytest.fixture
def project(migrated_file, tmp_path):
    p = init_from(migrated_file, tmp_path / "proj", "tester")
    yield p
    p.close()


@contextmanager
def own_config(folder: Path):
    """Config and identity under `folder` for fixtures built before the per-test `isolated` applies."""
    patch = pytest.MonkeyPatch()
    patch.setenv("GTCODE_CONFIG", str(folder / "config" / "config.toml"))
    patch.delenv("GTCODE_PROJECT", raising=False)
    patch.delenv("GTCODE_USER", raising=False)
    try:
        yield
    finally:
        patch.undo()


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory):
    """The demo study, built once per test process with its own config: read its result, never change its folder
    (`demo_copy` gives a test a project of its own). Its folder is `demo_build.folder`."""
    from gtcode.demo import build_demo

    base = tmp_path_factory.mktemp("demo-build")
    with own_config(base):
        result = build_demo(base / "demo")
        result.project.close()
    folder = base / "demo"
    result.folder = folder
    return result


def copy_demo(demo_build, folder: Path) -> Path:
    """Copy the demo study's folder to `folder`; the path of the copy's project file."""
    import shutil

    shutil.copytree(demo_build.folder, folder)
    return folder / demo_build.project.path.name


@pytest.fixture
def demo_copy(demo_build, tmp_path):
    """A copy of the demo study's folder under this test's `tmp_path`, opened as coder 'demo'."""
    from gtcode import Project

    with Project.open(copy_demo(demo_build, tmp_path / "demo"), coder="demo") as project:
        yield project


def write_docx(path: Path, paragraphs, table=None) -> Path:
    """A real .docx: each paragraph is a string, or a list of (text, bold) runs."""
    import docx

    d = docx.Document()
    for para in paragraphs:
        p = d.add_paragraph()
        runs = [(para, False)] if isinstance(para, str) else para
        for text, bold in runs:
            p.add_run(text).bold = bold
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
    d.save(str(path))
    return path


@pytest.fixture
def make_docx():
    return write_docx


def assert_golden(text: str, golden: Path) -> None:
    """`text` equals the golden file; GTCODE_UPDATE_GOLDEN=1 rewrites it after a deliberate change."""
    if os.environ.get("GTCODE_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8", newline="\n")
    assert golden.is_file(), f"no golden file {golden}; run with GTCODE_UPDATE_GOLDEN=1"
    assert text == golden.read_text(encoding="utf-8"), f"{golden.name} differs from its golden file"


def import_gtcode_modules() -> None:
    """Import every library module, before a test patches `now`: a module first imported while it is patched
    would bind the fake for good (`from .store.db import now`) and stamp later tests' data with it."""
    import importlib
    import pkgutil

    import gtcode

    for info in pkgutil.walk_packages(gtcode.__path__, "gtcode."):
        if not info.name.startswith(("gtcode.cli", "gtcode.tui", "gtcode.__main__")):
            importlib.import_module(info.name)
