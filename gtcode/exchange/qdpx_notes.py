"""Notes, links and sets of a REFI-QDA project, as gtcode memos, memo links and relations.

Part of the .qdpx import (qdpx_import.py): a note becomes a memo (its GUID its uuid; an existing memo whose
text changed gets a new version), a NoteRef a memo link, a link between two codes a typed relation, a link
between a note and anything it can be about a memo link, and a set a memo whose links are its members. A note
the project itself refers to stays a memo about the whole project; the project's Description becomes one.
GUIDs are stored as the file writes them (their case kept) and matched without regard to case.
"""

from __future__ import annotations

import re

from gtcode.errors import InputError
from gtcode.exchange.common import derived_guid, from_xml_datetime, guid_key, guid_text, is_gtcode
from gtcode.exchange.qdpx_state import ImportState, created_at, creating_coder, plain_text
from gtcode.memos import add_memo_type, sync_references
from gtcode.model import add_relation_type
from gtcode.store.db import Txn, new_uuid, now
from gtcode.text import plural

_MEMO_TYPE = re.compile(r"^Memo type: (.+)$")


def _memo_type(store, txn: Txn, name: str) -> str:
    row = store.one("SELECT name FROM memo_types WHERE name = ?", (name,))
    if row:
        return row[0]
    try:
        return add_memo_type(store, txn, name)
    except InputError:
        return "theoretical"


def write_memo(store, txn: Txn, st: ImportState, guid: str, title: str, body: str, kind: str, creator: int,
                created: str, editor: int, edited: str, what: str = "memos") -> int:
    """A memo with the file's GUID; an existing one gets a new version if its text changed."""
    title = " ".join(title.split()) or "(untitled note)"
    row = store.one("SELECT id FROM memos WHERE uuid = ? COLLATE NOCASE", (guid,))
    if row is not None:
        latest = store.one("SELECT version, title, body FROM memo_versions WHERE memo_id = ? ORDER BY version DESC "
                           "LIMIT 1", (row[0],))
        if (latest["title"], latest["body"]) != (title, body):
            store.conn.execute("INSERT INTO memo_versions (uuid, memo_id, version, title, body, created_at, "
                               "created_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                               (new_uuid(), row[0], latest["version"] + 1, title, body, edited, editor))
            txn.record("memo.edit", f"updated memo #{row[0]} {title!r} from {st.label} (version "
                       f"{latest['version'] + 1})", guid, memo={"id": row[0], "uuid": guid, "title": title},
                       version=latest["version"] + 1)
            st.report.count(f"{what} updated")
        else:
            st.report.count(f"{what} already here")
        return row[0]
    memo_id = store.conn.execute("INSERT INTO memos (uuid, type, created_at, created_by) VALUES (?, ?, ?, ?)",
                                 (guid, kind, created, creator)).lastrowid
    store.conn.execute("INSERT INTO memo_versions (uuid, memo_id, version, title, body, created_at, created_by)"
                       " VALUES (?, ?, 1, ?, ?, ?, ?)", (new_uuid(), memo_id, title, body, edited, editor))
    txn.record("memo.create", f"imported {kind} memo #{memo_id} {title!r} from {st.label}", guid,
               memo={"id": memo_id, "uuid": guid, "type": kind, "title": title}, source=st.label)
    st.report.count(f"{what} added")
    return memo_id


def read_notes(store, txn: Txn, root, archive, st: ImportState) -> None:
    """Notes become memos (a gtcode memo type comes back from its Description); NoteRefs inside them, links."""
    q = st.q
    for el in root.iterfind(f"{q('Notes')}/{q('Note')}"):
        guid = guid_key(el.get("guid"))
        body = plain_text(el, archive, st) if el.get("plainTextPath") else (el.findtext(q("PlainTextContent")) or "")
        if body is None:
            continue
        body = body.replace("\r\n", "\n").strip("\n")
        desc = (el.findtext(q("Description")) or "").strip()
        kind = "theoretical"
        m = _MEMO_TYPE.match(desc) if is_gtcode(st.origin) else None
        if m:
            kind = _memo_type(store, txn, m.group(1).strip())
        elif desc:
            body = f"{desc}\n\n{body}".strip()
        creator = creating_coder(st, txn, el)
        editor = st.users.get(guid_key(el.get("modifyingUser"))) or creator
        created = created_at(el)
        edited = from_xml_datetime(el.get("modifiedDateTime")) or created
        st.notes[guid] = write_memo(store, txn, st, guid_text(el.get("guid")), el.get("name") or "", body, kind,
                                    creator, created, editor, edited)
        for ref in el.findall(q("NoteRef")):
            st.memo_links.append((guid_key(ref.get("targetGUID")), "memo", guid, None, None))


def link_memos(store, txn: Txn, st: ImportState, code_notes: dict[str, list[str]]) -> None:
    """Write the memo links gathered while reading the file: notes on codes, documents, passages and notes."""
    for code_guid, notes in code_notes.items():
        if code_guid in st.codes:
            row = store.one("SELECT uuid, kind FROM codes WHERE id = ?", (st.codes[code_guid],))
            for note in notes:
                st.memo_links.append((note, row["kind"], row["uuid"], None, None))
    # [[references]] in the text first, so a note reference they already make is not doubled.
    for memo_id in set(st.notes.values()):
        body = store.scalar("SELECT body FROM memo_versions WHERE memo_id = ? ORDER BY version DESC LIMIT 1",
                            (memo_id,))
        sync_references(store, txn, memo_id, body)
    for note, kind, target, start, end in st.memo_links:
        memo_id = st.notes.get(note)
        if memo_id is None:
            st.report.warn(f"a note reference points at {note}, which is not a note in the file; skipped")
            continue
        if kind == "memo":   # note A about note B (a NoteRef to A inside B, or a link between them)
            if target not in st.notes:
                st.report.warn(f"note {note} refers to {target}, which is not a note in the file; skipped")
                continue
            target = store.scalar("SELECT uuid FROM memos WHERE id = ?", (st.notes[target],))
        if store.one("SELECT 1 FROM memo_links WHERE memo_id = ? AND target_uuid = ? AND start_char IS ? AND "
                     "end_char IS ?", (memo_id, target, start, end)):   # code or category: the same target
            continue
        store.conn.execute("INSERT INTO memo_links (uuid, memo_id, target_type, target_uuid, start_char, end_char,"
                           " source, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, 'explicit', ?, ?)",
                           (new_uuid(), memo_id, kind, target, start, end, now(), txn.coder_id))
        st.report.count("memo links added")


def _relation_type(store, txn: Txn, name: str) -> tuple[str, str]:
    """(gtcode relation type, note) for a link's name: an existing type by name or label, else a new one."""
    label = " ".join((name or "").split())
    if not label:
        return "is-associated-with", ""
    row = store.one("SELECT name FROM relation_types WHERE name = ? OR label = ? COLLATE NOCASE", (label, label))
    if row:
        return row[0], ""
    slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:40].strip("-")
    if re.match(r"^[a-z][a-z0-9-]{1,39}$", slug):
        if not store.one("SELECT 1 FROM relation_types WHERE name = ?", (slug,)):
            add_relation_type(store, txn, slug, label, "0")
        return slug, ""
    return "is-associated-with", label


