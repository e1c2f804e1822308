"""Coding progress and the codes on each segment: the read-only views a coding screen needs.

A document's *participant segments* are those not spoken by the interviewer;
when a document has speaker labels at all, unlabelled text (a preamble,
a header) is left out too. A segment counts as coded when any confirmed
coding overlaps it (placed with `documents.SegmentIndex`). Everything here is
a few queries per call, so the TUI can refresh after every keystroke; the CLI
may reuse it.
"""

from __future__ import annotations

from dataclasses import dataclass

from gtcode.codes import all_codes
from gtcode.documents import SegmentIndex, participant_speech
from gtcode.store.db import Store

#: Colours for codes that have none of their own (no codebook colour): distinct, readable on dark and light.
PALETTE = ("#e06c75", "#61afef", "#98c379", "#e5c07b", "#c678dd", "#56b6c2", "#d19a66", "#be5046",
           "#7aa6da", "#b9ca4a", "#e78c45", "#70c0b1")


def code_colors(codes) -> dict[int, str]:
    """Each code's colour: its own, else its nearest ancestor's (so a codebook's branches read as one
    family), else a stable one from the palette. `codes` in tree order, parents first."""
    out: dict[int, str] = {}
    for c in codes:
        out[c.id] = c.color or out.get(c.parent_id) or PALETTE[c.id % len(PALETTE)]
    return out


@dataclass(frozen=True)
class SegmentCoding:
    """One coding as it touches one segment (a coding over D3:17-19 touches three)."""

    coding_id: int
    code_id: int
    path: str
    name: str
    color: str
    status: str          # confirmed | pending
    coder: str
    start: int
    end: int
    pattern: str | None = None

    @property
    def pending(self) -> bool:
        return self.status == "pending"


@dataclass(frozen=True)
class Progress:
    document_id: int
    participant: int     # participant segments
    coded: int           # of those, coded (confirmed codings only)

    @property
    def share(self) -> float:
        return self.coded / self.participant if self.participant else 0.0

    @property
    def percent(self) -> int:
        return int(self.share * 100)


def _participant_sql(doc_filter: str) -> str:
    """Participant segments (see module docstring), with their document, ordinal and span."""
    return ("SELECT s.document_id, s.ordinal, s.start_char, s.end_char FROM segments s JOIN turns t ON t.id = s.turn_id"
            f" WHERE {doc_filter} AND {participant_speech()}"
            " ORDER BY s.document_id, s.ordinal")


def document_progress(store: Store, document_id: int | None = None) -> dict[int, Progress]:
    """Per document: participant segments and how many are coded. Every document has an entry."""
    if document_id is None:
        return _every_document(store.conn)
    doc_filter, params = ("s.document_id = ?", (document_id,)) if document_id is not None else ("1", ())
    coding_filter = "document_id = ? AND" if document_id is not None else ""
    index = SegmentIndex(store)
    coded: set[tuple[int, int]] = set()
    for doc, a, b in store.all(f"SELECT document_id, start_char, end_char FROM codings WHERE {coding_filter}"
                               " status = 'confirmed'", params):
        coded.update((doc, o) for o in index.ordinals(doc, a, b))
    counts: dict[int, list[int]] = {}
    for doc, ordinal, _a, _b in store.all(_participant_sql(doc_filter), params):
        slot = counts.setdefault(doc, [0, 0])
        slot[0] += 1
        slot[1] += (doc, ordinal) in coded
    ids = [document_id] if document_id is not None else [r[0] for r in store.all("SELECT id FROM documents")]
    return {d: Progress(d, *counts.get(d, (0, 0))) for d in ids}


def every_document_progress(path, stop=None) -> dict[int, Progress]:
    """`document_progress(store)` read through a read-only connection of its own to the project file at `path`, in
    one read transaction: it can run in a thread (a connection must not cross threads) while the store's serves.
    `stop()` true ends it early (sqlite3.OperationalError), so a program quitting need not wait for the count."""
    import sqlite3
    from pathlib import Path

    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=30, isolation_level=None)
    try:
        if stop is not None:
            conn.set_progress_handler(lambda: bool(stop()), 100_000)
        conn.execute("BEGIN")
        return _every_document(conn)
    finally:
        conn.close()


