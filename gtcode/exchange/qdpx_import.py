"""Import a REFI-QDA project (.qdpx, or a bare .qde) into a gtcode project, in one transaction.

Users become coders (matched by name); the codebook merges into the code tree
(see codetree.py); text sources become documents through gtcode's normal
path (turns, sentence segments), reusing a document whose text is already
here; selections become codings on the same words (positions converted from
the producing tool's units, see positions.py); notes become memos, note
references become memo links; cases and variables become cases and
attributes; links between codes become relations, links to notes memo links;
sets become memos that link their members (gtcode has no sets). Whatever
the file holds that gtcode cannot take (PDF, pictures, audio, video, graphs…)
is listed in the report's losses (qdpx_inventory.py). Descriptions of
sources, cases and variables are kept; selections are read in
qdpx_selections.py. GUIDs are stored as written and matched without regard to
case. Everything lands, or nothing does.
"""

from __future__ import annotations

import re
from pathlib import Path

from gtcode.cases import ensure_case, link_document, set_attributes
from gtcode.errors import BadExchangeFile, InputError
from gtcode.exchange import qdpx_notes
from gtcode.exchange.codetree import merge_codes, read_codes
from gtcode.exchange.common import ExchangeReport, check_namespace, guid_key, guid_text, is_gtcode
from gtcode.exchange.positions import UNIT_WORDS, UNITS, PositionMap, units_for_origin
from gtcode.exchange.qdpx_inventory import losses
from gtcode.exchange.qdpx_selections import read_selections
from gtcode.exchange.qdpx_state import ImportedSource, ImportState, plain_text
from gtcode.safezip import SafeZip, parse_xml
from gtcode.ingest import ReadOptions
from gtcode.ingest.base import ParsedDocument, turns_from_lines
from gtcode.ingest.importer import ImportSettings, write_document
from gtcode.ingest.nlp import load as load_pipeline
from gtcode.ingest.segment import segment_documents
from gtcode.store.db import Txn, new_uuid, now
from gtcode.text import content_hash, count_words

MAX_QDE_BYTES = 512 * 1024 ** 2


# --- reading the container -----------------------------------------------------------------------------------

def _open(path: Path):
    """(root element, SafeZip or None) for a .qdpx or a bare .qde."""
    if path.suffix.lower() == ".qde":
        try:
            size = path.stat().st_size
        except OSError:
            raise InputError(f"{path}: no such file") from None
        if size > MAX_QDE_BYTES:
            raise BadExchangeFile(f"{path}: larger than {MAX_QDE_BYTES:,} bytes; refused")
        return parse_xml(path.read_bytes(), str(path)), None
    archive = SafeZip(path)
    try:
        qdes = [n for n in archive.names if "/" not in n and n.lower().endswith(".qde")]
        if not qdes:
            raise BadExchangeFile(f"{path}: no project.qde inside; not a REFI-QDA project")
        if len(qdes) > 1:
            preferred = [n for n in qdes if n.lower() == "project.qde"]
            if not preferred:
                raise BadExchangeFile(f"{path}: several project files inside ({', '.join(qdes)}); expected one")
            qdes = preferred
        return parse_xml(archive.read(qdes[0]), f"{path}:{qdes[0]}"), archive
    except BaseException:
        archive.close()
        raise


def _check_guids(root, st: ImportState) -> None:
    """Every element gtcode imports has a valid GUID, used once (references would be ambiguous otherwise)."""
    q = st.q
    seen: dict[str, str] = {}
    kinds = ["Users/User", "Variables/Variable", "Cases/Case", "Sources/TextSource", "Sources/TextSource/"
             "PlainTextSelection", "Sources/TextSource/PlainTextSelection/Coding", "Sources/TextSource/Coding",
             "Notes/Note", "Links/Link", "Sets/Set"]
    elements = [(path.rsplit("/", 1)[-1], el) for path in kinds
                for el in root.iterfind("/".join(q(p) for p in path.split("/")))]
    codebook = root.find(q("CodeBook"))
    if codebook is not None:
        elements += [("Code", el) for el in codebook.iter(q("Code"))]
    for kind, el in elements:
        raw = el.get("guid")
        key = guid_key(raw)
        if key is None:
            raise BadExchangeFile(f"{st.label}: <{kind} name={el.get('name')!r}> has no valid guid ({raw!r}); "
                                  "nothing imported")
        if key in seen:
            raise BadExchangeFile(f"{st.label}: GUID {raw} is used twice (<{seen[key]}> and <{kind}>); "
                                  "references to it would be ambiguous, nothing imported")
        seen[key] = kind


