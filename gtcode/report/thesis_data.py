"""What the thesis report says, read from the project: the study in numbers, the codebook with counts and
exemplars, the categories with their properties. Plain data; `thesis.py` arranges it into a document.

Every count here is of *confirmed* codings: pending autocoding suggestions are left out until someone
accepts them (the report says how many are waiting). `Scope` carries the `--where` filter, so a report on
the mothers only counts, quotes and plots the mothers' interviews.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from gtcode.errors import InputError
from gtcode.model import integrated_codes

@dataclass
class Scope:
    """The documents a report covers: all, or those a `--where` filter picks."""

    where: list[str]
    clause: str
    params: list
    documents: int        # in scope
    all_documents: int    # in the project

    @property
    def note(self) -> str:
        if not self.where:
            return ""
        return (f"Restricted to {' and '.join(self.where)}: {self.documents} of {self.all_documents} "
                f"interview{'s' if self.all_documents != 1 else ''}.")


def scope(project, where=None) -> Scope:
    """The report's scope; an empty project, or a filter that matches nothing, is an error."""
    from gtcode.scope import parse_where, where_sql

    where = [where] if isinstance(where, str) else list(where or [])
    clause, params = where_sql(project.store, parse_where(where))
    total = project.store.scalar("SELECT count(*) FROM documents") or 0
    if not total:
        raise InputError("nothing to report: the project has no documents yet; import transcripts first "
                         "(gtcode import PATH)")
    n = project.store.scalar(f"SELECT count(*) FROM documents d WHERE {clause}", params) or 0
    if not n:
        raise InputError(f"nothing to report: no documents where {' and '.join(where)}")
    return Scope(where, clause, list(params), n, total)


def participant(case: str | None, document: str) -> str:
    """The pseudonym a quote is credited to: the case (P04), else the document's name."""
    return case or document


def minutes(seconds: float | None) -> str:
    return "" if seconds is None else f"{seconds / 60:.0f}"


# --- the study in numbers ------------------------------------------------------------------------------------

@dataclass
class Interview:
    label: str            # D3
    name: str
    participant: str
    format: str
    words: int
    seconds: float | None  # last timestamp in the transcript, when it has any


@dataclass
class Study:
    interviews: list[Interview]
    participants: int
    attributes: dict[str, dict[str, int]]   # attribute → value → participants
    words: int
    coders: list[tuple[str, int]]           # who coded, confirmed codings each
    first_coded: str | None                 # ISO dates of the first and last confirmed coding
    last_coded: str | None
    confirmed: int
    pending: int
    codes: int
    codes_used: int
    categories: int
    memos: int

    @property
    def timed(self) -> list[Interview]:
        return [i for i in self.interviews if i.seconds is not None]

    @property
    def mean_minutes(self) -> float | None:
        timed = self.timed
        return sum(i.seconds for i in timed) / len(timed) / 60 if timed else None


def study(project, sc: Scope) -> Study:
    from gtcode.scope import natural_key

    store = project.store
    docs = store.all('SELECT d.id, d.name, d.format, d.word_count, d.case_id, c.name AS "case" FROM documents d '
                     f"LEFT JOIN cases c ON c.id = d.case_id WHERE {sc.clause} ORDER BY d.id", sc.params)
    # timed turns only: an untimed document has no end either way, and a large project's turns are millions
    ends = {r[0]: r[1] for r in store.all("SELECT document_id, max(coalesce(time_end, time_start)) FROM turns "
                                          "WHERE coalesce(time_end, time_start) IS NOT NULL GROUP BY document_id")}
    interviews = [Interview(f"D{d['id']}", d["name"], participant(d["case"], d["name"]), d["format"],
                            d["word_count"], ends.get(d["id"])) for d in docs]
    case_ids = {d["case_id"] for d in docs if d["case_id"] is not None}
    attributes: dict[str, dict[str, int]] = {}
    for r in store.all("SELECT a.name, ca.value, ca.case_id FROM case_attributes ca JOIN attributes a "
                       "ON a.id = ca.attribute_id ORDER BY a.id"):
        if r["case_id"] in case_ids:
            values = attributes.setdefault(r["name"], {})
            values[r["value"]] = values.get(r["value"], 0) + 1
    attributes = {k: dict(sorted(v.items(), key=lambda kv: natural_key(kv[0]))) for k, v in attributes.items()}
    # every count of the codings in scope from one pass over them, by coder
    confirmed = pending = 0
    first = last = None
    coders, used = [], set()
    for name, mine, waiting, early, late, codes in store.all(
            "SELECT k.name, count(*) FILTER (WHERE g.status = 'confirmed'), count(*) FILTER (WHERE g.status = "
            "'pending'), min(g.created_at) FILTER (WHERE g.status = 'confirmed'), max(g.created_at) FILTER (WHERE "
            "g.status = 'confirmed'), group_concat(DISTINCT g.code_id) FILTER (WHERE g.status = 'confirmed') FROM "
            "codings g JOIN coders k ON k.id = g.coder_id WHERE g.document_id IN (SELECT d.id FROM documents d WHERE "
            f"{sc.clause}) GROUP BY k.name", sc.params):
        confirmed, pending = confirmed + mine, pending + waiting
        if mine:
            coders.append((name, mine))
            first, last = (early, late) if first is None else (min(first, early), max(last, late))
            used.update(codes.split(","))
    coders.sort(key=lambda c: (-c[1], c[0]))
    return Study(
        interviews, len(case_ids) + sum(1 for d in docs if d["case_id"] is None), attributes,
        sum(d["word_count"] for d in docs), coders, first, last, confirmed, pending,
        store.scalar("SELECT count(*) FROM codes WHERE kind = 'code'") or 0, len(used),
        store.scalar("SELECT count(*) FROM codes WHERE kind = 'category'") or 0,
        store.scalar("SELECT count(*) FROM memos") or 0)


