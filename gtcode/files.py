"""Files the user names: small UTF-8 inputs read with one-line errors, and outputs written whole or not at all
(a temporary file beside the target, renamed into place).

A failed export, report or codebook never leaves a half-written file, nor clobbers a good one. `-o -` writes
to stdout, and a device or FIFO (`/dev/null`, `/dev/stdout`) is written into, never replaced.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gtcode.errors import CannotWrite, InputError


#: The largest "small" file `read_utf8` reads: a codebook or a key file is kilobytes, never this.
MAX_SMALL_FILE = 32 * 1024 ** 2


def read_utf8(path: Path, error: type[InputError], what: str, max_bytes: int = MAX_SMALL_FILE) -> str:
    """The text of a small UTF-8 file the user named (a codebook, a key); any problem is `error` saying which
    file, which line for bad bytes, and how to fix it. A file larger than `max_bytes` is refused unread."""
    try:
        with path.open("rb") as fh:
            raw = fh.read(max_bytes + 1)
        if len(raw) > max_bytes:
            raise error(f"{path}: larger than {max_bytes // 1024 ** 2} MB; not a {what} gtcode can use")
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


#: `-o -`: write to standard output.
STDOUT = "-"
#: Errors that mean the disk (or quota, or a read-only mount) cannot take the file: reported, never a traceback.
_FULL = {errno.ENOSPC: "disk full", errno.EDQUOT: "disk quota exceeded", errno.EFBIG: "file too large",
         errno.EROFS: "read-only file system"}


def is_stream(path) -> bool:
    """True for `-` (stdout), a character device (/dev/null, /dev/stdout) or a FIFO: written directly, since
    renaming a file over them would replace the device node."""
    if str(path) == STDOUT:
        return True
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def check_output(path) -> Path:
    """The target, if it can be written: `-`, a device or FIFO, or a file (new or not) in a folder that exists
    and that gtcode may write to; otherwise a one-line `CannotWrite`."""
    path = Path(path)
    if is_stream(path):
        return path
    if path.is_dir():
        raise CannotWrite(f"{path}: is a folder; name a file to write")
    if not path.parent.is_dir():
        raise CannotWrite(f"{path}: folder {path.parent} does not exist")
    if path.exists() and not os.access(path, os.W_OK):
        raise CannotWrite(f"{path}: cannot write (permission denied)")
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise CannotWrite(f"{path}: cannot write in folder {path.parent} (permission denied)")
    return path


def _why(exc: OSError) -> str:
    return _FULL.get(exc.errno) or exc.strerror or str(exc)


@contextmanager
def atomic_file(path) -> Iterator[Path]:
    """Yield a temporary path; on success it replaces `path`, on any failure it is removed.

    So a failed export never leaves a half-written file, nor clobbers a good one; a full disk is a one-line
    error. For `-`, a device or a FIFO the finished file is copied into it instead (never replaced).
    """
    import tempfile

    path = check_output(path)
    stream = is_stream(path)
    try:
        handle, temp = tempfile.mkstemp(dir=None if stream else path.parent, prefix=f".{path.name}.",
                                        suffix=".tmp")
    except OSError as exc:
        raise CannotWrite(f"{path}: cannot write ({_why(exc)})") from None
    os.close(handle)
    temp_path = Path(temp)
    try:
        try:
            yield temp_path
        except OSError as exc:
            if exc.errno in _FULL:
                raise CannotWrite(f"{path}: cannot write ({_why(exc)}); nothing was written") from None
            raise
        try:
            if stream:
                _copy_into(temp_path, path)
            else:
                os.chmod(temp_path, 0o666 & ~_umask())   # mkstemp makes it private; a report is an ordinary file
                os.replace(temp_path, path)
        except OSError as exc:
            raise CannotWrite(f"{path}: cannot write ({_why(exc)})") from None
    finally:
        temp_path.unlink(missing_ok=True)


def _copy_into(source: Path, target: Path) -> None:
    """The finished file's bytes into stdout, a device or a FIFO, as they are (no temporary, no rename)."""
    import shutil
    import sys

    with source.open("rb") as fh:
        if str(target) == STDOUT:
            sys.stdout.flush()
            out = sys.stdout.buffer
            shutil.copyfileobj(fh, out)
            out.flush()
            return
        with open(target, "wb") as out:
            shutil.copyfileobj(fh, out)


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
