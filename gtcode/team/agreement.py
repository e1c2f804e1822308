"""Inter-coder agreement: percent agreement, Cohen's kappa and Krippendorff's alpha per code.

The unit of analysis is a segment, a speaker turn or a whole document. For
each code, a coder's value on a unit is 1 if one of their confirmed codings of
that code overlaps the unit, 0 if not. A coder who made no confirmed codings
in a document did not code it: their values there are *missing*, not 0, so a
second coder who double-codes three interviews out of twenty is compared on
those three only. Pending (autocoded, unreviewed) codings never count.

Krippendorff's alpha (nominal) comes from the `krippendorff` package; Cohen's
kappa is computed here (two coders, units both coded) and tested against
published worked examples.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import asdict, dataclass, field

from gtcode.codes import Code, all_codes, resolve_code
from gtcode.errors import InputError
from gtcode.store.db import Store, Txn

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
class Figures:
    """Agreement on one code (or pooled over all codes)."""

    units: int                  # units at least two coders coded (the ones compared)
    agreed: int                 # of those, units where every coder who coded it gave the same value
    percent: float | None
    kappa: float | None         # two coders only
    alpha: float | None
    coded_by: dict[str, int]    # units each coder marked with the code
    note: str = ""              # why a coefficient is undefined

    def to_dict(self) -> dict:
        return asdict(self)


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
class Disagreement:
    address: str
    speaker: str | None
    text: str
    values: dict[str, int | None]   # coder → 1 coded, 0 not coded, None did not code this document
    words: dict[str, list[str]]     # coder → the exact words they coded in the unit

    def to_dict(self) -> dict:
        return asdict(self)


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


def figures(rows, coders: list[str]) -> Figures:
    """Agreement over units: `rows[c][u]` is coder c's value on unit u (None or NaN = did not code)."""
    import numpy as np

    m = _matrix(rows) if len(rows) else np.zeros((0, 0))
    present = ~np.isnan(m)
    pairable = present.sum(axis=0) >= 2
    compared = int(pairable.sum())
    lo = np.where(present, m, np.inf).min(axis=0)
    hi = np.where(present, m, -np.inf).max(axis=0)
    agreed = int((pairable & (lo == hi)).sum())
    coded_by = {c: int((m[i] == 1).sum()) for i, c in enumerate(coders)}
    percent = agreed / compared if compared else None
    kappa = None
    if len(coders) == 2:
        both = present[0] & present[1]
        kappa = cohen_kappa(list(zip(m[0][both].tolist(), m[1][both].tolist())))
    alpha = krippendorff_alpha(m) if compared else None
    note = ""
    if compared == 0:
        note = "no unit was coded by two coders"
    elif alpha is None:
        note = "undefined: every coder gave every unit the same value"
    return Figures(compared, agreed, percent, kappa, alpha, coded_by, note)


# --- units and values from the project ---------------------------------------------------------------------------

def _units(store: Store, unit: str, doc_ids: list[int]) -> list[Unit]:
    if not doc_ids:
        return []
    marks = ",".join("?" * len(doc_ids))
    if unit == "document":
        return [Unit(r["id"], 0, 0, len(r["text"]), f"D{r['id']}")
                for r in store.all(f"SELECT id, text FROM documents WHERE id IN ({marks}) ORDER BY id", doc_ids)]
    if unit == "turn":
        return [Unit(r["document_id"], r["ordinal"], r["body_start"], r["end_char"],
                     f"D{r['document_id']} turn {r['ordinal']}", r["speaker"])
                for r in store.all(f"SELECT document_id, ordinal, body_start, end_char, speaker FROM turns "
                                   f"WHERE document_id IN ({marks}) ORDER BY document_id, ordinal", doc_ids)]
    return [Unit(r["document_id"], r["ordinal"], r["start_char"], r["end_char"],
                 f"D{r['document_id']}:{r['ordinal']}", r["speaker"])
            for r in store.all(f"SELECT s.document_id, s.ordinal, s.start_char, s.end_char, t.speaker FROM segments s "
                               f"JOIN turns t ON t.id = s.turn_id WHERE s.document_id IN ({marks}) "
                               f"ORDER BY s.document_id, s.ordinal", doc_ids)]


