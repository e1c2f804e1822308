"""Inter-coder agreement: percent agreement, Cohen's kappa and Krippendorff's alpha per code.

The unit of analysis is a segment, a speaker turn or a whole document. For
each code, a coder's value on a unit is 1 if one of their confirmed codings of
that code overlaps the unit, 0 if not. A coder who made no confirmed codings
in a document did not code it: their values there are *missing*, not 0, so a
second coder who double-codes three interviews out of twenty is compared on
those three only. Pending (autocoded, unreviewed) codings never count.

Every figure is a sum over units, so each code's is kept as a `Tally` and the
pooled figure adds them: Krippendorff's nominal alpha from summed coincidences,
computed as the `krippendorff` package computes it (and tested equal to it on
the concatenated matrix), with flat memory however many codes and units.
Cohen's kappa (two coders, units both coded) is tested against published
worked examples.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from gtcode.codes import Code, all_codes, resolve_code
from gtcode.coding import add_coding, remove_span
from gtcode.spans import Span, spans_for_addresses
from gtcode.documents import SegmentIndex, TextUnit, unit_bounds
from gtcode.errors import InputError, did_you_mean
from gtcode.scope import Scope
from gtcode.store.db import Store, Txn
from gtcode.records import Record

UNITS = ("segment", "turn", "document")


@dataclass
class Unit:
    document_id: int
    ordinal: int  # segment or turn number; 0 for a whole document
    start: int
    end: int
    address: str
    speaker: str | None = None


@dataclass
class Figures(Record):
    """Agreement on one code (or pooled over all codes)."""

    units: int                  # units at least two coders coded (the ones compared)
    agreed: int                 # of those, units where every coder who coded it gave the same value
    percent: float | None
    kappa: float | None         # two coders only
    alpha: float | None
    coded_by: dict[str, int]    # units each coder marked with the code
    note: str = ""              # why a coefficient is undefined



@dataclass
class CodeAgreement:
    code: str
    uuid: str
    figures: Figures

    def to_dict(self) -> dict:
        return {"code": self.code, "uuid": self.uuid, **self.figures.to_dict()}


@dataclass
class AgreementReport:
    unit: str
    coders: list[str]
    documents: int                      # documents at least two coders coded
    documents_by_coder: dict[str, int]  # documents each coder coded
    units: int                          # units in those documents
    codes: list[CodeAgreement] = field(default_factory=list)
    overall: Figures | None = None

    def to_dict(self) -> dict:
        return {"unit": self.unit, "coders": self.coders, "documents": self.documents,
                "documents_by_coder": self.documents_by_coder, "units": self.units,
                "overall": self.overall.to_dict() if self.overall else None,
                "codes": [c.to_dict() for c in self.codes]}


@dataclass
class Disagreement(Record):
    address: str
    speaker: str | None
    text: str
    values: dict[str, int | None]   # coder → 1 coded, 0 not coded, None did not code this document
    words: dict[str, list[str]]     # coder → the exact words they coded in the unit



# --- the coefficients --------------------------------------------------------------------------------------------

def cohen_kappa(pairs: list[tuple[object, object]]) -> float | None:
    """Cohen's kappa for two coders' labels on the same units; None when chance agreement is total."""
    n = len(pairs)
    if n == 0:
        return None
    observed = sum(1 for a, b in pairs if a == b) / n
    labels = {x for pair in pairs for x in pair}
    expected = sum((sum(1 for a, _ in pairs if a == k) / n) * (sum(1 for _, b in pairs if b == k) / n)
                   for k in labels)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1 - expected)


def _kappa_arrays(a, b) -> float | None:
    """`cohen_kappa` of two coders' numeric labels as arrays: the same sums, counted by numpy rather than
    by a Python loop over every unit (millions of unit × code decisions on a large project)."""
    import numpy as np

    labels = np.unique(np.concatenate([a, b])).tolist()
    return _kappa_counts(len(a), int((a == b).sum()), {k: int((a == k).sum()) for k in labels},
                         {k: int((b == k).sum()) for k in labels})


def _kappa_counts(n: int, agreed: int, first: dict, second: dict) -> float | None:
    """Cohen's kappa from its counts: units, units agreed on, and label → units for each coder."""
    if n == 0:
        return None
    observed = agreed / n
    expected = sum((first.get(k, 0) / n) * (second.get(k, 0) / n)
                   for k in sorted(k for k in {*first, *second} if first.get(k, 0) or second.get(k, 0)))
    if expected >= 1.0:
        return None
    return (observed - expected) / (1 - expected)


