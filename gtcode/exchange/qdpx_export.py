"""Export a project as a REFI-QDA project (.qdpx) that other QDA tools open.

Every row keeps its uuid as its GUID (in its own case), so exporting twice
gives the same GUIDs and re-importing recognises what is already there.
Documents travel as their canonical text (`sources/<guid>.txt`, UTF-8) with
the line endings, BOM and position units the chosen reader expects
(positions.TARGETS: `spec` is LF and code points, `nvivo` CRLF and UTF-16
units…). Each coding is a selection of its own, with its creator and time;
a category that holds codings is written codable, so no reader drops them.
What REFI-QDA cannot carry is
listed in the report, never dropped silently: pending (autocoded, unreviewed)
codings are left out on purpose, so other tools do not mistake suggestions
for decisions.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from gtcode.codes import all_codes
from gtcode.errors import BadExchangeFile, InputError
from gtcode.exchange.common import (PROJECT_NS, ExchangeReport, as_guid, derived_guid, describe, gtcode_origin,
                                    to_xml_datetime, validate)
from gtcode.exchange.positions import TARGETS, Target, UnitCounter, written_text
from gtcode.files import atomic_file
from gtcode.text import plural

_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")
#: gtcode attribute types → REFI-QDA typeOfVariable, with a check each value must pass.
_VARIABLE_TYPES = {"integer": "Integer", "float": "Float", "boolean": "Boolean", "date": "Date"}


def _tag(name: str) -> str:
    return f"{{{PROJECT_NS}}}{name}"


def _el(parent, name: str, attrs: dict | None = None, text: str | None = None):
    from lxml import etree

    el = etree.SubElement(parent, _tag(name), {k: str(v) for k, v in (attrs or {}).items() if v is not None})
    if text is not None:
        el.text = text
    return el


def _snippet(text: str, limit: int = 80) -> str:
    words = " ".join(text.split())
    return words if len(words) <= limit else words[:limit - 1] + "…"


def _value_element(kind: str, value: str) -> tuple[str, str] | None:
    """(element name, lexical value) of a value as `kind`, or None if it is not one."""
    v = value.strip()
    if kind == "Integer":
        return ("IntegerValue", str(int(v))) if v.lstrip("+-").isdigit() else None
    if kind == "Float":
        try:
            float(v)
        except ValueError:
            return None
        return ("FloatValue", v) if "e" not in v.lower() and v.lower() not in ("nan", "inf", "-inf") else None
    if kind == "Boolean":
        low = v.lower()
        return ("BooleanValue", "true" if low in ("true", "1", "yes") else "false") \
            if low in ("true", "false", "1", "0", "yes", "no") else None
    if kind == "Date":
        try:
            date.fromisoformat(v)
        except ValueError:
            return None
        return ("DateValue", v)
    return ("TextValue", value)


@dataclass
class _Export:
    """What every section of the export reads: the store, the report, the coders, and what each memo is about."""

    store: object
    report: ExchangeReport
    coders: dict[int, dict]                                      # coder id → {id, uuid, name}
    target: Target = TARGETS["spec"]
    span_made: dict[tuple, tuple] = field(default_factory=dict)  # (doc uuid, s, e) → (coder id, time) of a link
    unlinked: list[str] = field(default_factory=list)            # GUIDs of memos about nothing: project notes
    notes_on: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # target uuid → memo GUIDs
    notes_on_span: dict[tuple, list[str]] = field(default_factory=lambda: defaultdict(list))  # (doc uuid, s, e) → …
    sources_xml: list[bytes] = field(default_factory=list)       # each <TextSource> as written (see `_sources`)

    def user(self, coder_id) -> str | None:
        return as_guid(self.coders[coder_id]["uuid"]) if coder_id in self.coders else None


def _note_refs(parent, memo_guids) -> None:
    for g in memo_guids:
        _el(parent, "NoteRef", {"targetGUID": g})


def _project(project, ex: _Export):
    """The root <Project>, with its creator, creation time, and the reader it was written for (in `origin`, so
    gtcode reads the positions back in the same units)."""
    from lxml import etree

    proj = ex.store.one("SELECT * FROM project WHERE id = 1")
    coder_by_name = {c["name"]: c for c in ex.coders.values()}
    root = etree.Element(_tag("Project"), nsmap={None: PROJECT_NS})
    root.set("name", project.name)
    root.set("origin", gtcode_origin() + ("" if ex.target.name == "spec" else f" (--for {ex.target.name})"))
    creator = coder_by_name.get(proj["created_by"]) if proj else None
    if creator:
        root.set("creatingUserGUID", as_guid(creator["uuid"]))
    if proj:
        root.set("creationDateTime", to_xml_datetime(proj["created_at"]))
    return root


def _memo_links(ex: _Export) -> None:
    """What each note is about (codes, documents, passages, memos), for the NoteRefs of every section."""
    store = ex.store
    live = {"code": {r[0] for r in store.all("SELECT uuid FROM codes")},
            "document": {r[0] for r in store.all("SELECT uuid FROM documents")},
            "memo": {r[0] for r in store.all("SELECT uuid FROM memos")}}
    gone = 0
    ex.unlinked = [as_guid(r[0]) for r in store.all("SELECT uuid FROM memos m WHERE NOT EXISTS (SELECT 1 FROM "
                                                   "memo_links l WHERE l.memo_id = m.id) AND NOT EXISTS (SELECT 1 FROM "
                                                   "relation_evidence e WHERE e.memo_id = m.id) ORDER BY id")]
    for r in store.all("SELECT l.target_type, l.target_uuid, l.start_char, l.end_char, l.created_by, l.created_at,"
                       " m.uuid AS memo FROM memo_links l JOIN memos m ON m.id = l.memo_id ORDER BY l.id"):
        kind = {"category": "code", "segment": "document"}.get(r["target_type"], r["target_type"])
        if r["target_uuid"] not in live.get(kind, set()):
            gone += 1
            continue
        memo = as_guid(r["memo"])
        if r["target_type"] == "segment":
            key = (r["target_uuid"], r["start_char"], r["end_char"])
            bucket = ex.notes_on_span[key]
            ex.span_made.setdefault(key, (r["created_by"], r["created_at"]))
        else:
            bucket = ex.notes_on[r["target_uuid"]]
        if memo not in bucket:
            bucket.append(memo)
    if gone:
        ex.report.lose(f"{gone} memo link(s) to codes, documents or memos that no longer exist")


def _users(root, ex: _Export) -> None:
    if ex.coders:
        users = _el(root, "Users")
        for c in ex.coders.values():
            _el(users, "User", {"guid": as_guid(c["uuid"]), "name": c["name"]})


def _codebook(root, ex: _Export) -> list:
    """The code tree (categories as non-codable codes); returns the codes."""
    codes = all_codes(ex.store)
    if not codes:
        return codes
    holding = {r[0] for r in ex.store.all("SELECT DISTINCT g.code_id FROM codings g JOIN codes c ON c.id = g.code_id"
                                          " WHERE c.kind = 'category' AND g.status = 'confirmed'")}
    children: dict[int | None, list] = defaultdict(list)
    for c in codes:
        children[c.parent_id].append(c)
    holder = _el(_el(root, "CodeBook"), "Codes")

    def add(parent, code) -> None:
        codable = not code.is_category or code.id in holding
        el = _el(parent, "Code", {"guid": as_guid(code.uuid), "name": code.name,
                                  "isCodable": "true" if codable else "false", "color": code.color})
        text = describe(code, codable_category=code.is_category and codable)
        if text:
            _el(el, "Description", text=text)
        _note_refs(el, ex.notes_on.get(code.uuid, []))
        for child in children.get(code.id, []):
            add(el, child)

    for top in children[None]:
        add(holder, top)
    ex.report.count("codes", len(codes))
    if holding:
        names = ", ".join(repr(c.path) for c in codes if c.id in holding)
        ex.report.note(f"{len(holding)} categor{'y' if len(holding) == 1 else 'ies'} holding codings ({names}) "
                       "exported as codable codes (isCodable=\"true\"), so other tools keep the codings on them")
    return codes


def _cases(root, ex: _Export, docs) -> None:
    """Attributes as variables (typed when every value fits), cases with their values and documents."""
    store = ex.store
    attributes = store.all("SELECT id, uuid, name, type, description FROM attributes ORDER BY id")
    values: dict[int, dict[int, str]] = defaultdict(dict)        # case id → attribute id → value
    for r in store.all("SELECT case_id, attribute_id, value FROM case_attributes"):
        values[r["case_id"]][r["attribute_id"]] = r["value"]
    kinds = {}
    for a in attributes:
        kind = _VARIABLE_TYPES.get(a["type"], "Text")
        if kind != "Text" and any(_value_element(kind, v[a["id"]]) is None for v in values.values() if a["id"] in v):
            kind = "Text"
        kinds[a["id"]] = kind
    if attributes:
        holder = _el(root, "Variables")
        for a in attributes:
            var = _el(holder, "Variable", {"guid": as_guid(a["uuid"]), "name": a["name"],
                                           "typeOfVariable": kinds[a["id"]]})
            if a["description"]:
                _el(var, "Description", text=a["description"])
    cases = store.all("SELECT id, uuid, name, description FROM cases ORDER BY id")
    if not cases:
        return
    holder = _el(root, "Cases")
    sources: dict[int, list[str]] = defaultdict(list)           # case id → its documents' GUIDs
    for d in docs:
        sources[d["case_id"]].append(as_guid(d["uuid"]))
    for case in cases:
        el = _el(holder, "Case", {"guid": as_guid(case["uuid"]), "name": case["name"]})
        if case["description"]:
            _el(el, "Description", text=case["description"])
        for a in attributes:
            value = values[case["id"]].get(a["id"])
            if value is None:
                continue
            vv = _el(el, "VariableValue")
            _el(vv, "VariableRef", {"targetGUID": as_guid(a["uuid"])})
            tag, lexical = _value_element(kinds[a["id"]], value) or ("TextValue", value)
            _el(vv, tag, text=lexical)
        for guid in sources.get(case["id"], ()):
            _el(el, "SourceRef", {"targetGUID": guid})
    ex.report.count("cases", len(cases))


def _selection(parent, counter: UnitCounter, start: int, end: int, guid: str, user, created):
    """A PlainTextSelection over canonical [start, end), its positions in the target's units."""
    return _el(parent, "PlainTextSelection", {
        "guid": guid, "name": _snippet(counter.text[start:end]), "startPosition": counter.position(start),
        "endPosition": counter.position(end), "creatingUser": user, "creationDateTime": created})


