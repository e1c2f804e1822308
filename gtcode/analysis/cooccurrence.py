"""Axial coding evidence: which codes occur together, and how codes spread across case attributes.

`cooccurrence` counts, for every pair of codes, the units (segments, speaker
turns or whole documents) in which both occur, beside the units of each, and
their Jaccard index (units with both / units with either); `top_pairs` ranks
the pairs (what `relate --suggest` offers). `matrix` counts codes or
categories against the values of one case attribute (mothers vs
practitioners, Trust A vs Trust B).

A unit *has* a code when a confirmed coding of it overlaps the unit; pending
autocoding suggestions are left out until someone accepts them.

    from gtcode import Project
    from gtcode.analysis.cooccurrence import cooccurrence, top_pairs
    with Project.open() as p:
        result = cooccurrence(p.store, by="segment", where=["role=mother"])
        for pair in top_pairs(result, 10):
            print(pair.a, pair.b, pair.both, round(pair.jaccard, 2))
"""

from __future__ import annotations

import bisect
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from functools import cached_property
from itertools import combinations

from gtcode.codes import Code, all_codes, resolve_code, subtree
from gtcode.documents import TextUnit, touched_segments, unit_bounds
from gtcode.errors import InputError, did_you_mean
from gtcode.scope import Scope, as_list, case_values, natural_key, resolve_attribute
from gtcode.store.db import Store
from gtcode.records import Record

#: What a unit of co-occurrence can be, and the words accepted for each.
UNITS = {"segment": "segment", "segments": "segment", "turn": "turn", "turns": "turn",
         "document": "document", "documents": "document", "doc": "document", "docs": "document"}
#: What a cell of `matrix` counts.
COUNTS = {"segments": "segments", "segment": "segments", "cases": "cases", "case": "cases",
          "codings": "codings", "coding": "codings"}
ROWS = {"codes": "codes", "code": "codes", "categories": "categories", "category": "categories"}
SORTS = ("jaccard", "both")
NONE_LABEL = "(none)"


def _choice(value: str, allowed: dict[str, str], option: str) -> str:
    key = str(value).strip().casefold()
    if key in allowed:
        return allowed[key]
    canonical = list(dict.fromkeys(allowed.values()))
    raise InputError(f"{option} {value!r}: expected {', '.join(canonical)}{did_you_mean(key, list(allowed))}")


@dataclass
class _CodeGroup:
    """One row/column: a code (its own codings), or a category or named code with its subtree."""

    code: Code
    members: list[Code]

    @property
    def path(self) -> str:
        return self.code.path


def _select(store, codes, children: bool, tree: list[Code] | None = None) -> list[_CodeGroup]:
    """Named codes (a category, or a code with `children`, counts its subtree as one), deduplicated."""
    tree = tree if tree is not None else all_codes(store)
    refs = [codes] if isinstance(codes, (str, int)) else list(codes)
    out: dict[int, _CodeGroup] = {}
    for ref in refs:
        code = resolve_code(store, ref, tree)
        if code.id not in out:
            out[code.id] = _CodeGroup(code, subtree(tree, code) if (code.is_category or children) else [code])
    return list(out.values())


def _in_scope(store: Store, scope: Scope, codings: bool = True):
    """(documents as (id, case id), confirmed codings as (code id, document id)) within `scope`; no codings
    read unless `codings`."""
    docs = store.all(f"SELECT d.id, d.case_id FROM documents d WHERE {scope.clause} ORDER BY d.id", scope.params)
    if not codings:
        return docs, []
    return docs, store.all("SELECT g.code_id, g.document_id FROM codings g JOIN documents d ON d.id = g.document_id "
                           f"WHERE {scope.clause} AND g.status = 'confirmed'", scope.params)


def _count_units(store: Store, by: str, scope: Scope) -> int:
    """Units in scope: its documents, or the segments or turns of them."""
    if by == "document":
        return store.scalar(f"SELECT count(*) FROM documents d WHERE {scope.clause}", scope.params)
    table = "segments" if by == "segment" else "turns"
    return store.scalar(f"SELECT count(*) FROM {table} u JOIN documents d ON d.id = u.document_id "
                        f"WHERE {scope.clause}", scope.params)


