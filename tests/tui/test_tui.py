"""`gtcode tui`: every key drives the same library API as the CLI; assertions are on the project afterwards."""

from __future__ import annotations

import asyncio

import pytest

from gtcode import Project
from gtcode.analysis.progress import document_progress, most_used_codes, participant_ordinals, recent_codes, segment_codes

from tests.conftest import invoke, own_config

P01 = """\
VIG study, interview 1 (fictional).

Interviewer: How did you feel about the filming?

P01: I thought they were collecting evidence about me. I was terrified of the camera. My sister said I did not need it.

Interviewer: What helped?

P01: She came to the house, so I did not have to travel. I watched the film with my partner. Then I saw him smile at me.
"""
P02 = """\
Interviewer: Tell me about the social worker.

P02: The social worker was already involved. I worried the film would go to court.
"""
CODEBOOK = """\
codes:
  - name: Barriers
    color: "#d62728"
    codes:
      - name: Fear of judgement
        patterns: ["evidence"]
      - name: Being filmed
        patterns: ["camera"]
  - name: Facilitators
    color: "#2ca02c"
    codes:
      - name: Home visits
        patterns: ["house"]
      - name: Family support
"""
# D1: 1 preamble · 2 question · 3 evidence (pending Fear of judgement) · 4 camera (Being filmed) · 5 sister
# (Family support) · 6 question · 7 house (Home visits) · 8 partner · 9 smile.  D2: 1 question · 2-3 P02.


@pytest.fixture(scope="module")
def study_built(tmp_path_factory):
    """The study below, built once per module (its folder is copied for each test)."""
    base = tmp_path_factory.mktemp("tui-study")
    with own_config(base), Project.init(base / "proj", coder="tester") as project:
        return build_study(project, base)


@pytest.fixture
def study(study_built, tmp_path):
    """A two-interview project: codebook, autocoded suggestions (one left pending), one coding by hand."""
    import shutil

    shutil.copytree(study_built.parent, tmp_path / "study")
    return tmp_path / "study" / study_built.name


def build_study(project, tmp_path):
    (tmp_path / "P01.txt").write_text(P01, encoding="utf-8")
    (tmp_path / "P02.txt").write_text(P02, encoding="utf-8")
    project.docs.import_paths([tmp_path / "P01.txt", tmp_path / "P02.txt"], interviewer="Interviewer")
    project.cases.set("P01", {"role": "mother"})
    (tmp_path / "book.yml").write_text(CODEBOOK, encoding="utf-8")
    project.codebook.import_file(tmp_path / "book.yml")
    project.review.autocode()
    project.review.accept(code="Being filmed", all_pending=True)
    project.review.accept(code="Home visits", all_pending=True)
    project.coding.apply("D1:5", "Family support")
    return project.path


def make(path, document=None, **options):
    from gtcode.tui import make_app

    return make_app(path, document, coder="tester", poll=None, **options)


def drive(app, *keys, size=(100, 30), then=None):
    """Run the app headless, press keys, optionally inspect it (then(app, pilot) may be async); return then's value."""

    async def go():
        async with app.run_test(size=size) as pilot:
            for key in keys:
                await pilot.press(key)
            await pilot.pause()
            if then is None:
                return None
            result = then(app, pilot)
            if asyncio.iscoroutine(result):
                result = await result
            return result

    return asyncio.run(go())


def addresses(path, code, pending=False):
    with Project.open(path) as p:
        return [(x.address, x.coder, x.status) for x in p.coding.passages(code, include_pending=pending)]


def last_command(path) -> str:
    with Project.open(path) as p:
        return p.history.events(limit=1)[0]["command"]


def screen(app):
    return app.screen_stack[0]


