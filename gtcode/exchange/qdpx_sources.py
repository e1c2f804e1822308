"""The text sources of a .qdpx export: each document with its confirmed codings as selections, written into
project.qde as they are read, and its text as the target's .txt file.

Part of `qdpx_export` (which holds the export's state, `_Export`, and the other sections). A large project
has hundreds of thousands of codings: they are read in one query streamed in document order beside the
documents' texts, one document in memory at a time, and each coding's selection is written out directly
(`_coded_selection`), since building it element by element cost more than the rest of the export.
"""

from __future__ import annotations

import itertools
import operator
from collections import defaultdict

from gtcode.exchange.common import as_guid, as_guids, derived_guid, derived_guids, to_xml_datetime
from gtcode.exchange.positions import Target, UnitCounter, has_astral, written_text
from gtcode.exchange.xmlwriter import XmlWriter, escape_attr
from gtcode.text import plural


def _snippet(text: str, limit: int = 80) -> str:
    words = " ".join(text.split())
    return words if len(words) <= limit else words[:limit - 1] + "…"


def _selection(w: XmlWriter, counter: UnitCounter, start: int, end: int, guid: str, user, created) -> None:
    """Open a PlainTextSelection over canonical [start, end), its positions in the target's units."""
    w.start("PlainTextSelection", {
        "guid": guid, "name": _snippet(counter.text[start:end]), "startPosition": counter.position(start),
        "endPosition": counter.position(end), "creatingUser": user, "creationDateTime": created})


def _coded_selection(pad: str, name: str, start: int, end: int, guid: str, coding: str, user: str, created: str,
                     code: str, notes: list[str]) -> str:
    """A coding's PlainTextSelection written out (what `_selection` and the writer's `start`/`leaf` would write:
    the same attributes in the same order), for the loop over every coding of a project."""
    refs = "".join(f'{pad}  <NoteRef targetGUID="{g}"/>\n' for g in notes) if notes else ""
    return (f'{pad}<PlainTextSelection guid="{guid}" name="{name}" startPosition="{start}" endPosition="{end}" '
            f'creatingUser="{user}" creationDateTime="{created}">\n{pad}  <Coding guid="{coding}" '
            f'creatingUser="{user}" creationDateTime="{created}">\n{pad}    <CodeRef targetGUID="{code}"/>\n'
            f'{pad}  </Coding>\n{refs}{pad}</PlainTextSelection>\n')


def _source_selections(ex, d, text: str, codings, code_guid: dict[int, str], notes: dict) -> None:
    """One selection per confirmed coding (readers that take one coding per selection miss none), then one per
    passage that only memos are about (`notes`: (start, end) → memo GUIDs); notes on a passage go on its first
    selection. A document's selections go to the writer as one piece, their GUIDs made together."""
    counter = UnitCounter(text, ex.target)
    w = ex.w
    pad = w.indent
    uuids = [c[0] for c in codings]
    parts: list[str] = []
    for (_, code_id, start, end, coder_id, created_at), guid, coding in zip(
            codings, derived_guids("selection", uuids), as_guids(uuids)):
        created, user = to_xml_datetime(created_at), ex.user(coder_id)
        if user is not None and created is not None:       # GUIDs need no escaping; a stored time might
            a, b = (start, end) if counter.same else (counter.position(start), counter.position(end))
            parts.append(_coded_selection(pad, escape_attr(_snippet(text[start:end])), a, b, guid, coding, user,
                                          escape_attr(created), code_guid[code_id], notes.pop((start, end), None)))
            continue
        if parts:
            w.markup("".join(parts))
            parts = []
        _selection(w, counter, start, end, guid, user, created)
        w.start("Coding", {"guid": coding, "creatingUser": user, "creationDateTime": created})
        w.leaf("CodeRef", {"targetGUID": code_guid[code_id]})
        w.end()
        ex.note_refs(notes.pop((start, end), []))
        w.end()
    if parts:
        w.markup("".join(parts))
    if codings:
        ex.report.count("codings", len(codings))
    for (start, end), guids in sorted(notes.items()):
        who, when = ex.span_made[(d["uuid"], start, end)]
        _selection(w, counter, start, end, derived_guid("selection", d["uuid"], str(start), str(end)),
                   ex.user(who), to_xml_datetime(when))
        ex.note_refs(guids)
        w.end()


