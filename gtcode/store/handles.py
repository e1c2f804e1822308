"""Reading a project file's header without unlocking this process's open connections to it.

POSIX record locks belong to a process and a file, not to a descriptor: closing *any* descriptor on a file drops
every lock the process holds on it, SQLite's included. A plain `open()`/`close()` of a project that this process
already has open in SQLite (the TUI and a command in one process, a notebook with two `Project`s, the tests)
would silently unlock that connection; another process could then take the file as unused and remove the WAL
under it, and the next read would fail as "damaged". So while a `Store` has a file open, one descriptor on it is
held here for the header reads (`read_header`) and closed only with the last store on that file.
"""

from __future__ import annotations

import os
from pathlib import Path

_held: dict[tuple[int, int], list[int]] = {}   # (device, inode) -> [descriptor, stores open]


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def hold(path: Path) -> tuple[int, int] | None:
    """Count one more open store on `path` (its key, for `release`)."""
    key = _identity(path)
    if key is None:
        return None
    if key in _held:
        _held[key][1] += 1
    else:
        _held[key] = [os.open(path, os.O_RDONLY), 1]
    return key


def release(key: tuple[int, int] | None) -> None:
    """One store fewer on that file; the held descriptor closes with the last."""
    entry = _held.get(key) if key is not None else None
    if entry is None:
        return
    entry[1] -= 1
    if entry[1] <= 0:
        del _held[key]
        os.close(entry[0])


def read_header(path: Path, size: int = 100) -> bytes:
    """The first `size` bytes of `path`; through the held descriptor when a store here has it open."""
    key = _identity(path)
    if key in _held:
        return os.pread(_held[key][0], size, 0)
    with open(path, "rb") as fh:
        return fh.read(size)
