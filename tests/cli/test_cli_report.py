"""`gtcode report`: writes the file, or fails with one line and writes nothing."""

from __future__ import annotations

from tests.conftest import invoke
from tests.lib import test_report as lib

clock, study = lib.clock, lib.study  # the library tests' fixtures, shared rather than copied


def test_cli_report_writes_and_fails_cleanly(study, tmp_path):
    result = invoke(study, "report", "-o", str(tmp_path / "r.html"), "--title", "VIG", ok=False)
    assert result.exit_code == 0, result.output
    assert "Wrote the report to" in result.stderr and "<title>VIG</title>" in (tmp_path / "r.html").read_text()
    result = invoke(study, "report", "-o", str(tmp_path / "nowhere" / "r.docx"), ok=False)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "does not exist" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
    result = invoke(study, "report", "-o", str(tmp_path / "r.md"), "--where", "nope=1", ok=False)
    assert result.exit_code == 1 and "no attribute 'nope'" in result.stderr
    assert not (tmp_path / "r.md").exists()
