"""`gtcode export` (qdpx, codings, matrix), REFI-QDA files through `import` and `codebook`, and the loss report:
files written or refused whole, one-line errors."""

from __future__ import annotations

import json

from gtcode import Project

from tests.conftest import invoke
from tests.lib import test_exchange, test_tabular
from tests.lib.test_exchange import confirmed, fresh, snapshot

awkward = test_exchange.awkward  # the library tests' fixtures, shared rather than copied
coded = test_tabular.coded


def test_cli_export_writes_the_file_and_reports_losses(awkward, tmp_path):
    n = confirmed(awkward)
    awkward.close()
    result = invoke(tmp_path / "proj", "export", "qdpx", "out", ok=False)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out.qdpx").exists()
    assert "Exported out.qdpx" in result.stderr and "pending (autocoded, unreviewed)" in result.stderr
    as_json = invoke(tmp_path / "proj", "export", "qdpx", "out.qdpx", "--json", ok=False)
    data = json.loads(as_json.stdout)
    assert data["counts"]["codings"] == n and data["direction"] == "export"


def test_cli_export_with_a_schema_it_fails_writes_nothing(awkward, tmp_path):
    awkward.close()
    strict = tmp_path / "strict.xsd"
    strict.write_text('<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:QDA-XML:'
                      'project:1.0"><xsd:element name="Nothing"/></xsd:schema>')
    result = invoke(tmp_path / "proj", "export", "qdpx", "out.qdpx", "--validate", str(strict), ok=False)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert not (tmp_path / "out.qdpx").exists()


def test_render_loss_report_names_skipped_items_and_losses(project, tmp_path, capsys):
    from gtcode.cli.render import render_loss_report
    from gtcode.exchange import ExchangeReport

    report = ExchangeReport("x.qdpx", "import", "qdpx", origin="NVivo 14", counts={"codes added": 3})
    report.warn("coding 1234 refers to unknown code 99; skipped")
    report.lose("2 pdf source(s)")
    render_loss_report(report)
    err = capsys.readouterr().err
    assert "Imported x.qdpx (from NVivo 14): 3 codes added." in err
    assert "unknown code 99; skipped" in err and "2 pdf source(s)" in err


def test_cli_import_recognises_qdpx_and_codebook_commands_take_qdc(awkward, tmp_path):
    assert invoke(awkward, "export", "qdpx", str(tmp_path / "s.qdpx"), ok=False).exit_code == 0
    copy = fresh(tmp_path)
    copy.close()
    res = invoke(copy, "import", str(tmp_path / "s.qdpx"), ok=False)
    assert res.exit_code == 0, res.output
    assert "Imported s.qdpx" in res.stderr
    assert snapshot(copy.path) == snapshot(awkward.path)

    res = invoke(awkward, "codebook", "export", "--format", "qdc", "-o", str(tmp_path / "book.qdc"), ok=False)
    assert res.exit_code == 0 and (tmp_path / "book.qdc").read_bytes().startswith(b"<?xml")
    other = fresh(tmp_path, "other")
    other.close()
    res = invoke(other, "codebook", "import", str(tmp_path / "book.qdc"), ok=False)
    assert res.exit_code == 0, res.output
    with Project.open(other.path) as p:
        assert {c.path for c in p.codes.list()} == {c.path for c in awkward.codes.list()}

    # Pseudonymising applies to transcripts only: refused, not silently skipped.
    (tmp_path / "key.csv").write_text("real,pseudonym\nFreddie,Alfie\n", encoding="utf-8")
    res = invoke(other, "import", str(tmp_path / "s.qdpx"), "--pseudonymise", str(tmp_path / "key.csv"), ok=False)
    assert res.exit_code == 1 and "redact apply" in res.stderr


def test_export_to_a_missing_folder_is_one_line_and_creates_nothing(awkward, tmp_path):
    target = tmp_path / "no-such-folder" / "s.qdpx"
    res = invoke(awkward, "export", "qdpx", str(target), ok=False)
    assert res.exit_code == 1 and "does not exist" in res.stderr and res.stderr.count("\n") == 1
    assert not target.parent.exists()
    res = invoke(awkward, "codebook", "export", "--format", "qdc", "-o", str(tmp_path), ok=False)
    assert res.exit_code == 1 and "is a folder" in res.stderr


def test_cli_export_commands(coded, tmp_path):
    result = invoke(coded, "export", "codings", "-o", str(tmp_path / "c.jsonl"), ok=False)
    assert result.exit_code == 0, result.output
    assert "Wrote 4 codings" in result.stderr and "1 pending" in result.stderr
    assert len((tmp_path / "c.jsonl").read_text(encoding="utf-8").splitlines()) == 4
    result = invoke(coded, "export", "matrix", "-o", str(tmp_path / "m.csv"), "--where", "role=mother", ok=False)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "m.csv").read_text(encoding="utf-8").splitlines()[0] == "code,category,P01,P10"
    result = invoke(coded, "export", "codings", "-o", str(tmp_path / "c.txt"), ok=False)
    assert result.exit_code == 1 and result.stderr.startswith("Error: c.txt: format 'txt' unknown")


def test_cli_export_for_nvivo_states_the_units_and_notes(awkward, tmp_path):
    awkward.close()
    res = invoke(tmp_path / "proj", "export", "qdpx", str(tmp_path / "n.qdpx"), "--for", "nvivo", ok=False)
    assert res.exit_code == 0, res.output
    assert "Positions written as UTF-16 code units over the CRLF text" in res.stderr and "NVivo" in res.stderr
    assert "Not in the file (REFI-QDA cannot carry it) (" in res.stderr
    bad = invoke(tmp_path / "proj", "export", "qdpx", str(tmp_path / "x.qdpx"), "--for", "word", ok=False)
    assert bad.exit_code == 1 and bad.stderr.startswith("Error: --for 'word'") and bad.stderr.count("\n") == 1


def test_loss_report_headings_say_what_happened(capsys):
    from gtcode.cli.render import render_loss_report
    from gtcode.exchange import ExchangeReport

    report = ExchangeReport("x.qdpx", "import", "qdpx", origin="Other 1", positions="Unicode code points")
    report.warn("selection 1 is outside the text; skipped")
    report.note("code 'a/b': imported as 'a∕b'")
    report.lose("1 graph")
    render_loss_report(report)
    err = capsys.readouterr().err
    assert "Positions read as Unicode code points." in err
    skipped, noted = err.index("Skipped, not imported (1):"), err.index("Imported, with a note (1):")
    assert skipped < err.index("outside the text") < noted < err.index("imported as 'a∕b'")
    assert "In the file but not imported (gtcode cannot hold it) (1):" in err


def test_cli_export_codings_with_none_writes_the_header(project, tmp_path):
    project.close()
    res = invoke(project, "export", "codings", "-o", str(tmp_path / "c.csv"), ok=False)
    assert res.exit_code == 0, res.output
    assert "Wrote 0 codings" in res.stderr
    assert (tmp_path / "c.csv").read_text(encoding="utf-8").startswith("id,uuid,document,")
