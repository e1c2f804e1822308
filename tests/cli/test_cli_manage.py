"""`gtcode docs rename/delete` and `gtcode cases rename/delete`: messages on stderr, refusals that list what
depends and change nothing, --force, the audit log and undo."""

from __future__ import annotations

import json

import pytest

from gtcode import Project
from tests.conftest import invoke

ANNA = ("MEL: First question here.\n\n"
        "ANNA: Alpha sentence one. Bravo sentence two. Charlie sentence three.\n\n"
        "MEL: Second question here.\n\n"
        "ANNA: Delta sentence four. Echo sentence five.\n")
#: What undo does not put back as it was: the log grows, and the full-text index gets its own page layout.
_GROWING = ('INSERT INTO "events"', 'INSERT INTO "changes"', 'INSERT INTO "segment_fts')


def dump(path, skip=()) -> list[str]:
    with Project.open(path) as p:
        return [line for line in p.store.conn.iterdump() if not line.startswith(skip)]


@pytest.fixture
def study(tmp_path):
    """anna (case P01, a coding and a memo link) and ben (case P02, nothing anchored), made by hannah."""
    (tmp_path / "anna.txt").write_text(ANNA, encoding="utf-8")
    (tmp_path / "ben.txt").write_text("MEL: Tell me.\n\nBEN: Foxtrot words here.\n", encoding="utf-8")
    invoke(None, "init", "study")
    p = tmp_path / "study"
    invoke(p, "import", tmp_path / "anna.txt", "--interviewer", "MEL", "--case", "P01", coder="hannah")
    invoke(p, "import", tmp_path / "ben.txt", "--interviewer", "MEL", "--case", "P02", coder="hannah")
    invoke(p, "cases", "set", "P01", "role=mother", coder="hannah")
    invoke(p, "codes", "add", "A", coder="hannah")
    invoke(p, "code", "D1:2", "A", coder="hannah")
    invoke(p, "memo", "new", "--title", "t", "--body", "See [[D1:4]]", coder="hannah")
    return p


def _last_event(p) -> dict:
    return json.loads(invoke(p, "log", "--json", "--limit", "1").stdout)[0]


def test_docs_rename_log_and_undo(study):
    before = dump(study, _GROWING)
    result = invoke(study, "docs", "rename", "anna", "Anna interview 1", coder="hannah")
    assert result.stdout == "" and "Renamed D1 'anna' to 'Anna interview 1'" in result.stderr
    assert "Anna interview 1" in invoke(study, "docs", "list").stdout
    log = invoke(study, "log", "--limit", "1").stdout
    assert "hannah" in log and "renamed D1 'anna' to 'Anna interview 1'" in log
    assert "Undid: renamed D1 'anna'" in invoke(study, "undo", coder="hannah").stderr
    assert dump(study, _GROWING) == before


def test_docs_rename_to_a_taken_name_is_one_line_and_changes_nothing(study):
    before = dump(study)
    result = invoke(study, "docs", "rename", "D1", "Ben", coder="hannah", ok=False)
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: D2 is already named 'ben'; pick another name"
    assert dump(study) == before


def test_docs_delete_refuses_listing_what_is_anchored(study):
    before = dump(study)
    result = invoke(study, "docs", "delete", "D1", coder="hannah", ok=False)
    assert result.exit_code == 1
    assert "Error: D1 'anna' has 2 items anchored to it; nothing was deleted. Add --force" in result.stderr
    assert "coding (A, by hannah) at D1:2: “Alpha sentence one.”" in result.stderr
    assert "memo link (memo #1, by hannah) at D1:4: “Charlie sentence three.”" in result.stderr
    assert "Traceback" not in result.output
    assert dump(study) == before


def test_docs_delete_force_log_and_undo(study):
    before = dump(study, _GROWING)
    result = invoke(study, "docs", "delete", "D1", "--force", coder="hannah")
    assert "Deleted D1 'anna' with 2 anchored items; 'gtcode undo' restores it" in result.stderr
    assert [d["name"] for d in json.loads(invoke(study, "docs", "list", "--json").stdout)] == ["ben"]
    event = _last_event(study)
    assert (event["action"], event["coder"]) == ("document.delete", "hannah")
    assert "Undid: deleted D1 'anna'" in invoke(study, "undo", coder="hannah").stderr
    assert dump(study, _GROWING) == before
    assert "Alpha sentence one." in invoke(study, "retrieve", "A").stdout


def test_docs_delete_without_anchors_needs_no_force(study):
    result = invoke(study, "docs", "delete", "ben", coder="hannah")
    assert "Deleted D2 'ben'; 'gtcode undo' restores it" in result.stderr


def test_cases_rename_log_and_undo_and_no_merging(study):
    before = dump(study, _GROWING)
    refused = invoke(study, "cases", "rename", "P01", "P02", coder="hannah", ok=False)
    assert refused.exit_code == 1 and "would merge two cases" in refused.stderr
    assert dump(study, _GROWING) == before
    assert "Renamed case P01 to Anna" in invoke(study, "cases", "rename", "P01", "Anna", coder="hannah").stderr
    cases = json.loads(invoke(study, "cases", "list", "--json").stdout)
    assert [(c["name"], c["documents"], c["attributes"]) for c in cases] == [
        ("Anna", ["anna"], {"role": "mother"}), ("P02", ["ben"], {})]
    event = _last_event(study)
    assert (event["action"], event["coder"], event["summary"]) == ("case.rename", "hannah", "renamed case P01 to Anna")
    invoke(study, "undo", coder="hannah")
    assert dump(study, _GROWING) == before


def test_cases_delete_refuses_listing_documents_then_force_and_undo(study):
    before = dump(study)
    refused = invoke(study, "cases", "delete", "P01", coder="hannah", ok=False)
    assert refused.exit_code == 1
    assert "Error: case P01 has 1 linked document: D1 'anna'; nothing was deleted. Add --force" in refused.stderr
    assert dump(study) == before
    result = invoke(study, "cases", "delete", "P01", "--force", coder="hannah")
    assert "Deleted case P01, unlinking anna; 'gtcode undo' restores it" in result.stderr
    docs = json.loads(invoke(study, "docs", "list", "--json").stdout)
    assert [(d["name"], d["case"]) for d in docs] == [("anna", None), ("ben", "P02")]
    log = invoke(study, "log", "--limit", "1").stdout
    assert "hannah" in log and "deleted case P01, unlinking 1 document" in log
    invoke(study, "undo", coder="hannah")
    assert dump(study, _GROWING) == [line for line in before if not line.startswith(_GROWING)]
