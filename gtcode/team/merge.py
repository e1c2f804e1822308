"""Merging another coder's project into this one: `gtcode merge OTHER.db`.

Blind double-coding starts from one project copied for each coder; merging
brings the other copy's work back: codes, codings, memos, comments, the model
and the audit log, nothing twice. Rows are matched by UUID first, then by what
a researcher would call the same thing (a code's path, a coding's span,
coder and code), so merging the same file again changes nothing.

A merge only ever adds: a coding one copy deleted or trimmed and the other
kept comes back (one coder's overlapping codings of a code join, as when
coding), because two copies carry no record of a common ancestor. Where the
projects disagree (a memo edited in both, an attribute with two values, a code
renamed) this project's version is kept and the other's is added or reported,
never silently dropped. The whole merge is one command, so `gtcode undo` reverses it; the
copied events stay, since the audit log is append-only.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from gtcode.errors import InputError, NotAProject, SchemaTooNew
from gtcode.store.db import SQLITE_HEADER, Store
from gtcode.store.health import quick_check
from gtcode.store.schema import APPLICATION_ID, DB_FILENAME, SCHEMA_VERSION
from gtcode.team import merge_codes, merge_memos
from gtcode.team.merge_state import KINDS, Merger, MergeReport, Tally
from gtcode.text import plural

__all__ = ["KINDS", "MergeReport", "Tally", "merge_project"]

#: Tables merged here, or deliberately not (documents are matched, never copied; undo data is per project).
KNOWN_TABLES = {"project", "coders", "cases", "attributes", "case_attributes", "documents", "turns", "segments",
                "events", "codes", "codings", "txn_state", "changes", "memo_types", "memos", "memo_versions",
                "memo_links", "memo_comments", "memo_signoffs", "category_properties", "property_evidence",
                "relation_types", "relations", "relation_evidence", "rejected_suggestions", "_sqlite_migrations",
                "passage_vectors", "vector_documents"}   # the last two: assist's index, derived, rebuilt on demand


def merge_project(project, other_path: str | os.PathLike, dry_run: bool = False) -> MergeReport:
    """Merge OTHER (a file or a folder holding gtcode.db) into `project` in one transaction.

    With `dry_run` the merge runs and is rolled back, so the report is exactly what would happen.
    """
    other_file = _locate(project, other_path)
    other = _open_other(other_file)
    try:
        with project.transaction(dry_run=dry_run) as txn, project.store.savepoint():
            theirs = Store(other_file, other, on_file=False)
            return _run(Merger(project.store, theirs, txn, str(other_path), dry_run))
    finally:
        other.close()


# --- opening the other project without touching it ----------------------------------------

def _locate(project, other_path) -> Path:
    path = Path(other_path).expanduser()
    if path.is_dir():
        path = path / DB_FILENAME
    if not path.is_file():
        raise InputError(f"{other_path}: no such project file; nothing was merged")
    if os.path.samefile(path, project.path):
        raise InputError(f"{other_path}: that is this project's own file; nothing to merge")
    return path.resolve()


def _open_other(path: Path) -> sqlite3.Connection:
    """An in-memory copy of OTHER, migrated if it is older: the user's file is only read."""
    from gtcode.store.handles import read_header

    if not read_header(path).startswith(SQLITE_HEADER):
        raise NotAProject(f"{path}: not a gtcode project (not an SQLite database); nothing was merged")
    try:
        source = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            app_id = source.execute("PRAGMA application_id").fetchone()[0]
            version = source.execute("PRAGMA user_version").fetchone()[0]
            if app_id != APPLICATION_ID:
                raise NotAProject(f"{path}: an SQLite database, but not a gtcode project; nothing was merged")
            if version > SCHEMA_VERSION:
                raise SchemaTooNew(f"{path}: written by a newer gtcode (schema {version}, this gtcode knows "
                                   f"{SCHEMA_VERSION}); upgrade gtcode to merge it; nothing was merged")
            quick_check(source, path)   # a damaged copy is refused, never half-merged
            copy = sqlite3.connect(":memory:", isolation_level=None)
            source.backup(copy)
        finally:
            source.close()
    except sqlite3.DatabaseError as exc:
        raise NotAProject(f"{path}: cannot be read as a gtcode project ({exc}); nothing was merged") from None
    copy.row_factory = sqlite3.Row
    try:
        if version < SCHEMA_VERSION:
            Store(path, copy, on_file=False).migrate()
        complete = copy.execute("SELECT count(*) FROM project").fetchone()[0] == 1
    except sqlite3.DatabaseError:
        complete = False
    if not complete:
        copy.close()
        raise NotAProject(f"{path}: not a complete gtcode project (no project record); nothing was merged")
    return copy


