"""`gtcode docs edit` and `gtcode docs speakers` as a researcher uses them: the issue's reproduction through the
editor, refusals that list what would lose its words and leave the file as it was, speaker fixes and undo."""

from __future__ import annotations

import json
import sys

from tests.cli.test_cli_replace import ANNA, _anchored, _relation_evidence_words, _views
from tests.conftest import invoke


def _editor(tmp_path, old: str, new: str) -> dict:
    """An $EDITOR that replaces `old` with `new` in the file it is given (as a person would)."""
    script = tmp_path / "fake_editor.py"
    script.write_text("import sys, pathlib\np = pathlib.Path(sys.argv[1])\n"
                      f"p.write_text(p.read_text(encoding='utf-8').replace({old!r}, {new!r}), encoding='utf-8')\n",
                      encoding="utf-8")
    return {"EDITOR": f"{sys.executable} {script}", "VISUAL": ""}


def test_editing_out_an_unanchored_sentence_in_the_editor_keeps_every_quote(tmp_path):
    p = _anchored(tmp_path)
    views, evidence = _views(p), _relation_evidence_words(p)
    result = invoke(p, "docs", "edit", "D1", env=_editor(tmp_path, "Bravo sentence two. ", ""))
    assert "Edited D1 'anna': turns 4 → 4, segments 7 → 6; 4 anchored items move" in result.output
    assert _views(p) == views and _relation_evidence_words(p) == evidence
    shown = invoke(p, "docs", "show", "D1", "--plain").stdout
    assert "Bravo" not in shown and "D1:3\tANNA\t\tCharlie sentence three." in shown


def test_editing_anchored_words_is_refused_listing_them_and_the_file_is_unchanged(tmp_path):
    p = _anchored(tmp_path)
    before = (p / "gtcode.db").read_bytes()
    result = invoke(p, "docs", "edit", "D1", env=_editor(tmp_path, "Echo sentence five.", "Echo."), ok=False)
    assert result.exit_code != 0
    assert "would change the words of 2 anchored items" in result.output
    assert "memo link" in result.output and "relation evidence" in result.output
    assert "“Echo sentence five.”" in result.output and "Traceback" not in result.output
    assert (p / "gtcode.db").read_bytes() == before


def test_dry_run_then_force_then_undo(tmp_path):
    p = _anchored(tmp_path)
    (tmp_path / "fixed.txt").write_text(ANNA.replace("Echo sentence five.", "Echo."), encoding="utf-8")
    before = (p / "gtcode.db").read_bytes()
    dry = json.loads(invoke(p, "docs", "edit", "D1", "--from", tmp_path / "fixed.txt", "--dry-run", "--json").stdout)
    assert dry["dry_run"] and sorted(d["kind"] for d in dry["dropped"]) == ["memo link", "relation evidence"]
    assert (p / "gtcode.db").read_bytes() == before
    invoke(p, "docs", "edit", "D1", "--from", tmp_path / "fixed.txt", "--force")
    check = invoke(p, "model", "check", ok=False).output
    assert "evidence" in check.lower()
    invoke(p, "undo")
    assert "Echo sentence five." in invoke(p, "docs", "show", "D1", "--plain").stdout
    assert _relation_evidence_words(p) == ["Echo sentence five."]


def test_speakers_list_fix_the_interviewer_rename_and_undo(tmp_path):
    (tmp_path / "anna.txt").write_text(ANNA, encoding="utf-8")
    invoke(None, "init", "study")
    p = tmp_path / "study"
    imported = invoke(p, "import", tmp_path / "anna.txt")
    assert "gtcode docs speakers 'anna' --interviewer LABEL" in imported.output
    listed = json.loads(invoke(p, "docs", "speakers", "--json").stdout)
    assert [(x["speaker"], x["turns"], x["role"]) for x in listed] == [("MEL", 2, "participant"),
                                                                       ("ANNA", 2, "participant")]
    fixed = invoke(p, "docs", "speakers", "D1", "--interviewer", "MEL")
    assert "Changed D1 'anna': MEL is interviewer (2 turns)" in fixed.output
    table = invoke(p, "docs", "speakers").stdout
    assert "interviewer" in table
    invoke(p, "docs", "speakers", "D1", "--rename", "ANNA=Anna Smith")
    assert "D1:2\tAnna Smith\t\tAlpha sentence one." in invoke(p, "docs", "show", "D1", "--plain").stdout
    invoke(p, "undo")
    invoke(p, "undo")
    listed = json.loads(invoke(p, "docs", "speakers", "D1", "--json").stdout)
    assert [(x["speaker"], x["role"]) for x in listed] == [("MEL", "participant"), ("ANNA", "participant")]


def test_speaker_mistakes_are_one_line_errors(tmp_path):
    (tmp_path / "anna.txt").write_text(ANNA, encoding="utf-8")
    invoke(None, "init", "study")
    p = tmp_path / "study"
    invoke(p, "import", tmp_path / "anna.txt", "--interviewer", "MEL")
    for args, message in [(("D1", "--role", "MEL=boss"), "the role must be one of participant, interviewer, other"),
                          (("D1", "--role", "BOB=other"), "D1 'anna' has no speaker 'BOB' (speakers: ANNA, MEL)"),
                          (("D1", "--rename", "ANNA"), "--rename 'ANNA': expected LABEL=NEW"),
                          (("--interviewer", "MEL"), "name the documents to change")]:
        result = invoke(p, "docs", "speakers", *args, ok=False)
        assert result.exit_code != 0 and message in result.output, result.output
        assert "Traceback" not in result.output
