"""The audit trail as a document: Markdown, a self-contained HTML page, or Word.

One outline (`blocks`) feeds every format, so they say the same things in
the same order; the CLI renders the same outline with Rich for the terminal.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

from gtcode.report.audit_data import AuditReport, when
from gtcode.report import fence, md_block, md_cell, md_inline, word_document, word_mono, xml_safe

NONE = "Nothing in this period."


@dataclass
class Block:
    """One piece of the outline: heading, para (runs of (text, bold)), table, diff, quote or note."""

    kind: str
    text: str = ""
    level: int = 0
    runs: list[tuple[str, bool]] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


def _h(level: int, text: str) -> Block:
    return Block("heading", text, level)


def _p(*runs) -> Block:
    return Block("para", runs=[(r, False) if isinstance(r, str) else r for r in runs])


def _kv(label: str, value: str) -> Block:
    return _p((f"{label}: ", True), value)


def _table(headers: list[str], rows: list[list]) -> Block:
    return Block("table", headers=headers, rows=[[str(c) for c in row] for row in rows])


def _note(text: str = NONE) -> Block:
    return Block("note", text)


def _at(iso: str) -> str:
    return when(iso).removesuffix(" UTC")


def blocks(report: AuditReport) -> list[Block]:
    """The report's outline, top to bottom."""
    r = report
    out = [_h(1, f"Audit trail — {r.project}"),
           _kv("Period", r.period),
           _kv("Why this period", r.basis),
           _kv("Whose work", f"only {r.coder}" if r.coder else "everyone's"),
           _kv("Prepared", f"{when(r.generated_at)} by {r.generated_by}, from {r.path} (times are UTC)"),
           _h(2, "Summary"),
           _table(["Activity", "Count"], [[k, v] for k, v in r.summary.items()])]

    out.append(_h(2, "Memos written and edited"))
    if not r.memos:
        out.append(_note())
    for m in r.memos:
        out.append(_h(3, f"Memo #{m.id}: {m.title}"))
        versions = "; ".join(f"v{v['version']} by {v['author']}, {_at(v['at'])}" for v in m.versions)
        if m.created:
            out.append(_p(("New ", True), f"{m.type} memo by {m.author}. Versions in the period: {versions}."))
        else:
            out.append(_p(("Edited ", True), f"{m.type} memo by {m.author}, version {m.base_version} → "
                          f"{m.latest_version}. Versions in the period: {versions}."))
        out.append(_kv("Review now", m.review))
        if m.links:
            out.append(_kv("About", "; ".join(m.links)))
        out.append(Block("quote", m.body) if m.created else Block("diff", m.diff))

    out.append(_h(2, "Comments"))
    out.append(_table(["When", "Who", "Memo", "Comment"], [
        [_at(c.at), c.author, f"#{c.memo_id} {c.memo_title} (v{c.version})",
         (f"(reply to comment {c.reply_to}) " if c.reply_to else "") + c.body] for c in r.comments])
        if r.comments else _note())

    out.append(_h(2, "Sign-offs"))
    out.append(_table(["When", "Who", "Memo", "Version", "Note", "Since then"], [
        [_at(s.at), s.author, f"#{s.memo_id} {s.memo_title}", s.version, s.note or "-",
         f"changed (now v{s.current_version})" if s.changed_since else "unchanged"] for s in r.signoffs])
        if r.signoffs else _note())

    out.append(_h(2, "Memos awaiting review"))
    out.append(_table(["Memo", "Type", "Version", "Review", "Last edited"], [
        [f"#{a.memo_id} {a.title}", a.type, a.version, a.review, f"{_at(a.updated_at)} by {a.updated_by}"]
        for a in r.awaiting_review]) if r.awaiting_review else _note("Every memo is signed off."))

    out.append(_h(2, "Codebook changes"))
    rows = []
    for c in r.code_changes:
        change = "\n".join([c.summary + (" (since undone)" if c.undone else ""), *(f"· {d}" for d in c.details)])
        reason = "\n".join([f"command: {c.command}", *(f"memo #{m['id']}: {m['title']}" for m in c.memos)])
        rows.append([_at(c.at), c.coder, change, reason])
    out.append(_table(["When", "Who", "Change", "Reason"], rows) if rows else _note())

    out.append(_h(2, "Coding activity"))
    out.append(_table(["Day", "Coder", "Coded", "Removed", "Codes used", "Documents"], [
        [d.day, d.coder, d.added, d.removed, "\n".join(d.codes), ", ".join(d.documents)] for d in r.coding])
        if r.coding else _note())
    if any(d.undone for d in r.coding):
        out.append(_note("Of these, since undone: " + "; ".join(
            f"{d.day} {d.coder}: {d.undone}" for d in r.coding if d.undone) + " (see Undone below)."))

    out.append(_h(2, "Autocoding and review"))
    if r.autocode_runs:
        out.append(_h(3, "Autocoding runs"))
        out.append(_table(["When", "Who", "Patterns from", "Suggestions", "By code"], [
            [_at(a.at), a.coder, a.source, f"{a.suggested}" + (" (since undone)" if a.undone else ""),
             "\n".join(f"{p}: {n}" for p, n in a.by_code.items())] for a in r.autocode_runs]))
    if r.reviews:
        out.append(_h(3, "Review decisions"))
        out.append(_table(["Day", "Who", "Code", "Accepted", "Rejected"],
                          [[d.day, d.coder, d.code, d.accepted, d.rejected] for d in r.reviews]))
    if not r.autocode_runs and not r.reviews:
        out.append(_note())
    out.append(_kv("Still waiting for review", f"{r.pending_now} autocoded coding(s)"))

    out.append(_h(2, "Undone"))
    out.append(_table(["When", "Who", "Undid", "Command undone"],
                      [[_at(u.at), u.coder, u.summary, u.command] for u in r.undos]) if r.undos else _note())

    out.append(_h(2, "Documents imported"))
    out.append(_table(["When", "Who", "What"], [[_at(i.at), i.coder, i.summary] for i in r.imports])
               if r.imports else _note())
    return out


