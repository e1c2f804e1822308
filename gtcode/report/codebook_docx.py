"""The codebook table on its own, on A4 landscape pages, as a Word thesis appendix (`codebook export`).

The same outline as the thesis report's codebook section (`thesis.codebook_outline`), written by the same
Word renderer (`render_docx`).
"""

from __future__ import annotations

from pathlib import Path

from gtcode.files import atomic_file, check_output
from gtcode.report.render_docx import render_blocks
from gtcode.report.thesis import codebook_outline
from gtcode.report.word import WordWriter


def write_codebook_docx(project, path, *, where=None, title: str | None = None, code: str | None = None) -> Path:
    """The codebook table (all codes, or `code` and its sub-codes) alone, on A4 landscape, as a Word file: a
    thesis appendix. Written whole or not at all."""
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
