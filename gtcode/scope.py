"""What a question covers: `--where` filters, attribute names, natural order and code selections, shared by
every command that selects data.

`role=mother`, `site!=Trust A`, `role=mother,practitioner` (any of), and the
pseudo-attributes `case=P01` and `document=P01`. Several filters all apply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gtcode.errors import BadFilter, InputError, did_you_mean

_WHERE = re.compile(r"^\s*([^=!<>]+?)\s*(!=|=)\s*(.*?)\s*$")


@dataclass(frozen=True)
class Where:
    attribute: str
    negate: bool
    values: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.attribute}{'!=' if self.negate else '='}{','.join(self.values)}"


def parse_where(items: list[str] | tuple[str, ...] | None) -> list[Where]:
    out = []
    for item in items or ():
        m = _WHERE.match(item)
        if not m or not m.group(3):
            raise BadFilter(f"--where {item!r}: expected ATTRIBUTE=VALUE or ATTRIBUTE!=VALUE (e.g. role=mother)")
        values = tuple(v.strip() for v in m.group(3).split(",") if v.strip())
        out.append(Where(m.group(1).strip(), m.group(2) == "!=", values))
    return out


def where_sql(store, filters: list[Where], doc_alias: str = "d") -> tuple[str, list]:
    """SQL conditions (joined with AND) on a documents alias, with parameters."""
    if not filters:
        return "1", []
    known = {r[0].casefold(): r[0] for r in store.all("SELECT name FROM attributes")}
    clauses, params = [], []
    for f in filters:
        marks = ",".join("?" * len(f.values))
        key = f.attribute.casefold()
        if key == "case":
            cond = f"{doc_alias}.case_id IN (SELECT id FROM cases WHERE name COLLATE NOCASE IN ({marks}))"
        elif key == "document":
            cond = f"{doc_alias}.name COLLATE NOCASE IN ({marks})"
        elif key in known:
            cond = (
                f"EXISTS (SELECT 1 FROM case_attributes ca JOIN attributes a ON a.id = ca.attribute_id "
                f"WHERE ca.case_id = {doc_alias}.case_id AND a.name = ? AND ca.value COLLATE NOCASE IN ({marks}))"
            )
            params.append(known[key])
        else:
            choices = list(known.values()) + ["case", "document"]
            raise BadFilter(f"--where {f}: no attribute {f.attribute!r}{did_you_mean(f.attribute, choices)}")
        params.extend(f.values)
        clauses.append(f"NOT ({cond})" if f.negate else cond)
    return " AND ".join(clauses), params


def as_list(value) -> list:
    """One value or many, as a list: `"role=mother"` and `["role=mother"]` mean the same (None → [])."""
    if value is None:
        return []
    return [value] if isinstance(value, (str, int)) else list(value)


def choose_name(name: str, names: list[str], error: type[InputError], what: str, hint: str) -> str:
    """The one of `names` that `name` means, ignoring case and surrounding spaces; else `error` listing them."""
    key = name.strip().casefold()
    found = next((n for n in names if n.casefold() == key), None)
    if found is None:
        raise error(f"{what} {name!r}: not one of {', '.join(names)}{did_you_mean(name, names)}; {hint}")
    return found


def natural_key(label: str):
    """P2 before P10: digits compare as numbers, the rest case-insensitively."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p.casefold()) for p in re.split(r"(\d+)", label) if p)


@dataclass(frozen=True)
class Scope:
    """The documents a question covers: all of them, or those a `--where` filter picks.

    `clause`/`params` are SQL conditions on the documents alias `d`; `note` says in words what was left out.
    """

    where: tuple[str, ...]
    clause: str
    params: tuple

    @classmethod
    def from_where(cls, store, where=None) -> "Scope":
        items = tuple(as_list(where))
        clause, params = where_sql(store, parse_where(items))
        return cls(items, clause, tuple(params))

    @property
    def everything(self) -> bool:
        return not self.where

    def doc_ids(self, store) -> list[int]:
        """Ids of the documents in scope, in import order."""
        return [r[0] for r in store.all(f"SELECT d.id FROM documents d WHERE {self.clause} ORDER BY d.id",
                                        self.params)]

    def note(self, store) -> str:
        """'Restricted to role=mother: 3 of 6 interviews.' (empty when nothing is filtered)."""
        if self.everything:
            return ""
        total = store.scalar("SELECT count(*) FROM documents") or 0
        return (f"Restricted to {' and '.join(self.where)}: {len(self.doc_ids(store))} of {total} "
                f"interview{'s' if total != 1 else ''}.")


def resolve_attribute(store, name: str, option: str, extra: tuple[str, ...] = ()) -> str:
    """A keyword from `extra`, or a case attribute's stored name matched case-insensitively; unknown → BadFilter
    naming the option, with a did-you-mean or the list of attributes."""
    key = name.strip().casefold()
    if key in extra:
        return key
    known = {r[0].casefold(): r[0] for r in store.all("SELECT name FROM attributes ORDER BY id")}
    if key in known:
        return known[key]
    choices = [*extra, *known.values()]
    raise BadFilter(f"{option} {name!r}: not {', '.join(extra) + ' or ' if extra else ''}an attribute of the cases"
                    + (did_you_mean(name, choices) or f" (attributes: {', '.join(known.values()) or 'none yet'})"))


def case_attributes(store) -> dict[int, dict[str, str]]:
    """case id → {attribute: value}, attributes in the order they were created."""
    out: dict[int, dict[str, str]] = {}
    for r in store.all("SELECT ca.case_id, a.name, ca.value FROM case_attributes ca "
                       "JOIN attributes a ON a.id = ca.attribute_id ORDER BY a.id"):
        out.setdefault(r[0], {})[r[1]] = r[2]
    return out


def case_values(store, attribute: str) -> dict[int, str]:
    """case id → the case's value of `attribute` (cases without one are absent)."""
    return {r[0]: r[1] for r in store.all(
        "SELECT ca.case_id, ca.value FROM case_attributes ca JOIN attributes a ON a.id = ca.attribute_id "
        "WHERE a.name = ?", (attribute,))}

