"""A memo's `[[…]]` references as a reader of the report sees them: the quoted words with the participant and
the address, a code's or category's name, a memo's number and title — never the raw `[[D1:113]]` markup.

The memo's stored text keeps its references (they are its links); only documents for people read them out.
"""

from __future__ import annotations

from gtcode.errors import GtcodeError
from gtcode.memos import KINDS, REFERENCE, resolve_link
from gtcode.store.db import Store

#: A quoted passage longer than this many words is cut, with an ellipsis.
QUOTE_WORDS = 40


def _quote(text: str) -> str:
    """The words, cut at QUOTE_WORDS; quotation marks inside become single ones."""
    for outer, inner in (("“", "‘"), ("”", "’"), ('"', "'")):
        text = text.replace(outer, inner)
    words = " ".join(text.split()).split(" ")
    return " ".join(words[:QUOTE_WORDS]) + (" …" if len(words) > QUOTE_WORDS else "")


def _participant(store: Store, document_id: int) -> str:
    row = store.one('SELECT d.name, c.name AS "case" FROM documents d LEFT JOIN cases c ON c.id = d.case_id '
                    "WHERE d.id = ?", (document_id,))
    return (row["case"] or row["name"]) if row else ""


def readable_reference(store: Store, spec: str) -> str:
    """One reference (what stands between `[[` and `]]`) as words: “…” (P01, D1:113), ‘Code name’,
    memo #2 ‘Title’, the interview D3 (P03); a reference that no longer resolves is shown as written."""
    try:
        link = resolve_link(store, spec)
    except GtcodeError:
        kind, sep, target = spec.strip().partition(":")
        return target.strip() if sep and kind.strip().casefold() in KINDS else spec.strip()
    if link.type == "segment":
        who = _participant(store, link.document_id)
        return f"“{_quote(link.text or '')}” ({', '.join(filter(None, [who, link.label]))})"
    if link.type in ("code", "category"):
        return f"‘{link.label.rpartition('/')[2]}’"
    if link.type == "document":
        who = _participant(store, link.document_id)
        label = store.scalar("SELECT 'D' || id FROM documents WHERE id = ?", (link.document_id,))
        return f"the interview {label}" + (f" ({who})" if who and who != link.label else f" ({link.label})")
    return f"memo #{link.label} ‘{link.text}’"


def readable(store: Store, body: str) -> str:
    """`body` with every `[[…]]` reference read out (see `readable_reference`)."""
    return REFERENCE.sub(lambda m: readable_reference(store, m.group(1)), body)
