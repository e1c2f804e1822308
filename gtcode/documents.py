"""Documents and segments as users see them: `D3`, `D3:17`, speaker, time, text; renaming and deleting one.

Light: listing or showing documents must not load the importers.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import asdict, dataclass

from gtcode.address import format_ranges
from gtcode.errors import (BadName, DocumentInUse, DuplicateDocument, UnknownDocument, UnknownSegment,
                           did_you_mean)
from gtcode.records import Record
from gtcode.store.db import Store, Txn
from gtcode.text import plural

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
        """Its fields (all plain values) and label: a shallow copy, as `asdict`'s deep one cost 0.5 s for
        10,000 documents in `docs list --json`."""
        return dict(vars(self), label=self.label)


#: DocumentInfo's fields, in its order (list_documents builds it by position).
_DOC_SQL = """
SELECT d.id, d.uuid, d.name, c.name AS "case", d.format, d.word_count AS words,
       d.turn_count AS turns, d.segment_count AS segments,
       d.imported_at, k.name AS imported_by, d.source_path, d.encoding
FROM documents d LEFT JOIN cases c ON c.id = d.case_id JOIN coders k ON k.id = d.imported_by
"""


def list_documents(store: Store, where_clause: str = "1", params=()) -> list[DocumentInfo]:
    """Documents in import order. Read from the index documents_listing, not the rows holding the texts; built
    by position (_DOC_SQL selects DocumentInfo's fields in order): by name cost 0.1 s for 10,000 documents."""
    rows = store.all(_DOC_SQL + f" WHERE {where_clause} ORDER BY d.id", params)
    return [DocumentInfo(*r) for r in rows]


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


def participant_speech(t: str = "t") -> str:
    """SQL condition on the turns alias `t`: a participant's own words. Not an interviewer's or an 'other'
    voice's (captioner, third person), not front matter or quoted material; an unlabelled turn counts only in
    a document where nobody is labelled (one unknown speaker)."""
    return (f"{t}.role = 'participant' AND {t}.kind = 'speech' AND ({t}.speaker IS NOT NULL OR NOT EXISTS "
            f"(SELECT 1 FROM turns u WHERE u.document_id = {t}.document_id AND u.speaker IS NOT NULL))")


def not_pseudonymised(store: Store, doc_ids) -> list[tuple[int, str]]:
    """(id, name) of the documents among `doc_ids` not pseudonymised: neither imported with a key
    (`import --pseudonymise`) nor passed through `redact apply` since."""
    ids = sorted(set(doc_ids))
    return [(r[0], r[1]) for r in store.all(
        f"SELECT id, name FROM documents WHERE id IN ({','.join('?' * len(ids)) or 'NULL'}) AND "
        "coalesce(json_extract(nullif(meta, ''), '$.pseudonymised'), 0) = 0 ORDER BY id", ids)]


def document_meta(store: Store, doc_id: int) -> dict:
    """What import noted about a document (`notes`, `pseudonymised`)."""
    import json

    return json.loads(store.scalar("SELECT meta FROM documents WHERE id = ?", (doc_id,)) or "{}")


def timed_segments(store: Store, doc_id: int) -> list:
    """(start, end, time start, time end) of the document's segments that carry a recording time."""
    return store.all("SELECT start_char, end_char, time_start, time_end FROM segments WHERE document_id = ? AND "
                     "(time_start IS NOT NULL OR time_end IS NOT NULL)", (doc_id,))


def document_text(store: Store, doc_id: int) -> str:
    """The canonical text of a document: every offset in the project points into it."""
    return store.scalar("SELECT text FROM documents WHERE id = ?", (doc_id,))


def index_segments(store: Store, doc_id: int, *, remove: bool = False) -> None:
    """Add a document's segments to the full-text index (or take them out, `remove`), reading its text once
    (linear in its length; see `gtcode.store.fts`)."""
    from gtcode.store.fts import index_document

    index_document(store.conn, doc_id, remove=remove)


def document_turns(store: Store, doc_id: int) -> list[dict]:
    """Speaker turns in order: who speaks, their role, the kind of turn (speech, front matter, quoted), where the
    turn and its speech start, times."""
    return [dict(r) for r in store.all(
        "SELECT ordinal, speaker, role, kind, is_interviewer, start_char, body_start, end_char, time_start, time_end "
        "FROM turns WHERE document_id = ? ORDER BY ordinal", (doc_id,))]


def segments_at(store: Store, address: str) -> list["SegmentView"]:
    """Segments named by an address: `D3:17`, `D3:17-21`, `P01:4,9`."""
    from gtcode.address import parse_address

    addr = parse_address(address)
    return document_segments(store, resolve_document(store, addr.document), ordinals=addr.ordinals)


def span_address(store: Store, doc_id: int, start: int, end: int) -> str:
    """The address of the segments a span touches, `D3:17` or `D3:17-19` (`D3:?` if it touches none)."""
    from gtcode.address import format_ranges

    nums = [r[0] for r in store.all("SELECT ordinal FROM segments WHERE document_id = ? AND start_char < ? AND "
                                    "end_char > ? ORDER BY ordinal", (doc_id, end, start))]
    return f"D{doc_id}:{format_ranges(nums)}" if nums else f"D{doc_id}:?"


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
    role: str = "participant"   # participant | interviewer | other
    kind: str = "speech"        # speech | front (front matter) | quoted (quoted material)

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
           " s.time_start, s.time_end, t.role, t.kind FROM segments s JOIN turns t ON t.id = s.turn_id"
           " WHERE s.document_id = ?")
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
                        text[r["start_char"]:r["end_char"]], r["role"], r["kind"]) for r in rows]


