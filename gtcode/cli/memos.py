"""Memos: write, edit (versioned), link, read, and the supervisor's comments and sign-off."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from gtcode.cli._app import App, open_project
from gtcode.cli.options import Json, output_file
from gtcode.cli.output import err, out_console, plural, print_json, print_table, show, table
from gtcode.errors import InputError

MemoId = Annotated[str, typer.Argument(help="Memo id.")]
memo_app = App(help="Memos: typed, linked, versioned; comments and sign-off for supervision.")
TEMPLATE = """<!-- gtcode memo ({type}). Write Markdown below the title. Link with [[code:NAME]], [[D3:17]],
     [[doc:D3]], [[memo:12]]. Save and quit to keep it; an empty body cancels. -->
# {title}

{body}"""


def register(app: App) -> None:
    app.add_typer(memo_app, name="memo", rich_help_panel="Memos and audit")


def _text(body: Optional[str], title: str | None, kind: str, current: str = "") -> tuple[str | None, str]:
    """The memo text: --body TEXT, --body - (stdin), piped stdin, or the editor."""
    from gtcode.editor import edit, split_title

    if body == "-":
        return title, sys.stdin.read()
    if body is not None:
        return title, body
    if not sys.stdin.isatty():
        piped = sys.stdin.read()
        if piped.strip():
            return title, piped
    return split_title(edit(TEMPLATE.format(type=kind, title=title or "", body=current)), title)


def _report_unresolved(unresolved: list[str]) -> None:
    for ref in unresolved:
        err(f"Warning: [[{ref}]] does not resolve to a code, document, segment or memo; left as text.",
            style="yellow")


@memo_app.command("new")
def memo_new(
    title: Annotated[Optional[str], typer.Option(help="The memo's title (or '# Title' in the editor).")] = None,
    type: Annotated[str, typer.Option("--type", help="code, theoretical, methodological, reflexive, storyline, "
                                      "or your own.")] = "theoretical",
    link: Annotated[Optional[list[str]], typer.Option(help="code:NAME, category:NAME, doc:D3, seg:D3:17, "
                                                      "memo:12 (repeatable).")] = None,
    body: Annotated[Optional[str], typer.Option(help="The text, for scripts; '-' reads standard input.")] = None,
) -> None:
    """Write a memo in your editor ($VISUAL/$EDITOR), or with --body for scripts.

    Example: gtcode memo new --title "Being watched" --type theoretical --link code:"Feeling judged as a parent"
    """
    with open_project() as project:
        kind = project.memos.check_type(type)
        title, text = _text(body, title, kind)
        if not text.strip():
            err("Empty memo: nothing was created.")
            raise typer.Exit(1)
        if not title:
            raise InputError("a memo needs a title: --title, or '# Title' on the first line")
        memo, unresolved = project.memos.new(title, text, type=kind, links=link or [])
    _report_unresolved(unresolved)
    err(f"Memo #{memo.id} {memo.title!r} ({memo.type}) saved with {plural(len(memo.links), 'link')}.")


@memo_app.command("edit")
def memo_edit(
    memo: MemoId,
    title: Annotated[Optional[str], typer.Option(help="A new title.")] = None,
    body: Annotated[Optional[str], typer.Option(help="The new text; '-' reads standard input.")] = None,
) -> None:
    """Edit a memo: a new version is saved, earlier ones are kept.

    Example: gtcode memo edit 3
    """
    with open_project() as project:
        current = project.memos.get(memo)
        if body is None and title is not None and sys.stdin.isatty():
            new_title, text = title, current.body   # just a new title
        else:
            new_title, text = _text(body, title or current.title, current.type, current.body)
        if not text.strip():
            err(f"Empty text: memo #{current.id} left as it was.")
            raise typer.Exit(1)
        updated, unresolved = project.memos.edit(current.id, title=new_title, body=text)
    _report_unresolved(unresolved)
    if updated.version == current.version:
        err(f"Memo #{current.id}: no change.")
    else:
        err(f"Memo #{updated.id} saved as version {updated.version}"
            + (" (changed since sign-off)" if updated.review == "changed since sign-off" else "") + ".")


@memo_app.command("show")
def memo_show(memo: MemoId,
              json_out: Json = False) -> None:
    """Read a memo: rendered Markdown, its links with the linked passages quoted, comments and sign-offs.

    Example: gtcode memo show 3
    """
    with open_project() as project:
        m = project.memos.get(memo)
    show(m, json_out, _render_memo, lambda m: m.to_dict())


@memo_app.command("list")
def memo_list(
    type: Annotated[Optional[str], typer.Option("--type", help="Only this type.")] = None,
    code: Annotated[Optional[str], typer.Option(help="Only memos linked to this code.")] = None,
    author: Annotated[Optional[str], typer.Option(help="Only memos written or edited by this person.")] = None,
    since: Annotated[Optional[str], typer.Option(help="Changed on or after this date (YYYY-MM-DD).")] = None,
    unreviewed: Annotated[bool, typer.Option("--unreviewed", help="Not signed off, or changed since.")] = False,
    json_out: Json = False,
) -> None:
    """List memos with type, version, author and review status.

    Example: gtcode memo list --unreviewed
    """
    with open_project() as project:
        memos = project.memos.list(type=type, code=code, author=author, since=since, unreviewed=unreviewed)
    if json_out:
        print_json([m.to_dict() for m in memos])
        return
    if not memos:
        err("No memos match." if any((type, code, author, since, unreviewed)) else
            "No memos yet: 'gtcode memo new --title …'.")
        return
    right = {"justify": "right"}
    t = table(("#", right), "Title", "Type", ("v", right), "Author", "Updated", "Review")
    for m in memos:
        t.add_row(str(m.id), m.title, m.type, str(m.version), m.author, m.updated_at[:10], m.review)
    print_table(t)


@memo_app.command("history")
def memo_history(memo: MemoId,
                 json_out: Json = False) -> None:
    """Every version of a memo with who and when, and what changed (a diff).

    Example: gtcode memo history 3
    """
    with open_project() as project:
        versions = project.memos.history(memo)
    if json_out:
        from dataclasses import asdict
        print_json([asdict(v) for v in versions])
        return
    from rich.text import Text

    console = out_console()
    for v in versions:
        console.print(Text(f"version {v.version} · {v.author} · {v.at[:16].replace('T', ' ')} · {v.title}",
                           style="bold"))
        if v.diff:
            console.print(word_diff(v.diff))


def word_diff(diff: str):
    """A unified diff as wrapped lines that mark the changed words, as `git diff --word-diff` does:
    `[-old-]{+new+}` (red and green on a terminal), so a change late in a long paragraph is never cut
    off at the terminal's width, piped or not."""
    from rich.text import Text

    out = Text()
    removed: list[str] = []
    added: list[str] = []

    def flush() -> None:
        for old, new in zip(removed, added):
            out.append("~ ")
            _changed_words(out, old, new)
        for old in removed[len(added):]:
            out.append("- ").append(f"[-{old}-]" if old.strip() else "", style="red")
            out.append("\n")
        for new in added[len(removed):]:
            out.append("+ ").append(f"{{+{new}+}}" if new.strip() else "", style="green")
            out.append("\n")
        removed.clear()
        added.clear()

    for line in diff.splitlines():
        if line.startswith(("--- ", "+++ ")):
            continue
        if line.startswith("-"):
            removed.append(line[1:])
        elif line.startswith("+"):
            added.append(line[1:])
        else:
            flush()
            out.append(line + "\n", style="magenta" if line.startswith("@@") else "dim")
    flush()
    return out


