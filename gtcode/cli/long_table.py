"""A long Rich table drawn column by column: the bytes Rich would print, about a hundred times sooner.

Rich lays out every cell through its whole renderer (about a millisecond a row), so a 10,000-row `docs list`
took seconds. Here Rich still decides what needs judgement (column widths, word wrapping, box characters,
styles, colours); only the common cell, plain text, is placed here, with Rich's cell widths. Any other cell
is rendered by Rich itself, and a table using options not handled here is drawn by Rich.
"""

from __future__ import annotations

from copy import copy
from dataclasses import replace
from itertools import repeat

from rich.cells import cell_len, set_cell_size
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Text


class LongTable:
    """Print this instead of a Rich `Table` of many rows: the same output, drawn quickly."""

    def __init__(self, table):
        self.table = table

    def __rich_console__(self, console, options):
        if _handled(self.table, console):
            try:                # drawn whole before any of it is printed, so a failure prints nothing twice
                drawn = list(_draw(self.table, console, options))
            except Exception:   # Rich internals used here (column widths, cells) moved in a newer Rich
                drawn = None
            if drawn is not None:
                yield from drawn
                return
        yield self.table


def _handled(t, console) -> bool:
    """Whether `_draw` covers every option this table uses; if not, Rich draws it."""
    return (t.title is None and t.caption is None and not t.show_footer and not t.leading
            and t.width is None and t.min_width is None and not t.collapse_padding
            and t.padding[0] == t.padding[2] == 0 and not any(row.end_section for row in t.rows)
            and not any(column.highlight for column in t.columns)
            and not (console.record or console.legacy_windows or console.is_jupyter))


def _plain(console, cell, markup: bool | None = None) -> tuple[str, object, int] | None:
    """(text, style, cells wide) of a cell Rich would print as one unstyled line; None for anything else."""
    if isinstance(cell, str):
        if "[" in cell or ":" in cell:           # markup or an emoji code: let Rich read it
            cell = console.render_str(cell, highlight=False, markup=markup)
            if cell.spans or cell.style:
                return None
            cell = cell.plain
        text, style = cell, None
    elif type(cell) is Text and not cell.spans and cell.justify is None and cell.overflow is None \
            and cell.no_wrap is None:
        text, style = cell.plain, cell.style or None
    else:
        return None
    if not text.isprintable() or text != text.strip():
        return None
    return text, style, len(text) if text.isascii() else cell_len(text)


def _plains(console, cells: list, markup: bool | None) -> list:
    """`_plain` of each cell; a column of printable ASCII (the usual one) checked at once, a cell a character."""
    if cells and set(map(type, cells)) == {str}:
        whole, lines = "".join(cells), "\n".join(cells)
        if whole.isascii() and whole.isprintable() and "[" not in whole and ":" not in whole \
                and " \n" not in lines and "\n " not in lines and lines[:1] != " " and lines[-1:] != " ":
            return list(zip(cells, repeat(None), map(len, cells)))
    return [_plain(console, cell, markup) for cell in cells]


def _widths(t, console, options, plains) -> list[int]:
    """Rich's own column widths, from a copy of the table that holds only each column's widest plain cell."""
    proxy = copy(t)
    proxy.columns = []
    for column, column_plains in zip(t.columns, plains):
        sizes = [-1 if plain is None else plain[2] for plain in column_plains]
        others = [cell for cell, plain in zip(column._cells, column_plains) if plain is None]
        widest = [column._cells[sizes.index(max(sizes))]] if sizes and max(sizes) >= 0 else []
        proxy.columns.append(replace(column, _cells=widest + others))
    return proxy._calculate_column_widths(console, options.update_width(options.max_width - t._extra_width))


class _Shaped(list):
    """A cell's lines, each exactly its column's width (so Rich's `Segment.set_shape` has nothing to do)."""


class _Blank(str):
    """A cell with no room, which Rich renders as no line: in a row of one line, blanks of its width."""


