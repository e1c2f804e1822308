"""The code tree: codes addressed by name or path (`Barriers/Fear of judgement`).

Names are unique among siblings (case-insensitive). A name may hold a slash ("Either/or thinking"): in a
path it is written `\\/` (`Thinking/Either\\/or thinking`), and a name typed in full is found as it is.
Every change is recorded as an event; the row changes behind it are captured for `undo`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from gtcode.errors import DuplicateCode, InputError, UnknownCode
from gtcode.store.db import Store, Txn, new_uuid, now
from gtcode.records import Record

_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")


class CodePath(str):
    """A code's path, whose repr in a message shows a slash in a name as `\\/`, as it is typed, not `\\\\/`."""

    def __repr__(self) -> str:
        return super().__repr__().replace("\\\\/", "\\/")


@dataclass
class Code(Record):
    id: int
    uuid: str
    name: str
    path: str
    parent_id: int | None
    description: str = ""
    include: str = ""
    exclude: str = ""
    example: str = ""
    color: str | None = None
    invivo: bool = False
    patterns: list[str] = field(default_factory=list)
    created_at: str = ""
    created_by: str = ""
    kind: str = "code"           # code | category (axial coding)
    core: bool = False           # the core category (selective coding)

    @property
    def is_category(self) -> bool:
        return self.kind == "category"

    @property
    def depth(self) -> int:
        return len(split_path(self.path)) - 1



def all_codes(store: Store) -> list[Code]:
    """Every code, in tree order (parents before children; siblings by position, then by name)."""
    rows = store.all("SELECT c.*, k.name AS coder FROM codes c JOIN coders k ON k.id = c.created_by")
    by_id = {r["id"]: r for r in rows}
    children: dict[int | None, list] = {}
    for r in rows:
        children.setdefault(r["parent_id"], []).append(r)
    out: list[Code] = []

    def walk(parent_id, prefix):
        for r in sorted(children.get(parent_id, []),
                        key=lambda r: (r["position"] is None, r["position"] or 0, r["name"].casefold())):
            path = CodePath(f"{prefix}{escape_name(r['name'])}")
            out.append(Code(r["id"], r["uuid"], r["name"], path, r["parent_id"], r["description"], r["include"],
                            r["exclude"], r["example"], r["color"], bool(r["invivo"]), json.loads(r["patterns"]),
                            r["created_at"], r["coder"], r["kind"], bool(r["core"])))
            walk(r["id"], path + "/")

    walk(None, "")
    assert len(out) == len(by_id), "code tree has a cycle"
    return out


_SEPARATOR = re.compile(r"(?<!\\)/")


def split_path(ref: str) -> list[str]:
    """`A/B` → ['A', 'B']; `\\/` is a slash inside a name: `Either\\/or thinking` → ['Either/or thinking']."""
    return [p.replace("\\/", "/").strip() for p in _SEPARATOR.split(ref.strip()) if p.strip()]


def escape_name(name: str) -> str:
    """A name as written in a path: its slashes as `\\/`."""
    return name.replace("/", "\\/")


def join_path(names) -> str:
    return "/".join(escape_name(n) for n in names)


def split_parent(path: str) -> tuple[str | None, str]:
    """`Barriers/Fear of judgement` → ('Barriers', 'Fear of judgement'); a name alone → (None, name)."""
    parts = split_path(path)
    if not parts:
        return None, ""
    return join_path(parts[:-1]) or None, parts[-1]


def resolve_code(store: Store, ref: str | int, codes: list[Code] | None = None) -> Code:
    """A code by path (`A/B`), by name when unique (a name may hold a slash), or by id (`#12` or an int)."""
    codes = codes if codes is not None else all_codes(store)
    text = str(ref).strip()
    if isinstance(ref, int) or (text.startswith("#") and text[1:].isdigit()):
        wanted = int(text.lstrip("#"))
        for c in codes:
            if c.id == wanted:
                return c
        raise UnknownCode(f"no code #{wanted}")
    key = join_path(split_path(text)).casefold()
    if not key:
        raise UnknownCode("empty code name")
    exact = [c for c in codes if c.path.casefold() == key]
    if exact:
        return exact[0]
    literal = " ".join(text.replace("\\/", "/").split()).casefold()
    named = [c for c in codes if c.name.casefold() in (literal, key)]
    if len(named) == 1:
        return named[0]
    if len(named) > 1:
        raise UnknownCode(f"code name {text!r} is ambiguous: " + ", ".join(repr(c.path) for c in named)
                          + "; give the path")
    raise UnknownCode(f"no code {CodePath(text)!r}" + suggest_codes(text, codes))


