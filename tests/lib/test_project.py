"""Importing through the library: idempotence, replace, transactions, the audit trail, who codes."""

from __future__ import annotations

import getpass
import json

import pytest

from gtcode import Project
from gtcode.config import resolve_coder, set_config

INTERVIEW = "Interviewer: How did filming go?\n\nP01: I was nervous. Then I saw her smile at me.\n"


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _snapshot(project):
    """Everything import writes, to compare before and after a failed command."""
    s = project.store
    return {t: [tuple(r) for r in s.all(f"SELECT * FROM {t} ORDER BY id")]
            for t in ("documents", "turns", "segments", "cases", "case_attributes", "events")
            if t != "case_attributes"} | {"fts": s.scalar("SELECT count(*) FROM segment_fts")}


def test_import_records_event_with_coder_and_command(project, tmp_path):
    project.command = "gtcode import P01.txt"
    report = project.docs.import_paths([_write(tmp_path, "P01.txt", INTERVIEW)])
    assert report.count("imported") == 1
    event = project.history.events()[0]
    assert event["action"] == "document.import"
    assert event["coder"] == "tester"
    assert event["command"] == "gtcode import P01.txt"
    assert event["data"]["document"]["name"] == "P01"
    assert event["entity_uuid"] == project.docs.get("P01").uuid


def test_reimport_of_identical_content_is_skipped(project, tmp_path):
    path = _write(tmp_path, "P01.txt", INTERVIEW)
    project.docs.import_paths([path])
    before = _snapshot(project)
    again = project.docs.import_paths([path])
    assert again.count("skipped") == 1 and again.count("imported") == 0
    assert "identical to D1" in again.outcomes[0].message
    assert _snapshot(project) == before  # not even an event: nothing changed


def test_same_content_under_another_name_is_skipped_too(project, tmp_path):
    project.docs.import_paths([_write(tmp_path, "P01.txt", INTERVIEW)])
    report = project.docs.import_paths([_write(tmp_path, "copy-of-P01.txt", INTERVIEW)])
    assert report.count("skipped") == 1
    assert len(project.docs.list()) == 1


def test_changed_transcript_needs_replace(project, tmp_path):
    path = _write(tmp_path, "P01.txt", INTERVIEW)
    project.docs.import_paths([path])
    doc = project.docs.get("P01")
    path.write_text(INTERVIEW + "Interviewer: Anything else?\nP01: No, that's all.\n", encoding="utf-8")
    refused = project.docs.import_paths([path])
    assert refused.count("failed") == 1 and "--replace" in refused.outcomes[0].message
    replaced = project.docs.import_paths([path], replace=True)
    assert replaced.count("replaced") == 1
    after = project.docs.get("P01")
    assert (after.id, after.uuid) == (doc.id, doc.uuid)   # same document, new text
    assert after.turns == 4
    texts = [s.text for s in project.docs.segments("P01")]
    assert texts[-1] == "No, that's all."
    event = project.history.events()[0]
    assert event["action"] == "document.replace"
    assert event["data"]["before"]["segments"] == doc.segments
    assert INTERVIEW not in json.dumps(event["data"])   # the old text is kept for undo, not in the append-only log
    hits, _ = project.analysis.search("nervous")
    assert [h.address for h in hits] == ["D1:2"]
    hits, _ = project.analysis.search("anything")
    assert [h.text for h in hits] == ["Anything else?"]  # the index followed the new text


def test_batch_carries_on_and_failed_file_leaves_nothing(project, tmp_path):
    good = _write(tmp_path, "P01.txt", INTERVIEW)
    empty = _write(tmp_path, "P02.txt", "   \n")
    good2 = _write(tmp_path, "P03.txt", INTERVIEW.replace("smile", "laugh"))
    report = project.docs.import_paths([good, empty, tmp_path / "nope.txt", good2])
    assert [o.status for o in report.outcomes if o.source.endswith(("P01.txt", "P03.txt"))] == ["imported"] * 2
    assert report.count("failed") == 2
    assert {d.name for d in project.docs.list()} == {"P01", "P03"}


