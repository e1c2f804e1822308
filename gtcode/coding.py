"""Codings: a code applied to a span [start_char, end_char) of a document's canonical text.

A segment address codes the whole segment; a contiguous range (`D3:17-21`) is
one passage; `--quote` codes the exact words inside one segment or range, even
across segments and speaker turns. Overlapping
codings of one code by one coder merge instead of duplicating.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gtcode.codes import Code, add_code, all_codes, delete_rows, resolve_code, set_fields, split_parent, subtree
from gtcode.documents import SegmentIndex
from gtcode.errors import CodeInUse, InputError, UnknownCode
from gtcode.store.db import Store, Txn, new_uuid, now
from gtcode.text import plural
from gtcode.records import Record
from gtcode.spans import Span, quote_span


def add_coding(store: Store, txn: Txn, code_id: int, doc_id: int, start: int, end: int,
               status: str = "confirmed", pattern: str | None = None, coder_id: int | None = None,
               uuid: str | None = None, created: str | None = None) -> str:
    """Apply a code to a span; returns 'added', 'merged' or 'already' (nothing new).

    `coder_id` puts the coding in another coder's set (a settled disagreement); the event still
    records who ran the command. `uuid` and `created` keep an imported coding's identity and time
    (a uuid already here is 'already').
    """
    if uuid and store.one("SELECT 1 FROM codings WHERE uuid = ?", (uuid,)):
        return "already"
    coder_id = txn.coder_id if coder_id is None else coder_id
    overlapping = store.all(
        "SELECT id, start_char, end_char, status FROM codings WHERE code_id = ? AND document_id = ? AND coder_id = ?"
        " AND start_char < ? AND end_char > ? ORDER BY id", (code_id, doc_id, coder_id, end, start))
    if not overlapping:
        store.conn.execute(
            "INSERT INTO codings (uuid, code_id, document_id, start_char, end_char, coder_id, created_at, command,"
            " status, pattern) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (uuid or new_uuid(), code_id, doc_id, start, end, coder_id, created or now(), txn.command, status,
             pattern))
        return "added"
    keep = overlapping[0]
    new_start = min(start, *(r["start_char"] for r in overlapping))
    new_end = max(end, *(r["end_char"] for r in overlapping))
    new_status = "confirmed" if status == "confirmed" or any(r["status"] == "confirmed" for r in overlapping) \
        else "pending"
    if len(overlapping) == 1 and (new_start, new_end, new_status) == (keep["start_char"], keep["end_char"],
                                                                      keep["status"]):
        return "already"
    store.conn.execute("UPDATE codings SET start_char = ?, end_char = ?, status = ? WHERE id = ?",
                       (new_start, new_end, new_status, keep["id"]))
    for r in overlapping[1:]:
        store.conn.execute("DELETE FROM codings WHERE id = ?", (r["id"],))
    return "merged"


def remove_span(store: Store, code_id: int, doc_id: int, start: int, end: int, coder_id: int | None) -> int:
    """Take [start, end) out of a code's codings (this coder's, or everyone's with None); returns codings touched."""
    sql = ("SELECT * FROM codings WHERE code_id = ? AND document_id = ? AND start_char < ? AND end_char > ?")
    params: list = [code_id, doc_id, end, start]
    if coder_id is not None:
        sql += " AND coder_id = ?"
        params.append(coder_id)
    from gtcode.text import strip_span

    text = store.scalar("SELECT text FROM documents WHERE id = ?", (doc_id,))

    def piece(a: int, b: int):  # what is left of a coding, without dangling spaces
        a, b = strip_span(text, a, b)
        return (a, b) if a < b else None

    touched = 0
    for r in store.all(sql, params):
        touched += 1
        left = piece(r["start_char"], start) if r["start_char"] < start else None
        right = piece(end, r["end_char"]) if r["end_char"] > end else None
        if not left and not right:
            store.conn.execute("DELETE FROM codings WHERE id = ?", (r["id"],))
            continue
        first, second = (left, right) if left else (right, None)
        store.conn.execute("UPDATE codings SET start_char = ?, end_char = ? WHERE id = ?", (*first, r["id"]))
        if second:
            store.conn.execute(
                "INSERT INTO codings (uuid, code_id, document_id, start_char, end_char, coder_id, created_at, command,"
                " status, pattern) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (new_uuid(), code_id, doc_id, *second, r["coder_id"], r["created_at"], r["command"], r["status"],
                 r["pattern"]))
    return touched


