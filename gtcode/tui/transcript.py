"""The transcript: speaker turns, numbered segments and a margin of code stripes, drawn line by line.

A 20,000-word interview has about 1,000 segments, so nothing is a widget per
segment: the layout (which screen line shows which segment) is plain lists,
rebuilt only when the width or the codings change, and Textual asks for just
the lines on screen (`render_line`). Wrapping is a greedy word fill, which is
all a transcript needs and fast enough to redo for every segment on resize.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

HEADER, TEXT = 0, 1
MAX_STRIPES = 4  # codes shown in full in a segment's margin; more become "+N more"


def _width(s: str) -> int:
    return len(s) if s.isascii() else cell_len(s)


def wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap (whitespace collapsed); words wider than the line are broken."""
    width = max(1, width)
    measure = len if text.isascii() else _width      # the whole transcript is wrapped as it opens
    lines: list[str] = []
    line, used = "", 0
    for word in text.split():
        w = measure(word)
        while w > width:                          # a URL or a run of characters with no spaces
            if line:
                lines.append(line)
                line, used = "", 0
            cut = width
            while measure(word[:cut]) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
            w = measure(word)
        if not word:
            continue
        if not line:
            line, used = word, w
        elif used + 1 + w <= width:
            line, used = f"{line} {word}", used + 1 + w
        else:
            lines.append(line)
            line, used = word, w
    if line or not lines:
        lines.append(line)
    return lines


def stripes(codings) -> list:
    """One stripe per code on a segment (two coders' codings of one code are one stripe); pending only
    when no coding of that code there is confirmed."""
    out: dict[int, object] = {}
    for c in codings:
        seen = out.get(c.code_id)
        if seen is None or (seen.pending and not c.pending):
            out[c.code_id] = c
    return list(out.values())


def clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    s = int(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _truncate(text: str, width: int) -> str:
    if width <= 0:
        return ""
    if _width(text) <= width:
        return text
    while text and _width(text) > width - 1:
        text = text[:-1]
    return text + "…"


class Transcript(ScrollView, can_focus=True, inherit_bindings=False):
    """One document's segments; the cursor is a segment, the selection a run of segments."""

    COMPONENT_CLASSES = {
        "transcript--cursor", "transcript--selection", "transcript--speaker", "transcript--interviewer",
        "transcript--gutter", "transcript--time", "transcript--pending", "transcript--uncoded",
    }
    DEFAULT_CSS = """
    Transcript { overflow-x: hidden; }
    Transcript > .transcript--cursor { text-style: reverse; }
    Transcript > .transcript--selection { color: $accent; text-style: bold; }
    Transcript > .transcript--speaker { text-style: bold; color: $text; }
    Transcript > .transcript--interviewer { text-style: bold; color: $text-muted; }
    Transcript > .transcript--gutter { color: $text-muted; }
    Transcript > .transcript--time { color: $text-muted; }
    Transcript > .transcript--pending { text-style: italic; }
    Transcript > .transcript--uncoded { color: $warning; }
    """
    # Not a scrolling container's arrow and page keys: the screen moves the cursor, and the view follows it.
    BINDINGS = [Binding("enter", "noop", show=False)]

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    class CursorMoved(Message):
        """The cursor or the selection changed."""

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.segments: list = []
        self.turns: dict[int, dict] = {}
        self.codings: dict[int, list] = {}
        self.participant: set[int] = set()
        self.anchor: int | None = None
        self.visual = False
        self._lines: list[tuple[int, int, int]] = []   # (HEADER|TEXT, segment index, line within segment)
        self._first: list[int] = []                   # first screen line of each segment
        self._count: list[int] = []                   # lines of each segment (its text lines and stripes)
        self._wrapped: dict[int, list[str]] = {}       # segment index -> wrapped text, for the current width
        self._layout_width = -1
        self._laid_out_for: tuple | None = None         # (width, geometry) of the current layout
        self._pass: tuple | None = None                # (base style, width, geometry) while drawing the screen
        self._placed = False                           # scrolled to the cursor once the size was known

    # --- data -----------------------------------------------------------------------
    def show(self, segments, turns, codings, participant, cursor: int = 0) -> None:
        """A (new) document: reset the layout; put the cursor on segment index `cursor`."""
        self.segments, self.turns, self.participant = segments, turns, set(participant)
        self.codings = {n: stripes(c) for n, c in codings.items()}
        self._wrapped.clear()
        self._layout_width, self._laid_out_for = -1, None
        self.anchor, self.visual = None, False
        self._placed = bool(self.size.height)
        if self._placed:                     # otherwise the first resize lays it out, at the real width
            self._relayout()
        else:
            self._lines, self._first, self._count = [], [], []
        self.cursor = min(cursor, max(0, len(segments) - 1))
        self.scroll_to_cursor(center=True)

    def update_codings(self, codings, participant) -> None:
        """Same document, new codings: only line counts can change, the wrapped text is kept."""
        self.codings, self.participant = {n: stripes(c) for n, c in codings.items()}, set(participant)
        self._relayout()
        self.refresh()

    @property
    def selection(self) -> tuple[int, int]:
        if self.anchor is None:
            return self.cursor, self.cursor
        return min(self.anchor, self.cursor), max(self.anchor, self.cursor)

    def selection_on_screen(self) -> bool:
        """Whether any line of the selection is in view (the mouse wheel can scroll it away)."""
        if not self._first:
            return False
        first, last = self.selection
        top, bottom = self._first[first], self._first[last] + self._count[last]
        view = round(self.scroll_offset.y)
        return top < view + self.scrollable_content_region.height and bottom > view

    # --- layout -----------------------------------------------------------------------
    def _geometry(self) -> tuple[int, int, int]:
        """(gutter, text, margin) widths for the current width."""
        width = self.scrollable_content_region.width or self.size.width or 80
        digits = len(str(self.segments[-1].ordinal)) if self.segments else 1
        gutter = digits + 2
        margin = 0 if width < 44 else min(26, max(14, width // 3))
        text = max(8, width - gutter - margin - (1 if margin else 0))
        return gutter, text, margin

    def _relayout(self) -> None:
        gutter, text_w, margin = self._geometry()
        if text_w != self._layout_width:
            self._wrapped.clear()
            self._layout_width = text_w
        lines: list[tuple[int, int, int]] = []
        first: list[int] = []
        count: list[int] = []
        turn = None
        for i, seg in enumerate(self.segments):
            if seg.turn != turn:
                turn = seg.turn
                if seg.speaker is not None:
                    lines.append((HEADER, i, 0))
            wrapped = self._wrapped.get(i)
            if wrapped is None:
                wrapped = self._wrapped[i] = wrap(seg.text, text_w)
            n_codes = len(self.codings.get(seg.ordinal, ())) if margin else 0
            n = max(len(wrapped), min(n_codes, MAX_STRIPES))
            first.append(len(lines))
            count.append(n)
            lines.extend((TEXT, i, k) for k in range(n))
        self._lines, self._first, self._count = lines, first, count
        self._laid_out_for = (self.scrollable_content_region.width, (gutter, text_w, margin))
        self.virtual_size = Size(self.scrollable_content_region.width, len(lines))

    def on_resize(self, event: events.Resize) -> None:
        if self.segments:
            if self._laid_out_for != (self.scrollable_content_region.width, self._geometry()):
                self._relayout()
            # The new virtual size reaches the scrollbars on the next refresh: scroll after it.
            self.call_after_refresh(self.scroll_to_cursor, center=not self._placed)
            self._placed = True

    # --- drawing ----------------------------------------------------------------------
    def render_lines(self, crop: Region) -> list[Strip]:
        """Work out the style and widths once for all the lines drawn, not once a line."""
        self._pass = (self.rich_style, self.scrollable_content_region.width, self._geometry())
        try:
            return super().render_lines(crop)
        finally:
            self._pass = None

    def render_line(self, y: int) -> Strip:
        base, width, geometry = self._pass or (self.rich_style, self.scrollable_content_region.width,
                                               self._geometry())
        n = self.scroll_offset.y + y
        if n >= len(self._lines):
            return Strip.blank(width, base)
        kind, i, k = self._lines[n]
        seg = self.segments[i]
        if kind == HEADER:
            return self._header(seg, width, base, geometry[0])
        first, last = self.selection
        if i == self.cursor:
            back = base + self.get_component_rich_style("transcript--cursor")
        elif first <= i <= last:
            back = base + self.get_component_rich_style("transcript--selection")
        else:
            back = base
        gutter, text_w, margin = geometry
        wrapped = self._wrapped.get(i) or [""]
        parts: list[Segment] = []
        if k == 0:
            uncoded = seg.ordinal in self.participant and not any(
                not c.pending for c in self.codings.get(seg.ordinal, ()))
            style = "transcript--uncoded" if uncoded else "transcript--gutter"
            parts.append(Segment(f"{seg.ordinal:>{gutter - 1}} ", back + self.get_component_rich_style(style)))
        else:
            parts.append(Segment(" " * gutter, back))
        line = wrapped[k] if k < len(wrapped) else ""
        parts.append(Segment(line + " " * (text_w - _width(line)), back))
        if margin:
            parts.append(Segment(" ", base))
            parts.extend(self._stripe(seg, k, margin, base))
        return Strip(parts).adjust_cell_length(width, base)

    def _header(self, seg, width: int, base: Style, gutter: int) -> Strip:
        turn = self.turns.get(seg.turn, {})
        who = "transcript--interviewer" if seg.is_interviewer else "transcript--speaker"
        parts = [Segment(" " * gutter, base), Segment(seg.speaker or "", base + self.get_component_rich_style(who))]
        time = clock(turn.get("time_start"))
        if time:
            parts.append(Segment(f"  {time}", base + self.get_component_rich_style("transcript--time")))
        return Strip(parts).adjust_cell_length(width, base)

    def _stripe(self, seg, k: int, width: int, base: Style) -> list[Segment]:
        codes = self.codings.get(seg.ordinal, ())
        if k >= len(codes) or k >= MAX_STRIPES:
            return [Segment(" " * width, base)]
        if k == MAX_STRIPES - 1 and len(codes) > MAX_STRIPES:
            more = f"  +{len(codes) - k} more"
            return [Segment(_truncate(more, width).ljust(width), base + self.get_component_rich_style(
                "transcript--gutter"))]
        c = codes[k]
        color = Style(color=c.color)
        if c.pending:
            label = _truncate(f"{c.name}?", width - 2)
            pending = base + color + self.get_component_rich_style("transcript--pending")
            return [Segment("┆ ", base + color), Segment(label.ljust(width - 2), pending)]
        label = _truncate(c.name, width - 2)
        return [Segment("▌ ", base + color), Segment(label.ljust(width - 2), base + color)]

    # --- moving -----------------------------------------------------------------------
    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh()
        self.post_message(self.CursorMoved())

    def scroll_to_cursor(self, center: bool = False) -> None:
        if not self.segments or not self._first:
            return
        first, last = self.selection
        top = self._first[self.cursor]
        # Show the turn's speaker line too when the cursor is on a turn's first segment.
        if top > 0 and self._lines[top - 1][0] == HEADER:
            top -= 1
        height = self._first[self.cursor] + self._count[self.cursor] - top
        self.scroll_to_region(Region(0, top, 1, height), animate=False, center=center, immediate=True,
                              x_axis=False)

    def move_to(self, index: int, extend: bool = False) -> None:
        if not self.segments:
            return
        index = max(0, min(len(self.segments) - 1, index))
        if extend or self.visual:
            if self.anchor is None:
                self.anchor = self.cursor
        else:
            self.anchor = None
        self.cursor = index
        self.scroll_to_cursor()

    def clear_selection(self) -> None:
        self.anchor, self.visual = None, False
        self.refresh()
        self.post_message(self.CursorMoved())

    def toggle_visual(self) -> None:
        self.visual = not self.visual
        self.anchor = self.cursor if self.visual else None
        self.refresh()
        self.post_message(self.CursorMoved())

    def page(self, direction: int) -> None:
        if not self._first:
            return
        target = self._first[self.cursor] + direction * max(1, self.scrollable_content_region.height - 2)
        target = max(0, min(len(self._lines) - 1, target))
        index = self._lines[target][1]
        self.move_to(index)

    def action_noop(self) -> None:
        """Enter does nothing here (so it never falls through to a screen action by surprise)."""

    # --- mouse ------------------------------------------------------------------------
    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or not self._lines:
            return
        n = self.scroll_offset.y + offset.y
        if 0 <= n < len(self._lines):
            kind, i, _ = self._lines[n]
            self.focus()
            self.move_to(i, extend=event.shift)
