"""The audit trail as a document: Markdown, a self-contained HTML page, or Word.

`outline` turns an `AuditReport` into the one `document.Report` every format renders (`render_md`,
`render_html`, `render_docx`), so they say the same things in the same order; the CLI renders the same
outline with Rich for the terminal.
"""

from __future__ import annotations

import re
from pathlib import Path

from gtcode.report import render_docx, render_html, render_md
from gtcode.report.audit_data import AuditReport
from gtcode.report.dates import when
from gtcode.report.document import Block, Report, heading, note, para, table
from gtcode.text import plural

NONE = "Nothing in this period."
NO_CHANGE = "(no change in the text)"


def _fact(label: str, value: str) -> Block:
    return para((f"{label}: ", True), value)


def _table(headers: list[str], rows: list[list]) -> Block:
    return table(headers, [[str(c) for c in row] for row in rows])


_PLAIN = re.compile(r"[\w@%+=:,./-]+")


def readable_command(command: str) -> str:
    """A recorded command line as a person reads it: the shell quoting of `Mother's guilt` is
    `'Mother'"'"'s guilt'`, right for a shell and unreadable in a report; this gives `"Mother's guilt"` (other
    words keep their single quotes)."""
    import shlex

    try:
        words = shlex.split(command)
    except ValueError:
        return command
    return " ".join(w if _PLAIN.fullmatch(w) else f'"{w}"' if "'" in w and not re.search(r'["\\$`]', w)
                    else shlex.quote(w) for w in words)


def _at(iso: str) -> str:
    return when(iso).removesuffix(" UTC")


def _opening(r: AuditReport) -> list[Block]:
    return [_fact("Period", r.period),
            _fact("Why this period", r.basis),
            _fact("Whose work", f"only {r.coder}" if r.coder else "everyone's"),
            _fact("Prepared", f"{when(r.generated_at)} by {r.generated_by}, from {r.path} (times are UTC)"),
            heading(1, "Summary"),
            _table(["Activity", "Count"], [[k, v] for k, v in r.summary.items()])]


def _memos(r: AuditReport) -> list[Block]:
    out = [heading(1, "Memos written and edited")]
    if not r.memos:
        out.append(note(NONE))
    for m in r.memos:
        out.append(heading(2, f"Memo #{m.id}: {m.title}"))
        versions = "; ".join(f"v{v['version']} by {v['author']}, {_at(v['at'])}" for v in m.versions)
        if m.created:
            out.append(para(("New ", True), f"{m.type} memo by {m.author}. Versions in the period: {versions}."))
        else:
            out.append(para(("Edited ", True), f"{m.type} memo by {m.author}, version {m.base_version} → "
                            f"{m.latest_version}. Versions in the period: {versions}."))
        out.append(_fact("Review now", m.review))
        if m.links:
            out.append(_fact("About", "; ".join(m.links)))
        out.append(Block("memo_quote", m.body) if m.created else Block("diff", m.diff or NO_CHANGE))
    return out


def _reviewing(r: AuditReport) -> list[Block]:
    """Comments, sign-offs and what still waits for a reviewer."""
    return [
        heading(1, "Comments"),
        _table(["When", "Who", "Memo", "Comment"], [
            [_at(c.at), c.author, f"#{c.memo_id} {c.memo_title} (v{c.version})",
             (f"(reply to comment {c.reply_to}) " if c.reply_to else "") + c.body] for c in r.comments])
        if r.comments else note(NONE),
        heading(1, "Sign-offs"),
        _table(["When", "Who", "Memo", "Version", "Note", "Since then"], [
            [_at(s.at), s.author, f"#{s.memo_id} {s.memo_title}", s.version, s.note or "-",
             f"changed (now v{s.current_version})" if s.changed_since else "unchanged"] for s in r.signoffs])
        if r.signoffs else note(NONE),
        heading(1, "Memos awaiting review"),
        _table(["Memo", "Type", "Version", "Review", "Last edited"], [
            [f"#{a.memo_id} {a.title}", a.type, a.version, a.review, f"{_at(a.updated_at)} by {a.updated_by}"]
            for a in r.awaiting_review]) if r.awaiting_review else note("Every memo is signed off.")]


