"""Axial and selective coding: categories, properties and dimensions, typed relations,
the paradigm model, the core category, and the rigour check of the explanatory model.

Categories are codes of kind 'category' in the one code tree (REFI-QDA calls
them non-codable codes); their codes are their children. Relations are typed
and directed (SOURCE TYPE TARGET) and grounded in evidence: passages and memos.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gtcode.codes import Code, add_code, all_codes, clear_core, resolve_code, set_fields, subtree
from gtcode.spans import spans_for_addresses
from gtcode.documents import span_address
from gtcode.errors import BadRelation, InputError, UnknownCategory, UnknownRelationType, did_you_mean
from gtcode.memos import get_memo
from gtcode.scope import choose_name
from gtcode.store.db import Store, Txn, new_uuid, now
from gtcode.records import Record
from gtcode.text import plural

#: Paradigm roles (Strauss & Corbin) and the relation each becomes: ROLE → PHENOMENON.
PARADIGM = {"condition": "is-condition-for", "context": "is-context-for",
            "intervening": "is-intervening-condition-for", "strategy": "is-strategy-for",
            "consequence": "is-consequence-of"}
HELPS = ("facilitates", "causes", "leads-to")
HINDERS = ("hinders", "contradicts")


# --- categories ------------------------------------------------------------------

def category(store: Store, ref, codes: list[Code] | None = None) -> Code:
    code = resolve_code(store, ref, codes)
    if not code.is_category:
        raise UnknownCategory(f"{code.path!r} is a code, not a category; make it one with "
                              f"'gtcode category new \"{code.path}\"'")
    return code


def new_category(store: Store, txn: Txn, name: str, parent: str | None = None, description: str = "") -> Code:
    """A new category, or an existing code promoted to one (its codings stay)."""
    path = f"{parent.strip('/')}/{name}" if parent else name
    try:
        code = resolve_code(store, path)
    except InputError:
        code = None
    if code is None:
        head, _, leaf = path.strip("/").rpartition("/")
        code = add_code(store, txn, leaf, head or None, description=description, record=False)
        action = "created"
    elif code.is_category:
        raise InputError(f"{code.path!r} is already a category")
    else:
        action = "promoted code"
        if description:
            set_fields(store, code.id, description=description.strip())
    set_fields(store, code.id, kind="category")
    txn.record("category.new", f"{action} category {code.path!r}", code.uuid, code={"uuid": code.uuid,
                                                                                      "path": code.path})
    return resolve_code(store, code.id)


def add_to_category(store: Store, txn: Txn, cat_ref: str, code_refs: list[str]) -> list[str]:
    """Group codes (or subcategories) under a category; their codings and memos go with them."""
    from gtcode.codes import move_code

    cat = category(store, cat_ref)
    moved = []
    for ref in code_refs:
        code = resolve_code(store, ref)
        if code.parent_id == cat.id:
            continue
        moved.append(move_code(store, txn, code.path, resolve_code(store, cat.id).path).path)
    return moved


def categories(store: Store) -> list[Code]:
    return [c for c in all_codes(store) if c.is_category]


# --- properties and dimensions -------------------------------------------------------

@dataclass
class Property:
    id: int
    name: str
    low: str
    high: str
    description: str
    placements: list[dict] = field(default_factory=list)   # {address, value, text}


def add_property(store: Store, txn: Txn, cat_ref: str, name: str, dimension: str | None = None,
                 description: str = "") -> Property:
    cat = category(store, cat_ref)
    name = " ".join(name.split())
    if not name:
        raise InputError("a property needs a name")
    low = high = ""
    if dimension:
        if ".." not in dimension:
            raise InputError(f"--dimension {dimension!r}: expected LOW..HIGH, e.g. \"low..high\"")
        low, high = (x.strip() for x in dimension.split("..", 1))
    row = store.one("SELECT id FROM category_properties WHERE code_id = ? AND name = ? COLLATE NOCASE",
                    (cat.id, name))
    if row:
        store.conn.execute("UPDATE category_properties SET low = ?, high = ?, description = ? WHERE id = ?",
                           (low, high, description.strip(), row[0]))
        action = "changed"
    else:
        store.conn.execute("INSERT INTO category_properties (uuid, code_id, name, low, high, description, "
                           "created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           (new_uuid(), cat.id, name, low, high, description.strip(), now(), txn.coder_id))
        action = "added"
    txn.record("category.property", f"{action} property {name!r} ({low}..{high}) of {cat.path!r}", cat.uuid,
               code={"uuid": cat.uuid, "path": cat.path}, property=name, low=low, high=high)
    return next(p for p in properties(store, cat) if p.name.casefold() == name.casefold())


def place(store: Store, txn: Txn, cat_ref: str, prop: str, placements: list[str]) -> int:
    """Evidence on a dimension: `D3:17=high` (or any value between the ends)."""
    cat = category(store, cat_ref)
    row = store.one("SELECT id FROM category_properties WHERE code_id = ? AND name = ? COLLATE NOCASE",
                    (cat.id, prop.strip()))
    if row is None:
        names = [p.name for p in properties(store, cat)]
        raise InputError(f"{cat.path!r} has no property {prop!r}{did_you_mean(prop, names)}")
    n = 0
    for item in placements:
        address, sep, value = item.rpartition("=")
        if not sep or not address or not value.strip():
            raise InputError(f"--at {item!r}: expected ADDRESS=VALUE, e.g. D3:17=high")
        for span in spans_for_addresses(store, [address.strip()]):
            store.conn.execute("INSERT INTO property_evidence (uuid, property_id, document_id, start_char, end_char,"
                               " value, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                               (new_uuid(), row[0], span.document_id, span.start, span.end, value.strip(), now(),
                                txn.coder_id))
            n += 1
    txn.record("category.place", f"placed {plural(n, 'passage')} on {prop!r} of {cat.path!r}", cat.uuid,
               code={"uuid": cat.uuid, "path": cat.path}, property=prop, placements=placements)
    return n


def set_property(store: Store, txn: Txn, cat_ref: str, name: str, dimension: str | None = None,
                 description: str = "", at: list[str] | None = None) -> int:
    """Add or change a property and place evidence on it; returns passages placed."""
    exists = any(p.name.casefold() == name.casefold() for p in properties(store, category(store, cat_ref)))
    if dimension is not None or description or not exists:
        add_property(store, txn, cat_ref, name, dimension, description)
    return place(store, txn, cat_ref, name, at) if at else 0


def properties(store: Store, cat: Code) -> list[Property]:
    out = []
    for r in store.all("SELECT * FROM category_properties WHERE code_id = ? ORDER BY id", (cat.id,)):
        prop = Property(r["id"], r["name"], r["low"], r["high"], r["description"])
        for e in store.all("SELECT e.*, d.text FROM property_evidence e JOIN documents d ON d.id = e.document_id "
                           "WHERE e.property_id = ? ORDER BY e.id", (r["id"],)):
            prop.placements.append({"address": span_address(store, e["document_id"], e["start_char"], e["end_char"]),
                                    "value": e["value"], "text": e["text"][e["start_char"]:e["end_char"]]})
        out.append(prop)
    return out


# --- relations --------------------------------------------------------------------

def relation_types(store: Store) -> list[dict]:
    return [dict(r) for r in store.all("SELECT name, label, polarity, builtin FROM relation_types ORDER BY id")]


def check_type(store: Store, name: str) -> str:
    return choose_name(name, [t["name"] for t in relation_types(store)], UnknownRelationType, "relation type",
                       "see 'gtcode relations --types' or add your own with --define")


def add_relation_type(store: Store, txn: Txn, name: str, label: str, polarity: str = "0") -> str:
    import re

    name = name.strip().lower()
    if not re.match(r"^[a-z][a-z0-9-]{1,39}$", name):
        raise InputError(f"relation type {name!r}: lower-case letters, digits and hyphens, e.g. 'protects-from'")
    if polarity not in ("+", "-", "0"):
        raise InputError(f"polarity {polarity!r}: expected + (helps), - (hinders) or 0")
    if store.one("SELECT 1 FROM relation_types WHERE name = ?", (name,)):
        raise InputError(f"relation type {name!r} exists already")
    store.conn.execute("INSERT INTO relation_types (name, label, polarity) VALUES (?, ?, ?)",
                       (name, label.strip() or name.replace("-", " "), polarity))
    txn.record("relation.type", f"defined relation type {name!r} ({label})", None, name=name, label=label,
               polarity=polarity)
    return name


def _part_of_cycle(store: Store, source_id: int, target_id: int) -> bool:
    """Would SOURCE is-part-of TARGET close a loop (TARGET already part of SOURCE)?"""
    edges: dict[int, list[int]] = {}
    for r in store.all("SELECT source_id, target_id FROM relations WHERE type = 'is-part-of'"):
        edges.setdefault(r[0], []).append(r[1])
    seen, stack = set(), [target_id]
    while stack:
        node = stack.pop()
        if node == source_id:
            return True
        if node not in seen:
            seen.add(node)
            stack.extend(edges.get(node, []))
    return False


def relate(store: Store, txn: Txn, source: str, type: str, target: str, *, memo=None, evidence=None,
           note: str = "") -> dict:
    """Add a typed relation (or more evidence to an existing one)."""
    codes = all_codes(store)
    src, dst = resolve_code(store, source, codes), resolve_code(store, target, codes)
    kind = check_type(store, type)
    if src.id == dst.id:
        raise BadRelation(f"{src.path!r} cannot be related to itself")
    if kind == "is-part-of" and _part_of_cycle(store, src.id, dst.id):
        raise BadRelation(f"{src.path!r} is-part-of {dst.path!r} would make a cycle: {dst.path!r} is already "
                          f"part of {src.path!r}")
    spans = spans_for_addresses(store, list(evidence)) if evidence else []
    memo_row = get_memo(store, memo) if memo is not None else None
    row = store.one("SELECT id, uuid FROM relations WHERE source_id = ? AND type = ? AND target_id = ?",
                    (src.id, kind, dst.id))
    created = row is None
    if created:
        uuid = new_uuid()
        rel_id = store.conn.execute("INSERT INTO relations (uuid, source_id, type, target_id, note, created_at,"
                                    " created_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                    (uuid, src.id, kind, dst.id, note.strip(), now(), txn.coder_id)).lastrowid
    else:
        rel_id, uuid = row["id"], row["uuid"]
    # The same passage or memo given again (or twice in one command) is not counted twice.
    have = {(r["document_id"], r["start_char"], r["end_char"]) for r in store.all(
        "SELECT document_id, start_char, end_char FROM relation_evidence WHERE relation_id = ? AND "
        "document_id IS NOT NULL", (rel_id,))}
    new_spans = []
    for s in spans:
        if (s.document_id, s.start, s.end) in have:
            continue
        have.add((s.document_id, s.start, s.end))
        new_spans.append(s)
        store.conn.execute("INSERT INTO relation_evidence (uuid, relation_id, document_id, start_char, end_char,"
                           " created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           (new_uuid(), rel_id, s.document_id, s.start, s.end, now(), txn.coder_id))
    spans = new_spans
    if memo_row is not None and store.one("SELECT 1 FROM relation_evidence WHERE relation_id = ? AND memo_id = ?",
                                          (rel_id, memo_row.id)):
        memo_row = None
    if not created and not spans and memo_row is None:
        return {"id": rel_id, "created": False, "passages": 0, "memo": False}  # nothing new: no event
    if memo_row is not None:
        store.conn.execute("INSERT INTO relation_evidence (uuid, relation_id, memo_id, created_at, created_by)"
                           " VALUES (?, ?, ?, ?, ?)", (new_uuid(), rel_id, memo_row.id, now(), txn.coder_id))
    what = f"{src.path!r} {kind} {dst.path!r}"
    txn.record("relation.add" if created else "relation.evidence",
               (f"related {what}" if created else f"added evidence to {what}")
               + (f" ({plural(len(spans), 'passage')}" + (", a memo" if memo_row else "") + ")"
                  if spans or memo_row else ""),
               uuid, relation={"uuid": uuid, "source": src.uuid, "type": kind, "target": dst.uuid},
               codes=[src.uuid, dst.uuid], evidence=[s.label for s in spans], memo=memo_row.id if memo_row else None)
    return {"id": rel_id, "created": created, "passages": len(spans), "memo": bool(memo_row)}


def unrelate(store: Store, txn: Txn, source: str, type: str, target: str) -> None:
    codes = all_codes(store)
    src, dst = resolve_code(store, source, codes), resolve_code(store, target, codes)
    kind = check_type(store, type)
    row = store.one("SELECT id, uuid FROM relations WHERE source_id = ? AND type = ? AND target_id = ?",
                    (src.id, kind, dst.id))
    if row is None:
        raise BadRelation(f"no relation {src.path!r} {kind} {dst.path!r}")
    store.conn.execute("DELETE FROM relations WHERE id = ?", (row["id"],))
    txn.record("relation.remove", f"removed relation {src.path!r} {kind} {dst.path!r}", row["uuid"],
               codes=[src.uuid, dst.uuid])


@dataclass
class Relation(Record):
    id: int
    uuid: str
    source: str
    type: str
    label: str
    polarity: str
    target: str
    note: str
    passages: int
    participants: int
    memos: int



def relations(store: Store, type: str | None = None, category: str | None = None) -> list[Relation]:
    codes = {c.id: c for c in all_codes(store)}
    sql = ("SELECT r.id, r.uuid, r.source_id, r.type, t.label, t.polarity, r.target_id, r.note,"
           " (SELECT count(*) FROM relation_evidence e WHERE e.relation_id = r.id AND e.document_id IS NOT NULL) AS p,"
           " (SELECT count(DISTINCT coalesce(d.case_id, -d.id)) FROM relation_evidence e JOIN documents d"
           "  ON d.id = e.document_id WHERE e.relation_id = r.id) AS who,"
           " (SELECT count(*) FROM relation_evidence e WHERE e.relation_id = r.id AND e.memo_id IS NOT NULL) AS m"
           " FROM relations r JOIN relation_types t ON t.name = r.type WHERE 1")
    args: list = []
    if type:
        sql += " AND r.type = ?"
        args.append(check_type(store, type))
    if category:
        cat = resolve_code(store, category, list(codes.values()))
        ids = [c.id for c in subtree(list(codes.values()), cat)]
        marks = ",".join("?" * len(ids))
        sql += f" AND (r.source_id IN ({marks}) OR r.target_id IN ({marks}))"
        args += ids + ids
    return [Relation(r["id"], r["uuid"], codes[r["source_id"]].path, r["type"], r["label"], r["polarity"],
                     codes[r["target_id"]].path, r["note"], r["p"], r["who"], r["m"])
            for r in store.all(sql + " ORDER BY r.id", args)]


# --- paradigm and core -------------------------------------------------------------

def paradigm(store: Store, txn: Txn, phenomenon: str, roles: dict[str, list[str]]) -> dict[str, list[str]]:
    """Place categories around a phenomenon as Strauss & Corbin's paradigm model (as typed relations)."""
    center = resolve_code(store, phenomenon)
    for role, refs in roles.items():
        for ref in refs or []:
            relate(store, txn, ref, PARADIGM[role], center.path)
    return paradigm_view(store, center.path)


