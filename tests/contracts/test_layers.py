"""The import contracts in pyproject.toml: layers (skins > jobs > facade > questions > nouns > kernel), no
cycles between sibling modules or packages, and no terminal toolkit in the library."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.conftest import REPO

LINT = ("import sys\nfrom importlinter.cli import lint_imports\n"
        "sys.exit(lint_imports(config_filename='{config}', no_cache=True, no_logo=True))")


def _lint(cwd, config="pyproject.toml"):
    return subprocess.run([sys.executable, "-c", LINT.format(config=config)], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


def test_gtcode_keeps_its_import_contracts():
    done = _lint(REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 kept, 0 broken" in done.stdout


def test_the_cycle_contract_catches_a_cycle(tmp_path):
    # The same contract types on a two-module package that imports itself in a circle: reported broken.
    pkg = tmp_path / "circle"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("def f():\n    from circle import b\n")   # lazy imports count too
    (pkg / "b.py").write_text("from circle import a\n")
    (tmp_path / "contracts.toml").write_text(textwrap.dedent("""
        [tool.importlinter]
        root_package = "circle"
        [[tool.importlinter.contracts]]
        name = "no cycles"
        type = "acyclic_siblings"
        ancestors = ["circle"]
    """))
    done = _lint(tmp_path, "contracts.toml")
    assert done.returncode == 1 and "BROKEN" in done.stdout, done.stdout + done.stderr
