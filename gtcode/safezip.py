"""Reading an untrusted zip of XML (.qdpx, .docx, .odt) from someone else's machine.

Nothing is ever extracted to disk. The archive is refused whole when an entry
name could escape a folder (`../`, absolute paths, drive letters), when there
are too many entries or too many bytes once inflated (zip bombs), or when an
entry is encrypted. Entries are inflated in chunks and counted as they come:
one is never held in memory past its declared size, the archive's total or the
part limit, so a bomb costs at most a part's worth of memory. XML is parsed
with a parser that loads no DTD, resolves no entity and touches no network,
and any DOCTYPE is refused before parsing (XXE, billion laughs).

The limits (`MAX_*` below) can be raised in the config file for the rare real
case: `max_unpacked_mb`, `max_part_mb`, `max_zip_entries`.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from gtcode.errors import InputError, UnsafeExchangeFile

#: Limits for one archive; a real project with a few hundred transcripts is far below them.
MAX_ENTRIES = 20_000
MAX_TOTAL_BYTES = 2 * 1024 ** 3          # all entries, inflated
MAX_ENTRY_BYTES = 2 ** 31 - 1            # the spec's own limit for one internal file
MAX_PART_BYTES = 64 * 1024 ** 2          # one entry read into memory (XML, a transcript's text)
_CHUNK = 1 << 16
_MB = 1024 ** 2


def _configured(key: str, default: int, unit: int = 1) -> int:
    """A limit from the config file (in `unit`s) if the user set one, else the module's default."""
    from gtcode.config import limit

    value = limit(key, -1)
    return default if value == -1 else value * unit

_DOCTYPE = re.compile(rb"<!\s*doctype", re.IGNORECASE)
_DRIVE = re.compile(r"^[A-Za-z]:")


def _unsafe_name(name: str) -> str | None:
    """Why an entry name is unsafe, or None."""
    if "\x00" in name:
        return "contains a NUL byte"
    if "\\" in name:
        return "uses a backslash (a Windows path)"
    if name.startswith("/") or _DRIVE.match(name):
        return "is an absolute path"
    if ".." in PurePosixPath(name).parts:
        return "climbs out of the archive ('..')"
    return None


