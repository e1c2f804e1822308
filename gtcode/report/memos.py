"""Memos out of gtcode, for a thesis appendix or a supervisor: Markdown files or one Word document.

Every memo comes with what it is about spelled out (code paths, document
names, segment addresses with the quoted passage, memo titles), its version,
author and dates, its review status and its comments — so it reads on its
own, without gtcode.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from gtcode.errors import InputError
from gtcode.report.dates import parse_when, when
from gtcode.report.render_md import md_block, md_cell, md_inline
from gtcode.report.word import word_document, word_markdown, xml_safe
from gtcode.text import plural

FORMATS = ("md", "docx")
INDEX = "index.md"
MARKER = "<!-- gtcode memo export: the memo files listed here are replaced by the next export into this folder -->"
_LISTED = re.compile(r"\]\((\d{4,}-[a-z0-9-]+\.md)\)")


def slug(title: str, limit: int = 50) -> str:
    """'Evidence & surveillance — a memo' → 'evidence-surveillance-a-memo' (ASCII, lower case)."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(text) > limit:
        text = text[:limit].rsplit("-", 1)[0] if "-" in text[:limit] else text[:limit]
    return text or "memo"


def file_name(memo) -> str:
    return f"{memo.id:04d}-{slug(memo.title)}.md"


@dataclass
class Item:
    """A link as readable text; `memo_id` when it names another memo (so Markdown can link to its file)."""

    kind: str
    text: str
    quote: str | None = None
    memo_id: int | None = None


def describe_links(project, memo) -> list[Item]:
    """The memo's links as people read them, once each, in the order they were made."""
    out: list[Item] = []
    seen = set()
    names = {r[0]: r[1] for r in project.store.all("SELECT id, name FROM documents")}
    for link in memo.links:
        key = (link.type, link.uuid, link.start, link.end)
        if key in seen:
            continue
        seen.add(key)
        gone = link.label.startswith("(gone")
        if link.type in ("code", "category"):
            out.append(Item(link.type, f"{link.type.title()}: {'(deleted)' if gone else link.label}"))
        elif link.type == "document":
            out.append(Item("document", f"Document: {'(deleted)' if gone else f'{link.label} (D{link.document_id})'}"))
        elif link.type == "segment":
            where = "(deleted document)" if gone else f"{link.label} in {names.get(link.document_id, '?')}"
            out.append(Item("segment", f"Passage {where}", " ".join((link.text or "").split()) or None))
        else:
            out.append(Item("memo", "Memo: (deleted)" if gone else f"Memo #{link.label}: {link.text}",
                            memo_id=None if gone else int(link.label)))
    return out


def _review(memo) -> str:
    if not memo.signoffs:
        return "unreviewed"
    last = memo.signoffs[-1]
    note = f" — “{last.note}”" if last.note else ""
    return f"{memo.review} (version {last.version} signed off by {last.author}, {when(last.at)}{note})"


def _thread(comments) -> list[tuple[int, object]]:
    """Comments in reading order with their depth: replies under what they answer."""
    children: dict[int | None, list] = {}
    ids = {c.id for c in comments}
    for c in comments:
        children.setdefault(c.parent_id if c.parent_id in ids else None, []).append(c)
    out = []

    def walk(parent, depth):
        for c in children.get(parent, []):
            out.append((depth, c))
            walk(c.id, depth + 1)

    walk(None, 0)
    return out


def _select(project, filters: dict) -> list:
    from gtcode.memos import get_memo

    allowed = {"type", "code", "author", "since", "unreviewed"}
    unknown = set(filters) - allowed
    if unknown:
        raise InputError(f"unknown memo filter{'s' * (len(unknown) != 1)}: {', '.join(sorted(unknown))}; "
                         f"use {', '.join(sorted(allowed))}")
    filters = {k: v for k, v in filters.items() if v not in (None, False, "")}
    if "since" in filters:
        filters["since"] = parse_when(filters["since"])
    chosen = project.memos.list(**filters)
    if not chosen:
        what = ", ".join(f"{k} {v}" if v is not True else k for k, v in filters.items())
        raise InputError("no memos to export" + (f" ({what})" if what else ": write one first"))
    memos = [get_memo(project.store, m.id) for m in chosen]
    return sorted(memos, key=lambda m: (m.created_at, m.id))


def _filters_text(filters: dict) -> str:
    parts = [f"{k}: {v}" if v is not True else k for k, v in filters.items() if v not in (None, False, "")]
    return f" (only {'; '.join(parts)})" if parts else ""


def export_memos(project, fmt: str, path, **filters) -> list[Path]:
    """Write memos (all, or filtered by type, code, author, since, unreviewed), oldest first.

    `md`: a folder of one file per memo (`0003-evidence-and-surveillance.md`) plus `index.md`.
    `docx`: one Word document. Returns the files written (for md, the memo files, then the index).
    """
    fmt = (fmt or "").strip().lower().replace("markdown", "md")
    if fmt not in FORMATS:
        raise InputError(f"memo export format {fmt!r}: expected md (a folder of files) or docx (one document)")
    path = Path(path)
    memos = _select(project, filters)
    context = {"project": project.name, "path": str(project.path), "by": project.coder,
               "filters": _filters_text(filters)}
    if fmt == "md":
        return _write_markdown(project, memos, path, context)
    return [_write_docx(project, memos, path, context)]


# --- Markdown ------------------------------------------------------------------------------------------------