def suggest_codes(text: str, codes: list[Code]) -> str:
    """' (did you mean …?)' naming each close code once — by name when no other code shares it, else by path."""
    import difflib

    by_key: dict[str, Code] = {}
    for c in codes:
        by_key.setdefault(c.path.casefold(), c)
        by_key.setdefault(c.name.casefold(), c)
    close = difflib.get_close_matches(text.strip().casefold(), list(by_key), n=8, cutoff=0.6)
    found = list({by_key[k].id: by_key[k] for k in close}.values())[:3]
    if not found:
        return ""
    names = [c.name.casefold() for c in codes]
    return " (did you mean " + ", ".join(repr(c.name if names.count(c.name.casefold()) == 1 else c.path)
                                         for c in found) + "?)"


def _check_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise InputError("a code needs a name")
    if name.endswith("\\"):
        raise InputError(f"code name {name!r}: cannot end with a backslash (in a path, \\/ is a slash in a name)")
    if len(name) > 200:
        raise InputError(f"code name {name[:40]!r}…: longer than 200 characters")
    return name


def _parent(store: Store, parent: str) -> Code:
    """The parent a new code goes under: a missing one is named as such, not as 'no code'."""
    try:
        return resolve_code(store, parent)
    except UnknownCode as exc:
        if "ambiguous" in str(exc):
            raise
        raise UnknownCode(f"parent {CodePath(parent)!r} does not exist" + suggest_codes(parent, all_codes(store))
                          + f"; add it first: gtcode codes add {CodePath(parent)!r}") from None


def _check_sibling(store: Store, parent_id: int | None, name: str, exclude_id: int | None = None) -> None:
    clash = store.one("SELECT id FROM codes WHERE coalesce(parent_id, 0) = ? AND name = ? COLLATE NOCASE "
                      "AND id IS NOT ?", (parent_id or 0, name, exclude_id))
    if clash:
        where = "at the top level" if parent_id is None else "under the same parent"
        raise DuplicateCode(f"a code named {name!r} already exists {where}")


def _check_color(color: str | None) -> str | None:
    if color is None or color == "":
        return None
    if not _COLOR.match(color):
        raise InputError(f"colour {color!r}: expected #RRGGBB, e.g. #1f77b4")
    return color.lower()


def add_code(store: Store, txn: Txn, name: str, parent: str | None = None, *, description: str = "",
             include: str = "", exclude: str = "", example: str = "", color: str | None = None,
             invivo: bool = False, patterns: list[str] | None = None, record: bool = True,
             parent_code: Code | None = None) -> Code:
    """Add a code under `parent` (a path or name), or under `parent_code` when the caller has it already (a
    codebook import adding thousands: resolving by path reads the whole tree)."""
    name = _check_name(name)
    if parent_code is None:
        parent_code = _parent(store, parent) if parent else None
    parent_id = parent_code.id if parent_code else None
    _check_sibling(store, parent_id, name)
    uuid = new_uuid()
    code_id = store.conn.execute(
        "INSERT INTO codes (uuid, parent_id, name, description, include, exclude, example, color, invivo, patterns,"
        " created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (uuid, parent_id, name, description.strip(), include.strip(), exclude.strip(), example.strip(),
         _check_color(color), int(invivo), json.dumps(patterns or [], ensure_ascii=False), now(), txn.coder_id),
    ).lastrowid
    row = store.one("SELECT c.*, k.name AS coder FROM codes c JOIN coders k ON k.id = c.created_by WHERE c.id = ?",
                    (code_id,))
    path = CodePath(f"{parent_code.path}/{escape_name(name)}" if parent_code else escape_name(name))
    code = Code(code_id, uuid, name, path, parent_id,
                row["description"], row["include"], row["exclude"], row["example"], row["color"],
                bool(row["invivo"]), json.loads(row["patterns"]), row["created_at"], row["coder"], row["kind"],
                bool(row["core"]))
    if record:
        txn.record("code.add", f"added code {code.path!r}" + (" (in vivo)" if invivo else ""), uuid,
                   code={"uuid": uuid, "path": code.path})
    return code


