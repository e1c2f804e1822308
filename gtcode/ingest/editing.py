"""Changing a stored transcript in place: `docs edit` (new text) and `docs speakers` (roles, renamed labels).

Every anchor (coding, memo link, evidence, placement) is carried onto its own words by `gtcode.anchors`, or
the change is refused with the list of what would lose its words; each change is one undoable command.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from gtcode import anchors
from gtcode.documents import DocumentInfo, document_text
from gtcode.errors import InputError, WouldBreakAnchors
from gtcode.history import captured_rewrite, captured_update
from gtcode.ingest.base import ParsedDocument, turns_from_lines
from gtcode.ingest.speakers import DEFAULT_INTERVIEWER, SpeakerRules
from gtcode.records import Record
from gtcode.store.db import Store, Txn
from gtcode.text import content_hash, count_words, normalise

ROLES = ("participant", "interviewer", "other")


@dataclass
class Edited(Record):
    """What an edit did (or, in a dry run, would do)."""

    document: str
    name: str
    changed: bool
    turns: tuple[int, int] = (0, 0)           # before, after
    segments: tuple[int, int] = (0, 0)
    moved: int = 0                            # anchors that moved with their words
    kept: int = 0                             # anchors that stayed on their words
    dropped: list[dict] = field(default_factory=list)   # anchors whose words went (only with force)


def _old_roles(store: Store, doc_id: int) -> dict[str, str]:
    return {r[0].casefold(): r[1] for r in store.all(
        "SELECT speaker, role FROM turns WHERE document_id = ? AND speaker IS NOT NULL AND kind = 'speech' "
        "ORDER BY ordinal", (doc_id,))}


def parse_edited(store: Store, doc: DocumentInfo, text: str) -> ParsedDocument:
    """The new text read as labelled lines, each speaker keeping the role it had (new labels: the usual rules)."""
    roles = _old_roles(store, doc.id)
    rules = SpeakerRules(None, [*DEFAULT_INTERVIEWER, *(s for s, r in roles.items() if r == "interviewer")])
    turns = turns_from_lines(text, rules)
    for t in turns:
        if t.speaker and t.kind == "speech" and t.speaker.casefold() in roles:
            t.role = roles[t.speaker.casefold()]
            t.is_interviewer = t.role == "interviewer"
    meta = json.loads(store.scalar("SELECT meta FROM documents WHERE id = ?", (doc.id,)) or "{}")
    return ParsedDocument(name=doc.name, text=text, format=doc.format, turns=turns, encoding=doc.encoding,
                          notes=list(meta.get("notes", [])))


def _carry_times(store: Store, doc_id: int, old: str, new: str, segs) -> None:
    """Segments whose words the edit left alone keep their recording times."""
    rows = store.all("SELECT start_char, end_char, time_start, time_end FROM segments WHERE document_id = ? AND "
                     "(time_start IS NOT NULL OR time_end IS NOT NULL)", (doc_id,))
    if not rows:
        return
    places = anchors.map_spans(anchors.unchanged_blocks(old, new), [(r[0], r[1]) for r in rows])
    times = {place: (r[2], r[3]) for r, place in zip(rows, places) if place is not None}
    for seg in segs:
        if (seg.start, seg.end) in times:
            seg.time_start, seg.time_end = times[(seg.start, seg.end)]


def edit_document(store: Store, txn: Txn, doc: DocumentInfo, new_text: str, *, force: bool = False,
                  nlp_name: str | None = None) -> Edited:
    """Replace a document's text with `new_text`: re-read its turns, re-segment it, carry every anchor."""
    from gtcode.ingest import nlp as nlp_mod
    from gtcode.ingest.segment import segment_documents
    from gtcode.ingest.writing import write_document

    old = document_text(store, doc.id)
    new = normalise(new_text)
    if not new.strip():
        raise InputError(f"{doc.label} {doc.name!r}: the edited text is empty; nothing was changed "
                         "(to remove a document: gtcode docs delete)")
    if new == old:
        return Edited(doc.label, doc.name, False, (doc.turns, doc.turns), (doc.segments, doc.segments))
    plan = anchors.plan(store, doc.id, old, new)
    if plan.broken and not force:
        raise WouldBreakAnchors(f"{doc.label} {doc.name!r}: " + plan.refusal("this edit"))
    parsed = parse_edited(store, doc, new)
    segs = segment_documents([parsed], nlp_mod.load(nlp_name))[0]
    _carry_times(store, doc.id, old, new, segs)
    pseudonymised = bool(json.loads(store.scalar("SELECT meta FROM documents WHERE id = ?", (doc.id,)) or "{}")
                         .get("pseudonymised"))   # the researcher's own correction keeps that mark
    outcome = write_document(store, txn, Path(doc.source_path or doc.name), parsed, segs, None,
                             SimpleNamespace(force=force, pseudonymised=pseudonymised),
                             action="document.edit",
                             summary=f"edited D{doc.id} {doc.name!r}: {len(parsed.turns)} turns, {len(segs)} segments")
    return Edited(doc.label, doc.name, True, (doc.turns, outcome.turns), (doc.segments, outcome.segments),
                  plan.moved, len(plan.moves) - plan.moved,
                  [a.to_dict() for a in plan.broken] if force else [])


