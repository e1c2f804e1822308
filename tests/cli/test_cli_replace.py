"""Re-importing a corrected transcript: every anchor (coding, memo link, relation evidence, property placement)
stays on its exact words, or the import is refused with the list and the project is left as it was."""

from __future__ import annotations

import json

from tests.conftest import invoke

ANNA = ("MEL: First question here.\n\n"
        "ANNA: Alpha sentence one. Bravo sentence two. Charlie sentence three.\n\n"
        "MEL: Second question here.\n\n"
        "ANNA: Delta sentence four. Echo sentence five.\n")


def _anchored(tmp_path):
    """The issue's reproduction: a memo quoting D1:4 and D1:7, a relation grounded in D1:7, a property placement
    on D1:4, and a coding of D1:2."""
    (tmp_path / "anna.txt").write_text(ANNA, encoding="utf-8")
    invoke(None, "init", "study")
    p = tmp_path / "study"
    invoke(p, "import", tmp_path / "anna.txt", "--interviewer", "MEL")
    invoke(p, "memo", "new", "--title", "t", "--body", "Look at [[D1:4]] and [[D1:7]]")
    invoke(p, "codes", "add", "A")
    invoke(p, "codes", "add", "B")
    invoke(p, "code", "D1:2", "A")
    invoke(p, "relate", "A", "facilitates", "B", "--evidence", "D1:7")
    invoke(p, "category", "new", "Cat")
    invoke(p, "category", "property", "Cat", "size", "--dimension", "small..big", "--at", "D1:4=big")
    return p


def _views(p):
    memo = json.loads(invoke(p, "memo", "show", "1", "--json").stdout)
    cat = json.loads(invoke(p, "category", "show", "Cat", "--json").stdout)
    retrieved = json.loads(invoke(p, "retrieve", "A", "--json").stdout)
    return {"memo": sorted(link["text"] for link in memo["links"] if link["type"] == "segment"),
            "placements": [e["text"] for prop in cat["properties"] for e in prop["placements"]],
            "coded": [q["text"] for g in retrieved["groups"] for q in g["passages"]]}


def _relation_evidence_words(p):
    from gtcode import Project

    with Project.open(p) as project:
        return [project.docs.text("D1")[r["start_char"]:r["end_char"]] for r in project.store.all(
            "SELECT start_char, end_char FROM relation_evidence WHERE document_id IS NOT NULL")]


def test_deleting_unanchored_words_keeps_every_anchor_on_its_words(tmp_path):
    p = _anchored(tmp_path)
    before = _views(p)
    assert before == {"memo": ["Charlie sentence three.", "Echo sentence five."],
                      "placements": ["Charlie sentence three."], "coded": ["Alpha sentence one."]}
    assert _relation_evidence_words(p) == ["Echo sentence five."]
    (tmp_path / "anna.txt").write_text(ANNA.replace("Bravo sentence two. ", ""), encoding="utf-8")
    invoke(p, "import", tmp_path / "anna.txt", "--interviewer", "MEL", "--replace")
    assert _views(p) == before
    assert _relation_evidence_words(p) == ["Echo sentence five."]
    relations = json.loads(invoke(p, "relations", "--json").stdout)
    assert relations[0]["passages"] == 1                       # still grounded, in the same passage


def test_deleting_anchored_words_is_refused_with_the_list_and_changes_nothing(tmp_path):
    p = _anchored(tmp_path)
    db = p / "gtcode.db"
    invoke(p, "stats")  # settle the WAL so the bytes compare
    from gtcode import Project

    with Project.open(p) as project:
        dump = "\n".join(project.store.conn.iterdump())
    (tmp_path / "anna.txt").write_text(ANNA.replace("Charlie sentence three.", "Charlie changed."), encoding="utf-8")
    result = invoke(p, "import", tmp_path / "anna.txt", "--interviewer", "MEL", "--replace", ok=False)
    assert result.exit_code == 1
    message = result.stderr
    assert "would change the words of 2 anchored items" in message
    assert "memo link (memo #1, by" in message and "property placement (Cat: size = big" in message
    assert "“Charlie sentence three.”" in message and "Traceback" not in message
    with Project.open(p) as project:
        assert "\n".join(project.store.conn.iterdump()) == dump
    assert db.exists()


def test_force_drops_the_broken_anchors_and_model_check_says_what_lost_evidence(tmp_path):
    p = _anchored(tmp_path)
    (tmp_path / "anna.txt").write_text(ANNA.replace("Echo sentence five.", "Echo, reworded."), encoding="utf-8")
    invoke(p, "import", tmp_path / "anna.txt", "--interviewer", "MEL", "--replace", "--force")
    assert _relation_evidence_words(p) == []
    check = invoke(p, "model", "check", ok=False)
    assert check.exit_code == 1
    assert "lost evidence" in check.stdout and "A facilitates B" in check.stdout
    invoke(p, "relate", "A", "facilitates", "B", "--evidence", "D1:6")     # grounded again: no longer reported
    assert "lost evidence" not in invoke(p, "model", "check", ok=False).stdout