def krippendorff_alpha(data) -> float | None:
    """Nominal alpha for coders × units (None or NaN = missing); None when it is undefined (one value only)."""
    import krippendorff
    import numpy as np

    matrix = _matrix(data)
    values = np.unique(matrix[~np.isnan(matrix)])
    if len(values) < 2:
        return None
    pairable = (~np.isnan(matrix)).sum(axis=0) >= 2
    if not pairable.any():
        return None
    return float(krippendorff.alpha(reliability_data=matrix[:, pairable], level_of_measurement="nominal",
                                    value_domain=list(values)))


def _matrix(data):
    """Coders × units as a float array with NaN for missing; labels other than numbers are numbered."""
    import numpy as np

    if isinstance(data, np.ndarray):
        return data.astype(float)
    labels = sorted({v for row in data for v in row if v is not None}, key=repr)
    numeric = all(isinstance(v, (int, float)) for v in labels)
    index = {v: (float(v) if numeric else float(i)) for i, v in enumerate(labels)}
    return np.array([[np.nan if v is None else index[v] for v in row] for row in data], dtype=float)


class Tally:
    """What agreement over some units adds up to. Every figure is a sum over units (units compared and agreed,
    coder marks, kappa's counts, Krippendorff's coincidences), so tallies add and subtract: codes pool by adding
    theirs, and a code's tally is the all-zero tally with the units it touches swapped in, never a units ×
    codes matrix."""

    def __init__(self, coders: int):
        self.compared = self.agreed = self.pairs = self.pairs_agreed = 0
        self.coded = [0] * coders
        self.entries: dict[float, int] = {}                 # value → times given (alpha's value domain)
        self.first: dict[float, int] = {}                   # value → units, first / second coder, both coded
        self.second: dict[float, int] = {}
        self.o: dict[tuple[float, float], float] = {}       # Krippendorff's coincidences over pairable units

    @classmethod
    def of(cls, m) -> Tally:
        """The tally of a coders × units matrix (NaN = did not code)."""
        import numpy as np

        t = cls(m.shape[0])
        present = ~np.isnan(m)
        counts = present.sum(axis=0)
        pairable = counts >= 2
        t.compared = int(pairable.sum())
        lo = np.where(present, m, np.inf).min(axis=0)
        hi = np.where(present, m, -np.inf).max(axis=0)
        t.agreed = int((pairable & (lo == hi)).sum())
        t.coded = [int(n) for n in (m == 1).sum(axis=1)]
        values = np.unique(m[present]).tolist()
        t.entries = {v: int((m == v).sum()) for v in values}
        if m.shape[0] == 2:
            both = present[0] & present[1]
            a, b = m[0][both], m[1][both]
            t.pairs, t.pairs_agreed = len(a), int((a == b).sum())
            t.first = {v: int((a == v).sum()) for v in values}
            t.second = {v: int((b == v).sum()) for v in values}
        given = {v: (m[:, pairable] == v).sum(axis=0) for v in values}
        less = counts[pairable] - 1
        for v in values:        # as krippendorff sums them: each unit's pairs over (its values - 1)
            for w in values:
                pairs = given[v] * given[w] - (given[v] if v == w else 0)
                t.o[(v, w)] = float(np.divide(pairs, less, dtype=float).sum())
        return t

    def _combine(self, other: Tally, sign: int) -> Tally:
        out = Tally(len(self.coded))
        for name in ("compared", "agreed", "pairs", "pairs_agreed"):
            setattr(out, name, getattr(self, name) + sign * getattr(other, name))
        out.coded = [a + sign * b for a, b in zip(self.coded, other.coded)]
        for name in ("entries", "first", "second", "o"):
            mine, theirs = getattr(self, name), getattr(other, name)
            setattr(out, name, {k: mine.get(k, 0) + sign * theirs.get(k, 0) for k in {*mine, *theirs}})
        return out

    def __add__(self, other: Tally) -> Tally:
        return self._combine(other, 1)

    def __sub__(self, other: Tally) -> Tally:
        return self._combine(other, -1)

    def alpha(self) -> float | None:
        """Nominal alpha from the coincidences, computed as krippendorff computes it; None when undefined."""
        import numpy as np

        domain = sorted(v for v, n in self.entries.items() if n)
        if len(domain) < 2 or not self.compared:
            return None
        o = np.array([[self.o.get((v, w), 0.0) for w in domain] for v in domain])
        n_v = o.sum(axis=0)
        e = np.divide(np.outer(n_v, n_v) - np.diagflat(n_v), n_v.sum() - 1, dtype=float)
        d = (np.array(domain)[:, None] != np.array(domain)[None, :]).astype(float)
        return float(1 - (o * d).sum() / (e * d).sum())

    def figures(self, coders: list[str]) -> Figures:
        percent = self.agreed / self.compared if self.compared else None
        kappa = (_kappa_counts(self.pairs, self.pairs_agreed, self.first, self.second)
                 if len(coders) == 2 else None)
        alpha = self.alpha()
        note = ""
        if self.compared == 0:
            note = "no unit was coded by two coders"
        elif alpha is None:
            note = "undefined: every coder gave every unit the same value"
        return Figures(self.compared, self.agreed, percent, kappa, alpha, dict(zip(coders, self.coded)), note)


