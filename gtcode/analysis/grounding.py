"""Questions about the explanatory model: the core category with what relates to it and how well each part is
grounded (`model show`), and the rigour check of what is not yet grounded or connected (`model check`).

Read-only: the categories, properties and relations themselves are written by `gtcode.model`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from gtcode.codes import Code, all_codes, resolve_code, subtree
from gtcode.errors import InputError
from gtcode.memos import memos_about
from gtcode.model import HELPS, HINDERS, PARADIGM, Relation, core, integrated_codes, relations
from gtcode.store.db import Store
from gtcode.records import Record
from gtcode.text import plural


def relation_role(r: Relation, core_path: str) -> str | None:
    """What a relation makes of the category at its other end, seen from the core."""
    by_type = {v: k for k, v in PARADIGM.items()}
    if r.target == core_path:
        if r.type in HINDERS or r.polarity == "-":
            return "barrier"
        if r.type in HELPS or r.polarity == "+":
            return "facilitator"
        return by_type.get(r.type, "related")
    if r.source == core_path:
        if r.type in ("causes", "leads-to"):
            return "consequence"
        return "related"
    return None


ROLES = ("barrier", "facilitator", "condition", "context", "intervening", "strategy", "consequence", "related")


def model_view(store: Store, by: str | None = "role") -> dict:
    """The core category and, by role, what relates to it — each with its codes and grounding."""
    centre = core(store)
    if centre is None:
        raise InputError("no core category yet: mark one with 'gtcode core CATEGORY'")
    tree = all_codes(store)
    grounding = Grounding(store, tree, by)
    view: dict = {"core": grounded(store, centre, tree, by, grounding), "by": by,
                  "roles": {r: [] for r in ROLES}, "elsewhere": []}
    # The core is grounded in what it integrates, as in the diagram and the report (gtcode.model.core_counts).
    members = integrated_codes(store, centre)
    view["core"] |= _split(grounding.of_ids(members), by) | {
        "direct": len(grounding.of(centre)),
        "integrates": sum(1 for c in tree if c.id in set(members) and c.is_category and not c.core)}
    view["core"]["storylines"] = [{"id": m.id, "title": m.title, "review": m.review}
                                  for m in memos_about(store, centre.uuid) if m.type == "storyline"]
    for r in relations(store):
        role = relation_role(r, centre.path)
        if role is None:    # between two other categories: shown too, after the core's own
            view["elsewhere"].append({"source": r.source, "type": r.type, "label": r.label, "target": r.target,
                                      "passages": r.passages, "participants": r.participants, "memos": r.memos})
            continue
        other = r.source if r.target == centre.path else r.target
        item = grounded(store, resolve_code(store, other, tree), tree, by, grounding)
        item["relation"] = {"type": r.type, "label": r.label, "passages": r.passages, "participants": r.participants,
                            "memos": r.memos}
        view["roles"][role].append(item)
    return view


class Grounding:
    """Confirmed codings as (code, case, attribute value), read once for the whole model."""

    def __init__(self, store: Store, tree: list[Code], by: str | None):
        values: dict[int, str] = {}
        if by:
            for r in store.all("SELECT ca.case_id, ca.value FROM case_attributes ca JOIN attributes a "
                               "ON a.id = ca.attribute_id WHERE a.name = ? COLLATE NOCASE", (by,)):
                values[r[0]] = r[1]
        self.rows: dict[int, list[tuple[int | None, str]]] = {}
        for code_id, case_id in store.all("SELECT g.code_id, d.case_id FROM codings g JOIN documents d "
                                          "ON d.id = g.document_id WHERE g.status = 'confirmed'"):
            self.rows.setdefault(code_id, []).append((case_id, values.get(case_id, "(none)")))
        self.tree = tree

    def of(self, code: Code) -> list[tuple[int | None, str]]:
        return self.of_ids(c.id for c in subtree(self.tree, code))

    def of_ids(self, ids) -> list[tuple[int | None, str]]:
        return [row for i in ids for row in self.rows.get(i, [])]


def _split(rows: list[tuple[int | None, str]], by: str | None) -> dict:
    """Segments and participants of `rows`, overall and by the attribute's value."""
    split: dict[str, dict[str, int]] = {}
    if by:
        for value in sorted({v for _, v in rows}):
            chosen = [case for case, v in rows if v == value]
            split[value] = {"segments": len(chosen), "participants": len({c for c in chosen if c is not None})}
    return {"segments": len(rows), "participants": len({c for c, _ in rows if c is not None}), "split": split}


def grounded(store: Store, code: Code, tree: list[Code], by: str | None, grounding: Grounding | None = None) -> dict:
    """A code or category with its child codes and how many segments and participants ground it."""
    rows = (grounding or Grounding(store, tree, by)).of(code)
    return {"path": code.path, "name": code.name, "kind": code.kind,
            "codes": [c.path for c in tree if c.parent_id == code.id]} | _split(rows, by)


@dataclass
class Problem(Record):
    kind: str
    item: str
    detail: str