def test_failure_while_writing_rolls_back_that_file_only(project, tmp_path, monkeypatch):
    """A crash half-way through writing one document leaves no partial document."""
    from gtcode.store.db import Txn

    real = Txn.record

    def flaky(self, action, summary, *args, **kwargs):  # the last step, after rows and index are written
        if action == "document.import" and "P03" in summary:
            from gtcode.errors import InputError
            raise InputError("simulated failure mid-write")
        return real(self, action, summary, *args, **kwargs)

    monkeypatch.setattr(Txn, "record", flaky)
    a = _write(tmp_path, "P01.txt", INTERVIEW)
    b = _write(tmp_path, "P03.txt", INTERVIEW.replace("smile", "laugh"))
    report = project.docs.import_paths([a, b])
    assert report.count("imported") == 1 and report.count("failed") == 1
    assert [d.name for d in project.docs.list()] == ["P01"]
    assert project.store.scalar("SELECT count(*) FROM turns WHERE document_id NOT IN (SELECT id FROM documents)") == 0
    assert project.store.scalar("SELECT count(*) FROM segment_fts") == project.docs.list()[0].segments


def test_interrupted_command_changes_nothing(project, tmp_path, monkeypatch):
    """One transaction per command: an interrupt mid-batch leaves the project exactly as it was."""
    import gtcode.ingest.importer as documents

    project.docs.import_paths([_write(tmp_path, "P00.txt", INTERVIEW.replace("nervous", "calm"))])
    before = _snapshot(project)
    real = documents.write_document

    def interrupted(store, txn, path, *args, **kwargs):
        if path.name == "P03.txt":
            raise KeyboardInterrupt
        return real(store, txn, path, *args, **kwargs)

    monkeypatch.setattr(documents, "write_document", interrupted)
    files = [_write(tmp_path, "P01.txt", INTERVIEW), _write(tmp_path, "P03.txt", INTERVIEW.replace("smile", "wave"))]
    with pytest.raises(KeyboardInterrupt):
        project.docs.import_paths(files)
    assert _snapshot(project) == before


def test_case_from_option_and_from_file_stem(project, tmp_path):
    project.cases.set("P04", {"role": "mother"})
    project.docs.import_paths([_write(tmp_path, "P04_interview.txt", INTERVIEW)])
    project.docs.import_paths([_write(tmp_path, "anon.txt", INTERVIEW.replace("smile", "yawn"))], case="P07")
    assert project.docs.get("P04_interview").case == "P04"
    assert project.docs.get("anon").case == "P07"


def test_coder_identity_precedence(monkeypatch):
    assert resolve_coder() == getpass.getuser()
    set_config("user", "Config Coder")
    assert resolve_coder() == "Config Coder"
    monkeypatch.setenv("GTCODE_USER", "Env Coder")
    assert resolve_coder() == "Env Coder"
    assert resolve_coder("Flag Coder") == "Flag Coder"


def test_coder_is_recorded_on_what_they_create(tmp_path, monkeypatch):
    monkeypatch.setenv("GTCODE_USER", "Second Coder")
    p = Project.init(tmp_path / "x")
    p.docs.import_paths([_write(tmp_path, "P01.txt", INTERVIEW)])
    assert p.docs.get("P01").imported_by == "Second Coder"
    assert {e["coder"] for e in p.history.events()} == {"Second Coder"}


def test_missing_spacy_model_is_one_clear_error(project, tmp_path):
    from gtcode.errors import NlpModelMissing

    with pytest.raises(NlpModelMissing, match="not installed; gtcode downloads nothing"):
        project.docs.import_paths([_write(tmp_path, "P01.txt", INTERVIEW)], nlp="en_core_web_nonexistent")
    assert project.docs.list() == []