def screen_text(app) -> str:
    """What the terminal shows, as plain text."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True, force_terminal=True)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


def cursor_ordinal(app) -> int:
    s = screen(app)
    return s.session.segments[s.transcript.cursor].ordinal


# --- the library queries the screen is drawn from -------------------------------------------------
def test_progress_counts_participant_segments_coded(study):
    with Project.open(study) as p:
        progress = document_progress(p.store)
        assert participant_ordinals(p.store, 1) == [3, 4, 5, 7, 8, 9]   # no preamble, no interviewer
        assert (progress[1].participant, progress[1].coded) == (6, 3)   # 4, 5, 7; the pending one does not count
        assert (progress[2].participant, progress[2].coded, progress[2].percent) == (2, 0, 0)
        codes = segment_codes(p.store, 1)
        assert [(c.name, c.status, c.color) for c in codes[3]] == [("Fear of judgement", "pending", "#d62728")]
        assert [c.name for c in codes[7]] == ["Home visits"] and 8 not in codes
        assert [p.codes.get(i).name for i in most_used_codes(p.store)] == ["Being filmed", "Family support", "Home visits"]
        assert [p.codes.get(i).name for i in recent_codes(p.store, "tester")][0] == "Family support"


def test_a_coding_over_a_range_shows_on_every_segment_it_covers(study):
    with Project.open(study, coder="tester") as p:
        p.coding.apply("D1:8-9", "Home visits")
        codes = segment_codes(p.store, 1)
    assert [c.name for c in codes[8]] == [c.name for c in codes[9]] == ["Home visits"]
    assert codes[8][0].coding_id == codes[9][0].coding_id


# --- moving ------------------------------------------------------------------------------------------
def test_opens_the_document_and_moves_by_segment(study):
    app = make(study, "P01")
    assert drive(app, "j", "j", "down", "k", then=lambda a, _: cursor_ordinal(a)) == 3
    app = make(study, "D1:7")
    assert drive(app, "up", then=lambda a, _: cursor_ordinal(a)) == 6


def test_n_and_p_jump_between_uncoded_participant_segments(study):
    # 3 has only a pending suggestion, so it still counts as uncoded; 4, 5 and 7 are coded.
    app = make(study, "D1:1")
    seen = drive(app, "n", then=lambda a, _: cursor_ordinal(a))
    assert seen == 3
    app = make(study, "D1:3")
    assert drive(app, "n", then=lambda a, _: cursor_ordinal(a)) == 8
    app = make(study, "D1:8")
    assert drive(app, "p", then=lambda a, _: cursor_ordinal(a)) == 3


def test_clicking_a_segment_moves_the_cursor(study):
    from gtcode.tui.transcript import Transcript

    async def click(app, pilot):
        t = screen(app).transcript
        line = t._first[t.segments.index(next(s for s in t.segments if s.ordinal == 5))]
        await pilot.click(Transcript, offset=(8, line - int(t.scroll_offset.y)))
        return cursor_ordinal(app)

    assert drive(make(study, "D1:1"), then=click) == 5


# --- coding --------------------------------------------------------------------------------------------
def test_c_picks_a_code_by_fuzzy_name_and_codes_the_segment(study):
    drive(make(study, "D1:8"), "c", *"home vis", "enter")
    assert ("D1:8", "tester", "confirmed") in addresses(study, "Home visits")
    assert last_command(study) == "tui: code D1:8 'Facilitators/Home visits'"


def test_c_lists_recently_used_codes_first(study):
    def options(app, _):
        from textual.widgets import OptionList
        picker = app.screen.query_one(OptionList)
        return [str(picker.get_option_at_index(i).prompt).split("  ")[0] for i in range(picker.option_count)]

    shown = drive(make(study, "D1:8"), "c", then=options)
    assert shown[0] == "Family support"          # the code tester applied last
    assert sorted(shown[1:]) == ["Barriers", "Being filmed", "Facilitators", "Fear of judgement", "Home visits"]


def test_c_with_a_new_name_creates_the_code(study):
    drive(make(study, "D1:9"), "c", *"Seeing the baby smile", "enter")
    with Project.open(study) as p:
        assert p.codes.get("Seeing the baby smile").path == "Seeing the baby smile"
    assert addresses(study, "Seeing the baby smile") == [("D1:9", "tester", "confirmed")]


def test_shift_and_v_extend_the_selection_over_several_segments(study):
    drive(make(study, "D1:7"), "shift+down", "J", "c", *"famil", "enter")
    assert ("D1:7-9", "tester", "confirmed") in addresses(study, "Family support")
    drive(make(study, "D2:1"), "v", "j", "j", "c", *"fear", "enter")
    assert addresses(study, "Fear of judgement") == [("D2:1-3", "tester", "confirmed")]


def test_number_keys_apply_the_most_used_codes(study):
    drive(make(study, "D1:8"), "1")      # 1: Being filmed (most used, ties by name)
    assert ("D1:8", "tester", "confirmed") in addresses(study, "Being filmed")
    drive(make(study, "D1:9"), "3")
    assert ("D1:9", "tester", "confirmed") in addresses(study, "Home visits")


def test_x_removes_the_code_from_the_segment(study):
    drive(make(study, "D1:5"), "x")
    assert addresses(study, "Family support") == []
    assert last_command(study) == "tui: uncode D1:5 'Facilitators/Family support'"


def test_x_with_several_codes_asks_which(study):
    with Project.open(study, coder="tester") as p:
        p.coding.apply("D1:7", "Family support")
    drive(make(study, "D1:7"), "x", *"family", "enter")
    assert addresses(study, "Family support") == [("D1:5", "tester", "confirmed")]
    assert addresses(study, "Home visits") == [("D1:7", "tester", "confirmed")]


def test_i_codes_the_participants_own_words_in_vivo(study):
    drive(make(study, "D1:3"), "i", *"collecting evidence", "enter")
    with Project.open(study) as p:
        code = p.codes.get("collecting evidence")
        assert code.invivo
        [passage] = p.coding.passages("collecting evidence")
    assert (passage.address, passage.text) == ("D1:3", "collecting evidence")


def test_i_words_can_be_picked_by_selecting_them_in_the_segment(study):
    # Shift+Tab into the segment's text, select three words with the keyboard, back to the quote box, Enter.
    drive(make(study, "D1:4"), "i", "shift+tab", "ctrl+shift+right", "ctrl+shift+right", "ctrl+shift+right",
          "tab", "enter")
    assert addresses(study, "I was terrified") == [("D1:4", "tester", "confirmed")]


def test_a_and_X_accept_and_reject_pending_codings_in_place(study):
    drive(make(study, "D1:3"), "a")
    assert addresses(study, "Fear of judgement", pending=True) == [("D1:3", "tester", "confirmed")]
    drive(make(study, "D1:3"), "u")
    assert addresses(study, "Fear of judgement", pending=True)[0][2] == "pending"
    drive(make(study, "D1:3"), "X")
    assert addresses(study, "Fear of judgement", pending=True) == []
    with Project.open(study) as p:
        assert p.history.events(limit=1)[0]["action"] == "coding.reject"


def test_u_undoes_the_last_command(study):
    drive(make(study, "D1:8"), "2", "u")
    assert addresses(study, "Family support") == [("D1:5", "tester", "confirmed")]
    with Project.open(study) as p:
        top = p.history.events(limit=2)
    assert top[0]["action"] == "undo" and top[0]["command"] == "tui: undo"
    assert top[1]["command"] == "tui: code D1:8 'Facilitators/Family support'"


def test_every_action_is_in_the_log_with_the_coder(study):
    drive(make(study, "D1:8"), "1", "x", "c", *"home", "enter")
    with Project.open(study) as p:
        events = p.history.log(limit=3)
    assert [e["command"] for e in reversed(events)] == [
        "tui: code D1:8 'Barriers/Being filmed'", "tui: uncode D1:8 'Barriers/Being filmed'",
        "tui: code D1:8 'Facilitators/Home visits'"]
    assert {e["coder"] for e in events} == {"tester"}


def test_a_failed_action_is_a_message_and_changes_nothing(study):
    def message(app, _):
        return str(screen(app).query_one("#message").render())

    before = last_command(study)
    shown = drive(make(study, "D1:8"), "x", then=message)
    assert "no codes to remove" in shown
    shown = drive(make(study, "D1:8"), "4", then=message)
    assert "No code on key 4" in shown
    assert last_command(study) == before


# --- memos, comparison, search, documents, help -----------------------------------------------------------
def test_m_writes_a_memo_linked_to_the_selected_segments(study):
    # The dialog asks for a title first (Enter goes on to the text): no memo is called "On D1:3-4".
    drive(make(study, "D1:3"), "J", "m", *"Cameras as evidence", "enter", *"Evidence again", "ctrl+s")
    with Project.open(study) as p:
        [memo] = [p.memos.get(m.id) for m in p.memos.list()]
        assert (memo.title, memo.body, memo.type) == ("Cameras as evidence", "Evidence again", "theoretical")
        assert [link.spec for link in memo.links] == ["segment:D1:3-4"]


def test_m_in_the_code_panel_writes_a_code_memo(study):
    from textual.widgets import Tree

    async def memo(app, pilot):
        tree = app.screen.query_one(Tree)
        tree.focus()
        node = next(n for n in _nodes(tree.root) if n.data == Project.open(study).codes.get("Being filmed").id)
        tree.move_cursor(node)
        for key in ["m", *"Cameras unsettle", "ctrl+s"]:
            await pilot.press(key)

    drive(make(study, "D1:1"), then=memo)
    with Project.open(study) as p:
        [m] = [p.memos.get(m.id) for m in p.memos.list()]
        assert (m.type, [link.spec for link in m.links]) == ("code", ["code:Barriers/Being filmed"])


def _nodes(node):
    for child in node.children:
        yield child
        yield from _nodes(child)


def test_escape_closes_a_dialog_without_changing_anything(study):
    before = last_command(study)
    drive(make(study, "D1:8"), "m", *"draft", "escape", "c", *"new code", "escape", "i", *"saw", "escape")
    assert last_command(study) == before
    with Project.open(study) as p:
        assert p.memos.list() == []


def test_r_lists_every_passage_of_the_code_and_jumps_to_one(study):
    with Project.open(study, coder="tester") as p:
        p.coding.apply("D2:3", "Being filmed")

    def listed(app, _):
        from textual.widgets import OptionList
        options = app.screen.query_one(OptionList)
        return [options.get_option_at_index(i).id for i in range(options.option_count)]

    assert drive(make(study, "D1:4"), "r", then=listed) == ["D1:4", "D2:3"]
    where = drive(make(study, "D1:4"), "r", "down", "enter",
                  then=lambda a, _: (screen(a).session.doc.name, cursor_ordinal(a)))
    assert where == ("P02", 3)


def test_slash_searches_every_document_and_jumps_to_a_hit(study):
    app = make(study, "D1:1")
    where = drive(app, "slash", *"court", "enter", "down", "enter",
                  then=lambda a, _: (screen(a).session.doc.name, cursor_ordinal(a)))
    assert where == ("P02", 3)


def test_d_switches_document(study):
    app = make(study, "D1:1")
    assert drive(app, "d", "down", "enter", then=lambda a, _: screen(a).session.doc.name) == "P02"


def test_question_mark_lists_every_key(study):
    from gtcode.tui.keys import KEYS

    text = drive(make(study, "D1:1"), "question_mark", size=(120, 50), then=lambda a, _: screen_text(a))
    for _, keys, _, description, _ in KEYS:
        assert keys in text and description.split(" (")[0] in text


# --- robustness -----------------------------------------------------------------------------------------
def test_an_empty_project_says_what_to_do_and_keys_do_nothing_harmful(project):
    def message(app, _):
        return str(screen(app).query_one("#empty").render()), str(screen(app).query_one("#message").render())

    empty, msg = drive(make(project.path), "j", "c", "x", "i", "n", "a", "u", "r", "m", "d", "escape",
                       then=message)
    assert "no documents yet" in empty and "gtcode import" in empty
    assert "Nothing of 'tester' to undo" in msg or "No documents yet" in msg


def test_a_very_long_segment_and_a_narrow_terminal(project, tmp_path):
    words = " ".join(f"word{i}" for i in range(3000))
    (tmp_path / "long.txt").write_text(f"Interviewer: Go on.\n\nP09: {words}\n\nInterviewer: Thanks.\n",
                                       encoding="utf-8")
    project.docs.import_paths([tmp_path / "long.txt"], interviewer="Interviewer")
    app = make(project.path, "long")

    def state(app, _):
        t = screen(app).transcript
        return cursor_ordinal(app), max(t._count), t.scroll_offset.y

    ordinal, lines, scrolled = drive(app, "j", "j", size=(40, 12), then=state)
    assert ordinal == 3 and lines > 100 and scrolled > 100   # the last segment is in view below the long one


def test_another_process_writing_is_noticed_and_shown(study):
    async def change(app, pilot):
        with Project.open(study, coder="someone else", command="gtcode code D1:9 'Home visits'") as other:
            other.coding.apply("D1:9", "Home visits")
        app.check_for_changes()
        await pilot.pause()
        s = screen(app)
        return [c.name for c in s.transcript.codings.get(9, [])], str(s.query_one("#message").render())

    names, message = drive(make(study, "D1:9"), then=change)
    assert names == ["Home visits"] and "changed by another gtcode command" in message


def test_a_write_waits_for_another_process_and_loses_nothing(study):
    """Another gtcode command holds the write lock: the TUI's coding waits for it, then both land."""
    import threading

    locked, release = threading.Event(), threading.Event()

    def other_command():
        with Project.open(study, coder="someone else", command="gtcode code D1:9 'Home visits'") as other:
            with other.transaction() as txn:
                from gtcode.coding import code_spans
                from gtcode.spans import spans_for_addresses
                code_spans(other.store, txn, ["Home visits"], spans_for_addresses(other.store, ["D1:9"]))
                locked.set()
                release.wait(5)

    async def race(app, pilot):
        worker = threading.Thread(target=other_command)
        worker.start()
        locked.wait(5)
        threading.Timer(0.3, release.set).start()
        await pilot.press("2")          # blocks in SQLite's busy wait until the other command commits
        worker.join()
        app.check_for_changes()
        await pilot.pause()
        return [c.name for c in screen(app).transcript.codings.get(9, [])]

    shown = drive(make(study, "D1:9"), then=race)
    assert shown == ["Family support", "Home visits"]
    assert ("D1:9", "someone else", "confirmed") in addresses(study, "Home visits")
    assert ("D1:9", "tester", "confirmed") in addresses(study, "Family support")


