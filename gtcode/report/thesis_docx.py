"""The thesis report as a Word document: A4, Word's built-in styles only, figures embedded."""

from __future__ import annotations

from pathlib import Path

from gtcode.report import xml_safe
from gtcode.report.codebook_docx import WordWriter
from gtcode.report.thesis import Block, Report

#: Room kept under a figure for its caption, in mm.
CAPTION_ROOM = 25


def render_blocks(writer: WordWriter, blocks: list[Block], images: dict[str, Path]) -> None:
    from gtcode.report.memos import _body_to_word

    for i, b in enumerate(blocks):
        if b.kind == "layout":
            # A page turn only if something follows: no blank page at the end.
            if any(x.kind != "layout" for x in blocks[i + 1:]):
                writer.orient(b.text == "landscape")
        elif b.kind == "heading":
            writer.heading(b.text, b.level)
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
            writer._empty = False
            _body_to_word(writer.document, b.text)


def write_docx(report: Report, path, images: dict[str, Path], author: str = "") -> Path:
    writer = WordWriter(report.title, author)
    writer.heading(report.title, 0)
    if report.subtitle:
        writer.paragraph(report.subtitle, style="Subtitle")
    render_blocks(writer, report.blocks, images)
    writer.save(path)
    return Path(path)
