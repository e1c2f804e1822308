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
for decisions. project.qde is written as it is built (`xmlwriter.XmlWriter`)
straight into the zip, never held whole; the text sources and their
selections are `qdpx_sources`.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from gtcode.codes import all_codes
from gtcode.errors import BadExchangeFile, InputError
from gtcode.exchange.common import (PROJECT_NS, ExchangeReport, as_guid, describe, gtcode_origin,
                                    to_xml_datetime, validate)
from gtcode.exchange.positions import TARGETS, Target
from gtcode.exchange.qdpx_sources import source_files, sources
from gtcode.exchange.xmlwriter import XmlWriter
from gtcode.files import atomic_file
from gtcode.text import plural

#: gtcode attribute types → REFI-QDA typeOfVariable, with a check each value must pass.
_VARIABLE_TYPES = {"integer": "Integer", "float": "Float", "boolean": "Boolean", "date": "Date"}
#: Deflate level of the .qdpx (a zip). Measured on this machine: level 1 deflates English text about three
#: times as fast as zlib's default 6 (~100 against ~35 MB/s of CPU) for 13–19 % more bytes, and at 20M words
#: the default cost more time than building project.qde; storing without compression would make it 4–5× larger.
COMPRESS_LEVEL = 1


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
    w: XmlWriter | None = None                                   # where project.qde is being written
    target: Target = TARGETS["spec"]
    span_made: dict[tuple, tuple] = field(default_factory=dict)  # (doc uuid, s, e) → (coder id, time) of a link
    unlinked: list[str] = field(default_factory=list)            # GUIDs of memos about nothing: project notes
    notes_on: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # target uuid → memo GUIDs
    notes_on_span: dict[tuple, list[str]] = field(default_factory=lambda: defaultdict(list))  # (doc uuid, s, e) → …
    users: dict[int, str] = field(default_factory=dict)          # coder id → its GUID

    def user(self, coder_id) -> str | None:
        if coder_id not in self.users and coder_id in self.coders:
            self.users[coder_id] = as_guid(self.coders[coder_id]["uuid"])
        return self.users.get(coder_id)

    def note_refs(self, memo_guids) -> None:
        for g in memo_guids:
            self.w.leaf("NoteRef", {"targetGUID": g})


def _project(project, ex: _Export, sink) -> None:
    """Start the root <Project> in `sink`, with its creator, creation time, and the reader it was written for (in
    `origin`, so gtcode reads the positions back in the same units)."""
    proj = ex.store.one("SELECT * FROM project WHERE id = 1")
    coder_by_name = {c["name"]: c for c in ex.coders.values()}
    attrs = {"name": project.name,
             "origin": gtcode_origin() + ("" if ex.target.name == "spec" else f" (--for {ex.target.name})")}
    creator = coder_by_name.get(proj["created_by"]) if proj else None
    if creator:
        attrs["creatingUserGUID"] = as_guid(creator["uuid"])
    if proj:
        attrs["creationDateTime"] = to_xml_datetime(proj["created_at"])
    ex.w = XmlWriter(sink, "Project", PROJECT_NS, attrs)


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
        ex.report.lose(f"{plural(gone, 'memo link')} to codes, documents or memos that no longer exist")


def _users(ex: _Export) -> None:
    if ex.coders:
        ex.w.start("Users")
        for c in ex.coders.values():
            ex.w.leaf("User", {"guid": as_guid(c["uuid"]), "name": c["name"]})
        ex.w.end()


