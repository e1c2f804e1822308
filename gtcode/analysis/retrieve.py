"""Constant comparison: coded passages side by side, and two codes against each other.

`retrieve` gathers a code's passages (with its child codes) grouped by case,
document, code, coder or a case attribute; `compare` splits two codes'
passages into A only, B only and both (overlapping spans of one document),
and across case attributes. Words in context (`kwic`, `freq`) are in `words`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

from gtcode.codes import all_codes, resolve_code, subtree
from gtcode.coding import Passage, passages
from gtcode.documents import ContextSegment, SegmentIndex
from gtcode.errors import InputError
from gtcode.scope import Scope, as_list, case_attributes, natural_key, resolve_attribute
from gtcode.store.db import Store
from gtcode.records import Record

GROUPINGS = ("case", "document", "code", "coder")


# --- retrieve ----------------------------------------------------------------------------------

@dataclass
class Retrieved:
    """A coded passage with the segments around it."""

    passage: Passage
    before: list[ContextSegment] = field(default_factory=list)
    after: list[ContextSegment] = field(default_factory=list)

    def to_dict(self) -> dict:
        return self.passage.to_dict() | {"before": [asdict(c) for c in self.before],
                                         "after": [asdict(c) for c in self.after]}


class _Spread:
    """How many documents and cases the passages come from."""

    passages: list[Retrieved]

    @property
    def documents(self) -> int:
        return len({r.passage.document_id for r in self.passages})

    @property
    def cases(self) -> int:
        return len({r.passage.case for r in self.passages if r.passage.case})


@dataclass
class Group(_Spread):
    """Passages sharing a case, document, code, coder or attribute value."""

    key: str | None          # the value grouped on; None when it is missing (no case, no such attribute)
    label: str
    passages: list[Retrieved] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)   # the case's, when grouped by case

    def to_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "attributes": self.attributes, "count": len(self.passages),
                "documents": self.documents, "cases": self.cases,
                "passages": [r.to_dict() for r in self.passages]}


@dataclass
class Retrieval(_Spread):
    code: str
    codes: list[str]          # the code and, unless children=False, its child codes
    by: str
    context: int
    where: list[str]
    include_pending: bool
    children: bool
    groups: list[Group]
    pending_left_out: int     # pending (unreviewed) codings not shown

    @property
    def passages(self) -> list[Retrieved]:
        return [r for g in self.groups for r in g.passages]

    def to_dict(self) -> dict:
        return {"code": self.code, "codes": self.codes, "by": self.by, "context": self.context, "where": self.where,
                "include_pending": self.include_pending, "children": self.children,
                "count": len(self.passages), "documents": self.documents, "cases": self.cases,
                "pending_left_out": self.pending_left_out, "groups": [g.to_dict() for g in self.groups]}


def _codes(store: Store, ref, children: bool):
    tree = all_codes(store)
    code = resolve_code(store, ref, tree)
    return code, (subtree(tree, code) if children else [code])


def _passages(store: Store, codes, scope: Scope, include_pending: bool) -> list[Passage]:
    return passages(store, [c.id for c in codes], scope.clause, scope.params, include_pending)


def _pending(store: Store, code_ids: list[int], scope: Scope) -> int:
    marks = ",".join("?" * len(code_ids))
    return store.scalar(
        f"SELECT count(*) FROM codings g JOIN documents d ON d.id = g.document_id WHERE {scope.clause}"
        f" AND g.status = 'pending' AND g.code_id IN ({marks})", [*scope.params, *code_ids])


def retrieve(store: Store, code, *, by: str = "case", where=None, context: int = 0, include_pending: bool = False,
             children: bool = True) -> Retrieval:
    """Every passage coded CODE (and its child codes), grouped for reading side by side."""
    if context < 0:
        raise InputError("--context: expected 0 or more segments")
    where = as_list(where)
    top, included = _codes(store, code, children)
    by = resolve_attribute(store, by, "--by", GROUPINGS)
    scope = Scope.from_where(store, where)
    found = _passages(store, included, scope, include_pending)
    docs = SegmentIndex(store)
    order = {c.path: i for i, c in enumerate(included)}
    groups: dict[tuple, Group] = {}
    for p in found:
        before, after = docs.context(p.document_id, p.start, p.end, context)
        if by == "case":
            key, label, sort = p.case, p.case or "(no case)", (p.case is None, natural_key(p.case or ""))
        elif by == "document":
            key, label, sort = p.document, f"D{p.document_id} {p.document}", (False, p.document_id)
        elif by == "code":
            key, label, sort = p.code, p.code, (False, order.get(p.code, len(order)))
        elif by == "coder":
            key, label, sort = p.coder, p.coder, (False, natural_key(p.coder))
        else:
            key = p.attributes.get(by)
            label, sort = (key if key is not None else f"(no {by})"), (key is None, natural_key(key or ""))
        group = groups.get(sort)
        if group is None:
            group = groups[sort] = Group(key, label, attributes=dict(p.attributes) if by == "case" else {})
        group.passages.append(Retrieved(p, before, after))
    pending = 0 if include_pending else _pending(store, [c.id for c in included], scope)
    return Retrieval(top.path, [c.path for c in included], by, context, where, include_pending, children,
                     [groups[k] for k in sorted(groups)], pending)


# --- compare -----------------------------------------------------------------------------------

@dataclass
class Compared:
    """A stretch of one document coded A, B or both: overlapping codings of either code join into one."""

    kind: str                 # "a", "b" or "both"
    document_id: int
    address: str
    start: int
    end: int
    text: str
    a: list[Passage]
    b: list[Passage]
    shared: list[tuple[int, int]] = field(default_factory=list)   # where A and B overlap (document offsets)

    @property
    def first(self) -> Passage:
        """The first coding of the stretch: its document, case, speaker and case attributes are the stretch's."""
        return (self.a or self.b)[0]

    @property
    def document(self) -> str:
        return self.first.document

    @property
    def case(self) -> str | None:
        return self.first.case

    @property
    def speaker(self) -> str | None:
        return self.first.speaker

    @property
    def attributes(self) -> dict[str, str]:
        return self.first.attributes

    def to_dict(self) -> dict:
        def brief(p: Passage) -> dict:
            return {"id": p.id, "code": p.code, "address": p.address, "start": p.start, "end": p.end,
                    "coder": p.coder, "status": p.status}

        return {"kind": self.kind, "document_id": self.document_id, "document": self.document, "case": self.case,
                "address": self.address, "speaker": self.speaker, "start": self.start, "end": self.end,
                "text": self.text, "attributes": self.attributes, "a": [brief(p) for p in self.a],
                "b": [brief(p) for p in self.b], "shared": [list(s) for s in self.shared]}


