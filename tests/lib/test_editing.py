"""Editing a transcript in place and fixing its speakers: every anchor stays on its words, a change that would
take an anchor's words is refused with the list, and each change is undone exactly."""

from __future__ import annotations

import pytest

from gtcode.anchors import document_anchors
from gtcode.errors import InputError, WouldBreakAnchors

from tests.lib.test_manage import ANNA, _GROWING, assert_index_whole, dump, study  # noqa: F401  (fixture)


def anchored_words(project, doc="D1") -> list[tuple[str, str]]:
    """(kind, words) of every anchor in the document, in text order."""
    return [(a.kind, a.words) for a in document_anchors(project.store, project.docs.get(doc).id)]


# --- docs edit --------------------------------------------------------------------------------------------------

def test_an_edit_that_leaves_anchored_words_alone_carries_every_anchor(study):
    before = anchored_words(study)
    assert len(before) == 5   # coding, two memo links, relation evidence, property placement
    done = study.docs.edit("D1", ANNA.replace("Bravo sentence two. ", ""))
    assert done.changed and done.moved == 4 and done.kept == 1 and done.dropped == []
    assert anchored_words(study) == [(k, w) for k, w in before]
    assert [s.text for s in study.docs.segments("D1")][2] == "Charlie sentence three."
    assert study.analysis.search("bravo")[0] == []
    assert_index_whole(study)
    assert study.history.log(limit=1)[0]["action"] == "document.edit"


def test_an_edit_that_changes_anchored_words_is_refused_with_the_list_and_changes_nothing(study):
    before = dump(study)
    with pytest.raises(WouldBreakAnchors) as refused:
        study.docs.edit("D1", ANNA.replace("Charlie sentence three.", "Charlie sentence 3."))
    message = str(refused.value)
    assert "would change the words of 2 anchored items" in message
    assert "“Charlie sentence three.”" in message and "memo link" in message and "property placement" in message
    assert dump(study) == before


def test_force_drops_them_and_undo_brings_back_text_segments_and_anchors(study):
    before = dump(study, skip=_GROWING)
    anchors_before = anchored_words(study)
    done = study.docs.edit("D1", ANNA.replace("Charlie sentence three.", "Charlie sentence 3."), force=True)
    assert sorted(d["kind"] for d in done.dropped) == ["memo link", "property placement"]
    assert len(anchored_words(study)) == 3
    study.history.undo()
    assert dump(study, skip=_GROWING) == before
    assert anchored_words(study) == anchors_before
    assert_index_whole(study)


def test_a_dry_run_says_what_would_move_and_break_and_changes_nothing(study):
    before = dump(study)
    done = study.docs.edit("D1", "MEL: A new opening.\n\n" + ANNA.replace("Echo sentence five.", "Echo."),
                           dry_run=True)
    assert done.changed and done.moved == 3
    assert sorted((d["kind"], d["words"]) for d in done.dropped) == [
        ("memo link", "Echo sentence five."), ("relation evidence", "Echo sentence five.")]
    assert dump(study) == before


def test_an_edit_can_add_a_turn_and_speakers_keep_their_roles(study):
    study.docs.edit("D1", ANNA + "\nMEL: Anything else?\n\nANNA: No.\n")
    turns = study.docs.turns("D1")
    assert [(t["speaker"], t["role"]) for t in turns][-2:] == [("MEL", "interviewer"), ("ANNA", "participant")]


def test_an_empty_edit_is_refused_and_the_same_text_changes_nothing(study):
    with pytest.raises(InputError, match="the edited text is empty"):
        study.docs.edit("D1", " \n")
    events = len(study.history.events())
    assert not study.docs.edit("D1", ANNA).changed
    assert len(study.history.events()) == events


# --- docs speakers ----------------------------------------------------------------------------------------------

def test_speakers_lists_labels_with_turns_and_roles(study):
    labels = [(x.document, x.speaker, x.turns, x.role) for x in study.docs.speakers("D1")]
    assert labels == [("D1", "MEL", 2, "interviewer"), ("D1", "ANNA", 2, "participant")]
    assert {x.document for x in study.docs.speakers()} == {"D1", "D2"}


def test_a_wrong_interviewer_setting_is_repaired_and_undone(project, tmp_path):
    (tmp_path / "anna.txt").write_text(ANNA, encoding="utf-8")
    project.docs.import_paths([tmp_path / "anna.txt"])          # MEL not known as an interviewer
    assert {x.speaker: x.role for x in project.docs.speakers("D1")} == {"MEL": "participant", "ANNA": "participant"}
    words_before = project.analysis.words(speaker="participant") if hasattr(project.analysis, "words") else None
    [change] = project.docs.set_speakers("D1", interviewer=["mel"])
    assert change.roles == {"MEL": "interviewer"} and change.turns == 2
    assert {x.speaker: x.role for x in project.docs.speakers("D1")} == {"MEL": "interviewer", "ANNA": "participant"}
    hits, _ = project.analysis.search("question", speaker="participant")
    assert hits == []                                             # the questions are no longer a participant's
    project.history.undo()
    assert {x.speaker: x.role for x in project.docs.speakers("D1")} == {"MEL": "participant", "ANNA": "participant"}
    del words_before