def figures(rows, coders: list[str]) -> Figures:
    """Agreement over units: `rows[c][u]` is coder c's value on unit u (None or NaN = did not code)."""
    import numpy as np

    return Tally.of(_matrix(rows) if len(rows) else np.zeros((len(coders), 0))).figures(coders)


# --- units and values from the project ---------------------------------------------------------------------------

def _unit(u: TextUnit, unit: str) -> Unit:
    """A segment, a turn (its speech, after the speaker's label) or a document, addressed as agreement shows it."""
    d = u.document_id
    address = {"segment": f"D{d}:{u.ordinal}", "turn": f"D{d} turn {u.ordinal}"}.get(unit, f"D{d}")
    return Unit(d, u.ordinal, u.body_start, u.end, address, u.speaker)


def _confirmed_codings(store: Store, doc_ids: list[int], pending_of: list[str] = ()) -> list:
    """Confirmed codings in these documents, and the pending ones of the coders `pending_of` names (a
    suggester such as gtcode-suggest, compared with a person before anyone reviews its suggestions)."""
    pending = (f" OR (c.status = 'pending' AND k.name IN ({','.join('?' * len(pending_of))}))"
               if pending_of else "")
    return store.all(
        f"SELECT c.code_id, c.document_id, c.start_char, c.end_char, k.name AS coder FROM codings c "
        f"JOIN coders k ON k.id = c.coder_id WHERE (c.status = 'confirmed'{pending}) AND c.document_id IN "
        f"({','.join('?' * len(doc_ids)) or 'NULL'})", [*pending_of, *doc_ids])


def _named_coders(store: Store, names: list[str]) -> list[str]:
    """`--coders` as stored, matched case-insensitively, each once; an unknown name raises."""
    lookup = {k.casefold(): k for k in (r["name"] for r in store.all("SELECT name FROM coders"))}
    chosen = []
    for name in names:
        if name.casefold() not in lookup:
            raise InputError(f"--coders: no coder {name!r}{did_you_mean(name, list(lookup.values()))}")
        chosen.append(lookup[name.casefold()])
    return list(dict.fromkeys(chosen))


