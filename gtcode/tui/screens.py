"""The dialogs opened from the coding screen: code picker, in vivo, memo, search, lists and help.

Each returns its answer with `dismiss(...)` and changes nothing itself: the
coding screen turns the answer into one library call.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from gtcode.text import plural
from gtcode.tui.keys import KEYS, MODAL_KEYS


class Dialog(ModalScreen):
    """A centred box; Esc closes it with no answer."""

    BINDINGS = [Binding("escape", "cancel", "close", show=False)]

    def action_cancel(self) -> None:
        self.dismiss(None)


class CodePicker(Dialog):
    """Pick a code by fuzzy name (recently used first); a name that matches nothing can be created."""

    BINDINGS = [Binding("down", "cursor(1)", show=False), Binding("up", "cursor(-1)", show=False)]

    def __init__(self, title: str, codes, *, allow_create: bool = True):
        super().__init__()
        self.heading = title
        self.codes = list(codes)
        self.allow_create = allow_create

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.heading, classes="dialog-title")
            yield Input(placeholder="type to find a code" + (", or a new name" if self.allow_create else ""),
                        id="picker-input")
            yield OptionList(id="picker-options")

    def on_mount(self) -> None:
        self._fill("")

    def _fill(self, query: str) -> None:
        from textual.fuzzy import Matcher

        options: list[Option] = []
        if query:
            matcher = Matcher(query)
            scored = []
            for rank, c in enumerate(self.codes):
                score = max(matcher.match(c.name), 0.8 * matcher.match(c.path))
                if score > 0:
                    scored.append((-score, rank, c))
            chosen = [c for _, _, c in sorted(scored, key=lambda t: (t[0], t[1]))]
        else:
            chosen = self.codes
        for c in chosen[:200]:
            prompt = Text(c.name)
            parent = c.path.rpartition("/")[0]
            if parent:
                prompt.append(f"  {parent}", style="dim")
            options.append(Option(prompt, id=f"code:{c.id}"))
        name = " ".join(query.split())
        if self.allow_create and name and not any(c.path.casefold() == name.casefold() or
                                                  c.name.casefold() == name.casefold() for c in self.codes):
            options.append(Option(Text(f"+ new code “{name}”", style="bold"), id=f"new:{name}"))
        option_list = self.query_one(OptionList)
        option_list.clear_options()
        option_list.add_options(options)
        option_list.highlighted = 0 if options else None

    @on(Input.Changed, "#picker-input")
    def _changed(self, event: Input.Changed) -> None:
        self._fill(event.value.strip())

    def action_cursor(self, step: int) -> None:
        option_list = self.query_one(OptionList)
        if option_list.option_count:
            current = option_list.highlighted if option_list.highlighted is not None else -1
            option_list.highlighted = max(0, min(option_list.option_count - 1, current + step))

    @on(Input.Submitted, "#picker-input")
    def _submitted(self) -> None:
        option_list = self.query_one(OptionList)
        if option_list.highlighted is not None:
            self._answer(option_list.get_option_at_index(option_list.highlighted).id)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._answer(event.option.id)

    def _answer(self, option_id: str) -> None:
        kind, _, value = option_id.partition(":")
        self.dismiss(("code", int(value)) if kind == "code" else ("new", value))


class InVivoDialog(Dialog):
    """The participant's own words as a code: type them, or select them in the segment (shift+arrows, mouse)."""

    BINDINGS = [Binding("ctrl+s", "save", "save", show=False)]

    def __init__(self, address: str, text: str):
        super().__init__()
        self.address, self.text = address, text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"In vivo code from {self.address}", classes="dialog-title")
            area = TextArea(self.text, read_only=True, soft_wrap=True, id="invivo-text", show_line_numbers=False)
            yield area
            yield Input(placeholder="the participant's words, exactly (or select them above)", id="invivo-quote")
            yield Label("Enter: create the code and code the words · Tab: pick words above · Esc",
                        classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#invivo-quote", Input).focus()

    @on(TextArea.SelectionChanged, "#invivo-text")
    def _picked(self, event: TextArea.SelectionChanged) -> None:
        words = " ".join(event.text_area.selected_text.split())
        if words:
            self.query_one("#invivo-quote", Input).value = words

    @on(Input.Submitted, "#invivo-quote")
    def action_save(self) -> None:
        words = self.query_one("#invivo-quote", Input).value.strip()
        if words:
            self.dismiss(words)


class MemoDialog(Dialog):
    """Write a memo in place; ctrl+e hands the text to $EDITOR; ctrl+s saves."""

    BINDINGS = [Binding("ctrl+s", "save", "save"), Binding("ctrl+e", "external", "$EDITOR")]

    def __init__(self, link: str, title: str, memo_type: str, types: list[str]):
        super().__init__()
        self.link, self.default_title, self.memo_type, self.types = link, title, memo_type, types

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog memo"):
            yield Label(f"Memo on {self.link}", classes="dialog-title")
            with Horizontal(classes="memo-head"):
                yield Input(self.default_title, placeholder="title: what is this memo about?", id="memo-title")
                yield Select([(t, t) for t in self.types], value=self.memo_type, allow_blank=False, id="memo-type")
            yield TextArea("", id="memo-body", soft_wrap=True, show_line_numbers=False)
            yield Label("ctrl+s save · ctrl+e $EDITOR · Esc cancel · [[code:NAME]] links",
                        classes="dialog-hint")

    def on_mount(self) -> None:
        """The title first when there is none yet (a memo's title is how it is found again); else the text."""
        self.query_one("#memo-body" if self.default_title else "#memo-title").focus()

    @on(Input.Submitted, "#memo-title")
    def _to_body(self) -> None:
        self.query_one("#memo-body", TextArea).focus()

    def action_save(self) -> None:
        title = self.query_one("#memo-title", Input).value.strip()
        body = self.query_one("#memo-body", TextArea).text
        if not body.strip():
            self.notify("The memo is empty: write something, or Esc to cancel.", severity="warning")
            return
        if not title:
            self.notify("A memo needs a title: say what it is about.", severity="warning")
            self.query_one("#memo-title", Input).focus()
            return
        self.dismiss((title, body, str(self.query_one("#memo-type", Select).value)))

    def action_external(self) -> None:
        from gtcode.editor import edit
        from gtcode.errors import GtcodeError

        area = self.query_one("#memo-body", TextArea)
        try:
            with self.app.suspend():
                text = edit(area.text)
        except GtcodeError as exc:
            self.notify(str(exc), severity="error")
            return
        area.load_text(text.strip("\n"))


class ChoiceDialog(Dialog):
    """A list to choose from (documents, passages, search hits); Enter answers with the item's id."""

    def __init__(self, title: str, options: list[tuple[str, object]], *, empty: str = "Nothing to show.",
                 highlight: int | None = None):
        super().__init__()
        self.heading, self.options, self.empty, self.start = title, options, empty, highlight

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(self.heading, classes="dialog-title")
            if self.options:
                yield OptionList(*[Option(prompt, id=key) for key, prompt in self.options], id="choices")
            else:
                yield Static(self.empty, classes="dialog-hint")
            yield Label("Enter: go there · Esc: close", classes="dialog-hint")

    def on_mount(self) -> None:
        if self.options:
            option_list = self.query_one(OptionList)
            option_list.highlighted = self.start or 0
            option_list.focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class DocumentDialog(Dialog):
    """The document switcher (d): every document with its progress, the open one highlighted; Enter opens one.
    A `DocumentList`, so 10,000 documents open as fast as ten."""

    def __init__(self, documents, progress, current: int | None, counting: bool = False):
        super().__init__()
        self.documents, self.progress, self.current, self.counting = documents, progress, current, counting

    def compose(self) -> ComposeResult:
        from gtcode.tui.panels import DocumentList

        with Vertical(classes="dialog wide"):
            yield Label("Documents · share of participant segments coded", classes="dialog-title")
            if self.documents:
                yield DocumentList(id="choices")
            else:
                yield Static("No documents yet: gtcode import FILES…", classes="dialog-hint")
            yield Label("Enter: go there · Esc: close", classes="dialog-hint")

    def on_mount(self) -> None:
        from gtcode.tui.panels import DocumentList

        if self.documents:
            documents = self.query_one(DocumentList)
            documents.show(self.documents, self.progress, self.current, self.counting)
            if documents.highlighted is None:
                documents.highlighted = 0
            documents.focus()

    def on_document_list_opened(self, event) -> None:
        event.stop()
        self.dismiss(str(event.document_id))


class SearchDialog(Dialog):
    """Full-text search over every document (the same query language as `gtcode search`)."""

    BINDINGS = [Binding("down", "focus_results", show=False)]

    def __init__(self, search, query: str = ""):
        super().__init__()
        self.search, self.query_text = search, query

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label("Search all documents", classes="dialog-title")
            yield Input(self.query_text, placeholder='words, "a phrase", OR, NOT, film*', id="search-input")
            yield OptionList(id="search-results")
            yield Label("", id="search-status", classes="dialog-hint")

    @on(Input.Submitted, "#search-input")
    def _run(self, event: Input.Submitted) -> None:
        from gtcode.errors import GtcodeError

        status = self.query_one("#search-status", Label)
        results = self.query_one("#search-results", OptionList)
        results.clear_options()
        query = event.value.strip()
        if not query:
            return
        try:
            hits, total = self.search(query)
        except GtcodeError as exc:
            status.update(str(exc))
            return
        for hit in hits:
            prompt = Text()
            prompt.append(f"{hit.address:<8}", style="bold")
            prompt.append(f"{hit.speaker or '—'}: ", style="dim")
            prompt.append(hit.text if len(hit.text) < 160 else hit.text[:159] + "…")
            results.add_option(Option(prompt, id=hit.address))
        status.update(plural(total, "hit") + (f", best {len(hits)} shown" if total > len(hits) else "")
                      + (" · ↓ then Enter to go there" if hits else ""))
        if hits:
            results.highlighted = 0

    def action_focus_results(self) -> None:
        results = self.query_one("#search-results", OptionList)
        if results.option_count:
            results.focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class HelpDialog(Dialog):
    """Every key, from the same list the bindings are made from; taller than the terminal, it pages, and the
    line at the bottom says where you are and how to see the rest."""

    BINDINGS = [Binding("question_mark,q", "cancel", show=False),
                Binding("j,down", "scroll(1)", show=False), Binding("k,up", "scroll(-1)", show=False),
                Binding("space,pagedown", "page(1)", show=False), Binding("b,pageup", "page(-1)", show=False)]

    def compose(self) -> ComposeResult:
        table = Table(show_header=False, box=None, pad_edge=False, expand=True)
        table.add_column("key", style="bold", no_wrap=True)
        table.add_column("does")
        for _, shown, _, text, _ in KEYS:
            table.add_row(shown, text)
        table.add_row("", "")
        for key, text in MODAL_KEYS:
            table.add_row(key, text)
        with Vertical(classes="dialog wide"):
            yield Label("Keys", classes="dialog-title")
            with VerticalScroll(id="help-body"):
                yield Static(table)
            yield Label("", id="help-hint", classes="dialog-hint")

    def on_mount(self) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        self._fit()
        self.watch(body, "scroll_y", lambda _: self._hint(), init=False)
        self.call_after_refresh(self._hint)

    def on_resize(self) -> None:
        self._fit()
        self.call_after_refresh(self._hint)

    def _fit(self) -> None:
        """The box fits the terminal: its title, hint and border take four lines, and a line stays free."""
        self.query_one("#help-body").styles.max_height = max(3, self.app.size.height - 7)

    def _hint(self) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        shown, total = body.scrollable_content_region.height, body.virtual_size.height
        if total <= shown:
            text = "Esc, q or ? closes · every change is saved at once and shows in gtcode log"
        else:
            top = round(body.scroll_y)
            more = "↓ more: j, Space or PgDn" if top + shown < total else "end: k, b or PgUp to go back"
            text = f"lines {top + 1}–{min(total, top + shown)} of {total} · {more} · Esc closes"
        self.query_one("#help-hint", Label).update(text)

    def action_scroll(self, lines: int) -> None:
        self.query_one("#help-body", VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_page(self, direction: int) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        body.scroll_relative(y=direction * max(1, body.scrollable_content_region.height - 1), animate=False)