def rename_code(store: Store, txn: Txn, ref: str, new_name: str) -> Code:
    code = resolve_code(store, ref)
    new_name = _check_name(new_name)
    _check_sibling(store, code.parent_id, new_name, exclude_id=code.id)
    store.conn.execute("UPDATE codes SET name = ? WHERE id = ?", (new_name, code.id))
    renamed = resolve_code(store, code.id)
    txn.record("code.rename", f"renamed code {code.path!r} to {renamed.path!r}", code.uuid,
               code={"uuid": code.uuid, "before": code.path, "after": renamed.path})
    return renamed


def move_code(store: Store, txn: Txn, ref: str, parent: str | None) -> Code:
    code = resolve_code(store, ref)
    target = resolve_code(store, parent) if parent else None
    if target is not None and (target.id == code.id or target.path.casefold().startswith(code.path.casefold() + "/")):
        raise InputError(f"cannot move {code.path!r} under itself ({target.path!r})")
    parent_id = target.id if target else None
    _check_sibling(store, parent_id, code.name, exclude_id=code.id)
    store.conn.execute("UPDATE codes SET parent_id = ? WHERE id = ?", (parent_id, code.id))
    moved = resolve_code(store, code.id)
    txn.record("code.move", f"moved code {code.path!r} to {moved.path!r}", code.uuid,
               code={"uuid": code.uuid, "before": code.path, "after": moved.path})
    return moved


FIELDS = ("description", "include", "exclude", "example", "color")


def describe_code(store: Store, txn: Txn, ref: str, **values: str | None) -> Code:
    """Set the definition, criteria, example or colour; values left None are kept."""
    code = resolve_code(store, ref)
    changes = {}
    for key, value in values.items():
        if key not in FIELDS or value is None:
            continue
        value = _check_color(value) if key == "color" else value.strip()
        before = getattr(code, key)
        if (before or None) != (value or None):
            changes[key] = {"before": before, "after": value}
    if not changes:
        return code
    sets = ", ".join(f"{k} = ?" for k in changes)
    store.conn.execute(f"UPDATE codes SET {sets} WHERE id = ?", (*(v["after"] for v in changes.values()), code.id))
    txn.record("code.describe", f"described code {code.path!r}: {', '.join(changes)}", code.uuid,
               code={"uuid": code.uuid, "path": code.path}, changes=changes)
    return resolve_code(store, code.id)


def subtree(codes: list[Code], code: Code) -> list[Code]:
    prefix = code.path.casefold() + "/"
    return [c for c in codes if c.id == code.id or c.path.casefold().startswith(prefix)]


def select_codes(store: Store, refs, *, children: bool = True, tree: list[Code] | None = None) -> list[int] | None:
    """Ids of the codes named by `refs` (names, paths or numbers; one or many), with their subtrees unless
    `children` is False; None when `refs` is None, meaning every code."""
    if refs is None:
        return None
    tree = tree if tree is not None else all_codes(store)
    ids: list[int] = []
    for ref in [refs] if isinstance(refs, (str, int)) else refs:
        code = resolve_code(store, ref, tree)
        ids.extend(c.id for c in (subtree(tree, code) if children else [code]))
    return list(dict.fromkeys(ids))


# --- row writers for the other modules that change codes (categories, merging, codebook import) ------------

#: columns of `codes` another module may set directly, through `set_fields`
SETTABLE = ("name", "description", "include", "exclude", "example", "color", "patterns", "invivo", "kind", "core",
            "parent_id")


def set_fields(store: Store, code_id: int, **values) -> None:
    """Set columns of one code (no event: the caller records what the researcher did)."""
    unknown = set(values) - set(SETTABLE)
    if unknown:
        raise ValueError(f"not settable here: {', '.join(sorted(unknown))}")
    sets = ", ".join(f'"{k}" = ?' for k in values)
    store.conn.execute(f"UPDATE codes SET {sets} WHERE id = ?", (*values.values(), code_id))


def clear_core(store: Store) -> None:
    """No category is the core any more (before another becomes it)."""
    store.conn.execute("UPDATE codes SET core = 0 WHERE core = 1")


def delete_rows(store: Store, code_ids: list[int]) -> None:
    """Delete codes, children first; their codings must already be gone or moved."""
    for code_id in code_ids:
        store.conn.execute("DELETE FROM codes WHERE id = ?", (code_id,))
