"""`gtcode audit`: period options, every output format and file, clean errors, and a fast start for text."""

from __future__ import annotations

import json

import pytest

from gtcode.report.audit import to_html, to_markdown
from gtcode.report.audit_data import collect_audit

from tests.conftest import invoke
from tests.lib import test_audit as lib

clock, study = lib.clock, lib.study  # the library tests' fixtures, shared rather than copied


def test_since_until_and_coder_narrow_the_report(study):
    res = invoke(study, "audit", "--since", "2026-11-05", "--json", coder="tester", ok=False)
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["since"] == "2026-11-05" and data["memos"] == [] and data["code_changes"] == []
    assert [(d["day"], d["coder"]) for d in data["coding"]] == [("2026-11-05", "Sam"), ("2026-11-05", "tester")]
    assert [u["summary"] for u in data["undos"]] == ["coded D2:2 with 'Barriers'"]

    data = json.loads(invoke(study, "audit", "--all", "--by", "sam", "--json",  # any case
                             coder="tester", ok=False).stdout)
    assert data["coder"] == "Sam"
    assert [(d["day"], d["coder"], d["added"]) for d in data["coding"]] == [("2026-11-05", "Sam", 1)]
    assert data["memos"] == [] and data["code_changes"] == [] and data["undos"] == [] and data["signoffs"] == []

    data = json.loads(invoke(study, "audit", "--until", "2026-11-02", "--json",  # the whole of that day
                             coder="tester", ok=False).stdout)
    assert [m["title"] for m in data["memos"]] == ["Evidence and surveillance", "Camera nerves"]
    assert all(m["created"] for m in data["memos"]) and data["signoffs"] == []
    assert {c["action"] for c in data["code_changes"]} == {"codebook import"}

    md = invoke(study, "audit", "--since", "2026-11-04", "--until", "2026-11-04", "-f", "md",
                coder="tester", ok=False).stdout
    assert "**Period:** 2026-11-04 → the end of 2026-11-04" in md
    assert "Sam" not in md and "renamed code" in md


def test_docx_opens_in_word_with_headings_and_tables(study, tmp_path):
    import docx
    from docx.shared import Mm

    res = invoke(study, "audit", "--all", "-o", "audit.docx", coder="tester", ok=False)
    assert res.exit_code == 0, res.output
    assert "Wrote the audit trail" in res.stderr and res.stdout == ""
    doc = docx.Document(str(tmp_path / "audit.docx"))
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert ("Heading 1", "Audit trail — proj") in headings
    assert ("Heading 2", "Codebook changes") in headings
    assert ("Heading 3", "Memo #1: Evidence and surveillance") in headings
    assert doc.tables and {t.style.name for t in doc.tables} == {"Table Grid"}
    cells = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "renamed code 'Barriers/Fear of judgement' to 'Barriers/Feeling judged'" in cells
    assert "What about the strengths focus?" in cells
    quotes = [p.text for p in doc.paragraphs if p.style.name == "Quote"]
    assert "Staff, family, herself." in quotes
    section = doc.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)


def test_html_is_one_page_and_a_script_in_a_title_stays_inert(study, tmp_path):
    study.memos.new("<script>alert('x')</script> & <b>bold</b>", "Body with <img src=x onerror=alert(1)>.")
    page = to_html(collect_audit(study))
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    assert "default-src 'none'" in page  # nothing is fetched or run, even if a tag slipped through
    assert "http://" not in page and "https://" not in page
    md = to_markdown(collect_audit(study))
    assert "<script" not in md and "<img" not in md
    res = invoke(study, "audit", "-o", "audit.html", coder="tester", ok=False)  # the format follows the file's suffix
    assert res.exit_code == 0, res.output
    assert (tmp_path / "audit.html").read_text(encoding="utf-8") .startswith("<!DOCTYPE html>")


def test_output_files_and_stdout(study, tmp_path):
    res = invoke(study, "audit", "--all", "-f", "md", "-o", "audit.md", coder="tester", ok=False)
    assert res.exit_code == 0, res.output
    assert res.stdout == "" and (tmp_path / "audit.md").read_text(encoding="utf-8").startswith("# Audit trail")
    res = invoke(study, "audit", "-o", "audit.txt", coder="tester", ok=False)
    assert res.exit_code == 0, res.output
    text = (tmp_path / "audit.txt").read_text(encoding="utf-8")
    assert "Audit trail — proj" in text and "Memos written and edited" in text and "\x1b[" not in text
    res = invoke(study, "audit", "--format", "html", coder="tester", ok=False)
    assert res.exit_code == 0 and res.stdout.startswith("<!DOCTYPE html>")


def test_text_on_the_terminal(study):
    res = invoke(study, "audit", coder="tester", ok=False)
    assert res.exit_code == 0, res.output
    out = res.stdout
    assert "Audit trail — proj" in out and "Period: 2026-11-03 10:00 UTC → now" in out
    assert "+They think the film is evidence against them." in out
    assert "Dr Okafor" in out and "Judged by whom?" in out


def test_the_old_coder_filter_still_works_with_a_note_to_use_by(study):
    """`audit --coder` filtered while the global --coder says who you are: the filter is now --by."""
    old = invoke(study, "audit", "--all", "--coder", "sam", "--json", coder="tester")
    assert json.loads(old.stdout)["coder"] == "Sam" and "is now `--by NAME`" in old.stderr
    options = [line.split()[1] for line in invoke(study, "audit", "--help").stdout.splitlines()
               if line.startswith("│ --")]
    assert "--by" in options and "--coder" not in options  # the old name is hidden


@pytest.mark.parametrize("args, message", [
    (["--since", "2026-13-45"], "--since '2026-13-45': not a date"),
    (["--until", "last tuesday"], "--until 'last tuesday': not a date"),
    (["--since", "2026-11-05", "--until", "2026-11-01"], "the period is empty"),
    (["--since", "2026-11-05", "--all"], "not both"),
    (["--format", "docx"], "name it with -o"),
    (["--format", "pdf"], "expected one of text, md, html, docx"),
    (["--format", "htlm"], "did you mean 'html'"),
    (["--by", "testr"], "no coder 'testr' in this project (did you mean 'tester'?)"),
    (["-o", "missing/audit.md"], "does not exist"),
])
def test_bad_input_is_one_line_and_exit_1(study, args, message):
    res = invoke(study, "audit", *args, coder="tester", ok=False)
    assert res.exit_code == 1, res.output
    assert message in res.stderr and res.stderr.startswith("Error: ")
    assert len(res.stderr.strip().splitlines()) == 1 and "Traceback" not in res.output


def test_audit_as_text_or_markdown_does_not_load_heavy_libraries(study):
    from tests.contracts.test_import_hygiene import modules_loaded

    for fmt in ("md", "text"):
        code = (f"from gtcode.cli import app\nfrom gtcode.cli import audit\n"
                f"audit.register(app) if not any(c.name == 'audit' for c in app.registered_commands) else None\n"
                f"try:\n    app({['-p', str(study.path), 'audit', '--all', '-f', fmt]!r}, standalone_mode=False)\n"
                f"except SystemExit:\n    pass")
        assert not modules_loaded(code) & {"docx", "spacy", "yaml", "networkx"}
