"""`gtcode audit`: the audit trail a supervisor reads before a supervision meeting."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from gtcode.cli._app import App, open_project
from gtcode.cli.options import By, Json, OldCoder, Output, by_name, check_output_path
from gtcode.cli.output import err, out_console, print_json, print_table, table
from gtcode.errors import InputError, did_you_mean

PANEL = "Memos and audit"
FORMATS = ("text", "md", "html", "docx")
SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".docx": "docx", ".txt": "text"}


def register(app: App) -> None:
    app.command("audit", rich_help_panel=PANEL)(audit)


def _format(fmt: str | None, output: Path | None) -> str:
    """--format, else what -o's suffix says, else text; docx needs a file."""
    if fmt is None:
        fmt = SUFFIXES.get(output.suffix.lower(), "text") if output else "text"
    fmt = {"markdown": "md", "htm": "html", "word": "docx", "txt": "text"}.get(fmt.strip().lower(), fmt.strip().lower())
    if fmt not in FORMATS:
        raise InputError(f"--format {fmt!r}: expected one of {', '.join(FORMATS)}{did_you_mean(fmt, FORMATS)}")
    if fmt == "docx" and output is None:
        raise InputError("--format docx writes a Word file: name it with -o, e.g. -o audit.docx")
    if output is not None:
        check_output_path(output, f"audit.{fmt}")
    return fmt


def audit(
    since: Annotated[Optional[str], typer.Option(
        help="From this date (YYYY-MM-DD or YYYY-MM-DDTHH:MM, UTC; also today, yesterday, 7d). "
             "Default: since the last sign-off by someone other than you.")] = None,
    until: Annotated[Optional[str], typer.Option(help="Up to the end of this date (or this time).")] = None,
    by: By = None,
    old_coder: OldCoder = None,
    everything: Annotated[bool, typer.Option(
        "--all", help="The whole history, not just since the last sign-off.")] = False,
    fmt: Annotated[Optional[str], typer.Option(
        "--format", "-f", help="text (terminal), md, html or docx. Default: from -o's suffix, else text.")] = None,
    output: Output = None,
    json_out: Json = False,
) -> None:
    """The audit trail for a supervision meeting: memo diffs, comments, sign-offs, code changes, coding, undos.

    The period starts at the last sign-off by someone other than you (your supervisor), unless you give one.

    Example: gtcode audit --since 2026-11-01 --format docx -o supervision-2026-11-30.docx
    """
    kind = "json" if json_out else _format(fmt, output)
    from gtcode.report.audit_data import collect_audit

    with open_project() as project:
        report = collect_audit(project, since=since, until=until, coder=by_name(by, old_coder, "audit"),
                               everything=everything)
    if kind == "json":
        print_json(report.to_dict())
        return
    if kind == "docx":
        from gtcode.report.audit import to_docx

        to_docx(report, output)
    elif kind == "text":
        _write_text(report, output)
    else:
        from gtcode.report.audit import to_html, to_markdown

        text = to_markdown(report) if kind == "md" else to_html(report)
        if output is None:
            sys.stdout.write(text)
            return
        from gtcode.files import write_output
        write_output(output, text)
    if output is not None:
        err(f"Wrote the audit trail to {output} (period: {report.period}).")


def _write_text(report, output: Path | None) -> None:
    from rich.console import Console

    if output is None:
        _render(report, out_console())
        return
    with output.open("w", encoding="utf-8") as fh:
        _render(report, Console(file=fh, width=100, no_color=True, highlight=False, soft_wrap=False))


def _render(report, console) -> None:
    """The report's outline with Rich: rules for sections, tables, coloured diffs."""
    from rich.padding import Padding
    from rich.rule import Rule
    from rich.text import Text

    from gtcode.report.audit import outline

    document = outline(report)
    console.print(Text(document.title, style="bold underline"))
    for b in document.blocks:
        if b.kind == "heading":
            console.print()
            if b.level == 1:
                console.print(Rule(Text(b.text, style="bold"), align="left"))
            else:
                console.print(Text(b.text, style="bold"))
        elif b.kind == "para":
            line = Text()
            for text, bold in b.runs:
                line.append(text, style="bold" if bold else None)
            console.print(line)
        elif b.kind == "note":
            console.print(Text(b.text, style="dim italic"))
        elif b.kind == "table":
            t = table(*((Text(h), {"overflow": "fold", "no_wrap": h in ("When", "Day", "Version", "Count")})
                        for h in b.headers), show_lines=len(b.rows) > 1 and len(b.headers) > 2)
            for row in b.rows:
                t.add_row(*(Text(c) for c in row))
            print_table(t, console)
        elif b.kind == "diff":
            text = Text()
            for line in (b.text or "(no change in the text)").splitlines():
                style = (None if line.startswith(("+++", "---")) else "green" if line.startswith("+")
                         else "red" if line.startswith("-") else "magenta" if line.startswith("@@") else None)
                text.append(line + "\n", style=style)
            console.print(Padding(text, (0, 0, 0, 2)))
        elif b.kind == "memo_quote":
            console.print(Padding(Text(b.text, style="italic"), (0, 0, 0, 4)))
