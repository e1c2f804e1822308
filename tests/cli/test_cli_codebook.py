"""`gtcode codebook import` and `export`: reports, JSON, every format, errors naming the file and line."""

from __future__ import annotations

import json

from gtcode.codebook import parse_codebook

from tests.conftest import invoke
from tests.lib.test_codebook import NESTED, SMALLEST, load, write


def test_cli_codebook_import_reports_and_json(project, tmp_path):
    path = write(tmp_path, SMALLEST)
    result = invoke(project, "codebook", "import", str(path), "--dry-run", ok=False)
    assert result.exit_code == 0, result.output
    assert "Dry run, nothing changed: codebook book.yml: 2 added, 0 updated, 0 unchanged." in result.stderr
    assert project.codes.list() == []
    result = invoke(project, "codebook", "import", str(path), ok=False)
    assert result.exit_code == 0, result.output
    assert "added      Practical barriers/Exhaustion" in result.stderr
    result = invoke(project, "codebook", "import", str(path), "--json", ok=False)
    data = json.loads(result.stdout)
    assert (data["added"], data["updated"], data["unchanged"]) == (0, 0, 2)


def test_cli_codebook_import_error_names_file_and_line(project, tmp_path):
    path = write(tmp_path, "codes:\n  - name: A\n    colour: blue\n")
    result = invoke(project, "codebook", "import", str(path), ok=False)
    assert result.exit_code == 1
    assert f"Error: {path}, line 3: bad colour 'blue'" in result.stderr
    assert result.stdout == ""


def test_cli_codebook_export_formats(project, tmp_path):
    load(project, write(tmp_path, NESTED))
    result = invoke(project, "codebook", "export", ok=False)
    assert result.exit_code == 0, result.output
    assert [e.path for e in parse_codebook(result.stdout).entries()] == [c.path for c in project.codes.list()]
    result = invoke(project, "codebook", "export", "--format", "csv", "-o", str(tmp_path / "book.csv"), ok=False)
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and "Wrote the codebook" in result.stderr
    assert (tmp_path / "book.csv").read_text(encoding="utf-8").startswith("path,level,name,parent,description")
    result = invoke(project, "codebook", "export", "-f", "md", "--code", "Facilitators", ok=False)
    assert "## Facilitators" in result.stdout and "Barriers" not in result.stdout
    result = invoke(project, "codebook", "export", "--format", "pdf", ok=False)
    assert result.exit_code == 1 and "--format 'pdf': expected one of yaml, csv, md" in result.stderr
    result = invoke(project, "codebook", "export", "--format", "docx", ok=False)
    assert result.exit_code == 1 and "-o codebook.docx" in result.stderr


def test_codebook_export_to_an_unwritable_place_is_one_line(project, tmp_path):
    project.codes.add("Being filmed")
    target = tmp_path / "missing" / "book.yml"
    res = invoke(project, "codebook", "export", "-o", str(target), ok=False)
    assert res.exit_code == 1 and "does not exist" in res.stderr and "Traceback" not in res.output
    assert not target.parent.exists()