def _placed(store: Store, by: str, scope: Scope, code_ids=None):
    """(code id, document id, units) of each confirmed coding in scope, as `SegmentIndex.units_at` places it, a
    unit as an int (document id << 32 | segment ordinal, turn position or 0): read through m010's indexes and
    turns' bounds, never a TextUnit per unit (a large project has 1.45M segments). `code_ids` limits the codes."""
    params = scope.params
    only = ""
    if code_ids is not None:
        only, params = " AND g.code_id IN (SELECT value FROM json_each(?))", (*params, json.dumps(sorted(code_ids)))
    rows = store.conn.cursor()
    rows.row_factory = None                   # plain tuples: 122,611 codings read faster
    spans = (touched_segments("g.document_id", "g.start_char", "g.end_char") if by == "segment"
             else "g.start_char, g.end_char")
    rows.execute(f"SELECT g.code_id, g.document_id, {spans} FROM codings g JOIN documents d ON d.id = g.document_id "
                 f"WHERE {scope.clause} AND g.status = 'confirmed'{only} ORDER BY g.document_id, g.start_char", params)
    if by == "segment":                       # first and last segment touched: NULL or first > last when none
        for code_id, doc_id, first, last in rows:
            base = doc_id << 32
            yield code_id, doc_id, range(base + first, base + last + 1) if first is not None and last is not None \
                else ()
    elif by == "document":                    # a document holds every coding of it, even one touching no segment
        for code_id, doc_id, _, _ in rows:
            yield code_id, doc_id, (doc_id << 32,)
    else:                                     # turns: their bounds, one document at a time, placed as units_at does
        codings = rows.fetchall()
        bounds = unit_bounds(store, list({r[1] for r in codings}), "turn")
        ahead = next(bounds, None)
        for code_id, doc_id, start, end in codings:                 # in document order, as unit_bounds gives them
            while ahead is not None and ahead[0] < doc_id:
                ahead = next(bounds, None)
            if ahead is None or ahead[0] != doc_id:
                yield code_id, doc_id, ()                            # a document without turns
                continue
            _, starts, ends, _ = ahead
            i, base = bisect.bisect_right(ends, start), doc_id << 32
            yield code_id, doc_id, range(base + i, base + bisect.bisect_left(starts, end, lo=i))


def _addresses(store: Store, by: str, units: list[int]) -> list[str]:
    """`D3:17` for a segment, `D3:17-21` for a turn (by its segments), `D3` for a document."""
    if by == "document":
        return [f"D{u >> 32}" for u in units]
    if by == "segment":
        return [f"D{u >> 32}:{u & 0xFFFFFFFF}" for u in units]
    segs: dict[int, list] = {}               # document → (first, last segment) of each turn, in unit_bounds order
    out = []
    for u in units:
        doc = u >> 32
        if doc not in segs:
            segs[doc] = store.all("SELECT min(s.ordinal), max(s.ordinal) FROM turns t LEFT JOIN segments s ON "
                                  "s.turn_id = t.id WHERE t.document_id = ? GROUP BY t.id ORDER BY t.start_char, t.id",
                                  (doc,))
        first, last = segs[doc][u & 0xFFFFFFFF]
        out.append(TextUnit(doc, 0, 0, 0, first, last).address)
    return out


# --- co-occurrence -----------------------------------------------------------------------------

@dataclass
class CodeUnits(Record):
    """A code (or category) compared, with the codes counted for it and the units that have it."""

    code: str                 # path
    kind: str                 # code | category
    codes: list[str]          # paths counted as this one: itself, and its subtree for a category
    units: int



@dataclass
class Pair:
    """Two codes: units with both, units with each, and Jaccard = both / (a_units + b_units - both)."""

    a: str
    b: str
    both: int
    a_units: int
    b_units: int
    jaccard: float

    def to_dict(self) -> dict:
        return asdict(self) | {"jaccard": round(self.jaccard, 4)}


def _pair(a: CodeUnits, b: CodeUnits, both: int) -> Pair:
    either = a.units + b.units - both
    return Pair(a.code, b.code, both, a.units, b.units, both / either if either else 0.0)


