"""Word files for every report: A4 pages set up with Word's built-in styles only, so a thesis template restyles them.

`word_document` starts a document; `WordWriter` writes one top to bottom, knowing its page orientation and
text width (tables get fixed column widths and a repeating header row, captions a real SEQ field that Word's
"Insert Table of Figures" finds). python-docx is imported only when a Word file is written.
"""

from __future__ import annotations

import re
from pathlib import Path

A4_SHORT, A4_LONG, MARGIN = 210, 297, 25   # mm; `word_document` sets 25 mm margins
_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text) -> str:
    """Word files cannot hold control characters; drop them."""
    return _XML_BAD.sub("", "" if text is None else str(text))


def word_document(title: str = "", author: str = ""):
    """A new python-docx Document on A4 with 2.5 cm margins, its title and author set."""
    import docx
    from docx.shared import Mm

    document = docx.Document()
    for section in document.sections:
        section.page_width, section.page_height = Mm(A4_SHORT), Mm(A4_LONG)
        section.left_margin = section.right_margin = Mm(MARGIN)
        section.top_margin = section.bottom_margin = Mm(MARGIN)
    props = document.core_properties
    props.title = xml_safe(title)
    props.author = xml_safe(author)
    props.last_modified_by = xml_safe(author)
    props.comments = "Written by gtcode"
    return document


def word_mono(paragraph, text: str, color: str | None = None, size: float = 9):
    """A run of monospaced text (diffs), optionally coloured (#RRGGBB)."""
    from docx.shared import Pt, RGBColor

    run = paragraph.add_run(xml_safe(text))
    run.font.name = "Courier New"
    run.font.size = Pt(size)
    if color:
        run.font.color.rgb = RGBColor.from_string(color.lstrip("#"))
    return run


def word_markdown(document, body: str) -> None:
    """A memo's Markdown, lightly: paragraphs, '- ' bullets, '#' lines as bold paragraphs."""
    for block in re.split(r"\n\s*\n", body.strip()):
        lines = block.splitlines()
        if all(re.match(r"^\s*[-*] ", line) for line in lines):
            for line in lines:
                document.add_paragraph(xml_safe(re.sub(r"^\s*[-*] ", "", line)), style="List Bullet")
            continue
        p = document.add_paragraph()
        for i, line in enumerate(lines):
            heading = re.match(r"^#{1,6}\s+(.*)", line)
            run = p.add_run(xml_safe(heading.group(1) if heading else line))
            run.bold = bool(heading)
            if i < len(lines) - 1:
                run.add_break()


