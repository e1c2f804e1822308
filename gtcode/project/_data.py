"""`project.docs` and `project.cases`: the interviews and the people they come from."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from gtcode.project._base import Namespace, as_list


class Docs(Namespace):
    """Documents (`gtcode import`, `gtcode docs …`): import, list, read segment by segment, link to a case,
    rename, delete."""

    def import_paths(self, paths, *, case: str | None = None, interviewer=None, speaker_pattern: str | None = None,
                     replace: bool = False, force: bool = False, text_column: str | None = None,
                     id_column: str | None = None, nlp: str | None = None,
                     pseudonymise: str | os.PathLike | None = None,
                     progress: Callable[[int, str], None] | None = None, layout: str | None = None,
                     name: str | None = None):
        """Import transcripts (files, folders, globs); returns an ImportReport. Bad files are skipped, reported.

        `pseudonymise`: a key CSV (real,pseudonym), read but never stored; names become pseudonyms and
        e-mails, phone numbers, postcodes, NHS numbers and dates of birth become tags before anything is stored.
        `layout`: read text files in this producer layout (gtcode.ingest.layouts) instead of detecting it;
        `name`: the document's name (one file only).
        """
        from gtcode.ingest.importer import ImportPlan, ImportSettings, run_import

        settings = ImportSettings.from_options(
            case=case, interviewer=interviewer, speaker_pattern=speaker_pattern, replace=replace, force=force,
            text_column=text_column, id_column=id_column, nlp=nlp, pseudonymise=pseudonymise, layout=layout,
            name=name)
        plan = ImportPlan(self._store, list(paths), settings, self._project.debug)
        plan.progress = progress
        plan.read_ahead()   # read and segment before taking the write lock: other writers wait only for the writing
        with self._transaction() as txn:
            return run_import(self._store, txn, plan, settings, debug=self._project.debug)

    @staticmethod
    def count_files(paths) -> int:
        """How many files `import_paths` would read (for a progress bar)."""
        from gtcode.ingest import expand_paths

        return len(expand_paths(list(paths))[0])

    def list(self, where=None):
        """Documents in import order, those a `--where` filter picks."""
        from gtcode.documents import list_documents
        from gtcode.scope import Scope

        sc = Scope.from_where(self._store, where)
        return list_documents(self._store, sc.clause, sc.params)

    def get(self, ref):
        """A document by `D3`, `3` or name."""
        from gtcode.documents import resolve_document

        return resolve_document(self._store, ref)

    def text(self, ref) -> str:
        """The document's canonical text: every offset in the project points into it."""
        from gtcode.documents import document_text

        return document_text(self._store, self.get(ref).id)

    def segments(self, ref, first: int | None = None, last: int | None = None):
        """Segments of a document, optionally only ordinals first..last."""
        from gtcode.documents import document_segments

        return document_segments(self._store, self.get(ref), first=first, last=last)

    def segment(self, address: str):
        """Segments named by an address: `D3:17`, `D3:17-21`, `P01:4,9`."""
        from gtcode.documents import segments_at

        return segments_at(self._store, address)

    def turns(self, ref) -> list[dict]:
        """Speaker turns in order, with who speaks and where."""
        from gtcode.documents import document_turns

        return document_turns(self._store, self.get(ref).id)

    def link(self, ref, case: str | None) -> None:
        """Link a document to a case (None unlinks it)."""
        from gtcode.cases import link_document

        doc = self.get(ref)
        with self._transaction() as txn:
            link_document(self._store, txn, doc.id, doc.uuid, doc.name, case)

    def rename(self, ref, new_name: str):
        """Give a document another name (unique); everything attached to it stays. Returns a `Renamed`."""
        from gtcode.documents import rename_document

        with self._transaction() as txn:
            return rename_document(self._store, txn, self.get(ref), new_name)

    def dependents(self, ref) -> list:
        """What deleting the document would take with it: codings, memo links, evidence, placements."""
        from gtcode.documents import document_dependents

        return document_dependents(self._store, self.get(ref).id)

    def delete(self, ref, force: bool = False, purge: bool = False):
        """Delete a document with its turns and segments; refuses (DocumentInUse, with the list) while anything
        is anchored to it, unless `force`, which deletes those too. Undoable, unless `purge`, which keeps no
        copy of the text (a participant who withdrew)."""
        from gtcode.documents import delete_document
        from gtcode.redact import compact

        with self._transaction() as txn:
            done = delete_document(self._store, txn, self.get(ref), force, purge)
        if purge:
            compact(self._store)   # VACUUM after the commit: no old page or WAL frame keeps the text
        return done


    def edit(self, ref, text: str, *, force: bool = False, dry_run: bool = False, nlp: str | None = None):
        """Give a document corrected text: its turns are read again, it is segmented again, and every anchor
        moves with its words. Refuses (WouldBreakAnchors, with the list) when an anchor's words changed, unless
        `force` (those are dropped). `dry_run`: what would move and what would break (as if forced), nothing
        changed. Returns an `Edited`; undoable."""
        from gtcode.config import load_config
        from gtcode.ingest.editing import edit_document

        with self._transaction(dry_run=dry_run) as txn:
            return edit_document(self._store, txn, self.get(ref), text, force=force or dry_run,
                                 nlp_name=nlp or load_config().get("nlp"))

    def link_media(self, ref, media: str | os.PathLike | None) -> str | None:
        """Link the document to its recording (the file stays where it is; its absolute path is stored); None
        unlinks. Undoable. Returns the path linked before."""
        from gtcode.documents import link_media
        from gtcode.errors import InputError

        doc = self.get(ref)
        if media is not None:
            path = Path(media).expanduser()
            if not path.is_file():
                raise InputError(f"{media}: no such file (link the recording where it is kept; it is never copied)")
            media = str(path.resolve())
        with self._transaction() as txn:
            return link_media(self._store, txn, doc, media)

    def playback(self, address: str) -> dict:
        """What `gtcode play ADDRESS` starts: {"file", "start" (seconds), "argv"}; a one-line error when the
        document has no recording, the file is gone, or the passage has no time."""
        from gtcode.documents import document_media, document_turns
        from gtcode.errors import InputError
        from gtcode.player import player_command

        first = self.segment(address)[0]
        media = document_media(self._store, first.document_id)
        if not media:
            raise InputError(f"D{first.document_id} {first.document!r} has no recording linked: "
                             f"gtcode docs media D{first.document_id} FILE")
        if not Path(media).is_file():
            raise InputError(f"{media}: the recording of D{first.document_id} is not there any more; link it "
                             f"again with gtcode docs media D{first.document_id} FILE")
        start = first.time_start
        if start is None:
            turn = next((t for t in document_turns(self._store, first.document_id) if t["ordinal"] == first.turn), None)
            start = turn["time_start"] if turn else None
        if start is None:
            raise InputError(f"{first.address} has no time: its transcript holds no timestamps, so gtcode cannot "
                             "tell where in the recording it is")
        return {"file": media, "start": start, "argv": player_command(media, start)}

    def speakers(self, refs=None) -> list:
        """Speaker labels of the documents (all when None) with turn counts and roles (`SpeakerLabel`s)."""
        from gtcode.speakers import speaker_labels

        return speaker_labels(self._store, None if refs is None else [self.get(r).id for r in as_list(refs)])

    def set_speakers(self, refs, *, interviewer=(), roles=(), rename=(), force: bool = False,
                     dry_run: bool = False) -> list:
        """Fix speakers in one or more documents: `interviewer` labels become the interviewer; `roles` is
        ["LABEL=interviewer|participant|other", …]; `rename` is ["OLD=NEW", …], in the text too, every anchor
        carried (refused with the list when a label's words are anchored, unless `force`). With one document a
        label it lacks is an error; with several, documents without it are left alone. One undoable command;
        returns a `SpeakerChange` per document."""
        from gtcode.errors import InputError
        from gtcode.speakers import ROLES, parse_assignments, set_speakers, speaker_labels

        pairs = [(label, "interviewer") for label in as_list(interviewer)]
        pairs += parse_assignments(as_list(roles), "--role", ROLES)
        renames = parse_assignments(as_list(rename), "--rename")
        if not pairs and not renames:
            raise InputError("nothing to change: give --interviewer LABEL, --role LABEL=ROLE or --rename OLD=NEW")
        docs = [self.get(r) for r in as_list(refs)]
        if len(docs) > 1:   # each label must be somewhere; documents without it are left alone
            seen = {x.speaker.casefold() for x in speaker_labels(self._store, [d.id for d in docs])}
            unknown = [a for a, _ in [*pairs, *renames] if a.casefold() not in seen | {
                b.casefold() for _, b in renames}]
            if unknown:
                raise InputError(f"no speaker {unknown[0]!r} in any of these {len(docs)} documents")
        with self._transaction(dry_run=dry_run) as txn:
            return [set_speakers(self._store, txn, d, pairs, renames, force=force or dry_run, strict=len(docs) == 1)
                    for d in docs]