# --- speakers -------------------------------------------------------------------------------------

@dataclass
class SpeakerLabel(Record):
    """One speaker label in a document: how many turns, which role(s)."""

    document: str
    name: str
    speaker: str
    turns: int
    role: str


def speaker_labels(store: Store, doc_ids: list[int] | None = None) -> list[SpeakerLabel]:
    """Every speaker label of the documents (all when None), with turn counts and roles; unlabelled speech,
    front matter and quoted material are listed as such."""
    sql = ("SELECT t.document_id, d.name, CASE WHEN t.kind = 'front' THEN '(front matter)' "
           "WHEN t.speaker IS NULL THEN '(unlabelled)' ELSE t.speaker END AS speaker, count(*) AS n, "
           "CASE WHEN t.kind = 'quoted' THEN 'quoted' WHEN t.kind = 'front' THEN 'front' ELSE "
           "group_concat(DISTINCT t.role) END AS role FROM turns t JOIN documents d ON d.id = t.document_id")
    args: list = []
    if doc_ids is not None:
        sql += f" WHERE t.document_id IN ({','.join('?' * len(doc_ids))})"
        args = list(doc_ids)
    sql += " GROUP BY t.document_id, 3, t.kind ORDER BY t.document_id, min(t.ordinal)"
    return [SpeakerLabel(f"D{r[0]}", r[1], r[2], r[3], r[4]) for r in store.all(sql, args)]


@dataclass
class SpeakerChange(Record):
    """What `docs speakers` changed in one document."""

    document: str
    name: str
    roles: dict[str, str] = field(default_factory=dict)       # label → new role
    renamed: dict[str, str] = field(default_factory=dict)     # old label → new label
    turns: int = 0                                           # turns changed
    moved: int = 0
    dropped: list[dict] = field(default_factory=list)


def parse_assignments(items: list[str], option: str, values: tuple[str, ...] | None = None) -> list[tuple[str, str]]:
    """`LABEL=VALUE` pairs (the label may hold commas; for roles the last '=' splits)."""
    out = []
    for item in items:
        label, eq, value = item.rpartition("=") if values else item.partition("=")
        label, value = label.strip(), value.strip()
        if not eq or not label or not value:
            raise InputError(f"{option} {item!r}: expected LABEL={'|'.join(values) if values else 'NEW'}")
        if values and value.casefold() not in values:
            raise InputError(f"{option} {item!r}: the role must be one of {', '.join(values)}")
        out.append((label, value.casefold() if values else value))
    return out


def _turn_rows(store: Store, doc_id: int):
    return store.all("SELECT id, speaker, role, start_char, body_start, end_char FROM turns WHERE document_id = ? "
                     "AND kind = 'speech' ORDER BY ordinal", (doc_id,))


