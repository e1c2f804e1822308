"""Importing transcripts into the store.

Import is a batch: each file is read, segmented, then written under its own
savepoint inside the command's transaction, so a bad file leaves nothing
behind while the others land.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from gtcode import anchors
from gtcode.errors import GtcodeError, WouldBreakAnchors
from gtcode.ingest import ParsedDocument, ReadOptions, expand_paths, read_path
from gtcode.store.db import Store, Txn, new_uuid, now
from gtcode.text import content_hash, count_words

if TYPE_CHECKING:
    from gtcode.redact import Pseudonymiser

CHUNK = 4  # files read and segmented together (one nlp.pipe stream); small, so progress moves


@dataclass
class ImportOutcome:
    source: str
    status: str                 # imported | replaced | skipped | failed
    message: str
    document: str | None = None  # name
    document_id: int | None = None
    words: int = 0
    turns: int = 0
    segments: int = 0


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
    #: replaces names from a key and tags identifiers before anything is stored (gtcode.redact)
    pseudonymiser: Pseudonymiser | None = None

    @classmethod
    def from_options(cls, *, case=None, interviewer=None, speaker_pattern=None, replace=False, force=False,
                     text_column=None, id_column=None, nlp=None, pseudonymise=None) -> "ImportSettings":
        """Settings from the `import` options and the user's config; a bad key or pattern fails here, before
        anything is read or stored."""
        import re

        from gtcode.config import load_config
        from gtcode.errors import InputError

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
        settings = cls(read=ReadOptions(speaker_pattern, tuple(interviewer) if interviewer is not None else None,
                                        text_column, id_column),
                       case=case, replace=replace, force=force, nlp=nlp or cfg.get("nlp"))
        if pseudonymise is not None:
            from gtcode.redact import Pseudonymiser

            settings.pseudonymiser = Pseudonymiser.from_key(pseudonymise)
        return settings


def run_import(store: Store, txn: Txn, items: list, settings: ImportSettings,
               progress: Callable[[int, str], None] | None = None, debug: bool = False) -> ImportReport:
    from gtcode.cases import ensure_case, match_case_for_stem, set_attributes

    report = ImportReport()
    files, problems, notes = expand_paths(items)
    report.notes.extend(notes)
    for item, why in problems:
        report.outcomes.append(ImportOutcome(item, "failed", f"{item}: {why}"))
    rules = settings.read.rules()
    nlp = None
    written: set[str] = set()  # document names written by this import
    for i in range(0, len(files), CHUNK):
        chunk = files[i:i + CHUNK]
        parsed: list[tuple[Path, ParsedDocument]] = []
        for path in chunk:
            try:
                docs = read_path(path, settings.read, rules)
            except GtcodeError as exc:
                report.outcomes.append(ImportOutcome(str(path), "failed", str(exc)))
                continue
            except Exception as exc:
                if debug:
                    raise
                report.outcomes.append(ImportOutcome(str(path), "failed",
                                                     f"{path}: could not be read ({type(exc).__name__}: {exc})"))
                continue
            for doc in docs:
                if settings.pseudonymiser is not None:  # before anything can reach the store
                    path = settings.pseudonymiser.apply_to_document(doc, path)
                report.notes.extend(doc.notes)
                if (note := interviewer_note(path, doc)) is not None:
                    report.notes.append(note)
                parsed.append((path, doc))
        todo = []
        for path, doc in parsed:
            outcome = _precheck(store, path, doc, settings)
            if outcome is not None:
                report.outcomes.append(outcome)
            else:
                todo.append((path, doc))
        if todo:
            if nlp is None:
                from gtcode.ingest import nlp as nlp_mod
                nlp = nlp_mod.load(settings.nlp)
            from gtcode.ingest.segment import segment_documents
            segments = segment_documents([d for _, d in todo], nlp)
            for (path, doc), segs in zip(todo, segments):
                if doc.name.casefold() in written:
                    report.outcomes.append(ImportOutcome(
                        str(path), "failed", f"{path}: another file in this import is also named {doc.name!r}; "
                        "rename one of them"))
                    continue
                # Check again: an earlier file of this same batch may hold the same text.
                outcome = _precheck(store, path, doc, settings)
                if outcome is not None:
                    report.outcomes.append(outcome)
                    continue
                try:
                    with store.savepoint():
                        case_id = None
                        if doc.case:
                            case_id = ensure_case(store, txn, doc.case)
                            if doc.attributes:
                                set_attributes(store, txn, doc.case, doc.attributes)
                        elif settings.case:
                            case_id = ensure_case(store, txn, settings.case)
                        else:
                            case_id = match_case_for_stem(store, path.stem)
                        report.outcomes.append(write_document(store, txn, path, doc, segs, case_id, settings))
                    written.add(doc.name.casefold())
                except GtcodeError as exc:
                    report.outcomes.append(ImportOutcome(str(path), "failed", str(exc)))
        if progress:
            progress(len(chunk), chunk[-1].name)
    return report


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
            f"(speakers, with turns: {labels}); if one of them is the interviewer, import again with "
            "--interviewer LABEL --replace")


def _roles(store: Store, doc_id: int) -> list[tuple[str | None, bool]]:
    return [(r[0], bool(r[1])) for r in store.all(
        "SELECT speaker, is_interviewer FROM turns WHERE document_id = ? ORDER BY ordinal", (doc_id,))]


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
    clash = store.one("SELECT id, name FROM documents WHERE name = ?", (doc.name,))
    if clash is not None and not settings.replace:
        return ImportOutcome(str(path), "failed",
                             f"{path}: document {doc.name!r} (D{clash['id']}) already exists with different text; "
                             "use --replace to re-import it", clash["name"], clash["id"])
    return None


def _snapshot(store: Store, doc_id: int) -> dict:
    """Everything a replace overwrites, so the event can reverse it."""
    doc = dict(store.one("SELECT * FROM documents WHERE id = ?", (doc_id,)))
    doc["turns"] = [dict(r) for r in store.all("SELECT * FROM turns WHERE document_id = ? ORDER BY ordinal", (doc_id,))]
    doc["segments"] = [dict(r) for r in store.all("SELECT * FROM segments WHERE document_id = ? ORDER BY ordinal", (doc_id,))]
    return doc


def write_document(store: Store, txn: Txn, path: Path, doc: ParsedDocument, segs, case_id,
                   settings, uuid: str | None = None) -> ImportOutcome:
    """Store one parsed, segmented document (new, or replacing one of the same name) with its turns and segments.

    `uuid`: the identity a new document takes (an exchange file's GUID); a fresh one otherwise.
    """
    conn = store.conn
    digest = content_hash(doc.text)
    words = count_words(doc.text)
    meta = json.dumps({"notes": doc.notes} if doc.notes else {}, ensure_ascii=False)
    old = store.one("SELECT id, uuid FROM documents WHERE name = ?", (doc.name,))
    before = None
    if old is not None:
        old_text = store.scalar("SELECT text FROM documents WHERE id = ?", (old["id"],))
        carried = anchors.plan(store, old["id"], old_text, doc.text)
        if carried.broken and not settings.force:
            raise WouldBreakAnchors(f"{path}: " + carried.refusal(f"replacing {doc.name!r}"))
        before = _snapshot(store, old["id"])
        dropped = anchors.carry(store, carried, drop_broken=settings.force)
        doc_id, doc_uuid = old["id"], old["uuid"]
        conn.execute("INSERT INTO segment_fts(segment_fts, rowid, text) "
                     "SELECT 'delete', id, text FROM segment_texts WHERE document_id = ?", (doc_id,))
        conn.execute("DELETE FROM segments WHERE document_id = ?", (doc_id,))
        conn.execute("DELETE FROM turns WHERE document_id = ?", (doc_id,))
        conn.execute(
            "UPDATE documents SET case_id = coalesce(?, case_id), text = ?, text_hash = ?, format = ?, source_path = ?,"
            " encoding = ?, word_count = ?, imported_at = ?, imported_by = ?, meta = ? WHERE id = ?",
            (case_id, doc.text, digest, doc.format, str(path), doc.encoding, words, now(), txn.coder_id, meta, doc_id))
    else:
        doc_uuid = uuid or new_uuid()
        doc_id = conn.execute(
            "INSERT INTO documents (uuid, name, case_id, text, text_hash, format, source_path, encoding, word_count,"
            " imported_at, imported_by, meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (doc_uuid, doc.name, case_id, doc.text, digest, doc.format, str(path), doc.encoding, words, now(),
             txn.coder_id, meta)).lastrowid

    turn_ids = []
    for n, t in enumerate(doc.turns, start=1):
        turn_ids.append(conn.execute(
            "INSERT INTO turns (uuid, document_id, ordinal, speaker, is_interviewer, start_char, body_start, end_char,"
            " time_start, time_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (new_uuid(), doc_id, n, t.speaker, int(t.is_interviewer), t.start, t.body_start, t.end,
             t.time_start, t.time_end)).lastrowid)
    conn.executemany(
        "INSERT INTO segments (uuid, document_id, turn_id, ordinal, start_char, end_char, time_start, time_end)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(new_uuid(), doc_id, turn_ids[s.turn_index], n, s.start, s.end, s.time_start, s.time_end)
         for n, s in enumerate(segs, start=1)])
    conn.execute("INSERT INTO segment_fts(rowid, text) SELECT id, text FROM segment_texts WHERE document_id = ?",
                 (doc_id,))
    status = "replaced" if before else "imported"
    summary = (f"{status} {path.name} as D{doc_id} {doc.name!r}: {words} words, "
               f"{len(doc.turns)} turns, {len(segs)} segments")
    data = {"document": {"id": doc_id, "uuid": doc_uuid, "name": doc.name, "text_hash": digest,
                         "source": str(path), "format": doc.format}}
    if before:
        data["before"] = before
        data["anchors_moved"], data["dropped"] = carried.moved, dropped
    txn.record(f"document.{'replace' if before else 'import'}", summary, doc_uuid, **data)
    return ImportOutcome(str(path), status, summary, doc.name, doc_id, words, len(doc.turns), len(segs))