def _source_selections(el, ex: _Export, d, text: str, codings, code_uuid: dict[int, str], notes: dict) -> None:
    """One selection per confirmed coding (readers that take one coding per selection miss none), then one per
    passage that only memos are about (`notes`: (start, end) → memo GUIDs); notes on a passage go on its first
    selection."""
    counter = UnitCounter(text, ex.target)
    for c in codings:
        span = (c["start_char"], c["end_char"])
        created = to_xml_datetime(c["created_at"])
        sel = _selection(el, counter, *span, derived_guid("selection", c["uuid"]), ex.user(c["coder_id"]), created)
        coding = _el(sel, "Coding", {"guid": as_guid(c["uuid"]), "creatingUser": ex.user(c["coder_id"]),
                                     "creationDateTime": created})
        _el(coding, "CodeRef", {"targetGUID": as_guid(code_uuid[c["code_id"]])})
        _note_refs(sel, notes.pop(span, []))
        ex.report.count("codings")
    for (start, end), guids in sorted(notes.items()):
        who, when = ex.span_made[(d["uuid"], start, end)]
        sel = _selection(el, counter, start, end, derived_guid("selection", d["uuid"], str(start), str(end)),
                         ex.user(who), to_xml_datetime(when))
        _note_refs(sel, guids)


