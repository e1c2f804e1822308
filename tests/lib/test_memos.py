"""Memos: typed, linked, versioned; comments and sign-off; the editor path with a fake editor."""

from __future__ import annotations

import json
import stat
import sys

import pytest
from typer.testing import CliRunner

from gtcode.cli import app
from gtcode.errors import BadLink, InputError, UnknownMemo

runner = CliRunner()
TEXT = ("Interviewer: How did the filming feel?\n\n"
        "P01: I thought they were collecting evidence. I hated the camera. Then I saw her smile.\n")


@pytest.fixture
def study(project, tmp_path):
    (tmp_path / "P01.txt").write_text(TEXT, encoding="utf-8")
    project.docs.import_paths([tmp_path / "P01.txt"], case="P01")
    project.codes.add("Barriers")
    project.codes.add("Fear of judgement", "Barriers")
    project.coding.apply("D1:2", "Fear of judgement")
    return project


def _memo_rows(project):
    s = project.store
    return {t: [tuple(r) for r in s.all(f"SELECT * FROM {t} ORDER BY id")]
            for t in ("memos", "memo_versions", "memo_links", "memo_comments", "memo_signoffs")}


def test_new_memo_with_links_and_references(study):
    memo, unresolved = study.memos.new(
        "Being watched", "Mothers feel assessed: [[D1:2]] and [[code:Fear of judgement]]; see [[memo:7]].",
        type="theoretical", links=["doc:P01"])
    assert unresolved == ["memo:7"]          # reported, not dropped
    assert [(link.type, link.label, link.source) for link in memo.links] == [
        ("document", "P01", "explicit"), ("segment", "D1:2", "reference"),
        ("code", "Barriers/Fear of judgement", "reference")]
    seg = next(link for link in memo.links if link.type == "segment")
    assert seg.text == "I thought they were collecting evidence."
    assert memo.review == "unreviewed" and memo.author == "tester"


def test_bad_links_and_types_create_nothing(study):
    before = _memo_rows(study)
    with pytest.raises(BadLink, match="no code 'Nope'"):
        study.memos.new("T", "text", links=["code:Nope"])
    with pytest.raises(BadLink, match="expected code:NAME"):
        study.memos.new("T", "text", links=["banana"])
    with pytest.raises(InputError, match="memo type 'theory'"):
        study.memos.new("T", "text", type="theory")
    with pytest.raises(InputError, match="empty memo"):
        study.memos.new("T", "   ")
    with pytest.raises(UnknownMemo):
        study.memos.get(42)
    assert _memo_rows(study) == before


def test_versions_never_lose_text(study):
    memo, _ = study.memos.new("Draft", "First thought.")
    study.memos.edit(memo.id, body="Second thought.")
    study.memos.edit(memo.id, title="Better title")
    versions = study.memos.history(memo.id)
    assert [(v.version, v.title, v.body) for v in versions] == [
        (1, "Draft", "First thought."), (2, "Draft", "Second thought."), (3, "Better title", "Second thought.")]
    assert "-First thought." in versions[1].diff and "+Second thought." in versions[1].diff
    assert study.memos.get(memo.id).version == 3
    with pytest.raises(InputError, match="nothing was saved"):
        study.memos.edit(memo.id, body="")
    assert len(study.memos.history(memo.id)) == 3


def test_comments_signoff_and_changed_since(study):
    memo, _ = study.memos.new("Being watched", "Text.")
    study.coder = "Dr Okafor"
    first = study.memos.comment(memo.id, "Say more about practitioners.")
    study.memos.comment(memo.id, "And the second trust?", reply_to=first.id)
    study.memos.signoff(memo.id, "read")
    study.coder = "tester"
    assert study.memos.get(memo.id).review == "signed off"
    assert [m.id for m in study.memos.list(unreviewed=True)] == []
    study.memos.edit(memo.id, body="Text, revised.")
    m = study.memos.get(memo.id)
    assert m.review == "changed since sign-off"
    assert [(c.author, c.parent_id) for c in m.comments] == [("Dr Okafor", None), ("Dr Okafor", first.id)]
    assert [x.id for x in study.memos.list(unreviewed=True)] == [memo.id]
    with pytest.raises(InputError, match="no comment 99"):
        study.memos.comment(memo.id, "x", reply_to=99)


def test_links_survive_rename_and_merge_and_show_in_codes(study):
    memo, _ = study.memos.new("On judgement", "About [[code:Fear of judgement]].", type="code")
    study.codes.rename("Fear of judgement", "Feeling judged")
    assert [link.label for link in study.memos.get(memo.id).links] == ["Barriers/Feeling judged"]
    study.codes.add("Watched", "Barriers")
    other, _ = study.memos.new("Watched", "x", type="code", links=["code:Watched"])
    study.codes.merge(["Watched"], "Feeling judged")
    assert [link.label for link in study.memos.get(other.id).links] == ["Barriers/Feeling judged"]
    assert [m.id for m in study.memos.list(code="Feeling judged")] == [memo.id, other.id]
    study.history.undo()   # the merge: the memo points at 'Watched' again
    assert [link.label for link in study.memos.get(other.id).links] == ["Barriers/Watched"]