@dataclass
class Cooccurrence:
    """Co-occurrence of codes in units of one kind. `pairs` holds the pairs sharing at least one unit."""

    by: str                   # segment | turn | document
    where: list[str]
    units: int                # units in scope (segments, turns or documents within --where)
    codes: list[CodeUnits]
    pairs: list[Pair]         # codes order (a before b), only pairs with both ≥ 1
    _both: dict[tuple[str, str], int] = field(default_factory=dict, repr=False)
    _has: dict[str, set[int]] = field(default_factory=dict, repr=False)     # code → units, as `_placed` gives them
    _store: Store | None = field(default=None, repr=False)

    def pair(self, a: str, b: str) -> Pair:
        """Any two compared codes by path, in the order given, even if they never co-occur."""
        by_path = self._by_path
        for x in (a, b):
            if x not in by_path:
                raise InputError(f"{x!r} is not among the compared codes{did_you_mean(x, list(by_path))}")
        both = self._both.get((a, b), self._both.get((b, a), 0))
        return _pair(by_path[a], by_path[b], both)

    @cached_property
    def _by_path(self) -> dict[str, CodeUnits]:
        return {c.code: c for c in self.codes}

    def shared(self, a: str, b: str, limit: int | None = None) -> list[str]:
        """Addresses of the units where both codes occur, in document order: the passages to read first."""
        self.pair(a, b)
        units = sorted(self._has.get(a, set()) & self._has.get(b, set()))[:limit]
        return _addresses(self._store, self.by, units) if self._store is not None else []

    def all_pairs(self) -> list[Pair]:
        """Every pair of compared codes, zeros included (n·(n-1)/2 of them)."""
        return [_pair(x, y, self._both.get((x.code, y.code), 0)) for x, y in combinations(self.codes, 2)]

    def at_least(self, min_both: int = 1) -> list[Pair]:
        """Pairs sharing at least `min_both` units (0: every pair), in codes order."""
        return self.all_pairs() if min_both <= 0 else [p for p in self.pairs if p.both >= min_both]

    def to_dict(self, min_both: int = 1) -> dict:
        return {"by": self.by, "where": self.where, "units": self.units, "min": min_both,
                "codes": [c.to_dict() for c in self.codes],
                "pairs": [p.to_dict() for p in self.at_least(min_both)]}


def cooccurrence(store: Store, codes=None, by: str = "segment", where=None, *, children: bool = True) -> Cooccurrence:
    """How often each pair of codes occurs in the same segment, speaker turn or document.

    `codes` (names, paths or ids) picks what to compare; a category counts its whole subtree as one, and so
    does a named code unless `children=False`. Without `codes`, every code with a confirmed coding in scope
    is compared by its own codings. `where` filters documents by case attribute (`role=mother`).
    """
    by = _choice(by, UNITS, "--by")
    where = as_list(where)
    tree = all_codes(store)
    explicit = codes is not None
    selections = _select(store, codes, children, tree) if explicit else [_CodeGroup(c, [c]) for c in tree]
    scope = Scope.from_where(store, where)

    index_of: dict[int, list[int]] = {}
    for i, sel in enumerate(selections):
        for member in sel.members:
            index_of.setdefault(member.id, []).append(i)
    has: list[set[int]] = [set() for _ in selections]
    for code_id, _, found in _placed(store, by, scope, list(index_of) if explicit else None):
        for i in index_of.get(code_id, ()):
            has[i].update(found)
    keep = [i for i in range(len(selections)) if explicit or has[i]]
    summary = [CodeUnits(selections[i].path, selections[i].code.kind, [m.path for m in selections[i].members],
                         len(has[i])) for i in keep]

    # Invert: per unit, the compared codes it has; each unit then adds one to each pair among them.
    per_unit: dict[int, list[int]] = {}
    for k, i in enumerate(keep):
        for unit in has[i]:
            per_unit.setdefault(unit, []).append(k)
    counts: Counter[tuple[int, int]] = Counter()
    for present in per_unit.values():
        if len(present) > 1:
            counts.update(combinations(present, 2))   # `present` is ascending: pairs keep codes order
    both = {(summary[x].code, summary[y].code): n for (x, y), n in counts.items()}
    pairs = [_pair(summary[x], summary[y], n) for (x, y), n in sorted(counts.items())]
    return Cooccurrence(by, where, _count_units(store, by, scope), summary, pairs, both,
                        {summary[k].code: has[i] for k, i in enumerate(keep)}, store)


