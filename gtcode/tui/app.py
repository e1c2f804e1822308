"""`gtcode tui`: code transcripts segment by segment, keyboard first.

The coding screen shows the documents (with progress), the transcript and
the code tree. Keys are listed once, in `keys.KEYS`. Every change is one
library call through `Session` (so one transaction, in `gtcode log`, undoable
with `u`); a timer notices commits by other gtcode processes and refreshes.
"""

from __future__ import annotations


from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Static, Tree
from textual.worker import Worker, WorkerState

from gtcode.tui.actions import LookingAround, guarded
from gtcode.tui.keys import KEYS
from gtcode.tui.panels import CodePanel, DocumentList, document_line, footer
from gtcode.tui.screens import CodePicker, DocumentDialog, HelpDialog, InVivoDialog, MemoDialog
from gtcode.tui.session import Selection, Session
from gtcode.tui.styles import CSS
from gtcode.tui.transcript import Transcript

POLL_SECONDS = 1.0
WIDE = 120          # from this width the document list is shown beside the transcript


def _bindings() -> list[Binding]:
    out = []
    for keys, _, action, text, footer in KEYS:
        if action == "quick_code":
            out += [Binding(str(n), f"quick_code({n})", show=False) for n in range(1, 10)]
            continue
        short = text.split(" (")[0].split(":")[0]
        out.append(Binding(keys, action, short if len(short) < 14 else action.replace("_", " "), show=footer))
    return out


