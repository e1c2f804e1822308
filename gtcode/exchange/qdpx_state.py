"""What a .qdpx import has mapped so far (file GUIDs → gtcode rows), and the readers every part of the import
shares: who made an element, when, and a source's or note's plain text. Kept apart so qdpx_import.py and
qdpx_notes.py both use it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gtcode.errors import GtcodeError
from gtcode.exchange.common import ExchangeReport, from_xml_datetime, guid_key
from gtcode.exchange.positions import PositionMap
from gtcode.ingest.textfile import decode
from gtcode.store.db import Txn, now


@dataclass
class ImportedSource:
    """A text source of the file and the document it became."""

    guid: str
    name: str
    doc_id: int
    doc_uuid: str
    positions: PositionMap


@dataclass
class ImportState:
    """What the import has mapped so far: file GUIDs → gtcode rows."""

    ns: str
    origin: str
    units: str
    report: ExchangeReport
    label: str
    users: dict[str, int] = field(default_factory=dict)              # user GUID → coder id
    codes: dict[str, int] = field(default_factory=dict)              # code GUID → code id
    sources: dict[str, ImportedSource] = field(default_factory=dict)  # source GUID → document
    spans: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # selection/coding GUID → (doc uuid, s, e)
    notes: dict[str, int] = field(default_factory=dict)              # note GUID → memo id
    doc_case: dict[str, str] = field(default_factory=dict)           # source GUID → case name
    memo_links: list[tuple[str, str, str, int | None, int | None]] = field(default_factory=list)
    unknown_users: set[str] = field(default_factory=set)
    variables: dict[str, str] = field(default_factory=dict)          # variable GUID → attribute name
    units_given: bool = False                                        # units from --positions, not guessed
    quotations: int | None = None                                    # id of the "Imported quotations" code

    def q(self, name: str) -> str:
        return f"{{{self.ns}}}{name}"


def creating_coder(st: ImportState, txn: Txn, *elements) -> int:
    """The coder of the first element naming a creatingUser; the importing coder if none does."""
    for el in elements:
        raw = el.get("creatingUser") if el is not None else None
        if raw:
            key = guid_key(raw)
            if key in st.users:
                return st.users[key]
            if raw not in st.unknown_users:
                st.unknown_users.add(raw)
                st.report.note(f"user {raw} is not among the file's users; their work is attributed to {txn.coder!r}")
    return txn.coder_id


def created_at(*elements) -> str:
    """The creationDateTime of the first element that has one, as gtcode stores times; now if none does."""
    for el in elements:
        value = from_xml_datetime(el.get("creationDateTime")) if el is not None else None
        if value:
            return value
    return now()


def plain_text(el, archive, st: ImportState) -> str | None:
    """A source's or note's plain text as stored (BOM dropped, CRs kept), or None (reported) if it is not in
    the file."""
    q, name = st.q, el.get("name") or el.get("guid")
    inline = el.find(q("PlainTextContent"))
    path = el.get("plainTextPath")
    if inline is not None and not path:
        return inline.text or ""
    if not path:
        st.report.lose(f"text source {name!r}: no plain text (only {el.get('richTextPath') or 'nothing'}); skipped")
        return None
    scheme, sep, rest = path.partition("://")
    if not sep:
        rest = path
        st.report.note(f"text source {name!r}: path {path!r} has no internal:// scheme; read from inside the file")
    elif scheme.lower() != "internal":
        st.report.lose(f"text source {name!r}: its text is outside the file ({path}); skipped")
        return None
    rest = rest.lstrip("/")
    entry = None
    if archive is not None:
        entry = next((archive.find(p) for p in (f"sources/{rest}", rest) if archive.find(p)), None)
    if entry is None:
        st.report.warn(f"text source {name!r}: {path} is missing from the file; skipped with its codings")
        return None
    data = archive.read(entry)
    try:
        text, _, notes = decode(data, Path(entry))
    except GtcodeError as exc:
        st.report.warn(f"text source {name!r}: {exc}; skipped with its codings")
        return None
    for note in notes:
        st.report.note(f"text source {name!r}: {note}")
    return text