def _codebook(ex: _Export) -> list:
    """The code tree (categories as non-codable codes); returns the codes."""
    codes = all_codes(ex.store)
    if not codes:
        return codes
    holding = {r[0] for r in ex.store.all("SELECT DISTINCT g.code_id FROM codings g JOIN codes c ON c.id = g.code_id"
                                          " WHERE c.kind = 'category' AND g.status = 'confirmed'")}
    children: dict[int | None, list] = defaultdict(list)
    for c in codes:
        children[c.parent_id].append(c)
    w = ex.w

    def add(code) -> None:
        codable = not code.is_category or code.id in holding
        w.start("Code", {"guid": as_guid(code.uuid), "name": code.name,
                         "isCodable": "true" if codable else "false", "color": code.color})
        text = describe(code, codable_category=code.is_category and codable)
        if text:
            w.leaf("Description", text=text)
        ex.note_refs(ex.notes_on.get(code.uuid, []))
        for child in children.get(code.id, []):
            add(child)
        w.end()

    w.start("CodeBook")
    w.start("Codes")
    for top in children[None]:
        add(top)
    w.end()
    w.end()
    ex.report.count("codes", len(codes))
    if holding:
        names = ", ".join(repr(c.path) for c in codes if c.id in holding)
        ex.report.note(f"{len(holding)} categor{'y' if len(holding) == 1 else 'ies'} holding codings ({names}) "
                       "exported as codable codes (isCodable=\"true\"), so other tools keep the codings on them")
    return codes


def _cases(ex: _Export, docs) -> None:
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
    w = ex.w
    if attributes:
        w.start("Variables")
        for a in attributes:
            w.start("Variable", {"guid": as_guid(a["uuid"]), "name": a["name"], "typeOfVariable": kinds[a["id"]]})
            if a["description"]:
                w.leaf("Description", text=a["description"])
            w.end()
        w.end()
    cases = store.all("SELECT id, uuid, name, description FROM cases ORDER BY id")
    if not cases:
        return
    w.start("Cases")
    sources: dict[int, list[str]] = defaultdict(list)           # case id → its documents' GUIDs
    for d in docs:
        sources[d["case_id"]].append(as_guid(d["uuid"]))
    guids = {a["id"]: as_guid(a["uuid"]) for a in attributes}
    for case in cases:
        w.start("Case", {"guid": as_guid(case["uuid"]), "name": case["name"]})
        if case["description"]:
            w.leaf("Description", text=case["description"])
        for a in attributes:
            value = values[case["id"]].get(a["id"])
            if value is None:
                continue
            w.start("VariableValue")
            w.leaf("VariableRef", {"targetGUID": guids[a["id"]]})
            tag, lexical = _value_element(kinds[a["id"]], value) or ("TextValue", value)
            w.leaf(tag, text=lexical)
            w.end()
        for guid in sources.get(case["id"], ()):
            w.leaf("SourceRef", {"targetGUID": guid})
        w.end()
    w.end()
    ex.report.count("cases", len(cases))


def _notes(ex: _Export) -> list:
    """Memos as notes (their latest version, the memo type in the Description); returns the memo rows."""
    store, report = ex.store, ex.report
    memos = store.all(
        "SELECT m.id, m.uuid, m.type, m.created_at, m.created_by, v.title, v.body, v.version,"
        " v.created_at AS updated_at, v.created_by AS updated_by FROM memos m JOIN memo_versions v"
        " ON v.memo_id = m.id AND v.version = (SELECT max(version) FROM memo_versions WHERE memo_id = m.id)"
        " ORDER BY m.id")
    if not memos:
        return memos
    w = ex.w
    w.start("Notes")
    for m in memos:
        w.start("Note", {"guid": as_guid(m["uuid"]), "name": m["title"], "creatingUser": ex.user(m["created_by"]),
                         "creationDateTime": to_xml_datetime(m["created_at"]),
                         "modifyingUser": ex.user(m["updated_by"]),
                         "modifiedDateTime": to_xml_datetime(m["updated_at"])})
        w.leaf("Description", text=f"Memo type: {m['type']}")
        w.leaf("PlainTextContent", text=m["body"])
        ex.note_refs(ex.notes_on.get(m["uuid"], []))
        w.end()
    w.end()
    report.count("memos", len(memos))
    older = store.scalar("SELECT count(*) FROM memo_versions v WHERE v.version < "
                         "(SELECT max(version) FROM memo_versions WHERE memo_id = v.memo_id)")
    if older:
        report.lose(f"{plural(older, 'earlier memo version')}: only each memo's latest text is exported")
    for table, what, whats in (("memo_comments", "review comment on memos", "review comments on memos"),
                               ("memo_signoffs", "memo sign-off", "memo sign-offs")):
        n = store.scalar(f"SELECT count(*) FROM {table}")
        if n:
            report.lose(plural(n, what, whats))
    return memos


