"""Exemplars: one rule, used by `codes show`, the thesis report and every other place that quotes a code.

Of a code's confirmed passages spoken by a participant, the one closest to EXEMPLAR_WORDS words (earliest
document and position on a tie) is its exemplar; more quotes come from other participants where possible.
"""

from __future__ import annotations

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


def _ranked_exemplars(store: Store, code_ids: list[int] | None, where_clause: str, params) -> list[Exemplar]:
    """Every candidate, best first by the exemplar rule."""
    sql = ('SELECT g.id, g.code_id, g.document_id, g.start_char, g.end_char, d.name, c.name AS "case", '
           "substr(d.text, g.start_char + 1, g.end_char - g.start_char) AS text "
           "FROM codings g JOIN documents d ON d.id = g.document_id LEFT JOIN cases c ON c.id = d.case_id "
           f"WHERE g.status = 'confirmed' AND {where_clause} AND NOT EXISTS (SELECT 1 FROM turns t WHERE "
           "t.document_id = g.document_id AND t.start_char < g.end_char AND t.end_char > g.start_char AND "
           "(t.role <> 'participant' OR t.kind <> 'speech' OR t.speaker IS NULL))")
    args = list(params)
    if code_ids is not None:
        sql += f" AND g.code_id IN ({','.join('?' * len(code_ids))})"
        args.extend(code_ids)
    ranked = []
    for r in store.all(sql, args):
        start, end, words = r["start_char"], r["end_char"], r["text"].split()
        if len(words) < EXEMPLAR_MIN_WORDS:
            start, end, words = _in_segment(store, r["document_id"], start, end, words)
        text = " ".join(words[:EXEMPLAR_MAX_WORDS]) + (" …" if len(words) > EXEMPLAR_MAX_WORDS else "")
        key = (abs(len(words) - EXEMPLAR_WORDS), r["document_id"], r["start_char"], r["id"])
        ranked.append((key, Exemplar(r["id"], r["code_id"], r["document_id"], r["name"], r["case"], start, end,
                                     text)))
    return [e for _, e in sorted(ranked, key=lambda pair: pair[0])]


def _in_segment(store: Store, document_id: int, start: int, end: int, words: list[str]):
    """A few coded words widened to the segment(s) they sit in: (start, end, words)."""
    row = store.one("SELECT min(s.start_char), max(s.end_char), d.text FROM segments s JOIN documents d "
                    "ON d.id = s.document_id WHERE s.document_id = ? AND s.start_char < ? AND s.end_char > ?",
                    (document_id, end, start))
    if row is None or row[0] is None:
        return start, end, words
    return row[0], row[1], row[2][row[0]:row[1]].split()


def exemplar_per_code(store: Store, where_clause: str = "1", params=()) -> dict[int, Exemplar]:
    """code id → its exemplar under the rule (codes without a participant's passage are absent)."""
    best: dict[int, Exemplar] = {}
    for e in _ranked_exemplars(store, None, where_clause, params):
        best.setdefault(e.code_id, e)
    return best


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