def test_other_voices_are_left_out_of_participant_analyses(study):
    study.docs.set_speakers("D1", roles=["ANNA=other"])            # e.g. a captioner, or a partner in the room
    hits, _ = study.analysis.search("echo", speaker="participant")
    assert hits == []
    hits, _ = study.analysis.search("echo")
    assert [h.address for h in hits] == ["D1:7"]


def test_renaming_a_speaker_changes_the_text_and_carries_every_anchor(study):
    before = anchored_words(study)
    [change] = study.docs.set_speakers("D1", rename=["ANNA=Anna Smith"])
    assert change.renamed == {"ANNA": "Anna Smith"} and change.turns == 2 and change.moved == 5
    assert study.docs.text("D1") == ANNA.replace("ANNA:", "Anna Smith:")
    assert anchored_words(study) == before
    assert {s.speaker for s in study.docs.segments("D1")} == {"MEL", "Anna Smith"}
    assert [h.address for h in study.analysis.search("echo")[0]] == ["D1:7"]
    assert_index_whole(study)
    study.history.undo()
    assert study.docs.text("D1") == ANNA and anchored_words(study) == before


def test_a_rename_over_anchored_label_words_is_refused(study):
    study.coding.apply("D1:4-5", "B", quote="three.\n\nMEL: Second")   # a free span across the label
    before = dump(study)
    with pytest.raises(WouldBreakAnchors, match="renaming these speakers would change the words of 1"):
        study.docs.set_speakers("D1", rename=["MEL=Mel Jones"])
    assert dump(study) == before


def test_speaker_fixes_name_what_is_wrong(study):
    with pytest.raises(InputError, match=r"D1 'anna' has no speaker 'BOB' \(speakers: ANNA, MEL\)"):
        study.docs.set_speakers("D1", roles=["BOB=other"])
    with pytest.raises(InputError, match="the role must be one of participant, interviewer, other"):
        study.docs.set_speakers("D1", roles=["MEL=host"])
    with pytest.raises(InputError, match="no speaker 'BOB' in any of these 2 documents"):
        study.docs.set_speakers(["D1", "D2"], roles=["BOB=other"])
    [d1, d2] = study.docs.set_speakers(["D1", "D2"], roles=["ANNA=other"])   # only D1 has ANNA
    assert (d1.roles, d2.roles) == ({"ANNA": "other"}, {})


def test_labels_with_commas_work_as_interviewer(project, tmp_path):
    (tmp_path / "t.txt").write_text("MEL, TYPING: Can you say more?\n\nMEL, TYPING: And then?\n\n"
                                    "JO: It was hard.\n\nJO: Then better.\n", encoding="utf-8")
    project.docs.import_paths([tmp_path / "t.txt"])
    labels = {x.speaker for x in project.docs.speakers("D1")}
    label = next(x for x in labels if x.upper().startswith("MEL"))
    project.docs.set_speakers("D1", interviewer=[label])
    assert {x.speaker: x.role for x in project.docs.speakers("D1")}[label] == "interviewer"


# --- a renamed document and its file ------------------------------------------------------------------------------

def test_a_corrected_file_finds_its_renamed_document(study, tmp_path):
    study.docs.rename("D1", "Anna, first interview")
    (tmp_path / "anna.txt").write_text(ANNA.replace("Bravo sentence two. ", ""), encoding="utf-8")
    refused = study.docs.import_paths([tmp_path / "anna.txt"])
    assert refused.count("failed") == 1
    assert "imported before as D1 'Anna, first interview' (renamed since)" in refused.outcomes[0].message
    assert [d.name for d in study.docs.list()] == ["Anna, first interview", "ben"]
    replaced = study.docs.import_paths([tmp_path / "anna.txt"], interviewer="MEL", replace=True)
    assert replaced.count("replaced") == 1
    assert [d.name for d in study.docs.list()] == ["Anna, first interview", "ben"]
    assert "Bravo" not in study.docs.text("D1")


def test_an_import_reads_and_segments_before_it_takes_the_write_lock(project, tmp_path):
    """Another writer (a TUI, a second terminal) is kept waiting only while an import writes, not while it reads."""
    import sqlite3

    from gtcode.ingest.importer import ImportPlan, ImportSettings, run_import

    (tmp_path / "anna.txt").write_text(ANNA, encoding="utf-8")
    settings = ImportSettings.from_options(interviewer="MEL")
    plan = ImportPlan(project.store, [tmp_path / "anna.txt"], settings)
    plan.read_ahead()
    [chunk] = plan._ready
    assert [len(segs) for _, _, segs in chunk.todo] == [7]            # read and segmented already
    other = sqlite3.connect(project.store.path, timeout=0.1)
    other.execute("BEGIN IMMEDIATE")                                  # the write lock is free meanwhile
    other.rollback()
    other.close()
    with project.transaction() as txn:
        report = run_import(project.store, txn, plan, settings)
    assert report.count("imported") == 1 and project.docs.get("anna").segments == 7