@dataclass
class Split(Record):
    """One attribute value: cases having A only/B only/both codes, and compared passages of each kind."""

    attribute: str
    value: str | None
    cases: int                # cases with this value (within --where)
    cases_a_only: int
    cases_b_only: int
    cases_both: int
    passages_a_only: int
    passages_b_only: int
    passages_both: int

    @property
    def label(self) -> str:
        return self.value if self.value is not None else f"(no {self.attribute})"



@dataclass
class Comparison:
    a: str
    b: str
    a_codes: list[str]
    b_codes: list[str]
    where: list[str]
    include_pending: bool
    children: bool
    a_only: list[Compared]
    b_only: list[Compared]
    both: list[Compared]
    cases: int                # cases within --where
    cases_a_only: int
    cases_b_only: int
    cases_both: int
    split: list[Split]

    def to_dict(self) -> dict:
        return {"a": self.a, "b": self.b, "a_codes": self.a_codes, "b_codes": self.b_codes, "where": self.where,
                "include_pending": self.include_pending, "children": self.children,
                "counts": {"a_only": len(self.a_only), "b_only": len(self.b_only), "both": len(self.both)},
                "cases": {"total": self.cases, "a_only": self.cases_a_only, "b_only": self.cases_b_only,
                          "both": self.cases_both},
                "a_only": [c.to_dict() for c in self.a_only], "b_only": [c.to_dict() for c in self.b_only],
                "both": [c.to_dict() for c in self.both], "split": [s.to_dict() for s in self.split]}


