"""Codebooks, autocoding and the review of autocoded suggestions."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from gtcode.cli._app import App, default_command, err, open_project, out_console, print_json, state

PANEL = "Open coding"
WHERE_HELP = "Filter by case attribute: role=mother, site!=Trust B (repeatable)."


codebook_app = App(help="Codebooks: import a YAML codebook (codes, definitions, patterns) or export the code tree.")
review_app = App(cls=default_command("list"), no_args_is_help=False,
                 help="Review autocoded (pending) codings: list them, then accept or reject.\n\n"
                      "Example: gtcode review 'Being filmed'  ·  gtcode review accept 12 14-20")


def register(app: App) -> None:
    app.add_typer(codebook_app, name="codebook", rich_help_panel=PANEL)
    app.command("autocode", rich_help_panel=PANEL)(autocode)
    app.add_typer(review_app, name="review", rich_help_panel=PANEL)


# --- codebook ----------------------------------------------------------------------------------------------------

@codebook_app.command("import")
def codebook_import(
    path: Annotated[Path, typer.Argument(help="A YAML codebook (see codebooks/README.md for the format), or a "
                                         "REFI-QDA .qdc codebook from another QDA tool.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; change nothing.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print what changed, per code, as JSON.")] = False,
) -> None:
    """Import a codebook: add new codes, update changed definitions and patterns; never deletes.

    Example: gtcode codebook import codebooks/vig-engagement.yml
    """
    from gtcode.codebook import import_codebook_file

    if path.suffix.lower() == ".qdc":
        from gtcode.cli.exchange import render_loss_report
        with open_project() as project:
            render_loss_report(project.import_exchange(path, dry_run), json_out)
        return
    with open_project() as project, project.transaction(dry_run=dry_run) as txn:
        report = import_codebook_file(project.store, txn, path)
    if json_out:
        print_json(report.to_dict())
    elif not state.quiet:
        for item in report.added:
            err(f"  added      {item.path}")
        for item in report.updated:
            err(f"  updated    {item.path}: {', '.join(item.changes)}")
        for note in report.notes:
            err(f"Note: {note}", style="yellow")
    prefix = "Dry run, nothing changed: " if dry_run else ""
    err(f"{prefix}codebook {path.name}: {report.summary}.")


@codebook_app.command("export")
def codebook_export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="yaml (re-importable), csv, md, qdc (REFI-QDA, "
                                     "for other QDA tools), or docx (the codebook table as a thesis appendix; "
                                     "needs -o).")] = "yaml",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file (default: stdout).")] = None,
    code: Annotated[Optional[str], typer.Option(help="Only this code and its children.")] = None,
) -> None:
    """Export the code tree with definitions, criteria, examples, colours and patterns.

    Example: gtcode codebook export --format md -o codebook.md
    """
    from gtcode.codebook import export_codebook

    if fmt.lower() == "docx":
        if output is None:
            from gtcode.errors import InputError
            raise InputError("--format docx writes a Word file: name it with -o codebook.docx")
        from gtcode.report.codebook_docx import write_codebook_docx
        with open_project() as project:
            path = write_codebook_docx(project, output, code=code)
        err(f"Wrote the codebook table to {path}.")
        return
    if fmt.lower() == "qdc":
        with open_project() as project:
            data = project.export_qdc(code)
        if output is None:
            sys.stdout.buffer.write(data)
        else:
            from gtcode.files import write_output
            write_output(output, data)
            err(f"Wrote the codebook to {output}.")
        return
    with open_project() as project:
        text = export_codebook(project.store, fmt, code, title=project.name)
    if output is None:
        sys.stdout.write(text)
        return
    from gtcode.files import write_output
    write_output(output, text)
    err(f"Wrote the codebook to {output}.")


# --- autocode ----------------------------------------------------------------------------------------------------

def _progress():
    """A Rich progress bar on stderr, or None when quiet or not a terminal (as for import)."""
    if state.quiet or not sys.stderr.isatty():
        return None, None
    from rich.console import Console
    from rich.progress import Progress

    bar = Progress(console=Console(stderr=True), transient=True)
    task = bar.add_task("Autocoding", total=None)
    return bar, lambda done, total: bar.update(task, completed=done, total=total)


def autocode(
    codebook: Annotated[Optional[Path], typer.Option(help="Use the patterns in this codebook file "
                                                     "(its codes must exist) instead of the stored ones.")] = None,
    code: Annotated[Optional[str], typer.Option(help="Only this code and its children.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Count matches and show examples; change nothing.")] = False,
    all_speakers: Annotated[bool, typer.Option("--all-speakers", help="Also interviewer and unattributed "
                                               "turns (default: participants only).")] = False,
    where: Annotated[Optional[list[str]], typer.Option(help=WHERE_HELP)] = None,
    examples: Annotated[int, typer.Option(help="Examples per code in a dry run.")] = 3,
    retry_rejected: Annotated[bool, typer.Option("--retry-rejected", help="Suggest again what a reviewer "
                                                 "rejected before.")] = False,
    nlp: Annotated[Optional[str], typer.Option(help="An installed spaCy model, for POS/DEP token patterns "
                                               "(default: blank English with lemmas).")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Counts per code (and examples) as JSON.")] = False,
) -> None:
    """Code segments that match codebook patterns, as pending suggestions for review.

    Words and phrases match in any form ("cancel" finds "cancelled"); a match codes its whole segment.
    Example: gtcode autocode --dry-run  ·  gtcode autocode --code "Practical barriers"
    """
    from gtcode.codebook.autocode import autocode_run, match_patterns

    with open_project() as project:
        bar, callback = _progress()
        if bar:
            bar.start()
        try:
            run = match_patterns(project.store, codebook=codebook, code=code, all_speakers=all_speakers,
                                 where=where, model=nlp, progress=callback)
            with project.transaction(dry_run=dry_run) as txn:
                result = autocode_run(project.store, txn, run, examples=examples, retry_rejected=retry_rejected)
        finally:
            if bar:
                bar.stop()
    if json_out:
        print_json(result.to_dict())
    else:
        _render_autocode(result)
    who = "segments" if result.speakers == "all" else "participant segments"
    if dry_run:
        err(f"Dry run, nothing changed: {result.added} new suggestion(s) for "
            f"{sum(1 for c in result.codes if c.added)} code(s) in {result.segments:,} {who} "
            f"({result.words:,} words, {result.seconds:.1f}s).")
    else:
        err(f"Autocoded: {result.added} new pending coding(s) for {sum(1 for c in result.codes if c.added)} "
            f"code(s) in {result.segments:,} {who} ({result.words:,} words, {result.seconds:.1f}s)."
            + (" Review them with 'gtcode review'." if result.added else ""))


def _render_autocode(result) -> None:
    from rich.table import Table
    from rich.text import Text

    names = [c.code.rsplit("/", 1)[-1] for c in result.codes]
    table = Table(show_edge=False, pad_edge=False)
    table.add_column("Code", ratio=2)
    for col in ("Matched", "New", "Coded", "Rejected"):
        table.add_column(col, justify="right", no_wrap=True)
    table.add_column("Patterns that matched", ratio=2)
    for c, name in zip(result.codes, names):
        top = sorted(c.patterns.items(), key=lambda kv: (-kv[1], kv[0]))
        label = name if names.count(name) == 1 else c.code  # the path only where a name is ambiguous
        table.add_row(Text(label, style="" if c.matched else "dim"), str(c.matched), str(c.added), str(c.already),
                      str(c.rejected), ", ".join(f"{p} {n}" for p, n in top[:5]) + (" …" if len(top) > 5 else ""))
    console = out_console()
    console.print(table)
    if result.dry_run:
        for c in result.codes:
            if not c.examples:
                continue
            console.print(Text(c.code, style="bold"))
            for ex in c.examples:
                console.print(_example_line(ex["address"], ex["speaker"], ex["pattern"], ex["text"]))


def _highlight(text: str, pattern: str | None):
    """The text with the words of a phrase pattern (in any inflection) in bold."""
    import re

    from rich.text import Text

    out = Text(text)
    if pattern and not pattern.startswith("["):
        words = [re.escape(w[:max(3, len(w) - 2)]) for w in pattern.split()]
        out.highlight_regex(re.compile(r"\b" + r"\w*\W+".join(words) + r"\w*", re.IGNORECASE), style="bold yellow")
    return out


def _example_line(address: str, speaker: str | None, pattern: str | None, text: str):
    from rich.text import Text

    line = Text("  ")
    line.append(address, style="cyan").append(f"  {speaker or '-'}  ", style="dim")
    line.append(f"[{pattern}] ", style="magenta")
    return line.append(_highlight(text, pattern))


# --- review ------------------------------------------------------------------------------------------------------

@review_app.command("list")
def review_list(
    code: Annotated[Optional[str], typer.Argument(help="Only this code and its children.")] = None,
    where: Annotated[Optional[list[str]], typer.Option(help=WHERE_HELP)] = None,
    context: Annotated[int, typer.Option(help="Segments of context before and after.")] = 0,
    limit: Annotated[int, typer.Option(help="Show at most this many (0: all).")] = 50,
    json_out: Annotated[bool, typer.Option("--json", help="As JSON.")] = False,
) -> None:
    """List pending (autocoded) codings: id, address, speaker, pattern and text.

    Example: gtcode review "Being filmed" --context 1
    """
    from gtcode.codebook.autocode import pending

    with open_project() as project:
        items = pending(project.store, code, where=where, context=context)
    shown = items[:limit] if limit else items
    if json_out:
        print_json({"total": len(items), "pending": [p.to_dict() for p in shown]})
        return
    if not items:
        err("No pending codings" + (f" of {code!r}" if code else "") + ": nothing to review.")
        return
    from rich.padding import Padding
    from rich.text import Text

    console = out_console()
    by_code: dict[str, list] = {}
    for p in shown:  # code by code, each in document order
        by_code.setdefault(p.code, []).append(p)
    for path, group in by_code.items():
        console.print(Text(path, style="bold"))
        for p in group:
            head = Text("  ").append(f"#{p.id}", style="bold cyan").append(f"  {p.address}", style="cyan")
            head.append(f" · {p.case or p.document} · {p.speaker or '-'}", style="dim")
            if p.pattern:
                head.append(f" · {p.pattern}", style="magenta")
            console.print(head)
            body = Text()
            for before in p.before:
                body.append(before + " ", style="dim")
            body.append(_highlight(p.text, p.pattern))
            for after in p.after:
                body.append(" " + after, style="dim")
            console.print(Padding(body, (0, 0, 0, 6)))
    more = f", showing {len(shown)} (--limit 0 shows all)" if len(shown) < len(items) else ""
    err(f"{len(items)} pending coding(s){more}. Accept or reject: gtcode review accept|reject ID… or --all.")


IdsArg = Annotated[Optional[list[str]], typer.Argument(help="Coding ids from 'gtcode review': 12 14-20 31,33.")]
AllOpt = Annotated[bool, typer.Option("--all", help="Every pending coding (of --code, if given).")]
CodeOpt = Annotated[Optional[str], typer.Option(help="Only codings of this code and its children.")]


def _ids(values: list[str] | None) -> list[int]:
    from gtcode.address import parse_ranges

    return [i for v in values or [] for i in parse_ranges(v, what="coding ids")]


def _decide(ids, all_pending: bool, code: str | None, accept: bool) -> None:
    from gtcode.codebook.autocode import review

    with open_project() as project, project.transaction() as txn:
        counts = review(project.store, txn, "accept" if accept else "reject", _ids(ids), code=code,
                        all_pending=all_pending)
    verb = "Accepted" if accept else "Rejected"
    if not counts:
        err("No pending codings" + (f" of {code!r}" if code else "") + ".")
        return
    detail = ", ".join(f"{path!r} {n}" for path, n in list(counts.items())[:5])
    if len(counts) > 5:
        detail += f" and {len(counts) - 5} more code(s)"
    err(f"{verb} {sum(counts.values())} pending coding(s): {detail}.")


@review_app.command("accept")
def review_accept(ids: IdsArg = None, all_pending: AllOpt = False, code: CodeOpt = None) -> None:
    """Accept pending codings: they become confirmed codings and count in analyses.

    Example: gtcode review accept 12 14-20  ·  gtcode review accept --all --code "Being filmed"
    """
    _decide(ids, all_pending, code, accept=True)


@review_app.command("reject")
def review_reject(ids: IdsArg = None, all_pending: AllOpt = False, code: CodeOpt = None) -> None:
    """Reject pending codings: they are deleted, and autocode will not suggest them again.

    Example: gtcode review reject 13 21  ·  gtcode review reject --all --code Context
    """
    _decide(ids, all_pending, code, accept=False)
