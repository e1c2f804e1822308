"""Memos: typed, linked, versioned — and reviewed by a supervisor.

Editing adds a version (no text is ever overwritten). Links name their
targets by UUID, so a memo stays linked when a code is renamed or merged.
`[[code:Fear of judgement]]`, `[[D3:17]]`, `[[memo:12]]` in the text become
links; a reference that does not resolve is reported back, never dropped
silently.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from gtcode.errors import BadLink, InputError, UnknownMemo
from gtcode.scope import choose_name
from gtcode.codes import all_codes, resolve_code
from gtcode.documents import document_text, resolve_document, span_address
from gtcode.store.db import Store, Txn, new_uuid, now

REFERENCE = re.compile(r"\[\[([^\[\]\n]{1,200})\]\]")
KINDS = {"code": "code", "category": "category", "doc": "document", "document": "document", "seg": "segment",
         "segment": "segment", "memo": "memo"}


@dataclass
class Link:
    type: str
    uuid: str
    label: str              # code path, document name, address or memo title, as it reads now
    source: str = "explicit"
    document_id: int | None = None
    start: int | None = None
    end: int | None = None
    text: str | None = None  # the quoted passage, for segment links

    @property
    def spec(self) -> str:
        return f"{self.type}:{self.label}"


@dataclass
class Comment:
    id: int
    parent_id: int | None
    version: int
    body: str
    author: str
    at: str


@dataclass
class Signoff:
    version: int
    note: str
    author: str
    at: str


@dataclass
class Memo:
    id: int
    uuid: str
    type: str
    title: str
    body: str
    version: int
    author: str          # who wrote it first
    created_at: str
    updated_by: str
    updated_at: str
    links: list[Link] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    signoffs: list[Signoff] = field(default_factory=list)

    @property
    def review(self) -> str:
        """unreviewed | signed off | changed since sign-off."""
        if not self.signoffs:
            return "unreviewed"
        return "signed off" if max(s.version for s in self.signoffs) >= self.version else "changed since sign-off"

    def to_dict(self) -> dict:
        return asdict(self) | {"review": self.review}


# --- links -------------------------------------------------------------------

def resolve_link(store: Store, spec: str) -> Link:
    """`code:NAME`, `category:NAME`, `doc:D3`, `seg:D3:17`, `memo:12`, or a bare address `D3:17`."""
    from gtcode.errors import GtcodeError

    text = spec.strip()
    kind, sep, target = text.partition(":")
    if not sep or kind.strip().casefold() not in KINDS:
        if re.match(r"^[^:]+:\s*\d+(\s*-\s*\d+)?$", text):  # a bare address, D3:17
            kind, target = "segment", text
        else:
            raise BadLink(f"link {spec!r}: expected code:NAME, category:NAME, doc:D3, seg:D3:17 or memo:ID")
    kind, target = KINDS[kind.strip().casefold()], target.strip()
    try:
        if kind in ("code", "category"):
            code = resolve_code(store, target)
            return Link(kind, code.uuid, code.path)
        if kind == "document":
            doc = resolve_document(store, target)
            return Link(kind, doc.uuid, doc.name, document_id=doc.id)
        if kind == "segment":
            from gtcode.spans import spans_for_addresses
            span = spans_for_addresses(store, [target])
            if len(span) != 1:
                raise BadLink(f"link {spec!r}: a segment link is one segment or one range, e.g. D3:17-19")
            span = span[0]
            doc_uuid = store.scalar("SELECT uuid FROM documents WHERE id = ?", (span.document_id,))
            return Link(kind, doc_uuid, span.label, document_id=span.document_id, start=span.start, end=span.end,
                        text=document_text(store, span.document_id)[span.start:span.end])
        memo = get_memo(store, target)
        return Link(kind, memo.uuid, f"{memo.id}", text=memo.title)
    except BadLink:
        raise
    except GtcodeError as exc:
        raise BadLink(f"link {spec!r}: {exc}") from None


def references(body: str) -> list[str]:
    """The `[[…]]` references in a memo's text, in order, once each."""
    return list(dict.fromkeys(m.group(1).strip() for m in REFERENCE.finditer(body)))