# --- fixing the project's documents -----------------------------------------------------------

def _check_name(name: str) -> str:
    """A document's new name, spaces tidied; BadName if empty, `3`, `D3` or holding ':' (read as numbers and
    addresses)."""
    name = " ".join(name.split())
    if not name:
        raise BadName("a document needs a name")
    if re.fullmatch(r"[Dd]?\d+", name) or ":" in name:
        raise BadName(f"{name!r}: a document's name cannot be a number, D<number> or hold ':' (they read as "
                      "document numbers and addresses)")
    return name


@dataclass
class Renamed(Record):
    """What a rename did: the label (D3 for a document, the old name for a case), the names before and after,
    whether anything changed."""

    label: str
    before: str
    after: str
    changed: bool


def rename_document(store: Store, txn: Txn, doc: DocumentInfo, new_name: str) -> Renamed:
    """Give a document another name (unique, ignoring case); codings, memos and links follow it (they hold its
    id or uuid, not its name). Undoable: the one column is logged for undo."""
    from gtcode.history import captured_update

    name = _check_name(new_name)
    if name == doc.name:
        return Renamed(doc.label, doc.name, name, False)
    clash = store.one("SELECT id, name FROM documents WHERE name = ? AND id <> ?", (name, doc.id))
    if clash:
        raise DuplicateDocument(f"D{clash['id']} is already named {clash['name']!r}; pick another name")
    captured_update(store, txn, "documents", {"name": name}, "id = ?", (doc.id,))
    txn.record("document.rename", f"renamed D{doc.id} {doc.name!r} to {name!r}", doc.uuid,
               document={"id": doc.id, "uuid": doc.uuid}, before=doc.name, after=name)
    return Renamed(doc.label, doc.name, name, True)


def link_media(store: Store, txn: Txn, doc: DocumentInfo, media: str | None) -> str | None:
    """Link the document to its recording (a path, stored as given and never copied; None unlinks).
    Undoable. Returns the path linked before."""
    from gtcode.history import captured_update

    before = store.scalar("SELECT media FROM documents WHERE id = ?", (doc.id,))
    captured_update(store, txn, "documents", {"media": media}, "id = ?", (doc.id,))
    txn.record("document.media", f"{'linked' if media else 'unlinked'} the recording of D{doc.id} {doc.name!r}"
               + (f": {media}" if media else ""), doc.uuid, document={"id": doc.id, "uuid": doc.uuid},
               before=before, after=media)
    return before