class WordWriter:
    """A Word document being written top to bottom, that knows its page orientation and text width."""

    def __init__(self, title: str, author: str = ""):
        self.document = word_document(title, author)
        self.landscape = False
        self._empty = True

    # --- page layout --------------------------------------------------------------------------------------
    @property
    def text_width_mm(self) -> float:
        return (A4_LONG if self.landscape else A4_SHORT) - 2 * MARGIN

    @property
    def text_height_mm(self) -> float:
        return (A4_SHORT if self.landscape else A4_LONG) - 2 * MARGIN

    def orient(self, landscape: bool) -> None:
        """Continue on pages of this orientation (a new section, unless nothing is written yet)."""
        from docx.enum.section import WD_ORIENT, WD_SECTION
        from docx.shared import Mm

        if landscape == self.landscape:
            return
        section = self.document.sections[-1] if self._empty else self.document.add_section(WD_SECTION.NEW_PAGE)
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        long_, short = Mm(A4_LONG), Mm(A4_SHORT)
        section.page_width, section.page_height = (long_, short) if landscape else (short, long_)
        self.landscape = landscape

    # --- content ------------------------------------------------------------------------------------------
    def heading(self, text: str, level: int):
        self._empty = False
        return self.document.add_heading(xml_safe(text), level=level)

    def paragraph(self, text: str = "", style: str | None = None):
        self._empty = False
        return self.document.add_paragraph(xml_safe(text), style=style)

    def caption(self, label: str, caption: str, keep_with_next: bool = False):
        """'Table 3. Codebook' in the Caption style, its number a SEQ field Word can renumber."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        kind, _, number = label.partition(" ")
        p = self.paragraph(style="Caption")
        p.add_run(f"{kind} ")

        def field_char(kind_: str) -> None:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind_)
            p.add_run()._r.append(el)

        field_char("begin")
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = f" SEQ {kind} \\* ARABIC "
        p.add_run()._r.append(instr)
        field_char("separate")
        p.add_run(number)
        field_char("end")
        p.add_run(xml_safe(f". {caption}"))
        p.paragraph_format.keep_with_next = keep_with_next
        return p

    def table(self, headers: list[str], rows: list[list[str]], widths: list[float] | None = None):
        """A Table Grid table across the text width, its columns sized to their content (`column_widths`: no
        header word broken, empty columns narrow), its header row repeated on every page and no row split
        across pages. `widths` is accepted for other formats' sake; Word sizes by content."""
        from docx.shared import Mm, Pt

        self._empty = False
        mm = column_widths(headers, rows, self.text_width_mm, TABLE_PT)
        table = self.document.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.autofit = False
        _table_layout_fixed(table)
        for column, width in zip(table.columns, mm):
            column.width = Mm(width)
        header = table.rows[0]
        _row_flag(header, "w:tblHeader")      # the header row repeats on every page
        _row_flag(header, "w:cantSplit")
        for cell, text, width in zip(header.cells, headers, mm):
            cell.width = Mm(width)
            run = cell.paragraphs[0].add_run(xml_safe(text))
            run.bold, run.font.size = True, Pt(TABLE_PT)
            cell.paragraphs[0].paragraph_format.keep_with_next = True
        blank: dict[bool, object] = {}       # whether the row stays on one page → an empty row to copy
        per_char = _width_mm("abcdefghijklmnopqrstuvwxyz", TABLE_PT) / 26
        for row in rows:
            # a row stays on one page (one taller than a page may break)
            whole = row_height_mm(row, mm, per_char=per_char) < 0.8 * self.text_height_mm
            if len(row) < len(mm):
                _add_row(table, row, mm, whole)
                continue
            if whole not in blank:
                blank[whole] = _add_row(table, [""] * len(mm), mm, whole)._tr
                table._tbl.remove(blank[whole])
            table._tbl.append(_filled(blank[whole], row))
        return table

    def memo(self, body: str) -> None:
        """A memo's Markdown (see `word_markdown`)."""
        self._empty = False
        word_markdown(self.document, body)

    def diff(self, text: str):
        """A unified diff in one monospaced paragraph: additions green, deletions red, hunk headers purple."""
        p = self.paragraph()
        lines = text.splitlines()
        for i, line in enumerate(lines):
            color = (None if line.startswith(("+++", "---")) else "#116329" if line.startswith("+")
                     else "#82071E" if line.startswith("-") else "#6639BA" if line.startswith("@@") else None)
            run = word_mono(p, line, color)
            if i < len(lines) - 1:
                run.add_break()
        return p

    def picture(self, path: Path, max_height_mm: float | None = None):
        """A picture as wide as the text, unless that would make it taller than `max_height_mm`."""
        from docx.shared import Mm

        self._empty = False
        width = self.text_width_mm
        size = png_size(path)
        if size and max_height_mm:
            width = min(width, max_height_mm * size[0] / size[1])
        self.document.add_picture(str(path), width=Mm(width))
        paragraph = self.document.paragraphs[-1]
        paragraph.paragraph_format.keep_with_next = True
        return paragraph

    def save(self, path) -> None:
        self.document.save(str(path))


#: Table text, in points: a size thesis templates use for tables.
TABLE_PT = 9
_BREAKS = re.compile(r"\s+|(?<=[-/–—])")   # where Word may break a line: spaces, after hyphens and slashes
_PAD_MM = 4.6          # a cell's left and right padding (Word's default 1.9 mm each) and a little air


def _width_mm(text: str, size: float, bold: bool = False) -> float:
    """`text`'s width in mm at `size` points, measured in DejaVu Sans (wider than Calibri, as wide as the
    fallbacks LibreOffice uses) with a little to spare, so that a word measured this way fits its column."""
    from gtcode.report.diagram.text import text_width

    return text_width(text, size, bold) * 25.4 * 1.06


