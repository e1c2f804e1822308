"""Opening the coding screen: where the focus is, the keys in the footer, the highlighted code's path."""

from __future__ import annotations

import asyncio

from tests.tui import test_tui as tui
from tests.tui.test_tui import drive, make, screen

study, study_built = tui.study, tui.study_built  # the coding screen's fixtures, shared rather than copied

FOOTER = ["c", "x", "i", "u", "r", "slash", "m", "d", "question_mark"]


def footer_keys(app) -> list[str]:
    from textual.widgets._footer import FooterKey

    return [k.key for k in app.screen.query(FooterKey)]


def test_the_transcript_has_the_focus_and_the_footer_follows_tab(study):
    async def look(app, pilot):
        seen = [(app.screen.focused.id, footer_keys(app))]
        for _ in range(2):
            await pilot.press("tab")
            await pilot.pause()
            seen.append((app.screen.focused.id, footer_keys(app)))
        return seen

    seen = drive(make(study, "D1:3"), size=(130, 30), then=look)
    # Typing in the code filter takes the letter keys, so the footer shows only the keys that still work there.
    assert seen == [("transcript", FOOTER), ("code-filter", ["slash"]), ("transcript", FOOTER)]


def test_the_highlighted_codes_full_path_shows_under_the_tree_at_open(study):
    def full(app, _):
        return str(screen(app).query_one("#code-full").render())

    assert drive(make(study, "D1:3"), then=full) == "Barriers"


def test_the_footer_follows_keys_that_do_change_with_the_focus():
    from textual.app import App
    from textual.binding import Binding
    from textual.widgets import Input

    from gtcode.tui.panels import KeyFooter

    class Keyed(Input):
        BINDINGS = [Binding("f5", "noop", "Refresh")]

    class Small(App):
        BINDINGS = [Binding("f2", "bell", "Ring")]
        ENABLE_COMMAND_PALETTE = False

        def compose(self):
            yield Input(id="plain")
            yield Keyed(id="keyed")
            yield KeyFooter()

    async def go():
        async with Small().run_test() as pilot:
            await pilot.pause()
            seen = [footer_keys(pilot.app)]
            await pilot.press("tab")
            await pilot.pause()
            seen.append(footer_keys(pilot.app))
            return seen

    assert asyncio.run(go()) == [["f2"], ["f5", "f2"]]


def test_without_the_textual_internals_it_relies_on_the_screen_has_textuals_own_footer(study, monkeypatch):
    """KeyFooter leans on Textual internals; a Textual without them gets the stock footer, same keys."""
    from textual.widgets import Footer

    from gtcode.tui import panels

    monkeypatch.setattr(panels, "_FOOTER_INTERNALS", False)

    def look(app, _):
        found = app.screen.query_one(Footer)
        return type(found) is Footer, footer_keys(app)

    assert drive(make(study, "D1:3"), size=(130, 30), then=look) == (True, FOOTER)