def test_the_code_panel_filters_as_you_type_and_enter_applies(study):
    def visible(app, _):
        from textual.widgets import Tree
        return [str(n.label) for n in _nodes(app.screen.query_one(Tree).root)]

    shown = drive(make(study, "D1:8"), "tab", *"home", then=visible)
    assert len(shown) == 2 and shown[0].endswith("Facilitators") and shown[1].endswith("Home visits")
    drive(make(study, "D1:8"), "tab", *"home", "enter")
    assert ("D1:8", "tester", "confirmed") in addresses(study, "Home visits")


def test_a_document_without_segments_does_not_crash(study):
    with Project.open(study) as p:   # a damaged or hand-edited project: D2's segments are gone
        p.store.conn.execute("DELETE FROM segments WHERE document_id = 2")

    def shown(app, _):
        return str(screen(app).query_one("#empty").render())

    text = drive(make(study, "D2"), "j", "n", "c", "x", "i", "a", "escape", then=shown)
    assert "has no segments" in text


def test_unknown_document_is_a_clean_error(study):
    from gtcode.errors import UnknownDocument

    with pytest.raises(UnknownDocument, match="no document 'P99'"):
        make(study, "P99")


# --- the CLI command ---------------------------------------------------------------------------------------
def test_cli_tui_errors_are_one_line(study):
    result = invoke(study, "tui", "P99", ok=False)
    assert result.exit_code == 1 and result.stderr.startswith("Error: no document 'P99'")
    result = invoke(study, "tui", "--theme", "neon", ok=False)
    assert result.exit_code == 1 and "theme 'neon'" in result.stderr
    result = invoke(study, "tui", ok=False)          # CliRunner is not a terminal
    assert result.exit_code == 1 and "needs a terminal" in result.stderr
    assert "Traceback" not in result.output


