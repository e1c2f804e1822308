"""Cases (usually participants) and their attributes: role, site, age band…

Documents link to a case by `--case`, by a file stem that names the case
(`P04_interview.txt` → P04), or by their CSV row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gtcode.errors import BadName, CaseInUse, DuplicateCase, InputError, UnknownCase, did_you_mean
from gtcode.records import Record
from gtcode.scope import natural_key
from gtcode.store.db import Store, Txn, new_uuid, now
from gtcode.text import plural

if TYPE_CHECKING:
    from gtcode.documents import Renamed



@dataclass
class CaseInfo:
    id: int
    uuid: str
    name: str
    attributes: dict[str, str] = field(default_factory=dict)
    documents: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"id": self.id, "uuid": self.uuid, "name": self.name, "attributes": self.attributes,
                "documents": self.documents}


def ensure_case(store: Store, txn: Txn, name: str) -> int:
    name = name.strip()
    row = store.one("SELECT id FROM cases WHERE name = ?", (name,))
    if row:
        return row[0]
    uuid = new_uuid()
    case_id = store.conn.execute("INSERT INTO cases (uuid, name, created_at, created_by) VALUES (?, ?, ?, ?)",
                                 (uuid, name, now(), txn.coder_id)).lastrowid
    txn.record("case.create", f"created case {name}", uuid, case={"id": case_id, "uuid": uuid, "name": name})
    return case_id


def _attribute_id(store: Store, name: str) -> int:
    row = store.one("SELECT id FROM attributes WHERE name = ?", (name,))
    if row:
        return row[0]
    return store.conn.execute("INSERT INTO attributes (uuid, name) VALUES (?, ?)", (new_uuid(), name)).lastrowid


def set_attributes(store: Store, txn: Txn, case: str, values: dict[str, str | None]) -> dict:
    """Set (value None or '': remove) attributes of a case; records old and new values."""
    case_id = ensure_case(store, txn, case)
    changes = {}
    for key, value in values.items():
        key = key.strip()
        if not key:
            raise InputError(f"case {case}: empty attribute name")
        attr_id = _attribute_id(store, key)
        old = store.scalar("SELECT value FROM case_attributes WHERE case_id = ? AND attribute_id = ?",
                           (case_id, attr_id))
        new = (value or "").strip() or None
        if old == new:
            continue
        if new is None:
            store.conn.execute("DELETE FROM case_attributes WHERE case_id = ? AND attribute_id = ?", (case_id, attr_id))
        else:
            store.conn.execute("INSERT INTO case_attributes (case_id, attribute_id, value) VALUES (?, ?, ?) "
                               "ON CONFLICT (case_id, attribute_id) DO UPDATE SET value = excluded.value",
                               (case_id, attr_id, new))
        changes[key] = {"before": old, "after": new}
    if changes:
        uuid = store.scalar("SELECT uuid FROM cases WHERE id = ?", (case_id,))
        desc = ", ".join(f"{k}={v['after'] if v['after'] is not None else '(removed)'}" for k, v in changes.items())
        txn.record("case.set", f"case {case}: {desc}", uuid, case=case, changes=changes)
    return changes


class CaseNames:
    """Case names, to find the case a file stem names: equal to it (ignoring case), or followed by a
    separator (`P04_interview`); the longest name wins. Built once, it answers each stem in time proportional
    to the stem's length, not the number of cases (one regular expression per case had a cliff above 512 cases,
    where Python's pattern cache overflows)."""

    def __init__(self, rows=()):
        self._prefix: dict[str, list[tuple[int, str]]] = {}
        self._whole: dict[str, list[tuple[int, str]]] = {}
        for case_id, name in rows:
            self.add(case_id, name)

    @classmethod
    def load(cls, store: Store) -> "CaseNames":
        return cls(store.conn.execute("SELECT id, name FROM cases ORDER BY id").fetchall())

    def add(self, case_id: int, name: str) -> None:
        for index, key in ((self._prefix, name.lower()), (self._whole, name.casefold())):
            entries = index.setdefault(key, [])
            if (case_id, name) not in entries:
                entries.append((case_id, name))

    def match(self, stem: str) -> int | None:
        found = list(self._whole.get(stem.casefold(), ()))
        for k in range(1, len(stem) + 1):
            if k == len(stem) or not (stem[k].isascii() and stem[k].isalnum()):
                found.extend(self._prefix.get(stem[:k].lower(), ()))
        if not found:
            return None
        return min(found, key=lambda entry: (-len(entry[1]), entry[0]))[0]


def match_case_for_stem(store: Store, stem: str) -> int | None:
    """The case a file stem names: equal to it, or followed by a separator (P04_interview)."""
    return CaseNames.load(store).match(stem)


def link_unlinked_documents(store: Store, txn: Txn) -> list[str]:
    """After new cases arrive, attach documents whose file stem names one."""
    linked = []
    names = CaseNames.load(store)
    case_names = dict(store.conn.execute("SELECT id, name FROM cases").fetchall())
    for row in store.all("SELECT id, uuid, name FROM documents WHERE case_id IS NULL"):
        case_id = names.match(row["name"])
        if case_id is not None:
            store.conn.execute("UPDATE documents SET case_id = ? WHERE id = ?", (case_id, row["id"]))
            case = case_names[case_id]
            txn.record("document.link", f"linked D{row['id']} {row['name']!r} to case {case}", row["uuid"],
                       document=row["name"], before=None, after=case)
            linked.append(row["name"])
    return linked


