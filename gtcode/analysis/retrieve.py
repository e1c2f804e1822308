"""Constant comparison: coded passages side by side, two codes against each other, words in context.

`retrieve` gathers a code's passages (with its child codes) grouped by case,
document, code, coder or a case attribute; `compare` splits two codes'
passages into A only, B only and both (overlapping spans of one document),
and across case attributes; `kwic` and `freq` look at the words themselves.
Only `kwic` and `freq` need spaCy, and they import it when called.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field

from gtcode.address import format_ranges
from gtcode.codes import all_codes, resolve_code, subtree
from gtcode.coding import Passage
from gtcode.errors import InputError, did_you_mean
from gtcode.scope import parse_where, where_sql

GROUPINGS = ("case", "document", "code", "coder")


def _natural(label: str):
    """P2 before P10: digits compare as numbers."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p.casefold()) for p in re.split(r"(\d+)", label) if p)


def _where_list(where) -> list[str]:
    return [where] if isinstance(where, str) else list(where or [])


def _attribute(store, name: str, option: str, extra: tuple[str, ...] = ()) -> str:
    """A keyword from `extra`, or an attribute's stored name (matched case-insensitively)."""
    key = name.strip().casefold()
    if key in extra:
        return key
    known = {r[0].casefold(): r[0] for r in store.all("SELECT name FROM attributes ORDER BY id")}
    if key in known:
        return known[key]
    choices = [*extra, *known.values()]
    raise InputError(f"{option} {name!r}: not {', '.join(extra) + ' or ' if extra else ''}an attribute of the cases"
                     + (did_you_mean(name, choices) or f" (attributes: {', '.join(known.values()) or 'none yet'})"))


def _case_attributes(store) -> dict[int, dict[str, str]]:
    out: dict[int, dict[str, str]] = {}
    for r in store.all("SELECT ca.case_id, a.name, ca.value FROM case_attributes ca "
                       "JOIN attributes a ON a.id = ca.attribute_id ORDER BY a.id"):
        out.setdefault(r[0], {})[r[1]] = r[2]
    return out


class _Documents:
    """Text and segments of documents, each loaded once: addresses and context for spans."""

    def __init__(self, store):
        self.store = store
        self._docs: dict[int, tuple[str, list[tuple], list[int]]] = {}

    def get(self, doc_id: int):
        if doc_id not in self._docs:
            text = self.store.scalar("SELECT text FROM documents WHERE id = ?", (doc_id,))
            segs = [tuple(r) for r in self.store.all(
                "SELECT s.ordinal, s.start_char, s.end_char, t.speaker, t.is_interviewer FROM segments s "
                "JOIN turns t ON t.id = s.turn_id WHERE s.document_id = ? ORDER BY s.ordinal", (doc_id,))]
            self._docs[doc_id] = (text, segs, [s[2] for s in segs])
        return self._docs[doc_id]

    def _inside(self, doc_id: int, start: int, end: int) -> tuple[int, int]:
        import bisect

        _, segs, ends = self.get(doc_id)
        i = j = bisect.bisect_right(ends, start)
        while j < len(segs) and segs[j][1] < end:
            j += 1
        return i, j

    def address(self, doc_id: int, start: int, end: int) -> str:
        i, j = self._inside(doc_id, start, end)
        _, segs, _ = self.get(doc_id)
        return f"D{doc_id}:{format_ranges(s[0] for s in segs[i:j]) or '?'}"

    def text(self, doc_id: int, start: int, end: int) -> str:
        return self.get(doc_id)[0][start:end]

    def context(self, doc_id: int, start: int, end: int, n: int):
        if n <= 0:
            return [], []
        i, j = self._inside(doc_id, start, end)
        text, segs, _ = self.get(doc_id)
        make = lambda s: ContextSegment(f"D{doc_id}:{s[0]}", s[3], bool(s[4]), text[s[1]:s[2]])  # noqa: E731
        return [make(s) for s in segs[max(0, i - n):i]], [make(s) for s in segs[j:j + n]]