# --- Markdown ------------------------------------------------------------------------------------------------

def to_markdown(report: AuditReport) -> str:
    parts = []
    for b in blocks(report):
        if b.kind == "heading":
            parts.append(f"{'#' * b.level} {md_inline(b.text)}")
        elif b.kind == "para":
            parts.append("".join(f"**{md_inline(t.strip())}** " if bold else md_inline(t) for t, bold in b.runs))
        elif b.kind == "note":
            parts.append(f"*{md_inline(b.text)}*")
        elif b.kind == "table":
            lines = ["| " + " | ".join(md_cell(h) for h in b.headers) + " |",
                     "|" + "|".join("---" for _ in b.headers) + "|"]
            lines += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in b.rows]
            parts.append("\n".join(lines))
        elif b.kind == "diff":
            parts.append(fence(b.text or "(no change in the text)", "diff"))
        elif b.kind == "quote":
            parts.append("\n".join(f"> {line}".rstrip() for line in md_block(b.text).splitlines()))
    return "\n\n".join(parts) + "\n"


# --- HTML ----------------------------------------------------------------------------------------------------

_CSS = """
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; color: #1b1b1b; }
h1 { font-size: 1.7rem; border-bottom: 2px solid #444; } h2 { margin-top: 2rem; border-bottom: 1px solid #bbb; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; font-size: .9rem; }
th, td { border: 1px solid #bbb; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #f0f0f0; } td { white-space: pre-line; }
pre.diff { background: #f7f7f7; padding: .5rem; overflow-x: auto; font-size: .85rem; white-space: pre-wrap; }
.add { color: #116329; background: #e6ffec; } .del { color: #82071e; background: #ffebe9; } .hunk { color: #6639ba; }
blockquote { border-left: 4px solid #ccc; margin: .5rem 0; padding: 0 1rem; color: #333; }
.note { color: #666; font-style: italic; }
@media print { body { max-width: none; } }
"""


def _diff_html(text: str) -> str:
    lines = []
    for line in (text or "(no change in the text)").splitlines():
        cls = ("hunk" if line.startswith("@@") else "" if line.startswith(("+++", "---"))
               else "add" if line.startswith("+") else "del" if line.startswith("-") else "")
        esc = html.escape(line)
        lines.append(f'<span class="{cls}">{esc}</span>' if cls else esc)
    return '<pre class="diff">' + "\n".join(lines) + "</pre>"


def to_html(report: AuditReport) -> str:
    """A self-contained page (inline CSS, no scripts, nothing fetched); every value is escaped."""
    e = html.escape
    body = []
    for b in blocks(report):
        if b.kind == "heading":
            body.append(f"<h{b.level}>{e(b.text)}</h{b.level}>")
        elif b.kind == "para":
            body.append("<p>" + "".join(f"<strong>{e(t)}</strong>" if bold else e(t) for t, bold in b.runs) + "</p>")
        elif b.kind == "note":
            body.append(f'<p class="note">{e(b.text)}</p>')
        elif b.kind == "table":
            head = "".join(f"<th>{e(h)}</th>" for h in b.headers)
            rows = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in b.rows)
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        elif b.kind == "diff":
            body.append(_diff_html(b.text))
        elif b.kind == "quote":
            paras = [p for p in b.text.split("\n\n") if p.strip()]
            body.append("<blockquote>" + "".join(f"<p>{e(p).replace(chr(10), '<br>')}</p>" for p in paras)
                        + "</blockquote>")
    title = e(f"Audit trail — {report.project} ({report.period})")
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<meta name=\"generator\" content=\"gtcode\">\n<title>{title}</title>\n<style>{_CSS}</style>\n</head>\n"
            "<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")


# --- Word ----------------------------------------------------------------------------------------------------

def _word_table(document, b: Block) -> None:
    table = document.add_table(rows=1, cols=len(b.headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, b.headers):
        cell.text = ""
        cell.paragraphs[0].add_run(xml_safe(text)).bold = True
    for row in b.rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = xml_safe(text)


def to_docx(report: AuditReport, path) -> Path:
    """A Word file (A4; Heading 1–3, Table Grid, Quote: Word's own styles) at `path`."""
    path = Path(path)
    document = word_document(f"Audit trail — {report.project}", report.generated_by)
    for b in blocks(report):
        if b.kind == "heading":
            document.add_heading(xml_safe(b.text), level=b.level)
        elif b.kind == "para":
            p = document.add_paragraph()
            for text, bold in b.runs:
                p.add_run(xml_safe(text)).bold = bold
        elif b.kind == "note":
            document.add_paragraph().add_run(xml_safe(b.text)).italic = True
        elif b.kind == "table":
            _word_table(document, b)
        elif b.kind == "diff":
            p = document.add_paragraph()
            lines = (b.text or "(no change in the text)").splitlines()
            for i, line in enumerate(lines):
                color = (None if line.startswith(("+++", "---")) else "#116329" if line.startswith("+")
                         else "#82071E" if line.startswith("-") else "#6639BA" if line.startswith("@@") else None)
                run = word_mono(p, line, color)
                if i < len(lines) - 1:
                    run.add_break()
        elif b.kind == "quote":
            for para in (p for p in b.text.split("\n\n") if p.strip()):
                document.add_paragraph(xml_safe(para), style="Quote")
    document.save(str(path))
    return path
