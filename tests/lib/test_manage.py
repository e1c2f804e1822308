"""Fixing a project's documents and cases: rename and delete, refused with the list while something depends on
them, with --force, logged, and undone exactly."""

from __future__ import annotations

import pytest

from gtcode import Project
from gtcode.errors import BadName, CaseInUse, DocumentInUse, DuplicateCase, DuplicateDocument, UndoConflict

ANNA = ("MEL: First question here.\n\n"
        "ANNA: Alpha sentence one. Bravo sentence two. Charlie sentence three.\n\n"
        "MEL: Second question here.\n\n"
        "ANNA: Delta sentence four. Echo sentence five.\n")
BEN = "MEL: Tell me.\n\nBEN: Foxtrot words here. Golf words there.\n"

#: Rows undo does not put back as they were: the log itself grows, and the full-text index is rebuilt for the
#: segments brought back (same entries, its own page layout; checked with FTS5's integrity-check instead).
_GROWING = ('INSERT INTO "events"', 'INSERT INTO "changes"', 'INSERT INTO "segment_fts')


def dump(project, *, skip=()) -> list[str]:
    return [line for line in project.store.conn.iterdump() if not line.startswith(skip)]


def _search(project, query: str) -> list[str]:
    hits, _ = project.analysis.search(query)
    return sorted(h.address for h in hits)


def assert_index_whole(project) -> None:
    project.store.conn.execute("INSERT INTO segment_fts(segment_fts) VALUES ('integrity-check')")


@pytest.fixture
def study(project, tmp_path):
    """Two interviews linked to cases P01 and P02; everything anchored to D1 (a coding, memo links to two
    passages and to the whole document, relation evidence, a property placement); D2 has nothing anchored."""
    (tmp_path / "anna.txt").write_text(ANNA, encoding="utf-8")
    (tmp_path / "ben.txt").write_text(BEN, encoding="utf-8")
    project.docs.import_paths([tmp_path / "anna.txt"], interviewer="MEL", case="P01")
    project.docs.import_paths([tmp_path / "ben.txt"], interviewer="MEL", case="P02")
    project.cases.set("P01", {"role": "mother", "site": "Trust A"})
    project.memos.new("Anna's story", "Look at [[D1:4]] and [[D1:7]]", links=["doc:D1"])
    project.codes.add("A")
    project.codes.add("B")
    project.coding.apply("D1:2", "A")
    project.model.relate("A", "facilitates", "B", evidence=["D1:7"])
    project.model.new_category("Cat")
    project.model.set_property("Cat", "size", "small..big", at=["D1:4=big"])
    return project


# --- documents --------------------------------------------------------------------------------------------------

def test_rename_keeps_everything_attached_and_undo_names_it_back(study):
    before = dump(study, skip=_GROWING)
    done = study.docs.rename("D1", "Anna first interview")
    assert (done.label, done.before, done.after, done.changed) == ("D1", "anna", "Anna first interview", True)
    doc = study.docs.get("anna first interview")
    assert (doc.id, doc.case) == (1, "P01")
    assert [s.text for s in study.docs.segment("Anna first interview:2")] == ["Alpha sentence one."]
    assert len(study.docs.dependents("D1")) == 6
    event = study.history.log(limit=1)[0]
    assert (event["action"], event["coder"]) == ("document.rename", "tester")
    assert event["summary"] == "renamed D1 'anna' to 'Anna first interview'"
    study.history.undo()
    assert dump(study, skip=_GROWING) == before


def test_rename_refuses_a_taken_name_or_one_that_reads_as_a_number(study):
    before = dump(study)
    with pytest.raises(DuplicateDocument, match="D2 is already named 'ben'"):
        study.docs.rename("D1", "BEN")
    for bad in ("", "  ", "D7", "12", "P01:4"):
        with pytest.raises(BadName):
            study.docs.rename("D1", bad)
    assert dump(study) == before
    assert study.docs.rename("D1", "anna").changed is False        # its own name: nothing to do, no event
    assert dump(study) == before


