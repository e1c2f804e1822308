"""Merging the code tree, the codings, and the model built on codes (relations, properties) from another
coder's project: codes match by uuid, then by their place in the tree; codings by span, coder and code.
"""

from __future__ import annotations

from collections import defaultdict

from gtcode.codebook.autocode import rejected_spans, spans_overlap
from gtcode.codes import all_codes
from gtcode.team.merge_state import Merger
from gtcode.text import plural

CODE_FIELDS = ("description", "include", "exclude", "example", "color")


def codes(merge: Merger) -> None:
    ours = all_codes(merge.store)
    by_uuid = {c.uuid: c for c in ours}
    path_of = {c.id: c.path for c in ours}
    slot = {(c.parent_id or 0, c.name.casefold()): c.id for c in ours}
    core = next((c.id for c in ours if c.core), None)
    raw = {r["id"]: r for r in merge.rows("SELECT * FROM codes")}
    theirs = all_codes(merge.other)
    claimed = set()
    for c in theirs:
        if c.uuid in by_uuid:
            merge.code[c.id] = by_uuid[c.uuid].id
            claimed.add(by_uuid[c.uuid].id)
            if c.path.casefold() != by_uuid[c.uuid].path.casefold():
                merge.warn(f"code {by_uuid[c.uuid].path!r} is {c.path!r} in {merge.label} (renamed or moved); "
                           "kept this project's name and place")
    uuids = set(by_uuid)
    for c in theirs:
        if c.id in merge.code:
            merge.count("codes", "present")
            _reconcile_code(merge, raw[c.id], merge.code[c.id], path_of[merge.code[c.id]])
            continue
        parent = merge.code[c.parent_id] if c.parent_id else None
        name, key = c.name, (parent or 0, c.name.casefold())
        if key in slot and slot[key] not in claimed:
            merge.code[c.id] = slot[key]
            claimed.add(slot[key])
            merge.count("codes", "present")
            merge.warn(f"code {path_of[slot[key]]!r} was created separately in both projects; treated as one code")
            _reconcile_code(merge, raw[c.id], slot[key], path_of[slot[key]])
            continue
        n = 1
        while (parent or 0, name.casefold()) in slot:
            n += 1
            name = f"{c.name} ({n})"
        row = dict(raw[c.id], parent_id=parent, name=name, created_by=merge.coder[raw[c.id]["created_by"]])
        if row["core"] and core is not None:
            row["core"] = 0
            merge.warn(f"{c.path!r} is the core category in {merge.label}, but this project has another; "
                       "kept this project's")
        new_id = merge.insert("codes", row, uuids)
        core = new_id if row["core"] else core
        merge.code[c.id] = slot[(parent or 0, name.casefold())] = new_id
        claimed.add(new_id)
        path_of[new_id] = (path_of[parent] + "/" if parent else "") + name
        merge.count("codes", "added")
        if name != c.name:
            merge.warn(f"code {c.path!r} of {merge.label} added as {path_of[new_id]!r}: its name was taken")
    code_uuid = {r[0]: r[1] for r in merge.store.all("SELECT id, uuid FROM codes")}
    merge.code_uuid = {c.uuid: code_uuid[merge.code[c.id]] for c in theirs}


def _reconcile_code(merge: Merger, theirs: dict, our_id: int, path: str) -> None:
    """Fill what this project left empty; report definitions that differ; a category stays a category."""
    mine = dict(merge.store.one("SELECT * FROM codes WHERE id = ?", (our_id,)))
    sets = {f: theirs[f] for f in CODE_FIELDS if not mine[f] and theirs[f]}
    differ = [f for f in CODE_FIELDS if mine[f] and theirs[f] and mine[f] != theirs[f]]
    if theirs["kind"] == "category" and mine["kind"] != "category":
        sets["kind"] = "category"
    if theirs["core"] and not mine["core"]:
        if merge.store.scalar("SELECT count(*) FROM codes WHERE core = 1"):
            merge.warn(f"{path!r} is the core category in {merge.label}, but this project has another; kept "
                       "this project's")
        else:
            sets["core"] = 1
    if differ:
        what = "definitions differ" if differ == ["description"] else f"{', '.join(differ)} differ"
        merge.warn(f"code {path!r}: {what} between the projects; kept this project's")
    if sets:
        merge.conn.execute(f"UPDATE codes SET {', '.join(f'{k} = ?' for k in sets)} WHERE id = ?",
                           (*sets.values(), our_id))
        merge.count("codes", "updated")


