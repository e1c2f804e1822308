"""Exemplars: one rule, used by `codes show`, the thesis report and every other place that quotes a code.

Of a code's confirmed passages spoken by a participant, the one closest to EXEMPLAR_WORDS words (earliest
document and position on a tie) is its exemplar; more quotes come from other participants where possible.
"""

from __future__ import annotations

import bisect
import itertools
import json
from dataclasses import dataclass

from gtcode.codes import all_codes, resolve_code, subtree
from gtcode.coding import passages
from gtcode.documents import touched_segments
from gtcode.store.db import Store


#: The exemplar rule: the confirmed, participant-spoken passage closest to this many words.
EXEMPLAR_WORDS = 25
#: Longer exemplars are cut to this many words (with an ellipsis), so a table row stays readable.
EXEMPLAR_MAX_WORDS = 60
#: A passage shorter than this (an in-vivo code's own few words) is quoted with the rest of its segment.
EXEMPLAR_MIN_WORDS = 8
EXEMPLAR_RULE = (f"Exemplar: of the code's own confirmed passages spoken by a participant, the one closest to "
                 f"{EXEMPLAR_WORDS} words (earliest document and position on a tie), cut at "
                 f"{EXEMPLAR_MAX_WORDS} words; a passage of fewer than {EXEMPLAR_MIN_WORDS} words (an in-vivo "
                 "code's own words) is quoted with the rest of its segment.")


@dataclass
class Exemplar:
    """A coding chosen as a quote: its words (cut at EXEMPLAR_MAX_WORDS) and where it is."""

    coding_id: int
    code_id: int
    document_id: int
    document: str
    case: str | None
    start: int
    end: int
    text: str


_CODINGS = ("SELECT g.id, g.code_id, g.document_id, g.start_char, g.end_char FROM codings g WHERE g.status = "
            "'confirmed' AND g.document_id IN (SELECT d.id FROM documents d WHERE {where}){codes} "
            "ORDER BY g.document_id")
#: Turns whose words are not a participant's own, in the given documents: a passage touching one is no candidate.
_NOT_SPOKEN = ("SELECT document_id, start_char, end_char FROM turns WHERE document_id IN (SELECT value FROM "
               "json_each(?)) AND (role <> 'participant' OR kind <> 'speech' OR speaker IS NULL) "
               "ORDER BY document_id, start_char")
_TEXTS = "SELECT id, text FROM documents WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id"
_NAMES = ('SELECT d.id, d.name, c.name FROM documents d LEFT JOIN cases c ON c.id = d.case_id '
          "WHERE d.id IN (SELECT value FROM json_each(?))")


def _plain(store: Store):
    cursor = store.conn.cursor()
    cursor.row_factory = None       # plain tuples: a large project has a hundred thousand codings
    return cursor


def _codings(store: Store, code_ids: list[int] | None, where_clause: str, params) -> list[tuple]:
    """(id, code id, document id, start, end) of the confirmed codings in scope, in document order."""
    args = list(params)
    codes = ""
    if code_ids is not None:
        codes = f" AND g.code_id IN ({','.join('?' * len(code_ids))})"
        args.extend(code_ids)
    return _plain(store).execute(_CODINGS.format(where=where_clause, codes=codes), args).fetchall()


def _scored(store: Store, found: list[tuple]):
    """(rank key, row, start, end) of each coding in `found` (in document order), whether or not a participant
    spoke it: its words counted beside its document's text, every text read once in one query (reading the text
    for every coding cost most of a large report); a passage of a few words is widened to its segment(s)."""
    texts = _plain(store).execute(_TEXTS, (json.dumps(list(dict.fromkeys(r[2] for r in found))),))
    for (doc_id, group), (_, text) in zip(itertools.groupby(found, key=lambda r: r[2]), texts):
        for r in group:
            start, end = r[3], r[4]
            words = len(text[start:end].split())
            if words < EXEMPLAR_MIN_WORDS:
                start, end, words = _in_segment(store, text, r)
            yield (abs(words - EXEMPLAR_WORDS), doc_id, r[3], r[0]), r, start, end


class _Voices:
    """The turns of voices other than a participant's speech, by document, read for the documents asked about
    (all at once, or one at a time as the best passages are checked)."""

    def __init__(self, store: Store, doc_ids=()):
        self.store, self.by_doc = store, {}
        self._read(doc_ids)

    def _read(self, doc_ids) -> None:
        turns: dict[int, list] = {d: [] for d in doc_ids}
        for doc_id, start, end in _plain(self.store).execute(_NOT_SPOKEN, (json.dumps(list(turns)),)):
            turns[doc_id].append((start, end))
        for doc_id, found in turns.items():   # starts, and the furthest end among the turns so far
            self.by_doc[doc_id] = ([t[0] for t in found], list(itertools.accumulate((t[1] for t in found), max)))

    def touched(self, doc_id: int, start: int, end: int) -> bool:
        """Does the span touch another voice's turn?"""
        if doc_id not in self.by_doc:
            self._read([doc_id])
        starts, reach = self.by_doc[doc_id]
        before = bisect.bisect_left(starts, end)         # the other voices' turns that start before the end
        return bool(before) and reach[before - 1] > start


