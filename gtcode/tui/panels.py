"""The side panels: the code tree (with counts and quick-key numbers, filtered as you type) and the documents."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.geometry import Size
from textual.message import Message
from textual.widgets import Footer, Input, OptionList, Static, Tree
from textual.widgets.option_list import Option


def code_label(code, counts: dict, quick: dict[int, int], colors: dict[int, str]) -> Text:
    n = counts.get(code.id, {}).get("codings", 0)
    label = Text(no_wrap=True, overflow="ellipsis")
    if code.id in quick:
        label.append(f"{quick[code.id]}", style="bold reverse")
    else:
        label.append("▌", style=colors.get(code.id, ""))
    label.append(f"{n:>4} " if n else "     ", style="dim")
    label.append(code.name, style="italic" if code.is_category else "")
    return label


class CodePanel(Vertical):
    """Codes as a tree, each with its codings (children included); type in the box to filter."""

    class Chosen(Message):
        """A code was picked (Enter or click) to apply to the selection."""

        def __init__(self, code_id: int):
            super().__init__()
            self.code_id = code_id

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self._shape: list[tuple[int, str]] = []
        self._data: tuple = ([], {}, [])

    def compose(self) -> ComposeResult:
        yield Input(placeholder="filter codes…", id="code-filter")
        yield Tree("Codes", id="code-tree")
        yield Static("", id="code-empty")
        yield Static("", id="code-full")

    def on_mount(self) -> None:
        tree = self.query_one(Tree)
        tree.show_root = False
        tree.auto_expand = False
        tree.guide_depth = 2

    @property
    def highlighted(self) -> int | None:
        node = self.query_one(Tree).cursor_node
        return node.data if node is not None else None

    def show(self, codes, counts, quick: list[int]) -> None:
        """Rebuild the tree when codes changed; otherwise just relabel (keeps the cursor where it is)."""
        self._data = (codes, counts, quick)
        needle = self.query_one("#code-filter", Input).value.strip().casefold()
        shape = [(c.id, c.path) for c in codes]
        if shape == self._shape and not needle:
            self._relabel()
            return
        self._shape = shape if not needle else []
        self._rebuild(needle)

    def _labels(self):
        from gtcode.analysis.progress import code_colors

        codes, counts, quick = self._data
        numbers = {cid: i + 1 for i, cid in enumerate(quick)}
        colors = code_colors(codes)
        return lambda c: code_label(c, counts, numbers, colors)

    def _relabel(self) -> None:
        label = self._labels()
        by_id = {c.id: c for c in self._data[0]}
        tree = self.query_one(Tree)
        stack = list(tree.root.children)
        while stack:
            node = stack.pop()
            if node.data in by_id:
                node.set_label(label(by_id[node.data]))
            stack.extend(node.children)

    def _rebuild(self, needle: str) -> None:
        codes = self._data[0]
        tree = self.query_one(Tree)
        keep = self.highlighted
        label = self._labels()
        shown = {c.id for c in codes}
        if needle:
            by_id = {c.id: c for c in codes}
            shown = set()
            for c in codes:
                if needle in c.path.casefold():
                    node = c
                    while node is not None and node.id not in shown:
                        shown.add(node.id)
                        node = by_id.get(node.parent_id)
        tree.clear()
        nodes = {None: tree.root}
        children = {c.parent_id for c in codes}
        for c in codes:
            if c.id not in shown:
                continue
            parent = nodes.get(c.parent_id, tree.root)
            if c.id in children:
                nodes[c.id] = parent.add(label(c), data=c.id, expand=True)
            else:
                nodes[c.id] = parent.add_leaf(label(c), data=c.id)
        empty = self.query_one("#code-empty", Static)
        if not codes:
            empty.update("No codes yet.\nPress c on a segment and type a name to create one, or import a "
                         "codebook: gtcode codebook import FILE")
        elif not shown:
            empty.update("No code matches the filter.")
        else:
            empty.update("")
        empty.display = not codes or not shown
        if keep in nodes:
            tree.move_cursor(nodes[keep])
        if self.highlighted is not None:
            # What the tree's highlight message will show, shown now: else the tree is laid out and drawn
            # at one height for the first screen and again, shorter, when the message arrives.
            self._show_full(self.highlighted)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._shape = []
        self._rebuild(event.value.strip().casefold())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the filter applies the first codable code that matches it."""
        event.stop()
        needle = event.value.strip().casefold()
        for c in self._data[0]:
            if c.kind == "code" and needle in c.name.casefold():
                self.post_message(self.Chosen(c.id))
                return

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        """The highlighted code's full path under the tree: a long name is cut in the tree, never here."""
        event.stop()
        self._show_full(event.node.data)

    def _show_full(self, code_id: int | None) -> None:
        code = next((c for c in self._data[0] if c.id == code_id), None)
        full = self.query_one("#code-full", Static)
        full.update(Text(code.path, style="bold") if code is not None else "")
        full.display = code is not None

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        event.stop()
        if event.node.data is not None:
            self.post_message(self.Chosen(event.node.data))


try:   # Textual's own footer key and "keys ready" flag: internals (seen in Textual 8.2), so KeyFooter is used
    from textual.widgets._footer import FooterKey    # only where they are as expected, else Textual's Footer

    _FOOTER_INTERNALS = hasattr(Footer, "_bindings_ready") and hasattr(FooterKey, "compact") and hasattr(
        Footer, "bindings_changed")
except ImportError:
    FooterKey, _FOOTER_INTERNALS = None, False