def _text(store, doc_id: int) -> str:
    return store.scalar("SELECT text FROM documents WHERE id = ?", (doc_id,))


_SOURCES_HERE = "gtcode: the text sources go here"


def _sources(root, ex: _Export, docs, code_uuid: dict[int, str]) -> None:
    """Documents as text sources with their confirmed codings as selections, one document's text in memory at a
    time (their files are written by `_source_files`). Each <TextSource> is serialised as soon as it is built,
    indented as in the whole tree, into `ex.sources_xml`, and `<Sources>` holds a marker comment that
    `build_qdpx` replaces with them: a large project's selections never stand in memory as one tree."""
    from lxml import etree

    store, report = ex.store, ex.report
    codings: dict[int, list] = defaultdict(list)
    for r in store.all("SELECT * FROM codings WHERE status = 'confirmed' ORDER BY document_id, start_char, id"):
        codings[r["document_id"]].append(r)
    pending = store.scalar("SELECT count(*) FROM codings WHERE status = 'pending'")
    if pending:
        report.lose(f"{pending} pending (autocoded, unreviewed) coding(s) left out: review them first "
                    "('gtcode review'); REFI-QDA has no way to mark a coding as a suggestion")
    if not docs:
        return
    on_span: dict[str, dict[tuple[int, int], list[str]]] = defaultdict(dict)   # document uuid → passage → memos
    for (uuid, start, end), guids in ex.notes_on_span.items():
        on_span[uuid][(start, end)] = guids
    _el(root, "Sources").append(etree.Comment(_SOURCES_HERE))
    holder = _el(etree.Element(root.tag, nsmap=root.nsmap), "Sources")      # the same depth, one at a time
    astral = 0
    for d in docs:
        guid = as_guid(d["uuid"])
        text = _text(store, d["id"])
        astral += _ASTRAL.search(text) is not None
        el = _el(holder, "TextSource", {"guid": guid, "name": d["name"], "plainTextPath": f"internal://{guid}.txt",
                                        "creatingUser": ex.user(d["imported_by"]),
                                        "creationDateTime": to_xml_datetime(d["imported_at"])})
        if d["description"]:
            _el(el, "Description", text=d["description"])
        _source_selections(el, ex, d, text, codings.pop(d["id"], []), code_uuid, on_span.pop(d["uuid"], {}))
        _note_refs(el, ex.notes_on.get(d["uuid"], []))
        written = etree.tostring(holder.getparent(), encoding="utf-8", pretty_print=True)
        ex.sources_xml.append(written[written.index(b"<Sources>\n") + 10:written.rindex(b"  </Sources>")])
        holder.remove(el)
    report.count("documents", len(docs))
    if astral and ex.target.units == "codepoint-lf":
        report.note(f"{plural(astral, 'document')} hold emoji or other characters beyond U+FFFF: {ex.target.tool} is "
                    "reported to count them as one; if codings after them look one place off there, export "
                    "--for spec or --for nvivo instead")
    timed = store.scalar("SELECT count(DISTINCT document_id) FROM turns WHERE time_start IS NOT NULL")
    if timed:
        report.lose(f"cue times of {timed} timed document(s): a REFI-QDA text source has no times "
                    "(the text and its codings travel)")


