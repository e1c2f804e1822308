"""The selections of a REFI-QDA text source, as codings, memos and passages a researcher can find.

Part of the .qdpx import (qdpx_import.py). A selection's codings land on the
same words (positions converted from the tool's units, positions.py); its
Description (an ATLAS.ti quotation comment, a QualCoder coding memo) becomes a
memo linked to that passage; a selection with no coding, note or comment (a
MAXQDA or ATLAS.ti quotation) becomes a coding of the code "Imported
quotations", so the passage can be found and recoded. When the guessed units
would cut a surrogate pair or a CRLF, or put selections on whitespace, the
report says so and names the `--positions` that fits.
"""

from __future__ import annotations

from collections import Counter

from gtcode.codes import add_code
from gtcode.coding import add_coding
from gtcode.exchange.common import derived_guid, guid_key, guid_text
from gtcode.exchange.positions import UNITS, PositionMap
from gtcode.exchange.qdpx_notes import write_memo
from gtcode.exchange.qdpx_state import ImportedSource, ImportState, created_at, creating_coder
from gtcode.store.db import Txn
from gtcode.text import strip_span, plural

#: The code that holds selections another tool marked without coding them.
QUOTATIONS = "Imported quotations"

_OUTCOMES = {"added": "codings added", "already": "codings already here",
             "merged": "codings merged with overlapping ones"}


def _words(text: str) -> str:
    return " ".join(text.split()).casefold()


def _selection_span(sel, codings, src: ImportedSource, st: ImportState) -> tuple[int, int] | None:
    """The selection's span in gtcode's text (the whole text for codings of the source), or None (reported)."""
    text = src.positions.text
    if sel is None:
        return strip_span(text, 0, len(text)) if codings else None
    try:
        start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
    except (TypeError, ValueError):
        st.report.warn(f"{src.name!r}: selection {sel.get('guid')} has no numeric positions; skipped")
        return None
    span = src.positions.span(start, end)
    span = strip_span(text, *span) if span else None
    if not span or span[0] >= span[1]:
        st.report.warn(f"{src.name!r}: selection {sel.get('guid')} [{start}, {end}) is empty, only whitespace or "
                       f"outside the text; skipped with its {plural(len(codings), 'coding')}")
        return None
    return span


def _quotes_other_words(sel, span: tuple[int, int], text: str) -> bool:
    """Whether a selection's name quotes words (three or more) its span does not cover: a sign of other units."""
    label = " ".join((sel.get("name") or "").split())
    if len(label.split()) < 3 or label.startswith("line:"):
        return False
    got, want = _words(text[span[0]:span[1]]), _words(label.rstrip("…"))
    return not (got.startswith(want) or want.startswith(got))


def _add_codings(store, txn: Txn, sel, codings, span, src: ImportedSource, st: ImportState) -> list[str]:
    """Code the span with each coding's code; returns the GUIDs of the codings added."""
    q, added = st.q, []
    for coding in codings:
        cguid = guid_key(coding.get("guid"))
        st.spans[cguid] = (src.doc_uuid, *span)
        ref = coding.find(q("CodeRef"))
        code_key = guid_key(ref.get("targetGUID")) if ref is not None else None
        if code_key not in st.codes:
            st.report.warn(f"{src.name!r}: coding {coding.get('guid')} refers to unknown code "
                           f"{ref.get('targetGUID') if ref is not None else '(none)'}; skipped")
            continue
        for note in coding.findall(q("NoteRef")):
            st.memo_links.append((guid_key(note.get("targetGUID")), "segment", src.doc_uuid, *span))
        outcome = add_coding(store, txn, st.codes[code_key], src.doc_id, *span,
                             coder_id=creating_coder(st, txn, coding, sel), uuid=guid_text(coding.get("guid")),
                             created=created_at(coding, sel))
        st.report.count(_OUTCOMES[outcome])
        if outcome == "added":
            added.append(cguid)
    return added


def _comment(store, txn: Txn, sel, text: str, span, src: ImportedSource, st: ImportState) -> None:
    """A selection's Description as a memo linked to its passage (the same memo on a second import)."""
    guid = derived_guid("selection-comment", guid_key(sel.get("guid")))
    words = " ".join(src.positions.text[span[0]:span[1]].split())
    title = f"Comment on “{words[:50]}…”" if len(words) > 50 else f"Comment on “{words}”"
    who, when = creating_coder(st, txn, sel), created_at(sel)
    st.notes[guid] = write_memo(store, txn, st, guid, title, text, "theoretical", who, when, who, when,
                                what="selection comments (as memos)")
    st.memo_links.append((guid, "segment", src.doc_uuid, *span))


def _quotations_code(store, txn: Txn, st: ImportState) -> int:
    """The top-level code "Imported quotations" (added once)."""
    if st.quotations is None:
        row = store.one("SELECT id FROM codes WHERE parent_id IS NULL AND name = ? COLLATE NOCASE", (QUOTATIONS,))
        st.quotations = row[0] if row else add_code(
            store, txn, QUOTATIONS, description="Passages another tool marked (quotations, uncoded selections) "
            f"without a code; first imported from {st.label}. Recode them and remove this code when done.").id
    return st.quotations


