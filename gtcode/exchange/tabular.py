"""Data out of gtcode for R and pandas: every coding as a row (CSV or JSON Lines), and the code × case matrix.

Both read the project only. Exports include pending (autocoded, not yet reviewed) codings with a `pending`
column, so an analyst can drop them or study them; the matrix counts confirmed codings only, as every
analysis in gtcode does. Files are written whole or not at all (`gtcode.files.atomic_file`).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from gtcode.codes import all_codes, subtree
from gtcode.coding import passages
from gtcode.errors import InputError
from gtcode.files import atomic_file, check_output
from gtcode.scope import Scope, natural_key

CODING_FORMATS = ("csv", "jsonl")
#: The fixed columns of `export codings`, in order; case attributes follow `case`.
CODING_COLUMNS = ("id", "uuid", "document", "document_id", "case")
CODING_TAIL = ("speaker", "address", "start", "end", "text", "code", "category", "coder", "time", "pending")


def _categories(codes) -> dict[int, str]:
    """code id → path of the nearest category at or above it ('' when it sits in no category)."""
    by_id = {c.id: c for c in codes}
    out = {}
    for c in codes:
        node = c
        while node is not None and not node.is_category:
            node = by_id.get(node.parent_id)
        out[c.id] = node.path if node is not None else ""
    return out


def _attribute_names(store) -> list[str]:
    return [r[0] for r in store.all("SELECT name FROM attributes ORDER BY id")]


def coding_rows(project, where=None) -> tuple[list[str], list[dict]]:
    """(columns, rows): one row per coding, pending ones included, in document order.

    Case attributes become columns of their own after `case` (prefixed `attr_` if a name clashes with a
    fixed column). `text` is exactly the coded span of the canonical text; `start`/`end` are code-point
    offsets into it, half-open.
    """
    return _coding_rows(project.store, Scope.from_where(project.store, where))


def _coding_rows(store, scope: Scope) -> tuple[list[str], list[dict]]:
    fixed = set(CODING_COLUMNS) | set(CODING_TAIL)
    attrs = _attribute_names(store)
    attr_cols = {a: (f"attr_{a}" if a in fixed else a) for a in attrs}
    columns = [*CODING_COLUMNS, *attr_cols.values(), *CODING_TAIL]
    codes = all_codes(store)
    category = _categories(codes)
    code_ids = {c.path: c.id for c in codes}
    uuids = {r[0]: r[1] for r in store.all("SELECT id, uuid FROM codings")}
    rows = []
    for p in passages(store, None, scope.clause, scope.params, include_pending=True):
        row = {"id": p.id, "uuid": uuids[p.id], "document": p.document, "document_id": f"D{p.document_id}",
               "case": p.case or ""}
        row |= {col: p.attributes.get(a, "") for a, col in attr_cols.items()}
        row |= {"speaker": p.speaker or "", "address": p.address, "start": p.start, "end": p.end, "text": p.text,
                "code": p.code, "category": category.get(code_ids.get(p.code), ""), "coder": p.coder,
                "time": p.created_at, "pending": p.status == "pending"}
        rows.append(row)
    return columns, rows


def export_codings(project, path, fmt: str | None = None, *, where=None) -> dict:
    """Write every coding (one row each) as CSV or JSON Lines; the format comes from `fmt` or the suffix.

    Returns {"path", "format", "rows", "pending"}. No codings in scope writes the header alone (CSV) or an empty
    file (JSON Lines), so a script that reads it still runs.
    """
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".") or "").lower().strip(".")
    fmt = {"json": "jsonl", "ndjson": "jsonl"}.get(fmt, fmt)
    if fmt not in CODING_FORMATS:
        raise InputError(f"{path.name}: format {fmt or '(none)'!r} unknown; use --format csv or jsonl "
                         "(or a .csv / .jsonl file name)")
    check_output(path)
    columns, rows = coding_rows(project, where)
    with atomic_file(path) as temp:
        with temp.open("w", encoding="utf-8", newline="") as fh:
            if fmt == "csv":
                writer = csv.writer(fh, lineterminator="\n")
                writer.writerow(columns)
                for row in rows:
                    writer.writerow(["true" if row[c] is True else "false" if row[c] is False else row[c]
                                     for c in columns])
            else:
                for row in rows:
                    fh.write(json.dumps({c: row[c] for c in columns}, ensure_ascii=False) + "\n")
    return {"path": str(path), "format": fmt, "rows": len(rows), "pending": sum(r["pending"] for r in rows)}


def code_case_matrix(project, where=None) -> tuple[list[str], list[list]]:
    """(header, rows): each code (with its sub-codes) against each case, 1 where a confirmed coding exists.

    Columns are cases in natural order (P2 before P10); a document linked to no case is a column of its own,
    named by the document. Every code is a row, in code-tree order, so the shape does not depend on the data.
    """
    return _code_case_matrix(project.store, Scope.from_where(project.store, where))


def _code_case_matrix(store, scope: Scope) -> tuple[list[str], list[list]]:
    clause, params = scope.clause, scope.params
    docs = store.all('SELECT d.id, d.name, c.name AS "case" FROM documents d LEFT JOIN cases c ON c.id = d.case_id '
                     f"WHERE {clause} ORDER BY d.id", params)
    if not docs:
        raise InputError("no documents" + (f" where {' and '.join(scope.where)}" if scope.where else
                                           ": import transcripts first"))
    column_of = {d["id"]: d["case"] or d["name"] for d in docs}
    columns = sorted(set(column_of.values()), key=natural_key)
    has: dict[int, set[str]] = {}
    for code_id, doc_id in store.all("SELECT DISTINCT g.code_id, g.document_id FROM codings g JOIN documents d "
                                     f"ON d.id = g.document_id WHERE g.status = 'confirmed' AND {clause}", params):
        has.setdefault(code_id, set()).add(column_of[doc_id])
    tree = all_codes(store)
    codes = [c for c in tree if not c.is_category]
    if not codes:
        raise InputError("no codes yet: add some with 'gtcode codes add' or 'gtcode codebook import'")
    category = _categories(tree)
    rows = []
    for code in codes:
        present = set().union(*(has.get(c.id, set()) for c in subtree(tree, code) if not c.is_category))
        rows.append([code.path, category[code.id], *(1 if col in present else 0 for col in columns)])
    return ["code", "category", *columns], rows


def export_matrix(project, path, *, where=None) -> dict:
    """Write the code × case 0/1 matrix as CSV; returns {"path", "codes", "cases"}."""
    path = check_output(path)
    header, rows = code_case_matrix(project, where)
    with atomic_file(path) as temp:
        with temp.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)
    return {"path": str(path), "codes": len(rows), "cases": len(header) - 2}