def _source_files(store, docs, target: Target):
    """(zip entry, bytes) of each document's text as the target's .txt, read one at a time."""
    for d in docs:
        yield f"sources/{as_guid(d['uuid'])}.txt", written_text(_text(store, d["id"]), target)


def _notes(root, ex: _Export) -> list:
    """Memos as notes (their latest version, the memo type in the Description); returns the memo rows."""
    store, report = ex.store, ex.report
    memos = store.all(
        "SELECT m.id, m.uuid, m.type, m.created_at, m.created_by, v.title, v.body, v.version,"
        " v.created_at AS updated_at, v.created_by AS updated_by FROM memos m JOIN memo_versions v"
        " ON v.memo_id = m.id AND v.version = (SELECT max(version) FROM memo_versions WHERE memo_id = m.id)"
        " ORDER BY m.id")
    if not memos:
        return memos
    holder = _el(root, "Notes")
    for m in memos:
        el = _el(holder, "Note", {"guid": as_guid(m["uuid"]), "name": m["title"],
                                  "creatingUser": ex.user(m["created_by"]),
                                  "creationDateTime": to_xml_datetime(m["created_at"]),
                                  "modifyingUser": ex.user(m["updated_by"]),
                                  "modifiedDateTime": to_xml_datetime(m["updated_at"])})
        _el(el, "Description", text=f"Memo type: {m['type']}")
        _el(el, "PlainTextContent", text=m["body"])
        _note_refs(el, ex.notes_on.get(m["uuid"], []))
    report.count("memos", len(memos))
    older = store.scalar("SELECT count(*) FROM memo_versions v WHERE v.version < "
                         "(SELECT max(version) FROM memo_versions WHERE memo_id = v.memo_id)")
    if older:
        report.lose(f"{older} earlier memo version(s): only each memo's latest text is exported")
    for table, what in (("memo_comments", "review comment(s) on memos"), ("memo_signoffs", "memo sign-off(s)")):
        n = store.scalar(f"SELECT count(*) FROM {table}")
        if n:
            report.lose(f"{n} {what}")
    return memos


