"""Opening untrusted containers for the readers: zip packages (.docx, .odt) and XML.

The checks themselves live in `gtcode.safezip` (shared with .qdpx import);
this module applies the readers' own limits (`gtcode.ingest.limits`) and
words the errors for a transcript rather than an exchange file.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from gtcode.errors import FileTooLarge, InputError, UnsafeExchangeFile, UnsafeFile
from gtcode.ingest import limits


def _open(path: Path, kind: str):
    from gtcode.safezip import SafeZip

    return SafeZip(path, max_total=limits.unpacked_bytes(), max_part=limits.xml_bytes(), kind=kind,
                   describe=f"a valid {kind} (corrupt, or not a {kind} file)", unsafe=UnsafeFile)


def check_package(path: Path, kind: str) -> None:
    """Refuse a zip package that is not one, is a bomb, or holds more XML than can be parsed safely.

    Declared sizes are checked first; the main XML part is then inflated by
    streaming, so a package that lies about its sizes is caught too, before
    any library parses it.
    """
    limits.check_size(path, kind)
    if not zipfile.is_zipfile(path):
        raise InputError(f"{path}: not a valid {kind} (corrupt, or not a {kind} file)")
    most = limits.xml_bytes()
    with _open(path, kind) as package:
        names = package.names
        with zipfile.ZipFile(path) as raw:
            xml = sum(raw.getinfo(n).file_size for n in names if n.lower().endswith((".xml", ".rels")))
        if xml > most:
            raise FileTooLarge(f"{path}: {limits.human(xml)} of XML once unpacked, more than the "
                               f"{limits.human(most)} a {kind} may hold (a zip bomb?); refused "
                               "(config max_part_mb raises the limit)")
        for main in ("word/document.xml", "content.xml"):
            if main in names:
                for _ in package.chunks(main):
                    pass


def read_entry(path: Path, name: str, kind: str) -> bytes:
    """One entry of a package already passed by `check_package`, streamed within the limits."""
    with _open(path, kind) as package:
        found = package.find(name)
        if found is None:
            raise InputError(f"{path}: not a valid {kind}: it has no {name}")
        return package.read(found)


def parse_untrusted_xml(data: bytes, path: Path, what: str):
    """The root element of untrusted XML: no DOCTYPE, DTD, entity or network; huge trees refused."""
    from gtcode.safezip import parse_xml

    most = limits.xml_bytes()
    if len(data) > most:
        raise FileTooLarge(f"{path}: {limits.human(len(data))} of XML, more than the {limits.human(most)} a {what} "
                           "may hold; refused (config max_part_mb raises the limit)")
    try:
        return parse_xml(data, str(path))
    except UnsafeExchangeFile:
        raise UnsafeFile(f"{path}: the {what} contains a DOCTYPE declaration (entities could read files or "
                         "expand without bound); refused") from None
    except InputError as exc:
        raise InputError(f"{path}: not a valid {what}: {str(exc).split(': ', 1)[-1]}") from None