def _changed_words(out, old: str, new: str) -> None:
    """One changed line: equal words plain, removed ones `[-…-]`, added ones `{+…+}`."""
    import difflib
    import re

    a, b = re.findall(r"\s+|\w+|[^\w\s]", old), re.findall(r"\s+|\w+|[^\w\s]", new)
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append("".join(a[i1:i2]))
            continue
        if i2 > i1:
            out.append(f"[-{''.join(a[i1:i2])}-]", style="bold red")
        if j2 > j1:
            out.append(f"{{+{''.join(b[j1:j2])}+}}", style="bold green")
    out.append("\n")


@memo_app.command("link")
def memo_link(memo: MemoId,
              targets: Annotated[list[str], typer.Argument(help="code:NAME, doc:D3, seg:D3:17, memo:12 …")]) -> None:
    """Link a memo to codes, categories, documents, segments or other memos.

    Example: gtcode memo link 3 seg:D2:31 code:"Feeling judged as a parent"
    """
    with open_project() as project:
        links = project.memos.link(memo, list(targets))
    err("Linked: " + ", ".join(f"{link.type} {link.label}" for link in links))


@memo_app.command("unlink")
def memo_unlink(memo: MemoId,
                target: Annotated[str, typer.Argument(help="The link to remove, as given to 'memo link'.")]) -> None:
    """Remove a link from a memo.

    Example: gtcode memo unlink 3 seg:D2:31
    """
    with open_project() as project:
        project.memos.unlink(memo, target)
    err(f"Unlinked {target}")


