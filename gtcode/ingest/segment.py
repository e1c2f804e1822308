"""Segments: each speaker turn split into sentences with spaCy.

Segments are the unit users address (`D3:17` is segment 17 of document 3).
Paragraph breaks always end a segment; inside a paragraph spaCy decides,
except that a bracketed event (`(laughter)`, `[inaudible 00:06:18]`) is never
cut in two: it stays with the sentence it follows. A paragraph longer than
`CHUNK` characters (a transcript with no line breaks) is cut at whitespace,
preferably after a sentence's end, into pieces spaCy handles in bounded
memory, well under its `max_length`; offsets stay exact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gtcode.ingest.base import ParsedDocument, Turn
from gtcode.text import strip_span


#: Longest piece of text given to spaCy at once (its own limit, `nlp.max_length`, is 1,000,000).
CHUNK = 100_000
#: A bracketed event in a transcript: `(laughter)`, `[crosstalk]`, `[inaudible 00:06:18]`.
_EVENT = re.compile(r"\([^()\n]{1,200}\)|\[[^\[\]\n]{1,200}\]")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+")
_SPACE = re.compile(r"\s+")


@dataclass(slots=True)
class Segment:
    turn_index: int
    start: int
    end: int
    time_start: float | None = None
    time_end: float | None = None


def _paragraphs(text: str, turn: Turn):
    """(offset, text) of each non-blank paragraph of the turn's speech, a long one in pieces of at most `CHUNK`."""
    chunk = CHUNK
    pos = turn.body_start
    for piece in text[turn.body_start:turn.end].split("\n"):
        if piece.strip():
            yield from _pieces(pos, piece, chunk)
        pos += len(piece) + 1


def _pieces(offset: int, text: str, chunk: int):
    """`text` cut into pieces of at most `chunk` characters: after the last sentence end in the second half of a
    window, else at its last whitespace there, else (a run with no space at all) at the window's end."""
    start = 0
    while len(text) - start > chunk:
        window = text[start:start + chunk]
        half = chunk // 2
        cut = None
        for pattern in (_SENTENCE_END, _SPACE):
            ends = [m.end() for m in pattern.finditer(window, half)]
            if ends and ends[-1] < len(window):
                cut = ends[-1]
                break
        cut = cut or chunk
        yield offset + start, text[start:start + cut]
        start += cut
    if text[start:].strip():
        yield offset + start, text[start:]


def _bounds(piece: str, starts: list[int]) -> list[int]:
    """Sentence starts (and the end) within `piece`, moved so that no bracketed event is cut in two: a start
    inside `(laughter)` moves to just after it, so the event stays with the sentence before."""
    events = [(m.start(), m.end()) for m in _EVENT.finditer(piece)] if "(" in piece or "[" in piece else []
    out: list[int] = []
    for b in [*starts, len(piece)]:
        for s, e in events:
            if s < b < e:
                b = e
                break
        if not out or b > out[-1]:
            out.append(b)
        elif b == len(piece):
            out[-1] = b
    return out


def _times(turn: Turn, start: int, end: int) -> tuple[float | None, float | None]:
    if not turn.anchors:
        return None, None
    t0 = t1 = None
    for offset, a0, a1 in turn.anchors:
        if offset <= start:
            t0 = a0
        if offset < end:
            t1 = a1
    return t0, t1


def _batches(docs: list[ParsedDocument]):
    """Paragraphs joined into texts of up to `CHUNK` characters (blank lines between), each with its pieces:
    (start in the joined text, doc index, turn index, offset in the document, length). spaCy then reads a few
    large texts rather than thousands of tiny ones (one per paragraph), which is most of its cost."""
    parts: list[str] = []
    pieces: list[tuple[int, int, int, int, int]] = []
    size = 0
    for d, doc in enumerate(docs):
        for t, turn in enumerate(doc.turns):
            for offset, para in _paragraphs(doc.text, turn):
                if parts and size + 2 + len(para) > CHUNK:
                    yield "\n\n".join(parts), pieces
                    parts, pieces, size = [], [], 0
                start = size + 2 if parts else 0
                parts.append(para)
                pieces.append((start, d, t, offset, len(para)))
                size = start + len(para)
    if parts:
        yield "\n\n".join(parts), pieces


def segment_documents(docs: list[ParsedDocument], nlp, batch_size: int = 64) -> list[list[Segment]]:
    """Segments for each document, in order; one spaCy stream over all of them. Sentence starts come from
    spaCy over joined paragraphs (`nlp.sentence_starts`); every paragraph boundary is a segment boundary too."""
    import bisect

    from gtcode.ingest.nlp import sentence_starts

    out: list[list[Segment]] = [[] for _ in docs]
    batches = list(_batches(docs))
    for (joined, pieces), starts in zip(batches, sentence_starts(nlp, (b[0] for b in batches), batch_size)):
        for start, d, t, offset, length in pieces:
            doc, end = docs[d], start + length
            inside = starts[bisect.bisect_right(starts, start):bisect.bisect_left(starts, end)]
            bounds = _bounds(joined[start:end], [0, *(s - start for s in inside)])
            turn = doc.turns[t]
            for a, b in zip(bounds, bounds[1:]):
                seg_start, seg_end = strip_span(doc.text, offset + a, offset + b)
                if seg_start >= seg_end:
                    continue
                t0, t1 = _times(turn, seg_start, seg_end)
                out[d].append(Segment(t, seg_start, seg_end, t0, t1))
    for d, doc in enumerate(docs):
        first_of_turn = set()
        for seg in out[d]:
            if seg.turn_index not in first_of_turn:
                first_of_turn.add(seg.turn_index)
                turn = doc.turns[seg.turn_index]
                if seg.time_start is None and turn.time_start is not None:
                    seg.time_start = turn.time_start
    return out


def segment_each(docs: list[ParsedDocument], nlp) -> list[list[Segment] | Exception]:
    """Like `segment_documents`, but a document that cannot be segmented gets its exception in its place, so the
    rest of a batch still lands (all in one stream; one by one only after a failure)."""
    try:
        return list(segment_documents(docs, nlp))
    except Exception:
        pass
    out: list[list[Segment] | Exception] = []
    for doc in docs:
        try:
            out.append(segment_documents([doc], nlp)[0])
        except Exception as exc:
            out.append(exc)
    return out