class SafeZip:
    """An opened archive whose names and sizes have been checked; read entries with `read`."""

    def __init__(self, path: Path, max_total: int | None = None, max_entries: int | None = None, *,
                 max_part: int | None = None, kind: str = ".qdpx",
                 describe: str = "a REFI-QDA project (.qdpx must be a zip archive)",
                 unsafe: type[InputError] = UnsafeExchangeFile):
        """`kind` names the file in messages (".docx"), `describe` what it should have been, and `unsafe` is
        the error raised when it is refused for safety."""
        self.path = Path(path)
        self.unsafe = unsafe
        self.max_total = max_total = max_total or _configured("max_unpacked_mb", MAX_TOTAL_BYTES, _MB)
        self.max_part = max_part or _configured("max_part_mb", MAX_PART_BYTES, _MB)
        max_entries = max_entries or _configured("max_zip_entries", MAX_ENTRIES)
        self._read_total = 0
        try:
            self._zip = zipfile.ZipFile(self.path)
        except FileNotFoundError:
            raise InputError(f"{self.path}: no such file") from None
        except IsADirectoryError:
            raise InputError(f"{self.path}: a folder, not a {kind} file") from None
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
            raise InputError(f"{self.path}: not {describe}: {exc}") from None
        infos = self._zip.infolist()
        if len(infos) > max_entries:
            self.close()
            raise unsafe(f"{self.path}: {len(infos):,} entries, more than the {max_entries:,} allowed "
                         "(config max_zip_entries); refused")
        declared = 0
        self._entries: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            why = _unsafe_name(info.filename)
            if why:
                self.close()
                raise unsafe(f"{self.path}: entry {info.filename!r} {why}; refused, nothing imported")
            if info.flag_bits & 0x1:
                self.close()
                raise unsafe(f"{self.path}: entry {info.filename!r} is encrypted; refused")
            if info.filename in self._entries:
                self.close()
                raise unsafe(f"{self.path}: entry {info.filename!r} appears twice; refused")
            declared += info.file_size
            if info.file_size > MAX_ENTRY_BYTES or declared > max_total:
                self.close()
                raise self._too_big()
            self._entries[info.filename] = info

    def _too_big(self, name: str | None = None) -> InputError:
        if name is None:
            return self.unsafe(f"{self.path}: more than {_mb(self.max_total)} once unpacked (a zip bomb?); "
                               "refused (config max_unpacked_mb raises the limit)")
        return self.unsafe(f"{self.path}: part {name!r} unpacks to more than {_mb(self.max_part)} "
                           "(a zip bomb?); refused (config max_part_mb raises the limit)")

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> "SafeZip":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def names(self) -> list[str]:
        return [n for n, info in self._entries.items() if not info.is_dir()]

    def find(self, name: str) -> str | None:
        """The entry called `name`, matched case-insensitively (NVivo writes `Sources/`, others `sources/`)."""
        if name in self._entries:
            return name
        key = name.casefold()
        hits = [n for n in self._entries if n.casefold() == key]
        return hits[0] if hits else None

    def chunks(self, name: str) -> Iterator[bytes]:
        """An entry's bytes in chunks, inflated as they are asked for; stops with the `unsafe` error as soon as
        the entry inflates past what it declared, the part limit or the archive's total, and before reading
        anything when it declares more than the part limit."""
        info = self._entries[name]
        if info.file_size > self.max_part:
            raise self._too_big(name)
        size = 0
        try:
            with self._zip.open(info) as fh:
                while chunk := fh.read(_CHUNK):
                    size += len(chunk)
                    self._read_total += len(chunk)
                    if size > info.file_size:
                        raise self.unsafe(f"{self.path}: entry {name!r} inflates past its declared size "
                                          "(a zip bomb?); refused")
                    if size > self.max_part:
                        raise self._too_big(name)
                    if self._read_total > self.max_total:
                        raise self._too_big()
                    yield chunk
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError) as exc:
            raise InputError(f"{self.path}: entry {name!r} is corrupt ({exc})") from None

    def open(self, name: str) -> "BoundedReader":
        """A file-like reader of one entry with the same checks as `chunks`, for streaming parsers."""
        return BoundedReader(self.chunks(name))

    def read(self, name: str) -> bytes:
        """An entry's bytes (at most the part limit), checked while inflating as `chunks` does."""
        return b"".join(self.chunks(name))


class BoundedReader(io.RawIOBase):
    """`read(n)` over an entry's checked chunks (lxml's `iterparse` and `XMLPullParser` accept it)."""

    def __init__(self, chunks: Iterator[bytes]):
        self._chunks = chunks
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:
        while not self._buffer:
            self._buffer = next(self._chunks, b"")
            if not self._buffer:
                return 0
        n = min(len(target), len(self._buffer))
        target[:n] = self._buffer[:n]
        self._buffer = self._buffer[n:]
        return n


def _mb(n: int) -> str:
    return f"{n / _MB:,.0f} MB" if n >= _MB else f"{n:,} bytes"


def parse_xml(data: bytes, where: str):
    """Parse untrusted XML: no DOCTYPE at all, no DTD, no entities, no network. Returns the root element."""
    from lxml import etree

    probe = data[:1 << 16]
    if _DOCTYPE.search(data) or _DOCTYPE.search(_utf16_as_ascii(probe)):
        raise UnsafeExchangeFile(f"{where}: contains a DOCTYPE declaration; refused (REFI-QDA files never need one)")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                             huge_tree=False, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{where}: not well-formed XML ({exc})") from None
    if root.getroottree().docinfo.doctype:
        raise UnsafeExchangeFile(f"{where}: contains a DOCTYPE declaration; refused")
    return root


def _utf16_as_ascii(data: bytes) -> bytes:
    """UTF-16 XML with its NUL bytes dropped, so a DOCTYPE in it is found by the same byte search."""
    return data.replace(b"\x00", b"") if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:4] in (
        b"<\x00?\x00", b"\x00<\x00?") else b""
