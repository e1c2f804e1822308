"""`--where` filters on case attributes, shared by every command that selects data.

`role=mother`, `site!=Trust A`, `role=mother,practitioner` (any of), and the
pseudo-attributes `case=P01` and `document=P01`. Several filters all apply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gtcode.errors import BadFilter, did_you_mean

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
