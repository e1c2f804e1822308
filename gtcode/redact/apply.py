"""What is stored: `check` finds the key's names and the detectors' identifiers anywhere in the project,
`apply` pseudonymises them in place, moving every passage onto the same words and keeping the real text out of
the undo log; `compact` then wipes the old pages from the file.
"""

from __future__ import annotations

import json
import sqlite3
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from gtcode.errors import InputError
from gtcode.redact.detect import KINDS
from gtcode.redact.key import Finding, OffsetMap, Pseudonymiser, fold_name
from gtcode.store.db import Store, Txn
from gtcode.text import content_hash, count_words, plural
from gtcode.records import Record

COMPACT_WAIT_S = 5.0    # how long compaction waits for other readers of the project

#: Researcher-written text that may hold names: (table, columns, how a person finds the row).
FREE_TEXT = (
    ("codes", ("name", "description", "include", "exclude", "example"), "'code ' || quote(name)"),
    ("memo_versions", ("title", "body"), "'memo #' || memo_id || ' version ' || version"),
    ("memo_comments", ("body",), "'comment #' || id || ' on memo #' || memo_id"),
    ("memo_signoffs", ("note",), "'sign-off #' || id || ' of memo #' || memo_id"),
    ("category_properties", ("name", "low", "high", "description"), "'category property ' || quote(name)"),
    ("property_evidence", ("value",), "'property evidence #' || id"),
    ("relations", ("note",), "'relation #' || id"),
    ("cases", ("name",), "'case ' || name"),
    ("case_attributes", ("value",), "'case ' || (SELECT name FROM cases WHERE id = case_id) || ' attribute ' || "
                                    "(SELECT name FROM attributes WHERE id = attribute_id)"),
)


@dataclass
class Hit(Record):
    """Something `redact check` found: where, what kind, the words and a little context."""

    place: str
    kind: str
    text: str
    context: str = ""
    fixable: bool = True    # False: in the append-only audit log
    event: int | None = None



