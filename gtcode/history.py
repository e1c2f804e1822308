"""The audit trail (`gtcode log`) and exact undo.

Events say what a person did; `changes` (filled by triggers, see migration
m002) holds every row change behind it. Undo replays one command's changes
backwards — after checking that no later command has touched those rows
since, so nothing anyone did since is silently lost — and is itself a command
with its own events.
"""

from __future__ import annotations

import json
import sqlite3

from gtcode.errors import NothingToUndo, UndoConflict
from gtcode.store.db import Store, Txn
from gtcode.store.fts import index_document, index_segment_ids
from gtcode.text import plural


def log(store: Store, *, code_uuids: list[str] | None = None, coder: str | None = None, since: str | None = None,
        limit: int | None = 50) -> list[dict]:
    """Events, newest first, filtered by code (its uuid anywhere in the event), coder and date."""
    sql = ("SELECT e.id, e.txn, e.at, k.name AS coder, e.command, e.action, e.entity_uuid, e.summary, e.data"
           " FROM events e JOIN coders k ON k.id = e.coder_id WHERE 1")
    args: list = []
    if coder:
        sql += " AND k.name = ? COLLATE NOCASE"
        args.append(coder)
    if since:
        sql += " AND e.at >= ?"
        args.append(since)
    if code_uuids:
        sql += " AND (" + " OR ".join("e.entity_uuid = ? OR instr(e.data, ?) > 0" for _ in code_uuids) + ")"
        for u in code_uuids:
            args.extend([u, u])
    sql += " ORDER BY e.at DESC, e.id DESC"  # by time: events merged in from a copy interleave
    if limit:
        sql += f" LIMIT {int(limit)}"
    return [dict(r) | {"data": json.loads(r["data"])} for r in store.all(sql, args)]


def events(store: Store, limit: int | None = None) -> list[dict]:
    """Every event as recorded, newest first (by id: the order they were written here)."""
    sql = ("SELECT e.id, e.uuid, e.txn, e.at, k.name AS coder, e.command, e.action, e.entity_uuid, e.summary, e.data"
           " FROM events e JOIN coders k ON k.id = e.coder_id ORDER BY e.id DESC")
    if limit:
        sql += f" LIMIT {int(limit)}"
    return [dict(r) | {"data": json.loads(r["data"])} for r in store.all(sql)]


def undoable_commands(store: Store, coder_id: int) -> list[dict]:
    """This coder's commands, newest first, that are not undos and have not been undone."""
    rows = store.all(
        "SELECT e.txn, max(e.id) AS last, min(e.command) AS command, group_concat(e.summary, '; ') AS summary,"
        " max(e.action = 'undo') AS is_undo FROM events e WHERE e.coder_id = ? GROUP BY e.txn ORDER BY last DESC",
        (coder_id,))
    undone = {json.loads(r[0]).get("txn") for r in store.all("SELECT data FROM events WHERE action = 'undo'")}
    # Commands `gtcode merge` copied in were made in another copy: their row changes are not here.
    merged = {t for r in store.all("SELECT data FROM events WHERE action = 'merge'")
              for t in json.loads(r[0]).get("txns", [])}
    return [dict(r) for r in rows if not r["is_undo"] and r["txn"] not in undone and not (
        r["txn"] in merged and store.one("SELECT 1 FROM changes WHERE txn = ?", (r["txn"],)) is None)]


def _columns(store: Store, table: str) -> list[str]:
    return [r[1] for r in store.all(f"PRAGMA table_info({table})")]


def _current(store: Store, table: str, row_id: int) -> dict | None:
    cols = _columns(store, table)
    row = store.one(f"SELECT rowid AS rowid, {', '.join(chr(34) + c + chr(34) for c in cols)} FROM {table} "
                    "WHERE rowid = ?", (row_id,))
    return dict(row) if row else None