# --- users, codebook, cases ----------------------------------------------------------------------------------

def _users(store, root, st: ImportState) -> None:
    for el in root.iterfind(f"{st.q('Users')}/{st.q('User')}"):
        guid = guid_key(el.get("guid"))
        name = " ".join((el.get("name") or el.get("id") or f"user {guid[:8]}").split())
        row = store.one("SELECT id FROM coders WHERE name = ?", (name,))
        if row is None:
            taken = store.one("SELECT 1 FROM coders WHERE uuid = ? COLLATE NOCASE", (guid,))
            row_id = store.conn.execute("INSERT INTO coders (uuid, name, created_at) VALUES (?, ?, ?)",
                                        (new_uuid() if taken else guid_text(el.get("guid")), name, now())).lastrowid
            st.report.count("coders added")
        else:
            row_id = row[0]
        st.users[guid] = row_id


def _codebook(store, txn: Txn, root, st: ImportState) -> dict[str, list[str]]:
    """Merge the file's codes into the code tree; returns {code GUID: the GUIDs of notes about it}."""
    codebook = root.find(f"{st.q('CodeBook')}/{st.q('Codes')}")
    nodes = read_codes(codebook, st.ns, st.report, is_gtcode(st.origin)) if codebook is not None else []
    st.codes = merge_codes(store, txn, nodes, st.report, st.label)
    return {n.guid: n.note_refs for top in nodes for n in top.walk() if n.note_refs}


def _variable_value(vv, q) -> str | None:
    for tag in ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue"):
        el = vv.find(q(tag))
        if el is not None:
            return (el.text or "").strip()
    return None


_ATTRIBUTE_TYPES = {"Integer": "integer", "Float": "float", "Boolean": "boolean", "Date": "date",
                    "DateTime": "text", "Text": "text"}


def _variables(store, root, st: ImportState) -> None:
    """Variables become case attributes (matched by name), typed as the file types them."""
    q = st.q
    for el in root.iterfind(f"{q('Variables')}/{q('Variable')}"):
        guid, name = guid_key(el.get("guid")), " ".join((el.get("name") or "").split())
        if not name:
            st.report.warn(f"variable {el.get('guid')} has no name; skipped")
            continue
        st.variables[guid] = name
        desc = (el.findtext(q("Description")) or "").strip()
        if not store.one("SELECT 1 FROM attributes WHERE name = ?", (name,)):
            taken = store.one("SELECT 1 FROM attributes WHERE uuid = ? COLLATE NOCASE", (guid,))
            store.conn.execute("INSERT INTO attributes (uuid, name, type, description) VALUES (?, ?, ?, ?)",
                               (new_uuid() if taken else guid_text(el.get("guid")), name,
                                _ATTRIBUTE_TYPES.get(el.get("typeOfVariable") or "Text", "text"), desc))
        elif desc and _describe(store, "attributes", "name", name, desc):
            st.report.count("attribute descriptions set")