def set_speakers(store: Store, txn: Txn, doc: DocumentInfo, roles: list[tuple[str, str]],
                 renames: list[tuple[str, str]], *, force: bool = False, strict: bool = True) -> SpeakerChange:
    """Give labels a role and/or rename them (in the text too, every anchor carried). `strict`: a label this
    document does not have is an error (else it is skipped: a batch over several documents)."""
    rows = _turn_rows(store, doc.id)
    have = {r["speaker"].casefold(): r["speaker"] for r in rows if r["speaker"]}
    targets = {b.casefold() for a, b in renames if a.casefold() in have}
    unknown = [a for a, _ in renames if a.casefold() not in have] + [
        a for a, _ in roles if a.casefold() not in have and a.casefold() not in targets]
    if strict and unknown:
        raise InputError(f"{doc.label} {doc.name!r} has no speaker {unknown[0]!r} (speakers: "
                         f"{', '.join(sorted(set(have.values()), key=str.casefold)) or 'none'})")
    change = SpeakerChange(doc.label, doc.name)
    if renames:
        _rename(store, txn, doc, rows, {a.casefold(): b for a, b in renames if a.casefold() in have}, force, change)
    for label, role in roles:
        key = label.casefold()
        if key not in have and key not in targets:
            continue
        now = change.renamed.get(have[key], have[key]) if key in have else label
        n = captured_update(store, txn, "turns", {"role": role, "is_interviewer": int(role == "interviewer")},
                            "document_id = ? AND kind = 'speech' AND speaker = ? COLLATE NOCASE AND role <> ?",
                            (doc.id, now, role))
        if n:
            change.roles[now] = role
            change.turns += n
    if change.roles or change.renamed:
        said = [f"{a} → {b}" for a, b in change.renamed.items()] + [f"{a}: {r}" for a, r in change.roles.items()]
        txn.record("document.speakers", f"speakers of D{doc.id} {doc.name!r}: {'; '.join(said)}", doc.uuid,
                   roles=change.roles, renamed=change.renamed, turns=change.turns, moved=change.moved,
                   dropped=change.dropped)
    return change


def _rename(store: Store, txn: Txn, doc: DocumentInfo, rows, names: dict[str, str], force: bool,
            change: SpeakerChange) -> None:
    """Rename labels in the text of each turn's label and in `turns.speaker`; shift everything after them."""
    text = document_text(store, doc.id)
    edits: list[tuple[int, int, str]] = []      # (position, old length, new words) in the old text
    for r in rows:
        new_name = names.get((r["speaker"] or "").casefold())
        if new_name is None:
            continue
        label = text[r["start_char"]:r["body_start"]]
        at = label.find(r["speaker"])
        if at >= 0:
            edits.append((r["start_char"] + at, len(r["speaker"]), new_name))
        captured_update(store, txn, "turns", {"speaker": new_name}, "id = ?", (r["id"],))
        change.renamed[r["speaker"]] = new_name
        change.turns += 1
    if not edits:
        return

    def shift(x: int) -> int:
        return x + sum(len(new) - n for pos, n, new in edits if pos + n <= x)

    old_anchors = anchors.document_anchors(store, doc.id, text)
    broken = [a for a in old_anchors if any(pos < a.end and pos + n > a.start for pos, n, _ in edits)]
    if broken and not force:
        raise WouldBreakAnchors(f"{doc.label} {doc.name!r}: " + anchors.Plan(doc.id, [], broken).refusal(
            "renaming these speakers"))
    moves = [(a, shift(a.start), shift(a.end)) for a in old_anchors if a not in broken]
    plan = anchors.Plan(doc.id, moves, broken)
    change.dropped = anchors.carry(store, plan, drop_broken=force)
    change.moved = plan.moved
    new_text, last = [], 0
    for pos, n, new in sorted(edits):
        new_text += [text[last:pos], new]
        last = pos + n
    new_text = "".join(new_text + [text[last:]])
    for table, cols in (("turns", ("start_char", "body_start", "end_char")), ("segments", ("start_char", "end_char"))):
        for r in store.all(f"SELECT id, {', '.join(cols)} FROM {table} WHERE document_id = ?", (doc.id,)):
            moved = {c: shift(r[c]) for c in cols}
            if any(moved[c] != r[c] for c in cols):
                captured_update(store, txn, table, moved, "id = ?", (r["id"],))
    captured_rewrite(store, txn, "documents", doc.id,
                     "UPDATE documents SET text = ?, text_hash = ?, word_count = ? WHERE id = ?",
                     (new_text, content_hash(new_text), count_words(new_text), doc.id),
                     check=("uuid", "name", "text_hash"))