class _Selection:
    """The coders, documents, units and codings an agreement run looks at."""

    def __init__(self, store: Store, coders: list[str] | None, codes: list[str] | None, unit: str,
                 where: list[str] | None):
        from gtcode.scope import parse_where, where_sql

        if unit not in UNITS:
            raise InputError(f"--unit {unit!r}: choose segment, turn or document")
        self.unit = unit
        clause, params = where_sql(store, parse_where(where))
        docs = [r["id"] for r in store.all(f"SELECT d.id FROM documents d WHERE {clause}", params)]
        doc_marks = ",".join("?" * len(docs)) or "NULL"
        rows = store.all(
            f"SELECT c.code_id, c.document_id, c.start_char, c.end_char, k.name AS coder FROM codings c "
            f"JOIN coders k ON k.id = c.coder_id WHERE c.status = 'confirmed' AND c.document_id IN ({doc_marks})",
            docs)
        known = sorted({r["coder"] for r in rows})
        if coders:
            lookup = {k.casefold(): k for k in (r["name"] for r in store.all("SELECT name FROM coders"))}
            chosen = []
            for name in coders:
                if name.casefold() not in lookup:
                    from gtcode.errors import did_you_mean
                    raise InputError(f"--coders: no coder {name!r}{did_you_mean(name, list(lookup.values()))}")
                chosen.append(lookup[name.casefold()])
            self.coders = list(dict.fromkeys(chosen))
        else:
            self.coders = known
        if len(self.coders) < 2:
            found = ", ".join(known) or "none"
            raise InputError("agreement needs confirmed codings from at least two coders in the documents chosen; "
                             f"coders found: {found}")
        chosen_set = set(self.coders)
        self.rows = [r for r in rows if r["coder"] in chosen_set]
        self.seen: dict[str, set[int]] = {c: set() for c in self.coders}
        for r in self.rows:
            self.seen[r["coder"]].add(r["document_id"])
        shared = sorted(d for d in docs if sum(d in s for s in self.seen.values()) >= 2)
        self.documents = shared
        self.units = _units(store, unit, shared)
        all_c = all_codes(store)
        if codes:
            self.codes = [resolve_code(store, ref, all_c) for ref in codes]
        else:
            used = {r["code_id"] for r in self.rows if r["document_id"] in set(shared)}
            self.codes = [c for c in all_c if c.id in used]
            self.codes.sort(key=lambda c: c.path.casefold())
        self._base = None
        # code → coder → document → spans
        self.spans: dict[int, dict[str, dict[int, list[tuple[int, int]]]]] = {}
        for r in self.rows:
            self.spans.setdefault(r["code_id"], {}).setdefault(r["coder"], {}).setdefault(
                r["document_id"], []).append((r["start_char"], r["end_char"]))

    def values(self, code: Code):
        """Coder × unit values for one code: 1 coded, 0 not, NaN where the coder did not code the document."""
        import numpy as np

        if self._base is None:
            self._base = np.array([[0.0 if u.document_id in self.seen[c] else np.nan for u in self.units]
                                   for c in self.coders]).reshape(len(self.coders), len(self.units))
            self._starts: dict[int, list[int]] = {}
            self._first: dict[int, int] = {}
            for i, u in enumerate(self.units):
                self._first.setdefault(u.document_id, i)
                self._starts.setdefault(u.document_id, []).append(u.start)
        out = self._base.copy()
        for k, coder in enumerate(self.coders):
            for doc, spans in self.spans.get(code.id, {}).get(coder, {}).items():
                if doc not in self._first:
                    continue
                first, starts = self._first[doc], self._starts[doc]
                for s, e in spans:
                    # units overlapping [s, e): from the last unit starting at or before s, while start < e
                    i = max(bisect_right(starts, s) - 1, 0)
                    while i < len(starts) and starts[i] < e:
                        if self.units[first + i].end > s:
                            out[k, first + i] = 1.0
                        i += 1
        return out


