"""CSV: one document per row (open-ended survey answers, one case each)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from gtcode.errors import InputError
from gtcode.text import normalise, strip_span
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


def read_csv(path: Path, text_column: str | None = None, id_column: str | None = None) -> list[ParsedDocument]:
    text, encoding, notes = decode(path.read_bytes(), path)
    text = normalise(text)
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = list(reader.fieldnames or [])
        rows = list(reader)
    except csv.Error as exc:
        raise InputError(f"{path}: malformed CSV ({exc})") from None
    if not header:
        raise InputError(f"{path}: the CSV has no header row")
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
