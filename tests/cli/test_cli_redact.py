"""`gtcode redact check/apply` and `import --pseudonymise`: exit codes, reports, a bad key changes nothing,
and a fast start. Every name here is fictional (the sample transcripts say so at the top)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import invoke
from tests.lib import test_redact as lib
from tests.lib.test_redact import import_files

interview, key = lib.interview, lib.key  # the library tests' fixtures, shared rather than copied


def test_import_pseudonymise_option_refuses_a_bad_key_and_imports_nothing(tmp_path, interview):
    from gtcode.project import Project

    bad = tmp_path / "bad.csv"
    bad.write_text("real,pseudonym\nKerry,Jo\nLucy\n", encoding="utf-8")
    invoke(None, "init", "study", ok=False)
    result = invoke("study", "import", str(interview), "--pseudonymise", str(bad), ok=False)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [f"Error: {bad} line 3: no pseudonym for 'Lucy' (write one, or a "
                                                  "tag such as [name]); nothing was changed"]
    with Project.open(tmp_path / "study") as p:
        assert p.docs.list() == []


def test_redact_check_cli_exits_1_when_anything_is_found_and_0_when_clean(tmp_path, interview, key):
    invoke(None, "init", "study")
    invoke("study", "import", str(interview))
    found = invoke("study", "redact", "check", "--key", str(key), "--json", ok=False)
    assert found.exit_code == 1, found.output
    data = json.loads(found.stdout)
    assert data["found"] == len(data["hits"]) == 11     # 6 names (2 in speaker labels) and 5 identifiers
    email = next(h for h in data["hits"] if h["kind"] == "email")
    assert email == {"place": "D1:5", "kind": "email", "text": "lucy.guider@example.nhs.uk", "fixable": True,
                     "context": ", 07700 900123, and her email [lucy.guider@example.nhs.uk].", "event": None}
    table = invoke("study", "redact", "check", "--key", str(key), ok=False)
    assert table.exit_code == 1, table.output
    assert "[postcode]" not in table.stdout and "B33 8TH" in table.stdout
    assert "Found 11: NHS number 1, date of birth 1, email 1, name 6, phone 1, postcode 1." in table.stderr
    invoke(None, "init", "clean")
    clean = invoke("clean", "redact", "check", "--key", str(key))
    assert "Nothing found" in clean.stderr and clean.stdout == ""
    nothing = invoke("clean", "redact", "check", "--no-detectors", ok=False)
    assert nothing.exit_code == 1, nothing.output
    assert "nothing to look for" in nothing.stderr


def test_redact_apply_cli_reports_and_a_bad_key_changes_nothing(tmp_path, interview, key):
    invoke(None, "init", "study")
    invoke("study", "import", str(interview), coder="Hannah")
    invoke("study", "code", "D1:3", "Guider", "--create")
    bad = tmp_path / "bad.csv"
    bad.write_text("real,pseudonym\nKerry,Jo\nLucy,Kerry\n", encoding="utf-8")
    failed = invoke("study", "redact", "apply", str(bad), ok=False)
    assert failed.exit_code == 1, failed.output
    assert failed.stderr.strip().splitlines() == [
        f"Error: {bad} line 3: the pseudonym 'Kerry' contains 'Kerry', a real name in this key (line 2); "
        "nothing was changed"]
    shown = invoke("study", "docs", "show", "D1", "--json").stdout
    assert "Lucy came round" in shown
    done = invoke("study", "redact", "apply", str(key), "--json")
    data = json.loads(done.stdout)
    assert data["documents"] == 1 and data["replacements"]["name"] == 6 and data["passages_moved"] == 1
    assert "Pseudonymised 1 document" in done.stderr
    shown = json.loads(invoke("study", "docs", "show", "D1", "--segments", "3", "--json").stdout)
    assert shown["segments"][0]["text"] == "Anna came round on a Tuesday."
    retrieved = invoke("study", "retrieve", "Guider", "--json").stdout
    assert "Anna came round on a Tuesday." in retrieved and "Lucy" not in retrieved
    event = json.loads(invoke("study", "log", "--json").stdout)[0]
    assert event["command"] == f"gtcode --project study redact apply {key} --json"
    invoke("study", "redact", "check", "--key", str(key))


def test_redact_check_does_not_load_heavy_libraries(project, interview, key):
    import_files(project, [interview])
    argv = ["-p", str(project.path), "redact", "check", "--key", str(key)]
    code = (f"from gtcode.cli import app\n"
            f"try:\n    app({argv!r}, standalone_mode=False)\n"
            f"except SystemExit:\n    pass\n"
            f"import sys, json\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert not loaded & {"spacy", "sqlite_utils", "docx", "networkx", "numpy", "matplotlib", "textual", "yaml"}