# --- retrieve ----------------------------------------------------------------------------------

@dataclass
class ContextSegment:
    """A segment shown around a passage, so the passage is read where it was said."""

    address: str
    speaker: str | None
    is_interviewer: bool
    text: str


@dataclass
class Retrieved:
    """A coded passage with the segments around it."""

    passage: Passage
    before: list[ContextSegment] = field(default_factory=list)
    after: list[ContextSegment] = field(default_factory=list)

    def to_dict(self) -> dict:
        return self.passage.to_dict() | {"before": [asdict(c) for c in self.before],
                                         "after": [asdict(c) for c in self.after]}


@dataclass
class Group:
    """Passages sharing a case, document, code, coder or attribute value."""

    key: str | None          # the value grouped on; None when it is missing (no case, no such attribute)
    label: str
    passages: list[Retrieved] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)   # the case's, when grouped by case

    @property
    def documents(self) -> int:
        return len({r.passage.document_id for r in self.passages})

    @property
    def cases(self) -> int:
        return len({r.passage.case for r in self.passages if r.passage.case})

    def to_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "attributes": self.attributes, "count": len(self.passages),
                "documents": self.documents, "cases": self.cases,
                "passages": [r.to_dict() for r in self.passages]}


@dataclass
class Retrieval:
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

    @property
    def documents(self) -> int:
        return len({r.passage.document_id for r in self.passages})

    @property
    def cases(self) -> int:
        return len({r.passage.case for r in self.passages if r.passage.case})

    def to_dict(self) -> dict:
        return {"code": self.code, "codes": self.codes, "by": self.by, "context": self.context, "where": self.where,
                "include_pending": self.include_pending, "children": self.children,
                "count": len(self.passages), "documents": self.documents, "cases": self.cases,
                "pending_left_out": self.pending_left_out, "groups": [g.to_dict() for g in self.groups]}


def _codes(project, ref, children: bool):
    tree = all_codes(project.store)
    code = resolve_code(project.store, ref, tree)
    return code, (subtree(tree, code) if children else [code])


def _pending(project, code_ids: list[int], where) -> int:
    clause, params = where_sql(project.store, parse_where(where))
    marks = ",".join("?" * len(code_ids))
    return project.store.scalar(
        f"SELECT count(*) FROM codings g JOIN documents d ON d.id = g.document_id WHERE {clause}"
        f" AND g.status = 'pending' AND g.code_id IN ({marks})", [*params, *code_ids])


def retrieve(project, code, *, by: str = "case", where=None, context: int = 0, include_pending: bool = False,
             children: bool = True) -> Retrieval:
    """Every passage coded CODE (and its child codes), grouped for reading side by side."""
    if context < 0:
        raise InputError("--context: expected 0 or more segments")
    where = _where_list(where)
    top, included = _codes(project, code, children)
    by = _attribute(project.store, by, "--by", GROUPINGS)
    found = project.passages(top.id, where=where, include_pending=include_pending, children=children)
    docs = _Documents(project.store)
    order = {c.path: i for i, c in enumerate(included)}
    groups: dict[tuple, Group] = {}
    for p in found:
        before, after = docs.context(p.document_id, p.start, p.end, context)
        if by == "case":
            key, label, sort = p.case, p.case or "(no case)", (p.case is None, _natural(p.case or ""))
        elif by == "document":
            key, label, sort = p.document, f"D{p.document_id} {p.document}", (False, p.document_id)
        elif by == "code":
            key, label, sort = p.code, p.code, (False, order.get(p.code, len(order)))
        elif by == "coder":
            key, label, sort = p.coder, p.coder, (False, _natural(p.coder))
        else:
            key = p.attributes.get(by)
            label, sort = (key if key is not None else f"(no {by})"), (key is None, _natural(key or ""))
        group = groups.get(sort)
        if group is None:
            group = groups[sort] = Group(key, label, attributes=dict(p.attributes) if by == "case" else {})
        group.passages.append(Retrieved(p, before, after))
    pending = 0 if include_pending else _pending(project, [c.id for c in included], where)
    return Retrieval(top.path, [c.path for c in included], by, context, where, include_pending, children,
                     [groups[k] for k in sorted(groups)], pending)