def memo_markdown(project, memo, files: dict[int, str] | None = None) -> str:
    """One memo as a Markdown page; `files` maps memo ids to file names for links between memos."""
    files = files or {}
    versions = project.memos.history(memo.id)
    lines = [f"# {md_inline(memo.title)}", "",
             f"- **Memo:** #{memo.id}, {md_inline(memo.type)}",
             f"- **Written by:** {md_inline(memo.author)}, {when(memo.created_at)}",
             f"- **Version:** {memo.version}" + (f", last edited by {md_inline(memo.updated_by)}, "
                                                  f"{when(memo.updated_at)}" if memo.version > 1 else ""),
             f"- **Review:** {md_inline(_review(memo))}", ""]
    items = describe_links(project, memo)
    if items:
        lines += ["## About", ""]
        for item in items:
            text = md_inline(item.text)
            if item.memo_id in files:
                text = f"[{text}]({files[item.memo_id]})"
            lines.append(f"- {text}" + (f": “{md_inline(item.quote)}”" if item.quote else ""))
        lines.append("")
    lines += ["## Memo", "", md_block(memo.body), ""]
    if memo.comments:
        lines += ["## Comments", ""]
        for depth, c in _thread(memo.comments):
            lines.append(f"{'  ' * depth}- **{md_inline(c.author)}**, {when(c.at)}, on version {c.version}"
                         f"{' (reply)' if depth else ''}: {md_inline(c.body)}")
        lines.append("")
    if len(versions) > 1:
        lines += ["## Versions", "", "| Version | By | When |", "|---|---|---|"]
        lines += [f"| {v.version} | {md_cell(v.author)} | {when(v.at)} |" for v in versions]
        lines.append("")
    return "\n".join(lines)


def _write_markdown(project, memos, folder: Path, context: dict) -> list[Path]:
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: is a file; Markdown export writes a folder of files (or use docx)")
    folder.mkdir(parents=True, exist_ok=True)
    index = folder / INDEX
    stale: set[str] = set()
    if index.is_file():
        old = index.read_text(encoding="utf-8")
        if MARKER not in old:
            raise InputError(f"{index}: exists and was not written by gtcode; choose another folder")
        stale = set(_LISTED.findall(old))
    files = {m.id: file_name(m) for m in memos}
    written = []
    for memo in memos:
        target = folder / files[memo.id]
        target.write_text(memo_markdown(project, memo, files), encoding="utf-8")
        written.append(target)
    for name in stale - set(files.values()):
        (folder / name).unlink(missing_ok=True)
    rows = [f"| {m.id} | [{md_inline(m.title)}]({files[m.id]}) | {md_cell(m.type)} | {when(m.created_at)[:10]} "
            f"| {md_cell(m.author)} | {m.version} | {m.review} | {len(m.comments)} |" for m in memos]
    index.write_text("\n".join([
        MARKER, "", f"# Memos — {md_inline(context['project'])}", "",
        f"{plural(len(memos), 'memo')}{md_inline(context['filters'])}, oldest first. "
        f"Exported by {md_inline(context['by'])} from {md_inline(context['path'])}; times are UTC.", "",
        "| # | Memo | Type | Written | By | Version | Review | Comments |",
        "|---|---|---|---|---|---|---|---|", *rows, ""]), encoding="utf-8")
    return [*written, index]


# --- Word ----------------------------------------------------------------------------------------------------

def _write_docx(project, memos, path: Path, context: dict) -> Path:
    from docx.shared import Mm

    if path.is_dir():
        raise InputError(f"{path}: is a folder; name the Word file, e.g. {path / 'memos.docx'}")
    if not path.parent.is_dir():
        raise InputError(f"{path}: folder {path.parent} does not exist")
    document = word_document(f"Memos — {context['project']}", context["by"])
    document.add_heading(xml_safe(f"Memos — {context['project']}"), level=1)
    document.add_paragraph(xml_safe(f"{plural(len(memos), 'memo')}{context['filters']}, oldest first. Exported by "
                                    f"{context['by']} from {context['path']}; times are UTC."))
    for memo in memos:
        document.add_heading(xml_safe(f"#{memo.id} {memo.title}"), level=2)
        meta = document.add_paragraph()
        facts = [("Type", memo.type), ("Written by", f"{memo.author}, {when(memo.created_at)}"),
                 ("Version", f"{memo.version}" + (f", last edited by {memo.updated_by}, {when(memo.updated_at)}"
                                                  if memo.version > 1 else "")),
                 ("Review", _review(memo))]
        for i, (label, value) in enumerate(facts):
            meta.add_run(f"{label}: ").bold = True
            run = meta.add_run(xml_safe(value))
            if i < len(facts) - 1:
                run.add_break()
        items = describe_links(project, memo)
        if items:
            document.add_heading("About", level=3)
            for item in items:
                p = document.add_paragraph(xml_safe(item.text + (":" if item.quote else "")), style="List Bullet")
                if item.quote:
                    p.add_run(xml_safe(f" “{item.quote}”")).italic = True
        document.add_heading("Memo", level=3)
        word_markdown(document, memo.body)
        if memo.comments:
            document.add_heading("Comments", level=3)
            for depth, c in _thread(memo.comments):
                p = document.add_paragraph(style="Quote")
                p.paragraph_format.left_indent = Mm(10 + 8 * depth)
                p.add_run(xml_safe(f"{c.author}, {when(c.at)}, on version {c.version}: ")).bold = True
                p.add_run(xml_safe(c.body))
    from gtcode.files import atomic_file

    with atomic_file(path) as temp:
        document.save(str(temp))
    return path