def _tables(store: Store) -> dict[str, set[str]]:
    names = [r[0] for r in store.all("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {t: {r[1] for r in store.all(f'PRAGMA table_info("{t}")')} for t in names}


def _free_text(store: Store):
    tables = _tables(store)
    for table, columns, label in FREE_TEXT:
        cols = [c for c in columns if c in tables.get(table, ())]
        if cols:
            yield table, cols, label


def _context(text: str, f: Finding, width: int = 30) -> str:
    """The words around a finding, on its own line, with the finding in [brackets]."""
    left = text[max(0, f.start - width):f.start].rpartition("\n")[2]
    right = text[f.end:f.end + width].partition("\n")[0]
    return " ".join(f"{left}[{text[f.start:f.end]}]{right}".split())


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def check(store: Store, pseudonymiser: Pseudonymiser | None = None) -> list[Hit]:
    """Everything stored that the key's names or the detectors still find: documents, memos, codes, cases, the log."""
    pz = pseudonymiser or Pseudonymiser()
    return [*_check_documents(store, pz), *_check_free_text(store, pz), *_check_deleted(store, pz),
            *_check_events(store, pz)]


def _check_documents(store: Store, pz: Pseudonymiser) -> list[Hit]:
    hits: list[Hit] = []
    for doc in store.all("SELECT id, name, text, source_path FROM documents ORDER BY id"):
        label = f"D{doc['id']}"
        for what in ("name", "source_path"):
            for f in pz.find(doc[what] or ""):
                hits.append(Hit(f"{label} {what.replace('_', ' ')}", KINDS[f.kind], f.text, doc[what]))
        findings = pz.find(doc["text"])
        if not findings:
            continue
        segs = store.all("SELECT ordinal, start_char, end_char FROM segments WHERE document_id = ? "
                         "ORDER BY start_char", (doc["id"],))
        turns = store.all("SELECT ordinal, start_char, body_start FROM turns WHERE document_id = ? "
                          "ORDER BY start_char", (doc["id"],))
        seg_starts = [s["start_char"] for s in segs]
        turn_starts = [t["start_char"] for t in turns]
        for f in findings:
            place = label
            i = bisect_right(seg_starts, f.start) - 1
            t = bisect_right(turn_starts, f.start) - 1
            if i >= 0 and f.start < segs[i]["end_char"]:
                place = f"{label}:{segs[i]['ordinal']}"
            elif t >= 0 and f.start < turns[t]["body_start"]:
                place = f"{label} turn {turns[t]['ordinal']} speaker"
            hits.append(Hit(place, KINDS[f.kind], f.text, _context(doc["text"], f)))
    return hits


def _check_free_text(store: Store, pz: Pseudonymiser) -> list[Hit]:
    hits: list[Hit] = []
    for table, cols, label in _free_text(store):
        for row in store.all(f"SELECT {label} AS label, {', '.join(cols)} FROM {table} ORDER BY rowid"):
            for col in cols:
                value = row[col]
                for f in pz.find(value) if isinstance(value, str) else ():
                    hits.append(Hit(f"{row['label']} {col}", KINDS[f.kind], f.text, _context(value, f)))
    return hits


#: what a deleted document leaves in the undo history (`docs delete` logs its rows so undo can restore them)
_DELETED_TEXT = {"documents": ("name", "text", "source_path"), "turns": ("speaker",)}


def _deleted_rows(store: Store):
    marks = ",".join("?" * len(_DELETED_TEXT))
    return store.all(f"SELECT id, tbl, old FROM changes WHERE tbl IN ({marks}) AND old IS NOT NULL",
                     tuple(_DELETED_TEXT))


def _check_deleted(store: Store, pz: Pseudonymiser) -> list[Hit]:
    """Deleted documents kept for undo: their text is in the project file too."""
    hits: list[Hit] = []
    for r in _deleted_rows(store):
        row = json.loads(r["old"])
        for col in _DELETED_TEXT[r["tbl"]]:
            value = row.get(col)
            for f in pz.find(value) if isinstance(value, str) else ():
                doc = row["id"] if r["tbl"] == "documents" else row.get("document_id")
                hits.append(Hit(f"deleted D{doc} (kept for undo) {col}",
                                KINDS[f.kind], f.text, _context(value, f)))
    return hits


def _scrub_deleted(store: Store, pz: Pseudonymiser, maps: dict) -> None:
    """Pseudonymise deleted documents kept for undo, as if they were still here: their text, name and speakers,
    with an OffsetMap each (added to `maps`), so undo would bring back the pseudonymised document whole."""
    rows = _deleted_rows(store)
    live = {r[0] for r in store.all("SELECT id FROM documents")}
    for r in (r for r in rows if r["tbl"] == "documents"):
        row = json.loads(r["old"])
        red = pz.apply(row.get("text") or "")
        if red.changed:
            if row["id"] not in live:   # its number taken by a later import: that undo is refused anyway
                maps[row["id"]] = red.offsets
            row["text"], row["text_hash"] = red.text, content_hash(red.text)
            row["word_count"] = count_words(red.text)
        row["name"], row["source_path"] = pz.replace(row.get("name")), pz.replace(row.get("source_path"))
        store.conn.execute("UPDATE changes SET old = ? WHERE id = ?", (json.dumps(row), r["id"]))
    for r in (r for r in rows if r["tbl"] == "turns"):
        row = json.loads(r["old"])
        row["speaker"] = pz.replace(row.get("speaker"))
        m = maps.get(row.get("document_id"))
        if m is not None and row.get("body_start") is not None:
            row["body_start"] = m.start(row["body_start"])
        store.conn.execute("UPDATE changes SET old = ? WHERE id = ?", (json.dumps(row), r["id"]))


def _check_events(store: Store, pz: Pseudonymiser) -> list[Hit]:
    """The audit log is append-only: what is found here can only be reported."""
    hits: list[Hit] = []
    for event in store.all("SELECT id, action, command, summary, data FROM events ORDER BY id"):
        seen = set()   # the same words in the summary and the data are one finding
        for value in (event["summary"], event["command"], *_strings(json.loads(event["data"] or "{}"))):
            for f in pz.find(value or ""):
                if (f.kind, fold_name(f.text)) not in seen:
                    seen.add((f.kind, fold_name(f.text)))
                    hits.append(Hit(f"audit event #{event['id']} ({event['action']})", KINDS[f.kind], f.text,
                                    _context(value, f), fixable=False, event=event["id"]))
    return hits


@contextmanager
def _uncaptured(store: Store, txn: Txn) -> Iterator[None]:
    """Row changes made here are not logged for undo: those logs would keep the real text (see m002)."""
    store.conn.execute("UPDATE txn_state SET txn = NULL WHERE id = 1")
    try:
        yield
    finally:
        store.conn.execute("UPDATE txn_state SET txn = ? WHERE id = 1", (txn.id,))


def _offset_tables(store: Store) -> list[str]:
    """Tables holding passages of a document (document_id, start_char, end_char), besides turns and segments."""
    return sorted(t for t, cols in _tables(store).items()
                  if {"document_id", "start_char", "end_char"} <= cols and t not in ("turns", "segments"))


def _scrub_json(value, pz: Pseudonymiser):
    if isinstance(value, str):
        return pz.replace(value)
    if isinstance(value, dict):
        return {k: _scrub_json(v, pz) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub_json(v, pz) for v in value]
    return value


def _update(store: Store, sql: str, params, what: str) -> None:
    try:
        store.conn.execute(sql, params)
    except sqlite3.IntegrityError:
        raise InputError(f"{what}: its pseudonymised name is already taken; rename one of them first, "
                         "nothing was changed") from None


def _redact_document(store: Store, txn: Txn, pz: Pseudonymiser, doc,
                     offset_tables) -> tuple[OffsetMap, dict, int] | None:
    """Replace in one document and move everything that points into its text; None if nothing changed."""
    red = pz.apply(doc["text"])
    name, source = pz.replace(doc["name"]), pz.replace(doc["source_path"])
    old_meta = json.loads(doc["meta"] or "{}")
    new_meta = _scrub_json(old_meta, pz)
    meta = json.dumps(new_meta, ensure_ascii=False) if new_meta != old_meta else doc["meta"]
    speakers = store.all("SELECT id, speaker FROM turns WHERE document_id = ?", (doc["id"],))
    renamed = [(pz.replace(t["speaker"]), t["id"]) for t in speakers if pz.replace(t["speaker"]) != t["speaker"]]
    if not red.changed and (name, source, meta) == (doc["name"], doc["source_path"], doc["meta"]) and not renamed:
        return None
    m, conn, doc_id = red.offsets, store.conn, doc["id"]
    for t in store.all("SELECT id, start_char, body_start, end_char FROM turns WHERE document_id = ?", (doc_id,)):
        conn.execute("UPDATE turns SET start_char = ?, body_start = ?, end_char = ? WHERE id = ?",
                     (m.start(t["start_char"]), m.start(t["body_start"]), m.end(t["end_char"]), t["id"]))
    conn.executemany("UPDATE turns SET speaker = ? WHERE id = ?", renamed)
    for s in store.all("SELECT id, start_char, end_char FROM segments WHERE document_id = ?", (doc_id,)):
        conn.execute("UPDATE segments SET start_char = ?, end_char = ? WHERE id = ?",
                     (m.start(s["start_char"]), m.end(s["end_char"]), s["id"]))
    moved = 0
    for table in offset_tables:
        for r in store.all(f"SELECT rowid AS rowid, start_char, end_char FROM {table} WHERE document_id = ? "
                           "AND start_char IS NOT NULL", (doc_id,)):
            moved += _move(conn, table, r, m)
    for r in store.all("SELECT rowid AS rowid, start_char, end_char FROM memo_links WHERE target_type = 'segment' "
                       "AND target_uuid = ? AND start_char IS NOT NULL", (doc["uuid"],)):
        moved += _move(conn, "memo_links", r, m)
    _update(store, "UPDATE documents SET name = ?, source_path = ?, meta = ?, text = ?, text_hash = ?, "
                   "word_count = ? WHERE id = ?",
            (name, source, meta, red.text, content_hash(red.text), count_words(red.text), doc_id), f"D{doc_id}")
    counts = red.counts()
    described = (f"{plural(sum(counts.values()), 'replacement')} ("
                 + ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items())) + ")"
                 if counts else "its name, file path or speakers only")
    txn.record("document.redact", f"pseudonymised D{doc_id} {name!r}: {described}", doc["uuid"],
               document={"id": doc_id, "uuid": doc["uuid"], "name": name}, replacements=counts,
               renamed=name != doc["name"], speakers=len(renamed), passages_moved=moved,
               text_hash={"before": doc["text_hash"], "after": content_hash(red.text)})
    return m, counts, moved


