"""Importing a codebook into the project: add new codes, update the fields the file gives; never delete.

`plan_import` says what would change; `import_codebook` makes the change inside the caller's transaction.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from gtcode.codebook.read import TEXT_FIELDS, Codebook, read_codebook
from gtcode.codes import Code, add_code, all_codes, set_fields
from gtcode.store.db import Store, Txn


@dataclass
class ImportedCode:
    """What an import does (or would do) to one code of the file."""

    path: str
    action: str                     # added | updated | unchanged
    line: int
    changes: dict = field(default_factory=dict)   # field -> {"before": …, "after": …}
    uuid: str | None = None


@dataclass
class CodebookImportReport:
    source: str
    items: list[ImportedCode]
    dry_run: bool = False
    notes: list[str] = field(default_factory=list)

    def _of(self, action: str) -> list[ImportedCode]:
        return [i for i in self.items if i.action == action]

    @property
    def added(self) -> list[ImportedCode]:
        return self._of("added")

    @property
    def updated(self) -> list[ImportedCode]:
        return self._of("updated")

    @property
    def unchanged(self) -> list[ImportedCode]:
        return self._of("unchanged")

    @property
    def summary(self) -> str:
        return f"{len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged"

    def to_dict(self) -> dict:
        return {"source": self.source, "dry_run": self.dry_run, "added": len(self.added),
                "updated": len(self.updated), "unchanged": len(self.unchanged), "notes": self.notes,
                "codes": [asdict(i) for i in self.items]}


def _current(code: Code) -> dict:
    return {"name": code.name, "description": code.description, "include": code.include, "exclude": code.exclude,
            "example": code.example, "color": code.color, "invivo": code.invivo, "patterns": code.patterns}


def _same(key: str, before, after) -> bool:
    if key in TEXT_FIELDS:
        return (before or "").strip() == (after or "").strip()
    if key == "color":
        return (before or None) == (after or None)
    return before == after


def plan_import(store: Store, book: Codebook) -> CodebookImportReport:
    """What importing `book` would change, without changing anything."""
    codes = all_codes(store)
    by_path = {c.path.casefold(): c for c in codes}
    by_name: dict[str, list[Code]] = {}
    for c in codes:
        by_name.setdefault(c.name.casefold(), []).append(c)
    report = CodebookImportReport(book.source, [])
    for entry in book.entries():
        existing = by_path.get(entry.path.casefold())
        if existing is None:
            report.items.append(ImportedCode(entry.path, "added", entry.line,
                                           {k: {"before": None, "after": v} for k, v in entry.fields.items()}))
            elsewhere = [c.path for c in by_name.get(entry.name.casefold(), [])]
            if elsewhere:
                report.notes.append(f"{entry.path!r} is new here, but a code named {entry.name!r} exists at "
                                    + ", ".join(repr(p) for p in elsewhere) + " (moved or renamed?)")
            continue
        current = _current(existing)
        wanted = {"name": entry.name, **entry.fields}
        changes = {k: {"before": current[k], "after": v} for k, v in wanted.items() if not _same(k, current[k], v)}
        path = existing.path if "name" not in changes else entry.path
        report.items.append(ImportedCode(path, "updated" if changes else "unchanged", entry.line, changes,
                                       existing.uuid))
    return report


def import_codebook(store: Store, txn: Txn, book: Codebook) -> CodebookImportReport:
    """Add the file's new codes and update the fields it gives for existing ones; never deletes anything."""
    report = plan_import(store, book)
    # Parents by path, kept up to date as codes are added: resolving each parent by reading the whole tree
    # made importing n codes cost n² (5,000 codes took minutes).
    by_path = {c.path.casefold(): c for c in all_codes(store)} if report.added else {}
    for item, entry in zip(report.items, book.entries()):
        if item.action == "added":
            parent = entry.path.rpartition("/")[0] or None
            f = entry.fields
            code = add_code(store, txn, entry.name, parent, description=f.get("description", ""),
                            include=f.get("include", ""), exclude=f.get("exclude", ""),
                            example=f.get("example", ""), color=f.get("color"), invivo=f.get("invivo", False),
                            patterns=f.get("patterns"), record=False,
                            parent_code=by_path.get(parent.casefold()) if parent else None)
            by_path[code.path.casefold()] = code
            item.uuid, item.path = code.uuid, code.path
        elif item.action == "updated":
            code_id = store.scalar("SELECT id FROM codes WHERE uuid = ?", (item.uuid,))
            values = {k: v["after"] for k, v in item.changes.items()}
            if "patterns" in values:
                values["patterns"] = json.dumps(values["patterns"], ensure_ascii=False)
            if "invivo" in values:
                values["invivo"] = int(values["invivo"])
            set_fields(store, code_id, **values)
            txn.record("code.describe", f"updated code {item.path!r} from codebook {Path(book.source).name}: "
                       + ", ".join(item.changes), item.uuid, code={"uuid": item.uuid, "path": item.path},
                       changes=item.changes, source=book.source)
    if report.added or report.updated:
        txn.record("codebook.import", f"imported codebook {Path(book.source).name}: {report.summary}", None,
                   source=book.source,
                   added=[{"uuid": i.uuid, "path": i.path} for i in report.added],
                   updated=[{"uuid": i.uuid, "path": i.path, "fields": list(i.changes)} for i in report.updated],
                   unchanged=len(report.unchanged))
    return report


def import_codebook_file(store: Store, txn: Txn, path: str | Path) -> CodebookImportReport:
    """Read, check and import a codebook file. In a dry run (`txn.dry_run`) only say what would change: the new
    codes have no uuid yet."""
    book = read_codebook(path)
    if not txn.dry_run:
        return import_codebook(store, txn, book)
    report = plan_import(store, book)
    report.dry_run = True
    return report
