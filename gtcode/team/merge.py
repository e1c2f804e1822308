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
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from gtcode.errors import InputError, NotAProject, SchemaTooNew
from gtcode.store.db import SQLITE_HEADER, Store, Txn, new_uuid
from gtcode.store.schema import APPLICATION_ID, DB_FILENAME, SCHEMA_VERSION

#: What the report counts, in the order a researcher reads them.
KINDS = ("coders", "cases", "attributes", "attribute values", "codes", "codings", "memo types", "memos",
         "memo versions", "memo links", "comments", "sign-offs", "relation types", "relations",
         "relation evidence", "properties", "property evidence", "events")
#: Tables merged here, or deliberately not (documents are matched, never copied; undo data is per project).
KNOWN_TABLES = {"project", "coders", "cases", "attributes", "case_attributes", "documents", "turns", "segments",
                "events", "codes", "codings", "txn_state", "changes", "memo_types", "memos", "memo_versions",
                "memo_links", "memo_comments", "memo_signoffs", "category_properties", "property_evidence",
                "relation_types", "relations", "relation_evidence", "_sqlite_migrations"}
CODE_FIELDS = ("description", "include", "exclude", "example", "color")


@dataclass
class Tally:
    added: int = 0
    updated: int = 0    # an existing row took something from the other project (a longer span, a definition…)
    present: int = 0    # already here
    skipped: int = 0    # not merged: on a transcript not here, in conflict, or superseded here