def document_media(store: Store, doc_id: int) -> str | None:
    return store.scalar("SELECT media FROM documents WHERE id = ?", (doc_id,))


def document_dependents(store: Store, doc_id: int) -> list:
    """Everything that would go with the document: its anchors (codings, memo links to passages, relation
    evidence, property placements) in text order, then memo links to the whole document."""
    from gtcode.anchors import document_anchors, document_links

    return [*document_anchors(store, doc_id), *document_links(store, doc_id)]


@dataclass
class DeletedDocument(Record):
    """A deleted document and what went with it, counted by kind."""

    label: str
    name: str
    segments: int
    dropped: dict[str, int]


#: How many anchored items a refusal lists (`document_dependents` gives them all).
LISTED = 50


def delete_document(store: Store, txn: Txn, doc: DocumentInfo, force: bool = False,
                    purge: bool = False) -> DeletedDocument:
    """Delete a document with its turns and segments. While anything is anchored to it, refuse with the list;
    with `force`, delete those items too. Undoable: every row is logged for undo, the text included, so the
    text stays in the project's undo history — unless `purge` (a participant withdrew): then no copy of the
    text is kept anywhere in the project, and the deletion cannot be undone."""
    from gtcode.anchors import drop
    from gtcode.history import captured_delete

    items = document_dependents(store, doc.id)
    if items and not force:
        index = SegmentIndex(store)     # each item at its segments' address (D3:17); whole-document links at D3
        listed = "\n".join("  " + a.describe(doc.id, index.address(doc.id, a.start, a.end) if a.end > a.start else None)
                           for a in items[:LISTED])
        if len(items) > LISTED:
            listed += f"\n  … and {len(items) - LISTED} more"
        raise DocumentInUse(f"{doc.label} {doc.name!r} has {plural(len(items), 'item')} anchored to it; nothing was "
                            f"deleted. Add --force to delete them with it (undo brings them back):\n{listed}")
    drop(store, items)
    for table in ("segments", "turns", "documents") if not purge else ():
        captured_delete(store, txn, table, "document_id = ?" if table != "documents" else "id = ?", (doc.id,))
    secure = store.scalar("PRAGMA secure_delete")
    if purge:
        store.conn.execute("PRAGMA secure_delete = ON")   # freed pages are zeroed, not left holding the text
    try:
        if not purge:   # (a purge rebuilds the whole index below)
            index_segments(store, doc.id, remove=True)
        store.conn.execute("DELETE FROM documents WHERE id = ?", (doc.id,))   # turns and segments follow
        if purge:   # the search index keeps deleted words in its own pages until it is rebuilt
            store.conn.execute("INSERT INTO segment_fts(segment_fts) VALUES ('rebuild')")
            # Earlier versions kept for undo (a replace or an edit logs the text it overwrote) go too.
            store.conn.execute("DELETE FROM changes WHERE (tbl = 'documents' AND row_id = ?) OR (tbl = 'turns' "
                               "AND json_extract(coalesce(old, new), '$.document_id') = ?)", (doc.id, doc.id))
    finally:
        store.conn.execute(f"PRAGMA secure_delete = {int(secure)}")
    dropped: dict[str, int] = {}
    for a in items:
        dropped[a.kind] = dropped.get(a.kind, 0) + 1
    with_ = (f" with {plural(len(items), 'anchored item')} ({', '.join(f'{kind} {n}' for kind, n in dropped.items())})"
             if items else "")
    txn.record("document.purge" if purge else "document.delete",
               f"{'purged' if purge else 'deleted'} D{doc.id} {doc.name!r}{with_}", doc.uuid,
               document={"id": doc.id, "uuid": doc.uuid, "name": doc.name, "case": doc.case, "words": doc.words},
               dropped=[{k: v for k, v in a.to_dict().items() if k != "words"} for a in items])
    return DeletedDocument(doc.label, doc.name, doc.segments, dropped)