def collapse_overlaps(store: Store, code_id: int) -> int:
    """Merge overlapping codings of one code by one coder (after a merge of codes); returns rows removed."""
    removed = 0
    rows = store.all("SELECT id, document_id, coder_id, start_char, end_char, status FROM codings WHERE code_id = ?"
                     " ORDER BY document_id, coder_id, start_char, id", (code_id,))
    current = None
    for r in rows:
        if current and (r["document_id"], r["coder_id"]) == (current["document_id"], current["coder_id"]) \
                and r["start_char"] < current["end_char"]:
            end = max(current["end_char"], r["end_char"])
            status = "confirmed" if "confirmed" in (current["status"], r["status"]) else "pending"
            store.conn.execute("UPDATE codings SET end_char = ?, status = ? WHERE id = ?", (end, status, current["id"]))
            store.conn.execute("DELETE FROM codings WHERE id = ?", (r["id"],))
            current = dict(current, end_char=end, status=status)
            removed += 1
        else:
            current = dict(r)
    return removed


def merge_codes(store: Store, txn: Txn, sources: list[str], target: str) -> dict:
    """Fold SOURCE codes into TARGET: codings move, duplicates collapse, children re-parent; sources go.

    Memos about the sources are the caller's to re-point (`memos.retarget_code_links`), as the facade does."""
    codes = all_codes(store)
    into = resolve_code(store, target, codes)
    moved = 0
    merged = []
    for ref in sources:
        src = resolve_code(store, ref, codes)
        if src.id == into.id or into.path.casefold().startswith(src.path.casefold() + "/"):
            raise InputError(f"cannot merge {src.path!r} into itself or its own child {into.path!r}")
        for child in [c for c in codes if c.parent_id == src.id]:
            clash = store.one("SELECT 1 FROM codes WHERE parent_id = ? AND name = ? COLLATE NOCASE",
                              (into.id, child.name))
            if clash:
                raise InputError(f"{into.path!r} already has a child named {child.name!r}; rename one before merging")
            set_fields(store, child.id, parent_id=into.id)
        moved += store.conn.execute("UPDATE codings SET code_id = ? WHERE code_id = ?", (into.id, src.id)).rowcount
        delete_rows(store, [src.id])
        merged.append(src)
        codes = all_codes(store)
    collapsed = collapse_overlaps(store, into.id)
    for src in merged:
        # The source's definition is kept in the history, so nothing a researcher wrote is lost.
        txn.record("code.merge", f"merged code {src.path!r} into {into.path!r}", src.uuid,
                   source=src.to_dict(), target={"uuid": into.uuid, "path": into.path})
    return {"target": into.path, "sources": [s.path for s in merged], "codings_moved": moved, "collapsed": collapsed}


def split_code(store: Store, txn: Txn, ref: str, into: str, coding_ids: list[int]) -> dict:
    """Move chosen codings of CODE to a new sibling code INTO."""
    code = resolve_code(store, ref)
    if not coding_ids:
        raise InputError("name the codings to move with --codings (ids from 'gtcode retrieve')")
    marks = ",".join("?" * len(coding_ids))
    found = {r[0] for r in store.all(f"SELECT id FROM codings WHERE code_id = ? AND id IN ({marks})",
                                     (code.id, *coding_ids))}
    missing = sorted(set(coding_ids) - found)
    if missing:
        raise InputError(f"{'coding' if len(missing) == 1 else 'codings'} {', '.join(map(str, missing))} "
                         f"{'is not a coding' if len(missing) == 1 else 'are not codings'} of {code.path!r}")
    parent = split_parent(code.path)[0]
    new = add_code(store, txn, into, parent, record=False)
    store.conn.execute(f"UPDATE codings SET code_id = ? WHERE id IN ({marks})", (new.id, *coding_ids))
    txn.record("code.split", f"split {plural(len(found), 'coding')} of {code.path!r} into new code {new.path!r}",
               new.uuid, source={"uuid": code.uuid, "path": code.path}, code={"uuid": new.uuid, "path": new.path},
               codings=sorted(found))
    return {"code": new.path, "moved": len(found)}