def _move(conn, table: str, row, m: OffsetMap) -> int:
    start, end = m.start(row["start_char"]), m.end(row["end_char"])
    if (start, end) == (row["start_char"], row["end_char"]):
        return 0
    conn.execute(f"UPDATE {table} SET start_char = ?, end_char = ? WHERE rowid = ?", (start, end, row["rowid"]))
    return 1


def _scrub_changes(store: Store, pz: Pseudonymiser, maps: dict, by_uuid: dict, texts: dict[str, list[str]]) -> None:
    """Keep the undo log consistent with what is now stored, and free of the real text."""
    for r in store.all("SELECT id, tbl, old, new FROM changes"):
        old, new = (_scrub_logged(r[side], texts.get(r["tbl"], ()), pz, maps, by_uuid) for side in ("old", "new"))
        if (old, new) != (r["old"], r["new"]):
            store.conn.execute("UPDATE changes SET old = ?, new = ? WHERE id = ?", (old, new, r["id"]))


def _scrub_logged(logged: str | None, texts, pz: Pseudonymiser, maps: dict, by_uuid: dict) -> str | None:
    """One side of a logged row change (JSON): its free text replaced, its passage moved as the document's was."""
    row = json.loads(logged) if logged else None
    if row is None:
        return None
    for col in texts:
        if isinstance(row.get(col), str):
            row[col] = pz.replace(row[col])
    doc = row.get("document_id") if "document_id" in row else by_uuid.get(row.get("target_uuid"))
    if doc in maps and row.get("start_char") is not None and row.get("end_char") is not None:
        m = maps[doc]
        row["start_char"], row["end_char"] = m.start(row["start_char"]), m.end(row["end_char"])
    return json.dumps(row)