def test_delete_refuses_while_anything_is_anchored_listing_each_item(study):
    before = dump(study)
    with pytest.raises(DocumentInUse) as refused:
        study.docs.delete("anna")
    message = str(refused.value)
    assert "D1 'anna' has 6 items anchored to it; nothing was deleted. Add --force" in message
    lines = message.splitlines()[1:]
    assert lines == [
        "  coding (A, by tester) at D1:2: “Alpha sentence one.”",
        "  memo link (memo #1, by tester) at D1:4: “Charlie sentence three.”",
        "  property placement (Cat: size = big, by tester) at D1:4: “Charlie sentence three.”",
        "  memo link (memo #1, by tester) at D1:7: “Echo sentence five.”",
        "  relation evidence (A facilitates B, by tester) at D1:7: “Echo sentence five.”",
        "  memo link to the document (memo #1, by tester) at D1: “Anna's story”",
    ]
    assert dump(study) == before


def test_force_deletes_the_document_with_everything_anchored_and_undo_restores_exactly(study):
    hits = _search(study, "sentence")
    before = dump(study, skip=_GROWING)
    done = study.docs.delete("D1", force=True)
    assert done.dropped == {"coding": 1, "memo link": 2, "property placement": 1, "relation evidence": 1,
                            "memo link to the document": 1}
    assert [d.name for d in study.docs.list()] == ["ben"]
    for table in ("turns", "segments", "codings", "relation_evidence", "property_evidence"):
        assert study.store.scalar(f"SELECT count(*) FROM {table} WHERE document_id = 1") == 0
    assert study.store.scalar("SELECT count(*) FROM memo_links") == 0
    assert _search(study, "sentence") == []
    assert_index_whole(study)
    assert [c.name for c in study.cases.list()] == ["P01", "P02"]           # the case stays
    event = study.history.log(limit=1)[0]
    assert (event["action"], event["coder"]) == ("document.delete", "tester")
    assert event["summary"] == ("deleted D1 'anna' with 6 anchored items (coding 1, memo link 2, property "
                                "placement 1, relation evidence 1, memo link to the document 1)")
    assert "words" not in event["data"]["dropped"][0]                      # the append-only log keeps no text
    study.history.undo()
    assert dump(study, skip=_GROWING) == before
    assert_index_whole(study)
    assert _search(study, "sentence") == hits


def test_a_document_with_nothing_anchored_is_deleted_without_force(study):
    before = dump(study, skip=_GROWING)
    done = study.docs.delete("ben")
    assert (done.label, done.name, done.segments, done.dropped) == ("D2", "ben", 3, {})
    assert study.history.log(limit=1)[0]["summary"] == "deleted D2 'ben'"
    study.history.undo()
    assert dump(study, skip=_GROWING) == before


def test_purge_keeps_no_copy_of_the_text_anywhere_and_cannot_be_undone(study):
    from gtcode.errors import NothingToUndo

    study.docs.delete("D1", force=True, purge=True)                  # a participant withdrew
    everything = "\n".join(study.store.conn.iterdump())
    for words in ("Alpha sentence one", "Charlie sentence three", "Echo sentence five"):
        assert words not in everything                               # not in changes, not in events, nowhere
    assert study.history.log(limit=1)[0]["action"] == "document.purge"
    with pytest.raises(NothingToUndo, match="cannot undo"):
        study.history.undo()
    assert [d.name for d in study.docs.list()] == ["ben"]
    study.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = study.path.read_bytes() + (study.path.with_name(study.path.name + "-wal").read_bytes()
                                     if study.path.with_name(study.path.name + "-wal").exists() else b"")
    assert b"Charlie" not in raw and b"Alpha sentence" not in raw            # not even in freed pages
    assert _search(study, "Foxtrot") == ["D2:2"]                              # the index still works


def test_undoing_a_delete_is_refused_when_a_later_import_took_its_place(study, tmp_path):
    study.docs.delete("ben")
    with Project.open(study.path, coder="cy") as other:                     # D2 again: a new document
        other.docs.import_paths([tmp_path / "ben.txt"], interviewer="MEL")
    before = dump(study)
    with pytest.raises(UndoConflict):
        study.history.undo()
    assert dump(study) == before


# --- cases ------------------------------------------------------------------------------------------------------

