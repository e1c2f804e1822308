"""The audit trail a supervisor reads before a supervision meeting, in every format (the command:
tests/cli/test_cli_audit.py)."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone

import pytest

from gtcode.report.audit_data import collect_audit
from gtcode.errors import InputError
from gtcode.report.audit import to_docx, to_markdown

from tests.conftest import import_gtcode_modules

P01 = ("Interviewer: How did the filming go?\n\n"
       "P01: I was nervous at first. I thought they were collecting evidence. Then I saw her smile at me.\n")
P02 = ("Interviewer: And the camera?\n\n"
       "P02: I felt judged. The camera made me stiff. I kept checking I was holding him right.\n")
BOOK = """\
codes:
  - name: Barriers
    codes:
      - name: Fear of judgement
        description: Worry about being judged
        patterns: ["evidence", "judged"]
  - name: Being filmed
    patterns: ["camera"]
"""
SUPERVISOR = "Dr Okafor"


@pytest.fixture
def clock(monkeypatch):
    """Every timestamp gtcode writes comes from here: `clock.set('2026-11-02T09:00')`, then a microsecond per call."""
    import gtcode.store.db as db

    real = db.now
    state = {"t": datetime(2026, 11, 1, 8, 0, tzinfo=timezone.utc)}

    def fake() -> str:
        state["t"] += timedelta(microseconds=1)
        return state["t"].isoformat(timespec="microseconds")

    import_gtcode_modules()  # before patching, so none picks up the fake at import time (and keeps it)
    for name, module in list(sys.modules.items()):
        if name.startswith("gtcode") and getattr(module, "now", None) is real:
            monkeypatch.setattr(module, "now", fake)

    class Clock:
        def set(self, text: str) -> None:
            state["t"] = datetime.fromisoformat(text).replace(tzinfo=timezone.utc)

    return Clock()


@pytest.fixture
def study(clock, project, tmp_path):
    """Four days of a small study: tester codes and writes memos, a supervisor reviews, Sam codes too."""
    p = project
    (tmp_path / "P01.txt").write_text(P01, encoding="utf-8")
    (tmp_path / "P02.txt").write_text(P02, encoding="utf-8")
    (tmp_path / "book.yml").write_text(BOOK, encoding="utf-8")

    clock.set("2026-11-02T09:00")
    p.docs.import_paths([tmp_path / "P01.txt", tmp_path / "P02.txt"])
    p.codebook.import_file(tmp_path / "book.yml")
    p.coding.apply("D1:2", "Fear of judgement")
    p.memos.new("Evidence and surveillance", "They think the film is evidence.\n\nThis paragraph stays.",
               type="theoretical", links=["code:Fear of judgement"])
    p.memos.new("Camera nerves", "Being filmed makes mothers stiff [[D2:3]].", type="code")

    clock.set("2026-11-03T10:00")
    p.coder = SUPERVISOR
    p.memos.comment(1, "What about the strengths focus?")
    p.memos.signoff(1, "Good start")

    clock.set("2026-11-04T11:00")
    p.coder = "tester"
    p.memos.edit(1, body="They think the film is evidence against them.\n\nThis paragraph stays.")
    p.memos.new("Judged by whom?", "Staff, family, herself.", type="code", links=["code:Fear of judgement"])
    p.command = "gtcode codes rename 'Fear of judgement' 'Feeling judged'"
    p.codes.rename("Fear of judgement", "Feeling judged")
    p.command = "gtcode codes describe 'Feeling judged' --description 'Worry that staff judge her as a mother'"
    p.codes.describe("Feeling judged", description="Worry that staff judge her as a mother")
    p.command = "api"
    p.coding.apply(["D1:4", "D2:4"], "Feeling judged")
    p.coding.remove("D1:2", "Feeling judged")
    p.review.autocode()
    pending = {c: len(p.review.pending(c)) for c in ("Feeling judged", "Being filmed")}
    p.review.accept(code="Being filmed", all_pending=True)
    p.review.reject(code="Feeling judged", all_pending=True)

    clock.set("2026-11-05T12:00")
    p.coder = "Sam"
    p.coding.apply("D2:3", "Being filmed")
    p.coder = "tester"
    p.coding.apply("D2:2", "Barriers")
    p.history.undo()
    p.pending_counts = pending
    return p


def row(md: str, *cells: str) -> str:
    """The Markdown table row holding all these cells (fails the test if there is none)."""
    found = [line for line in md.splitlines() if line.startswith("|") and all(c in line for c in cells)]
    assert found, f"no row with {cells}"
    return found[0]


def test_default_period_starts_at_the_last_signoff_by_someone_else(study):
    report = collect_audit(study)
    assert report.since.startswith("2026-11-03T10:00")
    assert SUPERVISOR in report.basis and "memo #1" in report.basis
    md = to_markdown(report)
    assert "**Period:** 2026-11-03 10:00 UTC → now" in md
    # the memo edited since the sign-off, as a diff against the signed-off version
    assert "### Memo #1: Evidence and surveillance" in md
    assert "-They think the film is evidence.\n+They think the film is evidence against them.\n" in md
    assert "version 1 → 2" in md
    # written before the sign-off: not in this period, but still waiting for review
    assert [m.id for m in report.memos] == [1, 3]
    assert [a.memo_id for a in report.awaiting_review] == [1, 2, 3]
    assert row(md, "Dr Okafor", "Good start", "changed (now v2)")
    assert report.comments == []  # made before the sign-off that opens the period

    study.coder = SUPERVISOR  # the supervisor's own sign-offs do not start their period
    theirs = collect_audit(study)
    assert theirs.since is None and theirs.basis.startswith("everything")


def test_markdown_has_every_section_with_reasons_and_counts(study):
    md = to_markdown(collect_audit(study, everything=True))
    headings = [line for line in md.splitlines() if line.startswith("#")]
    for h in ("# Audit trail — proj", "## Summary", "## Memos written and edited", "## Comments", "## Sign-offs",
              "## Memos awaiting review", "## Codebook changes", "## Coding activity", "## Autocoding and review",
              "## Undone", "## Documents imported"):
        assert h in headings
    assert row(md, "Dr Okafor", "What about the strengths focus?", "Evidence and surveillance (v1)")
    # a code change with its reason: the command line, and the memo written about that code in the period
    rename = row(md, "renamed code 'Barriers/Fear of judgement' to 'Barriers/Feeling judged'")
    assert "command: gtcode codes rename 'Fear of judgement' 'Feeling judged'" in rename
    assert "memo #3: Judged by whom?" in rename and "memo #1: Evidence and surveillance" in rename
    describe = row(md, "described code 'Barriers/Feeling judged'")
    assert "definition: “Worry about being judged” → “Worry that staff judge her as a mother”" in describe
    assert "added Barriers/Fear of judgement" in row(md, "imported codebook book.yml")
    # coding per coder per day, with the codes used
    assert row(md, "| 2026-11-02 | tester | 1 | 0 |", "Barriers/Feeling judged (1)", "P01")
    assert row(md, "| 2026-11-04 | tester | 2 | 1 |", "Barriers/Feeling judged (2)", "P01, P02")
    assert row(md, "| 2026-11-05 | Sam | 1 | 0 |", "Being filmed (1)")
    assert "since undone: 2026-11-05 tester: 1" in md
    # autocoding and what the reviewer decided
    accepted, rejected = study.pending_counts["Being filmed"], study.pending_counts["Feeling judged"]
    assert accepted and rejected
    assert row(md, "| 2026-11-04 | tester | Being filmed |", f"| {accepted} | 0 |")
    assert row(md, "| 2026-11-04 | tester | Barriers/Feeling judged |", f"| 0 | {rejected} |")
    assert row(md, "stored patterns", f"| {accepted + rejected} |")
    assert row(md, "| tester |", "coded D2:2 with 'Barriers'", "| api |")
    assert row(md, "| suggestions accepted |", f"| {accepted} |")


def test_docx_shows_the_memo_diff(study, tmp_path):
    import docx

    path = to_docx(collect_audit(study), tmp_path / "since.docx")
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "-They think the film is evidence.\n+They think the film is evidence against them." in text


def test_bad_dates_in_the_library_raise_input_error(project):
    with pytest.raises(InputError, match="not a date"):
        collect_audit(project, since="31/12/2026")


def test_an_empty_period_says_so(project):
    md = to_markdown(collect_audit(project, since="2999-01-01"))
    assert md.count("*Nothing in this period.*") >= 6 and "| passages coded | 0 |" in md


def test_demo_memos_show_every_review_state(demo_build, demo_copy, tmp_path):
    from gtcode.demo import DEMO_SUPERVISOR, build_demo

    result, p = demo_build, demo_copy
    memos = {m.type: m for m in result.memos}
    assert set(memos) == {"code", "theoretical", "methodological", "reflexive"}
    assert memos["code"].review == "changed since sign-off"
    assert memos["code"].signoffs[0].author == DEMO_SUPERVISOR
    assert [c.author for c in memos["theoretical"].comments] == [DEMO_SUPERVISOR]
    labels = {link.label for link in memos["theoretical"].links}
    assert "D2:31" in labels and any(label.endswith("Fear of social-care involvement") for label in labels)
    assert any(link.type == "segment" for link in memos["code"].links)
    report = collect_audit(p)  # as the demo coder: since the supervisor's sign-off
    # the edit after sign-off, and the storyline written later by the model step
    assert [m.title for m in report.memos] == ["Feeling judged as a parent", "The storyline"]
    assert "+After supervision" in report.memos[0].diff
    again = build_demo(tmp_path / "again")  # the same memos every time
    assert [(m.title, m.body, m.review, [c.body for c in m.comments]) for m in again.memos] == \
        [(m.title, m.body, m.review, [c.body for c in m.comments]) for m in result.memos]
    again.project.close()


def test_an_edit_is_counted_the_same_over_any_period(study, clock):
    """`audit` (since the supervisor's sign-off) and `audit --all` (and the report's summary) count one edit alike:
    memo #1 was written before the sign-off and edited after it."""
    from gtcode.report.thesis_data import audit_summary

    since_signoff, everything = collect_audit(study), collect_audit(study, everything=True)
    assert since_signoff.summary["memos edited"] == everything.summary["memos edited"] == 1
    assert audit_summary(study)["summary"]["memos edited"] == 1
    assert since_signoff.summary["memos written"] == 1 and everything.summary["memos written"] == 3
    assert [m.edited for m in everything.memos] == [True, False, False]
    assert "| memos edited | 1 |" in to_markdown(everything)


def test_one_persons_edit_is_diffed_against_the_version_before_it(study, clock):
    """With --by, the version before that person's edit may be someone else's in the same period."""
    clock.set("2026-11-06T09:00")
    study.coder = "Sam"
    study.memos.edit(2, body="Being filmed makes mothers stiff at first [[D2:3]].")
    report = collect_audit(study, since="2026-11-02", coder="Sam")
    memo = next(m for m in report.memos if m.id == 2)
    assert not memo.created and memo.edited and memo.base_version == 1 and memo.latest_version == 2
    assert "+Being filmed makes mothers stiff at first" in memo.diff
    assert report.summary["memos edited"] == 1 and report.summary["memos written"] == 0
