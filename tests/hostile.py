"""Builders for hostile inputs, shared by tests/lib/test_hostile.py and tests/cli/test_cli_hostile.py.

Each builds its file lazily in a test's tmp_path, small on disk however large it claims to be.
"""

from __future__ import annotations

import shutil
import sqlite3
import struct
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _deflate_repeated(block: bytes, count: int) -> tuple[bytes, int, int]:
    """Raw deflate of `block` repeated `count` times, from one compressed copy (a full flush makes every copy's
    compressed bytes the same), with the CRC-32 and size of the whole: a gigabyte in a second."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    tail = c.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    return first + again * (count - 1) + tail, crc, len(block) * count


def write_zip(path: Path, entries: dict) -> Path:
    """A zip whose entries are bytes, or (block, count) for an entry that inflates to block × count."""
    out, central = bytearray(), bytearray()
    for name, data in entries.items():
        if isinstance(data, tuple):
            comp, crc, size = _deflate_repeated(*data)
        else:
            c = zlib.compressobj(9, zlib.DEFLATED, -15)
            comp, crc, size = c.compress(data) + c.flush(), zlib.crc32(data), len(data)
        raw, offset = name.encode(), len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(comp), size, len(raw), 0)
        out += raw + comp
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(comp), size,
                               len(raw), 0, 0, 0, 0, 0, offset) + raw
    start = len(out)
    out += central + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), start, 0)
    path.write_bytes(bytes(out))
    return path


GIB_OF_SPACES = (b" " * (1 << 20), 1024)
QDE_HEAD = ('<?xml version="1.0" encoding="utf-8"?>\n{doctype}<Project xmlns="urn:QDA-XML:project:1.0" '
            'name="crafted" origin="Tester 1.0"><Users><User guid="cccccccc-0000-0000-0000-000000000001" '
            'name="Alex"/></Users>{body}</Project>')
XXE = '<!DOCTYPE Project [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
LAUGHS = ('<!DOCTYPE Project [<!ENTITY l0 "lol">'
          + "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10)) + ']>\n')


def qde(doctype: str = "", body: str = "<Description>&xxe;</Description>") -> bytes:
    return QDE_HEAD.format(doctype=doctype, body=body).encode("utf-8")


def qdc(doctype: str, entity: str) -> bytes:
    return (f'<?xml version="1.0"?>{doctype}<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
            f'<Code guid="aaaaaaaa-0000-0000-0000-000000000001" name="{entity}" isCodable="true"/>'
            '</Codes></CodeBook>').encode("utf-8")


def docx_bomb(path: Path) -> Path:
    """A .docx whose word/document.xml inflates to a gigabyte of spaces inside a valid body."""
    return write_zip(path, {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                               b'content-types"><Override PartName="/word/document.xml" ContentType="application/'
                               b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "_rels/.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                       b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                       b'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
                       b'</Relationships>',
        "word/document.xml": GIB_OF_SPACES,
    })


def odt_bomb(path: Path) -> Path:
    """An .odt (mimetype first, stored) whose content.xml inflates to a gigabyte."""
    return write_zip(path, {"mimetype": b"application/vnd.oasis.opendocument.text",
                            "META-INF/manifest.xml": b'<?xml version="1.0"?><manifest:manifest xmlns:manifest='
                                                     b'"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>',
                            "content.xml": GIB_OF_SPACES})


def yaml_alias_bomb() -> str:
    """A billion laughs in YAML: nine levels of nine aliases each, as a code's patterns (under 1 KB)."""
    items = ["&x0 [" + ", ".join(['"lol"'] * 9) + "]"]
    items += [f"&x{i} [" + ", ".join([f"*x{i - 1}"] * 9) + "]" for i in range(1, 10)]
    return "codes:\n  - name: Bomb\n    patterns:\n" + "".join(f"      - {item}\n" for item in items)


def yaml_deep_lists(depth: int = 10_000) -> str:
    return "codes: " + "[" * depth + "]" * depth + "\n"


def yaml_deep_codes(depth: int = 10_000) -> str:
    lines, indent = ["codes:"], ""
    for i in range(depth):
        lines += [f"{indent}- name: c{i}", f"{indent}  codes:"]
        indent += "  "
    return "\n".join(lines) + "\n"


# --- project files --------------------------------------------------------------------------------------------------

def small_project(folder: Path) -> Path:
    """A project with two transcripts imported, closed (its WAL checkpointed into gtcode.db)."""
    from gtcode import Project

    with Project.init(folder, coder="tester") as p:
        p.docs.import_paths([REPO / "transcripts" / "P02.txt", REPO / "transcripts" / "P07.txt"])
    return folder / "gtcode.db"


def damage(db: Path) -> Path:
    """Overwrite one 4 KiB page near the middle of `db` with 0xFF bytes: the first page from the middle that SQLite's
    quick_check then reports (a page in use, not a free one)."""
    good = db.read_bytes()
    pages = len(good) // 4096
    for page in [pages // 2 + k for k in range(pages // 2)]:
        bad = bytearray(good)
        bad[page * 4096:(page + 1) * 4096] = b"\xff" * 4096
        db.write_bytes(bytes(bad))
        conn = sqlite3.connect(db)
        try:
            ok = conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        except sqlite3.DatabaseError:
            ok = False
        finally:
            conn.close()
        if not ok:
            return db
    raise AssertionError("no page of the project could be damaged")


def truncate(db: Path) -> Path:
    data = db.read_bytes()
    db.write_bytes(data[:len(data) // 2])
    return db


def copy_project(source: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, folder / "gtcode.db")
    return folder / "gtcode.db"
