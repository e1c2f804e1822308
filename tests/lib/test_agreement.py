"""Inter-coder agreement: the coefficients against published worked examples, then the project workflow
(the commands: tests/cli/test_cli_agreement.py)."""

from __future__ import annotations

import pytest

from gtcode import Project
from gtcode.team.agreement import cohen_kappa, figures, krippendorff_alpha
from gtcode.errors import InputError

N = None


# --- the coefficients, against published values -------------------------------------------------------------------

def test_alpha_krippendorff_four_coders_twelve_units_with_missing_values():
    # Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. Annenberg School for Communication,
    # University of Pennsylvania, Departmental Papers 43, example C (nominal data, any number of observers,
    # missing data): alpha = 0.743.
    data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
            [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
            [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
            [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N]]
    assert round(krippendorff_alpha(data), 3) == 0.743


def test_alpha_krippendorff_binary_two_coders():
    # Krippendorff (2011), example A (binary data, two observers, no missing data): alpha = 0.095.
    data = [[0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
            [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]]
    assert round(krippendorff_alpha(data), 3) == 0.095


def _pairs(yy: int, yn: int, ny: int, nn: int) -> list[tuple[str, str]]:
    return [("y", "y")] * yy + [("y", "n")] * yn + [("n", "y")] * ny + [("n", "n")] * nn


@pytest.mark.parametrize("table, kappa", [
    # Wikipedia, "Cohen's kappa", worked example: 50 grant proposals read by two readers: kappa = 0.4.
    ((20, 5, 10, 15), 0.4),
    # Same article, "same percentages but different numbers": 60 % agreement both times, kappa 0.1304 and 0.2593.
    ((45, 15, 25, 15), 0.1304),
    ((25, 35, 5, 35), 0.2593),
])
def test_cohen_kappa_textbook_examples(table, kappa):
    assert round(cohen_kappa(_pairs(*table)), 4) == kappa


def test_kappa_undefined_when_both_coders_give_one_value_and_alpha_too():
    assert cohen_kappa(_pairs(10, 0, 0, 0)) is None
    assert krippendorff_alpha([[1, 1, 1], [1, 1, 1]]) is None


def test_missing_units_are_not_disagreement():
    # Coder B did not see units 3-4: they are left out, so agreement is perfect, not 50 %.
    f = figures([[1, 0, 1, 0], [1, 0, N, N]], ["a", "b"])
    assert f.units == 2 and f.agreed == 2 and f.percent == 1.0
    assert f.kappa == 1.0 and f.alpha == 1.0
    # Treating them as 0 would have been a disagreement on unit 3.
    assert figures([[1, 0, 1, 0], [1, 0, 0, 0]], ["a", "b"]).percent == 0.75


# --- the workflow on a project ------------------------------------------------------------------------------------

TEXT = """Interviewer: How did the filming feel?
Participant: I hated being filmed at first. It felt like being watched. Then the review helped me see my baby smile.
Interviewer: And afterwards?
Participant: I felt more confident. The practitioner pointed out good moments. I was still tired though.
"""


@pytest.fixture
def team(tmp_path):
    """One interview coded by two coders, ana and ben, who agree on some segments and not on others."""
    (tmp_path / "P01.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "P02.txt").write_text(TEXT.replace("baby", "son").replace("tired", "exhausted"), encoding="utf-8")
    p = Project.init(tmp_path / "proj", coder="ana")
    p.docs.import_paths([tmp_path / "P01.txt", tmp_path / "P02.txt"])
    p.codes.add("Being filmed")
    p.codes.add("Growing confidence")
    segs = {s.ordinal: s for s in p.docs.segments("D1")}
    assert len(segs) >= 7, [s.text for s in segs.values()]
    p.coding.apply(["D1:2", "D1:3"], "Being filmed")
    p.coding.apply(["D1:6"], "Growing confidence")
    p.coder = "ben"
    p.coding.apply(["D1:2"], "Being filmed")
    p.coding.apply(["D1:6", "D1:7"], "Growing confidence")
    p.coder = "ana"
    p.coding.apply(["D2:2"], "Being filmed")  # only ana coded D2: ben's values there are missing
    yield p
    p.close()


def _seg_count(p) -> int:
    return len(p.docs.segments("D1"))


def test_agreement_per_code_and_pooled(team):
    n = _seg_count(team)
    r = team.team.agreement()
    assert r.coders == ["ana", "ben"] and r.unit == "segment"
    assert r.documents == 1 and r.units == n and r.documents_by_coder == {"ana": 2, "ben": 1}
    by = {c.code: c.figures for c in r.codes}
    filmed, conf = by["Being filmed"], by["Growing confidence"]
    assert filmed.units == n and filmed.agreed == n - 1 and filmed.coded_by == {"ana": 2, "ben": 1}
    # 2x2 table for 'Being filmed' over n segments: both 1, ana only 1, neither n-2.
    po = (n - 1) / n
    pe = (2 / n) * (1 / n) + ((n - 2) / n) * ((n - 1) / n)
    assert filmed.kappa == pytest.approx((po - pe) / (1 - pe))
    assert conf.agreed == n - 1
    assert r.overall.units == 2 * n and r.overall.agreed == 2 * n - 2


def test_agreement_by_turn_and_document(team):
    turns = team.team.agreement(unit="turn")
    t = {c.code: c.figures for c in turns.codes}
    # Both coders put 'Being filmed' in the same participant turn: full agreement at turn level.
    assert t["Being filmed"].percent == 1.0
    docs = team.team.agreement(unit="document")
    assert docs.units == 1 and all(c.figures.agreed == 1 for c in docs.codes)
    assert docs.overall.alpha is None and "same value" in docs.overall.note


def test_agreement_with_one_coder_says_who_was_found(project):
    with pytest.raises(InputError, match="coders found: none"):
        project.team.agreement()


def test_a_suggesters_pending_codings_count_only_on_request(project, tmp_path):
    from gtcode.codes import resolve_code
    from gtcode.coding import add_coding

    (tmp_path / "P01.txt").write_text("Interviewer: How was it?\n\nP01: It was hard. Then it was good. "
                                      "The camera scared me.\n", encoding="utf-8")
    project.docs.import_paths([tmp_path / "P01.txt"])
    project.coding.apply("D1:2", "Hard", create=True)                  # the researcher: confirmed
    project.coding.apply("D1:4", "Fear", create=True)
    project.coder = "gtcode-suggest"
    seg = {s.ordinal: s for s in project.docs.segments("D1")}
    with project.transaction() as txn:                                 # suggestions: pending until reviewed
        for ordinal, code in ((2, "Hard"), (3, "Fear")):
            add_coding(project.store, txn, resolve_code(project.store, code).id, 1, seg[ordinal].start,
                       seg[ordinal].end, status="pending", pattern="suggest")
    project.coder = "tester"
    with pytest.raises(InputError, match="at least two coders"):
        project.team.agreement()
    report = project.team.agreement(coders=["tester", "gtcode-suggest"], pending_of=["gtcode-suggest"])
    by_code = {c.code: c.figures for c in report.codes}
    assert by_code["Hard"].percent == 1.0 and by_code["Fear"].percent < 1.0