# --- where spans fall --------------------------------------------------------------------------

@dataclass
class ContextSegment:
    """A segment shown around a passage, so the passage is read where it was said."""

    address: str
    speaker: str | None
    is_interviewer: bool
    text: str


@dataclass(frozen=True)
class TextUnit:
    """A stretch of a document that spans fall in: a segment, a speaker turn or the whole document."""

    document_id: int
    ordinal: int              # segment or turn number; 0 for a whole document
    start: int
    end: int
    first: int | None         # the segments it holds, first and last (None: a document, or a turn without any)
    last: int | None
    speaker: str | None = None
    body_start: int = 0       # where a turn's speech starts, after its speaker label (a segment's: its start)

    @property
    def address(self) -> str:
        """D3 (document), D3:17 (segment), D3:17-21 (a turn's segments)."""
        if self.first is None:
            return f"D{self.document_id}"
        if self.first == self.last:
            return f"D{self.document_id}:{self.first}"
        return f"D{self.document_id}:{self.first}-{self.last}"


UNIT_KINDS = ("segment", "turn", "document")


class SegmentIndex:
    """Segments, turns and text of documents, each read once, to place spans: the address of the segments a
    span touches (`D3:17`, `D3:17-21`, `D3:?` when none), its speaker, the segments around it, and the units
    (segments, turns or the whole document) it falls in."""

    def __init__(self, store: Store):
        self.store = store
        self._texts: dict[int, str] = {}
        self._segments: dict[int, list[tuple]] = {}     # document → (ordinal, start, end, speaker, interviewer)
        self._units: dict[tuple[int, str], tuple[list[TextUnit], list[int], list[int]]] = {}

    def text(self, doc_id: int) -> str:
        if doc_id not in self._texts:
            self._texts[doc_id] = self.store.scalar("SELECT text FROM documents WHERE id = ?", (doc_id,))
        return self._texts[doc_id]

    def _segs(self, doc_id: int) -> list[tuple]:
        if doc_id not in self._segments:
            self._segments[doc_id] = [tuple(r) for r in self.store.all(
                "SELECT s.ordinal, s.start_char, s.end_char, t.speaker, t.is_interviewer FROM segments s "
                "JOIN turns t ON t.id = s.turn_id WHERE s.document_id = ? ORDER BY s.ordinal", (doc_id,))]
        return self._segments[doc_id]

    def units(self, doc_id: int, by: str = "segment") -> list[TextUnit]:
        """A document's units in order: its segments, its speaker turns, or the document itself."""
        return self._load(doc_id, by)[0]

    def _load(self, doc_id: int, by: str):
        key = (doc_id, by)
        if key not in self._units:
            if by == "segment":
                units = [TextUnit(doc_id, o, s, e, o, o, who, s) for o, s, e, who, _ in self._segs(doc_id)]
            elif by == "turn":
                units = [TextUnit(doc_id, *r) for r in self.store.all(
                    "SELECT t.ordinal, t.start_char, t.end_char, min(s.ordinal), max(s.ordinal), t.speaker,"
                    " t.body_start FROM turns t LEFT JOIN segments s ON s.turn_id = t.id WHERE t.document_id = ?"
                    " GROUP BY t.id ORDER BY t.start_char", (doc_id,))]
            elif by == "document":
                end = self.store.scalar("SELECT length(text) FROM documents WHERE id = ?", (doc_id,)) or 0
                units = [TextUnit(doc_id, 0, 0, end, None, None)]
            else:
                raise ValueError(f"unit {by!r}: expected one of {', '.join(UNIT_KINDS)}")
            self._units[key] = (units, [u.start for u in units], [u.end for u in units])
        return self._units[key]

    def units_at(self, doc_id: int, start: int, end: int, by: str = "segment") -> range:
        """Positions in `units(doc_id, by)` of the units [start, end) overlaps; a document holds every span."""
        units, starts, ends = self._load(doc_id, by)
        if by == "document":
            return range(len(units))
        i = bisect.bisect_right(ends, start)              # the first unit ending after the span starts
        return range(i, bisect.bisect_left(starts, end, lo=i))   # up to the first starting at or after its end

    def ordinals(self, doc_id: int, start: int, end: int) -> list[int]:
        """Numbers of the segments [start, end) overlaps, in order."""
        segs = self._segs(doc_id)
        return [segs[k][0] for k in self.units_at(doc_id, start, end)]

    def address(self, doc_id: int, start: int, end: int) -> str:
        """`D3:17`, `D3:17-21`, or `D3:?` for a span that touches no segment."""
        return f"D{doc_id}:{format_ranges(self.ordinals(doc_id, start, end)) or '?'}"

    def speaker(self, doc_id: int, start: int, end: int) -> tuple[str | None, bool]:
        """(speaker, is the interviewer) of the first segment the span touches; (None, False) if none."""
        found = self.units_at(doc_id, start, end)
        if not found:
            return None, False
        seg = self._segs(doc_id)[found[0]]
        return seg[3], bool(seg[4])

    def context(self, doc_id: int, start: int, end: int, n: int) -> tuple[list[ContextSegment], list[ContextSegment]]:
        """Up to `n` segments before and after the ones the span touches."""
        if n <= 0:
            return [], []
        found = self.units_at(doc_id, start, end)
        segs, text = self._segs(doc_id), self.text(doc_id)

        def make(s):
            return ContextSegment(f"D{doc_id}:{s[0]}", s[3], bool(s[4]), text[s[1]:s[2]])

        i, j = found.start, found.stop
        return [make(s) for s in segs[max(0, i - n):i]], [make(s) for s in segs[j:j + n]]


