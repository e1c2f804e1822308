"""Full-text search over segments (SQLite FTS5, Porter stemming, ranked by BM25).

Plain words are searched as they are typed (all must occur; `don't` works), each matching any word with
the same Porter stem (film, films, filmed, filming); `exact_hits` keeps only the words as typed.
FTS5 syntax — "exact phrase", OR, NOT, NEAR(), prefix* — passes through.
Hits carry their `D3:17` address and the matched spans as offsets into the
document's canonical text.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import asdict, dataclass, field

from gtcode.documents import participant_speech
from gtcode.errors import BadQuery
from gtcode.store.db import Store

_OPEN, _CLOSE = "\x02", "\x03"
_OPERATORS = {"AND", "OR", "NOT"}
_TOKEN = re.compile(r'NEAR\([^()]*\)|"[^"]*"|\S+')
_NEAR = re.compile(r"NEAR\((?P<words>[^(),]*)(?:,\s*(?P<n>\d+))?\s*\)")


def fts_query(query: str) -> str:
    """Turn what a user types into an FTS5 expression."""
    query = query.strip()
    if not query:
        raise BadQuery("empty search")
    parts = []
    for tok in _TOKEN.findall(query):
        if (near := _NEAR.fullmatch(tok)) is not None:   # NEAR(film baby, 5): words within 5 of each other
            words = " ".join(w if w.startswith('"') else '"' + w.replace('"', '""') + '"'
                             for w in _TOKEN.findall(near["words"]))
            parts.append(f"NEAR({words}{', ' + near['n'] if near['n'] else ''})")
        elif tok in _OPERATORS or tok.startswith('"') or tok in ("(", ")"):
            parts.append(tok)
        elif tok.endswith("*") and len(tok) > 1:
            parts.append('"' + tok[:-1].replace('"', '""') + '"*')
        else:
            parts.append('"' + tok.replace('"', '""') + '"')
    return " ".join(parts)


@dataclass
class SearchHit:
    document_id: int
    document: str
    case: str | None
    ordinal: int
    speaker: str | None
    is_interviewer: bool
    start: int
    end: int
    text: str
    rank: float
    #: matched spans, as [start, end) offsets into the document's canonical text
    spans: list[tuple[int, int]] = field(default_factory=list)

    @property
    def address(self) -> str:
        return f"D{self.document_id}:{self.ordinal}"

    def to_dict(self) -> dict:
        return {"address": self.address} | asdict(self)


def _spans(marked: str, base: int) -> tuple[str, list[tuple[int, int]]]:
    plain, spans, start = [], [], None
    pos = 0
    for ch in marked:
        if ch == _OPEN:
            start = pos
        elif ch == _CLOSE and start is not None:
            spans.append((base + start, base + pos))
            start = None
        else:
            plain.append(ch)
            pos += 1
    return "".join(plain), spans


def search(store: Store, query: str, where_clause: str = "1", params=(), speaker: str | None = None,
           limit: int | None = 50) -> tuple[list[SearchHit], int]:
    """(hits, total matching) for `query`; `speaker` is participant, interviewer or a label."""
    expr = fts_query(query)
    conds, args = [where_clause], list(params)
    if speaker:
        key = speaker.strip().casefold()
        if key in ("participant", "participants"):
            conds.append(participant_speech())
        elif key in ("interviewer", "interviewers"):
            conds.append("t.role = 'interviewer' AND t.kind = 'speech'")
        else:
            conds.append("t.speaker = ? COLLATE NOCASE")
            args.append(speaker.strip())
    base = (" FROM segment_fts f JOIN segments s ON s.id = f.rowid JOIN turns t ON t.id = s.turn_id"
            " JOIN documents d ON d.id = s.document_id LEFT JOIN cases c ON c.id = d.case_id"
            f" WHERE segment_fts MATCH ? AND {' AND '.join(conds)}")
    columns = ("SELECT s.id, d.id AS document_id, d.name AS document, c.name AS \"case\", s.ordinal, t.speaker,"
               " t.is_interviewer, s.start_char, s.end_char, f.rank AS rank")
    try:
        if conds == ["1"]:      # the whole project: the index counts its matches alone (20 ms, not 400, for 432,000)
            total = store.scalar("SELECT count(*) FROM segment_fts WHERE segment_fts MATCH ?", (expr,))
        else:
            total = store.scalar("SELECT count(*)" + base, [expr, *args])
        sql = columns + base + " ORDER BY f.rank, d.id, s.ordinal"
        if limit:
            sql += f" LIMIT {int(limit)}"
        rows = store.all(sql, [expr, *args])
        marked = _highlighted(store, expr, rows)
    except sqlite3.OperationalError as exc:
        raise BadQuery(f"search {query!r}: {exc}") from None
    hits = []
    for r in rows:
        text, spans = _spans(marked[r["id"]], r["start_char"])
        hits.append(SearchHit(r["document_id"], r["document"], r["case"], r["ordinal"], r["speaker"],
                              bool(r["is_interviewer"]), r["start_char"], r["end_char"], text, r["rank"], spans))
    return hits, total


def _highlighted(store: Store, expr: str, rows) -> dict[int, str]:
    """Segment id → its text with the matched words marked, as FTS5's highlight() marks them.

    highlight() on the project's index reads each hit's text through `segment_texts`, which loads the
    document's whole text again for every hit (quadratic in a long transcript). Here each hit document's text
    is read once, its hits sliced from it and matched again in a scratch in-memory index with the same
    tokenizer: the same words, marked the same way, and nothing written anywhere."""
    out: dict[int, str] = {}
    if not rows:
        return out
    scratch = sqlite3.connect(":memory:")
    try:
        scratch.execute(f"CREATE VIRTUAL TABLE hits USING fts5(text, tokenize={_tokenizer(store)})")
        by_doc: dict[int, list] = {}
        for r in rows:
            by_doc.setdefault(r["document_id"], []).append(r)
        for doc_id, found in by_doc.items():
            text = store.scalar("SELECT text FROM documents WHERE id = ?", (doc_id,))
            pieces = [(r["id"], text[r["start_char"]:r["end_char"]]) for r in found]
            out.update(pieces)                  # a hit the scratch index does not match keeps its plain text
            scratch.executemany("INSERT INTO hits (rowid, text) VALUES (?, ?)", pieces)
        out.update(scratch.execute("SELECT rowid, highlight(hits, 0, ?, ?) FROM hits WHERE hits MATCH ?",
                                   (_OPEN, _CLOSE, expr)))
    finally:
        scratch.close()
    return out


def _tokenizer(store: Store) -> str:
    """The search index's tokenizer option, as its table was created (the scratch index must split words alike)."""
    sql = store.scalar("SELECT sql FROM sqlite_master WHERE name = 'segment_fts'") or ""
    found = re.search(r"tokenize\s*=\s*('(?:[^']|'')*'|\"[^\"]*\")", sql)
    return found.group(1) if found else "'unicode61'"