def test_memo_filters(study):
    study.memos.new("A", "x", type="code")
    study.coder = "second"
    study.memos.new("B", "y", type="reflexive")
    study.coder = "tester"
    assert [m.title for m in study.memos.list(type="reflexive")] == ["B"]
    assert [m.title for m in study.memos.list(author="second")] == ["B"]
    assert [m.title for m in study.memos.list(since="2000-01-01")] == ["A", "B"]
    assert study.memos.list(since="2999-01-01") == []
    study.memos.add_type("analytic", "notes on sampling")
    assert study.memos.new("C", "z", type="Analytic")[0].type == "analytic"


# --- CLI ----------------------------------------------------------------------

def run(project, *args, ok=True, input=None, env=None):
    result = runner.invoke(app, ["-p", str(project.path), *args], input=input, env=env)
    if ok:
        assert result.exit_code == 0, result.output
    return result


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
    res = run(study, "memo", "new", "--type", "reflexive", "--link", "code:Fear of judgement",
              env={"EDITOR": editor, "VISUAL": ""})
    assert "Memo #1 'Seen on film' (reflexive) saved with 2 link(s)" in res.stderr
    memo = study.memos.get(1)
    assert memo.body == "She saw [[D1:3]] differently."


def test_cli_editor_failures_save_nothing(study, tmp_path):
    before = _memo_rows(study)
    res = run(study, "memo", "new", "--title", "X", env={"EDITOR": _fake_editor(tmp_path, "# X\n\n")}, ok=False)
    assert res.exit_code == 1 and "Empty memo: nothing was created" in res.stderr
    res = run(study, "memo", "new", "--title", "X", env={"EDITOR": _fake_editor(tmp_path, "# X\n\nbody", 3)},
              ok=False)
    assert res.exit_code == 1 and "exited with status 3; nothing was saved" in res.stderr
    res = run(study, "memo", "new", "--title", "X", env={"EDITOR": "", "VISUAL": "", "PATH": str(tmp_path / "none")},
              ok=False)
    assert res.exit_code == 1 and "no editor found" in res.stderr and "--body" in res.stderr
    assert _memo_rows(study) == before


def test_cli_body_stdin_show_list_history(study):
    run(study, "memo", "new", "--title", "Scripted", "--body", "-", "--type", "code", input="From stdin [[D1:2]]\n")
    run(study, "memo", "edit", "1", "--body", "Now revised.")
    shown = json.loads(run(study, "memo", "show", "1", "--json").stdout)
    assert shown["body"] == "Now revised." and shown["version"] == 2 and shown["review"] == "unreviewed"
    out = run(study, "memo", "show", "1").stdout
    assert "Scripted" in out and "Now revised." in out
    listed = json.loads(run(study, "memo", "list", "--json").stdout)
    assert [m["title"] for m in listed] == ["Scripted"]
    history = json.loads(run(study, "memo", "history", "1", "--json").stdout)
    assert [v["body"] for v in history] == ["From stdin [[D1:2]]", "Now revised."]


def test_cli_comment_signoff_and_codes_show(study):
    run(study, "memo", "new", "--title", "On fear", "--body", "x", "--link", "code:Fear of judgement")
    run(study, "--coder", "Dr Okafor", "memo", "comment", "1", "Good start.")
    res = run(study, "--coder", "Dr Okafor", "memo", "signoff", "1", "--note", "agreed")
    assert "Signed off memo #1 version 1 as Dr Okafor" in res.stderr
    out = run(study, "memo", "show", "1").stdout
    assert "Good start." in out and "Signed off v1 by Dr Okafor" in out
    shown = json.loads(run(study, "codes", "show", "Fear of judgement", "--json").stdout)
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
    before = _memo_rows(study)
    res = run(study, *args, ok=False)
    assert res.exit_code == 1 and message in res.stderr and len(res.stderr.strip().splitlines()) == 1, res.stderr
    assert _memo_rows(study) == before


def test_cli_link_unlink_types_and_export(study, tmp_path):
    run(study, "memo", "new", "--title", "On fear", "--body", "See [[D1:3]].")
    run(study, "memo", "link", "1", "seg:D1:2", "code:Fear of judgement")
    assert {link.label for link in study.memos.get(1).links} == {"D1:2", "D1:3", "Barriers/Fear of judgement"}
    run(study, "memo", "unlink", "1", "seg:D1:2")
    assert {link.label for link in study.memos.get(1).links} == {"D1:3", "Barriers/Fear of judgement"}
    res = run(study, "memo", "unlink", "1", "seg:D1:3", ok=False)   # a [[reference]] goes by editing the text
    assert res.exit_code == 1 and "edit them out" in res.stderr
    res = run(study, "memo", "types", "--add", "analytic", "--description", "notes on sampling")
    assert "analytic" in res.stdout and "reflexive" in res.stdout
    run(study, "memo", "export", "--format", "md", "-o", str(tmp_path / "memos"))
    files = sorted(p.name for p in (tmp_path / "memos").iterdir())
    assert "index.md" in files and any(name.startswith("0001-") for name in files)
    res = run(study, "memo", "export", "--format", "pdf", "-o", str(tmp_path / "x"), ok=False)
    assert res.exit_code == 1 and "expected md or docx" in res.stderr