def _codebook_and_coding(r: AuditReport) -> list[Block]:
    out = [heading(1, "Codebook changes")]
    rows = []
    for c in r.code_changes:
        change = "\n".join([c.summary + (" (since undone)" if c.undone else ""), *(f"· {d}" for d in c.details)])
        reason = "\n".join([f"command: {readable_command(c.command)}",
                            *(f"memo #{m['id']}: {m['title']}" for m in c.memos)])
        rows.append([_at(c.at), c.coder, change, reason])
    out.append(_table(["When", "Who", "Change", "Reason"], rows) if rows else note(NONE))
    out.append(heading(1, "Coding activity"))
    out.append(_table(["Day", "Coder", "Coded", "Removed", "Codes used", "Documents"], [
        [d.day, d.coder, d.added, d.removed, "\n".join(d.codes), ", ".join(d.documents)] for d in r.coding])
        if r.coding else note(NONE))
    if any(d.undone for d in r.coding):
        out.append(note("Of these, since undone: " + "; ".join(
            f"{d.day} {d.coder}: {d.undone}" for d in r.coding if d.undone) + " (see Undone below)."))
    return out


def _autocoding(r: AuditReport) -> list[Block]:
    out = [heading(1, "Autocoding and review")]
    if r.autocode_runs:
        out.append(heading(2, "Autocoding runs"))
        out.append(_table(["When", "Who", "Patterns from", "Suggestions", "By code"], [
            [_at(a.at), a.coder, a.source, f"{a.suggested}" + (" (since undone)" if a.undone else ""),
             "\n".join(f"{p}: {n}" for p, n in a.by_code.items())] for a in r.autocode_runs]))
    if r.reviews:
        out.append(heading(2, "Review decisions"))
        out.append(_table(["Day", "Who", "Code", "Accepted", "Rejected"],
                          [[d.day, d.coder, d.code, d.accepted, d.rejected] for d in r.reviews]))
    if not r.autocode_runs and not r.reviews:
        out.append(note(NONE))
    out.append(_fact("Still waiting for review", plural(r.pending_now, "autocoded coding")))
    return out


def _undone_and_imports(r: AuditReport) -> list[Block]:
    return [heading(1, "Undone"),
            _table(["When", "Who", "Undid", "Command undone"],
                   [[_at(u.at), u.coder, u.summary, readable_command(u.command)] for u in r.undos])
            if r.undos else note(NONE),
            heading(1, "Documents imported"),
            _table(["When", "Who", "What"], [[_at(i.at), i.coder, i.summary] for i in r.imports])
            if r.imports else note(NONE)]


def outline(report: AuditReport) -> Report:
    """The audit trail as a document, top to bottom: section headings are level 1 below its title."""
    r = report
    return Report(f"Audit trail — {r.project}", "", [*_opening(r), *_memos(r), *_reviewing(r),
                                                    *_codebook_and_coding(r), *_autocoding(r),
                                                    *_undone_and_imports(r)])


def to_markdown(report: AuditReport) -> str:
    return render_md.to_markdown(outline(report))


def to_html(report: AuditReport) -> str:
    """A self-contained page (inline CSS, no scripts, nothing fetched); every value is escaped."""
    return render_html.to_html(outline(report), page=render_html.AUDIT,
                               title=f"Audit trail — {report.project} ({report.period})")


def to_docx(report: AuditReport, path) -> Path:
    """A Word file (A4; Heading 1–3, Table Grid, Quote: Word's own styles) at `path`."""
    return render_docx.write_docx(outline(report), path, author=report.generated_by, title_level=1)
