"""`gtcode stats` and `docs list` read stored figures (each document's and each turn's number of turns and
segments) and indexes rather than counting every segment: every command that writes turns or segments must
keep those figures equal to a recount, or the overview would quietly go wrong."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from gtcode import Project
from gtcode.analysis.overview import project_stats
from gtcode.team.merge import merge_project

from tests.conftest import TRANSCRIPTS

UNLABELLED = "I kept a diary that month. Most days were hard. Some were fine.\n\nThe visits helped, in the end.\n"
REPLACED = ("Interviewer: How did it go?\n\nP09: Badly at first. Then better. Then much better.\n\n"
            "Interviewer: Why?\n\nP09: Jo listened. She never rushed me. She came back.\n")


def recount(store) -> dict:
    """`gtcode stats`' turns and segments by who speaks, counted the straightforward way (as before the figures
    were stored): every segment joined to its turn."""
    who = ("CASE WHEN {t}kind = 'front' THEN 'front matter' WHEN {t}kind = 'quoted' THEN 'quoted' "
           "WHEN {t}speaker IS NULL THEN 'unattributed' ELSE {t}role END AS who")
    turns = store.all(f"SELECT {who.format(t='')}, count(*) FROM turns GROUP BY who")
    segs = store.all(f"SELECT {who.format(t='t.')}, count(*) FROM segments g JOIN turns t ON t.id = g.turn_id "
                     "GROUP BY who")
    times = [r[0] for r in store.all("SELECT max(coalesce(time_end, time_start)) FROM turns GROUP BY document_id "
                                     "HAVING max(coalesce(time_end, time_start)) IS NOT NULL")]
    return {"turns": {r[0]: r[1] for r in turns}, "segments": {r[0]: r[1] for r in segs},
            "words": store.scalar("SELECT coalesce(sum(word_count), 0) FROM documents"),
            "formats": {r[0]: r[1] for r in store.all("SELECT format, count(*) FROM documents GROUP BY format")},
            "timed_documents": len(times),
            "mean_minutes": round(sum(times) / len(times) / 60, 1) if times else None}


def assert_counts_right(p: Project) -> None:
    """Stats and the document list say what a recount of the turns and segments says, in the same order."""
    stats = project_stats(p.store)
    expected = recount(p.store)
    assert {k: stats[k] for k in expected} == expected
    assert [list(stats[k]) for k in ("turns", "segments", "formats")] == [list(expected[k]) for k in
                                                                          ("turns", "segments", "formats")]
    listed = [(d.id, d.turns, d.segments) for d in p.docs.list()]
    assert listed == [tuple(r) for r in p.store.all(
        "SELECT d.id, (SELECT count(*) FROM turns t WHERE t.document_id = d.id), "
        "(SELECT count(*) FROM segments s WHERE s.document_id = d.id) FROM documents d ORDER BY d.id")]
    for d in p.docs.list():
        assert (p.docs.get(d.label).turns, p.docs.get(d.label).segments) == (d.turns, d.segments)
    wrong = p.store.all("SELECT t.id FROM turns t WHERE t.segment_count <> "
                        "(SELECT count(*) FROM segments s WHERE s.turn_id = t.id)")
    assert wrong == []


@pytest.fixture
def study(project, tmp_path):
    """Labelled, timed and unlabelled transcripts, a code on one, and a case with an attribute."""
    (tmp_path / "diary.txt").write_text(UNLABELLED, encoding="utf-8")
    project.docs.import_paths([TRANSCRIPTS / "P04_interview.txt", TRANSCRIPTS / "P03.vtt", TRANSCRIPTS / "P02.txt",
                               tmp_path / "diary.txt"])
    project.cases.set("P04", {"role": "mother"})
    project.coding.apply("D1:4", "Feeling judged", create=True)
    assert_counts_right(project)
    return project


def test_stats_and_the_list_count_right_after_import_and_reimport(study, tmp_path):
    stats = project_stats(study.store)
    assert stats["turns"].get("unattributed") == 1 and stats["timed_documents"] == 2   # P04 and P03
    assert stats["segments"]["front matter"] > 0 and stats["segments"]["participant"] > 0
    replaced = tmp_path / "again" / "diary.txt"
    replaced.parent.mkdir()
    replaced.write_text(REPLACED, encoding="utf-8")
    study.docs.import_paths([replaced], replace=True)                    # the same name: replaced, with more turns
    assert study.docs.get("diary").turns == 4
    assert_counts_right(study)
    study.history.undo()
    assert study.docs.get("diary").turns == 1
    assert_counts_right(study)


def test_stats_and_the_list_count_right_after_speakers_and_edits(study):
    doc = study.docs.get("D2")
    study.docs.set_speakers("D2", interviewer=["P03"])        # a role: the figures move between speakers
    assert_counts_right(study)
    study.docs.set_speakers("D2", rename=["P03=Participant three"], force=True)   # spans shift, counts stay
    assert_counts_right(study)
    text = study.docs.text("D4")
    study.docs.edit("D4", text + "\nAnd one more thing. It still matters.\n")
    assert study.docs.get("D4").segments > 3
    assert_counts_right(study)
    for _ in range(3):
        study.history.undo()
        assert_counts_right(study)
    assert study.docs.get("D2").segments == doc.segments


def test_stats_and_the_list_count_right_after_delete_undo_and_purge(study):
    study.docs.delete("D3")
    assert_counts_right(study)
    study.history.undo()                                      # the document comes back with its figures
    assert [d.name for d in study.docs.list()][2] == "P02"
    assert_counts_right(study)
    study.docs.delete("D1", force=True, purge=True)
    assert_counts_right(study)


def test_stats_and_the_list_count_right_after_redaction_and_a_merge(study, tmp_path):
    report = study.redact.apply(TRANSCRIPTS / "pseudonym-key.csv")
    assert report is not None
    assert_counts_right(study)
    other = tmp_path / "copy.db"
    shutil.copy(study.path, other)
    with Project.open(other, coder="Sam") as q:
        q.coding.apply("D2:3", "Feeling judged")
    merge_project(study, other)
    assert_counts_right(study)


def test_a_command_made_before_the_figures_were_stored_is_undone_with_the_right_figures(study, tmp_path):
    """A replace and a delete logged for undo by schema 10 (no figures in the rows kept for undo), undone after
    the upgrade: migration 11 gives those rows their figures from the turns and segments logged with them."""
    replaced = tmp_path / "again" / "diary.txt"
    replaced.parent.mkdir()
    replaced.write_text(REPLACED, encoding="utf-8")
    study.docs.import_paths([replaced], replace=True)
    study.docs.delete("D3")
    path = study.path
    study.close()
    conn = sqlite3.connect(path)
    with conn:   # back to schema 10, as that version would have left it
        for index in ("turns_who", "turns_unlabelled", "turns_timed", "documents_listing"):
            conn.execute(f"DROP INDEX {index}")
        for table, column in (("turns", "segment_count"), ("documents", "turn_count"),
                              ("documents", "segment_count")):
            conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        conn.execute("UPDATE changes SET old = json_remove(old, '$.segment_count', '$.turn_count') "
                     "WHERE old IS NOT NULL")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm011_stored_counts'")
        conn.execute("PRAGMA user_version = 10")
    conn.close()
    with Project.open(path, coder="tester") as p:
        assert_counts_right(p)
        p.history.undo()                                      # the delete
        assert_counts_right(p)
        p.history.undo()                                      # the replace
        assert p.docs.get("diary").turns == 1
        assert_counts_right(p)
