"""The theory as a graph: categories (and, on request, codes) with their relations.

`build_graph` reads the model straight from the store and gives a networkx
`MultiDiGraph` (a `DiGraph` that may hold several relations between the same
two categories, one edge per relation, keyed by the relation's UUID). Every
category gets a `role` relative to the core category, which is what a
paradigm-style diagram places: barriers left, facilitators right, conditions
and context above, consequences below, strategies beside the core.
networkx is imported only when a graph is built.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gtcode.coding import code_counts
from gtcode.model import core_counts
from gtcode.scope import parse_where, where_sql

#: Roles in the order a tie is broken (a category with several relations to the core takes the first).
ROLES = ("core", "barrier", "facilitator", "condition", "context", "strategy", "consequence", "other")

#: Relation types that place their *source* relative to its target, whatever their polarity.
PARADIGM = {
    "is-condition-for": "condition",
    "is-intervening-condition-for": "condition",
    "is-context-for": "context",
    "is-strategy-for": "strategy",
    "is-consequence-of": "consequence",
}

#: Causal relation types: what the core (or a consequence) causes or leads to is a consequence.
CAUSAL = ("causes", "leads-to")

#: Roles on the core's side: hindering one of them hinders the core, supporting one supports it.
_SIGN = {"core": 1, "facilitator": 1, "condition": 1, "context": 1, "strategy": 1, "barrier": -1}
_POLARITY = {"+": 1, "-": -1}

CONTAINS = "contains"


@dataclass
class _Node:
    id: int
    uuid: str
    name: str
    path: str
    kind: str
    core: bool
    color: str
    parent_id: int | None
    category_id: int | None = None  # nearest category above (or itself), for grouping codes
    role: str = "other"
    rank: int = 0                   # steps from the core: 0 core, 1 direct, 2+ through other categories
    counts: dict = field(default_factory=dict)


def _tree(store) -> list[dict]:
    """Every code with its path, in tree order (parents first, siblings by name)."""
    rows = store.all("SELECT id, uuid, parent_id, name, kind, core, color FROM codes")
    children: dict[int | None, list] = {}
    for r in rows:
        children.setdefault(r["parent_id"], []).append(r)
    out: list[dict] = []

    def walk(parent_id, prefix, category_id):
        for r in sorted(children.get(parent_id, []), key=lambda r: (r["name"].casefold(), r["id"])):
            path = prefix + r["name"]
            cat = r["id"] if r["kind"] == "category" else category_id
            out.append(dict(r) | {"path": path, "category_id": cat})
            walk(r["id"], path + "/", cat)

    walk(None, "", None)
    return out


def _relations(store, clause: str, params: list) -> list[dict]:
    """Every relation with its type's label and polarity and its evidence, counted within the filter.

    Memos count as evidence whatever the filter: they are the analyst's reasoning, not a case's words.
    """
    rels = [dict(r) for r in store.all(
        "SELECT r.id, r.uuid, r.source_id, r.type, r.target_id, r.note, t.label, t.polarity "
        "FROM relations r JOIN relation_types t ON t.name = r.type COLLATE NOCASE ORDER BY r.id")]
    passages: dict[int, int] = {}
    cases: dict[int, set] = {}
    for rel_id, case_id in store.all(
            "SELECT e.relation_id, d.case_id FROM relation_evidence e JOIN documents d ON d.id = e.document_id "
            f"WHERE e.document_id IS NOT NULL AND {clause}", params):
        passages[rel_id] = passages.get(rel_id, 0) + 1
        if case_id is not None:
            cases.setdefault(rel_id, set()).add(case_id)
    memos = {r[0]: r[1] for r in store.all(
        "SELECT relation_id, count(*) FROM relation_evidence WHERE document_id IS NULL AND memo_id IS NOT NULL "
        "GROUP BY relation_id")}
    for r in rels:
        r["passages"] = passages.get(r["id"], 0)
        r["memos"] = memos.get(r["id"], 0)
        r["evidence"] = r["passages"] + r["memos"]
        r["participants"] = len(cases.get(r["id"], ()))
    return rels


def _direct_role(rel: dict, source_is_core: bool) -> tuple[str, str] | None:
    """(node 'source'|'target', role) that one relation touching the core gives, or None."""
    kind = rel["type"].casefold()
    if source_is_core:
        return ("target", "consequence") if kind in CAUSAL else None
    if rel["polarity"] == "-":
        return "source", "barrier"
    if rel["polarity"] == "+":
        return "source", "facilitator"
    if kind in PARADIGM:
        return "source", PARADIGM[kind]
    return None


def derive_roles(nodes: dict[int, _Node], rels: list[dict]) -> None:
    """Each node's role relative to the core, and how many steps away it is.

    Direct: a relation towards the core — polarity − makes a barrier, + a facilitator, the paradigm
    types a condition, context, strategy or consequence; what the core causes or leads to is a
    consequence. Indirect, step by step outwards: hindering something on the core's side (a
    facilitator, condition, context or strategy) makes a barrier, supporting it a facilitator;
    supporting a barrier makes a barrier, hindering one a facilitator; what is a consequence of a
    consequence, or what one causes, is a consequence too. Anything else is 'other'.
    """
    order = {r: i for i, r in enumerate(ROLES)}
    for n in nodes.values():
        if n.core:
            n.role, n.rank = "core", 0
    rank = 0
    while True:
        rank += 1
        found: dict[int, str] = {}

        def offer(node_id: int, role: str) -> None:
            node = nodes.get(node_id)
            if node is None or node.role != "other" or node.core:
                return
            if node_id not in found or order[role] < order[found[node_id]]:
                found[node_id] = role

        for rel in rels:
            src, dst = nodes.get(rel["source_id"]), nodes.get(rel["target_id"])
            if src is None or dst is None:
                continue
            kind = rel["type"].casefold()
            if rank == 1:
                if dst.core and not src.core:
                    hit = _direct_role(rel, False)
                    if hit:
                        offer(src.id, hit[1])
                elif src.core and not dst.core:
                    hit = _direct_role(rel, True)
                    if hit:
                        offer(dst.id, hit[1])
                continue
            # Indirect: relate to a node placed on an earlier step.
            if dst.role != "other" and dst.rank == rank - 1 and src.role == "other":
                sign = _SIGN.get(dst.role)
                pol = _POLARITY.get(rel["polarity"])
                if sign and pol:
                    offer(src.id, "facilitator" if sign * pol > 0 else "barrier")
                elif dst.role == "consequence" and kind == "is-consequence-of":
                    offer(src.id, "consequence")
            if src.role == "consequence" and src.rank == rank - 1 and dst.role == "other" and kind in CAUSAL:
                offer(dst.id, "consequence")
        if not found:
            break
        for node_id, role in found.items():
            nodes[node_id].role, nodes[node_id].rank = role, rank


def build_graph(store, include_codes: bool = False, min_evidence: int = 0, where=None, *, name: str = ""):
    """The model as a networkx MultiDiGraph: categories (and codes) with counts, roles and relations.

    Nodes are keyed by UUID. Relation edges are keyed by the relation's UUID and carry type, label,
    polarity, evidence (passages + memos), passages, memos and participants (distinct cases among
    the passages); relations with less evidence than `min_evidence` are left out (and counted in
    graph.graph['weaker_left_out']). With
    `include_codes`, codes join the graph with a 'contains' edge from each parent. `where` (e.g.
    ["role=mother"]) restricts counts and passages to those cases' documents. `name` (the project's) titles
    the figure.
    """
    import networkx as nx

    filters = parse_where(where)
    clause, params = where_sql(store, filters)
    tree = _tree(store)
    counts = code_counts(store, where_clause=clause, params=params)
    nodes: dict[int, _Node] = {}
    for r in tree:
        if r["kind"] == "category" or include_codes:
            nodes[r["id"]] = _Node(r["id"], r["uuid"], r["name"], r["path"], r["kind"], bool(r["core"]),
                                   r["color"] or "", r["parent_id"], r["category_id"],
                                   counts=counts.get(r["id"], {"codings": 0, "documents": 0, "cases": 0}))
    for n in nodes.values():   # the core is grounded in what it integrates (`gtcode.model.core_counts`)
        if n.core:
            n.counts = core_counts(store, where_clause=clause, params=params)
    between = [r for r in _relations(store, clause, params) if r["source_id"] in nodes and r["target_id"] in nodes]
    rels = [r for r in between if r["evidence"] >= min_evidence]
    derive_roles(nodes, rels)

    graph = nx.MultiDiGraph()
    cores = [n for n in nodes.values() if n.core]
    graph.graph.update(
        name=name, core=" | ".join(n.path for n in cores), where=" AND ".join(str(f) for f in filters),
        include_codes=bool(include_codes), min_evidence=int(min_evidence), weaker_left_out=len(between) - len(rels))
    for n in nodes.values():  # tree order: stable output
        graph.add_node(n.uuid, id=n.id, uuid=n.uuid, name=n.name, path=n.path, kind=n.kind, core=n.core,
                       role=n.role, rank=n.rank, color=n.color, codings=n.counts["codings"],
                       documents=n.counts["documents"], cases=n.counts["cases"],
                       parent=nodes[n.parent_id].uuid if n.parent_id in nodes else "",
                       category=nodes[n.category_id].uuid if n.category_id in nodes else "")
    if include_codes:
        for n in nodes.values():
            if n.parent_id in nodes:
                parent = nodes[n.parent_id]
                graph.add_edge(parent.uuid, n.uuid, key=f"{CONTAINS}:{n.uuid}", type=CONTAINS, label="contains",
                               polarity="0", evidence=0, passages=0, memos=0, participants=0, uuid="", note="")
    path_of = {n.id: n.path.casefold() for n in nodes.values()}
    for r in sorted(rels, key=lambda r: (path_of[r["source_id"]], r["type"].casefold(), path_of[r["target_id"]])):
        graph.add_edge(nodes[r["source_id"]].uuid, nodes[r["target_id"]].uuid, key=r["uuid"], type=r["type"],
                       label=r["label"], polarity=r["polarity"], evidence=r["evidence"], passages=r["passages"],
                       memos=r["memos"], participants=r["participants"], uuid=r["uuid"], note=r["note"] or "")
    return graph


def relation_edges(graph) -> list[tuple[str, str, dict]]:
    """The relation edges (not 'contains'), in the graph's stable order."""
    return [(u, v, d) for u, v, d in graph.edges(data=True) if d["type"] != CONTAINS]
