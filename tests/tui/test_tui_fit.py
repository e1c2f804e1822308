"""The coding screen on a real terminal's terms: long code names, number keys and what is on screen, memo
titles, and the help on an 80×24 terminal."""

from __future__ import annotations

from gtcode import Project

from tests.tui import test_tui as tui
from tests.tui.test_tui import addresses, drive, make, screen, screen_text

study, study_built = tui.study, tui.study_built  # the coding screen's fixtures, shared rather than copied

LONG = "Uncertainty about who will see the film and what they will do with it"


def test_a_long_code_name_shows_whole_when_the_cursor_is_on_it(study):
    from textual.widgets import Tree

    with Project.open(study) as p:
        code_id = p.codes.add(LONG, "Barriers").id

    async def highlight(app, pilot):
        tree = app.screen.query_one(Tree)
        tree.focus()
        tree.move_cursor(next(n for n in _nodes(tree.root) if n.data == code_id))
        await pilot.pause()
        full = app.screen.query_one("#code-full")
        return screen_text(app), str(full.render()), full.region

    text, full, region = drive(make(study, "D1:3"), size=(80, 24), then=highlight)
    assert LONG not in text.replace("\n", "")       # the tree cuts it at 80 columns…
    assert full == f"Barriers/{LONG}"                # …the line below the tree shows it whole, on screen
    assert region.height >= 3 and region.bottom <= 24


def test_the_code_panel_is_wider_on_a_wide_terminal(study):
    from gtcode.tui.app import code_panel_width

    widths = [drive(make(study, "D1:3"), size=size, then=lambda a, _: screen(a).query_one("#codes").outer_size.width)
              for size in ((80, 24), (160, 30))]
    assert widths == [code_panel_width(80), code_panel_width(160)] and widths[1] > widths[0]


def test_a_number_key_codes_nothing_when_the_selection_is_scrolled_off_screen(study):
    async def scroll_away_then_press(app, pilot):
        t = screen(app).transcript
        t.scroll_to(y=t.virtual_size.height, animate=False, immediate=True)   # the mouse wheel, say
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        return str(app.screen.query_one("#message").render())

    message = drive(make(study, "D1:2"), size=(80, 8), then=scroll_away_then_press)
    assert "D1:2 is not on screen" in message
    assert ("D1:2", "tester", "confirmed") not in addresses(study, "Being filmed")
    drive(make(study, "D1:2"), "1", size=(80, 8))        # on screen: the key codes it
    assert ("D1:2", "tester", "confirmed") in addresses(study, "Being filmed")


def test_a_memo_without_a_title_is_not_saved(study):
    drive(make(study, "D1:3"), "m", "enter", *"No title yet", "ctrl+s", "escape")
    with Project.open(study) as p:
        assert p.memos.list() == []


def test_help_pages_on_an_80_by_24_terminal_and_says_so(study):
    from gtcode.tui.keys import KEYS

    async def read_all(app, pilot):
        pages = [screen_text(app)]
        for _ in range(4):
            await pilot.press("space")
            await pilot.pause()
            pages.append(screen_text(app))
        return pages

    pages = drive(make(study, "D1:1"), "question_mark", size=(80, 24), then=read_all)
    first = pages[0]
    assert len(first.splitlines()) <= 24
    assert "↓ more: j, Space or PgDn" in first and "Esc closes" in first   # the first page says there is more
    assert "end: k, b or PgUp" in pages[-1]
    seen = " ".join(" ".join(p.split()) for p in pages)
    for _, keys, _, description, _ in KEYS:                      # every key is on one of the pages
        assert keys in seen and " ".join(description.split(" (")[0].split()) in seen


def _nodes(node):
    for child in node.children:
        yield child
        yield from _nodes(child)