def paradigm_view(store: Store, phenomenon: str) -> dict[str, list[str]]:
    center = resolve_code(store, phenomenon)
    view = {role: [] for role in PARADIGM}
    by_type = {v: k for k, v in PARADIGM.items()}
    for r in relations(store):
        if r.target == center.path and r.type in by_type:
            view[by_type[r.type]].append(r.source)
    return {"phenomenon": center.path, **view}


def set_core(store: Store, txn: Txn, ref: str) -> Code:
    cat = category(store, ref)
    before = [c.path for c in all_codes(store) if c.core]
    clear_core(store)
    set_fields(store, cat.id, core=1)
    txn.record("model.core", f"marked {cat.path!r} as the core category", cat.uuid,
               code={"uuid": cat.uuid, "path": cat.path}, before=before)
    return resolve_code(store, cat.id)


def core(store: Store) -> Code | None:
    return next((c for c in all_codes(store) if c.core), None)


# --- how the model is counted, the same in `model show`, the diagram and the report ---------------------------

def integrated_codes(store: Store, centre: Code | None = None) -> list[int]:
    """Ids of the codes whose codings ground the core category: its own codes and sub-categories, and every
    category the model joins to it by a chain of relations, with the codes under each. A core category is
    rarely coded directly; it is grounded in what it integrates."""
    tree = all_codes(store)
    centre = centre or next((c for c in tree if c.core), None)
    if centre is None:
        return []
    links: dict[int, set[int]] = {}
    for a, b in store.all("SELECT source_id, target_id FROM relations"):
        links.setdefault(a, set()).add(b)
        links.setdefault(b, set()).add(a)
    by_id = {c.id: c for c in tree}
    seen, stack = set(), [centre.id]
    while stack:
        node = stack.pop()
        if node not in seen and node in by_id:
            seen.add(node)
            stack.extend(links.get(node, ()))
    ids = {c.id for head in seen for c in subtree(tree, by_id[head])}
    return sorted(ids)


