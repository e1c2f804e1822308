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


_CANDIDATES = ('SELECT g.id, g.code_id, g.document_id, g.start_char, g.end_char, d.name, c.name AS "case" '
               "FROM codings g JOIN documents d ON d.id = g.document_id LEFT JOIN cases c ON c.id = d.case_id "
               "WHERE g.status = 'confirmed' AND {where}{codes} ORDER BY g.document_id")
#: Turns whose words are not a participant's own, in the given documents: a passage touching one is no candidate.
_NOT_SPOKEN = ("SELECT document_id, start_char, end_char FROM turns WHERE document_id IN (SELECT value FROM "
               "json_each(?)) AND (role <> 'participant' OR kind <> 'speech' OR speaker IS NULL) "
               "ORDER BY document_id, start_char")
_TEXTS = "SELECT id, text FROM documents WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id"


def _candidates(store: Store, code_ids: list[int] | None, where_clause: str, params):
    """(rank key, words, row, start, end) of every candidate: a confirmed passage that touches no turn other than
    a participant's speech. One pass over the codings in document order beside their documents' texts and
    turns, each read once in one query (reading the text for every coding cost most of a large report)."""
    args = list(params)
    codes = ""
    if code_ids is not None:
        codes = f" AND g.code_id IN ({','.join('?' * len(code_ids))})"
        args.extend(code_ids)
    plain = store.conn.cursor()
    plain.row_factory = None
    found = plain.execute(_CANDIDATES.format(where=where_clause, codes=codes), args).fetchall()
    docs = json.dumps(list(dict.fromkeys(r[2] for r in found)))
    other: dict[int, list] = {}
    for doc_id, start, end in plain.execute(_NOT_SPOKEN, (docs,)).fetchall():
        other.setdefault(doc_id, []).append((start, end))
    texts = store.conn.cursor()
    texts.row_factory = None
    texts.execute(_TEXTS, (docs,))
    for (doc_id, group), (_, text) in zip(itertools.groupby(found, key=lambda r: r[2]), texts):
        turns = other.get(doc_id, [])
        starts = [t[0] for t in turns]
        reach = list(itertools.accumulate((t[1] for t in turns), max))   # furthest end among turns so far
        segments = None
        for r in group:
            start, end = r[3], r[4]
            before = bisect.bisect_left(starts, end)         # the other voices' turns that start before the end
            if before and reach[before - 1] > start:
                continue
            words = text[start:end].split()
            if len(words) < EXEMPLAR_MIN_WORDS:
                if segments is None:
                    segments = store.conn.execute("SELECT start_char, end_char FROM segments WHERE document_id = ?",
                                                  (doc_id,)).fetchall()
                start, end, words = _in_segment(segments, text, start, end, words)
            yield (abs(len(words) - EXEMPLAR_WORDS), doc_id, r[3], r[0]), words, r, start, end


def _exemplar(words: list[str], r, start: int, end: int) -> Exemplar:
    text = " ".join(words[:EXEMPLAR_MAX_WORDS]) + (" …" if len(words) > EXEMPLAR_MAX_WORDS else "")
    return Exemplar(r[0], r[1], r[2], r[5], r[6], start, end, text)


def _ranked_exemplars(store: Store, code_ids: list[int] | None, where_clause: str, params) -> list[Exemplar]:
    """Every candidate, best first by the exemplar rule."""
    ranked = sorted(_candidates(store, code_ids, where_clause, params), key=lambda c: c[0])
    return [_exemplar(*c[1:]) for c in ranked]


def _in_segment(segments, text: str, start: int, end: int, words: list[str]):
    """A few coded words widened to the segment(s) they sit in: (start, end, words). `segments`: the document's
    (start, end) pairs."""
    touched = [s for s in segments if s[0] < end and s[1] > start]
    if not touched:
        return start, end, words
    first, last = min(s[0] for s in touched), max(s[1] for s in touched)
    return first, last, text[first:last].split()


def exemplar_per_code(store: Store, where_clause: str = "1", params=()) -> dict[int, Exemplar]:
    """code id → its exemplar under the rule (codes without a participant's passage are absent): the best
    candidate of each code kept in one pass, no sort of them all."""
    best: dict[int, tuple] = {}
    for c in _candidates(store, None, where_clause, params):
        code_id = c[2][1]
        if code_id not in best or c[0] < best[code_id][0]:
            best[code_id] = c
    return {code_id: _exemplar(*c[1:]) for code_id, c in sorted(best.items(), key=lambda kv: kv[1][0])}


def exemplars(store: Store, code_ids: list[int], n: int = 3, where_clause: str = "1", params=()) -> list[Exemplar]:
    """The best `n` under the rule, from different cases where possible; the first is the code's exemplar."""
    ranked = _ranked_exemplars(store, code_ids, where_clause, params)
    chosen, seen = [], set()
    for e in ranked:
        if e.case not in seen or e.case is None:
            chosen.append(e)
            seen.add(e.case)
        if len(chosen) == n:
            return chosen
    return chosen + [e for e in ranked if e not in chosen][: n - len(chosen)]


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