def code_spans(store: Store, txn: Txn, code_refs: list[str], spans: list[Span], *, create: bool = False,
               status: str = "confirmed", pattern: str | None = None) -> dict:
    """Apply each code to each span; one event per code. `create` adds codes that don't exist yet."""
    codes = all_codes(store)
    targets: list[Code] = []
    for ref in code_refs:
        try:
            targets.append(resolve_code(store, ref, codes))
        except UnknownCode:
            if not create:
                raise
            parent, name = split_parent(ref)
            targets.append(add_code(store, txn, name, parent))
            codes = all_codes(store)
    result = {"added": 0, "merged": 0, "already": 0}
    for code in targets:
        outcome = {"added": 0, "merged": 0, "already": 0}
        for span in spans:
            outcome[add_coding(store, txn, code.id, span.document_id, span.start, span.end, status, pattern)] += 1
        for k, v in outcome.items():
            result[k] += v
        if outcome["added"] or outcome["merged"]:
            labels = ", ".join(s.label for s in spans[:5]) + (f" and {len(spans) - 5} more" if len(spans) > 5 else "")
            txn.record("coding.add", f"coded {labels} with {code.path!r}", code.uuid,
                       code={"uuid": code.uuid, "path": code.path}, spans=[[s.document_id, s.start, s.end]
                                                                            for s in spans], **outcome)
    return result


def uncode_spans(store: Store, txn: Txn, code_refs: list[str], spans: list[Span], all_coders: bool = False) -> int:
    touched = 0
    for ref in code_refs:
        code = resolve_code(store, ref)
        n = sum(remove_span(store, code.id, s.document_id, s.start, s.end, None if all_coders else txn.coder_id)
                for s in spans)
        if n:
            labels = ", ".join(s.label for s in spans[:5])
            txn.record("coding.remove", f"removed {code.path!r} from {labels}", code.uuid,
                       code={"uuid": code.uuid, "path": code.path}, spans=[[s.document_id, s.start, s.end]
                                                                           for s in spans], codings=n)
        touched += n
    return touched


@dataclass
class Passage(Record):
    """One coded passage, for retrieval and comparison."""

    id: int
    code: str
    document_id: int
    document: str
    case: str | None
    address: str
    speaker: str | None
    start: int
    end: int
    text: str
    coder: str
    created_at: str
    status: str
    pattern: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    before: list[str] = field(default_factory=list)
    after: list[str] = field(default_factory=list)



def _placements(store: Store, coding_ids: list[int]) -> dict[int, tuple[list[int], str | None]]:
    """Coding id → (numbers of the segments it touches, in order; the speaker of the first), in one query:
    only the segments the codings touch are read (segments tile a document in order, so "touches" is
    `start < its end and end > its start`, as SegmentIndex places spans)."""
    import json

    out: dict[int, tuple[list[int], str | None]] = {}
    for r in store.all("SELECT g.id, s.ordinal, t.speaker FROM codings g JOIN segments s ON s.document_id = "
                       "g.document_id AND s.start_char < g.end_char AND s.end_char > g.start_char JOIN turns t ON "
                       "t.id = s.turn_id WHERE g.id IN (SELECT value FROM json_each(?)) ORDER BY g.id, s.ordinal",
                       (json.dumps(coding_ids),)):
        found = out.setdefault(r[0], ([], r[2]))
        found[0].append(r[1])
    return out


def passages(store: Store, code_ids: list[int] | None = None, where_clause: str = "1", params=(),
             include_pending: bool = False, context: int = 0, speaker: str | None = None) -> list[Passage]:
    """Coded passages, in document order, with address, speaker, case attributes and context.

    Each document's text is read once, whatever its number of passages, and dropped at the next document
    (slicing the text in SQL would load the whole text again for every passage); only the segments the
    passages touch are read, unless context is asked for."""
    from gtcode.address import format_ranges

    sql = ("SELECT g.id, g.code_id, g.document_id, d.name AS document, c.name AS \"case\", d.case_id,"
           " g.start_char, g.end_char, k.name AS coder, g.created_at, g.status, g.pattern"
           " FROM codings g JOIN documents d ON d.id = g.document_id LEFT JOIN cases c ON c.id = d.case_id"
           f" JOIN coders k ON k.id = g.coder_id WHERE {where_clause}")
    args = list(params)
    if code_ids is not None:
        sql += f" AND g.code_id IN ({','.join('?' * len(code_ids))})"
        args.extend(code_ids)
    if not include_pending:
        sql += " AND g.status = 'confirmed'"
    rows = store.all(sql + " ORDER BY g.document_id, g.start_char, g.id", args)
    paths = {c.id: c.path for c in all_codes(store)}
    attrs = _attributes_of(store, {r["case_id"] for r in rows if r["case_id"] is not None})
    placed = _placements(store, [r["id"] for r in rows])
    out, index, text = [], None, ""
    for r in rows:
        doc_id, start, end = r["document_id"], r["start_char"], r["end_char"]
        if index is None or doc_id != out[-1].document_id:
            index = SegmentIndex(store)
            text = index.text(doc_id)
        ordinals, who = placed.get(r["id"], ([], None))
        before, after = index.context(doc_id, start, end, context) if ordinals and context else ([], [])
        out.append(Passage(r["id"], paths[r["code_id"]], doc_id, r["document"], r["case"],
                           f"D{doc_id}:{format_ranges(ordinals) or '?'}", who, start, end, text[start:end],
                           r["coder"], r["created_at"], r["status"], r["pattern"], dict(attrs.get(r["case_id"], {})),
                           [c.text for c in before], [c.text for c in after]))
    if speaker:
        key = speaker.casefold()
        out = [p for p in out if (p.speaker or "").casefold() == key]
    return out