def codings(merge: Merger) -> None:
    ours = merge.store.all("SELECT id, uuid, code_id, document_id, coder_id, start_char, end_char, status "
                           "FROM codings")
    by_uuid = {r["uuid"]: r for r in ours}
    uuids = set(by_uuid)
    spans: dict[tuple, list[list]] = defaultdict(list)
    for r in ours:
        spans[(r["code_id"], r["document_id"], r["coder_id"])].append(
            [r["id"], r["start_char"], r["end_char"], r["status"]])
    rejected = rejected_spans(merge.store, all_codes(merge.store))
    diverged = refused = 0
    for r in merge.rows("SELECT * FROM codings ORDER BY id"):
        doc = merge.doc.get(r["document_id"])
        if doc is None:
            merge.lost[r["document_id"]] += 1
            merge.count("codings", "skipped")
            continue
        code, coder, start, end = merge.code[r["code_id"]], merge.coder[r["coder_id"]], r["start_char"], r["end_char"]
        if r["status"] == "pending" and spans_overlap(rejected.get((code, doc)), start, end):
            refused += 1    # a suggestion reviewed and rejected here is not offered again
            merge.count("codings", "skipped")
            continue
        mine = by_uuid.get(r["uuid"])
        if mine is not None and (mine["code_id"], mine["document_id"], mine["coder_id"]) != (code, doc, coder):
            diverged += 1   # recoded (a code merge, a split) in one project: which is right is a person's call
            merge.count("codings", "present")
            continue
        same = spans[(code, doc, coder)]
        overlapping = [s for s in same if s[1] < end and s[2] > start]
        exact = next((s for s in overlapping if (s[1], s[2]) == (start, end)), None)
        if exact and exact[3] == "pending" and r["status"] == "confirmed":
            merge.conn.execute("UPDATE codings SET status = 'confirmed' WHERE id = ?", (exact[0],))
            exact[3] = "confirmed"
            merge.count("codings", "updated")
        elif any(s[1] <= start and s[2] >= end for s in overlapping):
            merge.count("codings", "present")
        elif overlapping:   # one coder's overlapping codings of one code merge, as when coding
            keep = overlapping[0]
            keep[1], keep[2] = min(start, *(s[1] for s in overlapping)), max(end, *(s[2] for s in overlapping))
            if r["status"] == "confirmed" or any(s[3] == "confirmed" for s in overlapping):
                keep[3] = "confirmed"
            merge.conn.execute("UPDATE codings SET start_char = ?, end_char = ?, status = ? WHERE id = ?",
                               (keep[1], keep[2], keep[3], keep[0]))
            for s in overlapping[1:]:
                merge.conn.execute("DELETE FROM codings WHERE id = ?", (s[0],))
                same.remove(s)
            merge.count("codings", "updated")
        else:
            row = dict(r, code_id=code, document_id=doc, coder_id=coder)
            same.append([merge.insert("codings", row, uuids), start, end, r["status"]])
            merge.count("codings", "added")
    if refused:
        merge.warn(f"{plural(refused, 'autocoded suggestion')} still pending in {merge.label} "
                   f"{'was' if refused == 1 else 'were'} rejected here; "
                   "not brought back")
    if diverged:
        merge.warn(f"{plural(diverged, 'coding')} {'has' if diverged == 1 else 'have'} another code or coder in "
                   f"{merge.label} than here (recoded in one project); kept this project's")


# --- the explanatory model ---------------------------------------------------------------------

