"""Code saturation: new codes per transcript in interview order, the cumulative curve, the last-K rule, the plot."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from gtcode.cli import app
from gtcode.errors import InputError
from gtcode.analysis.saturation import plot_saturation, saturation


runner = CliRunner()

#: Codes each interview is coded with (segments 2-5 hold the participant's four sentences).
CODED = {"P01": "ABCD", "P02": "AE", "P03": "BF", "P04": "AC", "P05": "DG", "P06": "AB", "P07": ""}
#: Interview dates, day first: in date order P02, P04, P01, P06, P03; P05 has none; P07 is not coded.
DATES = {"P01": "03/02/2024", "P02": "15/01/2024", "P03": "01/03/2024", "P04": "20/01/2024", "P06": "10/02/2024",
         "P07": "05/01/2024"}


@pytest.fixture
def study(project, tmp_path):
    for name in CODED:
        (tmp_path / f"{name}.txt").write_text(
            f"Interviewer: Tell me.\n\n{name}: One thing. Two things. Three things. Four things.\n", encoding="utf-8")
    project.docs.import_paths([tmp_path / f"{name}.txt" for name in CODED])
    for i, (name, codes) in enumerate(CODED.items(), 1):
        attrs = {"role": "mother" if name != "P02" else "practitioner"}
        if name in DATES:
            attrs["interview_date"] = DATES[name]
        project.cases.set(name, attrs)
        for ordinal, code in enumerate(codes, 2):
            project.coding.apply(f"D{i}:{ordinal}", code, create=True)
    return project


def cli(project, *args, ok=True):
    result = runner.invoke(app, ["-p", str(project.path), *args])
    if ok:
        assert result.exit_code == 0, result.output
    return result


def table(result):
    return [(r.document, r.new, r.cumulative) for r in result.rows]


def test_new_codes_per_transcript_in_import_order(study):
    s = saturation(study.store)
    assert table(s) == [("P01", 4, 4), ("P02", 1, 5), ("P03", 1, 6), ("P04", 0, 6), ("P05", 1, 7), ("P06", 0, 7)]
    assert s.rows[0].new_codes == ["A", "B", "C", "D"] and s.rows[4].new_codes == ["G"]
    assert [r.codes for r in s.rows] == [4, 2, 2, 2, 2, 2]
    assert s.uncoded == ["P07"]                        # not coded yet: left out, not counted as 'nothing new'


def test_last_k_share_verdict_and_first_run_meeting_the_rule(study):
    s = saturation(study.store, last=3)
    assert [r.in_window for r in s.rows] == [False] * 3 + [True] * 3
    assert [None if r.run_share is None else round(r.run_share, 1) for r in s.rows] == [
        None, None, None, 33.3, 28.6, 14.3]            # (1+1+0)/6, (1+0+1)/7, (0+1+0)/7
    assert (s.new_in_window, s.total_codes, round(s.share, 1), s.reached) == (1, 7, 14.3, False)
    assert s.verdict.startswith("Not saturated by this rule: the last 3 transcripts added 1 new code, 14.3% of "
                                "the 7 codes so far (> 5%).")
    assert "Guest, Bunce & Johnson (2006); Guest, Namey & Chen (2020)" in s.rule and "≤ 5%" in s.rule
    met = saturation(study.store, last=1)
    assert met.reached is True and met.share == 0.0
    assert met.first_reached.position == 4 and "first met it at transcript 4 (D4 P04)" in met.verdict
    assert saturation(study.store, last=3, threshold=15).reached is True
    too_few = saturation(study.store, last=6)
    assert too_few.share is None and too_few.reached is None and too_few.verdict.startswith("Too few")


def test_order_by_date_attribute_then_name(study):
    s = saturation(study.store, order="Interview_Date")
    assert s.order == "interview_date" and s.order_kind == "date DD/MM/YYYY"
    assert table(s) == [("P02", 2, 2), ("P04", 1, 3), ("P01", 2, 5), ("P06", 0, 5), ("P03", 1, 6), ("P05", 1, 7)]
    assert [r.key for r in s.rows][:2] == ["15/01/2024", "20/01/2024"]
    assert s.missing_order == ["P05"]                  # no date: placed last


def test_order_by_name_is_natural_and_where_filters(project, tmp_path):
    for name in ("P10", "P9", "P1"):
        (tmp_path / f"{name}.txt").write_text(f"Interviewer: Hi.\n\n{name}: Hello there.\n", encoding="utf-8")
        project.docs.import_paths([tmp_path / f"{name}.txt"])
        project.cases.set(name, {"role": "mother" if name != "P9" else "practitioner"})
    project.coding.apply(["D1:2", "D2:2", "D3:2"], "Greeting", create=True)
    assert [r.document for r in saturation(project.store).rows] == ["P10", "P9", "P1"]
    assert [r.document for r in saturation(project.store, order="name").rows] == ["P1", "P9", "P10"]
    assert [r.document for r in saturation(project.store, order="name", where="role=mother").rows] == ["P1", "P10"]


def test_bad_values(study, tmp_path):
    with pytest.raises(InputError, match="--order 'interview_dat': not an attribute.*did you mean 'interview_date'"):
        saturation(study.store, order="interview_dat")
    with pytest.raises(InputError, match="--last 0"):
        saturation(study.store, last=0)
    with pytest.raises(InputError, match="--threshold 120"):
        saturation(study.store, threshold=120)
    with pytest.raises(InputError, match=r"\.png, \.svg or \.pdf, not '\.jpg'"):
        plot_saturation(saturation(study.store), tmp_path / "plot.jpg")


# --- the plot -----------------------------------------------------------------------------------

def test_plot_png_and_svg_with_labels(study, tmp_path):
    s = saturation(study.store, order="interview_date")
    png = plot_saturation(s, tmp_path / "curve.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = plot_saturation(s, tmp_path / "curve.svg").read_text(encoding="utf-8")
    for label in ("Codes", "Transcript (by interview_date (date DD/MM/YYYY), then document name)",
                  "New codes in this transcript", "Cumulative codes", "Last 3: 28.6% new (threshold 5%)",
                  "Code saturation: new codes per transcript", "P06"):
        assert label in svg, label
    assert (tmp_path / "curve.pdf").exists() is False
    plot_saturation(s, tmp_path / "curve.pdf")
    assert (tmp_path / "curve.pdf").read_bytes()[:5] == b"%PDF-"


def test_plot_of_nothing_is_an_error(project, tmp_path):
    with pytest.raises(InputError, match="nothing to plot"):
        plot_saturation(saturation(project.store), tmp_path / "empty.png")
    assert not (tmp_path / "empty.png").exists()


# --- CLI ----------------------------------------------------------------------------------------

def test_cli_table_bars_and_verdict(study):
    result = cli(study, "saturation", "--last", "3")
    rows = [line for line in result.stdout.splitlines() if "│" in line]
    assert [r.split("│")[1].strip() for r in rows] == ["D1 P01", "D2 P02", "D3 P03", "D4 P04", "D5 P05", "D6 P06"]
    bars = [r.split("│")[4].strip() for r in rows]
    assert len(bars[0]) == 30 and bars[1] and not bars[3]          # the longest bar for most new codes; 0: none
    assert [r.split("│")[5].strip() for r in rows] == ["4", "5", "6", "6", "7", "7"]     # cumulative
    assert rows[-1].split("│")[6].strip() == "14.3%"
    assert "Not saturated by this rule" in result.stdout and "Guest, Bunce & Johnson (2006)" in result.stdout
    assert "Left out, no confirmed codings yet: P07." in result.stderr


def test_cli_json_and_plot(study, tmp_path):
    result = cli(study, "saturation", "--order", "interview_date", "--json", "-o", str(tmp_path / "s.png"))
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
    result = cli(study, "saturation", *args, ok=False)
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
