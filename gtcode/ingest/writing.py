"""Writing one parsed, segmented document into the store: new, replacing one of the same name, or an edit.

Anchors (codings, memo links, evidence, placements) are carried onto their words by `gtcode.anchors`; the rows
a write changes are logged for undo by hand (documents, turns and segments have no capture triggers), keeping
only what undo needs: a new document's identity, a replaced document's old text, turns and segments.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from gtcode import anchors
from gtcode.documents import index_segments
from gtcode.errors import WouldBreakAnchors
from gtcode.history import captured_delete, captured_insert, captured_rewrite
from gtcode.ingest import ParsedDocument
from gtcode.store.db import Store, Txn, new_uuid, new_uuids, now
from gtcode.text import content_hash, count_words


@dataclass
class ImportOutcome:
    source: str
    status: str                 # imported | replaced | skipped | failed
    message: str
    document: str | None = None  # name
    document_id: int | None = None
    words: int = 0
    turns: int = 0
    segments: int = 0
    layout: str | None = None    # the producer layout the file was read in ("Otter.ai text")



#: What undo checks on a document row written here: no later command renamed, redacted or replaced it.
_CHECKED = ("uuid", "name", "text_hash")


def _before(store: Store, doc_id: int) -> dict:
    """What the event says a replace overwrote (the old text itself is kept for undo in `changes`, where
    redaction can reach it, never in the append-only log)."""
    row = store.one("SELECT text_hash, word_count, format, source_path FROM documents WHERE id = ?", (doc_id,))
    return dict(row) | {"turns": store.scalar("SELECT count(*) FROM turns WHERE document_id = ?", (doc_id,)),
                        "segments": store.scalar("SELECT count(*) FROM segments WHERE document_id = ?", (doc_id,))}


def write_document(store: Store, txn: Txn, path: Path, doc: ParsedDocument, segs, case_id,
                   settings, uuid: str | None = None, *, action: str | None = None,
                   summary: str | None = None) -> ImportOutcome:
    """Store one parsed, segmented document (new, or replacing one of the same name) with its turns and segments.

    `settings.force`: drop anchors whose words a replace changes (else refuse). `uuid`: the identity a new
    document takes (an exchange file's GUID); a fresh one otherwise. `action`/`summary`: the event, when this
    is not an import (an edit).
    """
    conn = store.conn
    digest = content_hash(doc.text)
    words = count_words(doc.text)
    meta = {"notes": doc.notes} if doc.notes else {}
    if getattr(settings, "pseudonymiser", None) is not None or getattr(settings, "pseudonymised", False):
        meta["pseudonymised"] = True    # names replaced from a key and identifiers tagged before storing
    meta = json.dumps(meta, ensure_ascii=False)
    per_turn = Counter(s.turn_index for s in segs)   # stored on each turn: `gtcode stats` sums them by speaker
    old = store.one("SELECT id, uuid FROM documents WHERE name = ?", (doc.name,))
    before = None
    if old is not None:
        old_text = store.scalar("SELECT text FROM documents WHERE id = ?", (old["id"],))
        carried = anchors.plan(store, old["id"], old_text, doc.text)
        if carried.broken and not settings.force:
            raise WouldBreakAnchors(f"{path}: " + carried.refusal(f"replacing {doc.name!r}"))
        before = _before(store, old["id"])
        dropped = anchors.carry(store, carried, drop_broken=settings.force)
        doc_id, doc_uuid = old["id"], old["uuid"]
        index_segments(store, doc_id, remove=True)
        for table in ("segments", "turns"):
            captured_delete(store, txn, table, "document_id = ?", (doc_id,))
            conn.execute(f"DELETE FROM {table} WHERE document_id = ?", (doc_id,))
        captured_rewrite(
            store, txn, "documents", doc_id,
            "UPDATE documents SET case_id = coalesce(?, case_id), text = ?, text_hash = ?, format = ?, source_path = ?,"
            " encoding = ?, word_count = ?, turn_count = ?, segment_count = ?, imported_at = ?, imported_by = ?,"
            " meta = ? WHERE id = ?",
            (case_id, doc.text, digest, doc.format, str(path), doc.encoding, words, len(doc.turns), len(segs), now(),
             txn.coder_id, meta, doc_id),
            check=_CHECKED)
    else:
        doc_uuid = uuid or new_uuid()
        doc_id = conn.execute(
            "INSERT INTO documents (uuid, name, case_id, text, text_hash, format, source_path, encoding, word_count,"
            " turn_count, segment_count, imported_at, imported_by, meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            " ?, ?)",
            (doc_uuid, doc.name, case_id, doc.text, digest, doc.format, str(path), doc.encoding, words, len(doc.turns),
             len(segs), now(), txn.coder_id, meta)).lastrowid
        captured_insert(store, txn, "documents", list(_CHECKED), "id = ?", (doc_id,))  # undo deletes it, cascading

    conn.executemany(
        "INSERT INTO turns (uuid, document_id, ordinal, speaker, is_interviewer, role, kind, start_char,"
        " body_start, end_char, time_start, time_end, segment_count)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(key, doc_id, n, t.speaker, int(t.speaker_role == "interviewer"), t.speaker_role, t.kind,
          t.start, t.body_start, t.end, t.time_start, t.time_end, per_turn[n - 1])
         for (n, t), key in zip(enumerate(doc.turns, start=1), new_uuids(len(doc.turns)))])
    # Their ids, in order, from the (document, ordinal) key: one statement, not one a turn with its id back.
    turn_ids = [r[0] for r in conn.execute("SELECT id FROM turns WHERE document_id = ? ORDER BY ordinal",
                                           (doc_id,))]
    conn.executemany(
        "INSERT INTO segments (uuid, document_id, turn_id, ordinal, start_char, end_char, time_start, time_end)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(key, doc_id, turn_ids[s.turn_index], n, s.start, s.end, s.time_start, s.time_end)
         for (n, s), key in zip(enumerate(segs, start=1), new_uuids(len(segs)))])
    if before is not None:   # a new document's turns and segments go with it on undo; these replace others
        for table in ("turns", "segments"):
            captured_insert(store, txn, table, ["uuid"], "document_id = ?", (doc_id,))
    index_segments(store, doc_id)
    status = "replaced" if before else "imported"
    summary = summary or (f"{status} {path.name} as D{doc_id} {doc.name!r}: {words} words, "
                          f"{len(doc.turns)} turns, {len(segs)} segments")
    data = {"document": {"id": doc_id, "uuid": doc_uuid, "name": doc.name, "text_hash": digest,
                         "source": str(path), "format": doc.format}}
    if before:
        data["before"] = before
        data["anchors_moved"], data["dropped"] = carried.moved, dropped
    txn.record(action or f"document.{'replace' if before else 'import'}", summary, doc_uuid, **data)
    return ImportOutcome(str(path), status, summary, doc.name, doc_id, words, len(doc.turns), len(segs))