class _Comparison:
    """The coders, documents, units and codings an agreement run compares.

    Units are numbered across the documents compared, in order; what is kept of them is only where each
    document's start and which units each coder marked with each code, so memory stays flat in the size of
    the project (one document's units are read at a time)."""

    def __init__(self, store: Store, coders: list[str] | None, codes: list[str] | None, unit: str,
                 where: list[str] | None, pending_of: list[str] | None = None):
        if unit not in UNITS:
            raise InputError(f"--unit {unit!r}: choose segment, turn or document")
        self.unit = unit
        docs = Scope.from_where(store, where).doc_ids(store)
        rows = _confirmed_codings(store, docs, _named_coders(store, pending_of) if pending_of else [])
        known = sorted({r["coder"] for r in rows})
        self.coders = _named_coders(store, coders) if coders else known
        if len(self.coders) < 2:
            found = ", ".join(known) or "none"
            raise InputError("agreement needs confirmed codings from at least two coders in the documents chosen; "
                             f"coders found: {found}")
        chosen_set = set(self.coders)
        self.rows = [r for r in rows if r["coder"] in chosen_set]
        self.seen: dict[str, set[int]] = {c: set() for c in self.coders}
        for r in self.rows:
            self.seen[r["coder"]].add(r["document_id"])
        self.documents = sorted(d for d in docs if sum(d in s for s in self.seen.values()) >= 2)
        self.codes = self._codes(store, codes)
        self.index = SegmentIndex(store)
        self._place(store)
        self._base = self._base_tally = None

    def _place(self, store: Store) -> None:
        """Number every unit; `marked[code id][k]`: positions of the units coder k marked with the code."""
        wanted, coder_at = {c.id for c in self.codes}, {c: k for k, c in enumerate(self.coders)}
        spans: dict[int, dict[tuple[int, int], list[tuple[int, int]]]] = {}   # document → (code, coder) → spans
        for r in self.rows:
            if r["code_id"] in wanted:
                spans.setdefault(r["document_id"], {}).setdefault(
                    (r["code_id"], coder_at[r["coder"]]), []).append((r["start_char"], r["end_char"]))
        self.starts: list[int] = []      # position of each compared document's first unit
        self.marked: dict[int, list[list[int]]] = {c.id: [[] for _ in self.coders] for c in self.codes}
        bounds = unit_bounds(store, self.documents, self.unit)
        total, ahead = 0, next(bounds, None)
        for doc in self.documents:
            self.starts.append(total)
            if ahead is None or ahead[0] != doc:
                continue                                  # a document without units
            _, starts, ends, bodies = ahead
            for (code_id, k), found in spans.get(doc, {}).items():
                # the units a span overlaps, as SegmentIndex.units_at finds them; a turn counts from its speech
                self.marked[code_id][k] += [
                    total + i for s, e in found
                    for i in (range(len(starts)) if self.unit == "document" else
                              range(bisect.bisect_right(ends, s), bisect.bisect_left(starts, e)))
                    if bodies[i] < e]
            total += len(starts)
            ahead = next(bounds, None)
        self.count = total

    def _codes(self, store: Store, refs: list[str] | None) -> list[Code]:
        """The codes named, or every code used in the documents compared, by path."""
        tree = all_codes(store)
        if refs:
            return [resolve_code(store, ref, tree) for ref in refs]
        shared = set(self.documents)
        used = {r["code_id"] for r in self.rows if r["document_id"] in shared}
        return sorted((c for c in tree if c.id in used), key=lambda c: c.path.casefold())

    def base(self):
        """Coder × unit values before any code: 0 where the coder coded the document, NaN where not."""
        import numpy as np

        if self._base is None:
            self._base = np.full((len(self.coders), self.count), np.nan)
            ends = [*self.starts[1:], self.count]
            for k, coder in enumerate(self.coders):
                for doc, start, end in zip(self.documents, self.starts, ends):
                    if doc in self.seen[coder]:
                        self._base[k, start:end] = 0.0
        return self._base

    def values(self, code: Code):
        """Coder × unit values for one code: 1 coded, 0 not, NaN where the coder did not code the document."""
        out = self.base().copy()
        for k, positions in enumerate(self.marked[code.id]):
            out[k, positions] = 1.0
        return out

    def tally(self, code: Code) -> Tally:
        """The code's tally: the all-zero one with the units the code touches swapped in (`values`, summed)."""
        import numpy as np

        base = self.base()
        if self._base_tally is None:
            self._base_tally = Tally.of(base)
        marked = self.marked[code.id]
        touched = np.unique(np.array([p for positions in marked for p in positions], dtype=np.int64))
        before = base[:, touched]
        after = before.copy()
        for k, positions in enumerate(marked):
            after[k, np.searchsorted(touched, positions)] = 1.0
        return self._base_tally - Tally.of(before) + Tally.of(after)

    def unit_at(self, position: int) -> Unit:
        """The unit numbered `position`."""
        at = bisect.bisect_right(self.starts, position) - 1
        doc = self.documents[at]
        return _unit(self.index.units(doc, self.unit)[position - self.starts[at]], self.unit)


def agreement(store: Store, *, coders: list[str] | None = None, codes: list[str] | None = None,
              unit: str = "segment", where: list[str] | None = None,
              pending_of: list[str] | None = None) -> AgreementReport:
    """Agreement per code and pooled over every unit × code decision (by adding the codes' tallies);
    `pending_of`: coders whose pending codings count too (how well a suggester agrees with a person)."""
    sel = _Comparison(store, coders, codes, unit, where, pending_of)
    report = AgreementReport(unit, sel.coders, len(sel.documents),
                             {c: len(sel.seen[c]) for c in sel.coders}, sel.count)
    pooled = Tally(len(sel.coders))
    for code in sel.codes:
        tally = sel.tally(code)
        report.codes.append(CodeAgreement(code.path, code.uuid, tally.figures(sel.coders)))
        pooled += tally
    if sel.codes:
        report.overall = pooled.figures(sel.coders)
    return report