def _add_link(store: Store, txn: Txn, memo_id: int, link: Link, source: str) -> bool:
    exists = store.one("SELECT 1 FROM memo_links WHERE memo_id = ? AND target_type = ? AND target_uuid = ?"
                       " AND start_char IS ? AND end_char IS ? AND source = ?",
                       (memo_id, link.type, link.uuid, link.start, link.end, source))
    if exists:
        return False
    store.conn.execute(
        "INSERT INTO memo_links (uuid, memo_id, target_type, target_uuid, start_char, end_char, source, created_at,"
        " created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (new_uuid(), memo_id, link.type, link.uuid, link.start, link.end, source, now(), txn.coder_id))
    return True


def retarget_code_links(store: Store, old_uuid: str, new_uuid: str) -> None:
    """Links to a code merged away now point at the code it went into: nothing a researcher wrote comes loose."""
    store.conn.execute("UPDATE memo_links SET target_uuid = ? WHERE target_uuid = ? AND target_type IN "
                       "('code', 'category')", (new_uuid, old_uuid))


def sync_references(store: Store, txn: Txn, memo_id: int, body: str) -> list[str]:
    """Make the memo's reference links match its text; returns references that did not resolve."""
    store.conn.execute("DELETE FROM memo_links WHERE memo_id = ? AND source = 'reference'", (memo_id,))
    unresolved = []
    for ref in references(body):
        try:
            _add_link(store, txn, memo_id, resolve_link(store, ref), "reference")
        except BadLink:
            unresolved.append(ref)
    return unresolved


# --- reading -------------------------------------------------------------------

def memo_links(store: Store, memo_id: int) -> list[Link]:
    """A memo's links with their targets' current names (a target since deleted shows as gone)."""
    out = []
    for r in store.all("SELECT * FROM memo_links WHERE memo_id = ? ORDER BY id", (memo_id,)):
        kind, uuid = r["target_type"], r["target_uuid"]
        label, text, doc_id = f"(gone: {uuid[:8]})", None, None
        if kind in ("code", "category"):

            code = next((c for c in all_codes(store) if c.uuid == uuid), None)
            if code:
                label = code.path
        elif kind in ("document", "segment"):
            doc = store.one("SELECT id, name, text FROM documents WHERE uuid = ?", (uuid,))
            if doc:
                doc_id = doc["id"]
                label = doc["name"]
                if kind == "segment":
                    text = doc["text"][r["start_char"]:r["end_char"]]
                    label = span_address(store, doc["id"], r["start_char"], r["end_char"])
        else:
            row = store.one("SELECT m.id, v.title FROM memos m JOIN memo_versions v ON v.memo_id = m.id "
                            "WHERE m.uuid = ? ORDER BY v.version DESC LIMIT 1", (uuid,))
            if row:
                label, text = str(row["id"]), row["title"]
        out.append(Link(kind, uuid, label, r["source"], doc_id, r["start_char"], r["end_char"], text))
    # A target linked both with --link and by a [[reference]] is one link (the explicit one shown).
    seen, unique = set(), []
    for link in sorted(out, key=lambda x: x.source != "explicit"):
        key = (link.type, link.uuid, link.start, link.end)
        if key not in seen:
            seen.add(key)
            unique.append(link)
    return sorted(unique, key=out.index)


_MEMO_SQL = """
SELECT m.id, m.uuid, m.type, v.title, v.body, v.version, a.name AS author, m.created_at,
       u.name AS updated_by, v.created_at AS updated_at
FROM memos m
JOIN memo_versions v ON v.memo_id = m.id AND v.version = (SELECT max(version) FROM memo_versions WHERE memo_id = m.id)
JOIN coders a ON a.id = m.created_by JOIN coders u ON u.id = v.created_by
"""


def _memo(store: Store, row, detail: bool = True) -> Memo:
    memo = Memo(**dict(row))
    memo.signoffs = [Signoff(r["version"], r["note"], r["name"], r["created_at"]) for r in store.all(
        "SELECT s.version, s.note, k.name, s.created_at FROM memo_signoffs s JOIN coders k ON k.id = s.created_by"
        " WHERE s.memo_id = ? ORDER BY s.id", (memo.id,))]
    if detail:
        memo.links = memo_links(store, memo.id)
        memo.comments = [Comment(r["id"], r["parent_id"], r["version"], r["body"], r["name"], r["created_at"])
                         for r in store.all("SELECT c.*, k.name FROM memo_comments c JOIN coders k ON "
                                            "k.id = c.created_by WHERE c.memo_id = ? ORDER BY c.id", (memo.id,))]
    return memo


def get_memo(store: Store, ref) -> Memo:
    text = str(ref).strip().lstrip("#")
    row = store.one(_MEMO_SQL + " WHERE m.id = ?", (int(text),)) if text.isdigit() else None
    if row is None:
        ids = [str(r[0]) for r in store.all("SELECT id FROM memos")]
        raise UnknownMemo(f"no memo {ref!r}" + (f" (memos are numbered {ids[0]}–{ids[-1]})" if ids else
                                                " (there are no memos yet)"))
    return _memo(store, row)


def list_memos(store: Store, *, type: str | None = None, code: str | None = None, author: str | None = None,
               since: str | None = None, unreviewed: bool = False) -> list[Memo]:
    sql, args = _MEMO_SQL + " WHERE 1", []
    if type:
        sql += " AND m.type = ? COLLATE NOCASE"
        args.append(check_type(store, type))
    if author:
        sql += " AND (a.name = ? COLLATE NOCASE OR u.name = ? COLLATE NOCASE)"
        args += [author, author]
    if since:
        sql += " AND v.created_at >= ?"
        args.append(since)
    if code:
        target = resolve_code(store, code)
        sql += " AND m.id IN (SELECT memo_id FROM memo_links WHERE target_uuid = ?)"
        args.append(target.uuid)
    memos = [_memo(store, r, detail=False) for r in store.all(sql + " ORDER BY m.id", args)]
    return [m for m in memos if m.review != "signed off"] if unreviewed else memos


def memos_about(store: Store, uuid: str) -> list[Memo]:
    """Memos linked to a code, document or memo (by its uuid)."""
    rows = store.all(_MEMO_SQL + " WHERE m.id IN (SELECT memo_id FROM memo_links WHERE target_uuid = ?) "
                     "ORDER BY m.id", (uuid,))
    return [_memo(store, r, detail=False) for r in rows]


@dataclass
class Version:
    version: int
    title: str
    body: str
    author: str
    at: str
    diff: str            # unified diff from the previous version ('' for the first)


def history(store: Store, ref) -> list[Version]:
    import difflib

    memo = get_memo(store, ref)
    out: list[Version] = []
    previous = None
    for r in store.all("SELECT v.*, k.name FROM memo_versions v JOIN coders k ON k.id = v.created_by "
                       "WHERE v.memo_id = ? ORDER BY v.version", (memo.id,)):
        text = f"# {r['title']}\n\n{r['body']}\n"
        diff = "" if previous is None else "".join(difflib.unified_diff(
            previous.splitlines(keepends=True), text.splitlines(keepends=True),
            f"memo {memo.id} v{r['version'] - 1}", f"memo {memo.id} v{r['version']}"))
        out.append(Version(r["version"], r["title"], r["body"], r["name"], r["created_at"], diff))
        previous = text
    return out


def memo_types(store: Store) -> list[dict]:
    return [dict(r) for r in store.all("SELECT name, description, builtin FROM memo_types ORDER BY id")]


def check_type(store: Store, name: str) -> str:
    return choose_name(name, [r["name"] for r in memo_types(store)], InputError, "memo type",
                       "add your own with 'gtcode memo types add NAME'")


# --- writing -----------------------------------------------------------------

def _clean(title: str, body: str) -> tuple[str, str]:
    title = " ".join((title or "").split())
    body = (body or "").replace("\r\n", "\n").strip("\n")
    if not title:
        raise InputError("a memo needs a title (--title)")
    return title, body


def create_memo(store: Store, txn: Txn, title: str, body: str, type: str = "theoretical",
                links: list[str] | None = None) -> tuple[Memo, list[str]]:
    """A new memo (version 1); returns it and any [[references]] that did not resolve."""
    title, body = _clean(title, body)
    if not body.strip():
        raise InputError("empty memo: nothing was created")
    kind = check_type(store, type)
    resolved = [resolve_link(store, spec) for spec in links or []]  # bad --link: nothing is created
    uuid = new_uuid()
    memo_id = store.conn.execute("INSERT INTO memos (uuid, type, created_at, created_by) VALUES (?, ?, ?, ?)",
                                 (uuid, kind, now(), txn.coder_id)).lastrowid
    store.conn.execute("INSERT INTO memo_versions (uuid, memo_id, version, title, body, created_at, created_by)"
                       " VALUES (?, ?, 1, ?, ?, ?, ?)", (new_uuid(), memo_id, title, body, now(), txn.coder_id))
    for link in resolved:
        _add_link(store, txn, memo_id, link, "explicit")
    unresolved = sync_references(store, txn, memo_id, body)
    txn.record("memo.create", f"wrote {kind} memo #{memo_id} {title!r}", uuid,
               memo={"id": memo_id, "uuid": uuid, "type": kind, "title": title},
               links=[link.spec for link in resolved], unresolved=unresolved)
    return get_memo(store, memo_id), unresolved


def edit_memo(store: Store, txn: Txn, ref, title: str | None = None, body: str | None = None) -> tuple[Memo, list[str]]:
    """A new version; the old one stays. Returns the memo and unresolved references."""
    memo = get_memo(store, ref)
    title, body = _clean(title if title is not None else memo.title, body if body is not None else memo.body)
    if not body.strip():
        raise InputError(f"memo #{memo.id}: the new text is empty; nothing was saved (old versions are kept)")
    if (title, body) == (memo.title, memo.body):
        return memo, []
    version = memo.version + 1
    store.conn.execute("INSERT INTO memo_versions (uuid, memo_id, version, title, body, created_at, created_by)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?)", (new_uuid(), memo.id, version, title, body, now(),
                                                          txn.coder_id))
    unresolved = sync_references(store, txn, memo.id, body)
    signed = memo.review == "signed off"
    txn.record("memo.edit", f"edited memo #{memo.id} {title!r} (version {version})"
               + (", changed since sign-off" if signed else ""), memo.uuid,
               memo={"id": memo.id, "uuid": memo.uuid, "title": title}, version=version, unresolved=unresolved)
    return get_memo(store, memo.id), unresolved


def link_memo(store: Store, txn: Txn, ref, spec: str) -> Link:
    memo = get_memo(store, ref)
    link = resolve_link(store, spec)
    if _add_link(store, txn, memo.id, link, "explicit"):
        txn.record("memo.link", f"linked memo #{memo.id} to {link.spec}", memo.uuid,
                   memo={"id": memo.id, "uuid": memo.uuid}, target={"type": link.type, "uuid": link.uuid})
    return link


def unlink_memo(store: Store, txn: Txn, ref, spec: str) -> int:
    memo = get_memo(store, ref)
    link = resolve_link(store, spec)
    n = store.conn.execute(
        "DELETE FROM memo_links WHERE memo_id = ? AND target_type = ? AND target_uuid = ? AND start_char IS ?"
        " AND end_char IS ? AND source = 'explicit'", (memo.id, link.type, link.uuid, link.start, link.end)).rowcount
    if not n:
        raise BadLink(f"memo #{memo.id} has no link to {link.spec} (links written as [[…]] in the text go "
                      "when you edit them out)")
    txn.record("memo.unlink", f"unlinked memo #{memo.id} from {link.spec}", memo.uuid,
               memo={"id": memo.id, "uuid": memo.uuid}, target={"type": link.type, "uuid": link.uuid})
    return n


def comment_memo(store: Store, txn: Txn, ref, text: str, reply_to: int | None = None) -> Comment:
    memo = get_memo(store, ref)
    text = (text or "").strip()
    if not text:
        raise InputError("empty comment: nothing was saved")
    if reply_to is not None and not store.one("SELECT 1 FROM memo_comments WHERE id = ? AND memo_id = ?",
                                              (reply_to, memo.id)):
        raise InputError(f"memo #{memo.id} has no comment {reply_to} to reply to")
    cid = store.conn.execute(
        "INSERT INTO memo_comments (uuid, memo_id, parent_id, version, body, created_at, created_by)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)", (new_uuid(), memo.id, reply_to, memo.version, text, now(), txn.coder_id)
    ).lastrowid
    txn.record("memo.comment", f"commented on memo #{memo.id} {memo.title!r}: {text[:60]}", memo.uuid,
               memo={"id": memo.id, "uuid": memo.uuid}, comment=cid, reply_to=reply_to, version=memo.version)
    return next(c for c in get_memo(store, memo.id).comments if c.id == cid)


def signoff_memo(store: Store, txn: Txn, ref, note: str = "") -> Signoff:
    memo = get_memo(store, ref)
    store.conn.execute("INSERT INTO memo_signoffs (uuid, memo_id, version, note, created_at, created_by)"
                       " VALUES (?, ?, ?, ?, ?, ?)", (new_uuid(), memo.id, memo.version, note.strip(), now(),
                                                      txn.coder_id))
    txn.record("memo.signoff", f"signed off memo #{memo.id} {memo.title!r} (version {memo.version})", memo.uuid,
               memo={"id": memo.id, "uuid": memo.uuid}, version=memo.version, note=note.strip())
    return get_memo(store, memo.id).signoffs[-1]


def add_memo_type(store: Store, txn: Txn, name: str, description: str = "") -> str:
    name = " ".join(name.split())
    if not re.match(r"^[\w][\w -]{0,39}$", name):
        raise InputError(f"memo type {name!r}: letters, digits, spaces and hyphens, up to 40 characters")
    if store.one("SELECT 1 FROM memo_types WHERE name = ?", (name,)):
        raise InputError(f"memo type {name!r} exists already")
    store.conn.execute("INSERT INTO memo_types (name, description) VALUES (?, ?)", (name, description.strip()))
    txn.record("memo.type", f"added memo type {name!r}", None, name=name)
    return name
