"""One exemplar rule: `codes show` and the thesis report quote the same passage for a code."""

from __future__ import annotations

from gtcode.analysis.exemplars import EXEMPLAR_RULE
from gtcode.report import thesis_data

TEXT = ("Interviewer: Tell me about the filming.\n\n"
        "{who}: {short}\n\n"
        "Interviewer: And then?\n\n"
        "{who}: {typical}\n\n"
        "{who}: {long}\n")


def _study(project, tmp_path):
    words = " ".join(["word"] * 40)
    for n, who in ((1, "P01"), (2, "P02")):
        typical = " ".join(f"w{n}{i}" for i in range(24)) + "."
        (tmp_path / f"{who}.txt").write_text(TEXT.format(who=who, short="Yes.", typical=typical,
                                                         long=words + "."), encoding="utf-8")
    project.docs.import_paths([tmp_path / "P01.txt", tmp_path / "P02.txt"], interviewer="Interviewer")
    project.cases.set("P01", {"role": "mother"})
    project.cases.set("P02", {"role": "mother"})
    project.codes.add("Being filmed")
    for d in (1, 2):
        project.coding.apply([f"D{d}:1", f"D{d}:2", f"D{d}:4", f"D{d}:5"], "Being filmed")  # D:1 asks
    return project


def test_codes_show_and_the_report_quote_the_same_exemplar(project, tmp_path):
    _study(project, tmp_path)
    code = project.codes.get("Being filmed")
    report = thesis_data.exemplars(project, thesis_data.scope(project))[code.id]
    shown = project.codes.summary("Being filmed")["exemplars"]
    assert report.address == shown[0]["address"] == "D1:4"          # 24 words: closest to 25, earliest document
    assert [e["case"] for e in shown[:2]] == ["P01", "P02"]          # then another participant's closest one
    assert all(e["speaker"] != "Interviewer" for e in shown)        # the interviewer is never quoted
    assert "closest to 25 words" in EXEMPLAR_RULE


def test_when_the_closest_passage_takes_in_the_interviewer_the_best_participant_passage_is_the_exemplar(
        project, tmp_path):
    from gtcode.analysis.exemplars import exemplar_per_code, exemplars

    asked = " ".join(f"q{i}" for i in range(24)) + "?"
    said = " ".join(f"a{i}" for i in range(30)) + "."
    (tmp_path / "P01.txt").write_text(f"Interviewer: {asked}\n\nP01: {said}\n", encoding="utf-8")
    project.docs.import_paths([tmp_path / "P01.txt"], interviewer="Interviewer")
    project.codes.add("Being filmed")
    project.coding.apply(["D1:1", "D1:2"], "Being filmed")      # the question is 25 words, the answer 30
    code = project.codes.get("Being filmed")
    chosen = exemplar_per_code(project.store)[code.id]
    assert chosen.text.startswith("a0 a1") and chosen == exemplars(project.store, [code.id], n=1)[0]
