"""Coding: `gtcode code` (segments, a quote, or every search hit), `gtcode uncode` and `gtcode invivo`."""

from __future__ import annotations

import shlex
from contextlib import contextmanager
from typing import Annotated, Optional

import typer

from gtcode.address import is_address
from gtcode.cli._app import App, open_project
from gtcode.cli.options import Where
from gtcode.cli.output import err, plural
from gtcode.cli.render import render_hits
from gtcode.errors import InputError, UnknownCode

PANEL = "Open coding"
Nth = Annotated[Optional[int], typer.Option(min=1, help="When the quoted words occur more than once: "
                                                        "take the N-th (1 = first).")]
#: `code --search` lists at most this many hits before asking; it says how many more it will code.
PREVIEW = 50


def register(app: App) -> None:
    app.command("code", rich_help_panel=PANEL)(code)
    app.command("uncode", rich_help_panel=PANEL)(uncode)
    app.command("invivo", rich_help_panel=PANEL)(invivo)


def code(
    targets: Annotated[Optional[list[str]], typer.Argument(help="ADDRESS… CODE…: addresses like D3:17, D3:17-21, "
                                                           "P01:4,9, then code names or paths.")] = None,
    quote: Annotated[Optional[str], typer.Option(help="Code just these exact words inside the segment or range; "
                                                 "across turns, include the speaker label.")] = None,
    nth: Nth = None,
    search: Annotated[Optional[str], typer.Option(help="Code every hit of this search instead of addresses.")] = None,
    where: Where = None,
    speaker: Annotated[Optional[str], typer.Option(help="With --search: participant, interviewer or a label.")] = None,
    create: Annotated[bool, typer.Option("--create", help="Create codes that do not exist yet.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="With --search: do not ask before coding.")] = False,
) -> None:
    """Apply codes to segments, a quote inside them, or every search hit.

    Example: gtcode code D3:17-19 "Feeling judged"
    Example: gtcode code D3:17-18 "Feeling judged" --quote "evidence. I hated"
    """
    targets = targets or []
    with open_project() as project, _create_hint(create):
        if search:
            result = _code_hits(project, search, targets, where=where, speaker=speaker, create=create, yes=yes)
            if result is None:
                return
        else:
            addresses = [t for t in targets if is_address(t)]
            names = targets[len(addresses):]
            if not addresses or not names or any(is_address(n) for n in names):
                raise InputError("expected ADDRESS… CODE…, e.g. gtcode code D3:17-19 \"Feeling judged\"")
            result = project.coding.apply(addresses, names, quote=quote, nth=nth, create=create)
    err(f"Coded: {result['added']} new, {result['merged']} merged with overlapping codings, "
        f"{result['already']} already coded.")


@contextmanager
def _create_hint(create: bool):
    """`no code 'X'` from `code` says how to make it a new code."""
    try:
        yield
    except UnknownCode as exc:
        if create or not str(exc).startswith("no code "):
            raise
        raise UnknownCode(f"{exc}; to add it as a new code, pass --create") from None


def _code_hits(project, search: str, codes: list[str], *, where, speaker, create: bool, yes: bool) -> dict | None:
    """`code --search`: show the hits, ask (unless --yes), then code them all; None when there was nothing."""
    if not codes:
        raise InputError("name the code(s) to apply to the search hits")
    hits, spans = project.coding.search_spans(search, where=where, speaker=speaker)
    if not hits:
        err("No matches: nothing coded.")
        return None
    render_hits(hits[:PREVIEW], len(hits), shown="the first")
    if len(hits) > PREVIEW:
        err(f"All {len(hits)} will be coded, not only the {PREVIEW} above: see them all with "
            f"gtcode search {shlex.quote(search)} --limit 0")
    if not yes:
        question = f"Code {'all ' if len(hits) > 1 else ''}{plural(len(hits), 'segment')} with {', '.join(codes)}?"
        try:
            answer = typer.confirm(question, err=True)
        except typer.Abort:   # no answer: stdin is not a terminal (or was closed)
            err("")
            raise InputError(f"nothing coded: {plural(len(hits), 'segment')} found, and no answer to "
                             "'code them?' (stdin is not a terminal); pass --yes to code without asking") from None
        if not answer:
            err("Nothing coded.")
            raise typer.Exit(1)
    return project.coding.apply_spans(spans, codes, create=create)


def uncode(
    targets: Annotated[list[str], typer.Argument(help="ADDRESS… CODE…")],
    quote: Annotated[Optional[str], typer.Option(help="Remove the code from just these words.")] = None,
    nth: Nth = None,
    all_coders: Annotated[bool, typer.Option("--all-coders", help="Also remove other coders' codings.")] = False,
) -> None:
    """Remove codes from segments or a quote; codings that only partly overlap are trimmed.

    Example: gtcode uncode D3:18 "Feeling judged"
    """
    addresses = [t for t in targets if is_address(t)]
    names = targets[len(addresses):]
    if not addresses or not names:
        raise InputError("expected ADDRESS… CODE…, e.g. gtcode uncode D3:18 \"Feeling judged\"")
    with open_project() as project:
        n = project.coding.remove(addresses, names, quote=quote, nth=nth, all_coders=all_coders)
    err(f"Removed or trimmed {plural(n, 'coding')}." if n else
        "Nothing to remove: those segments do not carry that code.")


def invivo(
    address: Annotated[str, typer.Argument(help="One segment or a contiguous range, e.g. D3:17 or D3:17-18.")],
    words: Annotated[str, typer.Argument(help="The participant's own words, exactly as in the segment.")],
    parent: Annotated[Optional[str], typer.Option(help="Put the new code under this parent.")] = None,
    nth: Nth = None,
) -> None:
    """Create a code named by the participant's own words and code exactly those words.

    Example: gtcode invivo D2:31 "collecting evidence"
    """
    with open_project() as project:
        c = project.coding.invivo(address, words, parent, nth=nth)
    err(f"In vivo code {c.path!r} applied to {address}")
