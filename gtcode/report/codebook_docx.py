"""Word building blocks for thesis documents, and the codebook table on its own as a thesis appendix.

Only Word's built-in styles are used (Title, Heading 1–3, Caption, Table Grid, Quote, List Bullet), so a
thesis template restyles the document. Tables get fixed column widths that add up to the page's text width,
a header row that repeats on every page, and a caption above with a real SEQ field (Word's "Insert Table of
Figures" finds it). Wide content goes on A4 landscape pages. python-docx is imported only here.
"""

from __future__ import annotations

from pathlib import Path

from gtcode.report import word_document, xml_safe

A4_SHORT, A4_LONG, MARGIN = 210, 297, 25   # mm; `word_document` sets 25 mm margins


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

    def table(self, headers: list[str], rows: list[list[str]], widths: list[float]):
        """A Table Grid table whose columns share the text width by `widths` (relative weights)."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Mm

        self._empty = False
        total = sum(widths) or 1
        mm = [self.text_width_mm * w / total for w in widths]
        table = self.document.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.autofit = False
        layout = OxmlElement("w:tblLayout")
        layout.set(qn("w:type"), "fixed")
        table._tbl.tblPr.append(layout)
        for column, width in zip(table.columns, mm):
            column.width = Mm(width)
        header = table.rows[0]
        repeat = OxmlElement("w:tblHeader")     # the header row repeats on every page
        repeat.set(qn("w:val"), "true")
        header._tr.get_or_add_trPr().append(repeat)
        for cell, text, width in zip(header.cells, headers, mm):
            cell.width = Mm(width)
            cell.paragraphs[0].add_run(xml_safe(text)).bold = True
        for row in rows:
            for cell, text, width in zip(table.add_row().cells, row, mm):
                cell.width = Mm(width)
                cell.text = xml_safe(text)
        return table

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


def png_size(path: Path) -> tuple[int, int] | None:
    """(width, height) in pixels from a PNG's header, or None if it is not a PNG."""
    head = Path(path).read_bytes()[:24]
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def write_codebook_docx(project, path, *, where=None, title: str | None = None, code: str | None = None) -> Path:
    """The codebook table (all codes, or `code` and its sub-codes) alone, on A4 landscape, as a Word file: a
    thesis appendix. Written whole or not at all."""
    from gtcode.files import atomic_file, check_output
    from gtcode.report.thesis import codebook_outline
    from gtcode.report.thesis_docx import render_blocks

    path = check_output(path)
    report = codebook_outline(project, where, title, code)
    writer = WordWriter(report.title, project.coder)
    writer.orient(True)
    writer.heading(report.title, 0)
    if report.subtitle:
        writer.paragraph(report.subtitle)
    render_blocks(writer, [b for b in report.blocks if b.kind != "layout"
                           and not (b.kind == "heading" and b.text == "Codebook")], {})
    with atomic_file(path) as temp:
        writer.save(temp)
    return path