def _attributes_of(store: Store, case_ids: set[int]) -> dict[int, dict[str, str]]:
    """Case id → attribute name → value, for these cases only."""
    import json

    attrs: dict[int, dict[str, str]] = {}
    for r in store.all("SELECT ca.case_id, a.name, ca.value FROM case_attributes ca JOIN attributes a ON "
                       "a.id = ca.attribute_id WHERE ca.case_id IN (SELECT value FROM json_each(?)) ORDER BY ca.rowid",
                       (json.dumps(sorted(case_ids)),)):
        attrs.setdefault(r["case_id"], {})[r["name"]] = r["value"]
    return attrs


def code_counts(store: Store, include_pending: bool = False, where_clause: str = "1",
                params=(), within=None) -> dict[int, dict[str, int]]:
    """Per code: its own codings, and codings, documents and cases of it and all its children.

    A parent's totals count each document and case once, however many children code it.
    `where_clause` (on documents `d`, see filters.where_sql) limits the documents counted. `within` (code ids:
    whole subtrees, each with its top code) counts only those codes, for a screen that refreshes what one
    write changed (`coding_keys`) rather than the whole project.
    """
    import json

    status = "1" if include_pending else "g.status = 'confirmed'"
    limit, extra = ("", []) if within is None else \
        (" AND g.code_id IN (SELECT value FROM json_each(?))", [json.dumps(sorted(within))])
    cur = store.conn.cursor()
    cur.row_factory = None                  # plain tuples: a large project has 150,000 codings to count
    # SQLite counts and lists each code's distinct documents (one row a code, its documents as one string), so
    # Python never walks the codings one by one: 150,000 of them cost 0.3 s that way, 60 ms this way.
    if where_clause == "1":
        rows = cur.execute("SELECT g.code_id, COUNT(*), group_concat(DISTINCT g.document_id) FROM codings g "
                           f"WHERE {status}{limit} GROUP BY g.code_id", extra).fetchall()
    else:
        rows = cur.execute("SELECT g.code_id, COUNT(*), group_concat(DISTINCT g.document_id) FROM codings g JOIN "
                           f"documents d ON d.id = g.document_id WHERE {status} AND {where_clause}{limit} "
                           "GROUP BY g.code_id", list(params) + extra).fetchall()
    # Most projects give each case at most one document (an interview a participant): a set of documents then
    # has as many cases as it has documents with a case, and no case sets need building (40 ms at 150,000).
    one_each = cur.execute("SELECT COUNT(case_id) = COUNT(DISTINCT case_id) FROM documents").fetchone()[0]
    if one_each:
        no_case = {str(doc_id) for (doc_id,) in cur.execute("SELECT id FROM documents WHERE case_id IS NULL")}
    else:
        case_of = {str(doc_id): case_id for doc_id, case_id in cur.execute("SELECT id, case_id FROM documents")}
    own: dict[int, int] = {}
    docs: dict[int, set] = {}
    for code_id, n, doc_ids in rows:
        own[code_id] = n
        docs[code_id] = set(doc_ids.split(","))

    def cases_in(doc_set: set) -> int:
        if one_each:
            return len(doc_set) - len(doc_set & no_case)
        found = set(map(case_of.get, doc_set))
        found.discard(None)
        return len(found)

    parent = dict(cur.execute("SELECT id, parent_id FROM codes"))
    total: dict[int, list] = {}
    for code_id, n in own.items():             # each code's own; its parents then take the union
        node = code_id
        while node is not None:
            slot = total.setdefault(node, [0, set()])
            slot[0] += n
            slot[1] |= docs[code_id]
            node = parent.get(node)
    return {code_id: {"own": own.get(code_id, 0), "codings": n, "documents": len(d), "cases": cases_in(d)}
            for code_id, (n, d) in total.items()}


