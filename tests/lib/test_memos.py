"""Memos through the library: typed, linked, versioned; comments and sign-off (the commands, with the editor:
tests/cli/test_cli_memos.py)."""

from __future__ import annotations

import pytest

from gtcode.errors import BadLink, InputError, UnknownMemo

from tests.conftest import table_rows

TEXT = ("Interviewer: How did the filming feel?\n\n"
        "P01: I thought they were collecting evidence. I hated the camera. Then I saw her smile.\n")


@pytest.fixture
def study(project, tmp_path):
    """One interview, P01, with D1:2 coded Barriers/Fear of judgement; no memos yet."""
    (tmp_path / "P01.txt").write_text(TEXT, encoding="utf-8")
    project.docs.import_paths([tmp_path / "P01.txt"], case="P01")
    project.codes.add("Barriers")
    project.codes.add("Fear of judgement", "Barriers")
    project.coding.apply("D1:2", "Fear of judgement")
    return project


def memo_rows(project):
    """Every row of the memo tables, to check a command changed nothing."""
    return table_rows(project, ("memos", "memo_versions", "memo_links", "memo_comments", "memo_signoffs"), order="id")


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
    before = memo_rows(study)
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
    assert memo_rows(study) == before


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
