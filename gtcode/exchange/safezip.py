"""Reading an untrusted .qdpx: a zip of XML from someone else's machine.

Nothing is ever extracted to disk. The archive is refused whole when an entry
name could escape a folder (`../`, absolute paths, drive letters), when there
are too many entries or too many bytes once inflated (zip bombs), or when an
entry is encrypted. XML is parsed with a parser that loads no DTD, resolves no
entity and touches no network, and any DOCTYPE is refused before parsing
(XXE, billion laughs).
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from gtcode.errors import InputError, UnsafeExchangeFile

#: Limits for one archive; a real project with a few hundred transcripts is far below them.
MAX_ENTRIES = 20_000
MAX_TOTAL_BYTES = 2 * 1024 ** 3          # all entries, inflated
MAX_ENTRY_BYTES = 2 ** 31 - 1            # the spec's own limit for one internal file
_CHUNK = 1 << 20

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

    def __init__(self, path: Path, max_total: int | None = None, max_entries: int | None = None):
        self.path = Path(path)
        self.max_total = max_total = max_total or MAX_TOTAL_BYTES
        max_entries = max_entries or MAX_ENTRIES
        self._read_total = 0
        try:
            self._zip = zipfile.ZipFile(self.path)
        except FileNotFoundError:
            raise InputError(f"{self.path}: no such file") from None
        except IsADirectoryError:
            raise InputError(f"{self.path}: a folder, not a .qdpx file") from None
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
            raise InputError(f"{self.path}: not a REFI-QDA project (.qdpx must be a zip archive): {exc}") from None
        infos = self._zip.infolist()
        if len(infos) > max_entries:
            self.close()
            raise UnsafeExchangeFile(f"{self.path}: {len(infos)} entries, more than the {max_entries} allowed; refused")
        declared = 0
        self._entries: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            why = _unsafe_name(info.filename)
            if why:
                self.close()
                raise UnsafeExchangeFile(f"{self.path}: entry {info.filename!r} {why}; refused, nothing imported")
            if info.flag_bits & 0x1:
                self.close()
                raise UnsafeExchangeFile(f"{self.path}: entry {info.filename!r} is encrypted; refused")
            if info.filename in self._entries:
                self.close()
                raise UnsafeExchangeFile(f"{self.path}: entry {info.filename!r} appears twice; refused")
            declared += info.file_size
            if info.file_size > MAX_ENTRY_BYTES or declared > max_total:
                self.close()
                raise UnsafeExchangeFile(f"{self.path}: more than {max_total:,} bytes once unpacked "
                                         "(a zip bomb?); refused")
            self._entries[info.filename] = info

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

    def read(self, name: str) -> bytes:
        """An entry's bytes, stopping as soon as it inflates past what it declared or the archive's limit."""
        info = self._entries[name]
        out = bytearray()
        try:
            with self._zip.open(info) as fh:
                while True:
                    chunk = fh.read(_CHUNK)
                    if not chunk:
                        break
                    out += chunk
                    self._read_total += len(chunk)
                    if len(out) > info.file_size or self._read_total > self.max_total:
                        raise UnsafeExchangeFile(f"{self.path}: entry {name!r} inflates past its declared size "
                                                 "(a zip bomb?); refused")
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError) as exc:
            raise InputError(f"{self.path}: entry {name!r} is corrupt ({exc})") from None
        return bytes(out)


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
