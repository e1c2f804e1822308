"""One merge in progress: its report, the maps from the other project's row ids to this project's, and how a
row of the other project is copied here. Each kind of row is merged by its own step (`merge`, `merge_codes`,
`merge_memos`), filling these maps in order.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from gtcode.store.db import Store, Txn, new_uuid

#: What the report counts, in the order a researcher reads them.
KINDS = ("coders", "cases", "attributes", "attribute values", "codes", "codings", "rejected suggestions",
         "memo types", "memos",
         "memo versions", "memo links", "comments", "sign-offs", "relation types", "relations",
         "relation evidence", "properties", "property evidence", "events")


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


class Merger:
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
        self.other_docs: dict[int, dict] = {}   # the other project's documents by id
        self.case_links: list[tuple] = []       # (our document, its case name there), for matched documents
        self.copied_txns: list[str] = []        # commands whose events were copied here

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
