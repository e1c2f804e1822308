"""Connections, transactions and the event log.

Every command runs in one transaction (`Store.transaction`): either all of
it lands, with its events, or none of it does. Files inside a batch get a
savepoint each, so one bad file leaves nothing behind while the rest land.
A store checks its file for damage before its first write (`store.health`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gtcode.errors import NotAProject, ProjectBusy, SchemaTooNew
from gtcode.store import handles
from gtcode.store.health import damaged, is_damage, quick_check, worth_checking
from gtcode.store.schema import APPLICATION_ID, SCHEMA_VERSION, SQLITE_HEADER

BUSY_TIMEOUT_S = 30.0


# uuid, json and datetime are imported where used: read commands never need them.

def new_uuid() -> str:
    import uuid

    return str(uuid.uuid4())


def new_uuids(n: int) -> list[str]:
    """`n` random (version 4) UUIDs, as `new_uuid` writes them, from one read of the system's randomness: an
    import names every turn and segment (40,000 for 50 interviews), and `uuid4` one at a time costs 3 µs each."""
    import os

    raw = os.urandom(16 * n).hex()
    out = []
    for i in range(0, 32 * n, 32):
        h = raw[i:i + 32]                   # version 4 in the 13th digit; variant 10xx in the 17th (8, 9, a or b)
        out.append(f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}")
    return out


def now() -> str:
    """UTC timestamp, ISO 8601 with microseconds, sortable as text."""
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    return conn


def _busy(exc: sqlite3.OperationalError) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


class Store:
    """One open project file."""

    def __init__(self, path: Path, conn: sqlite3.Connection, *, on_file: bool = True):
        """`on_file`: `conn` is a connection to `path` itself (not, as in a merge, to an in-memory copy of it)."""
        self.path = path
        self.conn = conn
        self._txn: Txn | None = None
        self._checked = False   # quick_check done (see `check_before_write`)
        self._held = handles.hold(path) if on_file else None   # see gtcode.store.handles

    # --- opening -----------------------------------------------------------
    @classmethod
    def create(cls, path: Path) -> "Store":
        conn = _connect(path)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        store = cls(path, conn)
        store.migrate()
        return store

    @classmethod
    def open(cls, path: Path) -> "Store":
        """Open an existing project, refusing anything that is not one."""
        try:
            header = handles.read_header(path)
        except OSError as exc:
            raise NotAProject(f"{path}: cannot read ({exc.strerror})") from exc
        if not header.startswith(SQLITE_HEADER):
            raise NotAProject(f"{path}: not a gtcode project (not an SQLite database); left untouched")
        if int.from_bytes(header[68:72], "big") != APPLICATION_ID:
            # In WAL mode a fresh header may still sit in the -wal file: ask SQLite, read-only.
            try:
                probe = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
                app_id = probe.execute("PRAGMA application_id").fetchone()[0]
                probe.close()
            except sqlite3.DatabaseError:
                app_id = None
            if app_id != APPLICATION_ID:
                raise NotAProject(f"{path}: an SQLite database, but not a gtcode project; left untouched")
        conn = _connect(path)
        store = cls(path, conn)
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise SchemaTooNew(
                    f"{path}: written by a newer gtcode (schema {version}, this gtcode knows {SCHEMA_VERSION}); "
                    "upgrade gtcode to open it"
                )
            if version < SCHEMA_VERSION:
                store.check_before_write()
                store.migrate()
        except sqlite3.DatabaseError as exc:
            store.close()
            if is_damage(exc):
                raise damaged(path, str(exc)) from None
            raise
        except BaseException:
            store.close()
            raise
        return store

    def check_before_write(self) -> None:
        """Once per store, before its first write: `PRAGMA quick_check` when the file is small enough for it to
        be quick, so a write never lands in a file already damaged."""
        if self._checked:
            return
        self._checked = True
        if worth_checking(self.path):
            quick_check(self.conn, self.path)

    def migrate(self) -> None:
        """Apply pending migrations under a write lock, so two openers cannot race."""
        from sqlite_utils import Database

        from gtcode.store.migrations import apply

        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise ProjectBusy(f"{self.path}: busy in another gtcode process; try again") from exc
        try:
            apply(Database(self.conn, execute_plugins=False))
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self.conn.close()
        handles.release(self._held)
        self._held = None

    # --- reading ------------------------------------------------------------
    def one(self, sql: str, params=()) -> sqlite3.Row | None:
        return self.conn.execute(sql, params).fetchone()

    def all(self, sql: str, params=()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()

    def scalar(self, sql: str, params=()):
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def project_name(self) -> str | None:
        """The name given at `init` (the `project` table's one row)."""
        return self.scalar("SELECT name FROM project WHERE id = 1")

    def name_project(self, txn: "Txn", name: str) -> None:
        """Write the project's one row at `init`, with an event."""
        uuid = new_uuid()
        self.conn.execute("INSERT INTO project (id, uuid, name, created_at, created_by) VALUES (1, ?, ?, ?, ?)",
                          (uuid, name, now(), txn.coder))
        txn.record("project.init", f"created project {name!r}", uuid, name=name)

    def data_version(self) -> int:
        """Changes when another connection commits: how a long-running screen knows to refresh."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    # --- writing ------------------------------------------------------------
    @contextmanager
    def transaction(self, coder: str, command: str, *, dry_run: bool = False) -> Iterator["Txn"]:
        """One command = one transaction; nested calls share the outer one.

        With `dry_run` the command runs in full and is then rolled back, so what it reports is exactly what
        it would do, and the project is left byte-identical.
        """
        if self._txn is not None:
            if dry_run and not self._txn.dry_run:
                raise RuntimeError("a dry run cannot nest inside a real transaction")
            yield self._txn
            return
        self.check_before_write()
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if _busy(exc):
                raise ProjectBusy(
                    f"{self.path}: another gtcode process kept the project busy for "
                    f"{BUSY_TIMEOUT_S:.0f}s; nothing was changed, try again"
                ) from exc
            raise
        txn = Txn(self, coder, command)
        txn.dry_run = dry_run
        self._txn = txn
        try:
            # Row-change triggers tag what they log with this command's id (see `changes`).
            self.conn.execute("UPDATE txn_state SET txn = ? WHERE id = 1", (txn.id,))
            yield txn
            self.conn.execute("UPDATE txn_state SET txn = NULL WHERE id = 1")
            self.conn.execute("ROLLBACK" if dry_run else "COMMIT")
        except BaseException as exc:
            if self.conn.in_transaction:
                try:
                    self.conn.execute("ROLLBACK")
                except sqlite3.DatabaseError:
                    pass   # a damaged file: SQLite has already given up the transaction
            if is_damage(exc):
                raise damaged(self.path, str(exc)) from None
            raise
        finally:
            self._txn = None

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Undo just this part of a transaction if it fails (one file in a batch)."""
        name = f"sp_{new_uuid().replace('-', '')}"
        self.conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            self.conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
            self.conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        else:
            self.conn.execute(f"RELEASE SAVEPOINT {name}")

    def coder_id(self, name: str) -> int:
        row = self.one("SELECT id FROM coders WHERE name = ?", (name,))
        if row:
            return row[0]
        cur = self.conn.execute(
            "INSERT INTO coders (uuid, name, created_at) VALUES (?, ?, ?)", (new_uuid(), name, now())
        )
        return cur.lastrowid


class Txn:
    """The command in progress: who runs it, and its events."""

    def __init__(self, store: Store, coder: str, command: str):
        self.store = store
        self.conn = store.conn
        self.coder = coder
        self.command = command
        self.id = new_uuid()
        self.at = now()
        #: set by `Store.transaction`: everything done in this command is rolled back at its end
        self.dry_run = False
        self._coder_id: int | None = None

    @property
    def coder_id(self) -> int:
        """The coder's row, registered on the first write that needs it: a command that changes nothing
        (every file in a batch refused, say) leaves no trace of who ran it."""
        if self._coder_id is None:
            self._coder_id = self.store.coder_id(self.coder)
        return self._coder_id

    def record(self, action: str, summary: str, entity_uuid: str | None = None, **data) -> None:
        """Append one event; `data` must be enough to reverse the change."""
        import json

        self.conn.execute(
            "INSERT INTO events (uuid, txn, at, coder_id, command, action, entity_uuid, summary, data)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (new_uuid(), self.id, now(), self.coder_id, self.command, action, entity_uuid, summary,
             json.dumps(data, ensure_ascii=False, sort_keys=True)),
        )
