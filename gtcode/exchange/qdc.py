"""REFI-QDA codebooks (.qdc): the code tree alone, for sharing a codebook between tools.

Export writes every code (categories as non-codable codes) with its colour
and a Description carrying gtcode's other fields (see common.py). Import
adds or updates codes, never deletes, like the YAML codebook import. Code
sets become memos whose links are their codes, as they do from a .qdpx.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from gtcode.codes import all_codes, resolve_code, subtree
from gtcode.errors import BadExchangeFile, InputError
from gtcode.exchange.codetree import merge_codes, read_codes
from gtcode.exchange.common import (CODEBOOK_NS, ExchangeReport, as_guid, check_namespace, describe, guid_key,
                                    gtcode_origin, is_gtcode)
from gtcode.exchange.qdpx_notes import link_memos, read_sets
from gtcode.exchange.qdpx_state import ImportState
from gtcode.safezip import parse_xml

MAX_QDC_BYTES = 64 * 1024 ** 2


def export_qdc(project, code: str | None = None) -> bytes:
    """The codebook (or one code's subtree) as QDC XML bytes."""
    from lxml import etree

    codes = all_codes(project.store)
    if code is not None:
        codes = subtree(codes, resolve_code(project.store, code, codes))
    if not codes:
        raise InputError("the project has no codes to export; a REFI-QDA codebook needs at least one")
    ids = {c.id for c in codes}
    children = defaultdict(list)
    for c in codes:
        children[c.parent_id if c.parent_id in ids else None].append(c)
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", nsmap={None: CODEBOOK_NS})
    root.set("origin", gtcode_origin())
    holder = etree.SubElement(root, f"{{{CODEBOOK_NS}}}Codes")

    def add(parent, c) -> None:
        el = etree.SubElement(parent, f"{{{CODEBOOK_NS}}}Code", {"guid": as_guid(c.uuid), "name": c.name,
                                                                   "isCodable": "false" if c.is_category else "true"})
        if c.color:
            el.set("color", c.color)
        text = describe(c)
        if text:
            etree.SubElement(el, f"{{{CODEBOOK_NS}}}Description").text = text
        for child in children.get(c.id, []):
            add(el, child)

    for top in children[None]:
        add(holder, top)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def read_qdc(path: Path):
    """(root, namespace, report) of a checked .qdc file: safe XML, the codebook namespace, unique valid GUIDs."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    if path.is_dir():
        raise InputError(f"{path}: a folder, not a .qdc codebook")
    if size > MAX_QDC_BYTES:
        raise BadExchangeFile(f"{path}: larger than {MAX_QDC_BYTES:,} bytes; refused")
    root = parse_xml(path.read_bytes(), str(path))
    ns = check_namespace(root, "codebook", str(path))
    report = ExchangeReport(str(path), "import", "qdc", origin=root.get("origin") or "")
    seen: set[str] = set()
    for el in root.iter(f"{{{ns}}}Code"):
        key = guid_key(el.get("guid"))
        if key is None:
            raise BadExchangeFile(f"{path}: code {el.get('name')!r} has no valid guid ({el.get('guid')!r}); "
                                  "nothing imported")
        if key in seen:
            raise BadExchangeFile(f"{path}: GUID {el.get('guid')} is used by two codes; nothing imported")
        seen.add(key)
    if root.find(f"{{{ns}}}Codes") is None:
        raise BadExchangeFile(f"{path}: no <Codes> in the codebook")
    sets = root.find(f"{{{ns}}}Sets")
    if sets is not None:
        members = sets.findall(f"{{{ns}}}Set")
        if not members:
            report.note("an empty <Sets/> (not valid REFI-QDA, Taguette writes it); nothing to import there")
        for s in members:
            if guid_key(s.get("guid")) is None:
                raise BadExchangeFile(f"{path}: code set {s.get('name')!r} has no valid guid; nothing imported")
    return root, ns, report


def import_qdc(project, path, dry_run: bool = False) -> ExchangeReport:
    """Add or update codes from a .qdc (never deletes), in one transaction; `dry_run` only reports."""
    path = Path(path)
    root, ns, report = read_qdc(path)
    report.dry_run = dry_run
    nodes = read_codes(root.find(f"{{{ns}}}Codes"), ns, report, is_gtcode(report.origin))
    with project.transaction(dry_run=dry_run) as txn:
        st = ImportState(ns, report.origin, "codepoint", report, path.name)
        st.codes = merge_codes(project.store, txn, nodes, report, path.name)
        read_sets(project.store, txn, root, st)            # code sets: memos linking their codes
        link_memos(project.store, txn, st, {})
        if any(report.counts.get(k) for k in ("codes added", "codes updated", "sets (as memos) added")):
            txn.record("codebook.import", f"imported codebook {path.name}: {report.summary}", None,
                       source=str(path), origin=report.origin, counts=report.counts)
    return report
