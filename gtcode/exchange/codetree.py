"""A REFI-QDA code tree into gtcode's: codes added or updated, never deleted or moved.

A code is matched by GUID first, then by name under the same parent, so
importing the same file twice changes nothing. A non-codable code (a folder in
NVivo, a code group in ATLAS.ti) becomes a gtcode category. New codes keep
their GUID as written and their order among siblings (`codes.position`). Names gtcode
cannot hold as they are ('/' separates levels of a path) are adjusted and the
report says so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from gtcode.codes import resolve_code
from gtcode.store.db import Store, Txn, new_uuid, now
from gtcode.exchange.common import ExchangeReport, clean_color, guid_key, guid_text, undescribe


@dataclass
class CodeNode:
    guid: str | None
    name: str
    codable: bool
    color: str | None
    fields: dict                      # description (and, from gtcode files, include/exclude/…)
    children: list["CodeNode"] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)
    uuid: str | None = None           # the GUID as the file wrote it (kept on a new code)
    position: int = 0                 # its place among its siblings in the file

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


def read_codes(parent, ns: str, report: ExchangeReport, from_gtcode: bool, depth: int = 1) -> list[CodeNode]:
    """The Code elements under `parent` (a Codes or Code element), recursively; a tree nested deeper than the
    `max_nesting` limit is refused (no real codebook comes near it)."""
    from gtcode.config import limit
    from gtcode.errors import Invalid

    if depth > limit("max_nesting"):
        raise Invalid(f"the code tree is nested more than {limit('max_nesting')} levels deep; not imported "
                      "(raise it with gtcode config set max_nesting N if that is really so)")
    out = []
    for position, el in enumerate(parent.findall(f"{{{ns}}}Code")):
        color, bad = clean_color(el.get("color"))
        name = el.get("name") or ""
        if bad:
            report.note(f"code {name!r}: colour {el.get('color')!r} is not #RRGGBB; left without a colour")
        desc = el.findtext(f"{{{ns}}}Description") or ""
        fields = undescribe(desc) if from_gtcode else {"description": desc.strip()}
        codable = (el.get("isCodable") or "true").strip() not in ("false", "0") and not fields.get("category")
        node = CodeNode(guid_key(el.get("guid")), name, codable, color, fields, uuid=guid_text(el.get("guid")),
                        position=position)
        node.note_refs = [k for k in (guid_key(r.get("targetGUID")) for r in el.findall(f"{{{ns}}}NoteRef")) if k]
        node.children = read_codes(el, ns, report, from_gtcode, depth + 1)
        out.append(node)
    return out


def clean_code_name(name: str, report: ExchangeReport) -> str:
    clean = " ".join((name or "").split())
    if "/" in clean:
        report.note(f"code {clean!r}: '/' separates levels of a gtcode path; imported as "
                    f"{clean.replace('/', '∕')!r}")
        clean = clean.replace("/", "∕")
    if len(clean) > 200:
        report.note(f"code {clean[:40]!r}…: name cut to 200 characters")
        clean = clean[:200].rstrip()
    return clean or "(unnamed code)"


_TEXT = ("description", "include", "exclude", "example")


def merge_codes(store: Store, txn: Txn, nodes: list[CodeNode], report: ExchangeReport,
                source: str) -> dict[str, int]:
    """Add or update the file's codes; returns {file GUID: gtcode code id} for every code of the file."""
    ids: dict[str, int] = {}
    claimed: dict[int, str] = {}       # code id → the file GUID that matched it first
    has_core = store.scalar("SELECT id FROM codes WHERE core = 1")

    def merge(node: CodeNode, parent_id: int | None) -> None:
        nonlocal has_core
        name = clean_code_name(node.name, report)
        row = store.one("SELECT * FROM codes WHERE uuid = ? COLLATE NOCASE", (node.guid,)) if node.guid else None
        if row is None:
            row = store.one("SELECT * FROM codes WHERE coalesce(parent_id, 0) = ? AND name = ? COLLATE NOCASE",
                            (parent_id or 0, name))
        kind = "code" if node.codable else "category"
        wants_core = bool(node.fields.get("core"))
        if wants_core and has_core and (row is None or row["id"] != has_core):
            report.note(f"code {name!r} is the core category in the file, but this project has one already; "
                        "left as it is")
            wants_core = False
        if row is None:
            uuid = node.uuid or new_uuid()
            f = node.fields
            code_id = store.conn.execute(
                "INSERT INTO codes (uuid, parent_id, name, description, include, exclude, example, color, invivo,"
                " patterns, created_at, created_by, kind, core, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                " ?, ?, ?)",
                (uuid, parent_id, name, f.get("description", ""), f.get("include", ""), f.get("exclude", ""),
                 f.get("example", ""), node.color, int(bool(f.get("invivo"))),
                 json.dumps(f.get("patterns") or [], ensure_ascii=False), now(), txn.coder_id, kind,
                 int(wants_core), node.position)).lastrowid
            if wants_core:
                has_core = code_id
            path = resolve_code(store, code_id).path
            txn.record("code.add", f"added {'category' if kind == 'category' else 'code'} {path!r} from {source}",
                       uuid, code={"uuid": uuid, "path": path}, source=source)
            report.count("codes added")
        else:
            code_id = row["id"]
            if code_id in claimed and claimed[code_id] != node.guid:
                report.note(f"two codes named {name!r} under the same parent in the file; merged into one")
            changes = {}
            for key in _TEXT:
                value = (node.fields.get(key) or "").strip()
                if value and value != (row[key] or "").strip():
                    changes[key] = {"before": row[key], "after": value}
            for key in ("patterns",):
                if node.fields.get(key) and node.fields[key] != json.loads(row[key]):
                    changes[key] = {"before": json.loads(row[key]), "after": node.fields[key]}
            if node.fields.get("invivo") and not row["invivo"]:
                changes["invivo"] = {"before": False, "after": True}
            if node.color and node.color != row["color"]:
                changes["color"] = {"before": row["color"], "after": node.color}
            if kind == "category" and row["kind"] == "code":
                changes["kind"] = {"before": "code", "after": "category"}
            if wants_core and not row["core"]:
                changes["core"] = {"before": False, "after": True}
                has_core = code_id
            if changes:
                values = {k: (json.dumps(v["after"], ensure_ascii=False) if k == "patterns" else
                              int(v["after"]) if k in ("invivo", "core") else v["after"]) for k, v in changes.items()}
                sets = ", ".join(f'"{k}" = ?' for k in values)
                store.conn.execute(f"UPDATE codes SET {sets} WHERE id = ?", (*values.values(), code_id))
                path = resolve_code(store, code_id).path
                txn.record("code.describe", f"updated code {path!r} from {source}: {', '.join(changes)}", row["uuid"],
                           code={"uuid": row["uuid"], "path": path}, changes=changes, source=source)
                report.count("codes updated")
            else:
                report.count("codes unchanged")
        if node.guid:
            ids[node.guid] = code_id
            claimed.setdefault(code_id, node.guid)
        for child in node.children:
            merge(child, code_id)

    for top in nodes:
        merge(top, None)
    return ids