@memo_app.command("comment")
def memo_comment(
    memo: MemoId,
    text: Annotated[str, typer.Argument(help="The comment.")],
    reply_to: Annotated[Optional[int], typer.Option(help="Reply to this comment (threads).")] = None,
) -> None:
    """Comment on a memo as yourself (a supervisor uses their own name: --coder or config).

    Example: gtcode --coder "Dr Mensah" memo comment 3 "Where do practitioners see this?"
    """
    with open_project() as project:
        c = project.memos.comment(memo, text, reply_to)
    err(f"Comment {c.id} on memo #{memo} (version {c.version}) by {c.author}")


@memo_app.command("signoff")
def memo_signoff(memo: MemoId,
                 note: Annotated[str, typer.Option(help="A note with the sign-off.")] = "") -> None:
    """Record that you have read this version; a later edit shows as changed since sign-off.

    Example: gtcode --coder "Dr Mensah" memo signoff 3 --note "Agreed"
    """
    with open_project() as project:
        s = project.memos.signoff(memo, note)
    err(f"Signed off memo #{memo} version {s.version} as {s.author}")


@memo_app.command("types")
def memo_types(
    add: Annotated[Optional[str], typer.Option(help="Add a memo type of your own.")] = None,
    description: Annotated[str, typer.Option(help="What the new type is for.")] = "",
) -> None:
    """List memo types, or add one.

    Example: gtcode memo types --add "analytic" --description "analytic notes on sampling"
    """
    with open_project() as project:
        if add:
            project.memos.add_type(add, description)
            err(f"Added memo type {add!r}")
        types = project.memos.types()
    for t in types:
        typer.echo(f"{t['name']:16} {t['description']}")


@memo_app.command("export")
def memo_export(
    output: Annotated[str, output_file("A folder (md) or a .docx file.")],
    format: Annotated[str, typer.Option("--format", help="md (a folder of files) or docx.")] = "md",
    type: Annotated[Optional[str], typer.Option("--type", help="Only this type.")] = None,
    code: Annotated[Optional[str], typer.Option(help="Only memos linked to this code.")] = None,
    author: Annotated[Optional[str], typer.Option(help="Only this author's memos.")] = None,
    since: Annotated[Optional[str], typer.Option(help="Changed on or after this date.")] = None,
) -> None:
    """Export memos in chronological order, links resolved to readable text.

    Example: gtcode memo export --format docx -o memos.docx
    """
    from gtcode.report.memos import export_memos

    if format not in ("md", "docx"):
        raise InputError(f"--format {format!r}: expected md or docx")
    with open_project() as project:
        written = export_memos(project, format, output, type=type, code=code, author=author, since=since)
    err(f"Exported memos to {output} ({len(written)} file{'s' if len(written) != 1 else ''})")


def _render_memo(m) -> None:
    from rich.markdown import Markdown
    from rich.panel import Panel
    from rich.text import Text

    console = out_console()
    head = Text(f"#{m.id} {m.title}", style="bold")
    head.append(f"\n{m.type} memo · version {m.version} · by {m.author} {m.created_at[:10]}", style="dim")
    if m.updated_by != m.author or m.version > 1:
        head.append(f" · last edited by {m.updated_by} {m.updated_at[:10]}", style="dim")
    head.append(f" · {m.review}", style="green" if m.review == "signed off" else "yellow")
    console.print(head)
    console.print(Panel(Markdown(m.body), border_style="dim"))
    if m.links:
        console.print(Text("Links", style="bold"))
        for link in m.links:
            line = Text(f"  {link.type}: {link.label}" + (" (in the text)" if link.source == "reference" else ""))
            console.print(line)
            if link.type == "segment" and link.text:
                console.print(Text(f"      “{link.text}”", style="italic"))
            elif link.type == "memo" and link.text:
                console.print(Text(f"      {link.text}", style="dim"))
    if m.comments:
        console.print(Text("Comments", style="bold"))
        depth = {}
        for c in m.comments:
            depth[c.id] = depth.get(c.parent_id, -1) + 1 if c.parent_id else 0
            pad = "  " * (depth[c.id] + 1)
            console.print(Text(f"{pad}{c.author} on v{c.version}, {c.at[:16].replace('T', ' ')} [{c.id}]", style="dim"))
            console.print(Text(f"{pad}{c.body}"))
    for s in m.signoffs:
        console.print(Text(f"Signed off v{s.version} by {s.author} {s.at[:10]}" + (f": {s.note}" if s.note else ""),
                           style="green"))
