"""Word transcripts: paragraphs in order, tables included, bold speaker labels."""

from __future__ import annotations

import zipfile
from pathlib import Path

from gtcode.errors import EmptyDocument, InputError
from gtcode.text import normalise
from gtcode.ingest.base import ParsedDocument, turns_from_lines
from gtcode.ingest.speakers import SpeakerRules

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _paragraph_lines(paragraph) -> tuple[str, tuple[int, str] | None]:
    """The paragraph's text and, if it opens with a bold 'Name:' run, that label."""
    text = paragraph.text
    bold = ""
    for run in paragraph.runs:
        if run.bold and (run.text.strip() or bold):
            bold += run.text
        elif not bold and not run.text.strip():
            continue
        else:
            break
    stripped = bold.strip()
    if not stripped or len(stripped) > 60:
        return text, None
    head = text.lstrip()
    lead = len(text) - len(head)
    if stripped.endswith(":") and head.startswith(stripped):
        speaker = stripped[:-1].strip()
        return text, (lead + len(stripped), speaker) if speaker else None
    after = head[len(stripped):] if head.startswith(stripped) else ""
    if after.lstrip().startswith(":"):
        colon = len(text) - len(after.lstrip()) + 1
        return text, (colon, stripped)
    return text, None


def _iter_blocks(document):
    """Body paragraphs and tables in document order (python-docx's iter_inner_content)."""
    from docx.table import Table

    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells = []
                seen = set()
                for cell in row.cells:  # merged cells repeat: keep each once
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    cells.append(" ".join(p.text for p in cell.paragraphs).strip())
                yield "\t".join(cells), None
        else:
            yield _paragraph_lines(block)


def read_docx(path: Path, rules: SpeakerRules) -> list[ParsedDocument]:
    data_head = path.read_bytes()[:8]
    if data_head == _OLE_MAGIC:
        raise InputError(f"{path}: password-protected or old-style (.doc) Word file; save it as an unprotected .docx")
    if not zipfile.is_zipfile(path):
        raise InputError(f"{path}: not a valid .docx (corrupt, or not a Word document)")
    import docx

    try:
        document = docx.Document(str(path))
        blocks = list(_iter_blocks(document))
    except Exception as exc:  # python-docx raises many types on a damaged package
        raise InputError(f"{path}: corrupt .docx ({type(exc).__name__}: {exc})") from None

    lines: list[str] = []
    hints: dict[int, tuple[int, str]] = {}
    pos = 0
    for raw, hint in blocks:
        line = normalise(raw).replace("\n", " ")  # soft line breaks stay inside the paragraph
        if hint is not None:
            # The hint was measured on the raw paragraph; NFC can shorten it (e + U+0301 → é).
            label_len, speaker = hint
            hints[pos] = (len(normalise(raw[:label_len])), normalise(speaker).strip())
        lines.append(line)
        pos += len(line) + 1
    text = "\n".join(lines)
    if not text.strip():
        raise EmptyDocument(f"{path}: the Word document has no text")
    turns = turns_from_lines(text, rules, hints)
    return [ParsedDocument(name=path.stem, text=text, format="docx", turns=turns)]
