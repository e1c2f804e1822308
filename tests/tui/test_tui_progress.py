"""Every document's coding progress on a large project: the screen opens without waiting for it, and the bars
fill in when the count (a thread with its own connection) is done. The count is made to run on the small study.

Tests wait for the count with `counted`: `pilot.pause()` (the count starts once the screen is drawn), then
`await app.workers.wait_for_complete()`, then `pilot.pause()` again (the screen takes the result)."""

from __future__ import annotations

import threading

import pytest

from gtcode import Project
from tests.tui import test_tui as tui
from tests.tui.test_tui import drive, make, screen, screen_text

study, study_built = tui.study, tui.study_built  # the coding screen's fixtures, shared rather than copied

WIDE = (130, 30)    # the document list shows beside the transcript


@pytest.fixture
def in_background(monkeypatch):
    """Count every document's progress as a large project does, in a thread; `release` lets the count go on."""
    from gtcode.analysis import progress

    monkeypatch.setattr("gtcode.tui.session.BACKGROUND_FROM", 1)
    release = threading.Event()
    count = progress.every_document_progress

    def held(path, stop=None):
        release.wait(5)
        return count(path, stop)

    monkeypatch.setattr(progress, "every_document_progress", held)
    return release


async def counted(app, pilot) -> None:
    for _ in range(20):
        await pilot.pause()
        await app.workers.wait_for_complete()
        if not screen(app).session.counting:
            break
    await pilot.pause()


def doc_line(text: str, name: str) -> str:
    return next(line for line in text.splitlines() if f" {name}" in line and "D" in line)


def test_the_screen_opens_before_the_count_and_the_bars_fill_in_after_it(study, in_background):
    async def check(app, pilot):
        before = screen_text(app)
        in_background.set()
        await counted(app, pilot)
        return before, screen_text(app), screen(app).session

    before, after, session = drive(make(study, "D1:1"), size=WIDE, then=check)
    header = before.splitlines()[0]
    assert "P01" in header and "50%" in header          # the open document's own progress, at once
    assert "counting…" in doc_line(before, "P02") and "%" not in doc_line(before, "P02")
    assert "counting…" not in after and "0%" in doc_line(after, "P02") and "50%" in doc_line(after, "P01")
    with Project.open(study) as p:
        from gtcode.analysis.progress import document_progress
        assert session.progress == document_progress(p.store) and not session.counting


def test_the_document_switcher_fills_in_too(study, in_background):
    async def check(app, pilot):
        await pilot.press("d")
        before = screen_text(app)
        in_background.set()
        await counted(app, pilot)
        after = screen_text(app)
        await pilot.press("down", "enter")
        return before, after, screen(app).session.doc.name

    before, after, opened = drive(make(study, "D1:1"), then=check)
    assert "counting…" in doc_line(before, "P02")
    assert "0%" in doc_line(after, "P02") and "counting…" not in after
    assert opened == "P02"


def test_a_coding_made_while_counting_is_not_undone_by_the_count(study, monkeypatch):
    """The count began before the coding: the document coded keeps its newer figure."""
    from gtcode.tui.session import Selection, Session

    monkeypatch.setattr("gtcode.tui.session.BACKGROUND_FROM", 1)
    with Project.open(study, coder="tester") as p:
        s = Session(p)
        s.open_document("P02")
        assert s.counting and s.progress[2].coded == 0
        which, counted = s.count()                     # the project as it was
        s.apply(Selection(1, 1), "Family support")     # D2:2, the participant's first segment
        assert s.progress[2].coded == 1
        assert s.counted(which, counted) and not s.counting
        assert s.progress[2].coded == 1 and s.progress[1].coded == 3


def test_another_processs_change_is_counted_again(study, in_background):
    async def check(app, pilot):
        in_background.set()
        await counted(app, pilot)
        with Project.open(study, coder="someone else", command="gtcode code D2:3 'Home visits'") as other:
            other.coding.apply("D2:3", "Home visits")
        app.check_for_changes()
        await counted(app, pilot)
        return screen_text(app)

    text = drive(make(study, "D1:1"), size=WIDE, then=check)
    assert "50%" in doc_line(text, "P02")


def test_a_document_label_of_four_characters_or_more_keeps_a_space_before_the_name():
    """`D1  P01` lines up short labels; `D10001 P10001`, not `D10001P10001`, in a project of 10,000 interviews."""
    from types import SimpleNamespace

    from gtcode.tui.panels import document_line

    lines = {label: document_line(SimpleNamespace(label=label, name="P10001", case=None), None).plain
             for label in ("D1", "D999", "D10001")}
    assert lines == {"D1": "D1  P10001  no participant text", "D999": "D999 P10001  no participant text",
                     "D10001": "D10001 P10001  no participant text"}
