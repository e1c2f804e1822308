"""Segments: each speaker turn split into sentences with spaCy.

Segments are the unit users address (`D3:17` is segment 17 of document 3).
Paragraph breaks always end a segment; inside a paragraph spaCy decides.
"""

from __future__ import annotations

from dataclasses import dataclass

from gtcode.ingest.base import ParsedDocument, Turn
from gtcode.text import strip_span


@dataclass
class Segment:
    turn_index: int
    start: int
    end: int
    time_start: float | None = None
    time_end: float | None = None


def _paragraphs(text: str, turn: Turn):
    """(offset, text) of each non-blank paragraph of the turn's speech."""
    pos = turn.body_start
    for piece in text[turn.body_start:turn.end].split("\n"):
        if piece.strip():
            yield pos, piece
        pos += len(piece) + 1


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


def segment_documents(docs: list[ParsedDocument], nlp, batch_size: int = 256) -> list[list[Segment]]:
    """Segments for each document, in order; one `nlp.pipe` stream over all of them."""
    from gtcode.ingest.nlp import sentence_pipes

    jobs: list[tuple[int, int, int]] = []   # (doc index, turn index, paragraph offset)
    texts: list[str] = []
    for d, doc in enumerate(docs):
        for t, turn in enumerate(doc.turns):
            for offset, para in _paragraphs(doc.text, turn):
                jobs.append((d, t, offset))
                texts.append(para)
    out: list[list[Segment]] = [[] for _ in docs]
    with nlp.select_pipes(enable=sentence_pipes(nlp)):
        for (d, t, offset), parsed in zip(jobs, nlp.pipe(texts, batch_size=batch_size)):
            doc = docs[d]
            turn = doc.turns[t]
            for sent in parsed.sents:
                start, end = strip_span(doc.text, offset + sent.start_char, offset + sent.end_char)
                if start >= end:
                    continue
                t0, t1 = _times(turn, start, end)
                out[d].append(Segment(t, start, end, t0, t1))
    for d, doc in enumerate(docs):
        first_of_turn = set()
        for seg in out[d]:
            if seg.turn_index not in first_of_turn:
                first_of_turn.add(seg.turn_index)
                turn = doc.turns[seg.turn_index]
                if seg.time_start is None and turn.time_start is not None:
                    seg.time_start = turn.time_start
    return out