def _links(ex: _Export, code_guid: dict[int, str], memos) -> None:
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
    ex.w.start("Links")
    for r in relations:
        ex.w.start("Link", {"guid": as_guid(r["uuid"]), "name": r["label"], "direction": "OneWay",
                            "originGUID": code_guid[r["source_id"]], "targetGUID": code_guid[r["target_id"]]})
        ex.note_refs(list(dict.fromkeys(evidence.get(r["id"], []))))
        ex.w.end()
    ex.w.end()
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
        ex.report.lose(f"{props} category propert{'y' if props == 1 else 'ies'} (with dimensions) and "
                       f"{plural(placed, 'passage')} placed on them")


def build_qdpx(project, sink, target: str = "spec"):
    """Write project.qde for the whole project into `sink` (a callable taking bytes) as it is built, one function
    per REFI-QDA section in the order the schema wants them (and the importer reads them); returns (the source
    texts as (zip entry, bytes), read as they are written; the report)."""
    store = project.store
    if target not in TARGETS:
        raise InputError(f"--for {target!r}: expected one of {', '.join(TARGETS)}")
    report = ExchangeReport(str(project.path), "export", "qdpx", origin=gtcode_origin(),
                            positions=TARGETS[target].words)
    coders = {r["id"]: dict(r) for r in store.all("SELECT id, uuid, name FROM coders ORDER BY id")}
    ex = _Export(store, report, coders, target=TARGETS[target])
    _project(project, ex, sink)
    _memo_links(ex)
    _users(ex)
    codes = _codebook(ex)
    docs = store.all("SELECT id, uuid, name, description, case_id, imported_at, imported_by FROM documents"
                     " ORDER BY id")
    _cases(ex, docs)
    code_guid = {c.id: as_guid(c.uuid) for c in codes}
    sources(ex, docs, code_guid)
    memos = _notes(ex)
    _links(ex, code_guid, memos)
    ex.note_refs(ex.unlinked)          # memos about nothing in particular: notes on the project
    _properties(ex)
    ex.w.close()
    return source_files(store, docs, ex.target), report


def _entry(name: str) -> zipfile.ZipInfo:
    """A zip entry as `ZipFile.writestr(name, …)` makes one (time, permissions, compression), for streaming."""
    import time

    info = zipfile.ZipInfo(name, date_time=time.localtime(time.time())[:6])
    info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o600 << 16
    info._compresslevel = COMPRESS_LEVEL        # what writestr sets from the archive (Python 3.11–3.13)
    return info


def export_qdpx(project, path: str | os.PathLike, schema: str | os.PathLike | None = None,
                target: str = "spec") -> ExchangeReport:
    """Write the project to `path` (.qdpx) for `target` (see positions.TARGETS); the file appears whole or not at all.

    With `schema` (an XSD such as Project-mrt2019.xsd) nothing is written unless project.qde validates (it is
    then built in memory first); without, project.qde streams into the archive as it is built.
    """
    out = Path(path)
    xml = None
    if schema is not None:
        buffer = io.BytesIO()
        files, report = build_qdpx(project, buffer.write, target)
        xml = buffer.getvalue()
        problems = validate(xml, schema)
        if problems:
            raise BadExchangeFile(f"{out}: not written, project.qde does not validate against {schema}: "
                                  f"{problems[0]}" + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""))
    with atomic_file(out) as tmp:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as zf:
            if xml is not None:
                zf.writestr(_entry("project.qde"), xml)
            else:
                with zf.open(_entry("project.qde"), "w") as entry:
                    files, report = build_qdpx(project, entry.write, target)
            for name, data in files:
                zf.writestr(name, data)
    report.source = str(out)
    return report
