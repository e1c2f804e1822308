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
is listed in the report's losses. Everything lands, or nothing does.
"""

from __future__ import annotations

import re
from pathlib import Path

from gtcode.cases import ensure_case, link_document, set_attributes
from gtcode.coding import add_coding
from gtcode.errors import BadExchangeFile, InputError
from gtcode.exchange import qdpx_notes
from gtcode.exchange.codetree import merge_codes, read_codes
from gtcode.exchange.common import ExchangeReport, check_namespace, guid_key, is_gtcode
from gtcode.exchange.positions import UNITS, PositionMap, units_for_origin
from gtcode.exchange.qdpx_state import ImportedSource, ImportState, created_at, creating_coder, plain_text
from gtcode.exchange.safezip import SafeZip, parse_xml
from gtcode.ingest import ReadOptions
from gtcode.ingest.base import ParsedDocument, turns_from_lines
from gtcode.ingest.importer import ImportSettings, write_document
from gtcode.ingest.nlp import load as load_pipeline
from gtcode.ingest.segment import segment_documents
from gtcode.store.db import Txn, new_uuid, now
from gtcode.text import content_hash, count_words, strip_span

MAX_QDE_BYTES = 512 * 1024 ** 2
_MEDIA = ("PDFSource", "PictureSource", "AudioSource", "VideoSource")


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


def _losses(root, st: ImportState) -> None:
    q, report = st.q, st.report
    sources = root.find(q("Sources"))
    if sources is not None:
        for kind in _MEDIA:
            items = sources.findall(q(kind))
            if items:
                names = ", ".join(repr(el.get("name") or el.get("guid")) for el in items[:5])
                more = f" and {len(items) - 5} more" if len(items) > 5 else ""
                report.lose(f"{len(items)} {kind.replace('Source', '').lower()} source(s) ({names}{more}) with their "
                            "selections and codings: gtcode holds text documents only")
        rich = sum(1 for el in sources.findall(q("TextSource")) if el.get("richTextPath"))
        if rich:
            report.lose(f"rich-text formatting (.docx) of {rich} text source(s): their plain text is imported")
    graphs = root.findall(f"{q('Graphs')}/{q('Graph')}")
    if graphs:
        report.lose(f"{len(graphs)} graph(s) (network views: " + ", ".join(repr(g.get("name") or "?") for g in graphs)
                    + "): gtcode draws its model from relations instead")
    desc = (root.findtext(q("Description")) or "").strip()
    if desc:
        report.lose(f"the project's description ({desc[:60]!r}…)" if len(desc) > 60 else
                    f"the project's description ({desc!r})")
    refs = sum(len(c.findall(q("CodeRef"))) + len(c.findall(q("SelectionRef")))
               for c in root.iterfind(f"{q('Cases')}/{q('Case')}"))
    if refs:
        report.lose(f"{refs} code or selection reference(s) of cases: gtcode cases hold documents and attributes")


# --- users, codebook, cases ----------------------------------------------------------------------------------

def _users(store, root, st: ImportState) -> None:
    for el in root.iterfind(f"{st.q('Users')}/{st.q('User')}"):
        guid = guid_key(el.get("guid"))
        name = " ".join((el.get("name") or el.get("id") or f"user {guid[:8]}").split())
        row = store.one("SELECT id FROM coders WHERE name = ?", (name,))
        if row is None:
            taken = store.one("SELECT 1 FROM coders WHERE uuid = ?", (guid,))
            row_id = store.conn.execute("INSERT INTO coders (uuid, name, created_at) VALUES (?, ?, ?)",
                                        (new_uuid() if taken else guid, name, now())).lastrowid
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
        if not store.one("SELECT 1 FROM attributes WHERE name = ?", (name,)):
            taken = store.one("SELECT 1 FROM attributes WHERE uuid = ?", (guid,))
            store.conn.execute("INSERT INTO attributes (uuid, name, type) VALUES (?, ?, ?)",
                               (new_uuid() if taken else guid, name,
                                _ATTRIBUTE_TYPES.get(el.get("typeOfVariable") or "Text", "text")))


def _cases(store, txn: Txn, root, st: ImportState) -> None:
    """Cases (matched by GUID, then name) with their variable values; remembers which sources each holds."""
    q = st.q
    for el in root.iterfind(f"{q('Cases')}/{q('Case')}"):
        guid = guid_key(el.get("guid"))
        name = " ".join((el.get("name") or "").split()) or f"case {guid[:8]}"
        row = store.one("SELECT id, name FROM cases WHERE uuid = ?", (guid,)) or \
            store.one("SELECT id, name FROM cases WHERE name = ?", (name,))
        if row is None:
            store.conn.execute("INSERT INTO cases (uuid, name, created_at, created_by) VALUES (?, ?, ?, ?)",
                               (guid, name, now(), txn.coder_id))
            txn.record("case.create", f"created case {name} from {st.label}", guid,
                       case={"uuid": guid, "name": name})
            st.report.count("cases added")
        else:
            name = row["name"]
        values = _values(el, st, f"case {name}")
        if values and set_attributes(store, txn, name, values):
            st.report.count("cases with attributes set")
        for ref in el.findall(q("SourceRef")):
            key = guid_key(ref.get("targetGUID"))
            if key in st.doc_case and st.doc_case[key] != name:
                st.report.warn(f"source {ref.get('targetGUID')} is in cases {st.doc_case[key]} and {name}; "
                               f"linked to {st.doc_case[key]}")
            else:
                st.doc_case[key] = name


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
        same = store.one("SELECT id, uuid, name, case_id FROM documents WHERE uuid = ? AND text_hash = ?",
                         (guid, digest)) or store.one("SELECT id, uuid, name, case_id FROM documents WHERE "
                                                      "text_hash = ?", (digest,))
        kept.append(el)
        if el.find(q("VariableValue")) is not None:     # MAXQDA: values on the source, not on a case
            values = _values(el, st, f"text source {label!r}")
            if values:
                case = st.doc_case.setdefault(guid, " ".join(label.split()))
                set_attributes(store, txn, case, values)
                st.report.count("cases with attributes set")
        if same is not None:
            st.sources[guid] = ImportedSource(guid, same["name"], same["id"], same["uuid"], positions)
            st.report.count("documents already here")
            case = st.doc_case.get(guid)
            if case and same["case_id"] is None:
                link_document(store, txn, same["id"], same["uuid"], same["name"], case)
            continue
        name = re.sub(r"\.(txt|text|md|docx|doc|rtf|pdf|odt)$", "", label, flags=re.IGNORECASE) or label
        doc = ParsedDocument(name=_unique_name(store, name, taken), text=text, format="qdpx",
                             turns=turns_from_lines(text, rules), encoding="utf-8")
        pending.append((guid, doc, positions))
    if pending:
        _write_documents(store, txn, pending, st, path, nlp_name)
    return kept


def _write_documents(store, txn: Txn, pending: list[tuple], st: ImportState, path: Path, nlp_name) -> None:
    """Segment the new documents in one pass and store them, linked to their cases."""
    segments = segment_documents([doc for _, doc, _ in pending], load_pipeline(nlp_name))
    settings = ImportSettings(ReadOptions())
    for (guid, doc, positions), segs in zip(pending, segments):
        case = st.doc_case.get(guid)
        case_id = ensure_case(store, txn, case) if case else None
        doc_guid = guid if not store.one("SELECT 1 FROM documents WHERE uuid = ?", (guid,)) else new_uuid()
        if doc_guid != guid:
            st.report.warn(f"text source {doc.name!r}: a document with its GUID but other text is already "
                           "here; imported as a new document")
        outcome = write_document(store, txn, path / doc.name, doc, segs, case_id, settings, uuid=doc_guid)
        st.sources[guid] = ImportedSource(guid, doc.name, outcome.document_id, doc_guid, positions)
        st.report.count("documents imported")


# --- codings -----------------------------------------------------------------------------------------------------

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
        st.report.warn(f"{src.name!r}: selection {sel.get('guid')} [{start}, {end}) is empty or outside "
                       f"the text; skipped with its {len(codings)} coding(s)")
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
                             coder_id=creating_coder(st, txn, coding, sel), uuid=cguid,
                             created=created_at(coding, sel))
        st.report.count(_OUTCOMES[outcome])
        if outcome == "added":
            added.append(cguid)
    return added


def _codings(store, txn: Txn, kept, st: ImportState) -> None:
    """Selections become codings on the same words; note references on them become segment memo links."""
    q = st.q
    for el in kept:
        src = st.sources.get(guid_key(el.get("guid")))
        if src is None:
            continue
        added: list[str] = []
        mismatched = 0
        units = [(sel, sel.findall(q("Coding"))) for sel in el.findall(q("PlainTextSelection"))]
        units.append((None, el.findall(q("Coding"))))       # codings of the whole source
        for sel, codings in units:
            span = _selection_span(sel, codings, src, st)
            if span is None:
                continue
            if sel is not None:
                mismatched += _quotes_other_words(sel, span, src.positions.text)
                st.spans[guid_key(sel.get("guid"))] = (src.doc_uuid, *span)
                for ref in sel.findall(q("NoteRef")):
                    st.memo_links.append((guid_key(ref.get("targetGUID")), "segment", src.doc_uuid, *span))
            added += _add_codings(store, txn, sel, codings, span, src, st)
        if mismatched:
            st.report.warn(f"{src.name!r}: {mismatched} selection(s) do not cover the words their name quotes; the "
                           f"file may count positions in other units than {st.units!r} (see --positions)")
        for ref in el.findall(q("NoteRef")):
            st.memo_links.append((guid_key(ref.get("targetGUID")), "document", src.doc_uuid, None, None))
        if added:
            txn.record("coding.import", f"imported {len(added)} coding(s) into D{src.doc_id} {src.name!r} from "
                       f"{st.label}", src.doc_uuid, document=src.name, codings=added, source=st.label)


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
        st = ImportState(ns, origin, positions or units_for_origin(origin), report, path.name)
        _check_guids(root, st)
        _losses(root, st)
        store = project.store
        with project.transaction(dry_run=dry_run) as txn:
            _users(store, root, st)
            code_notes = _codebook(store, txn, root, st)
            _variables(store, root, st)
            _cases(store, txn, root, st)
            kept = _sources(store, txn, root, archive, st, path, interviewer, nlp)
            _codings(store, txn, kept, st)
            qdpx_notes.read_notes(store, txn, root, archive, st)
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