def _undo_txn(store: Store, txn_id: str) -> int:
    changes = store.all("SELECT * FROM changes WHERE txn = ? ORDER BY id DESC", (txn_id,))
    # The state each row was left in by this command (its last change) must still hold.
    last: dict[tuple[str, int], dict] = {}
    for ch in changes:
        last.setdefault((ch["tbl"], ch["row_id"]), ch)
    for (table, row_id), ch in last.items():
        expected = json.loads(ch["new"]) if ch["new"] else None
        current = _current(store, table, row_id)
        if current is not None and expected is not None:     # a change captured by hand may log some columns only
            current = {c: current.get(c) for c in expected}
        if current != expected:
            raise UndoConflict(_conflict(store, txn_id, table, row_id))
    _check_imported_documents(store, changes)
    # The full-text index is not a captured table: take out the segments this command brought in.
    added = [ch["row_id"] for ch in changes if ch["tbl"] == "segments" and ch["op"] == "insert"]
    index_segment_ids(store.conn, added, remove=True)
    for ch in changes:   # an import undone: its document goes, with its segments
        if ch["tbl"] == "documents" and ch["op"] == "insert":
            index_document(store.conn, ch["row_id"], remove=True)
    store.conn.execute("PRAGMA defer_foreign_keys = ON")
    try:
        _replay(store, changes)
    except sqlite3.IntegrityError as exc:
        raise UndoConflict(f"undoing would clash with what the project holds now ({exc}); "
                           "nothing was changed") from None
    # The full-text index is not a captured table: index the segments brought back (a deleted document's).
    index_segment_ids(store.conn, [ch["row_id"] for ch in changes if ch["tbl"] == "segments" and ch["op"] == "delete"])
    return len(changes)


#: What a captured table holds, for a person: "a later command changed the same code".
_ROW_WORDS = {"codes": "code", "codings": "coding", "memos": "memo", "memo_versions": "memo",
              "memo_links": "memo link", "documents": "document", "turns": "document", "segments": "document",
              "cases": "case", "case_attributes": "case attribute", "relations": "relation"}


def _conflict(store: Store, txn_id: str, table: str, row_id: int) -> str:
    """Why this command cannot be undone: the later command that changed one of its rows, who ran it and when."""
    mine = store.scalar("SELECT max(id) FROM changes WHERE txn = ?", (txn_id,))
    later = store.one("SELECT e.command, e.at, e.summary, k.name AS coder FROM changes c JOIN events e ON e.txn = "
                      "c.txn JOIN coders k ON k.id = e.coder_id WHERE c.tbl = ? AND c.row_id = ? AND c.id > ? "
                      "ORDER BY c.id DESC, e.id LIMIT 1", (table, row_id, mine or 0))
    what = _ROW_WORDS.get(table, table.rstrip("s").replace("_", " "))
    if later is None:
        return f"a later command changed the same {what} after this one; undo that first"
    return (f"a later command changed the same {what}: {later['command']!r} ({later['summary']}) by "
            f"{later['coder']} at {later['at'][:16].replace('T', ' ')} UTC; undo that first")


def _check_imported_documents(store: Store, changes) -> None:
    """Undoing an import deletes the document: refused while anything anchors to it (listed)."""
    from gtcode.anchors import document_anchors, document_links

    for ch in changes:
        if ch["tbl"] != "documents" or ch["op"] != "insert":
            continue
        found = document_anchors(store, ch["row_id"]) + document_links(store, ch["row_id"])
        if found:
            name = store.scalar("SELECT name FROM documents WHERE id = ?", (ch["row_id"],))
            listed = "; ".join(a.describe(ch["row_id"]) for a in found[:10])
            more = f"; and {len(found) - 10} more" if len(found) > 10 else ""
            raise UndoConflict(f"cannot undo the import of D{ch['row_id']} {name!r}: {plural(len(found), 'item')} "
                               f"{'is' if len(found) == 1 else 'are'} anchored to it ({listed}{more}); "
                               f"remove them first, or `gtcode docs delete D{ch['row_id']} --force`")


def _replay(store: Store, changes) -> None:
    for ch in changes:
        table, row_id = ch["tbl"], ch["row_id"]
        if ch["op"] == "insert":
            store.conn.execute(f"DELETE FROM {table} WHERE rowid = ?", (row_id,))
            continue
        old = json.loads(ch["old"])
        cols = [c for c in old if c != "rowid"]
        quoted = ", ".join(f'"{c}"' for c in cols)
        if ch["op"] == "delete":
            store.conn.execute(f"INSERT INTO {table} (rowid, {quoted}) VALUES (?, {', '.join('?' * len(cols))})",
                               (row_id, *(old[c] for c in cols)))
        else:
            store.conn.execute(f"UPDATE {table} SET {', '.join(f'{chr(34)}{c}{chr(34)} = ?' for c in cols)} "
                               "WHERE rowid = ?", (*(old[c] for c in cols), row_id))


# Documents, turns and segments have no capture triggers: logging every import would store each text twice.
# The commands that change them log those rows by hand, as the triggers would, keeping only what undo needs.