def read_links(store, txn: Txn, root, st: ImportState) -> None:
    """Links between codes become relations (a note on them, evidence); links with a note, memo links."""
    q, report = st.q, st.report
    memo_uuid = {g: store.scalar("SELECT uuid FROM memos WHERE id = ?", (i,)) for g, i in st.notes.items()}
    undirected = 0
    for el in root.iterfind(f"{q('Links')}/{q('Link')}"):
        guid = guid_key(el.get("guid"))
        a, b = guid_key(el.get("originGUID")), guid_key(el.get("targetGUID"))
        name = el.get("name") or ""
        if a in st.codes and b in st.codes:
            src, dst = st.codes[a], st.codes[b]
            if src == dst:
                report.warn(f"link {name!r} joins a code to itself; skipped")
                continue
            kind, note = _relation_type(store, txn, name)
            row = store.one("SELECT id FROM relations WHERE uuid = ? COLLATE NOCASE", (guid,)) or store.one(
                "SELECT id FROM relations WHERE source_id = ? AND type = ? AND target_id = ?", (src, kind, dst))
            if row is None:
                rel_id = store.conn.execute(
                    "INSERT INTO relations (uuid, source_id, type, target_id, note, created_at, created_by) VALUES "
                    "(?, ?, ?, ?, ?, ?, ?)", (guid_text(el.get("guid")), src, kind, dst, note, now(),
                                              txn.coder_id)).lastrowid
                paths = [store.scalar("SELECT uuid FROM codes WHERE id = ?", (i,)) for i in (src, dst)]
                txn.record("relation.add", f"imported relation {kind} from {st.label}", guid,
                           relation={"uuid": guid, "source": paths[0], "type": kind, "target": paths[1]},
                           codes=paths, source=st.label)
                report.count("relations added")
                if (el.get("direction") or "OneWay") != "OneWay":
                    undirected += 1
            else:
                rel_id = row[0]
                report.count("relations already here")
            for ref in el.findall(q("NoteRef")):
                memo_id = st.notes.get(guid_key(ref.get("targetGUID")))
                if memo_id is None:
                    report.warn(f"link {name!r}: note {ref.get('targetGUID')} is not in the file; skipped")
                elif not store.one("SELECT 1 FROM relation_evidence WHERE relation_id = ? AND memo_id = ?",
                                   (rel_id, memo_id)):
                    store.conn.execute("INSERT INTO relation_evidence (uuid, relation_id, memo_id, created_at,"
                                       " created_by) VALUES (?, ?, ?, ?, ?)",
                                       (new_uuid(), rel_id, memo_id, now(), txn.coder_id))
            continue
        note, other = (a, b) if a in st.notes else (b, a) if b in st.notes else (None, None)
        if note is not None:
            target = _target(store, st, other, memo_uuid)
            if target is not None:
                st.memo_links.append((note, *target))
                continue
        ends = [g for g in (a, b)
                if g not in st.codes and g not in st.notes and _target(store, st, g, memo_uuid) is None]
        why = (f"{', '.join(str(g) for g in ends)} was not imported (a media source, or not in the file)" if ends
               else "gtcode relates a code to a code, or a note to what it is about")
        report.warn(f"link {name or guid!r}: {why}; skipped")
    if undirected:
        report.lose(f"direction of {plural(undirected, 'undirected link')}: "
                    "gtcode relations are directed (origin → target)")


