"""Importing transcripts into the store.

Import is a batch: each file is read, segmented, then written under its own
savepoint inside the command's transaction, so a bad file leaves nothing
behind while the others land.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from gtcode.errors import GtcodeError, InputError
from gtcode.ingest import ParsedDocument, ReadOptions, expand_paths, read_path
from gtcode.ingest.naming import batch_names, clash_message, names_notes
from gtcode.ingest.writing import ImportOutcome, write_document
from gtcode.store.db import Store, Txn
from gtcode.text import content_hash

if TYPE_CHECKING:
    from gtcode.redact import Pseudonymiser

CHUNK = 4  # files read and segmented together (one nlp.pipe stream); small, so progress moves
#: How much text an import reads and segments before it takes the project's write lock: about 2.5M words, more
#: than most studies hold, so their whole import is read first and other writers wait only for the writing. Read
#: text waits in memory (about 5 bytes a character with its turns and segments), so this bounds the import's
#: memory: 60M characters took a 21M-word import to 415 MiB; with 16M, 2,000 interviews peak at 180 MiB. One
#: transcript longer than this is still read whole before the lock.
READ_AHEAD_CHARS = 16_000_000


@dataclass
class ImportReport:
    outcomes: list[ImportOutcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def failed(self) -> list[ImportOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    def to_dict(self) -> dict:
        return {"imported": self.count("imported"), "replaced": self.count("replaced"),
                "skipped": self.count("skipped"), "failed": self.count("failed"),
                "notes": self.notes, "files": [asdict(o) for o in self.outcomes]}


@dataclass
class ImportSettings:
    read: ReadOptions
    case: str | None = None
    replace: bool = False
    force: bool = False
    nlp: str | None = None
    #: the document's name (`--name`, one file only); None: the file's stem
    name: str | None = None
    #: replaces names from a key and tags identifiers before anything is stored (gtcode.redact)
    pseudonymiser: Pseudonymiser | None = None

    @classmethod
    def from_options(cls, *, case=None, interviewer=None, speaker_pattern=None, replace=False, force=False,
                     text_column=None, id_column=None, nlp=None, pseudonymise=None, layout=None,
                     name=None) -> "ImportSettings":
        """Settings from the `import` options and the user's config; a bad key or pattern fails here, before
        anything is read or stored."""
        import re

        from gtcode.config import load_config

        cfg = load_config()
        if interviewer is None and cfg.get("interviewer"):
            interviewer = cfg["interviewer"]
        if isinstance(interviewer, str):
            interviewer = tuple(x.strip() for x in interviewer.split(",") if x.strip())
        if speaker_pattern:
            try:
                re.compile(speaker_pattern)
            except re.error as exc:
                raise InputError(f"--speaker-pattern {speaker_pattern!r}: not a valid regular expression ({exc})"
                                 ) from None
        if layout:
            from gtcode.ingest.layouts import find_layout

            layout = find_layout(layout).key
        if name is not None and not name.strip():
            raise InputError("--name: give a name for the document")
        settings = cls(read=ReadOptions(speaker_pattern, tuple(interviewer) if interviewer is not None else None,
                                        text_column, id_column, layout),
                       case=case, replace=replace, force=force, nlp=nlp or cfg.get("nlp"),
                       name=name.strip() if name else None)
        if pseudonymise is not None:
            from gtcode.redact import Pseudonymiser

            settings.pseudonymiser = Pseudonymiser.from_key(pseudonymise)
        return settings


@dataclass
class ReadChunk:
    """A few files read and segmented: what to write, and what failed or was skipped on the way."""

    files: list[Path]
    outcomes: list[ImportOutcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    todo: list[tuple[Path, ParsedDocument, object]] = field(default_factory=list)   # segments, or an exception


class ImportPlan:
    """The files an import reads, and their reading: chunks are read and segmented on demand, so a caller can
    read ahead (`read_ahead`) before it takes the project's write lock and other writers only wait for the
    writing. Reading only looks at the project (to skip identical texts); everything is checked again when
    written."""

    def __init__(self, store: Store, items: list, settings: ImportSettings, debug: bool = False):
        self.store, self.settings, self.debug = store, settings, debug
        self.files, problems, self.notes = expand_paths(items)
        self.failed = [ImportOutcome(item, "failed", f"{item}: {why}") for item, why in problems]
        if settings.name and len(self.files) + len(problems) > 1:
            raise InputError(f"--name {settings.name!r} names one document, but {len(self.files) + len(problems)} "
                             "files were given; import them one at a time, or leave out --name")
        self.names = batch_names(self.files)
        self.notes.extend(names_notes(self.files, self.names))
        self._rules = settings.read.rules()
        self._nlp = None
        #: called as files are read: (how many, the last one's name), for a progress bar
        self.progress: Callable[[int, str], None] | None = None
        self._ready: list[ReadChunk] = []
        self._next = 0                     # the first file not read yet

    def read_ahead(self, max_chars: int = READ_AHEAD_CHARS) -> None:
        """Read and segment chunks now until about `max_chars` characters of text are waiting to be written."""
        waiting = 0
        while self._next < len(self.files) and waiting < max_chars:
            chunk = self._read_next()
            self._ready.append(chunk)
            waiting += sum(len(doc.text) for _, doc, _ in chunk.todo)

    def chunks(self):
        """Every chunk, those read ahead first."""
        while self._ready or self._next < len(self.files):
            yield self._ready.pop(0) if self._ready else self._read_next()

    def _read_next(self) -> ReadChunk:
        chunk = ReadChunk(self.files[self._next:self._next + CHUNK])
        self._next += len(chunk.files)
        parsed = []
        for path in chunk.files:
            parsed.extend(self._read(path, chunk))
        todo = []
        for path, doc in parsed:
            outcome = _precheck(self.store, path, doc, self.settings)
            if outcome is not None:
                outcome.layout = doc.layout
                chunk.outcomes.append(outcome)
            else:
                todo.append((path, doc))
        if todo:
            if self._nlp is None:
                from gtcode.ingest import nlp as nlp_mod
                self._nlp = nlp_mod.load(self.settings.nlp)
            from gtcode.ingest.segment import segment_each
            chunk.todo = [(path, doc, segs) for (path, doc), segs in
                          zip(todo, segment_each([d for _, d in todo], self._nlp))]
        if self.progress:
            self.progress(len(chunk.files), chunk.files[-1].name)
        return chunk

    def _read(self, path: Path, chunk: ReadChunk) -> list[tuple[Path, ParsedDocument]]:
        settings = self.settings
        try:
            docs = read_path(path, settings.read, self._rules)
        except GtcodeError as exc:
            chunk.outcomes.append(ImportOutcome(str(path), "failed", str(exc)))
            return []
        except Exception as exc:
            if self.debug:
                raise
            chunk.outcomes.append(ImportOutcome(str(path), "failed",
                                                f"{path}: could not be read ({type(exc).__name__}: {exc})"))
            return []
        out = []
        for doc in docs:
            if doc.name == path.stem:
                doc.name = settings.name or self.names.get(path, doc.name)
            if settings.pseudonymiser is not None:  # before anything can reach the store
                path = settings.pseudonymiser.apply_to_document(doc, path)
            chunk.notes.extend(doc.notes)
            if (note := interviewer_note(path, doc)) is not None:
                chunk.notes.append(note)
            out.append((path, doc))
        return out


def run_import(store: Store, txn: Txn, items, settings: ImportSettings,
               progress: Callable[[int, str], None] | None = None, debug: bool = False) -> ImportReport:
    """Write what an import reads (`items`: paths, or an `ImportPlan` already read ahead), each file under its
    own savepoint: a bad file leaves nothing behind while the others land."""
    from gtcode.cases import CaseNames

    plan = items if isinstance(items, ImportPlan) else ImportPlan(store, list(items), settings, debug)
    plan.progress = plan.progress or progress
    report = ImportReport(list(plan.failed), list(plan.notes))
    written: set[str] = set()  # document names written by this import
    case_names: list = []      # the project's case names, loaded at the first file that needs them
    for chunk in plan.chunks():
        report.outcomes.extend(chunk.outcomes)
        report.notes.extend(chunk.notes)
        for path, doc, segs in chunk.todo:
            if isinstance(segs, Exception):   # one file's failure never costs the batch
                if debug:
                    raise segs
                report.outcomes.append(ImportOutcome(str(path), "failed", f"{path}: could not be split into "
                                                     f"segments ({type(segs).__name__}: {segs})"))
                continue
            if doc.name.casefold() in written:
                report.outcomes.append(ImportOutcome(
                    str(path), "failed", f"{path}: another file in this import is also named {doc.name!r}; "
                    "rename one of them"))
                continue
            # Check again: an earlier file of this same batch may hold the same text, or another writer came.
            outcome = _precheck(store, path, doc, settings)
            if outcome is not None:
                report.outcomes.append(outcome)
                continue
            if not case_names and not (doc.case or settings.case):
                case_names.append(CaseNames.load(store))
            if _write_one(store, txn, path, doc, segs, settings, case_names[0] if case_names else None,
                          report, debug):
                written.add(doc.name.casefold())
    return report


def _write_one(store: Store, txn: Txn, path: Path, doc: ParsedDocument, segs, settings: ImportSettings,
               case_names, report: ImportReport, debug: bool) -> bool:
    """One document written under its own savepoint, linked to its case; False (reported) if it failed."""
    from gtcode.cases import ensure_case, set_attributes

    try:
        with store.savepoint():
            case_id = None
            if doc.case or settings.case:
                case_id = ensure_case(store, txn, doc.case or settings.case)
                if doc.case and doc.attributes:
                    set_attributes(store, txn, doc.case, doc.attributes)
            else:
                case_id = case_names.match(path.stem)
            outcome = write_document(store, txn, path, doc, segs, case_id, settings)
            outcome.layout = doc.layout
            report.outcomes.append(outcome)
        if case_names is not None and (doc.case or settings.case):   # kept only once it stuck
            case_names.add(case_id, doc.case or settings.case)
        return True
    except GtcodeError as exc:
        report.outcomes.append(ImportOutcome(str(path), "failed", str(exc)))
    except Exception as exc:   # its savepoint is rolled back; the rest of the batch still lands
        from gtcode.store.health import is_damage

        if debug or is_damage(exc):   # a damaged project file stops the whole import
            raise
        report.outcomes.append(ImportOutcome(str(path), "failed", f"{path}: could not be written "
                                             f"({type(exc).__name__}: {exc})"))
    return False


def interviewer_note(path: Path, doc: ParsedDocument) -> str | None:
    """A warning when several people speak but none is taken for the interviewer: every question would then
    count as a participant's words. Names the labels seen, most turns first, so the fix is one flag away."""
    if any(t.is_interviewer for t in doc.turns):
        return None
    counts: dict[str, int] = {}
    for t in doc.turns:
        if t.speaker:
            counts[t.speaker] = counts.get(t.speaker, 0) + 1
    if len(counts) < 2:
        return None
    labels = ", ".join(f"{name} ({n})" for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return (f"{path.name}: no speaker matches an interviewer label, so every turn counts as a participant's "
            f"(speakers, with turns: {labels}); if one of them is the interviewer: gtcode docs speakers "
            f"{doc.name!r} --interviewer LABEL (or import again with --interviewer LABEL --replace)")


def _roles(store: Store, doc_id: int) -> list[tuple[str | None, bool]]:
    return [(r[0], bool(r[1])) for r in store.all(
        "SELECT speaker, is_interviewer FROM turns WHERE document_id = ? ORDER BY ordinal", (doc_id,))]


def _renamed_since(store: Store, path: Path, name: str):
    """The document this same file was imported as, when it has been renamed since (no document has `name`)."""
    if store.one("SELECT 1 FROM documents WHERE name = ?", (name,)) is not None:
        return None
    here = path.resolve()
    for row in store.all("SELECT id, name, source_path FROM documents WHERE source_path LIKE ? ORDER BY id",
                         (f"%{path.name}",)):
        if row["source_path"] and Path(row["source_path"]).resolve() == here:
            return row
    return None


def _precheck(store: Store, path: Path, doc: ParsedDocument, settings: ImportSettings) -> ImportOutcome | None:
    """Skip identical content (unless --replace reads its speakers differently); refuse a changed document of
    the same name unless --replace."""
    digest = content_hash(doc.text)
    same = store.one("SELECT id, name FROM documents WHERE text_hash = ?", (digest,))
    if same is not None and settings.replace and same["name"] == doc.name and _roles(store, same["id"]) != [
            (t.speaker, bool(t.is_interviewer)) for t in doc.turns]:
        return None  # the same words, read with other speaker settings (--interviewer): replace, anchors stay
    if same is not None:
        return ImportOutcome(str(path), "skipped", f"{path}: identical to D{same['id']} {same['name']!r}; skipped",
                             same["name"], same["id"])
    if settings.name is None and doc.format != "csv" and (earlier := _renamed_since(store, path, doc.name)):
        if not settings.replace:
            return ImportOutcome(str(path), "failed", f"{path}: imported before as D{earlier['id']} "
                                 f"{earlier['name']!r} (renamed since), with other text; use --replace to replace "
                                 "it, or --name NAME to import the file as a new document",
                                 earlier["name"], earlier["id"])
        doc.name = earlier["name"]   # --replace: the renamed document takes the corrected text
    clash = store.one("SELECT id, name, source_path FROM documents WHERE name = ?", (doc.name,))
    if clash is not None and (why := clash_message(path, doc.name, clash["id"], clash["source_path"],
                                                   settings.replace)):
        return ImportOutcome(str(path), "failed", why, clash["name"], clash["id"])
    return None