# --- the merge ------------------------------------------------------------------------------

def _run(merge: Merger) -> MergeReport:
    """Each kind of row in turn (later steps use the ids earlier ones mapped), then one event for the whole merge."""
    if merge.other.scalar("SELECT uuid FROM project") != merge.store.scalar("SELECT uuid FROM project"):
        merge.warn(f"{merge.label} is not a copy of this project (it was created separately): documents are "
                   "matched by their text, codes by their path")
    for step in (_coders, _documents, _cases, merge_codes.codes, merge_codes.codings, merge_codes.rejections,
                 merge_memos.memos,
                 merge_memos.memo_parts, merge_codes.model, _events, _unknown_tables, _document_warnings):
        step(merge)
    counts = merge.report.counts
    if merge.report.changed:   # recorded in a dry run too, and rolled back with the rest
        added = ", ".join(_amount(t.added, k) for k, t in counts.items() if t.added and k != "events")
        updated = sum(t.updated for t in counts.values())
        parts = [f"added {added}" if added else "", f"updated {plural(updated, 'row')}" if updated else "",
                 f"copied {_amount(counts['events'].added, 'events')}" if counts["events"].added else ""]
        merge.txn.record("merge", f"merged project {merge.report.other_name!r} ({merge.label}): "
                         + "; ".join(p for p in parts if p),
                         merge.other.scalar("SELECT uuid FROM project WHERE id = 1"), source=merge.label,
                         counts={k: vars(t) for k, t in counts.items()}, warnings=merge.report.warnings,
                         txns=merge.copied_txns)
    return merge.report


def _amount(n: int, kind: str) -> str:
    if n != 1 or not kind.endswith("s"):
        return f"{n} {kind}"
    return f"1 {kind[:-3]}y" if kind.endswith("ies") else f"1 {kind[:-1]}"


# --- people, documents, cases ---------------------------------------------------------------

def _coders(merge: Merger) -> None:
    ours = {r["name"]: r for r in merge.store.all("SELECT id, uuid, name FROM coders")}
    uuids = {r["uuid"] for r in ours.values()}
    for r in merge.rows("SELECT * FROM coders ORDER BY id"):
        if r["name"] in ours:
            merge.coder[r["id"]] = ours[r["name"]]["id"]
            merge.count("coders", "present")
        else:
            merge.coder[r["id"]] = merge.insert("coders", r, uuids)
            merge.count("coders", "added")


def _documents(merge: Merger) -> None:
    ours = merge.store.all("SELECT id, uuid, name, text_hash, case_id FROM documents ORDER BY id")
    by_hash: dict[str, sqlite3.Row] = {}
    for r in ours:
        by_hash.setdefault(r["text_hash"], r)
    names = {r["name"].casefold() for r in ours}
    theirs = merge.rows("SELECT d.id, d.uuid, d.name, d.text_hash, c.name AS case_name FROM documents d "
                        "LEFT JOIN cases c ON c.id = d.case_id ORDER BY d.id")
    merge.other_docs = {r["id"]: r for r in theirs}
    merge.case_links = []
    only_there, differ = [], []
    for r in theirs:
        mine = by_hash.get(r["text_hash"])
        if mine is None:
            (differ if r["name"].casefold() in names else only_there).append(r["name"])
            continue
        merge.doc[r["id"]], merge.doc_uuid[r["uuid"]] = mine["id"], mine["uuid"]
        merge.case_links.append((mine, r["case_name"]))
    matched = set(merge.doc.values())
    merge.report.documents = {"matched": len(merge.doc), "only_there": only_there, "differ": differ,
                              "only_here": sum(1 for r in ours if r["id"] not in matched)}
    if theirs and not merge.doc:
        raise InputError(f"{merge.label}: none of its {plural(len(theirs), 'transcript')} is in this project "
                         "(documents are matched by their text); not a copy of this study, so nothing was merged")