def _quotation(store, txn: Txn, sel, span, src: ImportedSource, st: ImportState) -> str | None:
    outcome = add_coding(store, txn, _quotations_code(store, txn, st), src.doc_id, *span,
                         coder_id=creating_coder(st, txn, sel), uuid=guid_text(sel.get("guid")),
                         created=created_at(sel))
    st.report.count(f"uncoded selections {'added as' if outcome == 'added' else 'already'} "
                    f"codings of {QUOTATIONS!r}")
    return guid_key(sel.get("guid")) if outcome == "added" else None


def _referenced(root, st: ImportState) -> set[str]:
    """GUIDs that links, sets or cases point at (a selection they name is already something)."""
    q, out = st.q, set()
    for link in root.iterfind(f"{q('Links')}/{q('Link')}"):
        out |= {guid_key(link.get("originGUID")), guid_key(link.get("targetGUID"))}
    for ref in root.iterfind(f"{q('Sets')}/{q('Set')}/*"):
        out.add(guid_key(ref.get("targetGUID")))
    return out


def _inside_word(text: str, a: int, b: int) -> bool:
    """Whether [a, b) starts or ends between two letters or digits."""
    def cut(i: int) -> bool:
        return 0 < i < len(text) and text[i - 1].isalnum() and text[i].isalnum()
    return cut(a) or cut(b)


def _doubts(positions: PositionMap, ranges: list[tuple[int, int]]) -> Counter:
    """How many ranges would cut a surrogate pair or a CRLF, cover only whitespace, or cut a word, in these units."""
    out: Counter = Counter()
    for start, end in ranges:
        cut = positions.cuts(start) or positions.cuts(end)
        if cut:
            out[f"cut {cut}"] += 1
            continue
        span = positions.span(start, end)
        if span and not positions.text[span[0]:span[1]].strip():
            out["cover only whitespace"] += 1
        elif span and _inside_word(positions.text, *span):
            out["start or end inside a word"] += 1
    return out


def _serious(doubts: Counter, ranges: list) -> int:
    """Doubts that are signs of wrong units: any cut or blank selection; words cut in more than a tenth of them
    (a researcher sometimes selects part of a word)."""
    words = doubts["start or end inside a word"]
    return sum(doubts.values()) - words + (words if words * 10 > len(ranges) else 0)


def check_units(src: ImportedSource, ranges: list[tuple[int, int]], st: ImportState) -> None:
    """Say so when the units in use look wrong for this source, and which `--positions` would fit."""
    doubts = _doubts(src.positions, ranges)
    if not _serious(doubts, ranges):
        return
    why = "as --positions said" if st.units_given else f"guessed from the file's origin {st.origin or '(none)'!r}"
    what = ", ".join(f"{n} would {kind}" for kind, n in doubts.items())
    others = {u: _serious(_doubts(PositionMap(src.positions.raw, u), ranges), ranges) for u in UNITS if u != st.units}
    best = min(others, key=others.get)
    hint = (f"with --positions {best} these go away: import again with it" if others[best] == 0 else
            f"try --positions {best}" if others[best] * 2 < _serious(doubts, ranges) else
            "check these codings, or try --positions")
    st.report.note(f"{src.name!r}: read in {st.units} units ({why}), of {plural(len(ranges), 'selection')} {what}; "
                   f"the file may count positions in other units: {hint}")


def read_selections(store, txn: Txn, root, kept, st: ImportState) -> None:
    """Selections become codings on the same words, memos about the passage, or imported quotations."""
    q = st.q
    referenced = _referenced(root, st)
    for el in kept:
        src = st.sources.get(guid_key(el.get("guid")))
        if src is None:
            continue
        added: list[str] = []
        mismatched = 0
        selections = el.findall(q("PlainTextSelection"))
        ranges = []
        for sel in selections:
            try:
                ranges.append((int(sel.get("startPosition")), int(sel.get("endPosition"))))
            except (TypeError, ValueError):
                continue
        check_units(src, ranges, st)
        for sel, codings in [(s, s.findall(q("Coding"))) for s in selections] + [(None, el.findall(q("Coding")))]:
            span = _selection_span(sel, codings, src, st)
            if span is None:
                continue
            if sel is not None:
                mismatched += _quotes_other_words(sel, span, src.positions.text)
                key = guid_key(sel.get("guid"))
                st.spans[key] = (src.doc_uuid, *span)
                notes = sel.findall(q("NoteRef"))
                for ref in notes:
                    st.memo_links.append((guid_key(ref.get("targetGUID")), "segment", src.doc_uuid, *span))
                comment = (sel.findtext(q("Description")) or "").strip()
                if comment:
                    _comment(store, txn, sel, comment, span, src, st)
                elif not codings and not notes and key not in referenced:
                    added += [g for g in [_quotation(store, txn, sel, span, src, st)] if g]
            added += _add_codings(store, txn, sel, codings, span, src, st)
        if mismatched:
            st.report.note(f"{src.name!r}: {plural(mismatched, 'selection')} do not cover the words their name "
                           f"quotes; the file may count positions in other units than {st.units!r} (see --positions)")
        for ref in el.findall(q("NoteRef")):
            st.memo_links.append((guid_key(ref.get("targetGUID")), "document", src.doc_uuid, None, None))
        if added:
            txn.record("coding.import", f"imported {plural(len(added), 'coding')} into D{src.doc_id} {src.name!r} from "
                       f"{st.label}", src.doc_uuid, document=src.name, codings=added, source=st.label)