def column_widths(headers: list[str], rows: list[list[str]], total_mm: float, size: float = TABLE_PT
                  ) -> list[float]:
    """Column widths in mm that fill `total_mm`, sized to content: each column at least as wide as its longest
    word (a header word is never broken), and the room left shared out by how much text each column holds,
    no column wider than its longest line, so rows come out as short as the text allows."""
    measured: dict[tuple[str, bool], float] = {}    # a long table repeats its words: each is measured once

    def width(text: str, bold: bool = False) -> float:
        key = (text, bold)
        if key not in measured:
            measured[key] = _width_mm(text, size, bold)
        return measured[key]

    least, most, mass = [], [], []
    for i, head in enumerate(headers):
        cells = [r[i] for r in rows if i < len(r) and r[i]]
        words = [(w, False) for c in cells for w in _BREAKS.split(c)] + [(w, True) for w in _BREAKS.split(head)]
        least.append(max((width(w, b) for w, b in words), default=0) + _PAD_MM)
        lines = [line for c in cells for line in c.splitlines()] or [""]
        most.append(max(max(width(x) for x in lines), width(head, True)) + _PAD_MM)
        mass.append(sum(len(c) for c in cells) / max(1, len(rows)))
    if sum(least) >= total_mm:                              # not even the words fit: shrink them all alike
        return [w * total_mm / sum(least) for w in least]
    widths = list(least)
    open_ = [i for i in range(len(headers)) if most[i] > least[i]]
    while open_:                                            # share the room by text, capping at the longest line
        room = total_mm - sum(widths)
        weight = sum(mass[i] for i in open_) or len(open_)
        grow = {i: room * ((mass[i] if sum(mass[j] for j in open_) else 1) / weight) for i in open_}
        capped = [i for i in open_ if widths[i] + grow[i] >= most[i]]
        if not capped:
            for i in open_:
                widths[i] += grow[i]
            return widths
        for i in capped:
            widths[i] = most[i]
        open_ = [i for i in open_ if i not in capped]
    room = total_mm - sum(widths)                          # everything fits on one line: share out the rest
    return [w + room * w / sum(widths) for w in widths]


def row_height_mm(cells: list[str], widths: list[float], size: float = TABLE_PT, *,
                  per_char: float | None = None) -> float:
    """A rough height of a table row in mm: its tallest cell's wrapped lines (`per_char`: the mean letter's
    width at `size`, when already measured)."""
    per_char = per_char or _width_mm("abcdefghijklmnopqrstuvwxyz", size) / 26
    lines = max((sum(max(1, -(-len(line) * per_char // max(1.0, w - _PAD_MM))) for line in (c or " ").splitlines())
                 for c, w in zip(cells, widths)), default=1)
    return lines * size * 1.2 * 25.4 / 72 + 2


def _add_row(table, row: list[str], mm: list[float], whole: bool):
    """A table row written through python-docx, cell by cell: what `_filled` copies, and any short row."""
    from docx.shared import Mm, Pt

    tr = table.add_row()
    if whole:
        _row_flag(tr, "w:cantSplit")
    for cell, text, width in zip(tr.cells, row, mm):
        cell.width = Mm(width)
        cell.text = ""
        cell.paragraphs[0].add_run(xml_safe(text)).font.size = Pt(TABLE_PT)
    return tr


def _filled(blank, row: list[str]):
    """A copy of `blank` (an `_add_row` of empty cells) with `row`'s text in each cell's last run: the XML
    `_add_row` writes, made without python-docx's element-by-element calls (50 s for a 10,000-interview report)."""
    import copy

    from docx.oxml.ns import qn
    from lxml import etree

    tr = copy.deepcopy(blank)
    for tc, text in zip(tr.iterchildren(qn("w:tc")), row):
        text = xml_safe(text)
        if not text:
            continue
        run = tc[-1][-1]
        if "\t" in text or "\n" in text or "\r" in text:     # tabs and line breaks: python-docx's own way
            run.text = text
            continue
        t = etree.SubElement(run, qn("w:t"))
        t.text = text
        if len(text.strip()) < len(text):
            t.set(qn("xml:space"), "preserve")
    return tr


def _table_layout_fixed(table) -> None:
    """Word and LibreOffice keep the widths given instead of re-fitting the columns."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)


def _row_flag(row, tag: str) -> None:
    """Set an on/off row property: w:tblHeader (repeat on every page) or w:cantSplit (keep on one page)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    flag = OxmlElement(tag)
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def png_size(path: Path) -> tuple[int, int] | None:
    """(width, height) in pixels from a PNG's header, or None if it is not a PNG."""
    head = Path(path).read_bytes()[:24]
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
