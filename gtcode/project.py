"""`Project`: the one API the CLI, the TUI, tests and notebooks call.

    from gtcode import Project
    with Project.open() as p:          # finds gtcode.db like git finds .git
        p.import_paths(["transcripts/"])
        hits = p.search("judged", where=["role=mother"])
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from gtcode.config import load_config, resolve_coder
from gtcode.errors import InputError, ProjectExists, ProjectNotFound
from gtcode.store.db import Store, now
from gtcode.store.schema import DB_FILENAME


def _find(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / DB_FILENAME
        if candidate.is_file():
            return candidate
    return None


class Project:
    """An open gtcode project: one SQLite file, `gtcode.db`."""

    def __init__(self, store: Store, coder: str | None = None, command: str = "api"):
        self.store = store
        self._coder = coder
        #: recorded on every event; the CLI sets it to the command line
        self.command = command
        self.debug = False

    @property
    def coder(self) -> str:
        """Who is working: resolved when first needed, so read commands skip the config file."""
        if self._coder is None or not self._coder.strip():
            self._coder = resolve_coder(self._coder)
        return self._coder

    @coder.setter
    def coder(self, name: str) -> None:
        self._coder = name

    # --- finding, creating, opening ----------------------------------------
    @staticmethod
    def locate(path: str | os.PathLike | None = None) -> Path:
        """The project file: `path` (file or folder), else $GTCODE_PROJECT, else search upwards."""
        if path is None and os.environ.get("GTCODE_PROJECT"):
            path = os.environ["GTCODE_PROJECT"]
        if path is not None:
            p = Path(path).expanduser()
            if p.is_dir():
                if (p / DB_FILENAME).is_file():
                    return p / DB_FILENAME
                raise ProjectNotFound(f"{p}: no gtcode project here (no {DB_FILENAME}); create one with 'gtcode init {p}'")
            if p.is_file():
                return p
            raise ProjectNotFound(f"{p}: no such project file")
        found = _find(Path.cwd())
        if found is None:
            raise ProjectNotFound(
                f"no gtcode project in {Path.cwd()} or its parents; create one with 'gtcode init', "
                "or name one with --project/-p or GTCODE_PROJECT")
        return found

    @classmethod
    def init(cls, directory: str | os.PathLike = ".", name: str | None = None, coder: str | None = None,
             command: str = "api") -> "Project":
        folder = Path(directory).expanduser()
        if folder.suffix == ".db":
            path, folder = folder, folder.parent
        else:
            path = folder / DB_FILENAME
        path = path.resolve()
        if path.exists():
            raise ProjectExists(f"{path}: a project (or other file) is already there; nothing was changed")
        folder.mkdir(parents=True, exist_ok=True)
        store = Store.create(path)
        project = cls(store, coder, command)
        from gtcode.store.db import new_uuid
        with project.transaction() as txn:
            uuid = new_uuid()
            title = name or folder.resolve().name or "gtcode project"
            store.conn.execute("INSERT INTO project (id, uuid, name, created_at, created_by) VALUES (1, ?, ?, ?, ?)",
                               (uuid, title, now(), project.coder))
            txn.record("project.init", f"created project {title!r}", uuid, name=title)
        return project

    @classmethod
    def open(cls, path: str | os.PathLike | None = None, coder: str | None = None, command: str = "api") -> "Project":
        return cls(Store.open(cls.locate(path).resolve()), coder, command)

    @property
    def path(self) -> Path:
        return self.store.path

    @property
    def name(self) -> str:
        return self.store.scalar("SELECT name FROM project WHERE id = 1") or self.path.parent.name

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> "Project":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def transaction(self, *, dry_run: bool = False):
        """One command's worth of changes: all land, with their events, or none do (none, with `dry_run`)."""
        return self.store.transaction(self.coder, self.command, dry_run=dry_run)

    # --- import -----------------------------------------------------------
    def import_paths(self, paths, *, case: str | None = None, interviewer=None, speaker_pattern: str | None = None,
                     replace: bool = False, force: bool = False, text_column: str | None = None,
                     id_column: str | None = None, nlp: str | None = None,
                     pseudonymise: str | os.PathLike | None = None,
                     progress: Callable[[int, str], None] | None = None):
        """Import transcripts (files, folders, globs); returns an ImportReport. Bad files are skipped, reported.

        `pseudonymise`: a key CSV (real,pseudonym), read but never stored; names become pseudonyms and
        e-mails, phone numbers, postcodes, NHS numbers and dates of birth become tags before anything is stored.
        """
        from gtcode.ingest.importer import ImportSettings, run_import
        from gtcode.ingest import ReadOptions

        cfg = load_config()
        if interviewer is None and cfg.get("interviewer"):
            interviewer = cfg["interviewer"]
        if isinstance(interviewer, str):
            interviewer = tuple(x.strip() for x in interviewer.split(",") if x.strip())
        settings = ImportSettings(
            read=ReadOptions(speaker_pattern, tuple(interviewer) if interviewer is not None else None,
                             text_column, id_column),
            case=case, replace=replace, force=force, nlp=nlp or cfg.get("nlp"))
        if pseudonymise is not None:
            from gtcode.redact import Pseudonymiser
            settings.pseudonymiser = Pseudonymiser.from_key(pseudonymise)  # a bad key fails here: nothing imported
        if speaker_pattern:
            import re
            try:
                re.compile(speaker_pattern)
            except re.error as exc:
                raise InputError(f"--speaker-pattern {speaker_pattern!r}: not a valid regular expression ({exc})") from None
        with self.transaction() as txn:
            return run_import(self.store, txn, list(paths), settings, progress, self.debug)

    @staticmethod
    def count_files(paths) -> int:
        from gtcode.ingest import expand_paths
        return len(expand_paths(list(paths))[0])

    # --- documents and segments ------------------------------------------
    def documents(self, where=None):
        from gtcode.documents import list_documents
        from gtcode.scope import parse_where, where_sql
        clause, params = where_sql(self.store, parse_where(where))
        return list_documents(self.store, clause, params)

    def document(self, ref):
        from gtcode.documents import resolve_document
        return resolve_document(self.store, ref)

    def document_text(self, ref) -> str:
        doc = self.document(ref)
        return self.store.scalar("SELECT text FROM documents WHERE id = ?", (doc.id,))

    def segments(self, ref, first: int | None = None, last: int | None = None):
        """Segments of a document, optionally only ordinals first..last."""
        from gtcode.documents import document_segments
        return document_segments(self.store, self.document(ref), first=first, last=last)

    def segment(self, address: str):
        """Segments named by an address: `D3:17`, `D3:17-21`, `P01:4,9`."""
        from gtcode.address import parse_address
        from gtcode.documents import document_segments
        addr = parse_address(address)
        return document_segments(self.store, self.document(addr.document), ordinals=addr.ordinals)

    def turns(self, ref) -> list[dict]:
        doc = self.document(ref)
        return [dict(r) for r in self.store.all(
            "SELECT ordinal, speaker, is_interviewer, start_char, body_start, end_char, time_start, time_end "
            "FROM turns WHERE document_id = ? ORDER BY ordinal", (doc.id,))]

    def link_document(self, ref, case: str | None) -> None:
        from gtcode.cases import link_document
        doc = self.document(ref)
        with self.transaction() as txn:
            link_document(self.store, txn, doc.id, doc.uuid, doc.name, case)

    def search(self, query: str, *, where=None, speaker: str | None = None, limit: int | None = 50):
        """(hits, total) ranked best first."""
        from gtcode.scope import parse_where, where_sql
        from gtcode.analysis.search import search
        clause, params = where_sql(self.store, parse_where(where))
        return search(self.store, query, clause, params, speaker, limit)

    # --- cases -----------------------------------------------------------
    def cases(self):
        from gtcode.cases import list_cases
        return list_cases(self.store)

    def case(self, name: str):
        from gtcode.cases import get_case
        return get_case(self.store, name)

    def set_case(self, name: str, attributes: dict[str, str | None]) -> dict:
        """Create the case if needed and set attributes ('' removes one). Returns what changed."""
        from gtcode.cases import link_unlinked_documents, set_attributes
        with self.transaction() as txn:
            changes = set_attributes(self.store, txn, name, attributes) if attributes else {}
            if not attributes:
                from gtcode.cases import ensure_case
                ensure_case(self.store, txn, name)
            link_unlinked_documents(self.store, txn)
            return changes

    def import_cases(self, path: str | os.PathLike, id_column: str | None = None) -> dict:
        """Cases and attributes from a CSV (id column + any attributes); links documents by file stem."""
        from gtcode.cases import ensure_case, link_unlinked_documents, read_case_table, set_attributes
        column, rows = read_case_table(Path(path), id_column)
        created = updated = 0
        with self.transaction() as txn:
            for row in rows:
                ident = row.pop("__id__")
                existed = self.store.one("SELECT 1 FROM cases WHERE name = ?", (ident,))
                ensure_case(self.store, txn, ident)
                created += existed is None
                if set_attributes(self.store, txn, ident, {k: v for k, v in row.items() if v}) and existed:
                    updated += 1
            linked = link_unlinked_documents(self.store, txn)
        return {"id_column": column, "cases": len(rows), "created": created, "updated": updated, "linked": linked}

    # --- codes (open coding) ----------------------------------------------
    def codes(self):
        """Every code in tree order, each with its path."""
        from gtcode.codes import all_codes
        return all_codes(self.store)

    def code(self, ref):
        from gtcode.codes import resolve_code
        return resolve_code(self.store, ref)

    def add_code(self, name: str, parent: str | None = None, **fields):
        """Add a code (`Barriers/Fear of judgement` or name + parent). Fields: description, color, …"""
        from gtcode.codes import add_code
        if parent is None and "/" in name:
            parent, _, name = name.rpartition("/")
        with self.transaction() as txn:
            return add_code(self.store, txn, name, parent or None, **fields)

    def rename_code(self, ref, new_name: str):
        from gtcode.codes import rename_code
        with self.transaction() as txn:
            return rename_code(self.store, txn, ref, new_name)

    def move_code(self, ref, parent: str | None):
        from gtcode.codes import move_code
        with self.transaction() as txn:
            return move_code(self.store, txn, ref, parent)

    def describe_code(self, ref, **values):
        """Definition (description), include, exclude, example, color; None keeps a value."""
        from gtcode.codes import describe_code
        with self.transaction() as txn:
            return describe_code(self.store, txn, ref, **values)

    def merge_codes(self, sources: list[str], target: str) -> dict:
        from gtcode.coding import merge_codes
        with self.transaction() as txn:
            return merge_codes(self.store, txn, list(sources), target)

    def split_code(self, ref, into: str, coding_ids: list[int]) -> dict:
        from gtcode.coding import split_code
        with self.transaction() as txn:
            return split_code(self.store, txn, ref, into, list(coding_ids))

    def delete_code(self, ref, force: bool = False) -> dict:
        from gtcode.codes import delete_code
        with self.transaction() as txn:
            return delete_code(self.store, txn, ref, force)

    def code_counts(self, include_pending: bool = False) -> dict:
        from gtcode.coding import code_counts
        return code_counts(self.store, include_pending)

    # --- coding ------------------------------------------------------------
    def apply_code(self, addresses, codes, *, quote: str | None = None, create: bool = False) -> dict:
        """Code segments (`D3:17`, `D3:17-21`, `D3:4,9`) or, with `quote`, exact words in one segment."""
        from gtcode.coding import code_spans, spans_for_addresses
        addresses = [addresses] if isinstance(addresses, str) else list(addresses)
        codes = [codes] if isinstance(codes, str) else list(codes)
        spans = spans_for_addresses(self, addresses, quote)
        with self.transaction() as txn:
            return code_spans(self, txn, codes, spans, create=create)

    def search_spans(self, query: str, *, where=None, speaker: str | None = None):
        """Every search hit as a segment span, for `code --search`."""
        from gtcode.coding import Span
        hits, _ = self.search(query, where=where, speaker=speaker, limit=None)
        return hits, [Span(h.document_id, h.start, h.end, h.address) for h in hits]

    def apply_code_to_spans(self, spans, codes, *, create: bool = False) -> dict:
        from gtcode.coding import code_spans
        codes = [codes] if isinstance(codes, str) else list(codes)
        with self.transaction() as txn:
            return code_spans(self, txn, codes, list(spans), create=create)

    def remove_code(self, addresses, codes, *, quote: str | None = None, all_coders: bool = False) -> int:
        """Take codes off segments or a quote; codings that only partly overlap are trimmed."""
        from gtcode.coding import spans_for_addresses, uncode_spans
        addresses = [addresses] if isinstance(addresses, str) else list(addresses)
        codes = [codes] if isinstance(codes, str) else list(codes)
        spans = spans_for_addresses(self, addresses, quote)
        with self.transaction() as txn:
            return uncode_spans(self, txn, codes, spans, all_coders)

    def invivo(self, address: str, quote: str, parent: str | None = None):
        """Create a code named by the participant's own words and code exactly those words."""
        from gtcode.codes import add_code, all_codes
        from gtcode.coding import add_coding, spans_for_addresses
        span = spans_for_addresses(self, [address], quote)[0]
        name = " ".join(self.document_text(span.document_id)[span.start:span.end].split())
        with self.transaction() as txn:
            existing = [c for c in all_codes(self.store) if c.name.casefold() == name.casefold() and
                        (c.parent_id is None if parent is None else c.path.casefold().startswith(parent.casefold()))]
            code = existing[0] if existing else add_code(self.store, txn, name, parent, invivo=True)
            add_coding(self.store, txn, code.id, span.document_id, span.start, span.end)
            txn.record("coding.add", f"in vivo: coded {span.label} “{name}”", code.uuid,
                       code={"uuid": code.uuid, "path": code.path}, spans=[[span.document_id, span.start, span.end]])
            return code

    def passages(self, codes=None, *, where=None, include_pending: bool = False, context: int = 0,
                 children: bool = True, speaker: str | None = None):
        """Coded passages of the given codes (and their children), with address, speaker and context."""
        from gtcode.codes import all_codes, resolve_code, subtree
        from gtcode.coding import passages
        from gtcode.scope import parse_where, where_sql
        ids = None
        if codes is not None:
            tree = all_codes(self.store)
            codes = [codes] if isinstance(codes, (str, int)) else list(codes)
            ids = []
            for ref in codes:
                code = resolve_code(self.store, ref, tree)
                ids.extend(c.id for c in (subtree(tree, code) if children else [code]))
        clause, params = where_sql(self.store, parse_where(where))
        return passages(self.store, ids, clause, params, include_pending, context, speaker)

    # --- axial and selective coding -------------------------------------------
    def new_category(self, name: str, parent: str | None = None, description: str = ""):
        """A new category, or an existing code promoted to one."""
        from gtcode.model import new_category
        with self.transaction() as txn:
            return new_category(self.store, txn, name, parent, description)

    def add_to_category(self, category: str, codes) -> list[str]:
        from gtcode.model import add_to_category
        codes = [codes] if isinstance(codes, str) else list(codes)
        with self.transaction() as txn:
            return add_to_category(self.store, txn, category, codes)

    def categories(self):
        from gtcode.model import categories
        return categories(self.store)

    def add_property(self, category: str, name: str, dimension: str | None = None, description: str = ""):
        from gtcode.model import add_property
        with self.transaction() as txn:
            return add_property(self.store, txn, category, name, dimension, description)

    def set_property(self, category: str, name: str, dimension: str | None = None, description: str = "",
                     at=None) -> int:
        """Add or change a property and place evidence on it, in one transaction; returns passages placed."""
        from gtcode.model import add_property, place, properties, category as get_category
        with self.transaction() as txn:
            exists = any(p.name.casefold() == name.casefold()
                         for p in properties(self.store, get_category(self.store, category)))
            if dimension is not None or description or not exists:
                add_property(self.store, txn, category, name, dimension, description)
            return place(self, txn, category, name, list(at)) if at else 0

    def place(self, category: str, prop: str, placements) -> int:
        """Evidence on a property's dimension: ['D3:17=high', …]."""
        from gtcode.model import place
        placements = [placements] if isinstance(placements, str) else list(placements)
        with self.transaction() as txn:
            return place(self, txn, category, prop, placements)

    def properties(self, category: str):
        from gtcode.model import category as get_category, properties
        return properties(self.store, get_category(self.store, category))

    def relate(self, source: str, type: str, target: str, *, memo=None, evidence=None, note: str = "") -> dict:
        """SOURCE TYPE TARGET, grounded in evidence (addresses) and/or a memo."""
        from gtcode.model import relate
        evidence = [evidence] if isinstance(evidence, str) else evidence
        with self.transaction() as txn:
            return relate(self, txn, source, type, target, memo=memo, evidence=evidence, note=note)

    def unrelate(self, source: str, type: str, target: str) -> None:
        from gtcode.model import unrelate
        with self.transaction() as txn:
            unrelate(self, txn, source, type, target)

    def relations(self, type: str | None = None, category: str | None = None):
        from gtcode.model import relations
        return relations(self, type, category)

    def relation_types(self) -> list[dict]:
        from gtcode.model import relation_types
        return relation_types(self.store)

    def add_relation_type(self, name: str, label: str = "", polarity: str = "0") -> str:
        from gtcode.model import add_relation_type
        with self.transaction() as txn:
            return add_relation_type(self.store, txn, name, label, polarity)

    def paradigm(self, phenomenon: str, **roles) -> dict:
        """condition=, context=, intervening=, strategy=, consequence= (lists of categories)."""
        from gtcode.model import PARADIGM, paradigm, paradigm_view
        unknown = set(roles) - set(PARADIGM)
        if unknown:
            raise InputError(f"paradigm roles are {', '.join(PARADIGM)}; not {', '.join(sorted(unknown))}")
        if not any(roles.values()):
            return paradigm_view(self, phenomenon)
        with self.transaction() as txn:
            return paradigm(self, txn, phenomenon, roles)

    def set_core(self, category: str):
        from gtcode.model import set_core
        with self.transaction() as txn:
            return set_core(self.store, txn, category)

    def model(self, by: str | None = "role") -> dict:
        from gtcode.model import model_view
        return model_view(self, by)

    def check_model(self, min_evidence: int = 2):
        from gtcode.model import check
        return check(self, min_evidence)

    def cooccurrence(self, codes=None, by: str = "segment", where=None, **options):
        """Code × code co-occurrence by segment, turn or document, with Jaccard. See `cooccurrence`."""
        from gtcode.analysis.cooccurrence import cooccurrence
        return cooccurrence(self, codes, by, where, **options)

    def matrix(self, cols: str, **options):
        """Codes or categories × values of a case attribute. See `cooccurrence.matrix`."""
        from gtcode.analysis.cooccurrence import matrix
        return matrix(self, cols, **options)

    def saturation(self, order: str = "imported", last: int = 3, **options):
        """New codes per interview and the share new in the last `last`. See `saturation.saturation`."""
        from gtcode.analysis.saturation import saturation
        return saturation(self, order, last, **options)

    def suggest_relations(self) -> list[dict]:
        """Candidate relations from co-occurrence, strongest first; never applied."""
        from gtcode.analysis.cooccurrence import suggest_relations
        return suggest_relations(self)

    # --- constant comparison ---------------------------------------------------
    def retrieve(self, code, **options):
        """Every passage of CODE (and children), grouped by case, document or attribute. See `analysis.retrieve`."""
        from gtcode.analysis.retrieve import retrieve
        return retrieve(self, code, **options)

    def compare(self, a, b, **options):
        """Passages with A only, B only and both, split by case attributes. See `analysis.compare`."""
        from gtcode.analysis.retrieve import compare
        return compare(self, a, b, **options)

    def kwic(self, term: str, **options):
        """Keyword in context, lemma-aware. See `words.kwic`."""
        from gtcode.analysis.words import kwic
        return kwic(self, term, **options)

    def freq(self, **options):
        """Content-word (or lemma) frequencies, optionally by attribute. See `words.freq`."""
        from gtcode.analysis.words import freq
        return freq(self, **options)

    # --- codebooks and autocoding ------------------------------------------
    def import_codebook(self, path, dry_run: bool = False):
        """Add or update codes from a YAML codebook (never deletes); returns what changed."""
        from gtcode.codebook import import_codebook_file
        return import_codebook_file(self, path, dry_run=dry_run)

    def export_codebook(self, fmt: str = "yaml", code: str | None = None) -> str:
        """The codebook (or one code's subtree) as yaml, csv or md text."""
        from gtcode.codebook import export_codebook
        return export_codebook(self.store, fmt, code, title=self.name)

    def autocode(self, **options):
        """Suggest codings from codebook patterns (pending until reviewed). See `autocode.autocode_run`."""
        from gtcode.codebook.autocode import autocode_run
        return autocode_run(self, **options)

    def pending(self, code: str | None = None, *, where=None, context: int = 0):
        """Autocoded codings waiting for review."""
        from gtcode.codebook.autocode import pending
        return pending(self.store, code, where=where, context=context)

    def accept(self, ids=None, *, code: str | None = None, all_pending: bool = False) -> dict:
        from gtcode.codebook.autocode import review
        return review(self, "accept", ids, code=code, all_pending=all_pending)

    def reject(self, ids=None, *, code: str | None = None, all_pending: bool = False) -> dict:
        from gtcode.codebook.autocode import review
        return review(self, "reject", ids, code=code, all_pending=all_pending)

    # --- memos -----------------------------------------------------------------
    def new_memo(self, title: str, body: str, *, type: str = "theoretical", links: list[str] | None = None):
        """Write a memo; returns (memo, unresolved [[references]]). An empty body creates nothing."""
        from gtcode.memos import create_memo
        with self.transaction() as txn:
            return create_memo(self, txn, title, body, type, links)

    def edit_memo(self, ref, *, title: str | None = None, body: str | None = None):
        """A new version of the memo (old versions are kept); returns (memo, unresolved references)."""
        from gtcode.memos import edit_memo
        with self.transaction() as txn:
            return edit_memo(self, txn, ref, title, body)

    def memo(self, ref):
        from gtcode.memos import get_memo
        return get_memo(self.store, ref)

    def memos(self, **filters):
        """Memos, oldest first; filters: type, code, author, since, unreviewed."""
        from gtcode.memos import list_memos
        return list_memos(self, **filters)

    def memos_about(self, target_uuid: str):
        from gtcode.memos import memos_about
        return memos_about(self, target_uuid)

    def memo_history(self, ref):
        from gtcode.memos import history
        return history(self.store, ref)

    def link_memo(self, ref, specs):
        """Link a memo to one target or several (all or none: one transaction)."""
        from gtcode.memos import link_memo
        many = not isinstance(specs, str)
        with self.transaction() as txn:
            links = [link_memo(self, txn, ref, spec) for spec in ([specs] if not many else specs)]
        return links if many else links[0]

    def unlink_memo(self, ref, spec: str) -> int:
        from gtcode.memos import unlink_memo
        with self.transaction() as txn:
            return unlink_memo(self, txn, ref, spec)

    def comment_memo(self, ref, text: str, reply_to: int | None = None):
        """A review comment by the current coder (a supervisor uses their own name)."""
        from gtcode.memos import comment_memo
        with self.transaction() as txn:
            return comment_memo(self.store, txn, ref, text, reply_to)

    def signoff_memo(self, ref, note: str = ""):
        """Record that the current coder has read this version of the memo."""
        from gtcode.memos import signoff_memo
        with self.transaction() as txn:
            return signoff_memo(self.store, txn, ref, note)

    def memo_types(self) -> list[dict]:
        from gtcode.memos import memo_types
        return memo_types(self.store)

    def add_memo_type(self, name: str, description: str = "") -> str:
        from gtcode.memos import add_memo_type
        with self.transaction() as txn:
            return add_memo_type(self.store, txn, name, description)

    # --- team work ----------------------------------------------------------
    def export_qdpx(self, path, schema=None):
        """A REFI-QDA project file for NVivo, ATLAS.ti, MAXQDA, QualCoder; returns the report of what it could not carry."""
        from gtcode.exchange import export_qdpx
        return export_qdpx(self, path, schema)

    def import_exchange(self, path, dry_run: bool = False, **options):
        """Import a REFI-QDA .qdpx/.qde project or .qdc codebook; the report lists what gtcode could not take."""
        from gtcode.exchange import import_exchange_file
        return import_exchange_file(self, path, dry_run, **options)

    def export_qdc(self, code: str | None = None) -> bytes:
        """The codebook (or one code's subtree) as a REFI-QDA .qdc file."""
        from gtcode.exchange import export_qdc
        return export_qdc(self, code)

    def merge(self, other, *, dry_run: bool = False):
        """Merge another coder's copy (its gtcode.db or folder) into this project; returns a MergeReport."""
        from gtcode.team.merge import merge_project
        return merge_project(self, other, dry_run=dry_run)

    def agreement(self, *, coders: list[str] | None = None, codes: list[str] | None = None, unit: str = "segment",
                  where=None):
        """Percent agreement, Cohen's kappa and Krippendorff's alpha per code, and pooled."""
        from gtcode.team.agreement import agreement
        return agreement(self.store, coders=coders, codes=codes, unit=unit, where=where)

    def disagreements(self, code: str, *, coders: list[str] | None = None, unit: str = "segment", where=None):
        """(coders, units where they differ on `code`), for the team to discuss and settle."""
        from gtcode.team.agreement import disagreements
        return disagreements(self.store, code, coders=coders, unit=unit, where=where)

    def settle(self, address: str, code: str, *, keep: bool, coders: list[str] | None = None) -> dict:
        """Record the team's decision on a disputed unit: keep the code for every coder, or drop it."""
        from gtcode.team.agreement import settle
        with self.transaction() as txn:
            return settle(self, txn, address, code, keep, coders)

    # --- confidentiality ----------------------------------------------------------
    def redact_check(self, key=None, *, detectors: bool = True):
        """What the key's names and the detectors still find in documents, memos, codes, cases and the log."""
        from gtcode.redact import Pseudonymiser, check
        return check(self, Pseudonymiser.from_key(key, detectors))

    def redact_apply(self, key, *, detectors: bool = True):
        """Pseudonymise what is already stored; codings stay on the same words. Cannot be undone."""
        from gtcode.redact import Pseudonymiser, apply
        return apply(self, Pseudonymiser.from_key(key, detectors))

    # --- thesis outputs ---------------------------------------------------------
    def report(self, path, fmt: str | None = None, *, title: str | None = None, where=None):
        """The thesis report (docx, md or html by suffix or `fmt`): study, codebook, model, saturation, memos."""
        from gtcode.report.thesis import write_report
        return write_report(self, path, fmt, title=title, where=where)

    def export_codings(self, path, fmt: str | None = None, *, where=None):
        """One row per coding (csv or jsonl), for R and pandas."""
        from gtcode.exchange.tabular import export_codings
        return export_codings(self, path, fmt, where=where)

    def export_matrix(self, path, *, where=None):
        """The code × case 0/1 matrix as CSV."""
        from gtcode.exchange.tabular import export_matrix
        return export_matrix(self, path, where=where)

    # --- history -------------------------------------------------------------
    def log(self, *, code=None, coder: str | None = None, since: str | None = None, limit: int | None = 50):
        from gtcode.history import log
        uuids = [self.code(code).uuid] if code else None
        return log(self.store, code_uuids=uuids, coder=coder, since=since, limit=limit)

    def undo(self, steps: int = 1) -> list[dict]:
        """Reverse this coder's last `steps` commands exactly; recorded as an event itself."""
        from gtcode.history import undo
        with self.transaction() as txn:
            return undo(self.store, txn, steps)

    # --- overview ----------------------------------------------------------
    def stats(self) -> dict:
        s = self.store
        speakers = s.all("SELECT CASE WHEN speaker IS NULL THEN 'unattributed' WHEN is_interviewer THEN 'interviewer'"
                         " ELSE 'participant' END AS who, count(*) AS n FROM turns GROUP BY who")
        seg_by = s.all("SELECT CASE WHEN t.speaker IS NULL THEN 'unattributed' WHEN t.is_interviewer THEN 'interviewer'"
                       " ELSE 'participant' END AS who, count(*) AS n FROM segments g JOIN turns t ON t.id = g.turn_id"
                       " GROUP BY who")
        by_attr: dict[str, dict[str, int]] = {}
        for r in s.all("SELECT a.name, ca.value, count(DISTINCT ca.case_id) AS n FROM case_attributes ca "
                       "JOIN attributes a ON a.id = ca.attribute_id GROUP BY a.name, ca.value ORDER BY a.id, ca.value"):
            by_attr.setdefault(r["name"], {})[r["value"]] = r["n"]
        durations = [r[0] for r in s.all("SELECT max(coalesce(time_end, time_start)) FROM turns "
                                         "GROUP BY document_id HAVING max(coalesce(time_end, time_start)) IS NOT NULL")]
        return {
            "project": self.name,
            "path": str(self.path),
            "documents": s.scalar("SELECT count(*) FROM documents"),
            "cases": s.scalar("SELECT count(*) FROM cases"),
            "unlinked_documents": s.scalar("SELECT count(*) FROM documents WHERE case_id IS NULL"),
            "words": s.scalar("SELECT coalesce(sum(word_count), 0) FROM documents"),
            "turns": {r["who"]: r["n"] for r in speakers},
            "segments": {r["who"]: r["n"] for r in seg_by},
            "formats": {r[0]: r[1] for r in s.all("SELECT format, count(*) FROM documents GROUP BY format")},
            "cases_by_attribute": by_attr,
            "timed_documents": len(durations),
            "mean_minutes": round(sum(durations) / len(durations) / 60, 1) if durations else None,
            "coders": [r[0] for r in s.all("SELECT name FROM coders ORDER BY id")],
            "events": s.scalar("SELECT count(*) FROM events"),
        }

    def events(self, limit: int | None = None) -> list[dict]:
        """The audit log, newest first."""
        import json
        sql = ("SELECT e.id, e.uuid, e.txn, e.at, k.name AS coder, e.command, e.action, e.entity_uuid, e.summary, e.data"
               " FROM events e JOIN coders k ON k.id = e.coder_id ORDER BY e.id DESC")
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [dict(r) | {"data": json.loads(r["data"])} for r in self.store.all(sql)]