def _by_document(store, sql: str):
    """(document id, its rows without the id) from `sql`, which selects the document id first and orders by it:
    one query streamed, never a whole table in memory."""
    rows = store.conn.cursor()
    rows.row_factory = None
    rows.execute(sql)
    for doc_id, group in itertools.groupby(rows, key=operator.itemgetter(0)):
        yield doc_id, [r[1:] for r in group]


def _aligned(docs, groups):
    """Each document (in id order) with its rows from `groups` (`_by_document`); [] when it has none."""
    upcoming = next(groups, None)
    for d in docs:
        while upcoming is not None and upcoming[0] < d["id"]:
            upcoming = next(groups, None)
        if upcoming is not None and upcoming[0] == d["id"]:
            yield d, upcoming[1]
            upcoming = next(groups, None)
        else:
            yield d, []


def _texts(store, docs):
    """(document row, its text) for each document, from one query streamed in id order."""
    texts = _by_document(store, "SELECT id, text FROM documents ORDER BY id")
    for d, rows in _aligned(docs, texts):
        yield d, rows[0][0] if rows else ""


_CODINGS = ("SELECT document_id, uuid, code_id, start_char, end_char, coder_id, created_at FROM codings "
            "WHERE status = 'confirmed' ORDER BY document_id, start_char, id")


def sources(ex, docs, code_guid: dict[int, str]) -> None:
    """Documents as text sources with their confirmed codings as selections, written as they are read: one
    document's text and codings in memory at a time (their files are written by `_source_files`)."""
    store, report, w = ex.store, ex.report, ex.w
    pending = store.scalar("SELECT count(*) FROM codings WHERE status = 'pending'")
    if pending:
        report.lose(f"{pending} pending (autocoded, unreviewed) coding{'s' * (pending != 1)} left out: "
                    "review them first "
                    "('gtcode review'); REFI-QDA has no way to mark a coding as a suggestion")
    if not docs:
        return
    on_span: dict[str, dict[tuple[int, int], list[str]]] = defaultdict(dict)   # document uuid → passage → memos
    for (uuid, start, end), guids in ex.notes_on_span.items():
        on_span[uuid][(start, end)] = guids
    w.start("Sources")
    astral = 0
    codings = _aligned(docs, _by_document(store, _CODINGS))
    for (d, text), (_, mine) in zip(_texts(store, docs), codings):
        guid = as_guid(d["uuid"])
        astral += has_astral(text)
        w.start("TextSource", {"guid": guid, "name": d["name"], "plainTextPath": f"internal://{guid}.txt",
                               "creatingUser": ex.user(d["imported_by"]),
                               "creationDateTime": to_xml_datetime(d["imported_at"])})
        if d["description"]:
            w.leaf("Description", text=d["description"])
        _source_selections(ex, d, text, mine, code_guid, on_span.pop(d["uuid"], {}))
        ex.note_refs(ex.notes_on.get(d["uuid"], []))
        w.end()
    w.end()
    report.count("documents", len(docs))
    if astral and ex.target.units == "codepoint-lf":
        report.note(f"{plural(astral, 'document')} hold emoji or other characters beyond U+FFFF: {ex.target.tool} is "
                    "reported to count them as one; if codings after them look one place off there, export "
                    "--for spec or --for nvivo instead")
    timed = store.scalar("SELECT count(DISTINCT document_id) FROM turns WHERE time_start IS NOT NULL")
    if timed:
        report.lose(f"cue times of {plural(timed, 'timed document')}: a REFI-QDA text source has no times "
                    "(the text and its codings travel)")


def source_files(store, docs, target: Target):
    """(zip entry, bytes) of each document's text as the target's .txt, read one at a time."""
    for d, text in _texts(store, docs):
        yield f"sources/{as_guid(d['uuid'])}.txt", written_text(text, target)