def test_cli_tui_runs_the_app_on_the_named_segment(study, monkeypatch):
    from gtcode.tui.app import GtcodeApp

    opened = {}
    monkeypatch.setattr("gtcode.cli.tui.in_terminal", lambda: True)

    def fake_run(self):
        opened["doc"], opened["start"], opened["coder"] = (self.session.doc.name, self.session.start,
                                                           self.session.project.coder)

    monkeypatch.setattr(GtcodeApp, "run", fake_run)
    result = invoke(study, "tui", "D1:7", coder="Hannah", ok=False)
    assert result.exit_code == 0, result.output
    assert opened == {"doc": "P01", "start": 6, "coder": "Hannah"}


# --- snapshots (fixed data, fixed size; nothing on screen depends on the date) ---------------------------------
@pytest.fixture
def colours(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)


def test_snapshot_coding_screen(study, snap_compare, colours):
    assert snap_compare(make(study, "D1:3"), press=["J"], terminal_size=(80, 24))


def test_snapshot_wide_with_documents(study, snap_compare, colours):
    assert snap_compare(make(study, "D1:7"), terminal_size=(130, 30))


def test_snapshot_code_picker(study, snap_compare, colours):
    assert snap_compare(make(study, "D1:8"), press=["c", "f", "a"], terminal_size=(80, 24))


