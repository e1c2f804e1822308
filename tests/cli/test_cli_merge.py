"""`gtcode merge`: dry run, merge, nothing left to merge, undo; files that are not copies refused cleanly."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest

from gtcode import Project
from gtcode.errors import InputError, NotAProject, SchemaTooNew
from gtcode.team.merge import merge_project

from tests.conftest import invoke
from tests.lib import test_merge as lib
from tests.lib.test_merge import dump, two_coders

study = lib.study  # the library tests' fixture, shared rather than copied


def test_cli_merge_dry_run_then_merge_then_nothing_to_merge(study):
    main, copy = study
    two_coders(main, copy)
    before = dump(main)
    dry = invoke(main, "merge", copy, "--dry-run", coder="Hannah")
    assert "Would merge" in dry.stdout and "codings" in dry.stdout
    title = dry.stdout.splitlines()[0]        # one line, not wrapped at the table's width mid-sentence
    assert title.startswith("Would merge") and title.endswith(": 2 transcripts matched")
    assert "Dry run: nothing was changed" in dry.stderr
    assert dump(main) == before

    done = invoke(main, "merge", copy, "--json", coder="Hannah")
    data = json.loads(done.stdout)
    assert data["changed"] and not data["dry_run"] and data["counts"]["codings"]["added"] == 3
    assert data["documents"]["matched"] == 2
    assert "'gtcode undo' reverses the merge" in done.stderr

    again = invoke(main, "merge", copy, coder="Hannah")
    assert "Nothing to merge" in again.stderr
    assert json.loads(invoke(main, "merge", copy, "--dry-run", "--json", coder="Hannah").stdout)[
        "changed"] is False

    invoke(main, "undo", coder="Hannah")
    assert dump(main) == before


def test_bad_files_are_refused_and_nothing_is_merged(study, tmp_path):
    main, copy = study
    before = dump(main)
    (tmp_path / "notes.db").write_text("not a database")
    sqlite3.connect(tmp_path / "other.sqlite").execute("CREATE TABLE t (x)").connection.close()
    newer = tmp_path / "newer.db"
    shutil.copy(copy, newer)
    sqlite3.connect(newer).execute("PRAGMA user_version = 999").connection.close()
    stranger = tmp_path / "stranger"
    with Project.init(stranger, coder="Sam") as q:
        q.docs.import_paths([tmp_path / "P03.txt"])
    with Project.open(main, coder="Hannah") as p:
        with pytest.raises(NotAProject, match="not an SQLite database"):
            merge_project(p, tmp_path / "notes.db")
        with pytest.raises(NotAProject, match="not a gtcode project"):
            merge_project(p, tmp_path / "other.sqlite")
        with pytest.raises(SchemaTooNew, match="newer gtcode"):
            merge_project(p, newer)
        with pytest.raises(InputError, match="own file"):
            merge_project(p, main.parent)
        with pytest.raises(InputError, match="no such project file"):
            merge_project(p, tmp_path / "missing.db")
        with pytest.raises(InputError, match="none of its 1 transcript"):
            merge_project(p, stranger)
    assert dump(main) == before
    result = invoke(main, "merge", tmp_path / "notes.db", ok=False)
    assert result.exit_code == 2 and result.stderr.startswith("Error: ") and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1
