"""The stored passage index: each participant segment's term counts, kept in the project and refreshed only
where the words changed, so `similar` and `suggest` need not read and count every word again on each run.

A row holds one segment's counts of word unigrams and bigrams, numbered by hashing (`vectors.hashed_counts`),
so no vocabulary is stored and a row never goes stale when other documents arrive; the TF-IDF weighting is
applied at query time over the passages compared (`vectors.Weights`). Nothing is built on import or for any
other command: an assist run first `plan`s a refresh (the documents whose text changed since they were counted
or whose participant segments lack a row or moved), counts in memory only the segments whose words it has not
counted before (an edit re-counts the sentences it changed), and `Refresh.write` stores them in the run's own
transaction, so a failed run leaves the project as it was.

Privacy: the rows derive from transcript words. Deleting or purging a document deletes its rows (foreign key);
`forget_changed` (called by `redact apply`) deletes those of documents whose text changed; `drop` deletes all.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from gtcode.documents import participant_speech
from gtcode.store.db import Store, Txn

ROWS, DOCS = "passage_vectors", "vector_documents"


def method() -> str:
    """What the rows were counted with; rows counted otherwise (another gtcode or scikit-learn) are recounted."""
    from gtcode.assist.vectors import BITS, METHOD, library_version

    return f"{METHOD} hash{BITS} scikit-learn {'.'.join(library_version().split('.')[:2])}"


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


@dataclass
class Refresh:
    """What a run found stale and counted in memory: written with the run (`write`), used before that."""

    method: str
    documents: dict[int, str] = field(default_factory=dict)   # document id → the text hash its rows are from
    rows: dict[int, tuple] = field(default_factory=dict)      # segment id → (doc, start, end, words, terms, counts)
    counted: int = 0          # segments whose words were counted now
    reused: int = 0           # segments of changed documents whose words had been counted before

    def write(self, store: Store) -> None:
        """Store the refreshed documents' rows, replacing theirs; skip a document whose text changed meanwhile."""
        written = set()
        for doc_id, text_hash in self.documents.items():
            if store.scalar("SELECT text_hash FROM documents WHERE id = ?", (doc_id,)) != text_hash:
                continue
            store.conn.execute(f"DELETE FROM {ROWS} WHERE document_id = ?", (doc_id,))
            store.conn.execute(f"INSERT OR REPLACE INTO {DOCS} (document_id, text_hash, method) VALUES (?, ?, ?)",
                               (doc_id, text_hash, self.method))
            written.add(doc_id)
        store.conn.executemany(
            f"INSERT OR REPLACE INTO {ROWS} (segment_id, document_id, seg_start, seg_end, words, terms, counts)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)", [(sid, *row) for sid, row in self.rows.items() if row[0] in written])


def stale_documents(store: Store, how: str) -> list[int]:
    """Documents whose rows are missing or out of date: text or method changed, or a participant segment has no
    row or has moved (re-cut, or a role changed)."""
    return [r[0] for r in store.all(
        f"SELECT d.id FROM documents d LEFT JOIN {DOCS} v ON v.document_id = d.id"
        " WHERE v.text_hash IS NOT d.text_hash OR v.method IS NOT ?"
        " UNION SELECT s.document_id FROM segments s JOIN turns t ON t.id = s.turn_id"
        f" LEFT JOIN {ROWS} p ON p.segment_id = s.id WHERE {participant_speech('t')} AND (p.segment_id IS NULL"
        " OR p.document_id != s.document_id OR p.seg_start != s.start_char OR p.seg_end != s.end_char)"
        " ORDER BY 1", (how,))]


def plan(store: Store) -> Refresh:
    """Count, in memory, the participant segments of stale documents whose words have no stored counts yet."""
    from gtcode.assist.vectors import hashed_counts

    refresh = Refresh(method())
    todo: list[tuple[int, tuple, str]] = []
    for doc_id in stale_documents(store, refresh.method):
        text, text_hash = store.one("SELECT text, text_hash FROM documents WHERE id = ?", (doc_id,))
        refresh.documents[doc_id] = text_hash
        method_ok = store.scalar(f"SELECT method FROM {DOCS} WHERE document_id = ?", (doc_id,)) == refresh.method
        known = {r[0]: (r[1], r[2]) for r in store.all(
            f"SELECT words, terms, counts FROM {ROWS} WHERE document_id = ?", (doc_id,))} if method_ok else {}
        for sid, start, end in store.all(
                f"SELECT s.id, s.start_char, s.end_char FROM segments s JOIN turns t ON t.id = s.turn_id"
                f" WHERE s.document_id = ? AND {participant_speech('t')}", (doc_id,)):
            words = _digest(text[start:end])
            if words in known:
                refresh.rows[sid] = (doc_id, start, end, words, *known[words])
                refresh.reused += 1
            else:
                todo.append((sid, (doc_id, start, end, words), text[start:end]))
    if todo:
        for (sid, where, _), blobs in zip(todo, _blobs(hashed_counts([t for _, _, t in todo]))):
            refresh.rows[sid] = (*where, *blobs)
        refresh.counted = len(todo)
    return refresh