def test_rename_case_keeps_documents_and_attributes_and_undo_names_it_back(study):
    before = dump(study, skip=_GROWING)
    done = study.cases.rename("p01", "Anna")
    assert (done.before, done.after) == ("P01", "Anna")
    case = study.cases.get("Anna")
    assert case.documents == ["anna"] and case.attributes == {"role": "mother", "site": "Trust A"}
    assert study.docs.get("D1").case == "Anna"
    event = study.history.log(limit=1)[0]
    assert (event["action"], event["coder"], event["summary"]) == ("case.rename", "tester", "renamed case P01 to Anna")
    study.history.undo()
    assert dump(study, skip=_GROWING) == before


def test_rename_case_refuses_to_merge_into_another(study):
    before = dump(study)
    with pytest.raises(DuplicateCase, match="case 'P02' already exists; renaming 'P01' to it would merge"):
        study.cases.rename("P01", "p02")
    with pytest.raises(BadName):
        study.cases.rename("P01", " ")
    assert dump(study) == before


def test_delete_case_refuses_while_documents_are_linked_listing_them(study):
    before = dump(study)
    with pytest.raises(CaseInUse, match=r"case P01 has 1 linked document: D1 'anna'; nothing was deleted"):
        study.cases.delete("P01")
    assert dump(study) == before


def test_force_unlinks_the_documents_deletes_the_case_and_undo_restores_exactly(study):
    before = dump(study, skip=_GROWING)
    done = study.cases.delete("P01", force=True)
    assert (done.case, done.attributes, done.unlinked) == ("P01", 2, ["anna"])
    assert [c.name for c in study.cases.list()] == ["P02"]
    assert study.docs.get("D1").case is None                                 # the document stays, unlinked
    assert study.store.scalar("SELECT count(*) FROM case_attributes") == 0
    event = study.history.log(limit=1)[0]
    assert (event["action"], event["coder"]) == ("case.delete", "tester")
    assert event["summary"] == "deleted case P01, unlinking 1 document"
    assert event["data"]["attributes"] == {"role": "mother", "site": "Trust A"}
    study.history.undo()
    assert dump(study, skip=_GROWING) == before


def test_undoing_a_case_rename_is_refused_when_another_coder_took_the_old_name(study):
    study.cases.rename("P01", "P1")
    with Project.open(study.path, coder="cy") as other:
        other.cases.set("P01", {})
    before = dump(study)
    with pytest.raises(UndoConflict, match="clash with what the project holds now"):
        study.history.undo()
    assert dump(study) == before


def test_redaction_reaches_a_deleted_document_kept_for_undo(study, tmp_path):
    (tmp_path / "key.csv").write_text("real,pseudonym\nBravo,Kilo\nANNA,Jo\n", encoding="utf-8")
    study.docs.delete("D1", force=True)
    found = [h for h in study.redact.check(tmp_path / "key.csv", detectors=False) if h.place.startswith("deleted")]
    assert {(h.place, h.text) for h in found} == {("deleted D1 (kept for undo) text", "Bravo"),
                                                  ("deleted D1 (kept for undo) text", "ANNA"),
                                                  ("deleted D1 (kept for undo) speaker", "ANNA"),
                                                  ("deleted D1 (kept for undo) name", "anna"),
                                                  ("deleted D1 (kept for undo) source_path", "anna")}
    study.coder = "data manager"                                              # their redaction, not the deleter's
    study.redact.apply(tmp_path / "key.csv", detectors=False)
    study.coder = "tester"
    assert not [h for h in study.redact.check(tmp_path / "key.csv", detectors=False) if h.fixable]
    assert b"Bravo" not in study.path.read_bytes()
    study.history.undo()                                     # the deleter's undo: it comes back pseudonymised, whole
    text = study.docs.text("D1")
    assert "Kilo sentence two" in text and "Bravo" not in text
    assert [t["speaker"] for t in study.docs.turns("D1")] == ["MEL", "JO", "MEL", "JO"]     # case kept, as in text
    for seg in study.docs.segments("D1"):                                       # offsets moved with the words
        assert seg.text == text[seg.start:seg.end] and seg.text.strip() == seg.text
    assert [s.text for s in study.docs.segments("D1")][2] == "Kilo sentence two."
