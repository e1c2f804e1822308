"""PDF transcripts (exported from Word, Sonix, MAXQDA…): text layer → paragraphs → turns.

Text comes from pdfminer.six, whose layout analysis groups characters by
position on the page, so a PDF that places every word on its own (the
"one word per line" and "tabs between words" failures of simpler
extractors) still reads as lines. gtcode then only puts the page back into
paragraphs: wrapped lines are joined, a line that opens with a speaker
label or a time starts a new one, running headers, footers and page
numbers are dropped, and the text goes through the same speaker layouts as
plain text. A PDF with no text layer (a scan) is refused: run OCR first.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from gtcode.errors import EmptyDocument, FileTooLarge, InputError
from gtcode.text import normalise
from gtcode.ingest import limits
from gtcode.ingest.base import ParsedDocument, turns_from_lines
from gtcode.ingest.speakers import SpeakerRules

_PAGE_NUMBER = re.compile(r"^(?:(?:page|seite|p\.)\s*)?\d{1,4}(?:\s*(?:of|von|/|-)\s*\d{1,4})?$", re.IGNORECASE)
_TIME_LINE = re.compile(r"^[\[(#]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,-]\d{1,3})?[\])#]?$")
_SPACES = re.compile(r"[ \t\u00a0]+")
_ENDS_SENTENCE = tuple(".?!:;\"”’)]…")


def _extract_pages(path: Path) -> list[str]:
    from pdfminer.high_level import extract_text
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFDocument, PDFPasswordIncorrect
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    try:
        with path.open("rb") as fh:
            document = PDFDocument(PDFParser(fh))
            most, pages = limits.pdf_pages(), 0
            for _ in PDFPage.create_pages(document):
                pages += 1
                if pages > most:
                    raise FileTooLarge(f"{path}: more than {most:,} pages, the most a PDF may have; refused "
                                       "(config max_pdf_pages raises the limit)")
        # Wide character margins keep widely spaced words on one line; no box reordering keeps reading order.
        params = LAParams(char_margin=20, word_margin=0.2, boxes_flow=None)
        text = extract_text(str(path), laparams=params, maxpages=most)
    except (FileTooLarge, MemoryError):
        raise
    except PDFPasswordIncorrect:
        raise InputError(f"{path}: password-protected PDF; save an unprotected copy") from None
    except Exception as exc:  # pdfminer raises many types (PSSyntaxError, PDFSyntaxError, KeyError…) on damage
        name = type(exc).__name__
        if "Encrypt" in name or "Password" in name:
            raise InputError(f"{path}: encrypted PDF gtcode cannot read; save an unprotected copy") from None
        raise InputError(f"{path}: not a readable PDF ({name}: {exc})") from None
    return text.split("\f")


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Lines repeated at the top or bottom of most pages: running headers and footers."""
    if len(pages) < 3:
        return set()
    seen: Counter[str] = Counter()
    for lines in pages:
        filled = [ln for ln in lines if ln]
        seen.update(set(filled[:2] + filled[-2:]))
    return {line for line, n in seen.items() if n * 2 >= len(pages) and not _PAGE_NUMBER.match(line)}


def _clean_page(lines: list[str], running: set[str]) -> list[str]:
    filled = [i for i, ln in enumerate(lines) if ln]
    edges = set(filled[:2] + filled[-2:])
    return ["" if ln in running or (i in edges and _PAGE_NUMBER.match(ln)) else ln for i, ln in enumerate(lines)]


def _blocks(page_lines: list[list[str]]) -> list[list[str]]:
    """Blank-line separated blocks; a block cut by a page break mid-sentence is joined again."""
    blocks: list[list[str]] = []
    for p, lines in enumerate(page_lines):
        first_on_page = True
        current: list[str] = []
        for line in lines + [""]:
            if line:
                current.append(line)
                continue
            if not current:
                continue
            if first_on_page and p and blocks and not blocks[-1][-1].endswith(_ENDS_SENTENCE) \
                    and current[0][:1].islower():
                blocks[-1].extend(current)
            else:
                blocks.append(current)
            first_on_page, current = False, []
    return blocks


def _paragraphs(blocks: list[list[str]], rules: SpeakerRules) -> list[str]:
    """Join wrapped lines; a speaker label or a time on its own opens a new paragraph."""
    lines = [ln for block in blocks for ln in block]
    accepted = rules.accepted_labels(lines)
    words_alone = sum(1 for b in blocks if len(b) == 1 and len(b[0].split()) == 1)
    soft = len(blocks) > 10 and words_alone * 10 > len(blocks) * 6     # every word its own block

    lengths = sorted(len(ln) for ln in lines)
    full = lengths[len(lengths) * 9 // 10] if lengths else 0      # a wrapped line fills the width

    def opens(line: str) -> bool:
        m = rules.match(line)
        return (m is not None and m.key in accepted) or bool(_TIME_LINE.match(line))

    paragraphs: list[str] = []
    for block in blocks:
        for i, line in enumerate(block):
            ended = not soft and i and len(block[i - 1]) < full * 0.6           # a short line ends its paragraph
            fresh = (not paragraphs or opens(line) or (i == 0 and not soft) or ended
                     or _TIME_LINE.match(paragraphs[-1]))
            if fresh:
                paragraphs.append(line)
            elif paragraphs[-1].endswith("-") and paragraphs[-1][-2:-1].isalpha() and line[:1].islower():
                paragraphs[-1] += line
            else:
                paragraphs[-1] += " " + line
    return paragraphs


def read_pdf(path: Path, rules: SpeakerRules) -> list[ParsedDocument]:
    limits.check_size(path, "PDF")
    with path.open("rb") as fh:
        if not fh.read(1024).lstrip().startswith(b"%PDF"):
            raise InputError(f"{path}: not a PDF (no %PDF header)")
    raw_pages = _extract_pages(path)
    pages = [[_SPACES.sub(" ", ln).strip() for ln in normalise(page).split("\n")] for page in raw_pages]
    running = _running_lines(pages)
    pages = [_clean_page(lines, running) for lines in pages]
    text = "\n".join(_paragraphs(_blocks(pages), rules))
    if not text.strip():
        raise EmptyDocument(f"{path}: the PDF has no text layer (a scanned image?); run OCR on it first")
    notes = ([f"{path.name}: running header/footer lines left out: {', '.join(sorted(running))[:120]}"]
             if running else [])
    return [ParsedDocument(name=path.stem, text=text, format="pdf", turns=turns_from_lines(text, rules), notes=notes)]
