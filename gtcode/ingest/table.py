"""CSV: one document per row (open-ended survey answers, one case each).

Bounded (see `gtcode.ingest.limits`): the file's size and one cell's
length are capped; past that the file is refused with the line named.
"""

from __future__ import annotations

import csv
from contextlib import contextmanager
from pathlib import Path

from gtcode.errors import FileTooLarge, InputError
from gtcode.text import normalise, strip_span
from gtcode.ingest import limits
from gtcode.ingest.base import ParsedDocument, Turn
from gtcode.ingest.textfile import decode

TEXT_COLUMN_GUESSES = ("text", "response", "answer", "comment", "transcript")
ID_COLUMN_GUESSES = ("id", "case", "participant", "respondent", "respondent_id", "participant_id")


def _pick(header: list[str], wanted: str | None, guesses, what: str, path: Path) -> str:
    if wanted:
        for h in header:
            if h.strip().casefold() == wanted.strip().casefold():
                return h
        raise InputError(f"{path}: no column {wanted!r} for --{what}-column (columns: {', '.join(header)})")
    for g in guesses:
        for h in header:
            if h.strip().casefold() == g:
                return h
    raise InputError(f"{path}: cannot tell which column holds the {what}; name it with --{what}-column")


@contextmanager
def bounded_fields(path: Path):
    """csv's field size limit set to the configured cell limit while reading; a longer cell is one clear error."""
    most = limits.csv_field()
    before = csv.field_size_limit(most)
    try:
        yield
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise FileTooLarge(f"{path}: {_where(exc)}a cell longer than {most:,} characters, the most a CSV "
                               "cell may hold; refused (config max_cell_mb raises the limit)") from None
        raise InputError(f"{path}: malformed CSV ({_where(exc)}{exc})") from None
    finally:
        csv.field_size_limit(before)


def _where(exc: csv.Error) -> str:
    line = getattr(exc, "line_num", None)
    return f"line {line}: " if line else ""


def read_table(path: Path) -> tuple[list[str], list[dict[str, str]], str, list[str]]:
    """(header, rows, encoding, notes) of a CSV file, within the size limits."""
    limits.check_size(path, "CSV file", limits.file_bytes(table=True))
    text, encoding, notes = decode(path.read_bytes(), path)
    lines = normalise(text).split("\n")
    del text
    with bounded_fields(path):
        reader = csv.DictReader(line + "\n" for line in lines)
        rows = []
        try:
            header = list(reader.fieldnames or [])
            for row in reader:
                rows.append(row)
        except csv.Error as exc:
            exc.line_num = reader.reader.line_num
            raise
    if not header:
        raise InputError(f"{path}: the CSV has no header row")
    return header, rows, encoding, notes


def read_csv(path: Path, text_column: str | None = None, id_column: str | None = None) -> list[ParsedDocument]:
    header, rows, encoding, notes = read_table(path)
    text_col = _pick(header, text_column, TEXT_COLUMN_GUESSES, "text", path)
    id_col = _pick(header, id_column, ID_COLUMN_GUESSES, "id", path)
    docs = []
    for n, row in enumerate(rows, start=2):
        answer = (row.get(text_col) or "").strip()
        ident = (row.get(id_col) or "").strip()
        if not ident:
            raise InputError(f"{path}: line {n}: empty {id_col!r}")
        if not answer:
            notes.append(f"{path.name}: line {n} ({ident}): empty {text_col!r}, skipped")
            continue
        start, end = strip_span(answer, 0, len(answer))
        attrs = {k.strip(): (v or "").strip() for k, v in row.items()
                 if k not in (text_col, id_col) and k is not None and (v or "").strip()}
        docs.append(ParsedDocument(
            name=f"{path.stem}-{ident}", text=answer, format="csv",
            turns=[Turn(speaker=ident, start=start, body_start=start, end=end)],
            encoding=encoding, case=ident, attributes=attrs,
        ))
    if not docs:
        raise InputError(f"{path}: no rows with text in column {text_col!r}")
    docs[0].notes.extend(notes)
    return docs