def test_lookup_lemmatizer_works_offline():
    from gtcode.ingest import nlp

    pipeline = nlp.load(lemmas=True)
    doc = pipeline("The babies were filmed at home.")
    assert [t.lemma_ for t in doc][1:4] == ["baby", "be", "film"]


def test_progress_reports_every_file(project, tmp_path):
    files = [_write(tmp_path, f"P0{i}.txt", INTERVIEW.replace("smile", f"smile {i}")) for i in range(1, 7)]
    seen = []
    report = project.docs.import_paths(files + [tmp_path / "missing.txt"], progress=lambda n, label: seen.append((n, label)))
    assert report.count("imported") == 6
    assert sum(n for n, _ in seen) == 6 and seen[-1][1] == "P06.txt"


def test_duplicates_within_one_batch(project, tmp_path):
    """Two copies of a transcript, or two files with one name, in the same import."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = _write(tmp_path / "a", "P01.txt", INTERVIEW)
    same_text = _write(tmp_path / "b", "copy.txt", INTERVIEW)
    same_name = _write(tmp_path / "b", "P01.txt", INTERVIEW.replace("smile", "frown"))
    report = project.docs.import_paths([first, same_text, same_name])
    assert [o.status for o in report.outcomes] == ["imported", "skipped", "imported"]   # the copy is skipped
    assert any("share a name; imported as 'P01 (a)' and 'P01 (b)'" in n for n in report.notes)
    assert [d.name for d in project.docs.list()] == ["P01 (a)", "P01 (b)"]


def test_old_flat_names_still_work_and_name_their_replacement(project, tmp_path):
    project.docs.import_paths([_write(tmp_path, "P01.txt", INTERVIEW)])
    with pytest.warns(DeprecationWarning, match=r"Project.apply_code is deprecated; use Project.coding.apply"):
        project.apply_code("D1:2", "Nervous", create=True)
    with pytest.warns(DeprecationWarning, match=r"codes.list"):
        assert [c.path for c in project.codes()] == ["Nervous"]
    assert [p.address for p in project.coding.passages("Nervous")] == ["D1:2"]
    with pytest.raises(AttributeError, match="no attribute 'report'"):
        project.report  # a job now: gtcode.report.thesis.write_report(project, path)


def test_a_dry_run_does_everything_and_keeps_nothing(project, tmp_path):
    project.docs.import_paths([_write(tmp_path, "P01.txt", INTERVIEW)])
    before = _snapshot(project) | {"codings": project.store.all("SELECT * FROM codings")}
    with project.transaction(dry_run=True) as txn:
        assert txn.dry_run
        project.coding.apply("D1:2", "Nervous", create=True)          # joins the dry run: one transaction
        assert [c.path for c in project.codes.list()] == ["Nervous"]  # visible inside it…
    assert project.codes.list() == []                                 # …and gone after it
    assert _snapshot(project) | {"codings": project.store.all("SELECT * FROM codings")} == before


def test_the_project_fixture_holds_what_init_writes(migrated_file, tmp_path):
    """The `project` fixture copies a migrated file rather than calling init (tests/conftest.py): the two must give
    the same project, all but its random UUIDs and the times."""
    from tests.conftest import init_from

    volatile = {"uuid", "txn", "entity_uuid", "at", "created_at", "applied_at"}

    def content(project):
        s = project.store
        tables = [r[0] for r in s.all("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return ([s.scalar(f"PRAGMA {pragma}") for pragma in ("user_version", "application_id", "journal_mode")],
                [tuple(r) for r in s.all("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name")],
                {t: sorted(([(k, (k in volatile and v is not None) or v) for k, v in dict(r).items()]
                            for r in s.all(f'SELECT * FROM "{t}"')), key=repr) for t in tables})

    with Project.init(tmp_path / "a" / "proj", coder="tester") as made:
        with init_from(migrated_file, tmp_path / "b" / "proj", "tester") as copied:
            assert (copied.name, copied.coder, copied.command) == (made.name, made.coder, made.command) == (
                "proj", "tester", "api")
            assert content(copied) == content(made)