def code_panel_width(width: int) -> int:
    """The code panel takes about a quarter of a wide terminal, so long code names show whole: 28 columns at
    80, 36 at 120, 46 at 160, at most 56; the highlighted code's full path shows below the tree anyway."""
    return max(28, min(56, width // 4 + 6))


class CodingScreen(LookingAround, Screen):
    BINDINGS = _bindings()

    def __init__(self, session: Session):
        super().__init__()
        self.session = session
        self.message: tuple[str, bool] = ("Press ? for every key.", False)
        self._counting: int | None = None     # which count of every document's progress was started

    @property
    def AUTO_FOCUS(self) -> str | None:  # Textual's name for it
        """The transcript when it is shown, focused straight away rather than after the first focusable widget (the
        document list): each change of focus re-styles widgets and tells the footer to rebuild."""
        return "#transcript" if self.session.segments else None

    # --- layout ----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        docs, codes = DocumentList(id="docs"), CodePanel(id="codes")
        # Fitted to the terminal before the first layout, which otherwise is done twice (and drawn twice).
        self._fit(docs, codes, self.app.size.width)
        yield Static("", id="where")
        with Horizontal(id="main"):
            yield docs
            yield Transcript(id="transcript")
            yield Static("", id="empty")
            yield codes
        yield Static("", id="message")
        yield footer()

    def on_mount(self) -> None:
        s = self.session
        empty = self.query_one("#empty", Static)
        if not s.documents:
            empty.update(Text.assemble(
                ("This project has no documents yet.\n\n", "bold"),
                "Import interview transcripts from the command line, for example:\n\n",
                ("    gtcode import transcripts/ --interviewer Interviewer\n\n", "bold"),
                "then run gtcode tui again. Press q to quit."))
            self.query_one(Transcript).display = False
        elif s.doc is not None and not s.segments:
            self._show_empty_document()
        else:
            empty.display = False
        self.refresh_views(new_document=True, cursor=s.start)
        self.query_one(Transcript).focus()

    def _show_empty_document(self) -> None:
        empty = self.query_one("#empty", Static)
        empty.update(f"{self.session.doc.name} has no segments: nothing to code here. Press d for another document.")
        empty.display = True
        self.query_one(Transcript).display = False

    def on_resize(self) -> None:
        self._fit(self.query_one("#docs"), self.query_one(CodePanel), self.size.width)

    @staticmethod
    def _fit(docs, codes, width: int) -> None:
        docs.display = width >= WIDE
        codes.styles.width = code_panel_width(width)

    @property
    def transcript(self) -> Transcript:
        return self.query_one(Transcript)

    # --- showing ------------------------------------------------------------------------
    def refresh_views(self, new_document: bool = False, cursor: int | None = None) -> None:
        s = self.session
        t = self.transcript
        if s.doc is not None and s.segments:
            t.display = True
            self.query_one("#empty").display = False
            if new_document:
                t.show(s.segments, s.turns, s.codings, s.participant, cursor or 0)
            else:
                t.update_codings(s.codings, s.participant)
                if cursor is not None:
                    t.move_to(cursor)
                elif t.cursor >= len(s.segments):
                    t.move_to(len(s.segments) - 1)
        elif s.doc is not None:
            self._show_empty_document()
        self.query_one(CodePanel).show(s.codes, s.counts, s.quick)
        self.query_one(DocumentList).show(s.documents, s.progress, s.doc.id if s.doc else None, s.counting)
        self.update_where()
        self.update_message()
        if s.counting and s.counting_for != self._counting:
            self._counting = s.counting_for
            # After the screen is drawn: the count's Python loop would share the interpreter with the drawing.
            self.call_after_refresh(self._count_progress)

    # --- every document's progress, counted in a thread on a large project ----------------------------------
    def _count_progress(self) -> None:
        """Count in a thread worker (`Session.count` opens its own connection); `on_worker_state_changed` shows
        the result. Tests wait for it: `pilot.pause()`, `app.workers.wait_for_complete()`, `pilot.pause()`."""
        from textual.worker import get_current_worker

        session = self.session

        def count():
            worker = get_current_worker()
            return session.count(stop=lambda: worker.is_cancelled)

        self.run_worker(count, name="progress", group="progress", thread=True, exclusive=True, exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != "progress" or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        which, progress = worker.result if event.state == WorkerState.SUCCESS else (self._counting, None)
        if self.session.counted(which, progress):
            self.show_progress()

    def show_progress(self) -> None:
        """Redraw every document's progress: the list beside the transcript and a document switcher if open."""
        s = self.session
        for screen in self.app.screen_stack:
            for documents in screen.query(DocumentList):
                documents.show(s.documents, s.progress, None, s.counting)

    def update_where(self) -> None:
        s = self.session
        line = Text(no_wrap=True, overflow="ellipsis")
        if s.doc is None:
            line.append(f"{s.project.name}", style="bold")
        else:
            line.append_text(document_line(s.doc, s.progress.get(s.doc.id)))
            if s.segments:
                t = self.transcript
                first, last = t.selection
                sel = Selection(first, last)
                line.append(f"  {s.address(sel)}", style="bold")
                seg = s.segments[t.cursor]
                if seg.speaker:
                    line.append(f" {seg.speaker}", style="dim")
                if t.visual:
                    line.append("  -- SELECT --", style="bold reverse")
        line.append(f"  · {s.project.coder}", style="dim")
        self.query_one("#where", Static).update(line)

    def say(self, text: str, error: bool = False) -> None:
        self.message = (text, error)
        self.update_message()
        if error:
            self.app.bell()

    def update_message(self) -> None:
        text, error = self.message
        self.query_one("#message", Static).update(Text(text, style="bold red" if error else "",
                                                       no_wrap=True, overflow="ellipsis"))

    def on_transcript_cursor_moved(self, _event) -> None:
        self.update_where()

    # --- helpers --------------------------------------------------------------------------
    def selection(self) -> Selection | None:
        if self.session.doc is None or not self.session.segments:
            self.say("Nothing to code here." if self.session.documents else "No documents yet: import some first.",
                     error=True)
            return None
        first, last = self.transcript.selection
        return Selection(first, last)

    def after_write(self, message: str, cursor: int | None = None) -> None:
        t = self.transcript
        t.anchor, t.visual = None, False
        self.refresh_views(cursor=cursor)
        self.say(message)

    def open_document(self, document_id, ordinal: int | None = None) -> None:
        s = self.session
        if s.doc is None or s.doc.id != document_id:
            s.open_document(document_id)
            self.refresh_views(new_document=True, cursor=s.index_of(ordinal) if ordinal else 0)
        elif ordinal is not None:
            self.transcript.move_to(s.index_of(ordinal))
        self.say(f"{s.doc.label} {s.doc.name}: {s.doc.segments} segments")

    def jump(self, address: str) -> None:
        from gtcode.address import parse_address

        addr = parse_address(address)
        doc = self.session.project.docs.get(addr.document)
        self.open_document(doc.id, addr.ordinals[0])

    def tree_code(self) -> int | None:
        """The highlighted code in the code panel, when the panel has the focus."""
        tree = self.query_one(Tree)
        return self.query_one(CodePanel).highlighted if tree.has_focus else None

    # --- moving -------------------------------------------------------------------------
    def action_move(self, step: int) -> None:
        self.transcript.move_to(self.transcript.cursor + step)

    def action_extend(self, step: int) -> None:
        self.transcript.move_to(self.transcript.cursor + step, extend=True)

    def action_visual(self) -> None:
        self.transcript.toggle_visual()

    def action_clear_selection(self) -> None:
        self.transcript.clear_selection()
        self.transcript.focus()

    def action_page(self, direction: int) -> None:
        self.transcript.page(direction)

    def action_edge(self, direction: int) -> None:
        self.transcript.move_to(0 if direction < 0 else len(self.session.segments) - 1)

    def action_uncoded(self, direction: int) -> None:
        if not self.session.segments:
            return
        index = self.session.uncoded(self.transcript.cursor, direction)
        if index is None:
            self.say(f"No uncoded participant segment {'below' if direction > 0 else 'above'}.")
            return
        self.transcript.move_to(index)

    def action_toggle_focus(self) -> None:
        if self.transcript.has_focus:
            self.query_one("#code-filter").focus()
        else:
            self.transcript.focus()

    # --- coding -------------------------------------------------------------------------
    @guarded
    def apply(self, code_id: int | None = None, new_name: str | None = None) -> None:
        sel = self.selection()
        if sel is None:
            return
        if new_name is not None:
            message = self.session.apply(sel, new_name, create=True)
        else:
            code = self.session.code_by_id(code_id)
            message = self.session.apply(sel, code.path)
        self.after_write(message)

    def action_pick_code(self) -> None:
        if self.selection() is None:
            return
        address = self.session.address(self.selection())

        def chosen(answer) -> None:
            if answer is not None:
                kind, value = answer
                self.apply(code_id=value) if kind == "code" else self.apply(new_name=value)

        self.app.push_screen(CodePicker(f"Code {address} with…", self.session.picker_codes()), chosen)

    def action_quick_code(self, n: int) -> None:
        quick = self.session.quick
        if n > len(quick):
            self.say(f"No code on key {n} yet: the nine most used codes get the keys 1-9.", error=True)
            return
        sel = self.selection()
        if sel is None:
            return
        if not self.transcript.selection_on_screen():
            # A number codes without a dialog naming the segment: never code words the researcher cannot see.
            self.say(f"{self.session.address(sel)} is not on screen: press j or k to bring it back, then {n}.",
                     error=True)
            return
        self.apply(code_id=quick[n - 1])

    def on_code_panel_chosen(self, event: CodePanel.Chosen) -> None:
        code = self.session.code_by_id(event.code_id)
        if code is not None and code.kind == "category":
            self.say(f"{code.name!r} is a category: code with one of its codes.", error=True)
            return
        self.apply(code_id=event.code_id)

    def action_remove_code(self) -> None:
        sel = self.selection()
        if sel is None:
            return
        codes = self.session.codes_in(sel)
        if not codes:
            self.say(f"{self.session.address(sel)} has no codes to remove.")
            return
        if len(codes) == 1:
            self._remove(sel, codes[0].id)
            return
        self.app.push_screen(CodePicker(f"Remove from {self.session.address(sel)}…", codes, allow_create=False),
                             lambda answer: answer and self._remove(sel, answer[1]))

    @guarded
    def _remove(self, sel: Selection, code_id: int) -> None:
        self.after_write(self.session.remove(sel, code_id))

    def action_invivo(self) -> None:
        sel = self.selection()
        if sel is None:
            return
        seg = self.session.segments[self.transcript.cursor]
        one = Selection(self.transcript.cursor, self.transcript.cursor)
        self.app.push_screen(InVivoDialog(seg.address, seg.text),
                             lambda words: words and self._invivo(one, words))

    @guarded
    def _invivo(self, sel: Selection, words: str) -> None:
        self.after_write(self.session.invivo(sel, words))

    @guarded
    def action_accept(self) -> None:
        sel = self.selection()
        if sel is not None:
            self.after_write(self.session.review(sel, accept=True))

    @guarded
    def action_reject(self) -> None:
        sel = self.selection()
        if sel is not None:
            self.after_write(self.session.review(sel, accept=False))

    @guarded
    def action_undo(self) -> None:
        self.after_write(self.session.undo())

    # --- looking around ---------------------------------------------------------------------
    def action_memo(self) -> None:
        code_id = self.tree_code()
        s = self.session
        if code_id is not None:
            code = s.code_by_id(code_id)
            link, title, kind = f"code:{code.path}", code.name, "code"
        else:
            sel = self.selection()
            if sel is None:
                return
            address = s.address(sel)
            link, title, kind = f"seg:{address}", "", "theoretical"   # the dialog asks for a title
        types = [t["name"] for t in s.project.memos.types()]
        self.app.push_screen(MemoDialog(link, title, kind, types),
                             lambda answer: answer and self._memo(link, *answer))

    @guarded
    def _memo(self, link: str, title: str, body: str, kind: str) -> None:
        self.after_write(self.session.memo(title, body, kind, link))

    def action_documents(self) -> None:
        s = self.session
        self.app.push_screen(DocumentDialog(s.documents, s.progress, s.doc.id if s.doc else None, s.counting),
                             lambda doc_id: doc_id and self._open(int(doc_id)))

    @guarded
    def _open(self, document_id: int) -> None:
        self.open_document(document_id)

    def on_document_list_opened(self, event: DocumentList.Opened) -> None:
        self._open(event.document_id)

    def action_help(self) -> None:
        self.app.push_screen(HelpDialog())

    def action_quit(self) -> None:
        self.app.exit()

    # --- other processes ------------------------------------------------------------------------
    def external_change(self) -> None:
        """Another gtcode process committed: re-read, keep the place."""
        s = self.session
        ordinal = s.segments[self.transcript.cursor].ordinal if s.segments else None
        doc = s.doc.id if s.doc else None
        s.reload()
        if s.doc is None and s.documents:
            s.open_document(s.documents[0].id)
        same = s.doc is not None and s.doc.id == doc
        self.refresh_views(new_document=not same, cursor=s.index_of(ordinal) if same and ordinal else None)
        self.say("Refreshed: the project was changed by another gtcode command.")


class GtcodeApp(App):
    """The coding app for one project; build it with `make_app`."""

    CSS = CSS
    TITLE = "gtcode"
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, session: Session, *, theme: str | None = None, poll: float | None = POLL_SECONDS):
        super().__init__()
        self.session = session
        self.poll_seconds = poll
        if theme:
            if theme not in self.available_themes:
                from gtcode.errors import InputError
                raise InputError(f"theme {theme!r}: not a theme; try ansi-dark, ansi-light, textual-dark or "
                                 "textual-light")
            self.theme = theme

    def get_default_screen(self) -> Screen:
        return CodingScreen(self.session)

    def on_mount(self) -> None:
        self.title = f"gtcode · {self.session.project.name}"
        if self.poll_seconds:
            self.set_interval(self.poll_seconds, self.check_for_changes)

    def check_for_changes(self) -> None:
        if self.session.changed_elsewhere():
            screen = self.screen_stack[0] if self.screen_stack else None
            if isinstance(screen, CodingScreen):
                screen.external_change()

    def on_unmount(self) -> None:
        self.session.project.close()


def make_app(project_path=None, document=None, coder: str | None = None, *, theme: str | None = "ansi-dark",
             poll: float | None = POLL_SECONDS) -> GtcodeApp:
    """The TUI for a project (path, folder, or found like the CLI finds it), opened at `document`.

    Opens the project and the document straight away, so a bad path or name is a clean error before
    the screen takes over the terminal.
    """
    from gtcode.project import Project

    project = Project.open(project_path, coder=coder, command="tui")
    try:
        session = Session(project)
        if document is not None:
            ref, _, ordinal = str(document).partition(":")
            session.open_document(ref)
            if ordinal:
                from gtcode.address import parse_ranges
                session.start = session.index_of(parse_ranges(ordinal)[0])
        elif session.documents:
            session.open_document(session.documents[0].id)
        return GtcodeApp(session, theme=theme, poll=poll)
    except BaseException:
        project.close()
        raise