def model(merge: Merger) -> None:
    types = {r["name"].casefold(): dict(r) for r in merge.store.all("SELECT * FROM relation_types")}
    for r in merge.rows("SELECT * FROM relation_types ORDER BY id"):
        mine = types.get(r["name"].casefold())
        if mine is None:
            merge.insert("relation_types", dict(r, builtin=0))
            types[r["name"].casefold()] = r
            merge.count("relation types", "added")
        else:
            merge.count("relation types", "present")
            if (mine["label"], mine["polarity"]) != (r["label"], r["polarity"]):
                merge.warn(f"relation type {mine['name']!r} reads {mine['label']!r} ({mine['polarity']}) here and "
                           f"{r['label']!r} ({r['polarity']}) in {merge.label}; kept this project's")
        merge.relation_type[r["name"]] = types[r["name"].casefold()]["name"]
    _copy(merge, "relations", "relations", merge.relation, ("source_id", "type", "target_id"),
          lambda r: dict(r, source_id=merge.code[r["source_id"]], target_id=merge.code[r["target_id"]],
                         type=merge.relation_type[r["type"]]))
    _copy(merge, "relation_evidence", "relation evidence", {},
          ("relation_id", "document_id", "start_char", "end_char", "memo_id"),
          lambda r: dict(r, relation_id=merge.relation[r["relation_id"]], document_id=_doc(merge, r),
                         memo_id=merge.memo.get(r["memo_id"])))
    _copy(merge, "category_properties", "properties", merge.prop, ("code_id", "name"),
          lambda r: dict(r, code_id=merge.code[r["code_id"]]))
    _copy(merge, "property_evidence", "property evidence", {},
          ("property_id", "document_id", "start_char", "end_char", "value"),
          lambda r: dict(r, property_id=merge.prop[r["property_id"]], document_id=_doc(merge, r)))


def _doc(merge: Merger, row: dict):
    """The document here for a row of the other project; False when it is not here."""
    if row["document_id"] is None:
        return None
    return merge.doc.get(row["document_id"], False)


def _copy(merge: Merger, table: str, kind: str, ids: dict, key: tuple, mapped) -> None:
    """Rows matched by uuid, then by their natural key (case-insensitive text); the rest added."""
    def natural(row):
        return tuple(v.casefold() if isinstance(v, str) else v for v in (row[k] for k in key))

    ours = merge.store.all(f"SELECT * FROM {table}")
    by_uuid = {r["uuid"]: r["id"] for r in ours}
    by_key = {natural(r): r["id"] for r in ours}
    uuids = set(by_uuid)
    for r in merge.rows(f"SELECT * FROM {table} ORDER BY id"):
        row = mapped(r)
        if row.get("document_id") is False:
            merge.lost[r["document_id"]] += 1
            merge.count(kind, "skipped")
            continue
        found = by_uuid.get(r["uuid"]) or by_key.get(natural(row))
        if found is not None:
            ids[r["id"]] = found
            merge.count(kind, "present")
            continue
        if "source_id" in row and row["source_id"] == row["target_id"]:
            merge.count(kind, "skipped")
            merge.warn(f"a {row['type']} relation of {merge.label} joins two codes that are one code here; skipped")
            continue
        row["created_by"] = merge.coder[r["created_by"]]
        ids[r["id"]] = by_key[natural(row)] = merge.insert(table, row, uuids)
        merge.count(kind, "added")


def rejections(merge: Merger) -> None:
    """Suggestions the other coder rejected come too (never offered again here); the same words and code
    rejected in both are one rejection."""
    have = {(r[0], r[1], r[2], r[3]) for r in merge.store.all(
        "SELECT code_id, document_id, start_char, end_char FROM rejected_suggestions")}
    uuids = {r[0] for r in merge.store.all("SELECT uuid FROM rejected_suggestions")}
    for r in merge.rows("SELECT * FROM rejected_suggestions ORDER BY id"):
        doc = merge.doc.get(r["document_id"])
        if doc is None:
            merge.count("rejected suggestions", "skipped")
            continue
        key = (merge.code[r["code_id"]], doc, r["start_char"], r["end_char"])
        if key in have:
            merge.count("rejected suggestions", "present")
            continue
        have.add(key)
        merge.insert("rejected_suggestions", dict(r, code_id=key[0], document_id=doc,
                                                  created_by=merge.coder[r["created_by"]]), uuids)
        merge.count("rejected suggestions", "added")