def coding_keys(store: Store, document_id: int) -> set[tuple[int, int, str]]:
    """(coding, code, status) of every coding in one document: compared before and after a write, the codes
    whose counts it changed."""
    return {tuple(r) for r in store.all("SELECT id, code_id, status FROM codings WHERE document_id = ?",
                                        (document_id,))}


def code_invivo(store: Store, txn: Txn, address: str, quote: str, parent: str | None = None,
                nth: int | None = None) -> Code:
    """Name a code by the participant's own words (reusing a code of that name) and code exactly those words."""
    from gtcode.documents import document_text

    span = quote_span(store, address, quote, nth, asked="invivo")
    name = " ".join(document_text(store, span.document_id)[span.start:span.end].split())
    existing = [c for c in all_codes(store) if c.name.casefold() == name.casefold() and
                (c.parent_id is None if parent is None else c.path.casefold().startswith(parent.casefold()))]
    code = existing[0] if existing else add_code(store, txn, name, parent, invivo=True)
    add_coding(store, txn, code.id, span.document_id, span.start, span.end)
    txn.record("coding.add", f"in vivo: coded {span.label} “{name}”", code.uuid,
               code={"uuid": code.uuid, "path": code.path}, spans=[[span.document_id, span.start, span.end]])
    return code


def delete_code(store: Store, txn: Txn, ref: str, force: bool = False) -> dict:
    codes = all_codes(store)
    code = resolve_code(store, ref, codes)
    doomed = subtree(codes, code)
    ids = [c.id for c in doomed]
    marks = ",".join("?" * len(ids))
    n_codings = store.scalar(f"SELECT count(*) FROM codings WHERE code_id IN ({marks})", ids)
    if (n_codings or len(doomed) > 1) and not force:
        parts = []
        if n_codings:
            parts.append(plural(n_codings, "coding"))
        if len(doomed) > 1:
            parts.append(plural(len(doomed) - 1, "child code"))
        raise CodeInUse(f"code {code.path!r} has {' and '.join(parts)}; add --force to delete them too "
                        "(undo brings them back)")
    store.conn.execute(f"DELETE FROM codings WHERE code_id IN ({marks})", ids)
    delete_rows(store, [c.id for c in sorted(doomed, key=lambda c: -c.depth)])
    with_ = f" with {plural(n_codings, 'coding')}" if n_codings else ""
    txn.record("code.delete", f"deleted code {code.path!r}{with_}", code.uuid,
               code=code.to_dict(), descendants=[c.path for c in doomed[1:]], codings=n_codings)
    return {"code": code.path, "codes": len(doomed), "codings": n_codings}


def confirm_codings(store: Store, coding_ids: list[int]) -> None:
    """Pending suggestions become codings (review accept)."""
    marks = ",".join("?" * len(coding_ids))
    store.conn.execute(f"UPDATE codings SET status = 'confirmed' WHERE id IN ({marks})", coding_ids)


def delete_codings(store: Store, coding_ids: list[int]) -> None:
    """Codings (or suggestions) removed whole, by id (review reject)."""
    marks = ",".join("?" * len(coding_ids))
    store.conn.execute(f"DELETE FROM codings WHERE id IN ({marks})", coding_ids)


def reject_suggestions(store: Store, txn: Txn, coding_ids: list[int]) -> None:
    """Pending codings a person rejected: deleted, and their spans kept (an anchor, carried through edits) so
    the same words are never suggested for that code again."""
    marks = ",".join("?" * len(coding_ids))
    rows = store.all(f"SELECT code_id, document_id, start_char, end_char, pattern FROM codings WHERE id IN ({marks})",
                     coding_ids)
    at = now()
    store.conn.executemany(
        "INSERT INTO rejected_suggestions (uuid, code_id, document_id, start_char, end_char, pattern, created_at,"
        " created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(new_uuid(), r[0], r[1], r[2], r[3], r[4], at, txn.coder_id) for r in rows])
    delete_codings(store, coding_ids)


def rejected_spans(store: Store, code_ids=None) -> dict[tuple[int, int], list[tuple[int, int]]]:
    """Spans whose suggestions were rejected (and the rejection not undone), by (code id, document id)."""
    sql = "SELECT code_id, document_id, start_char, end_char FROM rejected_suggestions"
    args: list = []
    if code_ids is not None:
        code_ids = list(code_ids)
        sql += f" WHERE code_id IN ({','.join('?' * len(code_ids))})"
        args = code_ids
    out: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for r in store.all(sql + " ORDER BY id", args):
        out.setdefault((r[0], r[1]), []).append((r[2], r[3]))
    return out
