"""A failed command writes nothing: no coder row, no event, no half-made change (the whole database compared)."""

from __future__ import annotations

import pytest

from tests.conftest import invoke

TEXT = "Interviewer: How was it?\n\nP01: I was nervous. Then I saw her smile.\n"

BAD = [
    ("import", "missing.txt"),
    ("import", "empty.txt"),
    ("code", "D9:1", "Nervous"),
    ("code", "D1:99", "Nervous"),
    ("code", "D1:2", "Nervous", "--quote", "not in the text"),
    ("codes", "add", "Existing"),
    ("memo", "new", "--title", "t", "--body", ""),
    ("relate", "Existing", "no-such-type", "Existing"),
    ("category", "property", "Nothing", "size", "--dimension", "a..b"),
    ("cases", "import", "missing.csv"),
    ("undo",),
]


@pytest.mark.parametrize("args", BAD, ids=lambda a: " ".join(a))
def test_a_failed_command_leaves_the_project_exactly_as_it_was(tmp_path, args):
    from gtcode import Project

    (tmp_path / "P01.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    invoke(None, "init", "study", coder="Hannah")
    invoke(tmp_path / "study", "import", "P01.txt", coder="Hannah")
    invoke(tmp_path / "study", "codes", "add", "Existing", coder="Hannah")
    with Project.open(tmp_path / "study") as p:
        before = list(p.store.conn.iterdump())
    result = invoke(tmp_path / "study", *args, ok=False, coder="Somebody New")
    assert result.exit_code != 0 and "Traceback" not in result.output
    with Project.open(tmp_path / "study") as p:
        after = list(p.store.conn.iterdump())
        assert "Somebody New" not in {r[0] for r in p.store.all("SELECT name FROM coders")}
    assert after == before