# --- grounding: segments and participants per code -----------------------------------------------------------

class Grounding:
    """Confirmed codings in scope as segments and participants per code, read once for the whole report."""

    def __init__(self, project, sc: Scope):
        from gtcode.documents import touched_segments

        self.tree = project.codes.list()
        # in document order, so the index seeks of touched_segments walk each document's segments once; a
        # coding that touches no segment grounds nothing. Who spoke is looked up by document, not joined per coding.
        plain = project.store.conn.cursor()
        plain.row_factory = None
        who = dict(plain.execute(f"SELECT d.id, coalesce(d.case_id, -d.id) FROM documents d WHERE {sc.clause}",
                                 sc.params).fetchall())
        segments: dict[int, set[int]] = defaultdict(set)    # code → its segments, each as document << 32 | ordinal
        people: dict[int, set[int]] = defaultdict(set)
        for code_id, doc, first, last in plain.execute(
                f"SELECT g.code_id, g.document_id, {touched_segments('g.document_id', 'g.start_char', 'g.end_char')} "
                "FROM codings g WHERE g.status = 'confirmed' AND g.document_id IN (SELECT d.id FROM documents d "
                f"WHERE {sc.clause}) ORDER BY g.document_id, g.start_char", sc.params):
            if first is not None and last is not None and first <= last:
                base = doc << 32
                if first == last:
                    segments[code_id].add(base + first)
                else:
                    segments[code_id].update(range(base + first, base + last + 1))
                people[code_id].add(who[doc])
        self.segments, self.people = dict(segments), dict(people)

    def of(self, code) -> tuple[int, int]:
        """(participants, segments) of a code and everything under it."""
        from gtcode.codes import subtree

        return self.of_ids([c.id for c in subtree(self.tree, code)])

    def of_ids(self, ids) -> tuple[int, int]:
        """(participants, segments) of these codes together."""
        ids = list(ids)
        return (len(set().union(*(self.people.get(i, set()) for i in ids))),
                len(set().union(*(self.segments.get(i, set()) for i in ids))))


# --- the codebook ------------------------------------------------------------------------------------------

@dataclass
class Exemplar:
    text: str
    participant: str
    address: str

    @property
    def credit(self) -> str:
        return f"{self.participant}, {self.address}"


@dataclass
class CodebookRow:
    category: str          # the nearest category's path, '' when none
    code: str              # the code's path below that category
    path: str
    definition: str
    include: str
    exclude: str
    participants: int
    segments: int
    exemplar: Exemplar | None = None
    example: str = ""      # the researcher's own example (codes describe --example)

    @property
    def criteria(self) -> str:
        return "\n".join(f"{label}: {text}" for label, text in (("Include", self.include), ("Exclude", self.exclude),
                                                                ("Example", self.example)) if text.strip())


