"""The passages assistance reads: participants' own words, as segments or whole turns, with the codes on them.

Only `participant_speech` counts (no interviewer, other voices, front matter or quoted material). A passage's
codes are the *confirmed* codings that overlap it: a person's, or a suggestion a person accepted. Pending ones
(waiting for review) never teach the suggester, so it cannot learn from its own unreviewed guesses.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from gtcode.documents import participant_speech
from gtcode.errors import InputError
from gtcode.scope import Scope
from gtcode.store.db import Store

UNITS = ("segment", "turn")


@dataclass
class Passage:
    """Participant words: where they are (`start`/`end` are offsets into the document's text) and their codes."""

    document_id: int
    document: str
    address: str
    start: int
    end: int
    text: str
    speaker: str | None
    codes: list[str] = field(default_factory=list)     # confirmed codes, by path
    pending: list[str] = field(default_factory=list)   # codes suggested and waiting for review
    segment: int | None = None                          # the segment's id when the passage is one segment

    @property
    def coded(self) -> bool:
        return bool(self.codes)

    def to_dict(self) -> dict:
        return {"address": self.address, "document": self.document, "start": self.start, "end": self.end,
                "speaker": self.speaker, "text": self.text, "codes": self.codes}


def check_unit(unit: str) -> str:
    if unit not in UNITS:
        raise InputError(f"--unit {unit!r}: expected one of {', '.join(UNITS)}")
    return unit


def load_passages(store: Store, unit: str = "segment", where=None, doc_ids: list[int] | None = None, *,
                  codes: bool = True) -> list[Passage]:
    """Every participant passage in scope (`--where`, or the documents named), in document order; with `codes`,
    each with the codes on it (`attach_codes`)."""
    check_unit(unit)
    scope = Scope.from_where(store, where)
    sql = ("SELECT s.id, s.document_id, d.name, s.ordinal, s.start_char, s.end_char, s.turn_id, t.speaker"
           " FROM segments s JOIN turns t ON t.id = s.turn_id JOIN documents d ON d.id = s.document_id"
           f" WHERE ({scope.clause}) AND {participant_speech('t')}")
    params = list(scope.params)
    if doc_ids is not None:
        sql += f" AND s.document_id IN ({','.join('?' * len(doc_ids))})"
        params.extend(doc_ids)
    rows = store.all(sql + " ORDER BY s.document_id, s.ordinal", params)
    groups: list[list] = []
    for r in rows:
        same_turn = unit == "turn" and groups and groups[-1][-1]["turn_id"] == r["turn_id"]
        if same_turn:
            groups[-1].append(r)
        else:
            groups.append([r])
    texts: dict[int, str] = {}
    out = []
    for g in groups:
        first, last = g[0], g[-1]
        doc_id = first["document_id"]
        if doc_id not in texts:
            texts[doc_id] = store.scalar("SELECT text FROM documents WHERE id = ?", (doc_id,))
        ordinals = f"{first['ordinal']}" + (f"-{last['ordinal']}" if last is not first else "")
        out.append(Passage(doc_id, first["name"], f"D{doc_id}:{ordinals}", first["start_char"], last["end_char"],
                           texts[doc_id][first["start_char"]:last["end_char"]], first["speaker"],
                           segment=first["id"] if last is first else None))
    if codes:
        attach_codes(store, out)
    return out


def attach_codes(store: Store, passages: list[Passage]) -> None:
    """Fill each passage's `codes` (confirmed) and `pending` (awaiting review) from overlapping codings."""
    from bisect import bisect_left

    from gtcode.codes import all_codes

    paths = {c.id: c.path for c in all_codes(store)}
    docs = sorted({p.document_id for p in passages})
    by_doc: dict[int, list[tuple]] = {}
    for r in store.all("SELECT g.document_id, g.start_char, g.end_char, g.status = 'pending', g.code_id"
                       " FROM codings g WHERE g.document_id IN"
                       " (SELECT value FROM json_each(?)) ORDER BY g.start_char", (json.dumps(docs),)):
        by_doc.setdefault(r[0], []).append((r[1], r[2], r[3], paths[r[4]]))
    spans = {d: (rows, [r[0] for r in rows], max(r[1] - r[0] for r in rows)) for d, rows in by_doc.items()}
    for p in passages:
        codes, pending = set(), set()
        rows, starts, longest = spans.get(p.document_id, ((), [], 0))
        for start, end, is_pending, path in rows[bisect_left(starts, p.start - longest):bisect_left(starts, p.end)]:
            if end > p.start:
                (pending if is_pending else codes).add(path)
        p.codes, p.pending = sorted(codes), sorted(pending)


def segment_passages(store: Store, ids: list[int]) -> list[Passage]:
    """The passages of these segments, in the order given, with their codes (a few, read after ranking)."""
    rows = {r["id"]: r for r in store.all(
        "SELECT s.id, s.document_id, d.name, s.ordinal, s.start_char, s.end_char, t.speaker,"
        " substr(d.text, s.start_char + 1, s.end_char - s.start_char) AS text FROM segments s"
        " JOIN turns t ON t.id = s.turn_id JOIN documents d ON d.id = s.document_id"
        " WHERE s.id IN (SELECT value FROM json_each(?))", (json.dumps(list(ids)),))}
    out = [Passage(r["document_id"], r["name"], f"D{r['document_id']}:{r['ordinal']}", r["start_char"],
                   r["end_char"], r["text"], r["speaker"], segment=r["id"]) for r in (rows[i] for i in ids)]
    attach_codes(store, out)
    return out


def passage_at(store: Store, address: str) -> Passage:
    """The passage an address names (one segment or a contiguous range), with its codes."""
    from gtcode.spans import spans_for_addresses

    spans = spans_for_addresses(store, [address])
    if len(spans) != 1:
        raise InputError(f"{address}: name one segment or one contiguous range, e.g. D3:17 or D3:17-19")
    span = spans[0]
    row = store.one("SELECT name, text FROM documents WHERE id = ?", (span.document_id,))
    speaker = store.scalar("SELECT t.speaker FROM segments s JOIN turns t ON t.id = s.turn_id"
                           " WHERE s.document_id = ? AND s.start_char = ?", (span.document_id, span.start))
    segment = store.scalar("SELECT id FROM segments WHERE document_id = ? AND start_char = ? AND end_char = ?",
                           (span.document_id, span.start, span.end))
    p = Passage(span.document_id, row["name"], span.label, span.start, span.end, row["text"][span.start:span.end],
                speaker, segment=segment)
    attach_codes(store, [p])
    return p