def agreement(store: Store, *, coders: list[str] | None = None, codes: list[str] | None = None,
              unit: str = "segment", where: list[str] | None = None) -> AgreementReport:
    """Agreement per code and pooled over every unit × code decision."""
    sel = _Selection(store, coders, codes, unit, where)
    report = AgreementReport(unit, sel.coders, len(sel.documents),
                             {c: len(sel.seen[c]) for c in sel.coders}, len(sel.units))
    pooled = []
    for code in sel.codes:
        rows = sel.values(code)
        report.codes.append(CodeAgreement(code.path, code.uuid, figures(rows, sel.coders)))
        pooled.append(rows)
    if sel.codes:
        import numpy as np
        report.overall = figures(np.concatenate(pooled, axis=1), sel.coders)
    return report


def disagreements(store: Store, code: str, *, coders: list[str] | None = None, unit: str = "segment",
                  where: list[str] | None = None) -> tuple[list[str], list[Disagreement]]:
    """The units where the coders who coded them differ on `code`, with each coder's coded words."""
    sel = _Selection(store, coders, [code], unit, where)
    target = sel.codes[0]
    rows = sel.values(target)
    texts = {r["id"]: r["text"] for r in store.all(
        f"SELECT id, text FROM documents WHERE id IN ({','.join('?' * len(sel.documents)) or 'NULL'})",
        sel.documents)}
    out = []
    by_coder = sel.spans.get(target.id, {})
    for i, u in enumerate(sel.units):
        vals = {c: None if rows[k][i] != rows[k][i] else int(rows[k][i]) for k, c in enumerate(sel.coders)}
        present = [v for v in vals.values() if v is not None]
        if len(present) < 2 or len(set(present)) == 1:
            continue
        text = texts[u.document_id]
        words = {c: [" ".join(text[max(s, u.start):min(e, u.end)].split())
                     for s, e in sorted(by_coder.get(c, {}).get(u.document_id, ())) if s < u.end and e > u.start]
                 for c in sel.coders}
        out.append(Disagreement(u.address, u.speaker, " ".join(text[u.start:u.end].split()), vals, words))
    return sel.coders, out


def settle(project, txn: Txn, address: str, code: str, keep: bool, coders: list[str] | None = None) -> dict:
    """Record a team's decision on a disputed unit as a normal coding change.

    keep: every coder in the comparison who coded this document gets the code on the unit (a coding
    in *their* set, made by the person settling — the event says who); drop: the code comes off the
    unit in every such coder's set. Afterwards the unit no longer shows as a disagreement.
    """
    from gtcode.coding import add_coding, remove_span, spans_for_addresses

    store = project.store
    target = resolve_code(store, code)
    spans = spans_for_addresses(project, [address])
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
        n = 0
        for s in spans:
            if keep:
                # Only coders who coded this document take part (the others did not see it).
                if not store.scalar("SELECT 1 FROM codings WHERE coder_id = ? AND document_id = ? AND "
                                    "status = 'confirmed' LIMIT 1", (coder_id, s.document_id)):
                    continue
                covered = store.scalar("SELECT 1 FROM codings WHERE coder_id = ? AND document_id = ? AND code_id = ?"
                                       " AND status = 'confirmed' AND start_char < ? AND end_char > ? LIMIT 1",
                                       (coder_id, s.document_id, target.id, s.end, s.start))
                if not covered:
                    add_coding(store, txn, target.id, s.document_id, s.start, s.end, coder_id=coder_id)
                    n += 1
            else:
                n += remove_span(store, target.id, s.document_id, s.start, s.end, coder_id)
        if n:
            changed[name] = n
    labels = ", ".join(s.label for s in spans)
    verb = "kept" if keep else "dropped"
    summary = (f"settled {labels} {target.path!r}: {verb}"
               + (f" ({', '.join(f'{k}: {v}' for k, v in changed.items())})" if changed else " (already so)"))
    txn.record("agreement.settle", summary, target.uuid, code={"uuid": target.uuid, "path": target.path},
               decision=verb, spans=[[s.document_id, s.start, s.end] for s in spans], changed=changed)
    return {"decision": verb, "address": labels, "code": target.path, "changed": changed}

