"""Reports for people: the audit trail (`audit`), memo export (`memos`).

Shared here: escaping for Markdown, and a Word document set up for A4 using
only Word's built-in styles (so a thesis template can restyle it). python-docx
is imported only when a Word file is asked for.
"""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*\[\]|]|(?<!\w)_|_(?!\w))")
_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split())).replace("<", "&lt;")


def md_inline(text: str) -> str:
    """Text as literal Markdown on one line: markup characters escaped, HTML made inert."""
    text = _escape(text)
    return "\\" + text if text.startswith(("#", ">", "-", "+")) else text


def md_cell(text: str) -> str:
    """Text for a Markdown table cell: escaped, line breaks kept as <br>."""
    return "<br>".join(_escape(line) for line in str(text).splitlines() if line.strip()) or " "


def md_block(text: str) -> str:
    """A researcher's own Markdown (a memo body), kept as written but with raw HTML made inert."""
    return str(text).replace("<", "&lt;")


def fence(text: str, info: str = "") -> str:
    """A fenced code block longer than any backtick run inside `text`."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{info}\n{text.rstrip(chr(10))}\n{ticks}"


def xml_safe(text) -> str:
    """Word files cannot hold control characters; drop them."""
    return _XML_BAD.sub("", "" if text is None else str(text))


def word_document(title: str = "", author: str = ""):
    """A new python-docx Document on A4 with 2.5 cm margins, its title and author set."""
    import docx
    from docx.shared import Mm

    document = docx.Document()
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(25)
        section.top_margin = section.bottom_margin = Mm(25)
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