def link_document(store: Store, txn: Txn, doc_id: int, doc_uuid: str, doc_name: str, case: str | None) -> None:
    before = store.scalar("SELECT c.name FROM documents d LEFT JOIN cases c ON c.id = d.case_id WHERE d.id = ?",
                          (doc_id,))
    case_id = ensure_case(store, txn, case) if case else None
    store.conn.execute("UPDATE documents SET case_id = ? WHERE id = ?", (case_id, doc_id))
    txn.record("document.link", f"linked D{doc_id} {doc_name!r} to case {case}" if case
               else f"unlinked D{doc_id} {doc_name!r} from case {before}", doc_uuid,
               document=doc_name, before=before, after=case)


def import_case_rows(store: Store, txn: Txn, column: str, rows: list[dict[str, str]]) -> dict:
    """Cases and attributes from a participants table (see `gtcode.ingest.case_table`); links documents by
    file stem."""
    created = updated = 0
    for row in rows:
        ident = row.pop("__id__")
        existed = store.one("SELECT 1 FROM cases WHERE name = ?", (ident,))
        ensure_case(store, txn, ident)
        created += existed is None
        if set_attributes(store, txn, ident, {k: v for k, v in row.items() if v}) and existed:
            updated += 1
    linked = link_unlinked_documents(store, txn)
    return {"id_column": column, "cases": len(rows), "created": created, "updated": updated, "linked": linked}


def list_cases(store: Store) -> list[CaseInfo]:
    cases = {r["id"]: CaseInfo(r["id"], r["uuid"], r["name"]) for r in store.all("SELECT * FROM cases ORDER BY name")}
    for r in store.all("SELECT ca.case_id, a.name, ca.value FROM case_attributes ca "
                       "JOIN attributes a ON a.id = ca.attribute_id ORDER BY a.id"):
        cases[r["case_id"]].attributes[r["name"]] = r["value"]
    for r in store.all("SELECT case_id, name FROM documents WHERE case_id IS NOT NULL ORDER BY id"):
        cases[r["case_id"]].documents.append(r["name"])
    return sorted(cases.values(), key=lambda c: natural_key(c.name))


def get_case(store: Store, name: str) -> CaseInfo:
    for case in list_cases(store):
        if case.name.casefold() == name.strip().casefold():
            return case
    names = [r[0] for r in store.all("SELECT name FROM cases")]
    raise UnknownCase(f"no case {name!r}{did_you_mean(name, names)}")


def rename_case(store: Store, txn: Txn, case: CaseInfo, new_name: str) -> "Renamed":
    """Give a case another name; its documents and attributes stay with it. Renaming onto another case's name
    is refused: it would merge two participants."""
    from gtcode.documents import Renamed

    name = " ".join(new_name.split())
    if not name:
        raise BadName("a case needs a name")
    if name == case.name:
        return Renamed(case.name, case.name, name, False)
    clash = store.scalar("SELECT name FROM cases WHERE name = ? AND id <> ?", (name, case.id))
    if clash:
        raise DuplicateCase(f"case {clash!r} already exists; renaming {case.name!r} to it would merge two cases, "
                            "which gtcode does not do")
    store.conn.execute("UPDATE cases SET name = ? WHERE id = ?", (name, case.id))
    txn.record("case.rename", f"renamed case {case.name} to {name}", case.uuid,
               case={"id": case.id, "uuid": case.uuid}, before=case.name, after=name)
    return Renamed(case.name, case.name, name, True)


@dataclass
class DeletedCase(Record):
    """A deleted case: its name, how many attribute values went with it, the documents unlinked from it."""

    case: str
    attributes: int
    unlinked: list[str]


def delete_case(store: Store, txn: Txn, case: CaseInfo, force: bool = False) -> DeletedCase:
    """Delete a case with its attribute values. While documents are linked to it, refuse with their list; with
    `force`, unlink them first (the documents stay). Undoable: the unlinking is logged for undo too."""
    from gtcode.history import captured_update

    docs = store.all("SELECT id, name FROM documents WHERE case_id = ? ORDER BY id", (case.id,))
    if docs and not force:
        listed = ", ".join(f"D{d['id']} {d['name']!r}" for d in docs)
        raise CaseInUse(f"case {case.name} has {plural(len(docs), 'linked document')}: {listed}; nothing was deleted. "
                        "Add --force to unlink them (the documents stay) and delete the case")
    if docs:
        captured_update(store, txn, "documents", {"case_id": None}, "case_id = ?", (case.id,))
    store.conn.execute("DELETE FROM cases WHERE id = ?", (case.id,))   # its attribute values follow
    unlinked = [d["name"] for d in docs]
    unlinking = f", unlinking {plural(len(docs), 'document')}" if docs else ""
    txn.record("case.delete", f"deleted case {case.name}{unlinking}", case.uuid,
               case={"id": case.id, "uuid": case.uuid, "name": case.name}, attributes=case.attributes,
               unlinked=unlinked)
    return DeletedCase(case.name, len(case.attributes), unlinked)