def exemplars(project, sc: Scope) -> dict[int, Exemplar]:
    """code id → its exemplar, by the one rule in `gtcode.coding` (EXEMPLAR_RULE)."""
    from gtcode.analysis.exemplars import exemplar_per_code
    from gtcode.documents import span_address

    store = project.store
    return {code_id: Exemplar(e.text, participant(e.case, e.document),
                              span_address(store, e.document_id, e.start, e.end))
            for code_id, e in exemplar_per_code(store, sc.clause, sc.params).items()}


def nearest_category(tree, code):
    by_id = {c.id: c for c in tree}
    node = by_id.get(code.parent_id)
    while node is not None and not node.is_category:
        node = by_id.get(node.parent_id)
    return node


def codebook(project, sc: Scope, grounding: Grounding | None = None) -> list[CodebookRow]:
    """Every code (not categories: they have their own section), in code-tree order."""
    grounding = grounding or Grounding(project, sc)
    quotes = exemplars(project, sc)
    rows = []
    for code in grounding.tree:
        if code.is_category:
            continue
        cat = nearest_category(grounding.tree, code)
        name = code.path[len(cat.path) + 1:] if cat is not None else code.path
        people, segments = grounding.of(code)
        rows.append(CodebookRow(cat.path if cat else "", name, code.path, code.description, code.include,
                                code.exclude, people, segments, quotes.get(code.id), code.example))
    return rows


# --- categories ----------------------------------------------------------------------------------------------

@dataclass
class Placement:
    value: str
    participant: str
    address: str


@dataclass
class PropertyView:
    name: str
    low: str
    high: str
    description: str
    placements: list[Placement] = field(default_factory=list)

    @property
    def dimension(self) -> str:
        return f"{self.low} … {self.high}" if self.low or self.high else ""


@dataclass
class CategoryView:
    path: str
    name: str
    definition: str
    core: bool
    codes: list[str]
    participants: int
    segments: int
    properties: list[PropertyView]


def categories(project, sc: Scope, grounding: Grounding | None = None) -> list[CategoryView]:
    """Each category with its codes, grounding, and properties with dimensions and the passages placed on them."""
    from gtcode.documents import span_address

    grounding = grounding or Grounding(project, sc)
    store = project.store
    in_scope = {r[0] for r in store.all(f"SELECT d.id FROM documents d WHERE {sc.clause}", sc.params)}
    out = []
    for cat in (c for c in grounding.tree if c.is_category):
        props = []
        for p in store.all("SELECT * FROM category_properties WHERE code_id = ? ORDER BY id", (cat.id,)):
            view = PropertyView(p["name"], p["low"], p["high"], p["description"])
            for e in store.all('SELECT e.*, d.name, c.name AS "case" FROM property_evidence e JOIN documents d '
                               "ON d.id = e.document_id LEFT JOIN cases c ON c.id = d.case_id "
                               "WHERE e.property_id = ? ORDER BY e.document_id, e.start_char, e.id", (p["id"],)):
                if e["document_id"] in in_scope:
                    view.placements.append(Placement(e["value"], participant(e["case"], e["name"]),
                                                     span_address(store, e["document_id"], e["start_char"],
                                                                  e["end_char"])))
            props.append(view)
        # The core category is grounded in what it integrates (gtcode.model.integrated_codes).
        people, segments = grounding.of_ids(integrated_codes(store, cat)) if cat.core else grounding.of(cat)
        out.append(CategoryView(cat.path, cat.name, cat.description, cat.core,
                                [c.name for c in grounding.tree if c.parent_id == cat.id], people, segments, props))
    return out


# --- the audit summary ---------------------------------------------------------------------------------------

def audit_summary(project) -> dict:
    """Activity counts over the whole project, and who did how much when (from the append-only event log)."""
    from gtcode.report.audit_data import collect_audit

    store = project.store
    report = collect_audit(project, everything=True)
    people = [dict(r) for r in store.all(
        "SELECT k.name AS coder, count(*) AS events, count(DISTINCT e.txn) AS commands, min(e.at) AS first, "
        "max(e.at) AS last FROM events e JOIN coders k ON k.id = e.coder_id GROUP BY k.name "
        "ORDER BY min(e.id)")]
    totals = store.one("SELECT count(*), count(DISTINCT txn), min(at), max(at) FROM events")
    memos = project.memos.list()
    signed = sum(1 for m in memos if m.review == "signed off")
    return {"summary": report.summary, "people": people, "events": totals[0], "commands": totals[1],
            "first": totals[2], "last": totals[3], "memos_signed_off": signed, "memos": len(memos),
            "pending": report.pending_now}