def _document_warnings(merge: Merger) -> None:
    differ = set(merge.report.documents["differ"])
    for r in merge.other_docs.values():
        if r["id"] in merge.doc:
            continue
        n = merge.lost[r["id"]]
        if r["name"] in differ:
            why = f"document {r['name']!r}: its transcript differs between the two projects (different text)"
        else:
            why = f"document {r['name']!r} is only in {merge.label} (import it here, then merge again)"
        lost = plural(n, "coding, link or piece of evidence", "codings, links or pieces of evidence")
        merge.warn(why + (f"; skipped {lost} on it" if n else "; nothing was on it"))


def _cases(merge: Merger) -> None:
    ours = {r["name"].casefold(): r["id"] for r in merge.store.all("SELECT id, name FROM cases")}
    uuids = {r[0] for r in merge.store.all("SELECT uuid FROM cases")}
    names = {}
    for r in merge.rows("SELECT * FROM cases ORDER BY id"):
        names[r["id"]] = r["name"]
        if r["name"].casefold() in ours:
            merge.case[r["id"]] = ours[r["name"].casefold()]
            merge.count("cases", "present")
        else:
            r["created_by"] = merge.coder[r["created_by"]]
            merge.case[r["id"]] = ours[r["name"].casefold()] = merge.insert("cases", r, uuids)
            merge.count("cases", "added")
    attrs = {r["name"].casefold(): r["id"] for r in merge.store.all("SELECT id, name FROM attributes")}
    uuids = {r[0] for r in merge.store.all("SELECT uuid FROM attributes")}
    attr, attr_names = {}, {}
    for r in merge.rows("SELECT * FROM attributes ORDER BY id"):
        attr_names[r["id"]] = r["name"]
        if r["name"].casefold() in attrs:
            attr[r["id"]] = attrs[r["name"].casefold()]
            merge.count("attributes", "present")
        else:
            attr[r["id"]] = attrs[r["name"].casefold()] = merge.insert("attributes", r, uuids)
            merge.count("attributes", "added")
    values = {(r[0], r[1]): r[2] for r in
              merge.store.all("SELECT case_id, attribute_id, value FROM case_attributes")}
    for r in merge.rows("SELECT * FROM case_attributes"):
        key = (merge.case[r["case_id"]], attr[r["attribute_id"]])
        if key not in values:
            merge.insert("case_attributes", {"case_id": key[0], "attribute_id": key[1], "value": r["value"]})
            merge.count("attribute values", "added")
        elif values[key] == r["value"]:
            merge.count("attribute values", "present")
        else:
            merge.count("attribute values", "skipped")
            merge.warn(f"case {names[r['case_id']]}: {attr_names[r['attribute_id']]} is {values[key]!r} here and "
                       f"{r['value']!r} in {merge.label}; kept {values[key]!r}")
    case_names = {r[0]: r[1] for r in merge.store.all("SELECT id, name FROM cases")}
    for mine, theirs in merge.case_links:
        here = case_names.get(mine["case_id"])
        if theirs and (here or "").casefold() != theirs.casefold():
            merge.warn(f"document {mine['name']!r} belongs to case {theirs} in {merge.label} but to "
                       f"{here or 'no case'} here; left as it is (change it with 'gtcode cases link')")


# --- the audit log --------------------------------------------------------------------------

def _events(merge: Merger) -> None:
    """The other coder's events, so the log shows who did what when; `events.uuid` is their identity."""
    uuids = {r[0] for r in merge.store.all("SELECT uuid FROM events")}
    txns = set()
    for r in merge.rows("SELECT * FROM events ORDER BY id"):
        if r["uuid"] in uuids:
            merge.count("events", "present")
        else:
            merge.insert("events", dict(r, coder_id=merge.coder[r["coder_id"]]))
            txns.add(r["txn"])
            merge.count("events", "added")
    merge.copied_txns = sorted(txns)   # commands made elsewhere: `undo` here skips them (it undoes the merge)


def _unknown_tables(merge: Merger) -> None:
    for (name,) in merge.other.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
        if name in KNOWN_TABLES or name.startswith(("sqlite_", "segment_fts")):
            continue
        n = merge.other.scalar(f'SELECT count(*) FROM "{name}"')
        if n:
            merge.warn(f"{merge.label}: table {name!r} ({plural(n, 'row')}) is not merged by this version of gtcode")
