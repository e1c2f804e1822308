"""Changing a stored transcript in place: `docs edit` (new text, read and segmented again; speakers'
roles in `gtcode.speakers`).

Every anchor (coding, memo link, evidence, placement) is carried onto its own words by `gtcode.anchors`, or
the change is refused with the list of what would lose its words; each change is one undoable command.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from gtcode import anchors
from gtcode.documents import DocumentInfo, document_meta, document_text, timed_segments
from gtcode.errors import InputError, WouldBreakAnchors
from gtcode.ingest.base import ParsedDocument, turns_from_lines
from gtcode.ingest.speakers import DEFAULT_INTERVIEWER, SpeakerRules
from gtcode.records import Record
from gtcode.speakers import speaker_roles
from gtcode.store.db import Store, Txn
from gtcode.text import normalise

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


def parse_edited(store: Store, doc: DocumentInfo, text: str) -> ParsedDocument:
    """The new text read as labelled lines, each speaker keeping the role it had (new labels: the usual rules)."""
    roles = speaker_roles(store, doc.id)
    rules = SpeakerRules(None, [*DEFAULT_INTERVIEWER, *(s for s, r in roles.items() if r == "interviewer")])
    turns = turns_from_lines(text, rules)
    for t in turns:
        if t.speaker and t.kind == "speech" and t.speaker.casefold() in roles:
            t.role = roles[t.speaker.casefold()]
            t.is_interviewer = t.role == "interviewer"
    meta = document_meta(store, doc.id)
    return ParsedDocument(name=doc.name, text=text, format=doc.format, turns=turns, encoding=doc.encoding,
                          notes=list(meta.get("notes", [])))


def _carry_times(store: Store, doc_id: int, old: str, new: str, segs) -> None:
    """Segments whose words the edit left alone keep their recording times."""
    rows = timed_segments(store, doc_id)
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
    pseudonymised = bool(document_meta(store, doc.id).get("pseudonymised"))   # a correction keeps that mark
    outcome = write_document(store, txn, Path(doc.source_path or doc.name), parsed, segs, None,
                             SimpleNamespace(force=force, pseudonymised=pseudonymised),
                             action="document.edit",
                             summary=f"edited D{doc.id} {doc.name!r}: {len(parsed.turns)} turns, {len(segs)} segments")
    return Edited(doc.label, doc.name, True, (doc.turns, outcome.turns), (doc.segments, outcome.segments),
                  plan.moved, len(plan.moves) - plan.moved,
                  [a.to_dict() for a in plan.broken] if force else [])
