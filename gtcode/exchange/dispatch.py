"""Which importer or writer handles a file: what `gtcode import` and `gtcode codebook export` call.

`import_files` sends REFI-QDA files (.qdpx, .qde, .qdc) to the exchange importer and the rest to the
transcript importer; `CODEBOOK_FORMATS` maps each codebook format (and its aliases) to its writer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from gtcode.errors import InputError
from gtcode.exchange import SUFFIXES, import_exchange_file


def is_exchange_file(path) -> bool:
    """Whether `gtcode import` hands this path to the REFI-QDA importer."""
    return Path(str(path)).suffix.lower() in SUFFIXES


@dataclass
class ImportOutcome:
    """What one `gtcode import` did: a report per REFI-QDA file, and the transcripts' report (None: none given)."""

    exchange: list = field(default_factory=list)
    transcripts: object | None = None


def import_files(project, paths, *, interviewer: str | None = None, positions: str | None = None,
                 nlp: str | None = None, pseudonymise=None, progress=None, **options) -> ImportOutcome:
    """Import REFI-QDA files through the exchange importer, then every other path as transcripts.

    `interviewer` is comma-separated; `positions` applies to REFI-QDA files, `options` to transcripts
    (see `project.docs.import_paths`).
    """
    exchange = [p for p in paths if is_exchange_file(p)]
    transcripts = [p for p in paths if not is_exchange_file(p)]
    if exchange and pseudonymise:
        raise InputError(f"{exchange[0]}: --pseudonymise applies to transcripts; import the REFI-QDA file, "
                         "then run 'gtcode redact apply KEY.csv'")
    outcome = ImportOutcome()
    who = tuple(x.strip() for x in interviewer.split(",") if x.strip()) if interviewer else None
    for f in exchange:
        outcome.exchange.append(import_exchange_file(project, f, interviewer=who, positions=positions, nlp=nlp))
    if transcripts:
        outcome.transcripts = project.docs.import_paths(transcripts, interviewer=interviewer, nlp=nlp,
                                                        pseudonymise=pseudonymise, progress=progress, **options)
    return outcome


@dataclass(frozen=True)
class CodebookFormat:
    """A codebook file format: `write(project, code)` gives the file's text or bytes; `write_file(project, path,
    code)` writes it (for formats that must be a file, such as docx) and returns the path."""

    name: str
    aliases: tuple[str, ...] = ()
    write: Callable | None = None
    write_file: Callable | None = None


def _text(fmt: str) -> Callable:
    def write(project, code):
        from gtcode.codebook import export_codebook

        return export_codebook(project.store, fmt, code, title=project.name)
    return write


def _qdc(project, code) -> bytes:
    from gtcode.exchange.qdc import export_qdc

    return export_qdc(project, code)


def _docx(project, path, code) -> Path:
    from gtcode.report.codebook_docx import write_codebook_docx

    return write_codebook_docx(project, path, code=code)


CODEBOOK_FORMATS = {f.name: f for f in (
    CodebookFormat("yaml", ("yml",), write=_text("yaml")),
    CodebookFormat("csv", write=_text("csv")),
    CodebookFormat("md", ("markdown",), write=_text("md")),
    CodebookFormat("qdc", write=_qdc),
    CodebookFormat("docx", write_file=_docx),
)}


def codebook_format(name: str, output: Path | None = None) -> CodebookFormat:
    """The format `--format NAME` means (name or alias, any case); a file-only format needs `output`."""
    key = name.lower().lstrip(".")
    fmt = next((f for f in CODEBOOK_FORMATS.values() if key == f.name or key in f.aliases), None)
    if fmt is None:
        text = [f.name for f in CODEBOOK_FORMATS.values() if f.write and f.name != "qdc"]
        raise InputError(f"--format {key!r}: expected one of {', '.join(text)} (or qdc, docx)")
    if fmt.write_file and output is None:
        raise InputError(f"--format {fmt.name} writes a Word file: name it with -o codebook.{fmt.name}")
    return fmt


def export_codebook_file(project, fmt: str, output: Path | None = None, code: str | None = None):
    """The codebook (or one code's subtree) in `fmt`: its text or bytes, or, for a file-only format, the path
    written."""
    form = codebook_format(fmt, output)
    if form.write_file:
        return form.write_file(project, output, code)
    return form.write(project, code)
