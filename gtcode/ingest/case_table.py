"""Reading a participants table: a CSV with one row per case, an id column and any attributes."""

from __future__ import annotations

from pathlib import Path

from gtcode.errors import InputError
from gtcode.ingest.table import read_table

ID_GUESSES = ("id", "case", "participant", "participant_id", "respondent", "pseudonym", "name")


def read_case_table(path: Path, id_column: str | None = None) -> tuple[str, list[dict[str, str]]]:
    """(id column, rows) from a participants CSV; decoding and size limits as for transcripts."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    header, rows, _, _ = read_table(path)
    header = [h for h in header if h is not None]
    if id_column:
        matches = [h for h in header if h.strip().casefold() == id_column.casefold()]
        if not matches:
            raise InputError(f"{path}: no column {id_column!r} (columns: {', '.join(header)})")
        col = matches[0]
    else:
        col = next((h for g in ID_GUESSES for h in header if h.strip().casefold() == g), header[0])
    out = []
    for n, row in enumerate(rows, start=2):
        ident = (row.get(col) or "").strip()
        if not ident:
            raise InputError(f"{path}: line {n}: no case id in column {col!r}")
        out.append({"__id__": ident} | {k.strip(): (v or "").strip() for k, v in row.items()
                                         if k is not None and k != col})
    return col, out