def _row_json(store: Store, table: str, columns: list[str] | None = None) -> str:
    cols = columns if columns is not None else _columns(store, table)
    return "json_object('rowid', rowid, " + ", ".join(f"'{c}', \"{c}\"" for c in cols) + ")"


def captured_delete(store: Store, txn: Txn, table: str, where: str, params=()) -> None:
    """Log the rows `where` picks in `table` as deleted, whole, so undo can put them back; the caller deletes
    them (directly or by cascade) right after."""
    store.conn.execute(f"INSERT INTO changes (txn, tbl, row_id, op, old, new) SELECT ?, ?, rowid, 'delete', "
                       f"{_row_json(store, table)}, NULL FROM {table} WHERE {where} ORDER BY rowid",
                       (txn.id, table, *params))


def captured_insert(store: Store, txn: Txn, table: str, columns: list[str], where: str, params=()) -> None:
    """Log the rows `where` picks in `table` as inserted by this command, so undo deletes them; only `columns`
    are kept (enough to see that no later command changed them), never a document's text."""
    store.conn.execute(f"INSERT INTO changes (txn, tbl, row_id, op, old, new) SELECT ?, ?, rowid, 'insert', NULL, "
                       f"{_row_json(store, table, columns)} FROM {table} WHERE {where} ORDER BY rowid",
                       (txn.id, table, *params))


def captured_rewrite(store: Store, txn: Txn, table: str, row_id: int, update_sql: str, params=(),
                     check: tuple[str, ...] = ()) -> None:
    """Run `update_sql` on one row, logging the whole row as it was (so undo restores it exactly) and only the
    `check` columns after (so a document's new text is not stored twice)."""
    old = store.scalar(f"SELECT {_row_json(store, table)} FROM {table} WHERE rowid = ?", (row_id,))
    store.conn.execute(update_sql, params)
    new = store.scalar(f"SELECT {_row_json(store, table, list(check))} FROM {table} WHERE rowid = ?", (row_id,))
    store.conn.execute("INSERT INTO changes (txn, tbl, row_id, op, old, new) VALUES (?, ?, ?, 'update', ?, ?)",
                       (txn.id, table, row_id, old, new))


def captured_update(store: Store, txn: Txn, table: str, values: dict, where: str, params=()) -> int:
    """Set `values` on the rows `where` picks, logging only those columns (before and after) for undo."""
    rows = store.all(f"SELECT rowid, {_row_json(store, table, list(values))} FROM {table} WHERE {where} "
                     "ORDER BY rowid", params)
    store.conn.executemany("INSERT INTO changes (txn, tbl, row_id, op, old, new) VALUES (?, ?, ?, 'update', ?, ?)",
                           [(txn.id, table, r[0], r[1], json.dumps({"rowid": r[0], **values})) for r in rows])
    store.conn.execute(f"UPDATE {table} SET {', '.join(f'{chr(34)}{c}{chr(34)} = ?' for c in values)} "
                       "WHERE rowid IN (SELECT value FROM json_each(?))",
                       (*values.values(), json.dumps([r[0] for r in rows])))
    return len(rows)


#: Commands that change documents, whose rows are not captured for undo (their text would be stored twice).
NOT_UNDOABLE = ("project.init", "document.link", "document.redact", "text.redact", "document.purge")


def undo(store: Store, txn: Txn, steps: int = 1) -> list[dict]:
    """Reverse this coder's last `steps` commands exactly, newest first."""
    candidates = undoable_commands(store, txn.coder_id)
    if not candidates:
        raise NothingToUndo(f"nothing of {txn.coder!r} to undo")
    done = []
    for cmd in candidates[:steps]:
        blocked = store.scalar("SELECT count(*) FROM events WHERE txn = ? AND action IN "
                               f"({','.join('?' * len(NOT_UNDOABLE))})", (cmd["txn"], *NOT_UNDOABLE))
        if blocked or not store.scalar("SELECT count(*) FROM changes WHERE txn = ?", (cmd["txn"],)):
            raise NothingToUndo(f"cannot undo {cmd['command']!r}: redaction, a purge, linking a document to "
                                "a case and creating the project cannot be undone")
        n = _undo_txn(store, cmd["txn"])
        txn.record("undo", f"undid: {cmd['summary']}", None, txn=cmd["txn"], command=cmd["command"], rows=n)
        done.append({"command": cmd["command"], "summary": cmd["summary"], "rows": n})
    return done