def top_pairs(result: Cooccurrence, n: int | None = 20, *, sort: str = "jaccard", min_both: int = 1,
              code: str | None = None) -> list[Pair]:
    """The most strongly co-occurring pairs, best first.

    `sort`: "jaccard" (ties broken by units with both) or "both" (ties broken by Jaccard); `min_both`: leave
    out pairs sharing fewer units (rare codes give high Jaccard from one shared segment); `code`: only pairs
    with this code (a path among `result.codes`); `n`: how many (None: all).
    """
    sort = _choice(sort, {s: s for s in SORTS} | {"count": "both", "counts": "both"}, "--sort")
    pairs = result.at_least(min_both)
    if code is not None:
        paths = [c.code for c in result.codes]
        if code not in paths:
            match = [p for p in paths if p.casefold() == code.casefold() or p.rsplit("/", 1)[-1].casefold()
                     == code.casefold()]
            if len(match) != 1:
                raise InputError(f"{code!r} is not among the compared codes{did_you_mean(code, paths)}")
            code = match[0]
        pairs = [p for p in pairs if code in (p.a, p.b)]
    if sort == "jaccard":
        key = lambda p: (-p.jaccard, -p.both, p.a.casefold(), p.b.casefold())  # noqa: E731
    else:
        key = lambda p: (-p.both, -p.jaccard, p.a.casefold(), p.b.casefold())  # noqa: E731
    ranked = sorted(pairs, key=key)
    return ranked if n is None else ranked[:n]


def _quote(name: str) -> str:
    """A code path as a shell word: in double quotes unless the shell would read something inside them."""
    import shlex

    return f'"{name}"' if not any(ch in name for ch in '"$`\\!') else shlex.quote(name)


def suggest_relations(store: Store, *, by: str = "segment", where=None, n: int = 15, min_both: int = 2) -> list[dict]:
    """Candidate relations for `relate --suggest`: never applied, only offered for reading.

    The most strongly co-occurring pairs (by Jaccard) of categories, or of codes while there are fewer than two
    categories; pairs already related either way and a category with its own subcategories are left out.
    Each is a dict: a, b, both, a_units, b_units, jaccard, evidence (up to three shared addresses) and command,
    a `gtcode relate` line to start from (is-associated-with: co-occurrence says nothing of direction), naming
    each code by its name where that is unique, else by its path.
    """
    tree = all_codes(store)
    categories = [c.path for c in tree if c.is_category]
    result = cooccurrence(store, categories if len(categories) >= 2 else None, by=by, where=where)
    paths = {c.id: c.path for c in tree}
    names = Counter(c.name.casefold() for c in tree)
    ref = {c.path: c.name if names[c.name.casefold()] == 1 else c.path for c in tree}   # shortest that resolves
    related = {frozenset((paths[r[0]], paths[r[1]])) for r in store.all("SELECT source_id, target_id FROM relations")}
    out = []
    for p in top_pairs(result, None, min_both=min_both):
        a, b = p.a.casefold(), p.b.casefold()
        if frozenset((p.a, p.b)) in related or a.startswith(b + "/") or b.startswith(a + "/"):
            continue
        evidence = result.shared(p.a, p.b, limit=3)
        command = f"gtcode relate {_quote(ref[p.a])} is-associated-with {_quote(ref[p.b])}"
        cited = [e for e in evidence if ":" in e]   # segment addresses `relate --evidence` takes
        if cited:
            command += f" --evidence {','.join(cited)}"
        out.append(p.to_dict() | {"by": result.by, "evidence": evidence, "command": command})
        if len(out) >= n:
            break
    return out


# --- codes × attribute matrix ------------------------------------------------------------------

@dataclass
class MatrixColumn:
    """One value of the attribute (None: cases without it, and documents without a case)."""

    value: str | None
    cases: int                # cases in scope with this value: the denominator for --count cases
    documents: int

    @property
    def label(self) -> str:
        return self.value if self.value is not None else NONE_LABEL

    def to_dict(self) -> dict:
        return asdict(self) | {"label": self.label}