def _overlaps(a: list[Passage], b: list[Passage]) -> list[tuple[int, int]]:
    spans = sorted((max(x.start, y.start), min(x.end, y.end)) for x in a for y in b
                   if x.start < y.end and y.start < x.end)
    merged: list[list[int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def _cluster(docs: SegmentIndex, a: list[Passage], b: list[Passage]) -> list[Compared]:
    """Join overlapping codings of either code, per document, into compared stretches."""
    marked = sorted([(p.document_id, p.start, p.end, "a", p) for p in a] + [(p.document_id, p.start, p.end, "b", p)
                                                                          for p in b], key=lambda t: t[:3])
    runs: list[list] = []
    for doc_id, start, end, side, p in marked:
        if runs and runs[-1][0] == doc_id and start < runs[-1][2]:
            runs[-1][2] = max(runs[-1][2], end)
            runs[-1][3 if side == "a" else 4].append(p)
        else:
            runs.append([doc_id, start, end, [p] if side == "a" else [], [p] if side == "b" else []])
    out = []
    for doc_id, start, end, pa, pb in runs:
        kind = "both" if pa and pb else ("a" if pa else "b")
        out.append(Compared(kind, doc_id, docs.address(doc_id, start, end), start, end,
                            docs.text(doc_id)[start:end], pa, pb, _overlaps(pa, pb)))
    return out


def compare(store: Store, a, b, *, where=None, include_pending: bool = False, children: bool = True,
            attributes: list[str] | None = None) -> Comparison:
    """Passages with A only, B only and both, and how cases and passages split across case attributes."""
    where = as_list(where)
    code_a, in_a = _codes(store, a, children)
    code_b, in_b = _codes(store, b, children)
    if code_a.id == code_b.id:
        raise InputError(f"compare needs two different codes; both name {code_a.path!r}")
    scope = Scope.from_where(store, where)
    units = _cluster(SegmentIndex(store), *(_passages(store, c, scope, include_pending) for c in (in_a, in_b)))
    case_ids = [r[0] for r in store.all(f"SELECT DISTINCT d.case_id FROM documents d WHERE {scope.clause}"
                                        " AND d.case_id IS NOT NULL", scope.params)]
    names = {r[0]: r[1] for r in store.all("SELECT id, name FROM cases")}
    attrs = case_attributes(store)
    has: dict[str, set[str]] = {names[c]: set() for c in case_ids}
    for u in units:
        if u.case is not None:
            has.setdefault(u.case, set()).update({"a"} if u.kind == "a" else {"b"} if u.kind == "b" else {"a", "b"})
    case_kind = {name: ("both" if len(k) == 2 else "a" if k == {"a"} else "b" if k else None)
                 for name, k in has.items()}
    by_name = {names[c]: attrs.get(c, {}) for c in case_ids}
    chosen = [resolve_attribute(store, x, "--by") for x in attributes] if attributes else \
        [r[0] for r in store.all("SELECT name FROM attributes ORDER BY id")]
    split = []
    for attr in chosen:
        values = sorted({v.get(attr) for v in by_name.values()}, key=lambda v: (v is None, natural_key(v or "")))
        for value in values:
            in_value = {n for n, v in by_name.items() if v.get(attr) == value}
            kinds = Counter(case_kind.get(n) for n in in_value)
            units_here = Counter(u.kind for u in units if u.case in in_value)
            split.append(Split(attr, value, len(in_value), kinds["a"], kinds["b"], kinds["both"],
                               units_here["a"], units_here["b"], units_here["both"]))
    totals = Counter(case_kind.values())
    return Comparison(code_a.path, code_b.path, [c.path for c in in_a], [c.path for c in in_b], where,
                      include_pending, children, [u for u in units if u.kind == "a"],
                      [u for u in units if u.kind == "b"], [u for u in units if u.kind == "both"],
                      len(has), totals["a"], totals["b"], totals["both"], split)