def _blobs(counts) -> list[tuple[bytes, bytes]]:
    """Each row of hashed counts (`Rows` or scipy CSR) as stored: (terms uint32, counts uint16), little-endian."""
    terms = counts.indices.astype("<u4")
    n = counts.data.clip(0, 65535).astype("<u2")
    bounds = counts.indptr.tolist()
    return [(terms[a:b].tobytes(), n[a:b].tobytes()) for a, b in zip(bounds, bounds[1:])]


def _matrix(blobs: list[tuple[bytes, bytes]]):
    """Stored (terms, counts) pairs as `vectors.Rows` of hashed counts (numpy only)."""
    terms, counts = zip(*blobs) if blobs else ((), ())
    return _rows(terms, counts)


def _rows(terms, counts):
    """Rows from the stored blobs, one (terms, counts) pair per row, given as two sequences."""
    import numpy

    from gtcode.assist.vectors import Rows

    lengths = numpy.fromiter(map(len, terms), dtype=numpy.int64, count=len(terms)) // 4
    indptr = numpy.concatenate(([0], numpy.cumsum(lengths)))
    return Rows(indptr, numpy.frombuffer(b"".join(terms), dtype="<u4").astype(numpy.int32),
                numpy.frombuffer(b"".join(counts), dtype="<u2").astype(float))


def segment_counts(store: Store, refresh: Refresh, where=None, *, besides: int | None = None):
    """(segment ids, hashed counts) of the participant segments in scope (`--where`), in document order, leaving
    out the document `besides`. Call after `plan`: every such segment then has a row, stored or in `refresh`."""
    from gtcode.scope import Scope

    scope = Scope.from_where(store, where)
    rows = store.all(
        f"SELECT s.id, p.terms, p.counts FROM segments s JOIN turns t ON t.id = s.turn_id"
        f" JOIN documents d ON d.id = s.document_id LEFT JOIN {ROWS} p ON p.segment_id = s.id"
        f" WHERE ({scope.clause}) AND {participant_speech('t')} AND s.document_id IS NOT ?"
        " ORDER BY s.document_id, s.ordinal", (*scope.params, besides))
    fresh = refresh.rows
    if fresh:
        rows = [(r[0], *fresh[r[0]][4:6]) if r[0] in fresh else r for r in rows]
    ids, terms, counts = zip(*rows) if rows else ((), (), ())
    return list(ids), _rows(terms, counts)


def counts_of(store: Store, refresh: Refresh, passages) -> object:
    """Hashed counts of these passages, in order: stored ones for single segments, counted now for the rest."""
    from gtcode.assist.vectors import hashed_counts

    ids = [p.segment for p in passages if p.segment is not None]
    stored = {r[0]: (r[1], r[2]) for r in store.all(   # rows still on their segment's words
        f"SELECT p.segment_id, p.terms, p.counts FROM {ROWS} p JOIN segments s ON s.id = p.segment_id"
        " AND s.document_id = p.document_id AND s.start_char = p.seg_start AND s.end_char = p.seg_end"
        " WHERE p.segment_id IN (SELECT value FROM json_each(?)) AND p.document_id NOT IN"
        " (SELECT value FROM json_each(?))", (json.dumps(ids), json.dumps(list(refresh.documents))))} if ids else {}
    stored.update({sid: refresh.rows[sid][4:6] for sid in ids if sid in refresh.rows})
    missing = [p.text for p in passages if p.segment not in stored]
    counted = iter(_blobs(hashed_counts(missing)) if missing else ())
    return _matrix([stored[p.segment] if p.segment in stored else next(counted) for p in passages])


def status(store: Store) -> dict:
    """What the index holds: segments, documents, bytes (all derived from transcript words)."""
    row = store.one(f"SELECT count(*), count(DISTINCT document_id),"
                    f" coalesce(sum(length(words) + length(terms) + length(counts)), 0) FROM {ROWS}")
    return {"segments": row[0], "documents": row[1], "bytes": row[2]}


def _secure_delete(store: Store, sql: str, params=()) -> int:
    """Run a DELETE with freed pages zeroed, so no copy of the counts is left in the file's free space."""
    secure = store.scalar("PRAGMA secure_delete")
    store.conn.execute("PRAGMA secure_delete = ON")
    try:
        return store.conn.execute(sql, params).rowcount
    finally:
        store.conn.execute(f"PRAGMA secure_delete = {int(secure)}")


def forget_changed(store: Store) -> int:
    """Delete the rows of documents whose text changed since they were counted (after a redaction: those rows
    derive from the words replaced). Returns the rows deleted."""
    changed = f"(SELECT v.document_id FROM {DOCS} v JOIN documents d ON d.id = v.document_id" \
              " WHERE v.text_hash != d.text_hash)"
    n = _secure_delete(store, f"DELETE FROM {ROWS} WHERE document_id IN {changed}")
    _secure_delete(store, f"DELETE FROM {DOCS} WHERE document_id IN {changed}")
    return n


def drop(store: Store, txn: Txn) -> dict:
    """Delete the whole index (recorded when it held anything); returns what it held."""
    held = status(store)
    if held["segments"] or store.scalar(f"SELECT count(*) FROM {DOCS}"):
        _secure_delete(store, f"DELETE FROM {ROWS}")
        _secure_delete(store, f"DELETE FROM {DOCS}")
        txn.record("ai.index.drop", f"deleted the stored passage index ({held['segments']} segments of "
                   f"{held['documents']} documents)", **held)
    return held