@dataclass
class MatrixRow:
    code: str                 # path
    kind: str
    codes: list[str]          # paths counted in this row
    counts: list[int]         # one per column, in `Matrix.columns` order

    @property
    def total(self) -> int:
        return sum(self.counts)

    def to_dict(self, columns: list[MatrixColumn]) -> dict:
        return {"code": self.code, "kind": self.kind, "codes": self.codes,
                "counts": {c.label: n for c, n in zip(columns, self.counts)}, "total": self.total}


@dataclass
class Matrix:
    """Codes (or categories) × values of a case attribute: segments, cases or codings in each cell."""

    rows_of: str              # codes | categories
    attribute: str
    count: str                # segments | cases | codings
    where: list[str]
    columns: list[MatrixColumn]
    rows: list[MatrixRow]
    left_out: int = 0         # codes with nothing in scope, not shown

    @property
    def cases(self) -> int:
        return sum(c.cases for c in self.columns)

    def to_dict(self) -> dict:
        return {"rows_of": self.rows_of, "attribute": self.attribute, "count": self.count, "where": self.where,
                "columns": [c.to_dict() for c in self.columns], "cases": self.cases, "left_out": self.left_out,
                "rows": [r.to_dict(self.columns) for r in self.rows]}


def matrix(store: Store, cols: str, *, rows: str = "codes", count: str = "segments", where=None, codes=None,
           children: bool = True) -> Matrix:
    """Codes (own codings) or categories (their subtrees) against the values of the case attribute `cols`.

    Each cell counts the segments coded, the cases with a coding, or the codings. A column per value, in
    natural order, then "(none)" for cases without the attribute and documents without a case (cases are not
    counted there for those). `codes` picks the rows instead (a category, or a code unless `children=False`,
    counts its subtree). Codes with nothing in scope are left out; named codes and categories are always shown.
    """
    rows_of = _choice(rows, ROWS, "--rows")
    count = _choice(count, COUNTS, "--count")
    where = as_list(where)
    attribute = resolve_attribute(store, cols, "--cols")
    tree = all_codes(store)
    if codes is not None:
        selections, always = _select(store, codes, children, tree), True
    elif rows_of == "categories":
        selections, always = [_CodeGroup(c, subtree(tree, c)) for c in tree if c.is_category], True
    else:
        selections, always = [_CodeGroup(c, [c]) for c in tree if not c.is_category], False
    scope = Scope.from_where(store, where)
    docs, codings = _in_scope(store, scope, codings=count != "segments")
    values = case_values(store, attribute)
    column_of = {d[0]: values.get(d[1]) if d[1] is not None else None for d in docs}
    case_of = {d[0]: d[1] for d in docs}
    present = {v for v in column_of.values()}
    ordered = sorted((v for v in present if v is not None), key=natural_key) + ([None] if None in present else [])
    col_index = {v: i for i, v in enumerate(ordered)}
    columns = []
    for v in ordered:
        in_col = [d for d in docs if column_of[d[0]] == v]
        columns.append(MatrixColumn(v, len({d[1] for d in in_col if d[1] is not None}), len(in_col)))

    index_of: dict[int, list[int]] = {}
    for i, sel in enumerate(selections):
        for member in sel.members:
            index_of.setdefault(member.id, []).append(i)
    tallies = [[set() if count != "codings" else 0 for _ in ordered] for _ in selections]
    if count == "segments":
        for code_id, doc_id, found in _placed(store, "segment", scope, list(index_of) if codes is not None else None):
            for i in index_of.get(code_id, ()):
                tallies[i][col_index[column_of[doc_id]]].update(found)
    for code_id, doc_id in codings:
        for i in index_of.get(code_id, ()):
            c = col_index[column_of[doc_id]]
            if count == "codings":
                tallies[i][c] += 1
            elif case_of[doc_id] is not None:
                tallies[i][c].add(case_of[doc_id])
    out, left_out = [], 0
    for sel, tally in zip(selections, tallies):
        counts = [n if count == "codings" else len(n) for n in tally]
        if not always and not any(counts):
            left_out += 1
            continue
        out.append(MatrixRow(sel.path, sel.code.kind, [m.path for m in sel.members], counts))
    return Matrix(rows_of, attribute, count, where, columns, out, left_out)