def disagreements(store: Store, code: str, *, coders: list[str] | None = None, unit: str = "segment",
                  where: list[str] | None = None) -> tuple[list[str], list[Disagreement]]:
    """The units where the coders who coded them differ on `code`, with each coder's coded words."""
    import numpy as np

    sel = _Comparison(store, coders, [code], unit, where)
    target = sel.codes[0]
    rows = sel.values(target)
    present = ~np.isnan(rows)
    lo = np.where(present, rows, np.inf).min(axis=0)
    hi = np.where(present, rows, -np.inf).max(axis=0)
    out = []
    by_coder: dict[str, dict[int, list[tuple[int, int]]]] = {}
    for r in sel.rows:
        if r["code_id"] == target.id:
            spans = by_coder.setdefault(r["coder"], {}).setdefault(r["document_id"], [])
            spans.append((r["start_char"], r["end_char"]))
    for i in np.flatnonzero((present.sum(axis=0) >= 2) & (lo != hi)).tolist():
        u = sel.unit_at(i)
        vals = {c: None if rows[k][i] != rows[k][i] else int(rows[k][i]) for k, c in enumerate(sel.coders)}
        text = sel.index.text(u.document_id)
        words = {c: [" ".join(text[max(s, u.start):min(e, u.end)].split())
                     for s, e in sorted(by_coder.get(c, {}).get(u.document_id, ())) if s < u.end and e > u.start]
                 for c in sel.coders}
        out.append(Disagreement(u.address, u.speaker, " ".join(text[u.start:u.end].split()), vals, words))
    return sel.coders, out


def settle(store: Store, txn: Txn, address: str, code: str, keep: bool, coders: list[str] | None = None) -> dict:
    """Record a team's decision on a disputed unit as a normal coding change.

    keep: every coder in the comparison who coded this document gets the code on the unit (a coding
    in *their* set, made by the person settling — the event says who); drop: the code comes off the
    unit in every such coder's set. Afterwards the unit no longer shows as a disagreement.
    """
    target = resolve_code(store, code)
    spans = spans_for_addresses(store, [address])
    doc_ids = sorted({s.document_id for s in spans})
    names = coders or [r["name"] for r in store.all(
        f"SELECT DISTINCT k.name FROM codings c JOIN coders k ON k.id = c.coder_id WHERE c.status = 'confirmed' "
        f"AND c.document_id IN ({','.join('?' * len(doc_ids))}) ORDER BY k.name", doc_ids)]
    ids = {r["name"].casefold(): (r["id"], r["name"]) for r in store.all("SELECT id, name FROM coders")}
    chosen = []
    for name in names:
        if name.casefold() not in ids:
            raise InputError(f"--coders: no coder {name!r}")
        chosen.append(ids[name.casefold()])
    changed = {}
    for coder_id, name in chosen:
        n = sum(_settle_span(store, txn, target, s, coder_id, keep) for s in spans)
        if n:
            changed[name] = n
    labels = ", ".join(s.label for s in spans)
    verb = "kept" if keep else "dropped"
    summary = (f"settled {labels} {target.path!r}: {verb}"
               + (f" ({', '.join(f'{k}: {v}' for k, v in changed.items())})" if changed else " (already so)"))
    txn.record("agreement.settle", summary, target.uuid, code={"uuid": target.uuid, "path": target.path},
               decision=verb, spans=[[s.document_id, s.start, s.end] for s in spans], changed=changed)
    return {"decision": verb, "address": labels, "code": target.path, "changed": changed}


def _settle_span(store: Store, txn: Txn, target: Code, s: Span, coder_id: int, keep: bool) -> int:
    """One coder's set on one span: the code added (keep) or taken off (drop); how many codings changed."""
    if not keep:
        return remove_span(store, target.id, s.document_id, s.start, s.end, coder_id)
    # Only coders who coded this document take part (the others did not see it).
    if not store.scalar("SELECT 1 FROM codings WHERE coder_id = ? AND document_id = ? AND status = 'confirmed' "
                        "LIMIT 1", (coder_id, s.document_id)):
        return 0
    covered = store.scalar("SELECT 1 FROM codings WHERE coder_id = ? AND document_id = ? AND code_id = ?"
                           " AND status = 'confirmed' AND start_char < ? AND end_char > ? LIMIT 1",
                           (coder_id, s.document_id, target.id, s.end, s.start))
    if covered:
        return 0
    add_coding(store, txn, target.id, s.document_id, s.start, s.end, coder_id=coder_id)
    return 1
