"""The CLI through Typer's CliRunner: thin commands, clean errors, JSON for scripts."""

from __future__ import annotations

import json

import pytest

from tests.conftest import invoke

INTERVIEW = "Interviewer: How did the filming go?\n\nP01: I was nervous at first. Then I saw her smile at me.\n"


@pytest.fixture
def cli_project(tmp_path):
    invoke(None, "init", "study")
    (tmp_path / "P01.txt").write_text(INTERVIEW, encoding="utf-8")
    invoke("study", "--coder", "Hannah", "import", "P01.txt")
    return tmp_path / "study"


def test_init_then_commands_find_the_project(tmp_path):
    result = invoke(None, "init", "study", "--name", "VIG study")
    assert "Created project 'VIG study'" in result.stderr
    assert (tmp_path / "study" / "gtcode.db").exists()
    import os
    os.chdir(tmp_path / "study")
    data = json.loads(invoke(None, "stats", "--json").stdout)
    assert data["project"] == "VIG study" and data["documents"] == 0


def test_import_list_show_search_json(cli_project):
    docs = json.loads(invoke(cli_project, "docs", "list", "--json").stdout)
    assert [(d["label"], d["name"], d["turns"], d["segments"]) for d in docs] == [("D1", "P01", 2, 3)]
    assert docs[0]["imported_by"] == "Hannah"
    shown = json.loads(invoke(cli_project, "docs", "show", "D1", "--segments", "2-3", "--json").stdout)
    assert [(s["address"], s["speaker"], s["text"]) for s in shown["segments"]] == [
        ("D1:2", "P01", "I was nervous at first."), ("D1:3", "P01", "Then I saw her smile at me.")]
    found = json.loads(invoke(cli_project, "search", "smile", "--json").stdout)
    assert found["total"] == 1 and found["hits"][0]["address"] == "D1:3"


def test_event_records_the_command_line(cli_project):
    from gtcode import Project
    with Project.open(cli_project) as p:
        event = p.history.events()[0]
    assert event["command"] == "gtcode --project study --coder Hannah import P01.txt"
    assert event["coder"] == "Hannah"


def test_docs_show_renders_a_readable_transcript(cli_project):
    out = invoke(cli_project, "docs", "show", "P01").stdout
    assert "D1 P01" in out and "Interviewer" in out and "I was nervous at first." in out
    plain = invoke(cli_project, "docs", "show", "P01", "--plain").stdout.splitlines()
    assert plain[1] == "D1:2\tP01\t\tI was nervous at first."


def test_search_table_and_filters(cli_project):
    invoke(cli_project, "cases", "set", "P01", "role=mother", "site=Trust A")
    out = invoke(cli_project, "search", "nervous", "--where", "role=mother").stdout
    assert "D1:2" in out and "nervous" in out
    res = invoke(cli_project, "search", "nervous", "--where", "role=practitioner")
    assert "No matches" in res.stderr


def test_cases_import_set_list(cli_project, tmp_path):
    (tmp_path / "people.csv").write_text("participant,role,site\nP01,mother,Trust A\nP06,practitioner,Trust B\n")
    res = invoke(cli_project, "cases", "import", str(tmp_path / "people.csv"))
    assert "2 cases" in res.stderr and "1 document linked" in res.stderr
    cases = json.loads(invoke(cli_project, "cases", "list", "--json").stdout)
    assert cases[0]["name"] == "P01" and cases[0]["documents"] == ["P01"]
    res = invoke(cli_project, "cases", "set", "P06", "notarole", ok=False)
    assert res.exit_code == 1 and "ATTRIBUTE=VALUE" in res.stderr


def test_import_failure_is_one_line_per_file_exit_1_and_summary(cli_project, tmp_path):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "P02.txt").write_text(INTERVIEW.replace("smile", "wave"))
    (tmp_path / "notes.pages").write_bytes(b"not a transcript")
    res = invoke(cli_project, "import", "empty.txt", "notes.pages", "P02.txt", ok=False)
    assert res.exit_code == 1
    errors = [line for line in res.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 2
    assert any("empty.txt" in e and "empty" in e for e in errors)
    assert any("notes.pages" in e and "unsupported" in e for e in errors)
    assert "1 imported, 0 skipped, 2 failed" in res.stderr
    assert "Traceback" not in res.output
    assert "Importing" not in res.stderr  # no progress bar when stderr is not a terminal
    docs = json.loads(invoke(cli_project, "docs", "list", "--json").stdout)
    assert [d["name"] for d in docs] == ["P01", "P02"]


def test_reimport_is_skipped_with_a_message(cli_project):
    res = invoke(cli_project, "import", "P01.txt")
    assert "Skipped" in res.stderr and "identical to D1" in res.stderr


@pytest.mark.parametrize("args, message, code", [
    (["stats"], "no gtcode project", 2),
    (["-p", "nowhere.db", "stats"], "no such project file", 2),
])
def test_missing_project_errors(args, message, code):
    res = invoke(None, *args, ok=False)
    assert res.exit_code == code and message in res.stderr
    assert "Traceback" not in res.output and len(res.stderr.strip().splitlines()) == 1


def test_non_project_file_is_refused_not_overwritten(tmp_path):
    target = tmp_path / "thesis.docx"
    target.write_bytes(b"PK\x03\x04 not really")
    res = invoke(target, "docs", "list", ok=False)
    assert res.exit_code == 2 and "not a gtcode project" in res.stderr
    assert target.read_bytes() == b"PK\x03\x04 not really"


def test_unknown_document_suggests(cli_project):
    res = invoke(cli_project, "docs", "show", "P1", ok=False)
    assert res.exit_code == 1 and "did you mean 'P01'" in res.stderr


def test_bad_segment_range_is_clean(cli_project):
    res = invoke(cli_project, "docs", "show", "P01", "--segments", "9-x", ok=False)
    assert res.exit_code == 1 and res.stderr.startswith("Error: --segments") and "Traceback" not in res.output


def test_debug_shows_the_traceback(cli_project):
    res = invoke(None, "--debug", "-p", str(cli_project), "docs", "show", "nope", ok=False)
    assert res.exit_code != 0
    assert res.exception is not None and type(res.exception).__name__ == "UnknownDocument"


def test_config_set_get_and_coder(tmp_path):
    invoke(None, "config", "set", "user", "Hannah Reid")
    assert invoke(None, "config", "get", "user").stdout.strip() == "Hannah Reid"
    invoke(None, "init", "p")
    from gtcode import Project
    with Project.open(tmp_path / "p") as p:
        assert p.history.events()[0]["coder"] == "Hannah Reid"
    res = invoke(None, "config", "set", "colour", "blue", ok=False)
    assert res.exit_code == 2 and "unknown setting" in res.stderr


def test_help_is_grouped_by_workflow():
    out = invoke(None, "--help").stdout
    for panel in ("Set up", "Import", "Look at the data"):
        assert panel in out


def test_python_dash_m_and_checkout_shim(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[2]
    for cmd in ([sys.executable, "-m", "gtcode", "--version"], [sys.executable, str(repo / "cli.py"), "--version"]):
        done = subprocess.run(cmd, capture_output=True, text=True)
        assert done.returncode == 0 and done.stdout.startswith("gtcode "), done.stderr


def test_bad_speaker_pattern_is_clean(cli_project):
    res = invoke(cli_project, "import", "P01.txt", "--speaker-pattern", "([", ok=False)
    assert res.exit_code == 1 and "not a valid regular expression" in res.stderr and "Traceback" not in res.output
