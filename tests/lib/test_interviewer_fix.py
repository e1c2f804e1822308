"""A transcript imported without the right --interviewer: import says so, and re-importing with the flag fixes
the roles (it is no longer skipped as identical), every anchor staying on its words."""

from __future__ import annotations

ANNA = ("MEL: First question here.\n\nANNA: Alpha sentence one. Bravo sentence two.\n\n"
        "MEL: Second question here.\n\nANNA: Delta sentence four.\n")


def _roles(project):
    return [(t["speaker"], bool(t["is_interviewer"])) for t in project.docs.turns("D1")]


def test_import_warns_naming_the_speakers_when_none_is_the_interviewer(project, tmp_path):
    (tmp_path / "anna.txt").write_text(ANNA, encoding="utf-8")
    report = project.docs.import_paths([tmp_path / "anna.txt"])
    [note] = [n for n in report.notes if "interviewer" in n]
    assert "no speaker matches an interviewer label" in note and "ANNA (2), MEL (2)" in note
    assert "--interviewer LABEL --replace" in note
    assert not [n for n in project.docs.import_paths([tmp_path / "anna.txt"], interviewer="MEL",
                                                     replace=False).notes if "interviewer label" in n]


def test_no_warning_for_one_speaker_or_a_matched_interviewer(project, tmp_path):
    (tmp_path / "mono.txt").write_text("ANNA: Just me talking.\n", encoding="utf-8")
    (tmp_path / "qa.txt").write_text("Interviewer: Hello?\n\nP01: Hi.\n", encoding="utf-8")
    report = project.docs.import_paths([tmp_path / "mono.txt", tmp_path / "qa.txt"])
    assert not [n for n in report.notes if "interviewer label" in n]


def test_replace_with_the_right_interviewer_fixes_roles_and_keeps_codings(project, tmp_path):
    (tmp_path / "anna.txt").write_text(ANNA, encoding="utf-8")
    project.docs.import_paths([tmp_path / "anna.txt"])
    assert _roles(project) == [("MEL", False), ("ANNA", False), ("MEL", False), ("ANNA", False)]
    project.coding.apply("D1:2", "Alpha", create=True)
    again = project.docs.import_paths([tmp_path / "anna.txt"], interviewer="MEL")       # no --replace: skipped
    assert again.count("skipped") == 1 and _roles(project)[0] == ("MEL", False)
    fixed = project.docs.import_paths([tmp_path / "anna.txt"], interviewer="MEL", replace=True)
    assert fixed.count("replaced") == 1
    assert _roles(project) == [("MEL", True), ("ANNA", False), ("MEL", True), ("ANNA", False)]
    assert [p.text for p in project.coding.passages("Alpha")] == ["Alpha sentence one."]
    assert project.docs.import_paths([tmp_path / "anna.txt"], interviewer="MEL", replace=True).count("skipped") == 1
