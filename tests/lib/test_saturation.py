"""Code saturation: new codes per transcript in interview order, the cumulative curve, the last-K rule, the plot
(the command: tests/cli/test_cli_saturation.py)."""

from __future__ import annotations

import pytest

from gtcode.errors import InputError
from gtcode.analysis.saturation import plot_saturation, saturation


#: Codes each interview is coded with (segments 2-5 hold the participant's four sentences).
CODED = {"P01": "ABCD", "P02": "AE", "P03": "BF", "P04": "AC", "P05": "DG", "P06": "AB", "P07": ""}
#: Interview dates, day first: in date order P02, P04, P01, P06, P03; P05 has none; P07 is not coded.
DATES = {"P01": "03/02/2024", "P02": "15/01/2024", "P03": "01/03/2024", "P04": "20/01/2024", "P06": "10/02/2024",
         "P07": "05/01/2024"}


@pytest.fixture
def study(project, tmp_path):
    """Seven interviews, P01-P07, coded as CODED says (P07 not at all), dated as DATES says; P02 a practitioner."""
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