def _target(store, st: ImportState, guid, memo_uuid) -> tuple | None:
    """(kind, uuid, start, end) of what a note can be about, for a file GUID."""
    if guid in st.codes:
        row = store.one("SELECT uuid, kind FROM codes WHERE id = ?", (st.codes[guid],))
        return row["kind"], row["uuid"], None, None
    if guid in st.sources:
        return "document", st.sources[guid].doc_uuid, None, None
    if guid in st.spans:
        return "segment", *st.spans[guid]
    if guid in memo_uuid:
        return "memo", guid, None, None         # link_memos turns the note's GUID into its memo's uuid
    return None


def read_sets(store, txn: Txn, root, st: ImportState) -> None:
    """Sets become memos (type methodological) whose links are the set's members."""
    q = st.q
    memo_uuid = {g: store.scalar("SELECT uuid FROM memos WHERE id = ?", (i,)) for g, i in st.notes.items()}
    for el in root.iterfind(f"{q('Sets')}/{q('Set')}"):
        guid = guid_key(el.get("guid"))
        members, missing = [], 0
        for tag in ("MemberCode", "MemberSource", "MemberNote"):
            for ref in el.findall(q(tag)):
                key = guid_key(ref.get("targetGUID") or ref.get("guid"))     # a .qdc's MemberCode uses @guid
                target = _target(store, st, key, memo_uuid) if key else None
                if target is None:
                    missing += 1
                else:
                    members.append(target)
        lines = [(el.findtext(q("Description")) or "").strip(),
                 f"A set from {st.label} ({st.origin or 'unknown tool'}) with "
                 f"{plural(len(members) + missing, 'member')}; its members are this memo's links."]
        if missing:
            lines.append(f"{plural(missing, 'member')} were not imported (not text, or not in the file).")
        memo_id = write_memo(store, txn, st, guid_text(el.get("guid")), f"Set: {el.get('name') or guid[:8]}",
                              "\n\n".join(x for x in lines if x), "methodological", txn.coder_id, now(),
                              txn.coder_id, now(), what="sets (as memos)")
        st.notes[guid] = memo_id
        for kind, target, start, end in members:
            st.memo_links.append((guid, kind, target, start, end))



def read_project_notes(store, txn: Txn, root, st: ImportState) -> None:
    """The project's Description as a memo about the whole project; its NoteRefs keep their notes as such memos."""
    q = st.q
    desc = (root.findtext(q("Description")) or "").strip()
    if desc:
        guid = derived_guid("project-description", st.label, root.get("name") or "")
        write_memo(store, txn, st, guid, f"Project description: {root.get('name') or st.label}", desc,
                   "methodological", txn.coder_id, created_at(root), txn.coder_id, created_at(root),
                   what="project descriptions (as memos)")
    for ref in root.findall(q("NoteRef")):
        key = guid_key(ref.get("targetGUID"))
        if key in st.notes:
            st.report.count("notes on the project (memos about the whole project)")
        else:
            st.report.warn(f"the project refers to note {ref.get('targetGUID')}, which is not in the file; skipped")