@dataclass
class MergeReport:
    other: str
    other_name: str
    dry_run: bool
    documents: dict = field(default_factory=dict)   # matched, only_there, differ, only_here
    counts: dict[str, Tally] = field(default_factory=lambda: {k: Tally() for k in KINDS})
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(t.added or t.updated for t in self.counts.values())

    def to_dict(self) -> dict:
        return {"other": self.other, "other_name": self.other_name, "dry_run": self.dry_run,
                "changed": self.changed, "documents": self.documents,
                "counts": {k: vars(t) for k, t in self.counts.items()}, "warnings": self.warnings}


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back; carries the report out."""

    def __init__(self, report: MergeReport):
        self.report = report


def merge_project(project, other_path: str | os.PathLike, dry_run: bool = False) -> MergeReport:
    """Merge OTHER (a file or a folder holding gtcode.db) into `project` in one transaction.

    With `dry_run` the merge runs and is rolled back, so the report is exactly what would happen.
    """
    other_file = _locate(project, other_path)
    other = _open_other(other_file)
    try:
        try:
            with project.transaction() as txn, project.store.savepoint():
                report = _Merger(project.store, Store(other_file, other), txn, str(other_path), dry_run).run()
                if dry_run:
                    raise _DryRun(report)
        except _DryRun as stop:
            report = stop.report
    finally:
        other.close()
    return report


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
    with path.open("rb") as fh:
        if not fh.read(100).startswith(SQLITE_HEADER):
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
            copy = sqlite3.connect(":memory:", isolation_level=None)
            source.backup(copy)
        finally:
            source.close()
    except sqlite3.DatabaseError as exc:
        raise NotAProject(f"{path}: cannot be read as a gtcode project ({exc}); nothing was merged") from None
    copy.row_factory = sqlite3.Row
    try:
        if version < SCHEMA_VERSION:
            Store(path, copy).migrate()
        complete = copy.execute("SELECT count(*) FROM project").fetchone()[0] == 1
    except sqlite3.DatabaseError:
        complete = False
    if not complete:
        copy.close()
        raise NotAProject(f"{path}: not a complete gtcode project (no project record); nothing was merged")
    return copy


# --- the merge ------------------------------------------------------------------------------

def _amount(n: int, kind: str) -> str:
    if n != 1 or not kind.endswith("s"):
        return f"{n} {kind}"
    return f"1 {kind[:-3]}y" if kind.endswith("ies") else f"1 {kind[:-1]}"


class _Merger:
    """One merge: maps from the other project's row ids to this project's, filled step by step."""

    def __init__(self, store: Store, other: Store, txn: Txn, label: str, dry_run: bool):
        self.store, self.conn, self.other, self.txn = store, store.conn, other, txn
        name = other.scalar("SELECT name FROM project WHERE id = 1")
        self.report = MergeReport(label, name, dry_run)
        self.label = label
        self._columns: dict[str, list[str]] = {}
        self.lost: Counter = Counter()          # other document id -> items on it that were skipped
        self.coder, self.doc, self.doc_uuid, self.case, self.code, self.code_uuid = {}, {}, {}, {}, {}, {}
        self.memo, self.version, self.relation_type, self.relation, self.prop = {}, {}, {}, {}, {}
        self.latest_same: dict[int, bool] = {}  # our memo id -> its latest text is the other's latest

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        t = self.report.counts[kind]
        setattr(t, outcome, getattr(t, outcome) + n)

    def warn(self, message: str) -> None:
        self.report.warnings.append(message)

    def insert(self, table: str, row: dict, uuids: set | None = None) -> int:
        """Copy a row of the other project (mapped ids already in `row`), keeping its uuid when free here."""
        if table not in self._columns:
            self._columns[table] = [r[1] for r in self.store.all(f"PRAGMA table_info({table})")]
        if uuids is not None:
            if row["uuid"] in uuids:
                row["uuid"] = new_uuid()
            uuids.add(row["uuid"])
        cols = [c for c in self._columns[table] if c != "id" and c in row]
        sql = (f"INSERT INTO {table} ({', '.join(chr(34) + c + chr(34) for c in cols)}) "
               f"VALUES ({', '.join('?' * len(cols))})")
        return self.conn.execute(sql, [row[c] for c in cols]).lastrowid

    def rows(self, sql: str) -> list[dict]:
        return [dict(r) for r in self.other.all(sql)]

    def run(self) -> MergeReport:
        if self.other.scalar("SELECT uuid FROM project") != self.store.scalar("SELECT uuid FROM project"):
            self.warn(f"{self.label} is not a copy of this project (it was created separately): documents are "
                      "matched by their text, codes by their path")
        self.coders()
        self.documents()
        self.cases()
        self.codes()
        self.codings()
        self.memos()
        self.memo_parts()
        self.model()
        self.events()
        self.unknown_tables()
        self.document_warnings()
        counts = self.report.counts
        if self.report.changed:   # recorded in a dry run too, and rolled back with the rest
            added = ", ".join(_amount(t.added, k) for k, t in counts.items() if t.added and k != "events")
            updated = sum(t.updated for t in counts.values())
            parts = [f"added {added}" if added else "", f"updated {updated} row(s)" if updated else "",
                     f"copied {_amount(counts['events'].added, 'events')}" if counts["events"].added else ""]
            self.txn.record("merge", f"merged project {self.report.other_name!r} ({self.label}): "
                            + "; ".join(p for p in parts if p),
                            self.other.scalar("SELECT uuid FROM project WHERE id = 1"), source=self.label,
                            counts={k: vars(t) for k, t in counts.items()}, warnings=self.report.warnings,
                            txns=self.copied_txns)
        return self.report

    # --- people, documents, cases ---------------------------------------------------------
    def coders(self) -> None:
        ours = {r["name"]: r for r in self.store.all("SELECT id, uuid, name FROM coders")}
        uuids = {r["uuid"] for r in ours.values()}
        for r in self.rows("SELECT * FROM coders ORDER BY id"):
            if r["name"] in ours:
                self.coder[r["id"]] = ours[r["name"]]["id"]
                self.count("coders", "present")
            else:
                self.coder[r["id"]] = self.insert("coders", r, uuids)
                self.count("coders", "added")

    def documents(self) -> None:
        ours = self.store.all("SELECT id, uuid, name, text_hash, case_id FROM documents ORDER BY id")
        by_hash: dict[str, sqlite3.Row] = {}
        for r in ours:
            by_hash.setdefault(r["text_hash"], r)
        names = {r["name"].casefold() for r in ours}
        theirs = self.rows("SELECT d.id, d.uuid, d.name, d.text_hash, c.name AS case_name FROM documents d "
                           "LEFT JOIN cases c ON c.id = d.case_id ORDER BY d.id")
        self.other_docs = {r["id"]: r for r in theirs}
        self.case_links = []
        only_there, differ = [], []
        for r in theirs:
            mine = by_hash.get(r["text_hash"])
            if mine is None:
                (differ if r["name"].casefold() in names else only_there).append(r["name"])
                continue
            self.doc[r["id"]], self.doc_uuid[r["uuid"]] = mine["id"], mine["uuid"]
            self.case_links.append((mine, r["case_name"]))
        matched = set(self.doc.values())
        self.report.documents = {"matched": len(self.doc), "only_there": only_there, "differ": differ,
                                 "only_here": sum(1 for r in ours if r["id"] not in matched)}
        if theirs and not self.doc:
            raise InputError(f"{self.label}: none of its {len(theirs)} transcript(s) is in this project (documents "
                             "are matched by their text); not a copy of this study, so nothing was merged")

    def document_warnings(self) -> None:
        differ = set(self.report.documents["differ"])
        for r in self.other_docs.values():
            if r["id"] in self.doc:
                continue
            n = self.lost[r["id"]]
            if r["name"] in differ:
                why = f"document {r['name']!r}: its transcript differs between the two projects (different text)"
            else:
                why = f"document {r['name']!r} is only in {self.label} (import it here, then merge again)"
            self.warn(why + (f"; skipped {n} coding(s), link(s) or evidence on it" if n else "; nothing was on it"))

    def cases(self) -> None:
        ours = {r["name"].casefold(): r["id"] for r in self.store.all("SELECT id, name FROM cases")}
        uuids = {r[0] for r in self.store.all("SELECT uuid FROM cases")}
        names = {}
        for r in self.rows("SELECT * FROM cases ORDER BY id"):
            names[r["id"]] = r["name"]
            if r["name"].casefold() in ours:
                self.case[r["id"]] = ours[r["name"].casefold()]
                self.count("cases", "present")
            else:
                r["created_by"] = self.coder[r["created_by"]]
                self.case[r["id"]] = ours[r["name"].casefold()] = self.insert("cases", r, uuids)
                self.count("cases", "added")
        attrs = {r["name"].casefold(): r["id"] for r in self.store.all("SELECT id, name FROM attributes")}
        uuids = {r[0] for r in self.store.all("SELECT uuid FROM attributes")}
        attr, attr_names = {}, {}
        for r in self.rows("SELECT * FROM attributes ORDER BY id"):
            attr_names[r["id"]] = r["name"]
            if r["name"].casefold() in attrs:
                attr[r["id"]] = attrs[r["name"].casefold()]
                self.count("attributes", "present")
            else:
                attr[r["id"]] = attrs[r["name"].casefold()] = self.insert("attributes", r, uuids)
                self.count("attributes", "added")
        values = {(r[0], r[1]): r[2] for r in
                  self.store.all("SELECT case_id, attribute_id, value FROM case_attributes")}
        for r in self.rows("SELECT * FROM case_attributes"):
            key = (self.case[r["case_id"]], attr[r["attribute_id"]])
            if key not in values:
                self.insert("case_attributes", {"case_id": key[0], "attribute_id": key[1], "value": r["value"]})
                self.count("attribute values", "added")
            elif values[key] == r["value"]:
                self.count("attribute values", "present")
            else:
                self.count("attribute values", "skipped")
                self.warn(f"case {names[r['case_id']]}: {attr_names[r['attribute_id']]} is {values[key]!r} here and "
                          f"{r['value']!r} in {self.label}; kept {values[key]!r}")
        case_names = {r[0]: r[1] for r in self.store.all("SELECT id, name FROM cases")}
        for mine, theirs in self.case_links:
            here = case_names.get(mine["case_id"])
            if theirs and (here or "").casefold() != theirs.casefold():
                self.warn(f"document {mine['name']!r} belongs to case {theirs} in {self.label} but to "
                          f"{here or 'no case'} here; left as it is (change it with 'gtcode cases link')")

    # --- the code tree and codings ------------------------------------------------------------
    def codes(self) -> None:
        from gtcode.codes import all_codes

        ours = all_codes(self.store)
        by_uuid = {c.uuid: c for c in ours}
        path_of = {c.id: c.path for c in ours}
        slot = {(c.parent_id or 0, c.name.casefold()): c.id for c in ours}
        core = next((c.id for c in ours if c.core), None)
        raw = {r["id"]: r for r in self.rows("SELECT * FROM codes")}
        theirs = all_codes(self.other)
        claimed = set()
        for c in theirs:
            if c.uuid in by_uuid:
                self.code[c.id] = by_uuid[c.uuid].id
                claimed.add(by_uuid[c.uuid].id)
                if c.path.casefold() != by_uuid[c.uuid].path.casefold():
                    self.warn(f"code {by_uuid[c.uuid].path!r} is {c.path!r} in {self.label} (renamed or moved); "
                              "kept this project's name and place")
        uuids = set(by_uuid)
        for c in theirs:
            if c.id in self.code:
                self.count("codes", "present")
                self._reconcile_code(raw[c.id], self.code[c.id], path_of[self.code[c.id]])
                continue
            parent = self.code[c.parent_id] if c.parent_id else None
            name, key = c.name, (parent or 0, c.name.casefold())
            if key in slot and slot[key] not in claimed:
                self.code[c.id] = slot[key]
                claimed.add(slot[key])
                self.count("codes", "present")
                self.warn(f"code {path_of[slot[key]]!r} was created separately in both projects; treated as one code")
                self._reconcile_code(raw[c.id], slot[key], path_of[slot[key]])
                continue
            n = 1
            while (parent or 0, name.casefold()) in slot:
                n += 1
                name = f"{c.name} ({n})"
            row = dict(raw[c.id], parent_id=parent, name=name, created_by=self.coder[raw[c.id]["created_by"]])
            if row["core"] and core is not None:
                row["core"] = 0
                self.warn(f"{c.path!r} is the core category in {self.label}, but this project has another; "
                          "kept this project's")
            new_id = self.insert("codes", row, uuids)
            core = new_id if row["core"] else core
            self.code[c.id] = slot[(parent or 0, name.casefold())] = new_id
            claimed.add(new_id)
            path_of[new_id] = (path_of[parent] + "/" if parent else "") + name
            self.count("codes", "added")
            if name != c.name:
                self.warn(f"code {c.path!r} of {self.label} added as {path_of[new_id]!r}: its name was taken")
        code_uuid = {r[0]: r[1] for r in self.store.all("SELECT id, uuid FROM codes")}
        self.code_uuid = {c.uuid: code_uuid[self.code[c.id]] for c in theirs}

    def _reconcile_code(self, theirs: dict, our_id: int, path: str) -> None:
        """Fill what this project left empty; report definitions that differ; a category stays a category."""
        mine = dict(self.store.one("SELECT * FROM codes WHERE id = ?", (our_id,)))
        sets = {f: theirs[f] for f in CODE_FIELDS if not mine[f] and theirs[f]}
        differ = [f for f in CODE_FIELDS if mine[f] and theirs[f] and mine[f] != theirs[f]]
        if theirs["kind"] == "category" and mine["kind"] != "category":
            sets["kind"] = "category"
        if theirs["core"] and not mine["core"]:
            if self.store.scalar("SELECT count(*) FROM codes WHERE core = 1"):
                self.warn(f"{path!r} is the core category in {self.label}, but this project has another; kept "
                          "this project's")
            else:
                sets["core"] = 1
        if differ:
            what = "definitions differ" if differ == ["description"] else f"{', '.join(differ)} differ"
            self.warn(f"code {path!r}: {what} between the projects; kept this project's")
        if sets:
            self.conn.execute(f"UPDATE codes SET {', '.join(f'{k} = ?' for k in sets)} WHERE id = ?",
                              (*sets.values(), our_id))
            self.count("codes", "updated")

    def codings(self) -> None:
        ours = self.store.all("SELECT id, uuid, code_id, document_id, coder_id, start_char, end_char, status "
                              "FROM codings")
        by_uuid = {r["uuid"]: r for r in ours}
        uuids = set(by_uuid)
        spans: dict[tuple, list[list]] = defaultdict(list)
        for r in ours:
            spans[(r["code_id"], r["document_id"], r["coder_id"])].append(
                [r["id"], r["start_char"], r["end_char"], r["status"]])
        from gtcode.codebook.autocode import rejected_spans, spans_overlap
        from gtcode.codes import all_codes

        rejected = rejected_spans(self.store, all_codes(self.store))
        diverged = refused = 0
        for r in self.rows("SELECT * FROM codings ORDER BY id"):
            doc = self.doc.get(r["document_id"])
            if doc is None:
                self.lost[r["document_id"]] += 1
                self.count("codings", "skipped")
                continue
            code, coder, start, end = self.code[r["code_id"]], self.coder[r["coder_id"]], r["start_char"], r["end_char"]
            if r["status"] == "pending" and spans_overlap(rejected.get((code, doc)), start, end):
                refused += 1    # a suggestion reviewed and rejected here is not offered again
                self.count("codings", "skipped")
                continue
            mine = by_uuid.get(r["uuid"])
            if mine is not None and (mine["code_id"], mine["document_id"], mine["coder_id"]) != (code, doc, coder):
                diverged += 1   # recoded (a code merge, a split) in one project: which is right is a person's call
                self.count("codings", "present")
                continue
            same = spans[(code, doc, coder)]
            overlapping = [s for s in same if s[1] < end and s[2] > start]
            exact = next((s for s in overlapping if (s[1], s[2]) == (start, end)), None)
            if exact and exact[3] == "pending" and r["status"] == "confirmed":
                self.conn.execute("UPDATE codings SET status = 'confirmed' WHERE id = ?", (exact[0],))
                exact[3] = "confirmed"
                self.count("codings", "updated")
            elif any(s[1] <= start and s[2] >= end for s in overlapping):
                self.count("codings", "present")
            elif overlapping:   # one coder's overlapping codings of one code merge, as when coding
                keep = overlapping[0]
                keep[1], keep[2] = min(start, *(s[1] for s in overlapping)), max(end, *(s[2] for s in overlapping))
                if r["status"] == "confirmed" or any(s[3] == "confirmed" for s in overlapping):
                    keep[3] = "confirmed"
                self.conn.execute("UPDATE codings SET start_char = ?, end_char = ?, status = ? WHERE id = ?",
                                  (keep[1], keep[2], keep[3], keep[0]))
                for s in overlapping[1:]:
                    self.conn.execute("DELETE FROM codings WHERE id = ?", (s[0],))
                    same.remove(s)
                self.count("codings", "updated")
            else:
                row = dict(r, code_id=code, document_id=doc, coder_id=coder)
                same.append([self.insert("codings", row, uuids), start, end, r["status"]])
                self.count("codings", "added")
        if refused:
            self.warn(f"{refused} autocoded suggestion(s) still pending in {self.label} were rejected here; "
                      "not brought back")
        if diverged:
            self.warn(f"{diverged} coding(s) have another code or coder in {self.label} than here (recoded in one "
                      "project); kept this project's")

    # --- memos ----------------------------------------------------------------------------------
    def memos(self) -> None:
        types = {r[0].casefold(): r[0] for r in self.store.all("SELECT name FROM memo_types")}
        for r in self.rows("SELECT * FROM memo_types ORDER BY id"):
            if r["name"].casefold() in types:
                self.count("memo types", "present")
            else:
                self.insert("memo_types", dict(r, builtin=0))
                types[r["name"].casefold()] = r["name"]
                self.count("memo types", "added")
        ours = {r["uuid"]: r["id"] for r in self.store.all("SELECT id, uuid FROM memos")}
        versions: dict[int, list] = defaultdict(list)
        for r in self.store.all("SELECT * FROM memo_versions ORDER BY memo_id, version"):
            versions[r["memo_id"]].append(dict(r))
        vuuids = {v["uuid"] for vs in versions.values() for v in vs}
        theirs: dict[int, list] = defaultdict(list)
        for r in self.rows("SELECT * FROM memo_versions ORDER BY memo_id, version"):
            theirs[r["memo_id"]].append(r)
        for m in self.rows("SELECT * FROM memos ORDER BY id"):
            other_versions = theirs[m["id"]]
            if m["uuid"] not in ours:
                row = dict(m, type=types[m["type"].casefold()], created_by=self.coder[m["created_by"]])
                memo_id = self.memo[m["id"]] = self.insert("memos", row)
                for v in other_versions:
                    self.insert("memo_versions", dict(v, memo_id=memo_id, created_by=self.coder[v["created_by"]]),
                                vuuids)
                    self.version[(m["id"], v["version"])] = v["version"]
                    self.count("memo versions", "added")
                self.latest_same[memo_id] = True
                self.count("memos", "added")
                continue
            memo_id = self.memo[m["id"]] = ours[m["uuid"]]
            self._reconcile_memo(m, memo_id, versions[memo_id], other_versions, vuuids)

    def _reconcile_memo(self, m: dict, memo_id: int, mine: list[dict], theirs: list[dict], vuuids: set) -> None:
        """Versions match by uuid or text; the other's newer versions are added, a divergence is reported."""
        def match(v):
            return next((x for x in mine if x["uuid"] == v["uuid"] or
                         (x["version"], x["title"], x["body"]) == (v["version"], v["title"], v["body"])), None) \
                or next((x for x in mine if (x["title"], x["body"]) == (v["title"], v["body"])), None)

        if not theirs or not mine:
            self.count("memos", "present")
            return
        matched = [match(v) for v in theirs]
        for v, x in zip(theirs, matched):
            if x is not None:
                self.version[(m["id"], v["version"])] = x["version"]
        self.count("memo versions", "present", sum(x is not None for x in matched))
        k = next((i for i, x in enumerate(matched) if x is None), len(theirs))
        ahead = k == len(mine) and all(x is not None and x["version"] == i + 1 for i, x in enumerate(matched[:k]))
        if k == len(theirs) or not ahead and matched[-1] is not None:
            self.count("memos", "present")   # nothing new, or the other's latest text is already here
            self.latest_same[memo_id] = (theirs[-1]["title"], theirs[-1]["body"]) == (mine[-1]["title"],
                                                                                       mine[-1]["body"])
            return
        number = mine[-1]["version"]
        for v in theirs[k:] if ahead else theirs[-1:]:
            number += 1
            self.insert("memo_versions", dict(v, memo_id=memo_id, version=number,
                                              created_by=self.coder[v["created_by"]]), vuuids)
            self.version[(m["id"], v["version"])] = number
            self.count("memo versions", "added")
        for v in theirs:   # a diverged intermediate version: comments on it go to the new one
            self.version.setdefault((m["id"], v["version"]), number)
        # The [[references]] of the text that is now latest are the other project's.
        self.conn.execute("DELETE FROM memo_links WHERE memo_id = ? AND source = 'reference'", (memo_id,))
        self.latest_same[memo_id] = True
        self.count("memos", "updated")
        if not ahead:
            self.warn(f"memo #{memo_id} {mine[-1]['title']!r} was edited in both projects; {self.label}'s latest "
                      f"text is now version {number} (earlier versions keep this project's) — reconcile them")

    def memo_parts(self) -> None:
        memo_uuids = {r[0] for r in self.store.all("SELECT uuid FROM memos")}
        ours = self.store.all("SELECT * FROM memo_links")
        uuids = {r["uuid"] for r in ours}
        keys = {(r["memo_id"], r["target_type"], r["target_uuid"], r["start_char"], r["end_char"], r["source"])
                for r in ours}
        for r in self.rows("SELECT * FROM memo_links ORDER BY id"):
            memo_id, kind = self.memo[r["memo_id"]], r["target_type"]
            if kind in ("code", "category"):
                target = self.code_uuid.get(r["target_uuid"], r["target_uuid"])
            elif kind in ("document", "segment"):
                target = self.doc_uuid.get(r["target_uuid"])
            else:
                target = r["target_uuid"] if r["target_uuid"] in memo_uuids else None
            key = (memo_id, kind, target, r["start_char"], r["end_char"], r["source"])
            if r["uuid"] in uuids or key in keys:
                self.count("memo links", "present")
            elif target is None:
                doc = next((d for d in self.other_docs.values() if d["uuid"] == r["target_uuid"]), None)
                if doc is not None:
                    self.lost[doc["id"]] += 1
                self.count("memo links", "skipped")
            elif r["source"] == "reference" and not self.latest_same.get(memo_id):
                self.count("memo links", "skipped")   # a reference in an older text; this project's text is newer
            else:
                keys.add(key)
                self.insert("memo_links", dict(r, memo_id=memo_id, target_uuid=target,
                                               created_by=self.coder[r["created_by"]]), uuids)
                self.count("memo links", "added")
        for table, kind in (("memo_comments", "comments"), ("memo_signoffs", "sign-offs")):
            ours_ids = {r["uuid"]: r["id"] for r in self.store.all(f"SELECT id, uuid FROM {table}")}
            ids: dict[int, int] = {}
            for r in self.rows(f"SELECT * FROM {table} ORDER BY id"):
                if r["uuid"] in ours_ids:
                    ids[r["id"]] = ours_ids[r["uuid"]]
                    self.count(kind, "present")
                    continue
                row = dict(r, memo_id=self.memo[r["memo_id"]], created_by=self.coder[r["created_by"]],
                           version=self.version.get((r["memo_id"], r["version"]), r["version"]))
                if r.get("parent_id") is not None:
                    row["parent_id"] = ids.get(r["parent_id"])
                ids[r["id"]] = self.insert(table, row)
                self.count(kind, "added")

    # --- the explanatory model -----------------------------------------------------------------
    def model(self) -> None:
        types = {r["name"].casefold(): dict(r) for r in self.store.all("SELECT * FROM relation_types")}
        for r in self.rows("SELECT * FROM relation_types ORDER BY id"):
            mine = types.get(r["name"].casefold())
            if mine is None:
                self.insert("relation_types", dict(r, builtin=0))
                types[r["name"].casefold()] = r
                self.count("relation types", "added")
            else:
                self.count("relation types", "present")
                if (mine["label"], mine["polarity"]) != (r["label"], r["polarity"]):
                    self.warn(f"relation type {mine['name']!r} reads {mine['label']!r} ({mine['polarity']}) here and "
                              f"{r['label']!r} ({r['polarity']}) in {self.label}; kept this project's")
            self.relation_type[r["name"]] = types[r["name"].casefold()]["name"]
        self._copy("relations", "relations", self.relation, ("source_id", "type", "target_id"),
                   lambda r: dict(r, source_id=self.code[r["source_id"]], target_id=self.code[r["target_id"]],
                                  type=self.relation_type[r["type"]]))
        self._copy("relation_evidence", "relation evidence", {},
                   ("relation_id", "document_id", "start_char", "end_char", "memo_id"),
                   lambda r: dict(r, relation_id=self.relation[r["relation_id"]], document_id=self._doc(r),
                                  memo_id=self.memo.get(r["memo_id"])))
        self._copy("category_properties", "properties", self.prop, ("code_id", "name"),
                   lambda r: dict(r, code_id=self.code[r["code_id"]]))
        self._copy("property_evidence", "property evidence", {},
                   ("property_id", "document_id", "start_char", "end_char", "value"),
                   lambda r: dict(r, property_id=self.prop[r["property_id"]], document_id=self._doc(r)))

    def _doc(self, row: dict):
        """The document here for a row of the other project; False when it is not here."""
        if row["document_id"] is None:
            return None
        return self.doc.get(row["document_id"], False)

    def _copy(self, table: str, kind: str, ids: dict, key: tuple, mapped) -> None:
        """Rows matched by uuid, then by their natural key (case-insensitive text); the rest added."""
        def natural(row):
            return tuple(v.casefold() if isinstance(v, str) else v for v in (row[k] for k in key))

        ours = self.store.all(f"SELECT * FROM {table}")
        by_uuid = {r["uuid"]: r["id"] for r in ours}
        by_key = {natural(r): r["id"] for r in ours}
        uuids = set(by_uuid)
        for r in self.rows(f"SELECT * FROM {table} ORDER BY id"):
            row = mapped(r)
            if row.get("document_id") is False:
                self.lost[r["document_id"]] += 1
                self.count(kind, "skipped")
                continue
            found = by_uuid.get(r["uuid"]) or by_key.get(natural(row))
            if found is not None:
                ids[r["id"]] = found
                self.count(kind, "present")
                continue
            if "source_id" in row and row["source_id"] == row["target_id"]:
                self.count(kind, "skipped")
                self.warn(f"a {row['type']} relation of {self.label} joins two codes that are one code here; skipped")
                continue
            row["created_by"] = self.coder[r["created_by"]]
            ids[r["id"]] = by_key[natural(row)] = self.insert(table, row, uuids)
            self.count(kind, "added")

    # --- the audit log ----------------------------------------------------------------------------
    def events(self) -> None:
        """The other coder's events, so the log shows who did what when; `events.uuid` is their identity."""
        uuids = {r[0] for r in self.store.all("SELECT uuid FROM events")}
        txns = set()
        for r in self.rows("SELECT * FROM events ORDER BY id"):
            if r["uuid"] in uuids:
                self.count("events", "present")
            else:
                self.insert("events", dict(r, coder_id=self.coder[r["coder_id"]]))
                txns.add(r["txn"])
                self.count("events", "added")
        self.copied_txns = sorted(txns)   # commands made elsewhere: `undo` here skips them (it undoes the merge)

    def unknown_tables(self) -> None:
        for (name,) in self.other.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
            if name in KNOWN_TABLES or name.startswith(("sqlite_", "segment_fts")):
                continue
            n = self.other.scalar(f'SELECT count(*) FROM "{name}"')
            if n:
                self.warn(f"{self.label}: table {name!r} ({n} row(s)) is not merged by this version of gtcode")
