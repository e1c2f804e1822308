"""`gtcode saturation`: the table with its bars and verdict, JSON and the plot, clean errors, a fast start."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import invoke
from tests.lib import test_saturation as lib

study = lib.study  # the library tests' fixture, shared rather than copied


def test_cli_table_bars_and_verdict(study):
    result = invoke(study, "saturation", "--last", "3")
    rows = [line for line in result.stdout.splitlines() if "│" in line]
    assert [r.split("│")[1].strip() for r in rows] == ["D1 P01", "D2 P02", "D3 P03", "D4 P04", "D5 P05", "D6 P06"]
    bars = [r.split("│")[4].strip() for r in rows]
    assert len(bars[0]) == 30 and bars[1] and not bars[3]          # the longest bar for most new codes; 0: none
    assert [r.split("│")[5].strip() for r in rows] == ["4", "5", "6", "6", "7", "7"]     # cumulative
    assert rows[-1].split("│")[6].strip() == "14.3%"
    assert "Not saturated by this rule" in result.stdout and "Guest, Bunce & Johnson (2006)" in result.stdout
    assert "Left out, no confirmed codings yet: P07." in result.stderr


def test_cli_json_and_plot(study, tmp_path):
    result = invoke(study, "saturation", "--order", "interview_date", "--json", "-o", str(tmp_path / "s.png"))
    data = json.loads(result.stdout)                                 # data only on stdout
    assert [r["document"] for r in data["rows"]] == ["P02", "P04", "P01", "P06", "P03", "P05"]
    assert (data["share"], data["reached"], data["total_codes"], data["missing_order"]) == (28.57, False, 7, ["P05"])
    assert (tmp_path / "s.png").read_bytes()[:4] == b"\x89PNG"
    assert "Wrote the saturation plot to" in result.stderr


@pytest.mark.parametrize("args, message", [
    (["--order", "interview_dat"], "did you mean 'interview_date'"),
    (["-o", "plot.jpg"], ".png, .svg or .pdf, not '.jpg'"),
    (["--last", "0"], "--last 0: expected 1 or more"),
    (["--threshold", "-1"], "--threshold -1: expected a percentage from 0 to 100"),
    (["--where", "role"], "expected ATTRIBUTE=VALUE"),
])
def test_cli_bad_input_is_one_line_exit_1(study, tmp_path, args, message):
    result = invoke(study, "saturation", *args, ok=False)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and message in result.stderr
    assert result.stderr.strip().count("\n") == 0 and result.stdout == ""
    assert not (tmp_path / "plot.jpg").exists()


def test_matplotlib_loads_only_to_plot(study, tmp_path):
    def loaded(*argv):
        code = ("import sys\nfrom gtcode.cli import app\n"
                f"try:\n    app(['-p', {str(study.path)!r}, 'saturation', *{list(argv)!r}], standalone_mode=False)\n"
                "except SystemExit:\n    pass\nprint('matplotlib' in sys.modules)")
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip().splitlines()[-1]

    assert loaded("--json") == "False"
    assert loaded("-o", "curve.png") == "True" and (tmp_path / "curve.png").exists()
