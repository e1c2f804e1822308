"""The project file's health: damage detection, consistent backups and salvage.

SQLite notices a damaged file only when it reads a damaged page, so a write could land in a file already
malformed. `Store.transaction` therefore runs `PRAGMA quick_check` before a store's first write when the file
is small enough for that to be quick (`QUICK_CHECK_MAX_BYTES`), and every `sqlite3.DatabaseError` that says
the file is malformed becomes `ProjectDamaged`, naming the file and the remedy. `doctor` (a full
`integrity_check`) and `salvage` work on a file that cannot be opened as a project at all.
"""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from gtcode.errors import CannotWrite, InputError, ProjectDamaged

#: Files up to this size get a quick_check before their first write (about 0.05 s per 10 MB, measured).
QUICK_CHECK_MAX_BYTES = 100 * 1024 ** 2
#: How many problems a check lists (SQLite can report thousands for one bad page).
MAX_PROBLEMS = 20
REMEDY = "restore from a backup; `gtcode doctor` explains"
_DAMAGE = ("malformed", "not a database", "corrupt", "disk i/o error", "file is encrypted")


def is_damage(exc: BaseException) -> bool:
    """True when SQLite's error means the file itself is damaged (not busy, not a bad query)."""
    return isinstance(exc, sqlite3.DatabaseError) and any(word in str(exc).lower() for word in _DAMAGE)


def damaged(path: Path, detail: str) -> ProjectDamaged:
    """The one message for a damaged project file (one line, whatever SQLite's detail holds)."""
    detail = "; ".join(line.strip() for line in detail.splitlines() if line.strip() and not line.startswith("***"))
    return ProjectDamaged(f"{path} is damaged: {detail}; nothing was changed: {REMEDY}")


def _problems(conn: sqlite3.Connection, pragma: str) -> list[str]:
    """What the check lists (none when it says "ok"); rows found before SQLite gives up are kept, its error last."""
    rows: list[str] = []
    cursor = conn.execute(f"PRAGMA {pragma}({MAX_PROBLEMS})")
    try:
        while (row := cursor.fetchone()) is not None:   # a row may hold several lines, under a "*** in database" head
            rows.extend(line for line in str(row[0]).splitlines() if line.strip() and not line.startswith("***"))
    except sqlite3.DatabaseError as exc:
        if not rows:
            raise
        rows.append(str(exc))
    return [] if rows == ["ok"] else rows


def quick_check(conn: sqlite3.Connection, path: Path) -> None:
    """Raise `ProjectDamaged` when `PRAGMA quick_check` finds a problem (or cannot even run)."""
    try:
        problems = _problems(conn, "quick_check")
    except sqlite3.DatabaseError as exc:
        raise damaged(path, str(exc)) from None
    if problems:
        raise damaged(path, problems[0] + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""))


def worth_checking(path: Path) -> bool:
    """A quick_check before the first write is cheap enough for this file."""
    try:
        return path.stat().st_size <= QUICK_CHECK_MAX_BYTES
    except OSError:
        return False


# --- doctor -----------------------------------------------------------------------------------------------------

@dataclass
class Diagnosis:
    """What `gtcode doctor` found: `ok`, the problems SQLite listed, and facts about the file."""

    path: str
    ok: bool
    problems: list[str] = field(default_factory=list)
    size: int = 0
    schema: int | None = None
    gtcode: bool = False
    salvaged: str | None = None
    method: str | None = None
    rows: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return dict(vars(self))


def diagnose(path: str | Path) -> Diagnosis:
    """A full `PRAGMA integrity_check` of the file, opened read-only; works on a file that cannot be opened as a
    project (the reason is then the first problem)."""
    from gtcode.store.handles import read_header
    from gtcode.store.schema import APPLICATION_ID, SQLITE_HEADER

    path = Path(path)
    try:
        size = path.stat().st_size
        header = read_header(path)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    result = Diagnosis(str(path), False, size=size)
    if not header.startswith(SQLITE_HEADER):
        result.problems = ["not an SQLite database (its first bytes are not SQLite's header)"]
        return result
    result.gtcode = int.from_bytes(header[68:72], "big") == APPLICATION_ID
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        result.schema = conn.execute("PRAGMA user_version").fetchone()[0]
        result.problems = _problems(conn, "integrity_check")
        if not result.problems:
            result.rows = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                           for t in ("documents", "codes", "codings", "memos", "events") if _has(conn, t)}
    except sqlite3.DatabaseError as exc:
        result.problems = result.problems or [str(exc)]
    finally:
        conn.close()
    result.ok = not result.problems
    return result


def _has(conn: sqlite3.Connection, table: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        (table,)).fetchone() is not None


