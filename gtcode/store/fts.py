"""The full-text index of segments (`segment_fts`, FTS5 with external content): adding and removing entries.

FTS5 needs a segment's exact text to take it out again. Slicing it in SQL (`substr(d.text, …)`) loads the
document's whole text for every segment — quadratic on one long transcript — so the text is read once per
document here and sliced in Python.
"""

from __future__ import annotations

import sqlite3


def index_document(conn: sqlite3.Connection, doc_id: int, *, remove: bool = False) -> None:
    """Add a document's segments to the index (or take them out, `remove`)."""
    _index(conn, conn.execute("SELECT id, document_id, start_char, end_char FROM segments WHERE document_id = ?",
                              (doc_id,)).fetchall(), remove)


def index_segment_ids(conn: sqlite3.Connection, ids: list[int], *, remove: bool = False) -> None:
    """Add these segments to the index (or take them out), each document's text read once."""
    if not ids:
        return
    import json

    rows = conn.execute("SELECT id, document_id, start_char, end_char FROM segments WHERE id IN "
                        "(SELECT value FROM json_each(?)) ORDER BY document_id", (json.dumps(list(ids)),)).fetchall()
    _index(conn, rows, remove)


def _index(conn: sqlite3.Connection, rows, remove: bool) -> None:
    from itertools import groupby

    sql = ("INSERT INTO segment_fts(segment_fts, rowid, text) VALUES ('delete', ?, ?)" if remove
           else "INSERT INTO segment_fts(rowid, text) VALUES (?, ?)")
    for doc_id, segments in groupby(rows, key=lambda r: r[1]):     # one document's segments at a time
        text = conn.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]
        conn.executemany(sql, ((seg_id, text[start:end]) for seg_id, _, start, end in segments))
