"""Anchors: everything that points at words of a transcript, carried onto the same words when its text changes.

An anchor is a span [start, end) of a document's text held by a coding (confirmed or pending), a rejected
suggestion, a memo's link to a passage, a relation's evidence, or a property placement (a memo's link to the
whole document holds no words, but is listed with them when the document itself is deleted). When a document's
text is replaced, `plan` diffs the old text against the new one (Google's diff-match-patch, over word tokens)
and moves every anchor whose words survive untouched onto them; an anchor whose words were changed or deleted
is *broken*, and the caller refuses the change with the list, or drops those anchors when the researcher says
`--force`.

This module is the one place that rewrites the offsets of anchored rows after they were made; the rows
themselves belong to their nouns (coding, memos, model).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gtcode.store.db import Store
from gtcode.records import Record

#: kind → (table, SQL selecting its anchors in one document: id, start, end, who, what)
_SOURCES = {
    "coding": ("codings", """
        SELECT g.id, g.code_id AS owner, g.start_char, g.end_char, k.name AS who,
               c.name || CASE WHEN g.status = 'pending' THEN ' (pending)' ELSE '' END AS what
        FROM codings g JOIN codes c ON c.id = g.code_id JOIN coders k ON k.id = g.coder_id
        WHERE g.document_id = :doc"""),
    "memo link": ("memo_links", """
        SELECT l.id, l.memo_id AS owner, l.start_char, l.end_char, k.name AS who, 'memo #' || l.memo_id AS what
        FROM memo_links l JOIN coders k ON k.id = l.created_by
        WHERE l.target_type = 'segment' AND l.target_uuid = (SELECT uuid FROM documents WHERE id = :doc)"""),
    "relation evidence": ("relation_evidence", """
        SELECT e.id, e.relation_id AS owner, e.start_char, e.end_char, k.name AS who,
               s.name || ' ' || r.type || ' ' || t.name AS what
        FROM relation_evidence e JOIN relations r ON r.id = e.relation_id JOIN codes s ON s.id = r.source_id
        JOIN codes t ON t.id = r.target_id JOIN coders k ON k.id = e.created_by
        WHERE e.document_id = :doc"""),
    "property placement": ("property_evidence", """
        SELECT e.id, e.property_id AS owner, e.start_char, e.end_char, k.name AS who,
               c.name || ': ' || p.name || ' = ' || e.value AS what
        FROM property_evidence e JOIN category_properties p ON p.id = e.property_id
        JOIN codes c ON c.id = p.code_id JOIN coders k ON k.id = e.created_by
        WHERE e.document_id = :doc"""),
    "rejected suggestion": ("rejected_suggestions", """
        SELECT r.id, r.code_id AS owner, r.start_char, r.end_char, k.name AS who, c.name AS what
        FROM rejected_suggestions r JOIN codes c ON c.id = r.code_id JOIN coders k ON k.id = r.created_by
        WHERE r.document_id = :doc"""),
}

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class Anchor(Record):
    """One span that something points at: what holds it, where, whose, and the words."""

    kind: str        # coding | rejected suggestion | memo link | relation evidence | property placement |
                     # memo link to the document
    row_id: int
    owner: int       # the code, memo, relation or property it belongs to (its id)
    start: int
    end: int
    who: str
    what: str        # the code, memo, relation or property it belongs to
    words: str

    def describe(self, doc_id: int, where: str | None = None) -> str:
        """One line: kind, whose, where (`where`, e.g. the segments' address, or the offsets), a few words."""
        words = " ".join(self.words.split())
        quoted = words if len(words) <= 60 else words[:57] + "…"
        if where is None:
            where = f"D{doc_id}" if self.kind == WHOLE_DOCUMENT_LINK else f"D{doc_id} {self.start}-{self.end}"
        return f"{self.kind} ({self.what}, by {self.who}) at {where}: “{quoted}”"


#: A memo's link to a whole document: it holds no words (so changing the text leaves it be), only the document.
WHOLE_DOCUMENT_LINK = "memo link to the document"
_TABLES = {kind: table for kind, (table, _) in _SOURCES.items()} | {WHOLE_DOCUMENT_LINK: "memo_links"}


def document_anchors(store: Store, doc_id: int, text: str | None = None) -> list[Anchor]:
    """Every anchor in a document, in text order."""
    if text is None:
        text = store.scalar("SELECT text FROM documents WHERE id = ?", (doc_id,))
    out = [Anchor(kind, r["id"], r["owner"], r["start_char"], r["end_char"], r["who"], r["what"],
                  text[r["start_char"]:r["end_char"]])
           for kind, (_, sql) in _SOURCES.items() for r in store.all(sql, {"doc": doc_id})]
    return sorted(out, key=lambda a: (a.start, a.end, a.kind, a.row_id))


def document_links(store: Store, doc_id: int) -> list[Anchor]:
    """Memo links to the whole document, oldest first; their `words` are the memo's title."""
    rows = store.all(
        "SELECT l.id, l.memo_id, k.name AS who, (SELECT v.title FROM memo_versions v WHERE v.memo_id = l.memo_id "
        "ORDER BY v.version DESC LIMIT 1) AS title FROM memo_links l JOIN coders k ON k.id = l.created_by "
        "WHERE l.target_type = 'document' AND l.target_uuid = (SELECT uuid FROM documents WHERE id = ?) "
        "ORDER BY l.id", (doc_id,))
    return [Anchor(WHOLE_DOCUMENT_LINK, r["id"], r["memo_id"], 0, 0, r["who"], f"memo #{r['memo_id']}",
                   r["title"] or "") for r in rows]


def drop(store: Store, anchors: list[Anchor]) -> None:
    """Delete the rows that hold these anchors (the row changes are captured for undo)."""
    for anchor in anchors:
        store.conn.execute(f"DELETE FROM {_TABLES[anchor.kind]} WHERE id = ?", (anchor.row_id,))


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def unchanged_blocks(old: str, new: str) -> list[tuple[int, int, int]]:
    """(old start, new start, length) of every stretch of text the edit left as it was, in order.

    The diff runs over word tokens (each word, run of spaces, or punctuation mark one symbol), so an unchanged
    sentence stays one block instead of being matched letter by letter against other words.
    """
    from diff_match_patch import diff_match_patch

    old_tokens, new_tokens = _tokens(old), _tokens(new)
    symbols: dict[str, str] = {}

    def encode(tokens: list[str]) -> str:
        out = []
        for tok in tokens:
            if tok not in symbols:
                n = len(symbols)
                symbols[tok] = chr(0x100 + n + (0x800 if 0x100 + n >= 0xD800 else 0))  # skip surrogates
            out.append(symbols[tok])
        return "".join(out)

    a, b = encode(old_tokens), encode(new_tokens)
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 5.0   # past this the diff is still correct, just not minimal: fewer anchors survive
    blocks, i, j = [], 0, 0    # token positions
    old_pos = [0]
    for tok in old_tokens:
        old_pos.append(old_pos[-1] + len(tok))
    new_pos = [0]
    for tok in new_tokens:
        new_pos.append(new_pos[-1] + len(tok))
    for op, chunk in dmp.diff_main(a, b, False):
        n = len(chunk)
        if op == 0:
            blocks.append((old_pos[i], new_pos[j], old_pos[i + n] - old_pos[i]))
            i, j = i + n, j + n
        elif op == -1:
            i += n
        else:
            j += n
    return blocks


@dataclass
class Plan:
    """What a change of text does to a document's anchors: where each surviving one moves, which break."""

    doc_id: int
    moves: list[tuple[Anchor, int, int]]
    broken: list[Anchor]

    @property
    def moved(self) -> int:
        return sum(1 for a, s, e in self.moves if (a.start, a.end) != (s, e))

    def refusal(self, what: str) -> str:
        """The one-line error naming every anchor that would lose its words."""
        listed = "; ".join(a.describe(self.doc_id) for a in self.broken[:20])
        more = f"; and {len(self.broken) - 20} more" if len(self.broken) > 20 else ""
        return (f"{what} would change the words of {len(self.broken)} "
                f"anchored item{'s' * (len(self.broken) != 1)}: {listed}{more}. "
                "Nothing was changed; add --force to drop them ('gtcode undo' brings them back; 'gtcode model "
                "check' names every relation and property that lost evidence)")


def map_spans(blocks: list[tuple[int, int, int]], spans: list[tuple[int, int]]) -> list[tuple[int, int] | None]:
    """Each span's place in the new text, when all of it lies in one unchanged block; else None."""
    import bisect

    starts = [b[0] for b in blocks]
    out: list[tuple[int, int] | None] = []
    for start, end in spans:
        k = bisect.bisect_right(starts, start) - 1
        if k >= 0 and end <= blocks[k][0] + blocks[k][2]:
            shift = blocks[k][1] - blocks[k][0]
            out.append((start + shift, end + shift))
        else:
            out.append(None)
    return out


def plan(store: Store, doc_id: int, old: str, new: str) -> Plan:
    """Where each anchor of the document lands in `new`: on exactly the same words, or nowhere."""
    anchors = document_anchors(store, doc_id, old)
    if not anchors:
        return Plan(doc_id, [], [])
    places = map_spans(unchanged_blocks(old, new), [(a.start, a.end) for a in anchors])
    moves = [(a, *place) for a, place in zip(anchors, places) if place is not None]
    return Plan(doc_id, moves, [a for a, place in zip(anchors, places) if place is None])


def carry(store: Store, p: Plan, *, drop_broken: bool) -> list[dict]:
    """Move the surviving anchors; delete the broken ones (only with `drop_broken`). Returns what was dropped,
    for the event; the row changes themselves are captured for undo."""
    if p.broken and not drop_broken:
        raise ValueError("broken anchors: refuse or drop them")
    for anchor, start, end in p.moves:
        if (anchor.start, anchor.end) != (start, end):
            store.conn.execute(f"UPDATE {_TABLES[anchor.kind]} SET start_char = ?, end_char = ? WHERE id = ?",
                               (start, end, anchor.row_id))
    drop(store, p.broken)
    return [a.to_dict() for a in p.broken]