def touched_segments(doc: str, start: str, end: str, first: str = "ordinal", last: str = "ordinal") -> str:
    """SQL for two columns: the ordinal (or another column) of the first and of the last segment a span touches,
    where `doc`, `start` and `end` name the span's columns. Each is one seek in an index (m010), so placing a
    project's codings in segments reads none of the segments they miss. A span that touches none gives NULL or
    first > last."""
    return (f"(SELECT s.{first} FROM segments s WHERE s.document_id = {doc} AND s.end_char > {start} "
            "ORDER BY s.end_char LIMIT 1), "
            f"(SELECT s.{last} FROM segments s WHERE s.document_id = {doc} AND s.start_char < {end} "
            "ORDER BY s.start_char DESC LIMIT 1)")


def unit_bounds(store: Store, doc_ids: list[int], by: str = "segment"):
    """(document id, starts, ends, where each unit's speech starts) of these documents' units, in the order of
    `SegmentIndex.units`, one document at a time from one query: what placing spans in units needs, without
    a TextUnit per unit (a large project has millions). Documents without units are left out."""
    import itertools
    import json
    import operator

    sql = {"segment": "SELECT document_id, start_char, end_char, start_char FROM segments WHERE document_id IN "
                      "(SELECT value FROM json_each(?)) ORDER BY document_id, ordinal",
           "turn": "SELECT document_id, start_char, end_char, body_start FROM turns WHERE document_id IN "
                   "(SELECT value FROM json_each(?)) ORDER BY document_id, start_char, id",
           "document": "SELECT id, 0, coalesce(length(text), 0), 0 FROM documents WHERE id IN "
                       "(SELECT value FROM json_each(?)) ORDER BY id"}.get(by)
    if sql is None:
        raise ValueError(f"unit {by!r}: expected one of {', '.join(UNIT_KINDS)}")
    rows = store.conn.cursor()
    rows.row_factory = None                   # plain tuples: a million rows build faster
    rows.execute(sql, (json.dumps(sorted(doc_ids)),))
    for doc_id, group in itertools.groupby(rows, key=operator.itemgetter(0)):
        _, starts, ends, bodies = zip(*group)
        yield doc_id, list(starts), list(ends), list(bodies)
