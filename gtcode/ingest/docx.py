"""Word transcripts: paragraphs in order, tables included, bold speaker labels.

The package is checked (size, entries, XML inflated by streaming) before
python-docx opens it. Teams and Otter Word exports (`Name   0:03` on its own
line, then the text) are plain paragraphs: the speaker layouts of
`turns_from_lines` read them.
"""

from __future__ import annotations

from pathlib import Path

from gtcode.errors import EmptyDocument, InputError
from gtcode.ingest.base import ParsedDocument, turns_from_lines
from gtcode.ingest.containers import check_package
from gtcode.ingest.paragraphs import Hint, bold_label, join_lines
from gtcode.ingest.speakers import SpeakerRules

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _paragraph_lines(paragraph) -> tuple[str, Hint | None]:
    """The paragraph's text and, if it opens with a bold 'Name:' run, that label."""
    return paragraph.text, bold_label([(run.text, bool(run.bold)) for run in paragraph.runs])


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
    with path.open("rb") as fh:
        head = fh.read(8)
    if head == _OLE_MAGIC:
        raise InputError(f"{path}: password-protected or old-style (.doc) Word file; save it as an unprotected .docx")
    check_package(path, ".docx")          # python-docx is never handed a zip bomb
    import docx

    try:
        document = docx.Document(str(path))
        blocks = list(_iter_blocks(document))
    except Exception as exc:  # python-docx raises many types on a damaged package
        raise InputError(f"{path}: corrupt .docx ({type(exc).__name__}: {exc})") from None
    text, hints = join_lines(blocks)
    if not text.strip():
        raise EmptyDocument(f"{path}: the Word document has no text")
    turns = turns_from_lines(text, rules, hints)
    return [ParsedDocument(name=path.stem, text=text, format="docx", turns=turns)]