class Cases(Namespace):
    """Cases (participants) and their attributes (`gtcode cases …`): import, set, rename, delete."""

    legacy_call = ("cases()", "cases.list()")

    def list(self):
        from gtcode.cases import list_cases

        return list_cases(self._store)

    def get(self, name: str):
        from gtcode.cases import get_case

        return get_case(self._store, name)

    def set(self, name: str, attributes: dict[str, str | None]) -> dict:
        """Create the case if needed and set attributes ('' removes one). Returns what changed."""
        from gtcode.cases import ensure_case, link_unlinked_documents, set_attributes

        with self._transaction() as txn:
            changes = set_attributes(self._store, txn, name, attributes) if attributes else {}
            if not attributes:
                ensure_case(self._store, txn, name)
            link_unlinked_documents(self._store, txn)
            return changes

    def import_file(self, path: str | os.PathLike, id_column: str | None = None) -> dict:
        """Cases and attributes from a CSV (id column + any attributes); links documents by file stem."""
        from gtcode.cases import import_case_rows
        from gtcode.ingest.case_table import read_case_table

        column, rows = read_case_table(Path(path), id_column)
        with self._transaction() as txn:
            return import_case_rows(self._store, txn, column, rows)

    def rename(self, name: str, new_name: str):
        """Give a case another name (not one another case has: that would merge them). Returns a `Renamed`."""
        from gtcode.cases import rename_case

        with self._transaction() as txn:
            return rename_case(self._store, txn, self.get(name), new_name)

    def delete(self, name: str, force: bool = False):
        """Delete a case and its attribute values; refuses (CaseInUse, with the list) while documents are linked
        to it, unless `force`, which unlinks them (the documents stay). Undoable."""
        from gtcode.cases import delete_case

        with self._transaction() as txn:
            return delete_case(self._store, txn, self.get(name), force)