def salvage(path: str | Path, out: str | Path) -> str:
    """Write what can still be read of `path` to a new database `out`; returns how: 'recover' (the sqlite3
    command-line tool's `.recover`, when it is installed and works) or 'table-by-table copy'. `out` must not
    exist."""
    path, out = Path(path), Path(out)
    if out.exists():
        raise CannotWrite(f"{out}: already exists; name a new file for the salvaged copy")
    if not out.parent.is_dir():
        raise CannotWrite(f"{out}: folder {out.parent} does not exist")
    temp = out.with_name(f".{out.name}.salvage")
    temp.unlink(missing_ok=True)
    try:
        method = _recover(path, temp) if shutil.which("sqlite3") else None
        if method is None:
            temp.unlink(missing_ok=True)
            method = _copy_tables(path, temp)
        temp.replace(out)
    finally:
        temp.unlink(missing_ok=True)
    return method


def _recover(path: Path, temp: Path) -> str | None:
    """The sqlite3 tool's `.recover` (reads past damaged pages) piped into a new database; None if it fails."""
    import subprocess

    tool = shutil.which("sqlite3")
    try:
        dump = subprocess.run([tool, "-readonly", str(path), ".recover"], capture_output=True, timeout=3600)
        if dump.returncode != 0 or not dump.stdout:
            return None
        load = subprocess.run([tool, str(temp)], input=dump.stdout, capture_output=True, timeout=3600)
    except (OSError, subprocess.SubprocessError):
        return None
    if load.returncode != 0 and not temp.exists():
        return None
    return "recover"


def _copy_tables(path: Path, temp: Path) -> str:
    """Table by table with Python's sqlite3: the schema first, then each table's rows until its first unreadable
    page (the rest of that table is lost, the other tables are kept), then indexes, triggers and the full-text
    index rebuilt. Fails if even the schema cannot be read."""
    source = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    target = sqlite3.connect(temp, isolation_level=None)
    try:
        try:
            schema = source.execute("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL "
                                    "AND name NOT LIKE 'sqlite_%' ORDER BY rowid").fetchall()
            pragmas = [(p, source.execute(f"PRAGMA {p}").fetchone()[0]) for p in ("application_id", "user_version")]
        except sqlite3.DatabaseError as exc:
            raise damaged(path, f"{exc}; even its list of tables cannot be read, so nothing can be salvaged") \
                from None
        virtual = [n for t, n, sql in schema if t == "table" and sql.upper().startswith("CREATE VIRTUAL")]
        shadow = tuple(f"{v}_" for v in virtual)
        target.execute("BEGIN")
        for kind, name, sql in schema:
            if kind == "table" and not name.startswith(shadow):
                target.execute(sql)
        for kind, name, sql in schema:
            if kind == "table" and name not in virtual and not name.startswith(shadow):
                _copy_rows(source, target, name)
        for kind, name, sql in schema:
            if kind in ("index", "trigger", "view"):
                try:
                    target.execute(sql)
                except sqlite3.DatabaseError:
                    pass   # e.g. a unique index the surviving rows no longer satisfy
        for name in virtual:
            try:
                target.execute(f'INSERT INTO "{name}"("{name}") VALUES (\'rebuild\')')
            except sqlite3.DatabaseError:
                pass
        target.execute("COMMIT")
        for pragma, value in pragmas:
            target.execute(f"PRAGMA {pragma} = {int(value)}")
    finally:
        source.close()
        target.close()
    return "table-by-table copy"


def _copy_rows(source: sqlite3.Connection, target: sqlite3.Connection, table: str) -> None:
    try:
        cursor = source.execute(f'SELECT * FROM "{table}"')
        marks = ", ".join("?" * len(cursor.description))
        while rows := cursor.fetchmany(500):
            target.executemany(f'INSERT OR IGNORE INTO "{table}" VALUES ({marks})', rows)
    except sqlite3.DatabaseError:
        pass   # the rest of this table is unreadable: keep what was read


# --- backup -----------------------------------------------------------------------------------------------------

def backup(path: str | Path, dest: str | Path | None = None) -> Path:
    """A consistent copy of the project at `dest` (default: `NAME-backup-YYYYmmdd-HHMMSS.db` beside it), made with
    SQLite's online backup API, so other gtcode processes may keep writing meanwhile. `dest` must not exist."""
    from datetime import datetime

    path = Path(path)
    if dest is None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        dest = path.with_name(f"{path.stem}-backup-{stamp}.db")
    dest = Path(dest)
    if dest.is_dir():
        dest = dest / f"{path.stem}-backup-{datetime.now().strftime('%Y%m%d-%H%M%S')}.db"
    if dest.exists():
        raise CannotWrite(f"{dest}: already exists; name a new file for the backup")
    if not dest.parent.is_dir():
        raise CannotWrite(f"{dest}: folder {dest.parent} does not exist")
    temp = dest.with_name(f".{dest.name}.tmp")
    source = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=30)
    try:
        quick_check(source, path)   # a backup of a damaged file would only copy the damage
        target = sqlite3.connect(temp)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")   # one self-contained file
        finally:
            target.close()
        temp.replace(dest)
    except sqlite3.DatabaseError as exc:
        if is_damage(exc):
            raise damaged(path, str(exc)) from None
        raise CannotWrite(f"{dest}: cannot write the backup ({exc})") from None
    except OSError as exc:
        raise CannotWrite(f"{dest}: cannot write the backup ({exc.strerror or exc})") from None
    finally:
        source.close()
        temp.unlink(missing_ok=True)
    return dest