def exact_hits(hits: list[SearchHit], query: str) -> list[SearchHit]:
    """Only the hits holding the query's words as typed (case aside), not another word with the same stem:
    `search films --exact` drops a segment that says only "film". Each hit keeps only its exact spans.
    With OR any one word is enough; otherwise every word (outside NOT) must be there."""
    from dataclasses import replace

    tokens = _TOKEN.findall(query.strip())
    wanted: list[str] = []
    negated = False
    for tok in tokens:
        if tok in _OPERATORS:
            negated = tok == "NOT"
            continue
        if not negated and tok not in ("(", ")") and not tok.startswith("NEAR("):
            wanted += [w.casefold() for w in re.findall(r"[\w'’]+\*?", tok.strip('"'))]
        negated = False

    def matches(word: str, w: str) -> bool:
        return word.startswith(w[:-1]) if w.endswith("*") else word == w

    out = []
    for h in hits:
        spans = [(a, b) for a, b in h.spans
                 if any(matches(h.text[a - h.start:b - h.start].casefold(), w) for w in wanted)]
        found = {w for a, b in spans for w in wanted if matches(h.text[a - h.start:b - h.start].casefold(), w)}
        if spans and ("OR" in tokens or found == set(wanted)):
            out.append(replace(h, spans=spans))
    return out
