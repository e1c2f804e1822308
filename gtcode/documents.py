"""Documents and segments as users see them: `D3`, `D3:17`, speaker, time, text.

Read-only and light: listing or showing documents must not load the importers.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from gtcode.errors import UnknownDocument, UnknownSegment, did_you_mean
from gtcode.store.db import Store

@dataclass
class DocumentInfo:
    id: int
    uuid: str
    name: str
    case: str | None
    format: str
    words: int
    turns: int
    segments: int
    imported_at: str
    imported_by: str
    source_path: str | None
    encoding: str | None

    @property
    def label(self) -> str:
        return f"D{self.id}"

    def to_dict(self) -> dict:
        return asdict(self) | {"label": self.label}


_DOC_SQL = """
SELECT d.id, d.uuid, d.name, c.name AS "case", d.format, d.word_count AS words,
       (SELECT count(*) FROM turns t WHERE t.document_id = d.id) AS turns,
       (SELECT count(*) FROM segments s WHERE s.document_id = d.id) AS segments,
       d.imported_at, k.name AS imported_by, d.source_path, d.encoding
FROM documents d LEFT JOIN cases c ON c.id = d.case_id JOIN coders k ON k.id = d.imported_by
"""


def list_documents(store: Store, where_clause: str = "1", params=()) -> list[DocumentInfo]:
    rows = store.all(_DOC_SQL + f" WHERE {where_clause} ORDER BY d.id", params)
    return [DocumentInfo(**dict(r)) for r in rows]


def resolve_document(store: Store, ref: str | int) -> DocumentInfo:
    """A document by `D3`, `3` or name (case-insensitive)."""
    text = str(ref).strip()
    row = None
    if text[:1] in "Dd" and text[1:].isdigit():
        row = store.one(_DOC_SQL + " WHERE d.id = ?", (int(text[1:]),))
    if row is None and text.isdigit():
        row = store.one(_DOC_SQL + " WHERE d.id = ?", (int(text),))
    if row is None:
        row = store.one(_DOC_SQL + " WHERE d.name = ?", (text,))
    if row is None:
        names = [r[0] for r in store.all("SELECT name FROM documents")]
        raise UnknownDocument(f"no document {text!r}{did_you_mean(text, names)}")
    return DocumentInfo(**dict(row))



@dataclass
class SegmentView:
    """One segment as users see it: address, speaker, time, text."""

    document_id: int
    document: str
    ordinal: int
    uuid: str
    turn: int
    speaker: str | None
    is_interviewer: bool
    start: int
    end: int
    time_start: float | None
    time_end: float | None
    text: str

    @property
    def address(self) -> str:
        return f"D{self.document_id}:{self.ordinal}"

    def to_dict(self) -> dict:
        return {"address": self.address} | asdict(self)


def document_segments(store: Store, doc: DocumentInfo, ordinals: tuple[int, ...] | None = None,
                      first: int | None = None, last: int | None = None) -> list[SegmentView]:
    """Segments of one document, all or chosen ones; text sliced from the canonical text."""
    text = store.scalar("SELECT text FROM documents WHERE id = ?", (doc.id,))
    sql = ("SELECT s.ordinal, s.uuid, t.ordinal AS turn, t.speaker, t.is_interviewer, s.start_char, s.end_char,"
           " s.time_start, s.time_end FROM segments s JOIN turns t ON t.id = s.turn_id WHERE s.document_id = ?")
    params: list = [doc.id]
    if first is not None:
        sql += " AND s.ordinal >= ?"
        params.append(first)
    if last is not None:
        sql += " AND s.ordinal <= ?"
        params.append(last)
    rows = store.all(sql + " ORDER BY s.ordinal", params)
    if ordinals is not None:
        wanted = set(ordinals)
        rows = [r for r in rows if r["ordinal"] in wanted]
        missing = wanted - {r["ordinal"] for r in rows}
        if missing:
            total = doc.segments
            from gtcode.address import format_ranges

            raise UnknownSegment(f"D{doc.id} {doc.name!r} has segments 1-{total}; no segment {format_ranges(missing)}")
    return [SegmentView(doc.id, doc.name, r["ordinal"], r["uuid"], r["turn"], r["speaker"], bool(r["is_interviewer"]),
                        r["start_char"], r["end_char"], r["time_start"], r["time_end"],
                        text[r["start_char"]:r["end_char"]]) for r in rows]