def _cases(store, txn: Txn, root, st: ImportState) -> None:
    """Cases (matched by GUID, then name) with their variable values; remembers which sources each holds."""
    q = st.q
    for el in root.iterfind(f"{q('Cases')}/{q('Case')}"):
        guid = guid_key(el.get("guid"))
        name = " ".join((el.get("name") or "").split()) or f"case {guid[:8]}"
        row = store.one("SELECT id, name FROM cases WHERE uuid = ? COLLATE NOCASE", (guid,)) or \
            store.one("SELECT id, name FROM cases WHERE name = ?", (name,))
        desc = (el.findtext(q("Description")) or "").strip()
        if row is None:
            uuid = guid_text(el.get("guid"))
            store.conn.execute("INSERT INTO cases (uuid, name, created_at, created_by, description) VALUES "
                               "(?, ?, ?, ?, ?)", (uuid, name, now(), txn.coder_id, desc))
            txn.record("case.create", f"created case {name} from {st.label}", uuid,
                       case={"uuid": uuid, "name": name, "description": desc})
            st.report.count("cases added")
        else:
            name = row["name"]
            if desc and _describe(store, "cases", "id", row["id"], desc):
                st.report.count("case descriptions set")
        values = _values(el, st, f"case {name}")
        if values and set_attributes(store, txn, name, values):
            st.report.count("cases with attributes set")
        for ref in el.findall(q("SourceRef")):
            key = guid_key(ref.get("targetGUID"))
            if key in st.doc_case and st.doc_case[key] != name:
                st.report.note(f"source {ref.get('targetGUID')} is in cases {st.doc_case[key]} and {name}; "
                               f"linked to {st.doc_case[key]}")
            else:
                st.doc_case[key] = name


def _describe(store, table: str, key: str, value, desc: str) -> bool:
    """Give a row with no description the file's; True if it changed (a description already there is kept)."""
    return store.conn.execute(f"UPDATE {table} SET description = ? WHERE {key} = ? AND description = ''",
                              (desc, value)).rowcount > 0


def _values(el, st: ImportState, where: str) -> dict[str, str]:
    out = {}
    for vv in el.findall(st.q("VariableValue")):
        ref = vv.find(st.q("VariableRef"))
        key = guid_key(ref.get("targetGUID")) if ref is not None else None
        if key not in st.variables:
            st.report.warn(f"{where}: a value refers to unknown variable "
                           f"{ref.get('targetGUID') if ref is not None else '(none)'}; skipped")
            continue
        value = _variable_value(vv, st.q)
        if value:
            out[st.variables[key]] = value
    return out


# --- sources ---------------------------------------------------------------------------------------------------

def _unique_name(store, base: str, taken: set[str]) -> str:
    base = " ".join(base.split()) or "document"
    name, n = base, 2
    while name.casefold() in taken or store.one("SELECT 1 FROM documents WHERE name = ?", (name,)):
        name, n = f"{base} ({n})", n + 1
    taken.add(name.casefold())
    return name


def _sources(store, txn: Txn, root, archive, st: ImportState, path: Path, interviewer, nlp_name) -> list:
    """Documents for every text source (new ones segmented together); returns the TextSource elements kept."""
    q = st.q
    rules = ReadOptions(interviewer=interviewer).rules()
    pending: list[tuple] = []
    kept = []
    taken: set[str] = set()
    for el in root.iterfind(f"{q('Sources')}/{q('TextSource')}"):
        guid = guid_key(el.get("guid"))
        raw = plain_text(el, archive, st)
        if raw is None:
            continue
        positions = PositionMap(raw, st.units)
        text = positions.text
        label = el.get("name") or Path((el.get("plainTextPath") or guid).split("://")[-1]).name
        if not count_words(text):
            st.report.warn(f"text source {label!r}: no words in its text; skipped with its codings")
            continue
        digest = content_hash(text)
        same = store.one("SELECT id, uuid, name, case_id FROM documents WHERE uuid = ? COLLATE NOCASE AND "
                         "text_hash = ?", (guid, digest)) \
            or store.one("SELECT id, uuid, name, case_id FROM documents WHERE text_hash = ?", (digest,))
        kept.append(el)
        if el.find(q("VariableValue")) is not None:     # MAXQDA: values on the source, not on a case
            values = _values(el, st, f"text source {label!r}")
            if values:
                case = st.doc_case.setdefault(guid, " ".join(label.split()))
                set_attributes(store, txn, case, values)
                st.report.count("cases with attributes set")
        desc = (el.findtext(q("Description")) or "").strip()
        if same is not None:
            st.sources[guid] = ImportedSource(guid, same["name"], same["id"], same["uuid"], positions)
            st.report.count("documents already here")
            if desc and _describe(store, "documents", "id", same["id"], desc):
                st.report.count("document descriptions set")
            case = st.doc_case.get(guid)
            if case and same["case_id"] is None:
                link_document(store, txn, same["id"], same["uuid"], same["name"], case)
            continue
        name = re.sub(r"\.(txt|text|md|docx|doc|rtf|pdf|odt)$", "", label, flags=re.IGNORECASE) or label
        doc = ParsedDocument(name=_unique_name(store, name, taken), text=text, format="qdpx",
                             turns=turns_from_lines(text, rules), encoding="utf-8")
        pending.append((guid, doc, positions, desc, guid_text(el.get("guid"))))
    if pending:
        _write_documents(store, txn, pending, st, path, nlp_name)
    return kept


