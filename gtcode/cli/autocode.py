"""Autocoding from codebook patterns (`gtcode autocode`) and the review of its pending suggestions
(`gtcode review`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from gtcode.cli._app import App, default_command, open_project, settings
from gtcode.cli.options import CodeFilter, Json, Where
from gtcode.cli.output import err, out_console, print_json, progress, show, table
from gtcode.text import plural

PANEL = "Open coding"
review_app = App(cls=default_command("list"), no_args_is_help=False,
                 help="Review autocoded (pending) codings: list them, then accept or reject.\n\n"
                      "Example: gtcode review 'Being filmed'  ·  gtcode review accept 12 14-20")


def register(app: App) -> None:
    app.command("autocode", rich_help_panel=PANEL)(autocode)
    app.add_typer(review_app, name="review", rich_help_panel=PANEL)


def autocode(
    codebook: Annotated[Optional[Path], typer.Option(help="Use the patterns in this codebook file "
                                                     "(its codes must exist) instead of the stored ones.")] = None,
    code: CodeFilter = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Count matches and show examples; change nothing.")] = False,
    all_speakers: Annotated[bool, typer.Option("--all-speakers", help="Also interviewer and unattributed "
                                               "turns (default: participants only).")] = False,
    where: Where = None,
    examples: Annotated[int, typer.Option(help="Examples per code in a dry run.")] = 3,
    retry_rejected: Annotated[bool, typer.Option("--retry-rejected", help="Suggest again what a reviewer "
                                                 "rejected before.")] = False,
    nlp: Annotated[Optional[str], typer.Option(help="An installed spaCy model, for POS/DEP token patterns "
                                               "(default: blank English with lemmas).")] = None,
    json_out: Json = False,
) -> None:
    """Code segments that match codebook patterns, as pending suggestions for review.

    Words and phrases match in any form ("cancel" finds "cancelled"); a match codes its whole segment.
    Example: gtcode autocode --dry-run  ·  gtcode autocode --code "Practical barriers"
    """
    with open_project() as project, progress("Autocoding", quiet=settings().quiet) as bar:
        result = project.review.autocode(codebook=codebook, code=code, dry_run=dry_run, all_speakers=all_speakers,
                                         where=where, model=nlp, examples=examples, retry_rejected=retry_rejected,
                                         progress=bar.update if bar else None)
    show(result, json_out, _render_autocode, lambda r: r.to_dict())
    who = "segments" if result.speakers == "all" else "participant segments"
    if dry_run:
        err(f"Dry run, nothing changed: {plural(result.added, 'new suggestion')} for "
            f"{plural(sum(1 for c in result.codes if c.added), 'code')} in {result.segments:,} {who} "
            f"({result.words:,} words, {result.seconds:.1f}s).")
    else:
        err(f"Autocoded: {plural(result.added, 'new pending coding')} for "
            f"{plural(sum(1 for c in result.codes if c.added), 'code')} in {result.segments:,} {who} "
            f"({result.words:,} words, {result.seconds:.1f}s)."
            + (" Review them with 'gtcode review'." if result.added else ""))


def _render_autocode(result) -> None:
    from rich.text import Text

    names = [c.code.rsplit("/", 1)[-1] for c in result.codes]
    counts = ((col, {"justify": "right", "no_wrap": True}) for col in ("Matched", "New", "Coded", "Rejected"))
    t = table(("Code", {"ratio": 2}), *counts, ("Patterns that matched", {"ratio": 2}))
    for c, name in zip(result.codes, names):
        top = sorted(c.patterns.items(), key=lambda kv: (-kv[1], kv[0]))
        label = name if names.count(name) == 1 else c.code  # the path only where a name is ambiguous
        t.add_row(Text(label, style="" if c.matched else "dim"), str(c.matched), str(c.added), str(c.already),
                      str(c.rejected), ", ".join(f"{p} {n}" for p, n in top[:5]) + (" …" if len(top) > 5 else ""))
    console = out_console()
    console.print(t)
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


@review_app.command("list")
def review_list(
    code: Annotated[Optional[str], typer.Argument(help="Only this code and its children.")] = None,
    where: Where = None,
    context: Annotated[int, typer.Option(help="Segments of context before and after.")] = 0,
    limit: Annotated[int, typer.Option(help="Show at most this many (0: all).")] = 50,
    json_out: Json = False,
) -> None:
    """List pending (autocoded) codings: id, address, speaker, pattern and text.

    Example: gtcode review "Being filmed" --context 1
    """
    with open_project() as project:
        items = project.review.pending(code, where=where, context=context)
    shown = items[:limit] if limit else items
    if json_out:
        print_json({"total": len(items), "pending": [p.to_dict() for p in shown]})
        return
    if not items:
        err("No pending codings" + (f" of {code!r}" if code else "") + ": nothing to review.")
        return
    _render_pending(shown)
    more = f", showing {len(shown)} (--limit 0 shows all)" if len(shown) < len(items) else ""
    err(f"{plural(len(items), 'pending coding')}{more}. Accept or reject: gtcode review accept|reject ID… or --all.")


def _render_pending(shown) -> None:
    """Code by code, each in document order: id, address, who, pattern, then the text in its context."""
    from rich.padding import Padding
    from rich.text import Text

    console = out_console()
    by_code: dict[str, list] = {}
    for p in shown:
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


IdsArg = Annotated[Optional[list[str]], typer.Argument(help="Coding ids from 'gtcode review': 12 14-20 31,33.")]
AllOpt = Annotated[bool, typer.Option("--all", help="Every pending coding (of --code, if given).")]


def _ids(values: list[str] | None) -> list[int]:
    from gtcode.address import parse_ranges

    return [i for v in values or [] for i in parse_ranges(v, what="coding ids")]


def _decide(ids, all_pending: bool, code: str | None, accept: bool) -> None:
    with open_project() as project:
        decide = project.review.accept if accept else project.review.reject
        counts = decide(_ids(ids), code=code, all_pending=all_pending)
    verb = "Accepted" if accept else "Rejected"
    if not counts:
        err("No pending codings" + (f" of {code!r}" if code else "") + ".")
        return
    detail = ", ".join(f"{path!r} {n}" for path, n in list(counts.items())[:5])
    if len(counts) > 5:
        detail += f" and {plural(len(counts) - 5, 'more code')}"
    err(f"{verb} {plural(sum(counts.values()), 'pending coding')}: {detail}.")


@review_app.command("accept")
def review_accept(ids: IdsArg = None, all_pending: AllOpt = False, code: CodeFilter = None) -> None:
    """Accept pending codings: they become confirmed codings and count in analyses.

    Example: gtcode review accept 12 14-20  ·  gtcode review accept --all --code "Being filmed"
    """
    _decide(ids, all_pending, code, accept=True)


@review_app.command("reject")
def review_reject(ids: IdsArg = None, all_pending: AllOpt = False, code: CodeFilter = None) -> None:
    """Reject pending codings: they are deleted, and autocode will not suggest them again.

    Example: gtcode review reject 13 21  ·  gtcode review reject --all --code Context
    """
    _decide(ids, all_pending, code, accept=False)
