"""The project store: creation, finding, migrations, refusals, the event log."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gtcode import Project
from gtcode.errors import NotAProject, ProjectBusy, ProjectExists, ProjectNotFound, SchemaTooNew
from gtcode.store.schema import APPLICATION_ID, SCHEMA_VERSION

FIXTURES = Path(__file__).parents[1] / "fixtures"


def test_init_creates_one_sqlite_file_with_wal_and_marker(tmp_path):
    p = Project.init(tmp_path / "study", coder="amina")
    assert p.path == (tmp_path / "study" / "gtcode.db").resolve()
    conn = sqlite3.connect(p.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert p.name == "study"
    assert p.store.scalar("PRAGMA foreign_keys") == 1
    assert p.store.scalar("PRAGMA busy_timeout") >= 5000


def test_init_refuses_existing_file(tmp_path):
    Project.init(tmp_path).close()
    with pytest.raises(ProjectExists):
        Project.init(tmp_path)


def test_schema_version_matches_migrations(tmp_path):
    """SCHEMA_VERSION (read without sqlite-utils) must count the migrations."""
    from sqlite_utils import Database

    from gtcode.store.migrations import migrations

    p = Project.init(tmp_path)
    applied = migrations.applied(Database(p.store.conn))
    assert len(applied) == SCHEMA_VERSION
    assert not migrations.pending(Database(p.store.conn))


def test_project_is_found_upwards_like_git(tmp_path):
    Project.init(tmp_path / "study").close()
    deep = tmp_path / "study" / "memos" / "drafts"
    deep.mkdir(parents=True)
    import os

    os.chdir(deep)
    with Project.open() as p:
        assert p.path == (tmp_path / "study" / "gtcode.db").resolve()


def test_env_var_and_folder_name_the_project(tmp_path, monkeypatch):
    Project.init(tmp_path / "a").close()
    monkeypatch.setenv("GTCODE_PROJECT", str(tmp_path / "a"))
    with Project.open() as p:
        assert p.path.parent == (tmp_path / "a").resolve()


def test_no_project_is_a_clear_error(tmp_path):
    with pytest.raises(ProjectNotFound, match="gtcode init"):
        Project.open()
    with pytest.raises(ProjectNotFound):
        Project.open(tmp_path / "missing.db")


@pytest.mark.parametrize("content", [b"just some notes\n", b"SQLite format 3\x00" + b"\x00" * 200])
def test_non_project_file_is_refused_and_untouched(tmp_path, content):
    target = tmp_path / "notes.db"
    target.write_bytes(content)
    with pytest.raises(NotAProject):
        Project.open(target)
    assert target.read_bytes() == content


def test_plain_sqlite_database_is_refused_and_untouched(tmp_path):
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    with pytest.raises(NotAProject, match="not a gtcode project"):
        Project.open(other)
    assert other.read_bytes() == before


def test_project_from_newer_gtcode_is_refused(tmp_path):
    p = Project.init(tmp_path)
    p.store.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    p.close()
    with pytest.raises(SchemaTooNew, match="newer gtcode"):
        Project.open(tmp_path)


def test_committed_old_project_opens_with_its_data():
    """A project written by gtcode 0.1 (schema 1) still opens and reads, after any migrations."""
    import shutil
    import tempfile

    src = FIXTURES / "schema1.db"
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "gtcode.db"
        shutil.copy(src, copy)
        with Project.open(copy) as p:
            docs = p.docs.list()
            assert [d.name for d in docs] == ["P01"]
            segs = p.docs.segments("P01")
            text = p.docs.text("P01")
            assert all(text[s.start:s.end] == s.text for s in segs)
            assert p.store.scalar("PRAGMA user_version") == SCHEMA_VERSION


def test_event_log_is_append_only(project):
    assert project.history.events()[0]["action"] == "project.init"
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        project.store.conn.execute("UPDATE events SET summary = 'x'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        project.store.conn.execute("DELETE FROM events")


def test_travelling_rows_have_uuids(project, tmp_path):
    (tmp_path / "P01.txt").write_text("Interviewer: Hi.\nP01: Hello there. Fine.\n")
    project.docs.import_paths([tmp_path / "P01.txt"], case="P01")
    for table in ("documents", "turns", "segments", "cases", "events", "coders"):
        uuids = [r[0] for r in project.store.all(f"SELECT uuid FROM {table}")]
        assert uuids and all(len(u) == 36 for u in uuids), table
        assert len(set(uuids)) == len(uuids)


def test_second_writer_waits_instead_of_failing(project, tmp_path):
    """Another process holding the write lock briefly makes us wait, not fail."""
    path = project.path
    script = (
        "import sqlite3, time, sys\n"
        f"c = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
        "c.execute('BEGIN IMMEDIATE'); print('locked', flush=True); time.sleep(1.0); c.execute('COMMIT')\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    start = time.monotonic()
    project.cases.set("P09", {"role": "mother"})
    proc.wait()
    assert time.monotonic() - start > 0.5  # it really waited for the other process
    assert project.cases.get("P09").attributes == {"role": "mother"}


def test_busy_beyond_timeout_is_a_clean_error(project, monkeypatch):
    other = sqlite3.connect(project.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    project.store.conn.execute("PRAGMA busy_timeout = 100")
    with pytest.raises(ProjectBusy, match="nothing was changed"):
        project.cases.set("P01", {"role": "mother"})
    other.execute("ROLLBACK")
    assert project.cases.list() == []


def test_a_second_open_in_one_process_leaves_the_first_locked(tmp_path):
    """Opening a project this process already has open reads its header without closing a descriptor on it
    (which on POSIX would drop the first connection's locks): another process's write then leaves the first
    connection's WAL in place, and it goes on reading and writing."""
    import subprocess
    import sys

    first = Project.init(tmp_path / "proj", coder="a")
    first.codes.add("One")
    Project.open(first.path, coder="b").close()
    subprocess.run([sys.executable, "-m", "gtcode", "-p", str(first.path), "codes", "add", "Two"], check=True,
                   capture_output=True)
    assert Path(str(first.path) + "-wal").exists()
    first.codes.add("Three")
    with Project.open(first.path, coder="c") as again:
        assert {c.path for c in again.codes.list()} == {"One", "Two", "Three"}
    first.close()


def test_a_merged_copy_leaves_no_descriptor_held_on_it(tmp_path):
    """Merging reads the other project through an in-memory copy: nothing stays open on the other file."""
    from gtcode.store import handles
    from gtcode.team.merge import merge_project

    with Project.init(tmp_path / "a", coder="a") as mine, Project.init(tmp_path / "b", coder="b") as theirs:
        theirs.codes.add("Theirs")
        other = theirs.path
    held = dict(handles._held)
    with Project.open(tmp_path / "a", coder="a") as mine:
        merge_project(mine, other)
        assert {c.path for c in mine.codes.list()} == {"Theirs"}
        assert len(handles._held) == len(held) + 1          # this project's own, and nothing for the other
    assert handles._held == held


def test_imported_turns_and_segments_each_get_their_own_valid_uuid(tmp_path):
    """Turns and segments are named in bulk at import; each name must still be a distinct, canonical version-4
    UUID, as REFI-QDA exchange (NVivo, ATLAS.ti) needs GUIDs, and an anchor is found by it."""
    import uuid

    from tests.conftest import TRANSCRIPTS

    p = Project.init(tmp_path / "proj", coder="tester")
    p.docs.import_paths(sorted(TRANSCRIPTS.glob("P0[1-4]*")))
    names = [r[0] for r in p.store.all("SELECT uuid FROM turns UNION ALL SELECT uuid FROM segments")]
    assert len(names) > 500 and len(set(names)) == len(names)
    for name in names:
        parsed = uuid.UUID(name)
        assert (parsed.version, parsed.variant, str(parsed)) == (4, uuid.RFC_4122, name)
    p.close()