def _exemplars(store: Store, chosen: list[tuple]) -> list[Exemplar]:
    """Exemplars of these (rank key, row, start, end), in that order, their words cut at EXEMPLAR_MAX_WORDS."""
    docs = json.dumps(sorted({c[1][2] for c in chosen}))
    names = {r[0]: r[1:] for r in _plain(store).execute(_NAMES, (docs,))}
    texts = dict(_plain(store).execute(_TEXTS, (docs,)).fetchall())
    out = []
    for _, r, start, end in chosen:
        words = texts[r[2]][start:end].split()
        text = " ".join(words[:EXEMPLAR_MAX_WORDS]) + (" …" if len(words) > EXEMPLAR_MAX_WORDS else "")
        out.append(Exemplar(r[0], r[1], r[2], *names[r[2]], start, end, text))
    return out


def _ranked(store: Store, code_ids: list[int] | None, where_clause: str, params) -> list[tuple]:
    """(rank key, row, start, end) of every candidate (a passage touching no turn but a participant's speech),
    best first by the exemplar rule."""
    found = _codings(store, code_ids, where_clause, params)
    voices = _Voices(store, dict.fromkeys(r[2] for r in found))
    return sorted(c for c in _scored(store, found) if not voices.touched(c[1][2], *c[1][3:5]))


def _in_segment(store: Store, text: str, row) -> tuple[int, int, int]:
    """A few coded words widened to the segment(s) they sit in: (start, end, words)."""
    _, _, doc_id, start, end = row
    first, last = store.conn.execute(f"SELECT {touched_segments('?1', '?2', '?3', 'start_char', 'end_char')}",
                                     (doc_id, start, end)).fetchone()
    if first is None or first >= end:      # touches no segment
        return start, end, len(text[start:end].split())
    return first, last, len(text[first:last].split())


def _best_per_code(store: Store, found: list[tuple]) -> dict[int, tuple]:
    """code id → its best (rank key, row, start, end) among `found` (in document order), spoken or not: `_scored`,
    keeping only each code's best as they go by (a large project has a hundred thousand codings)."""
    best: dict[int, tuple] = {}
    for scored in _scored(store, found):
        top = best.get(scored[1][1])
        if top is None or scored[0] < top[0]:
            best[scored[1][1]] = scored
    return best


def exemplar_per_code(store: Store, where_clause: str = "1", params=()) -> dict[int, Exemplar]:
    """code id → its exemplar under the rule (codes without a participant's passage are absent). Each code's
    best passage is found first; only it is checked for other voices (if it fails, the code's passages are
    ranked in full), so the turns of a few documents are read, not a large project's hundreds of thousands of
    interviewer turns."""
    found = _codings(store, None, where_clause, params)
    voices = _Voices(store)
    rows_of: dict[int, list] = {}          # code → its codings, made at the first code whose best fails

    def spoken(c) -> bool:
        return not voices.touched(c[1][2], *c[1][3:5])

    best = []                  # (rank keys are unique, so candidates compare by them alone)
    for code_id, top in _best_per_code(store, found).items():
        if not spoken(top):    # the closest passage takes in another voice: the best of the rest, in order
            if not rows_of:
                for r in found:
                    rows_of.setdefault(r[1], []).append(r)
            top = next((c for c in sorted(_scored(store, rows_of[code_id])) if spoken(c)), None)
        if top is not None:
            best.append(top)
    best.sort()
    return {e.code_id: e for e in _exemplars(store, best)}


def exemplars(store: Store, code_ids: list[int], n: int = 3, where_clause: str = "1", params=()) -> list[Exemplar]:
    """The best `n` under the rule, from different cases where possible; the first is the code's exemplar."""
    ranked = _ranked(store, code_ids, where_clause, params)
    cases = {r[0]: r[2] for r in _plain(store).execute(_NAMES, (json.dumps(sorted({c[1][2] for c in ranked})),))}
    chosen, seen = [], set()
    for c in ranked:
        case = cases[c[1][2]]
        if case not in seen or case is None:
            chosen.append(c)
            seen.add(case)
        if len(chosen) == n:
            return _exemplars(store, chosen)
    return _exemplars(store, chosen + [c for c in ranked if c not in chosen][: n - len(chosen)])


def code_summary(store: Store, ref, by: str | None = None) -> dict:
    """`codes show`: the code, its counts overall and by case attribute, and its exemplars (see EXEMPLAR_RULE)."""
    tree = all_codes(store)
    code = resolve_code(store, ref, tree)
    ids = [c.id for c in subtree(tree, code)]
    found = passages(store, ids)
    by_attr: dict[str, dict[str, dict[str, set]]] = {}
    for p in found:
        for attr, value in p.attributes.items():
            if by and attr.casefold() != by.casefold():
                continue
            slot = by_attr.setdefault(attr, {}).setdefault(value, {"cases": set(), "passages": set()})
            slot["cases"].add(p.case)
            slot["passages"].add(p.id)
    by_id = {p.id: p for p in found}
    quotes = [by_id[e.coding_id] for e in exemplars(store, ids) if e.coding_id in by_id]
    return code.to_dict() | {
        "codings": len(found), "documents": len({p.document_id for p in found}),
        "cases": len({p.case for p in found if p.case}),
        "by_attribute": {a: {v: {"cases": len(s["cases"]), "passages": len(s["passages"])} for v, s in vals.items()}
                         for a, vals in by_attr.items()},
        "exemplars": [p.to_dict() for p in quotes]}