def core_counts(store: Store, centre: Code | None = None, where_clause: str = "1", params=()) -> dict[str, int]:
    """The core category's grounding rolled up over `integrated_codes`: confirmed codings (each once), documents,
    cases, and how many categories it integrates. `where_clause` (on documents `d`) limits the documents."""
    ids = integrated_codes(store, centre)
    empty = {"codings": 0, "documents": 0, "cases": 0, "participants": 0, "categories": 0}
    if not ids:
        return empty
    marks = ",".join("?" * len(ids))
    row = store.one("SELECT count(*), count(DISTINCT g.document_id), count(DISTINCT d.case_id), "
                    "count(DISTINCT coalesce(d.case_id, -d.id)) "
                    "FROM codings g JOIN documents d ON d.id = g.document_id "
                    f"WHERE g.status = 'confirmed' AND g.code_id IN ({marks}) AND {where_clause}", [*ids, *params])
    cats = store.scalar(f"SELECT count(*) FROM codes WHERE kind = 'category' AND core = 0 AND id IN ({marks})", ids)
    return {"codings": row[0], "documents": row[1], "cases": row[2], "participants": row[3], "categories": cats or 0}


def evidence_phrase(passages: int, memos: int, participants: int | None = None) -> str:
    """A relation's evidence as every output words it: '3 passages from 2 participants, 1 memo'."""
    def n(k: int, word: str) -> str:
        return f"{k} {word}{'s' * (k != 1)}"

    if not passages:
        return n(memos, "memo") if memos else "no evidence yet"
    text = n(passages, "passage") + (f" from {n(participants, 'participant')}" if participants else "")
    return text + (f", {n(memos, 'memo')}" if memos else "")
    return text
