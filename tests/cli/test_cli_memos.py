"""`gtcode memo`: the editor path with a fake editor, stdin, show/list/history, comments and sign-off,
links, types and export, on the library tests' study."""

from __future__ import annotations

import json
import stat
import sys

import pytest

from tests.conftest import invoke
from tests.lib import test_memos as lib
from tests.lib.test_memos import memo_rows

study = lib.study  # the library tests' fixture, shared rather than copied


def _fake_editor(tmp_path, content: str | None, status: int = 0):
    """A script that writes `content` into the file it is given (or leaves it) and exits with `status`."""
    script = tmp_path / "fake-editor"
    lines = ["#!" + sys.executable, "import sys, pathlib"]
    if content is not None:
        lines.append(f"pathlib.Path(sys.argv[1]).write_text({content!r}, encoding='utf-8')")
    lines.append(f"sys.exit({status})")
    script.write_text("\n".join(lines) + "\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(script)


def test_cli_memo_new_in_the_editor(study, tmp_path):
    editor = _fake_editor(tmp_path, "# Seen on film\n\nShe saw [[D1:3]] differently.\n")
    res = invoke(study, "memo", "new", "--type", "reflexive", "--link", "code:Fear of judgement",
              env={"EDITOR": editor, "VISUAL": ""})
    assert "Memo #1 'Seen on film' (reflexive) saved with 2 links" in res.stderr
    memo = study.memos.get(1)
    assert memo.body == "She saw [[D1:3]] differently."


def test_cli_editor_failures_save_nothing(study, tmp_path):
    before = memo_rows(study)
    res = invoke(study, "memo", "new", "--title", "X", env={"EDITOR": _fake_editor(tmp_path, "# X\n\n")}, ok=False)
    assert res.exit_code == 1 and "Empty memo: nothing was created" in res.stderr
    res = invoke(study, "memo", "new", "--title", "X", env={"EDITOR": _fake_editor(tmp_path, "# X\n\nbody", 3)},
              ok=False)
    assert res.exit_code == 1 and "exited with status 3; nothing was saved" in res.stderr
    res = invoke(study, "memo", "new", "--title", "X", env={"EDITOR": "", "VISUAL": "", "PATH": str(tmp_path / "none")},
              ok=False)
    assert res.exit_code == 1 and "no editor found" in res.stderr and "--body" in res.stderr
    assert memo_rows(study) == before


def test_cli_body_stdin_show_list_history(study):
    invoke(study, "memo", "new", "--title", "Scripted", "--body", "-", "--type", "code", input="From stdin [[D1:2]]\n")
    invoke(study, "memo", "edit", "1", "--body", "Now revised.")
    shown = json.loads(invoke(study, "memo", "show", "1", "--json").stdout)
    assert shown["body"] == "Now revised." and shown["version"] == 2 and shown["review"] == "unreviewed"
    out = invoke(study, "memo", "show", "1").stdout
    assert "Scripted" in out and "Now revised." in out
    listed = json.loads(invoke(study, "memo", "list", "--json").stdout)
    assert [m["title"] for m in listed] == ["Scripted"]
    history = json.loads(invoke(study, "memo", "history", "1", "--json").stdout)
    assert [v["body"] for v in history] == ["From stdin [[D1:2]]", "Now revised."]


def test_cli_comment_signoff_and_codes_show(study):
    invoke(study, "memo", "new", "--title", "On fear", "--body", "x", "--link", "code:Fear of judgement")
    invoke(study, "--coder", "Dr Okafor", "memo", "comment", "1", "Good start.")
    res = invoke(study, "--coder", "Dr Okafor", "memo", "signoff", "1", "--note", "agreed")
    assert "Signed off memo #1 version 1 as Dr Okafor" in res.stderr
    out = invoke(study, "memo", "show", "1").stdout
    assert "Good start." in out and "Signed off v1 by Dr Okafor" in out
    shown = json.loads(invoke(study, "codes", "show", "Fear of judgement", "--json").stdout)
    assert shown["memos"] == [{"id": 1, "title": "On fear", "type": "theoretical", "version": 1,
                               "review": "signed off"}]


@pytest.mark.parametrize("args, message", [
    (["memo", "show", "9"], "no memo '9'"),
    (["memo", "link", "9", "code:Barriers"], "no memo"),
    (["memo", "link", "1", "code:Barriers", "code:Nope"], "no code 'Nope'"),
    (["memo", "new", "--title", "T", "--body", "x", "--link", "seg:D1:99"], "no segment 99"),
    (["memo", "new", "--title", "T", "--body", "x", "--type", "diary"], "memo type 'diary'"),
    (["memo", "comment", "9", "hello"], "no memo"),
])
def test_cli_bad_input_one_line(study, args, message):
    study.memos.new("Existing", "text")
    before = memo_rows(study)
    res = invoke(study, *args, ok=False)
    assert res.exit_code == 1 and message in res.stderr and len(res.stderr.strip().splitlines()) == 1, res.stderr
    assert memo_rows(study) == before


def test_cli_link_unlink_types_and_export(study, tmp_path):
    invoke(study, "memo", "new", "--title", "On fear", "--body", "See [[D1:3]].")
    invoke(study, "memo", "link", "1", "seg:D1:2", "code:Fear of judgement")
    assert {link.label for link in study.memos.get(1).links} == {"D1:2", "D1:3", "Barriers/Fear of judgement"}
    invoke(study, "memo", "unlink", "1", "seg:D1:2")
    assert {link.label for link in study.memos.get(1).links} == {"D1:3", "Barriers/Fear of judgement"}
    res = invoke(study, "memo", "unlink", "1", "seg:D1:3", ok=False)   # a [[reference]] goes by editing the text
    assert res.exit_code == 1 and "edit them out" in res.stderr
    res = invoke(study, "memo", "types", "--add", "analytic", "--description", "notes on sampling")
    assert "analytic" in res.stdout and "reflexive" in res.stdout
    invoke(study, "memo", "export", "--format", "md", "-o", str(tmp_path / "memos"))
    files = sorted(p.name for p in (tmp_path / "memos").iterdir())
    assert "index.md" in files and any(name.startswith("0001-") for name in files)
    res = invoke(study, "memo", "export", "--format", "pdf", "-o", str(tmp_path / "x"), ok=False)
    assert res.exit_code == 1 and "expected md or docx" in res.stderr
