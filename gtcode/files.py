"""Files the user names: small UTF-8 inputs read with one-line errors, and outputs written whole or not at all
(a temporary file beside the target, renamed into place).

A failed export, report or codebook never leaves a half-written file, nor clobbers a good one.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gtcode.errors import InputError


def read_utf8(path: Path, error: type[InputError], what: str) -> str:
    """The text of a small UTF-8 file the user named (a codebook, a key); any problem is `error` saying which
    file, which line for bad bytes, and how to fix it."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise error(f"{path}: no such {what}") from None
    except IsADirectoryError:
        raise error(f"{path}: a folder, not a {what}") from None
    except OSError as exc:
        raise error(f"{path}: cannot read the {what} ({exc.strerror})") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise error(f"{path}, line {line}: not UTF-8 text; save the {what} as UTF-8") from None


def check_output(path) -> Path:
    """The target file, if it can be written: not a folder, in a folder that exists."""
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{path}: is a folder; name a file to write")
    if not path.parent.is_dir():
        raise InputError(f"{path}: folder {path.parent} does not exist")
    return path


@contextmanager
def atomic_file(path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success it replaces `path`, on any failure it is removed.

    So a failed export never leaves a half-written file, nor clobbers a good one.
    """
    import tempfile

    path = check_output(path)
    try:
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise InputError(f"{path}: cannot write ({exc.strerror or exc})") from None
    os.close(handle)
    temp_path = Path(temp)
    try:
        yield temp_path
        try:
            os.chmod(temp_path, 0o666 & ~_umask())   # mkstemp makes it private; a report is an ordinary file
            os.replace(temp_path, path)
        except OSError as exc:
            raise InputError(f"{path}: cannot write ({exc.strerror or exc})") from None
    finally:
        temp_path.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_output(path, data: str | bytes) -> Path:
    """Write text (UTF-8) or bytes to `path` whole or not at all; an unwritable path is a one-line error."""
    with atomic_file(path) as temp:
        if isinstance(data, bytes):
            temp.write_bytes(data)
        else:
            temp.write_text(data, encoding="utf-8")
    return Path(path)