def check(store: Store, min_evidence: int = 2) -> list[Problem]:
    """The rigour report: what in the model is not yet grounded or connected."""
    tree = all_codes(store)
    cats = [c for c in tree if c.is_category]
    rels = relations(store)
    problems: list[Problem] = []
    related = {r.source for r in rels} | {r.target for r in rels}
    for c in cats:
        if c.path not in related:
            problems.append(Problem("unrelated category", c.path, "has no relation to any other category or code"))
        if not store.scalar("SELECT count(*) FROM category_properties WHERE code_id = ?", (c.id,)):
            problems.append(Problem("no properties", c.path, "no properties or dimensions yet"))
    for r in rels:
        what = f"{r.source} {r.type} {r.target}"
        if not r.passages and not r.memos:
            problems.append(Problem("ungrounded relation", what, "no evidence: no passages and no memos"))
        elif r.passages < min_evidence or r.participants < min_evidence:
            problems.append(Problem("thin relation", what, f"{plural(r.passages, 'passage')} from "
                                    f"{plural(r.participants, 'participant')}; fewer than {min_evidence}"))
    by_id = {c.id: c for c in tree}
    coded = {r[0] for r in store.all("SELECT DISTINCT code_id FROM codings")}
    children: dict[int, list] = {}
    for c in tree:
        if c.parent_id is not None:
            children.setdefault(c.parent_id, []).append(c)
    for c in tree:
        if c.is_category:
            continue
        kids = children.get(c.id, [])
        if c.id not in coded and kids and all(k.is_category for k in kids):
            continue  # a folder that only groups categories (e.g. "Barriers"), not a code left out
        node, inside = c.parent_id, False
        while node is not None:
            if by_id[node].is_category:
                inside = True
                break
            node = by_id[node].parent_id
        if not inside:
            problems.append(Problem("code in no category", c.path, "not grouped under any category"))
    problems.extend(lost_evidence(store))
    centre = core(store)
    if centre is None:
        problems.append(Problem("no core category", "-", "mark one with 'gtcode core CATEGORY'"))
    else:
        edges: dict[str, set[str]] = {}
        for r in rels:
            edges.setdefault(r.source, set()).add(r.target)
            edges.setdefault(r.target, set()).add(r.source)
        for c in tree:
            if c.parent_id is not None:
                parent = by_id[c.parent_id].path
                edges.setdefault(c.path, set()).add(parent)
                edges.setdefault(parent, set()).add(c.path)
        seen, stack = set(), [centre.path]
        while stack:
            node = stack.pop()
            if node not in seen:
                seen.add(node)
                stack.extend(edges.get(node, ()))
        for c in cats:
            if c.path not in seen:
                problems.append(Problem("not reached from the core", c.path,
                                        f"no chain of relations links it to {centre.path!r}"))
    rank = {k: i for i, k in enumerate(SEVERITY)}
    return sorted(problems, key=lambda p: rank.get(p.kind, len(rank)))   # stable: what matters most first


#: Problem kinds, most serious first: a model without a core or with lost or missing evidence before the
#: unfinished work that every model in progress has (categories without properties, codes not yet grouped).
SEVERITY = ("no core category", "lost evidence", "ungrounded relation", "not reached from the core",
            "unrelated category", "thin relation", "no properties", "code in no category")


def category_view(store: Store, name: str, by: str | None = "role") -> dict:
    """`category show`: the category with its codes and grounding, description, properties with their
    placements, the relations it takes part in, and the memos about it."""
    from gtcode.model import category, properties

    cat = category(store, name)
    return grounded(store, cat, all_codes(store), by) | {
        "description": cat.description, "core": cat.core,
        "properties": [asdict(p) for p in properties(store, cat)],
        "relations": [r.to_dict() for r in relations(store, category=cat.path)],
        "memos": [{"id": m.id, "title": m.title, "type": m.type} for m in memos_about(store, cat.uuid)]}


def lost_evidence(store: Store) -> list[Problem]:
    """Relations and properties whose passages a replaced transcript took away (`import --replace --force`)
    and that have not been grounded again since."""
    import json

    tables = {"relation evidence": ("relations", "relation_evidence", "relation_id"),
              "property placement": ("category_properties", "property_evidence", "property_id")}
    out = []
    for ev in store.all("SELECT e.at, e.data, k.name FROM events e JOIN coders k ON k.id = e.coder_id "
                        "WHERE e.action = 'document.replace' ORDER BY e.id"):
        data = json.loads(ev["data"])
        for a in data.get("dropped", []):
            if a["kind"] not in tables:
                continue
            owner, evidence, column = tables[a["kind"]]
            if not store.one(f"SELECT 1 FROM {owner} WHERE id = ?", (a["owner"],)) or store.one(
                    f"SELECT 1 FROM {evidence} WHERE {column} = ? AND created_at > ?", (a["owner"], ev["at"])):
                continue
            words = " ".join(a["words"].split())
            out.append(Problem("lost evidence", a["what"],
                               f"“{words[:50]}” left {data['document']['name']} when it was replaced "
                               f"({ev['at'][:10]}, {ev['name']}); ground it again"))
    return out
