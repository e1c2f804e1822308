"""Size limits for the readers, so no file can take the machine down.

Every reader checks these before (and, for zip containers, while) parsing,
and refuses a file past one with a one-line error naming the file and the
limit. Real transcripts are far below them: a 300-page Word transcript is
about 5 MB of XML. Each can be raised in the config file for the rare real
case (`gtcode config set max_pdf_pages 5000`); the defaults are the
constants below, which a test or a notebook may also change.
"""

from __future__ import annotations

from pathlib import Path

from gtcode.errors import FileTooLarge

MiB = 1024 ** 2

#: Any transcript file on disk (config `max_file_mb`); a CSV or TSV table is held to the smaller second one.
MAX_FILE_BYTES = 200 * MiB
MAX_TABLE_BYTES = 100 * MiB
#: A .docx or .odt, all entries inflated (config `max_unpacked_mb`): python-docx holds every part in memory.
MAX_UNPACKED_BYTES = 256 * MiB
#: XML, HTML or JSON parsed into a tree: a docx/odt's XML parts together, an .eaf, .html or .json file
#: (config `max_part_mb`). A tree costs about 14 times its XML in memory (60 MB of Word XML peaked at 850 MB),
#: so 24 MB keeps a read under 500 MB; a 300-page Word transcript has about 5 MB.
MAX_XML_BYTES = 24 * MiB
#: Pages of a PDF (config `max_pdf_pages`).
MAX_PDF_PAGES = 3_000
#: Characters in one CSV cell, via `csv.field_size_limit` (config `max_cell_mb`).
MAX_CSV_FIELD = 4 * MiB


def _configured(key: str, default: int, unit: int = 1) -> int:
    """The config file's value for `key` (in `unit`s) if the user set one, else `default`."""
    from gtcode.config import limit

    value = limit(key, -1)
    return default if value == -1 else value * unit


def file_bytes(table: bool = False) -> int:
    return _configured("max_file_mb", MAX_TABLE_BYTES if table else MAX_FILE_BYTES, MiB)


def unpacked_bytes() -> int:
    return _configured("max_unpacked_mb", MAX_UNPACKED_BYTES, MiB)


def xml_bytes() -> int:
    return _configured("max_part_mb", MAX_XML_BYTES, MiB)


def pdf_pages() -> int:
    return _configured("max_pdf_pages", MAX_PDF_PAGES)


def csv_field() -> int:
    return _configured("max_cell_mb", MAX_CSV_FIELD, MiB)


def human(n: int) -> str:
    """A byte count as people say it: '64 MiB', '1,234 bytes'."""
    return f"{n // MiB:,} MiB" if n >= MiB and n % MiB == 0 else f"{n:,} bytes"


def check_size(path: Path, what: str = "file", limit: int | None = None, key: str = "max_file_mb") -> int:
    """The file's size, or FileTooLarge when it is past `limit` (default: the configured file limit)."""
    limit = file_bytes() if limit is None else limit
    size = path.stat().st_size
    if size > limit:
        raise FileTooLarge(f"{path}: {human(size)}, more than the {human(limit)} a {what} may have; refused "
                           f"(config {key} raises the limit)")
    return size