def _write_documents(store, txn: Txn, pending: list[tuple], st: ImportState, path: Path, nlp_name) -> None:
    """Segment the new documents in one pass and store them, linked to their cases."""
    segments = segment_documents([p[1] for p in pending], load_pipeline(nlp_name))
    settings = ImportSettings(ReadOptions())
    for (guid, doc, positions, desc, written), segs in zip(pending, segments):
        case = st.doc_case.get(guid)
        case_id = ensure_case(store, txn, case) if case else None
        taken = store.one("SELECT 1 FROM documents WHERE uuid = ? COLLATE NOCASE", (guid,))
        doc_guid = written if not taken else new_uuid()
        if taken:
            st.report.note(f"text source {doc.name!r}: a document with its GUID but other text is already "
                           "here; imported as a new document")
        outcome = write_document(store, txn, path / doc.name, doc, segs, case_id, settings, uuid=doc_guid)
        if desc:
            _describe(store, "documents", "id", outcome.document_id, desc)
        st.sources[guid] = ImportedSource(guid, doc.name, outcome.document_id, doc_guid, positions)
        st.report.count("documents imported")


# --- the whole import ------------------------------------------------------------------------------------------

def import_qdpx(project, path, *, dry_run: bool = False, positions: str | None = None, interviewer=None,
                nlp: str | None = None) -> ExchangeReport:
    """Import a .qdpx (or .qde) into `project` in one transaction; `dry_run` does it all, then rolls back."""
    path = Path(path)
    if positions is not None and positions not in UNITS:
        raise InputError(f"--positions {positions!r}: expected one of {', '.join(UNITS)}")
    root, archive = _open(path)
    try:
        origin = root.get("origin") or ""
        report = ExchangeReport(str(path), "import", "qdpx", origin=origin, dry_run=dry_run)
        ns = check_namespace(root, "project", str(path))
        st = ImportState(ns, origin, positions or units_for_origin(origin), report, path.name,
                         units_given=positions is not None)
        report.positions = UNIT_WORDS[st.units] + (" (--positions)" if positions else
                                                   f" (for {origin or 'a file of unknown origin'})")
        _check_guids(root, st)
        losses(root, st)
        store = project.store
        with project.transaction(dry_run=dry_run) as txn:
            _users(store, root, st)
            code_notes = _codebook(store, txn, root, st)
            _variables(store, root, st)
            _cases(store, txn, root, st)
            kept = _sources(store, txn, root, archive, st, path, interviewer, nlp)
            read_selections(store, txn, root, kept, st)
            qdpx_notes.read_notes(store, txn, root, archive, st)
            qdpx_notes.read_project_notes(store, txn, root, st)
            qdpx_notes.read_links(store, txn, root, st)
            qdpx_notes.read_sets(store, txn, root, st)
            qdpx_notes.link_memos(store, txn, st, code_notes)
            txn.record("exchange.import", f"imported {path.name} ({origin or 'unknown tool'}): {report.summary}",
                       None, source=str(path), origin=origin, counts=report.counts, warnings=len(report.warnings),
                       losses=report.losses)
        return report
    finally:
        if archive is not None:
            archive.close()