def _links(root, ex: _Export, code_uuid: dict[int, str], memos) -> None:
    """Relations as one-way links, with their memo evidence as notes."""
    store, report = ex.store, ex.report
    relations = store.all("SELECT r.*, t.label FROM relations r JOIN relation_types t ON t.name = r.type ORDER BY r.id")
    if not relations:
        return
    memo_uuid = {m["id"]: m["uuid"] for m in memos}
    evidence = defaultdict(list)
    passages = 0
    for e in store.all("SELECT relation_id, memo_id FROM relation_evidence ORDER BY id"):
        if e["memo_id"] is not None and e["memo_id"] in memo_uuid:
            evidence[e["relation_id"]].append(as_guid(memo_uuid[e["memo_id"]]))
        else:
            passages += 1
    holder = _el(root, "Links")
    for r in relations:
        el = _el(holder, "Link", {"guid": as_guid(r["uuid"]), "name": r["label"], "direction": "OneWay",
                                  "originGUID": as_guid(code_uuid[r["source_id"]]),
                                  "targetGUID": as_guid(code_uuid[r["target_id"]])})
        _note_refs(el, list(dict.fromkeys(evidence.get(r["id"], []))))
    report.count("relations", len(relations))
    if passages:
        report.lose(f"{plural(passages, 'passage')} of evidence for relations: a REFI-QDA link joins two objects only "
                    "(memo evidence travels as the link's notes)")
    notes = sum(1 for r in relations if r["note"])
    if notes:
        report.lose(f"notes on {plural(notes, 'relation')}")


def _properties(ex: _Export) -> None:
    """Category properties have no place in REFI-QDA: reported."""
    props = ex.store.scalar("SELECT count(*) FROM category_properties")
    if props:
        placed = ex.store.scalar("SELECT count(*) FROM property_evidence")
        ex.report.lose(f"{props} category propert{'y' if props == 1 else 'ies'} (with dimensions) and {placed} "
                       "passage(s) placed on them")


def build_qdpx(project, target: str = "spec"):
    """(project.qde bytes, the source texts as (zip entry, bytes) read as they are written, report) for the whole
    project, one function per REFI-QDA section, in the order the schema wants them (and the importer reads
    them)."""
    from lxml import etree

    store = project.store
    if target not in TARGETS:
        raise InputError(f"--for {target!r}: expected one of {', '.join(TARGETS)}")
    report = ExchangeReport(str(project.path), "export", "qdpx", origin=gtcode_origin(),
                            positions=TARGETS[target].words)
    coders = {r["id"]: dict(r) for r in store.all("SELECT id, uuid, name FROM coders ORDER BY id")}
    ex = _Export(store, report, coders, TARGETS[target])
    root = _project(project, ex)
    _memo_links(ex)
    _users(root, ex)
    codes = _codebook(root, ex)
    docs = store.all("SELECT id, uuid, name, description, case_id, imported_at, imported_by FROM documents"
                     " ORDER BY id")
    _cases(root, ex, docs)
    code_uuid = {c.id: c.uuid for c in codes}
    _sources(root, ex, docs, code_uuid)
    memos = _notes(root, ex)
    _links(root, ex, code_uuid, memos)
    _note_refs(root, ex.unlinked)          # memos about nothing in particular: notes on the project
    _properties(ex)
    xml = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    if ex.sources_xml:
        xml = xml.replace(f"    <!--{_SOURCES_HERE}-->\n".encode(), b"".join(ex.sources_xml), 1)
    return xml, _source_files(store, docs, ex.target), report


def export_qdpx(project, path: str | os.PathLike, schema: str | os.PathLike | None = None,
                target: str = "spec") -> ExchangeReport:
    """Write the project to `path` (.qdpx) for `target` (see positions.TARGETS); the file appears whole or not at all.

    With `schema` (an XSD such as Project-mrt2019.xsd) nothing is written unless project.qde validates.
    """
    xml, files, report = build_qdpx(project, target)
    target = Path(path)
    if schema is not None:
        problems = validate(xml, schema)
        if problems:
            raise BadExchangeFile(f"{target}: not written, project.qde does not validate against {schema}: "
                                  f"{problems[0]}" + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""))
    report.source = str(target)
    with atomic_file(target) as tmp:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("project.qde", xml)
            for name, data in files:
                zf.writestr(name, data)
    return report

