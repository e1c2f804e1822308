"""Any report (`document.Report`) as a Word document: A4, Word's built-in styles only, figures embedded."""

from __future__ import annotations

from pathlib import Path

from gtcode.report.document import Block, Report
from gtcode.report.word import WordWriter, xml_safe

#: Room kept under a figure for its caption, in mm.
CAPTION_ROOM = 25


def render_blocks(writer: WordWriter, blocks: list[Block], images: dict[str, Path], title_level: int = 0) -> None:
    """Write `blocks`; a heading of level n becomes Word's Heading n + `title_level` (see `write_docx`)."""
    for i, b in enumerate(blocks):
        if b.kind == "layout":
            # A page turn only if something follows: no blank page at the end.
            if any(x.kind != "layout" for x in blocks[i + 1:]):
                writer.orient(b.text == "landscape")
        elif b.kind == "heading":
            writer.heading(b.text, b.level + title_level)
        elif b.kind == "para":
            p = writer.paragraph()
            for text, bold in b.runs:
                p.add_run(xml_safe(text)).bold = bold
        elif b.kind == "note":
            writer.paragraph().add_run(xml_safe(b.text)).italic = True
        elif b.kind == "bullets":
            for item in b.items:
                writer.paragraph(item, style="List Bullet")
        elif b.kind == "table":
            if b.label:
                writer.caption(b.label, b.caption, keep_with_next=True)
            writer.table(b.headers, b.rows, b.widths)
        elif b.kind == "figure":
            writer.picture(images[b.name], writer.text_height_mm - CAPTION_ROOM)
            writer.caption(b.label, b.caption)
        elif b.kind == "quote":
            p = writer.paragraph(b.text.strip(), style="Quote")
            if b.source:
                p.add_run(xml_safe(f" — {b.source}"))
        elif b.kind == "memo":
            writer.memo(b.text)
        elif b.kind == "memo_quote":
            for para in (p for p in b.text.split("\n\n") if p.strip()):
                writer.paragraph(para, style="Quote")
        elif b.kind == "diff":
            writer.diff(b.text)


def write_docx(report: Report, path, images: dict[str, Path] | None = None, author: str = "", *,
               title_level: int = 0) -> Path:
    """The report as a Word file at `path`. The title is Word's Title style (`title_level` 0), or a heading of
    that level with the report's own headings below it (the audit trail: title Heading 1, sections Heading 2)."""
    writer = WordWriter(report.title, author)
    writer.heading(report.title, title_level)
    if report.subtitle:
        writer.paragraph(report.subtitle, style="Subtitle")
    render_blocks(writer, report.blocks, images or {}, title_level)
    writer.save(path)
    return Path(path)
