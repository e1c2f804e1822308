"""Hostile input at the library level: zip parts checked while they inflate, long paragraphs segmented in bounded
pieces with exact offsets, bracketed events kept whole, YAML bombs refused, special output paths, damaged project
files detected, backups and salvage."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading

import pytest

from gtcode.errors import BadCodebook, CannotWrite, ConfigError, ProjectDamaged, UnsafeExchangeFile
from tests.hostile import (GIB_OF_SPACES, copy_project, damage, qde, small_project, truncate, write_zip,
                           yaml_alias_bomb, yaml_deep_codes, yaml_deep_lists)

# --- safe zip -------------------------------------------------------------------------------------------------------


def test_a_part_larger_than_the_limit_is_refused_before_it_is_inflated(tmp_path, monkeypatch):
    from gtcode import safezip

    path = write_zip(tmp_path / "bomb.qdpx", {"project.qde": GIB_OF_SPACES})
    inflated = []
    real_open = safezip.zipfile.ZipFile.open
    monkeypatch.setattr(safezip.zipfile.ZipFile, "open", lambda *a, **k: inflated.append(a) or real_open(*a, **k))
    with safezip.SafeZip(path) as archive, pytest.raises(UnsafeExchangeFile, match="max_part_mb"):
        archive.read("project.qde")
    assert inflated == []


def test_parts_stream_in_bounded_chunks_and_stop_at_the_archive_total(tmp_path, monkeypatch):
    from gtcode import safezip

    path = write_zip(tmp_path / "x.qdpx", {"a.xml": (b"a" * 1000, 600), "b.xml": (b"b" * 1000, 600)})
    with safezip.SafeZip(path) as archive:
        sizes = [len(c) for c in archive.chunks("a.xml")]
        assert sum(sizes) == 600_000 and max(sizes) <= safezip._CHUNK
    with safezip.SafeZip(path, max_total=1_300_000, max_part=700_000) as archive:
        archive.read("a.xml")
        archive.read("b.xml")
        with pytest.raises(UnsafeExchangeFile, match="zip bomb"):
            archive.read("a.xml")     # read again: the archive's running total passes 1.3 MB


def test_an_entry_can_be_parsed_as_a_stream(tmp_path):
    from lxml import etree

    from gtcode.safezip import SafeZip

    path = write_zip(tmp_path / "x.odt", {"content.xml": b"<doc>" + b"<p>hello</p>" * 10_000 + b"</doc>"})
    with SafeZip(path, kind=".odt", describe="an OpenDocument text (.odt is a zip archive)") as archive:
        texts = [el.text for _, el in etree.iterparse(archive.open("content.xml"), tag="p")]
    assert len(texts) == 10_000 and texts[0] == "hello"


def test_zip_limits_come_from_the_config_file(tmp_path, monkeypatch):
    from gtcode.config import set_config
    from gtcode.safezip import SafeZip

    path = write_zip(tmp_path / "x.qdpx", {"project.qde": qde()})
    set_config("max_part_mb", "3")
    set_config("max_zip_entries", "1")
    with SafeZip(path) as archive:
        assert archive.max_part == 3 * 1024 ** 2
    with pytest.raises(ConfigError, match="whole number"):
        set_config("max_part_mb", "lots")
    two = write_zip(tmp_path / "two.qdpx", {"project.qde": qde(), "sources/a.txt": b"a"})
    with pytest.raises(UnsafeExchangeFile, match="max_zip_entries"):
        SafeZip(two)


def test_a_docx_or_odt_can_name_itself_in_messages(tmp_path):
    from gtcode.errors import InputError, UnsafeFile
    from gtcode.safezip import SafeZip

    (tmp_path / "notes.docx").write_text("not a zip")
    with pytest.raises(InputError, match="notes.docx: not a Word document"):
        SafeZip(tmp_path / "notes.docx", kind=".docx", describe="a Word document (.docx is a zip archive)")
    bomb = write_zip(tmp_path / "bomb.docx", {"word/document.xml": GIB_OF_SPACES})
    with SafeZip(bomb, unsafe=UnsafeFile) as archive, pytest.raises(UnsafeFile, match="bomb.docx"):
        archive.read("word/document.xml")


# --- long texts and bracketed events ---------------------------------------------------------------------------------

def _segments(text: str):
    from gtcode.ingest.base import ParsedDocument, Turn
    from gtcode.ingest.nlp import load
    from gtcode.ingest.segment import segment_documents

    doc = ParsedDocument("x", text, "txt", [Turn(None, 0, 0, len(text))])
    return [(s.start, s.end) for s in segment_documents([doc], load())[0]]


def test_bracketed_events_stay_whole_inside_their_sentence():
    text = ("It was about the film. (laughter) And then we went home. [inaudible 00:06:18] She said no. "
            "Then [crosstalk] it stopped.")
    spans = _segments(text)
    assert [text[a:b] for a, b in spans] == [
        "It was about the film. (laughter)", "And then we went home. [inaudible 00:06:18]", "She said no.",
        "Then [crosstalk] it stopped."]
    assert spans[0] == (0, text.index(")") + 1)
    assert spans[1][0] == text.index("And")


def test_a_long_paragraph_is_segmented_in_bounded_pieces_with_exact_offsets(monkeypatch):
    from gtcode.ingest import segment

    monkeypatch.setattr(segment, "CHUNK", 5_000)
    sentence_free = " ".join(f"word{i}" for i in range(4_000))           # ~35,000 characters, no punctuation
    with_sentences = " ".join(f"This is sentence {i}." for i in range(1_500))
    no_spaces = "x" * 12_000
    for text in (sentence_free, with_sentences, no_spaces):
        spans = _segments(text)
        assert max(b - a for a, b in spans) <= 5_000
        assert all(b <= a2 for (_, b), (a2, _) in zip(spans, spans[1:]))  # in order, never overlapping
        assert " ".join(text[a:b] for a, b in spans).split() == text.split() or text is no_spaces
    assert "".join(no_spaces[a:b] for a, b in _segments(no_spaces)) == no_spaces
    spans = _segments(with_sentences)
    assert all(with_sentences[b - 1] == "." for _, b in spans)           # cut after a sentence, not mid-way


def test_one_document_that_cannot_be_segmented_does_not_cost_the_others(monkeypatch):
    from gtcode.ingest import segment
    from gtcode.ingest.base import ParsedDocument, Turn
    from gtcode.ingest.nlp import load

    docs = [ParsedDocument(n, f"Words of {n}.", "txt", [Turn(None, 0, 0, len(f"Words of {n}."))])
            for n in ("good", "bad", "also good")]
    real = segment.segment_documents

    def failing(batch, nlp, batch_size=256):
        if any(d.name == "bad" for d in batch):
            raise ValueError("[E088] Text of length 99999999 exceeds maximum")
        return real(batch, nlp, batch_size)

    monkeypatch.setattr(segment, "segment_documents", failing)
    results = segment.segment_each(docs, load())
    assert isinstance(results[1], ValueError)
    assert [len(r) for r in (results[0], results[2])] == [1, 1]


# --- YAML codebooks ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, message", [
    (yaml_alias_bomb(), "line 5: .*aliases"),
    (yaml_deep_lists(), "line 1: .*nested more than 100 levels"),
    (yaml_deep_codes(), "nested more than 100 levels"),
], ids=["aliases", "deep-lists", "deep-codes"])   # the texts themselves as ids make pytest crawl
def test_yaml_bombs_are_refused_with_one_line(text, message):
    from gtcode.codebook.read import parse_codebook

    with pytest.raises(BadCodebook, match=message) as caught:
        parse_codebook(text, "bomb.yml")
    assert "\n" not in str(caught.value) and str(caught.value).startswith("bomb.yml")


def test_anchors_without_aliases_and_ordinary_nesting_still_read():
    from gtcode.codebook.read import parse_codebook

    book = parse_codebook("codes:\n  - &first\n    name: A\n    codes:\n      - name: B\n        codes: [C]\n")
    assert [e.path for e in book.entries()] == ["A", "A/B", "A/B/C"]


def test_an_oversized_codebook_file_is_refused_unread(tmp_path, monkeypatch):
    from gtcode import files
    from gtcode.codebook.read import read_codebook

    monkeypatch.setattr(files, "MAX_SMALL_FILE", 1000)
    monkeypatch.setattr(files.read_utf8, "__defaults__", (1000,))
    (tmp_path / "big.yml").write_text("codes:\n" + "  - name: x\n" * 200)
    with pytest.raises(BadCodebook, match="big.yml: larger than"):
        read_codebook(tmp_path / "big.yml")


# --- output paths ---------------------------------------------------------------------------------------------------

def test_dash_writes_to_stdout(capfdbinary):
    from gtcode.files import write_output

    write_output("-", "a,b\n1,2\n")
    assert capfdbinary.readouterr().out == b"a,b\n1,2\n"


def test_a_device_is_written_into_never_replaced():
    from gtcode.files import write_output

    write_output("/dev/null", "anything")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
def test_a_full_device_is_a_one_line_disk_full_error():
    from gtcode.files import write_output

    with pytest.raises(CannotWrite, match="/dev/full: cannot write \\(disk full\\)"):
        write_output("/dev/full", "x" * 100_000)
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_fifo_is_written_into(tmp_path):
    from gtcode.files import write_output

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    write_output(fifo, "through the pipe")
    reader.join(10)
    assert got == [b"through the pipe"] and stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_folder_or_a_missing_folder_is_a_clear_error(tmp_path):
    from gtcode.files import write_output

    with pytest.raises(CannotWrite, match="is a folder"):
        write_output(tmp_path, "x")
    with pytest.raises(CannotWrite, match="does not exist"):
        write_output(tmp_path / "nowhere" / "x.csv", "x")


def test_a_full_disk_leaves_no_partial_file_and_the_old_file_intact(tmp_path):
    import errno

    from gtcode.files import atomic_file

    target = tmp_path / "codings.csv"
    target.write_text("the good old export")
    with pytest.raises(CannotWrite, match="disk full.*nothing was written"):
        with atomic_file(target) as temp:
            temp.write_text("half of it")
            raise OSError(errno.ENOSPC, "No space left on device")
    assert target.read_text() == "the good old export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["codings.csv"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_an_unwritable_folder_is_a_clear_error(tmp_path):
    from gtcode.files import write_output

    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(CannotWrite, match="permission denied"):
            write_output(locked / "x.csv", "x")
    finally:
        locked.chmod(0o700)


# --- damaged projects ----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    return small_project(tmp_path_factory.mktemp("pristine") / "proj")


def test_a_write_to_a_damaged_project_is_refused_and_changes_nothing(pristine, tmp_path):
    from gtcode import Project

    db = damage(copy_project(pristine, tmp_path / "bad"))
    before = db.read_bytes()
    with pytest.raises(ProjectDamaged, match=r"gtcode.db is damaged: .*restore from a backup; `gtcode doctor`"):
        with Project.open(db, coder="tester") as p:
            p.codes.add("Anything")
    assert db.read_bytes() == before


def test_a_read_that_meets_a_malformed_page_names_the_file(pristine, tmp_path):
    from gtcode import Project

    db = truncate(copy_project(pristine, tmp_path / "half"))
    with pytest.raises(ProjectDamaged, match="half/gtcode.db is damaged"):
        with Project.open(db) as p:
            p.stats()
            p.analysis.search("film")


def test_doctor_reports_damage_and_salvages_what_can_be_read(pristine, tmp_path):
    from gtcode.project._maintenance import doctor

    ok = doctor(pristine)
    assert ok.ok and ok.problems == [] and ok.rows["documents"] == 2
    db = damage(copy_project(pristine, tmp_path / "bad"))
    result = doctor(db, salvage_to=tmp_path / "saved.db")
    assert not result.ok and result.problems
    assert result.method in ("recover", "table-by-table copy")
    saved = doctor(tmp_path / "saved.db")
    assert saved.ok and saved.gtcode and saved.schema == ok.schema
    with pytest.raises(CannotWrite, match="already exists"):
        doctor(db, salvage_to=tmp_path / "saved.db")


def test_backup_is_consistent_while_another_process_writes(pristine, tmp_path):
    from gtcode import Project
    from gtcode.project._maintenance import backup

    db = copy_project(pristine, tmp_path / "live")
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE project SET name = 'half-way' WHERE id = 1")   # not committed while the backup runs
    copy = backup(db, tmp_path / "copy.db")
    writer.execute("ROLLBACK")
    writer.close()
    with Project.open(copy) as p:
        assert p.name != "half-way" and p.stats()["documents"] == 2
    default = backup(db)
    assert default.parent == db.parent and default.name.startswith("gtcode-backup-")
    with pytest.raises(CannotWrite, match="already exists"):
        backup(db, copy)


def test_backup_of_a_damaged_project_is_refused(pristine, tmp_path):
    from gtcode.project._maintenance import backup

    db = damage(copy_project(pristine, tmp_path / "bad"))
    with pytest.raises(ProjectDamaged, match="is damaged"):
        backup(db, tmp_path / "copy.db")
    assert not (tmp_path / "copy.db").exists()


def test_merging_a_damaged_copy_is_refused(pristine, tmp_path):
    from gtcode import Project
    from gtcode.team.merge import merge_project

    mine = copy_project(pristine, tmp_path / "mine")
    theirs = damage(copy_project(pristine, tmp_path / "theirs"))
    with Project.open(mine, coder="tester") as p, pytest.raises(ProjectDamaged, match="theirs/gtcode.db"):
        merge_project(p, theirs)


def test_a_file_that_fails_for_any_reason_does_not_cost_the_batch(project, tmp_path, monkeypatch):
    from gtcode.ingest import importer

    for name in ("first", "broken", "last"):
        (tmp_path / f"{name}.txt").write_text(f"Interviewer: Hello?\nP01: This is {name}. (laughter) Yes.\n")
    real = importer.write_document

    def flaky(store, txn, path, doc, *args, **kwargs):
        if doc.name == "broken":
            raise KeyError("a bug in one file's writing")
        return real(store, txn, path, doc, *args, **kwargs)

    monkeypatch.setattr(importer, "write_document", flaky)
    report = project.docs.import_paths([tmp_path / f"{n}.txt" for n in ("first", "broken", "last")])
    assert report.count("imported") == 2 and report.count("failed") == 1
    assert [d.name for d in project.docs.list()] == ["first", "last"]


def test_the_damage_message_is_one_line_whatever_sqlite_says(tmp_path):
    from gtcode.store.health import damaged

    message = str(damaged(tmp_path / "gtcode.db", "*** in database main ***\nPage 59: btreeInitPage() error 11\n"))
    assert "\n" not in message and "*** in database" not in message and "Page 59: btreeInitPage()" in message


def test_a_code_tree_nested_past_the_limit_is_refused_on_exchange_import(tmp_path):
    from gtcode import Project
    from gtcode.errors import Invalid

    opening = "".join(f'<Code guid="{i:08d}-0000-0000-0000-000000000000" name="c{i}" isCodable="true">'
                      for i in range(150))
    qdc = (f'<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="t">'
           f'<Codes>{opening}{"</Code>" * 150}</Codes></CodeBook>')
    (tmp_path / "deep.qdc").write_text(qdc, encoding="utf-8")
    with Project.init(tmp_path / "p", coder="t") as project:
        from gtcode.exchange import import_exchange_file

        with pytest.raises(Invalid, match="nested more than 100 levels deep"):
            import_exchange_file(project, tmp_path / "deep.qdc")
        assert project.codes.list() == []