def _every_document(conn) -> dict[int, Progress]:
    """`document_progress` of the whole project without reading a segment: a document's segments are numbered
    in the order of its turns (the importer writes them so, and nothing renumbers them), so turn k holds the
    `segment_count` ordinals after those of the turns before it; each confirmed coding's first and last segment
    are two index seeks (`touched_segments`). At 10,000 interviews: 18 s by placing codings segment by segment,
    about 1 s this way."""
    import itertools

    from gtcode.documents import touched_segments

    cur = conn.cursor()
    cur.row_factory = None
    coded: dict[int, list[tuple[int, int]]] = {}
    for doc, first, last in cur.execute(
            f"SELECT g.document_id, {touched_segments('g.document_id', 'g.start_char', 'g.end_char')} FROM codings g"
            " WHERE g.status = 'confirmed'"):
        if first is not None and last is not None and first <= last:
            coded.setdefault(doc, []).append((first, last))
    out: dict[int, Progress] = {}
    turns = cur.execute("SELECT document_id, segment_count, role = 'participant' AND kind = 'speech', speaker IS NOT "
                        "NULL FROM turns ORDER BY document_id, ordinal")
    for doc, rows in itertools.groupby(turns, key=lambda r: r[0]):
        rows = list(rows)
        labelled = any(r[3] for r in rows)    # then an unlabelled turn is not the participant's (participant_speech)
        merged = _merged(coded.get(doc, ()))
        i = total = hit = 0
        end = 0                               # the last ordinal of the turns so far
        for _, n, speech, named in rows:
            lo, end = end + 1, end + n
            if not (n and speech and (named or not labelled)):
                continue
            total += n
            while i < len(merged) and merged[i][1] < lo:    # spans ending before this turn: done with
                i += 1
            j = i
            while j < len(merged) and merged[j][0] <= end:  # spans reaching into it (one may go on to the next)
                hit += min(merged[j][1], end) - max(merged[j][0], lo) + 1
                j += 1
        out[doc] = Progress(doc, total, hit)
    return {d: out.get(d, Progress(d, 0, 0)) for (d,) in cur.execute("SELECT id FROM documents")}


def _merged(spans) -> list[list[int]]:
    """Ordinal ranges joined where they overlap or touch, in order."""
    merged: list[list[int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return merged


def participant_ordinals(store: Store, document_id: int) -> list[int]:
    """Ordinals of a document's participant segments, in order."""
    return [r[1] for r in store.all(_participant_sql("s.document_id = ?"), (document_id,))]


def segment_codes(store: Store, document_id: int) -> dict[int, list[SegmentCoding]]:
    """Codings (confirmed and pending, every coder) overlapping each segment of a document, by ordinal.

    Codes come in tree order within a segment, so the margin reads the same way as the code panel.
    """
    codes = all_codes(store)
    order = {c.id: i for i, c in enumerate(codes)}
    by_id = {c.id: c for c in codes}
    colors = code_colors(codes)
    index = SegmentIndex(store)
    out: dict[int, list[SegmentCoding]] = {}
    rows = store.all("SELECT g.id, g.code_id, g.start_char, g.end_char, g.status, g.pattern, k.name AS coder"
                     " FROM codings g JOIN coders k ON k.id = g.coder_id WHERE g.document_id = ?"
                     " ORDER BY g.start_char, g.id", (document_id,))
    for r in rows:
        code = by_id[r["code_id"]]
        item = SegmentCoding(r["id"], code.id, code.path, code.name, colors[code.id], r["status"],
                             r["coder"], r["start_char"], r["end_char"], r["pattern"])
        for ordinal in index.ordinals(document_id, r["start_char"], r["end_char"]):
            out.setdefault(ordinal, []).append(item)
    for items in out.values():
        items.sort(key=lambda s: (order[s.code_id], s.pending, s.coding_id))
    return out


def recent_codes(store: Store, coder: str, limit: int = 50) -> list[int]:
    """Code ids this coder applied most recently first (confirmed codings they made or accepted)."""
    rows = store.all("SELECT g.code_id, max(g.id) AS last FROM codings g JOIN coders k ON k.id = g.coder_id"
                     " WHERE k.name = ? AND g.status = 'confirmed' GROUP BY g.code_id ORDER BY last DESC LIMIT ?",
                     (coder, limit))
    return [r[0] for r in rows]


def most_used_codes(store: Store, limit: int = 9) -> list[int]:
    """Codable codes (not categories) with the most confirmed codings in the project, most first."""
    rows = store.all("SELECT c.id FROM codes c JOIN codings g ON g.code_id = c.id AND g.status = 'confirmed'"
                     " WHERE c.kind = 'code' GROUP BY c.id ORDER BY count(*) DESC, c.name COLLATE NOCASE LIMIT ?",
                     (limit,))
    return [r[0] for r in rows]