@dataclass
class ApplyReport(Record):
    documents: int = 0                          # documents changed
    replacements: dict[str, int] = field(default_factory=dict)   # by kind, in documents
    passages_moved: int = 0                     # codings, memo links, evidence whose offsets changed
    other: dict[str, int] = field(default_factory=dict)          # rows changed, by table (memos, codes, …)
    audit_events: list[int] = field(default_factory=list)        # events still holding findings (append-only)
    compacted: bool = False                     # old pages wiped from the file (VACUUM)



def apply(store: Store, txn: Txn, pseudonymiser: Pseudonymiser) -> ApplyReport:
    """Pseudonymise everything stored, in the caller's transaction: documents (codings stay on the same words),
    speaker labels, memos (every version), comments, codes, properties, relation notes, cases.

    Not undoable: the real text is not kept anywhere, not even in the undo log.
    Once the transaction is committed, `compact` wipes old pages from the file (`report.compacted`).
    The audit log is append-only; events that still hold findings are listed.
    """
    pz = pseudonymiser
    report = ApplyReport()
    secure = store.scalar("PRAGMA secure_delete")
    store.conn.execute("PRAGMA secure_delete = ON")   # freed space is zeroed, not left holding the old text
    try:
        with _uncaptured(store, txn):
            maps, by_uuid = _redact_documents(store, txn, pz, report)
            texts = _redact_free_text(store, txn, pz, report)
            _scrub_deleted(store, pz, maps)   # before the offsets below are moved with these maps too
            _scrub_changes(store, pz, maps, by_uuid, texts)
            if maps:
                store.conn.execute("INSERT INTO segment_fts(segment_fts) VALUES ('rebuild')")
    finally:
        store.conn.execute(f"PRAGMA secure_delete = {int(secure)}")
    report.audit_events = sorted({h.event for h in _check_events(store, pz)})
    return report


def _redact_documents(store: Store, txn: Txn, pz: Pseudonymiser, report: ApplyReport) -> tuple[dict, dict]:
    """Every document, in order: (document id → its OffsetMap for those changed, document uuid → id)."""
    maps: dict[int, OffsetMap] = {}
    by_uuid = {}
    kinds: Counter = Counter()
    offset_tables = _offset_tables(store)
    for doc in store.all("SELECT * FROM documents ORDER BY id"):
        by_uuid[doc["uuid"]] = doc["id"]
        done = _redact_document(store, txn, pz, doc, offset_tables)
        if done is not None:
            maps[doc["id"]], counts, moved = done
            report.documents += 1
            report.passages_moved += moved
            kinds.update(counts)
    report.replacements = dict(kinds)
    # Every document has now been read against the key and the detectors: mark it pseudonymised (what the
    # optional local language model is allowed to read).
    store.conn.execute("UPDATE documents SET meta = json_set(coalesce(nullif(meta, ''), '{}'), '$.pseudonymised', "
                       "json('true'))")
    return maps, by_uuid


def _redact_free_text(store: Store, txn: Txn, pz: Pseudonymiser, report: ApplyReport) -> dict[str, list[str]]:
    """Memos, comments, codes, cases and the rest; returns the columns replaced in, by table."""
    texts: dict[str, list[str]] = {}
    for table, cols, label in _free_text(store):
        texts[table] = cols
        for row in store.all(f"SELECT rowid AS rowid, {label} AS label, {', '.join(cols)} FROM {table}"):
            new = {c: pz.replace(row[c]) if isinstance(row[c], str) else row[c] for c in cols}
            if any(new[c] != row[c] for c in cols):
                _update(store, f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in cols)} WHERE rowid = ?",
                        (*new.values(), row["rowid"]), row["label"])
                report.other[table] = report.other.get(table, 0) + 1
    if report.other:
        txn.record("text.redact", "pseudonymised " + ", ".join(
            f"{t.replace('_', ' ')} {n}" for t, n in sorted(report.other.items())), None, rows=report.other)
    return texts


def compact(store: Store) -> bool:
    """Rewrite the file and empty the write-ahead log, so no old page still holds replaced text.

    Skipped inside a caller's transaction; False if another process holds the project open
    (then running `redact apply` again, when it is free, finishes the job).
    """
    if store.conn.in_transaction:
        return False
    timeout = store.scalar("PRAGMA busy_timeout")
    store.conn.execute(f"PRAGMA busy_timeout = {int(COMPACT_WAIT_S * 1000)}")
    try:
        store.conn.execute("VACUUM")
        busy, _, _ = store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.OperationalError:
        return False
    finally:
        store.conn.execute(f"PRAGMA busy_timeout = {timeout}")
    return not busy
