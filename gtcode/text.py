"""The canonical text of a document and the offset invariant.

A document's text is stored once, normalised: BOM dropped, every newline
(`\\r\\n`, `\\r`, U+2028, U+2029, U+0085) turned into `\\n`, Unicode NFC.
Every position anywhere in gtcode — turns, segments, codings, search hits,
REFI-QDA export — is a character (code point) offset into that text,
half-open: `text[start:end]` is exactly the span. Python `str` indexing and
SQLite `substr()` on TEXT both count code points, so the two agree.

Also the two wording helpers every message uses: `plural` ("1 document",
"2 passages") and `clip` (a quote cut to a width, ending in "…").
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NEWLINES = re.compile("\r\n|\r|\u2028|\u2029|\u0085")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)


def normalise(text: str) -> str:
    """Return the canonical form of `text` (see the module docstring)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = _NEWLINES.sub("\n", text)
    # NUL bytes are never part of a transcript and break some terminals.
    text = text.replace("\x00", "")
    return unicodedata.normalize("NFC", text)


def content_hash(text: str) -> str:
    """SHA-256 of the canonical text: how re-imports and merges recognise a transcript."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def count_words(text: str) -> int:
    return _WORD.subn("", text)[1]          # counted in C, in memory no larger than the text


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) so it neither starts nor ends with whitespace."""
    span = text[start:end]
    inner = span.strip()
    if not inner:
        return end, end
    start += len(span) - len(span.lstrip())
    return start, start + len(inner)


def plural(n: int, word: str, words: str | None = None) -> str:
    """`1 code`, `1,204 codes`, `2 categories` (with `words` for an irregular plural)."""
    return f"{n:,} {word if n == 1 else words or word + 's'}"


def clip(text: str, width: int = 70) -> str:
    """`text` on one line, cut to `width` characters at most, ending in "…" when it was cut."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[:width - 1].rstrip() + "…"