# --- compare -----------------------------------------------------------------------------------

@dataclass
class Compared:
    """A stretch of one document coded A, B or both: overlapping codings of either code join into one."""

    kind: str                 # "a", "b" or "both"
    document_id: int
    document: str
    case: str | None
    address: str
    speaker: str | None
    start: int
    end: int
    text: str
    attributes: dict[str, str]
    a: list[Passage]
    b: list[Passage]
    shared: list[tuple[int, int]] = field(default_factory=list)   # where A and B overlap (document offsets)

    def to_dict(self) -> dict:
        def brief(p: Passage) -> dict:
            return {"id": p.id, "code": p.code, "address": p.address, "start": p.start, "end": p.end,
                    "coder": p.coder, "status": p.status}

        return {"kind": self.kind, "document_id": self.document_id, "document": self.document, "case": self.case,
                "address": self.address, "speaker": self.speaker, "start": self.start, "end": self.end,
                "text": self.text, "attributes": self.attributes, "a": [brief(p) for p in self.a],
                "b": [brief(p) for p in self.b], "shared": [list(s) for s in self.shared]}


@dataclass
class Split:
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

    def to_dict(self) -> dict:
        return asdict(self)


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


def _cluster(docs: _Documents, a: list[Passage], b: list[Passage]) -> list[Compared]:
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
        first = (pa or pb)[0]
        kind = "both" if pa and pb else ("a" if pa else "b")
        out.append(Compared(kind, doc_id, first.document, first.case, docs.address(doc_id, start, end),
                            first.speaker, start, end, docs.text(doc_id, start, end), dict(first.attributes),
                            pa, pb, _overlaps(pa, pb)))
    return out


def compare(project, a, b, *, where=None, include_pending: bool = False, children: bool = True,
            attributes: list[str] | None = None) -> Comparison:
    """Passages with A only, B only and both, and how cases and passages split across case attributes."""
    where = _where_list(where)
    code_a, in_a = _codes(project, a, children)
    code_b, in_b = _codes(project, b, children)
    if code_a.id == code_b.id:
        raise InputError(f"compare needs two different codes; both name {code_a.path!r}")
    found = [project.passages(c.id, where=where, include_pending=include_pending, children=children)
             for c in (code_a, code_b)]
    units = _cluster(_Documents(project.store), *found)
    store = project.store
    clause, params = where_sql(store, parse_where(where))
    case_ids = [r[0] for r in store.all(f"SELECT DISTINCT d.case_id FROM documents d WHERE {clause}"
                                        " AND d.case_id IS NOT NULL", params)]
    names = {r[0]: r[1] for r in store.all("SELECT id, name FROM cases")}
    attrs = _case_attributes(store)
    has: dict[str, set[str]] = {names[c]: set() for c in case_ids}
    for u in units:
        if u.case is not None:
            has.setdefault(u.case, set()).update({"a"} if u.kind == "a" else {"b"} if u.kind == "b" else {"a", "b"})
    case_kind = {name: ("both" if len(k) == 2 else "a" if k == {"a"} else "b" if k else None)
                 for name, k in has.items()}
    by_name = {names[c]: attrs.get(c, {}) for c in case_ids}
    chosen = [_attribute(store, x, "--by") for x in attributes] if attributes else \
        [r[0] for r in store.all("SELECT name FROM attributes ORDER BY id")]
    split = []
    for attr in chosen:
        values = sorted({v.get(attr) for v in by_name.values()}, key=lambda v: (v is None, _natural(v or "")))
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


# --- words: segments to read -------------------------------------------------------------------
