"""The README's tutorial runs exactly as written, command by command, on the bundled study."""

from __future__ import annotations

import os
import re
import shlex
import shutil
from pathlib import Path

from tests.conftest import TRANSCRIPTS, invoke

REPO = TRANSCRIPTS.parent
#: Commands whose non-zero exit is the point (model check reports open problems with exit 1).
MAY_FAIL = {("model", "check")}


def tutorial_lines() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- tutorial -->\s*```sh\n(.*?)```", text, re.S)
    assert block, "README.md has no tutorial block"
    return [line for line in block.group(1).splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_readme_tutorial_runs_as_written(tmp_path, monkeypatch):
    # A scratch checkout: the tutorial's relative paths (../transcripts, ../codebooks) resolve as in the repo.
    shutil.copytree(TRANSCRIPTS, tmp_path / "transcripts")
    shutil.copytree(REPO / "codebooks", tmp_path / "codebooks")
    monkeypatch.chdir(tmp_path)
    ran = []
    for line in tutorial_lines():
        words = shlex.split(line, comments=True)
        if words[0] == "source":
            continue
        if words[0] == "export":
            name, value = words[1].split("=", 1)
            monkeypatch.setenv(name, value)
        elif words[0] == "cd":
            os.chdir(words[1])
        elif words[0] == "cp":
            shutil.copy(words[1], words[2])
        elif words[0] == "gtcode":
            args = words[1:]
            if args == ["tui"]:
                continue  # interactive: covered by tests/tui/test_tui.py
            result = invoke(None, *args, ok=False)
            key = tuple(a for a in args if not a.startswith("-"))[:2]
            if key not in MAY_FAIL:
                assert result.exit_code == 0, f"{line}\n{result.output}"
            ran.append(key)
        else:
            raise AssertionError(f"the tutorial has a line this test cannot run: {line}")
    assert len(ran) > 30
    out = Path.cwd()
    for name in ("gtcode.db", "model.svg", "report.docx", "codings.csv", "study.qdpx"):
        assert (out / name).stat().st_size > 0, name