def test_snapshot_help(study, snap_compare, colours):
    assert snap_compare(make(study, "D1:1"), press=["question_mark"], terminal_size=(100, 40))


def test_snapshot_empty_project(project, snap_compare, colours):
    assert snap_compare(make(project.path), terminal_size=(80, 24))


def test_P_plays_the_recording_from_the_segment_or_says_what_is_missing(study, tmp_path):
    import json
    import sys
    import time

    from gtcode.config import set_config

    def message(app, _):
        return str(screen(app).query_one("#message").render())

    assert "has no recording linked: gtcode docs media D1 FILE" in drive(make(study, "D1:3"), "P", then=message)
    (tmp_path / "P01.m4a").write_bytes(b"audio")
    with Project.open(study) as p:
        p.docs.link_media("D1", tmp_path / "P01.m4a")
    assert "D1:3 has no time" in drive(make(study, "D1:3"), "P", then=message)   # a plain transcript
    script = tmp_path / "player.py"
    script.write_text("import json, sys\nopen(sys.argv[1], 'w').write(json.dumps(sys.argv[2:]))\n", encoding="utf-8")
    set_config("player", f"{sys.executable} {script} {tmp_path / 'played.json'} {{start}} {{file}}")
    with Project.open(study) as p:     # give the segment a time, as a timed transcript would
        p.store.conn.execute("UPDATE segments SET time_start = 61.0 WHERE document_id = 1 AND ordinal = 3")
        p.store.conn.commit()
    assert "Playing P01.m4a from 1:01" in drive(make(study, "D1:3"), "P", then=message)
    for _ in range(100):   # the player runs on its own, the TUI does not wait for it
        if (tmp_path / "played.json").exists():
            break
        time.sleep(0.1)
    assert json.loads((tmp_path / "played.json").read_text()) == ["61", str((tmp_path / "P01.m4a").resolve())]


def test_a_keypress_recounts_only_the_touched_subtree_and_gets_the_same_counts(study):
    """After each write the screen's code counts equal a full recount, though only the subtree the changed code
    sits in was counted again (a keypress on a large project does not recount every coding)."""
    from gtcode.tui.session import Selection, Session

    with Project.open(study, coder="tester") as p:
        s = Session(p)
        s.open_document(s.documents[0].id)
        calls = []
        counts = p.codes.counts

        def spy(include_pending=False, *, within=None):
            calls.append(within)
            return counts(include_pending, within=within)

        p.codes.counts = spy
        s.apply(Selection(2, 2), "Family support")
        s.apply(Selection(3, 3), "Being filmed/Camera shyness", create=True)
        s.remove(Selection(2, 2), p.codes.get("Family support").id)
        assert calls and all(w is not None for w in calls)                      # never the whole project
        assert all(len(w) < len(p.codes.list()) for w in calls)
        assert s.counts == counts()
