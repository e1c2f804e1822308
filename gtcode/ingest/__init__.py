"""Readers, one per format, chosen by file suffix.

`read_path` turns one file into ParsedDocuments (a CSV gives one per row);
`expand_paths` turns what the user typed (files, folders, globs) into files.
"""

from __future__ import annotations

import glob
from dataclasses import dataclass
from pathlib import Path

from gtcode.errors import EmptyDocument, InputError, NoTurns, UnsupportedFormat
from gtcode.text import count_words
from gtcode.ingest.base import Cue, ParsedDocument, Turn
from gtcode.ingest.speakers import DEFAULT_INTERVIEWER, SpeakerRules

SUFFIXES = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".docx": "docx",
            ".vtt": "vtt", ".srt": "srt", ".csv": "csv", ".pdf": "pdf", ".html": "html", ".htm": "html",
            ".odt": "odt", ".rtf": "rtf", ".cha": "cha", ".eaf": "eaf", ".tsv": "tsv", ".json": "json"}

#: format → (module under gtcode.ingest, reader function); each takes (path, rules). Imported lazily, so a
#: command that reads text never imports pdfminer or lxml.
READERS = {"docx": ("docx", "read_docx"), "vtt": ("captions", "read_vtt"), "srt": ("captions", "read_srt"),
           "pdf": ("pdf", "read_pdf"), "html": ("markup", "read_html"), "odt": ("markup", "read_odt"),
           "rtf": ("markup", "read_rtf"), "cha": ("chat", "read_chat"), "eaf": ("chat", "read_eaf"),
           "tsv": ("whisper", "read_whisper_tsv"), "json": ("whisper", "read_whisper_json")}

__all__ = ["Cue", "ParsedDocument", "Turn", "SpeakerRules", "DEFAULT_INTERVIEWER", "ReadOptions",
           "read_path", "expand_paths", "SUFFIXES"]


@dataclass
class ReadOptions:
    speaker_pattern: str | None = None
    interviewer: tuple[str, ...] | None = None
    text_column: str | None = None
    id_column: str | None = None
    #: a layout forced by `--layout` (gtcode.ingest.layouts); None: detected per file
    layout: str | None = None

    def rules(self) -> SpeakerRules:
        return SpeakerRules(self.speaker_pattern, self.interviewer, self.layout)


def read_path(path: Path, options: ReadOptions | None = None,
              rules: SpeakerRules | None = None) -> list[ParsedDocument]:
    options = options or ReadOptions()
    rules = rules or options.rules()
    fmt = SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(set(SUFFIXES)))
        raise UnsupportedFormat(f"{path}: unsupported file type {path.suffix or '(none)'!r}; gtcode reads {known}")
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise EmptyDocument(f"{path}: empty file")
    if fmt in ("txt", "md"):
        from gtcode.ingest.textfile import read_text
        docs = read_text(path, rules, fmt)
    elif fmt in READERS:
        import importlib

        module, func = READERS[fmt]
        docs = getattr(importlib.import_module(f"gtcode.ingest.{module}"), func)(path, rules)
    else:
        from gtcode.ingest.table import read_csv
        docs = read_csv(path, options.text_column, options.id_column)
    from gtcode.ingest.lines import describe_layout
    for doc in docs:
        doc.layout = doc.layout or describe_layout(fmt, doc, rules)
        if not any(count_words(doc.text[t.body_start:t.end]) for t in doc.turns):
            raise NoTurns(f"{path}: no speaker turn with any words in it")
    return docs


def expand_paths(items: list[str | Path]) -> tuple[list[Path], list[tuple[str, str]], list[str]]:
    """Files, folders (their readable files, recursively) and globs → (files, problems, notes).

    CSV and README files inside a folder are left out (a folder of transcripts
    usually holds the participant list and notes too); name them to import them.
    """
    files: list[Path] = []
    problems: list[tuple[str, str]] = []
    notes: list[str] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            files.append(p)

    for item in items:
        text = str(item)
        p = Path(text)
        if p.is_dir():
            found = sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in SUFFIXES
                           and not any(part.startswith(".") for part in q.relative_to(p).parts))
            left_out = [q for q in found if q.suffix.lower() == ".csv" or q.stem.casefold() == "readme"]
            found = [q for q in found if q not in left_out]
            notes.extend(f"{q}: {'CSV' if q.suffix.lower() == '.csv' else 'README'} in a folder left out; "
                         "name the file to import it" for q in left_out)
            if not found:
                problems.append((text, "folder holds no files gtcode can read"))
            for q in found:
                add(q)
        elif p.exists():
            add(p)
        elif any(ch in text for ch in "*?["):
            matches = sorted(Path(m) for m in glob.glob(text, recursive=True) if Path(m).is_file())
            if not matches:
                problems.append((text, "no files match this pattern"))
            for q in matches:
                add(q)
        else:
            problems.append((text, "no such file or folder"))
    return files, problems, notes
