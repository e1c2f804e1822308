"""The TUI's `s` key: passages in other interviews most like the current segment, and a jump to one."""

from __future__ import annotations

from gtcode import Project

from tests.tui.test_tui import cursor_ordinal, drive, make, screen, study, study_built  # noqa: F401 (fixtures)


def _listed(app, _):
    from textual.widgets import OptionList

    options = app.screen.query_one(OptionList)
    return [options.get_option_at_index(i).id for i in range(options.option_count)]


def test_s_lists_similar_passages_in_other_interviews_and_jumps(study):
    # only other documents' participant passages are listed
    listed = drive(make(study, "D1:8"), "s", then=_listed)
    assert listed and all(a.startswith("D2:") for a in listed)
    assert listed[0] == "D2:3"          # "…the film would go to court" shares "film" with "I watched the film…"
    where = drive(make(study, "D1:8"), "s", "enter", then=lambda a, _: (screen(a).session.doc.name,
                                                                         cursor_ordinal(a)))
    assert where == ("P02", 3)
    with Project.open(study) as p:
        assert p.history.log(limit=5)[0]["action"] == "ai.similar"


def test_s_says_so_when_ai_is_locked(study):
    with Project.open(study, coder="ethics") as p:
        p.assist.lock("no AI on this study")
    from tests.tui.test_tui import screen_text

    text = drive(make(study, "D1:8"), "s", size=(140, 30), then=lambda a, _: screen_text(a))
    assert "locked for this project" in text