class _Column:
    """One column's layout: its width, padding, and the options Rich renders its cells with."""

    def __init__(self, t, index, column, width, options, console, colour):
        self.column, self.width, self.colour, self.console = column, width, colour, console
        self.left = 0 if index == 0 and not t.pad_edge else t.padding[3]
        self.right = 0 if index == len(t.columns) - 1 and not t.pad_edge else t.padding[1]
        self.room = width - self.left - self.right
        self.options = options.update(width=width, justify=column.justify, no_wrap=column.no_wrap,
                                      overflow=column.overflow, height=None, highlight=column.highlight)
        self.placed = (self.room >= 1 and column.justify in ("left", "right", "center")
                       and column.overflow in ("fold", "crop", "ellipsis"))
        self.padded = any(t.padding)
        self._styles: dict = {}

    def cells(self, renderables, plains, keys: list[int], row_styles: list[Style], base: Style) -> list:
        """Each cell as a str (one line printing as it stands), a tuple of segments (one line) or lines.

        A cell's style is `base` (the column's or the header's) + its row's, `row_styles[key]`, as in
        `Table._render`."""
        styles = [base + row_style for row_style in row_styles]
        quiet = [not (style and self.colour) for style in styles]
        if not self.placed or self.column.justify == "center":
            return [self.cell(r, p, styles[k]) for r, p, k in zip(renderables, plains, keys)]
        left, right, room, bare = " " * self.left, " " * self.right, self.room, not self.colour
        if self.column.justify == "left":          # the usual cell inline: it prints as it stands
            return [left + p[0] + " " * (room - p[2]) + right
                    if p and p[2] <= room and quiet[k] and (bare or p[1] is None) else self.cell(r, p, styles[k])
                    for r, p, k in zip(renderables, plains, keys)]
        return [left + " " * (room - p[2]) + p[0] + right
                if p and p[2] <= room and quiet[k] and (bare or p[1] is None) else self.cell(r, p, styles[k])
                for r, p, k in zip(renderables, plains, keys)]

    def cell(self, renderable, plain, style):
        """One cell, placed here when plain (cut or wrapped by Rich's own functions if too wide), else Rich's."""
        if self.room < 1:               # no room: Rich renders no line, the row's other cells give it blanks
            return _Shaped() if self.colour and style else _Blank(" " * self.width)
        if plain is not None and self.placed:
            text, text_style, size = plain
            room, column = self.room, self.column
            if size <= room:
                gap = room - size
                lines = [text + " " * gap if column.justify == "left" else " " * gap + text
                         if column.justify == "right" else " " * (gap // 2) + text + " " * (gap - gap // 2)]
            elif column.no_wrap or " " not in text and column.overflow != "fold":   # one line: as `Text.truncate`
                lines = [set_cell_size(text, room - 1) + "…" if column.overflow == "ellipsis"
                         else set_cell_size(text, room)]
            else:
                lines = [line.plain for line in Text(text).wrap(
                    self.console, room, justify=column.justify, overflow=column.overflow, no_wrap=False)]
            if size <= room or all(cell_len(line) == room for line in lines):
                if len(lines) > 1:
                    return _Shaped(list(self.line(line, text_style, style)) for line in lines)
                own = self.style(style, text_style)
                if not self.colour or not (style or own):
                    return " " * self.left + lines[0] + " " * self.right
                if self.left and self.right:
                    return Segment(" " * self.left, style), Segment(lines[0], own), Segment(" " * self.right, style)
                return tuple(self.line(lines[0], text_style, style))
        if self.padded:
            renderable = Padding(renderable, (0, self.right, 0, self.left))
        return self.console.render_lines(renderable, self.options, style=style)

    def style(self, style, text_style):
        """The style Rich gives a cell's text: the cell's (column + row) + the text's own."""
        key = (style, text_style)
        if key not in self._styles:
            own = self.console.get_style(text_style, default=Style.null()) if text_style else None
            self._styles[key] = style + own if style else own
        return self._styles[key]

    def line(self, text, text_style, style):
        """The segments Rich gives a cell's line: padding in the cell's style, the text in its own."""
        if self.left:
            yield Segment(" " * self.left, style)
        yield Segment(text, self.style(style, text_style))
        if self.right:
            yield Segment(" " * self.right, style)


def _draw(t, console, options):
    """The segments `Table._render` yields, for the options `_handled` admits.

    Text that prints without escape codes (no colours, or no style) goes out in one segment a line: Rich
    writes a segment with no style as it stands, so joining them changes no byte."""
    get_style = console.get_style
    plains = [_plains(console, column._cells, options.markup) for column in t.columns]
    widths = _widths(t, console, options, plains)
    options = options.update(width=sum(widths) + t._extra_width, highlight=t.highlight, height=None)
    colour = console.color_system is not None
    layout = [_Column(t, i, c, w, options, console, colour) for i, (c, w) in enumerate(zip(t.columns, widths))]
    border = get_style(t.style or "") + get_style(t.border_style or "")
    box = t.box.substitute(options, safe=t.safe_box if t.safe_box is not None else console.safe_box) \
        if t.box else None
    if box and not t.show_header:
        box = box.get_plain_headed_box()
    edge = box is not None and t.show_edge

    keys, seen = [], {}                     # each row's style, as an index into `row_styles`
    for i, row in enumerate(t.rows):
        key = (i % len(t.row_styles) if t.row_styles else 0, row.style)
        if key not in seen:
            seen[key] = len(seen), get_style(t.get_row_style(console, i))
        keys.append(seen[key][0])
    row_styles = [style for _, style in seen.values()]
    cell_styles = [get_style(column.style or "") for column in t.columns]
    header_styles = [get_style(t.header_style or "") + get_style(c.header_style) for c in t.columns]
    rows = list(zip(*(col.cells(c._cells, p, keys, row_styles, s)
                      for col, c, p, s in zip(layout, t.columns, plains, cell_styles)))) if t.rows else []
    rows = list(zip(rows, keys))
    if t.show_header:
        header = [col.cells([c.header], [_plain(console, c.header, options.markup)], [0], [Style.null()], s)[0]
                  for col, c, s in zip(layout, t.columns, header_styles)]
        rows.insert(0, (header, -1))
        row_styles.append(Style.null())      # key -1: the header's

    def styled(text, style):
        """`text` in `style`: a str when it prints as it stands."""
        return Segment(text, style) if colour and style else text

    frames: dict = {}

    def frame(place: int, key: int):
        """(left edge, right edge, divider) of a row: the head's (place 0), the foot's (2) or one between (1)."""
        if (place, key) not in frames:
            left = right = divider = ""
            if box:
                left, right, divider = ((box.head_left, box.head_right, box.head_vertical), (box.mid_left,
                                        box.mid_right, box.mid_vertical), (box.foot_left, box.foot_right,
                                                                           box.foot_vertical))[place]
            divide = styled(divider, border if divider.strip() else row_styles[key].background_style + border)
            frames[place, key] = (styled(left, border), styled(right, border)) if edge else ("", ""), divide
        return frames[place, key]

    if edge:
        yield from _joined([styled(box.get_top(widths), border), "\n"])
    last = len(rows) - 1
    plain: list[str] = []       # lines that print as they stand, sent on as one segment (one a line: 40 ms)
    for index, (cells, key) in enumerate(rows):
        (left, right), divide = frame(0 if index == 0 else 2 if index == last else 1, key)
        line = None
        if type(divide) is str and type(left) is str:
            try:
                line = divide.join(cells)
            except TypeError:                                   # a cell in colour, or of several lines
                pass
        if line is not None:
            plain.append(f"{left}{line}{right}\n")
        else:
            if plain:
                yield Segment("".join(plain))
                plain.clear()
            if all(type(c) in (str, tuple, _Blank) for c in cells) and any(type(c) is not _Blank for c in cells):
                # one line, some of it in colour (blanks take no style when another cell gives the row its line)
                items = [left] if edge else []
                for i, c in enumerate(cells):
                    items += [divide, c] if i else [c]
                yield from _joined([*items, *([right] if edge else []), "\n"])
            else:
                header = index == 0 and t.show_header
                styles = header_styles if header else [c + row_styles[key] for c in cell_styles]
                renderables = ([c.header for c in t.columns] if header else
                               [c._cells[index - t.show_header] for c in t.columns])
                yield from _lines(cells, header, layout, styles, renderables, edge, (left, right, divide))
        if box and index == 0 and t.show_header:
            rule = styled(box.get_row(widths, "head", edge=t.show_edge), border)
        elif box and t.show_lines and index != last:       # a line between rows, as `Table._render` draws
            rule = styled(box.get_row(widths, "row", edge=t.show_edge), border)
        else:
            continue
        if type(rule) is str:
            plain.append(rule + "\n")
        else:
            if plain:
                yield Segment("".join(plain))
                plain.clear()
            yield from _joined([rule, "\n"])
    if plain:
        yield Segment("".join(plain))
    if edge:
        yield from _joined([styled(box.get_bottom(widths), border), "\n"])


def _joined(items):
    """Segments for `items` (str, Segment or tuples of segments), each run that prints as it stands in one."""
    text = ""
    for item in items:
        if isinstance(item, str):
            text += item
            continue
        for segment in item if type(item) is tuple else (item,):
            if segment.style:
                if text:
                    yield Segment(text)
                    text = ""
                yield segment
            else:
                text += segment.text
    if text:
        yield Segment(text)


def _lines(cells, header, layout, styles, renderables, edge, borders):
    """A row with a cell of several lines, or rendered by Rich: aligned and shaped as `Table._render` does."""
    cells = [_Shaped() if type(c) is _Blank else _Shaped([[Segment(c)]]) if type(c) is str
             else _Shaped([list(c)]) if type(c) is tuple else c for c in cells]
    aligned = max(len(c) for c in cells)          # Rich aligns to this and shapes to at least one line
    height = max(1, aligned)
    shaped = []
    for c, col, style, renderable in zip(cells, layout, styles, renderables):
        vertical = "bottom" if header else getattr(renderable, "vertical", None) or col.column.vertical
        align = {"top": Segment.align_top, "middle": Segment.align_middle}.get(vertical, Segment.align_bottom)
        known = type(c) is _Shaped                  # then aligning only adds blank lines of the width
        c = align(c, col.width, aligned, style)
        shaped.append(c if known and aligned == height else Segment.set_shape(c, col.width, height))
    left, right, divider = borders
    colour = layout[0].colour
    for line_no in range(height):
        line = [left] if edge else []
        for i, c in enumerate(shaped):
            if i:
                line.append(divider)
            line.append(tuple(c[line_no]))
        if edge:
            line.append(right)
        if colour:
            yield from _joined([*line, "\n"])
        else:
            yield Segment("".join(s.text for item in line for s in _segments(item)) + "\n")


def _segments(item) -> tuple:
    """A str, a Segment or a tuple of them, as a tuple of segments."""
    return item if type(item) is tuple else (Segment(item) if type(item) is str else item,)