def footer() -> Footer:
    """The screen's footer: KeyFooter where this Textual has what it relies on, else Textual's own."""
    return KeyFooter() if _FOOTER_INTERNALS else Footer()


class KeyFooter(Footer):
    """Textual's footer, rebuilt only when its keys change: Textual's re-mounts and re-styles every key each time
    the focus or the screen stack changes (five times as the coding screen opens), though the keys stay the same."""

    def __init__(self) -> None:
        super().__init__()
        self.set_reactive(Footer._bindings_ready, True)   # the keys with the first layout, not after it
        self._shown: list | None = None
        self._rebuild_pending = False

    def _keys_shown(self) -> list:
        """What `Footer.compose` draws the keys from: when it is unchanged, so is the footer."""
        app, active = self.app, self.screen.active_bindings
        palette = self.show_command_palette and app.ENABLE_COMMAND_PALETTE and active.get(app.COMMAND_PALETTE_BINDING)
        return [palette] + [(binding, enabled, tooltip, app.get_key_display(binding))
                            for (_, binding, enabled, tooltip) in active.values() if binding.show]

    def compose(self):
        self._shown = self._keys_shown()
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # Its `compact` comes from the footer: set it before mounting, or the key is styled three
                # times (compact by default, then bound to the footer's value).
                widget.set_reactive(FooterKey.compact, self.compact)
            yield widget

    def bindings_changed(self, screen) -> None:
        if screen.app.app_focus and self.is_attached and screen is self.screen and not self._rebuild_pending:
            self._rebuild_pending = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_pending = False
        if self._keys_shown() != self._shown:
            await self.recompose()


try:   # OptionList's line cache and option visuals: internals (seen in Textual 8.2), so DocumentList measures its
    from textual.widgets._option_list import _LineCache    # lines itself only where they are as expected

    _LIST_INTERNALS = all(hasattr(OptionList, a) for a in ("_update_lines", "_get_visual", "_scroll_update")) and {
        "lines", "heights", "index_to_line"} <= set(_LineCache.__dataclass_fields__)
except ImportError:
    _LIST_INTERNALS = False


class DocumentOption(Option):
    """A document's line, drawn when it first shows: building 10,000 lines up front, to show twenty, took 0.3 s."""

    def __init__(self, doc, shown: "DocumentList"):
        super().__init__("", id=str(doc.id))
        self.doc, self._shown = doc, shown

    @property
    def prompt(self) -> Text:
        return document_line(self.doc, self._shown.progress.get(self.doc.id), self._shown.counting)


class DocumentList(OptionList):
    """Documents with their case and coding progress (share of participant segments coded).

    Every line is one line high, so the list lays itself out without drawing each line to measure it (OptionList
    does, twice at open: 1.2 s at 10,000 documents); a line is drawn when it comes into view."""

    class Opened(Message):
        def __init__(self, document_id: int):
            super().__init__()
            self.document_id = document_id

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.progress: dict = {}
        self.counting = False
        self._ids: list[int] = []
        self._one_line = False

    def show(self, documents, progress, current: int | None, counting: bool = False) -> None:
        """List the documents; when they are the ones listed, only redraw (progress may have changed) and keep
        the scroll position."""
        self.progress, self.counting = progress, counting
        ids = [d.id for d in documents]
        one_line = _LIST_INTERNALS and not any("\n" in f"{d.name}{d.case or ''}" for d in documents)
        if one_line and self._one_line and ids == self._ids and self.option_count == len(ids):
            for option, doc in zip(self.options, documents):
                option.doc, option._visual = doc, None     # drawn again when next shown
            self._clear_caches()
        else:
            self._ids, self._one_line = ids, one_line
            self.clear_options()
            self.add_options([DocumentOption(d, self) for d in documents])
        if current is not None:
            index = next((i for i, d in enumerate(documents) if d.id == current), None)
            if index is not None:
                self.highlighted = index

    def _update_lines(self) -> None:
        """OptionList's, without drawing every option to learn its height: each is one line."""
        if not self._one_line or not self.scrollable_content_region:
            return super()._update_lines()
        cache, count = self._line_cache, self.option_count
        start = len(cache.lines)
        if start < count:
            cache.index_to_line.update((i, i) for i in range(start, count))
            cache.heights.update((i, 1) for i in range(start, count))
            cache.lines.extend((i, 0) for i in range(start, count))
        size = Size(self.scrollable_content_region.width - self._get_left_gutter_width(), count)
        if size != self.virtual_size:
            self.virtual_size = size
            self._scroll_update(size)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self.option_count if self._one_line else super().get_content_height(container, viewport, width)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Opened(int(event.option.id)))


def document_line(doc, progress, counting: bool = False) -> Text:
    """`D2 P02 · P02  ███░░ 45%`: label, name, case, progress (`counting`: not known yet, being counted)."""
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(f"{doc.label:<4}" if len(doc.label) < 4 else doc.label + " ", style="bold")   # D1000 P1000
    line.append(doc.name)
    if doc.case and doc.case.casefold() not in doc.name.casefold():
        line.append(f" · {doc.case}", style="dim")
    if progress is not None and progress.participant:
        filled = round(progress.share * 5)
        line.append("  " + "█" * filled + "░" * (5 - filled), style="green")
        line.append(f" {progress.percent:>3}%")
    elif progress is None and counting:
        line.append("  counting…", style="dim")
    else:
        line.append("  no participant text", style="dim")
    return line
