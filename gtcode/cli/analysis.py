"""Constant comparison: retrieve a code's passages, compare two codes, keywords in context, word frequencies."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from gtcode.cli._app import App, err, open_project, out_console, print_json

PANEL = "Constant comparison"
WHERE_HELP = "Filter by case attribute: role=mother, site!=Trust B, role=mother,practitioner (repeatable)."
Where = Annotated[Optional[list[str]], typer.Option(help=WHERE_HELP)]
Json = Annotated[bool, typer.Option("--json", help="As JSON (data only, on stdout).")]
Pending = Annotated[bool, typer.Option("--pending", help="Include autocoded codings not yet reviewed.")]
Children = Annotated[bool, typer.Option("--children/--no-children",
                                        help="Include passages of child codes (the default) or only the code's own.")]


def register(app: App) -> None:
    app.command(rich_help_panel=PANEL)(retrieve)
    app.command(rich_help_panel=PANEL)(compare)
    app.command(rich_help_panel=PANEL)(kwic)
    app.command(rich_help_panel=PANEL)(freq)


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else plural or word + 's'}"


def _filters(where: list[str]) -> str:
    return f" where {' and '.join(where)}" if where else ""


# --- retrieve ------------------------------------------------------------------------------------

def retrieve(
    code: Annotated[str, typer.Argument(help="Code name or path (its child codes are included).")],
    where: Where = None,
    by: Annotated[str, typer.Option(help="Group by case, document, code, coder or a case attribute (role, site…).")]
    = "case",
    context: Annotated[int, typer.Option(min=0, help="Segments to show before and after each passage.")] = 0,
    pending: Pending = False,
    children: Children = True,
    json_out: Json = False,
) -> None:
    """Every passage coded CODE, grouped by case (or attribute…), with context and coding ids.

    Example: gtcode retrieve "Fear of judgement" --where role=mother --by site --context 1
    """
    from gtcode.analysis.retrieve import retrieve as run

    with open_project() as project:
        result = run(project.store, code, by=by, where=where, context=context, include_pending=pending, children=children)
    if json_out:
        print_json(result.to_dict())
    elif result.groups:
        _render_retrieval(result)
    else:
        err(f"No passages coded {result.code!r}{_filters(result.where)}.")
    if result.pending_left_out and not json_out:
        err(f"{_plural(result.pending_left_out, 'pending coding')} (not yet reviewed) left out; --pending shows them.")


def _rows(console, widths: list[int], rows, text_style: str = "") -> None:
    """Fixed columns then text wrapped under itself: one Text printed at once (Rich tables are slow for 1,000s)."""
    import textwrap

    from rich.text import Text

    indent = sum(w + 1 for w in widths)
    room = max(20, console.width - indent)
    out = Text()
    for cells, text, style in rows:
        for (value, cell_style), w in zip(cells, widths):
            out.append(value[:w].ljust(w) + " ", style=cell_style)
        for i, line in enumerate(textwrap.wrap(" ".join(text.split()), room) or [""]):
            out.append((" " * indent if i else "") + line + "\n", style=style)
    console.print(out, end="", soft_wrap=True)


def _render_retrieval(r) -> None:
    from rich.text import Text

    console = out_console()
    several = len(r.codes) > 1
    title = Text(r.code, style="bold")
    if several:
        title.append(f" (with {_plural(len(r.codes) - 1, 'child code')})", style="dim")
    title.append(f" · {_plural(len(r.passages), 'passage')} in {_plural(r.documents, 'document')}, "
                 f"{_plural(r.cases, 'case')}{_filters(r.where)}")
    console.print(title)
    items = r.passages
    ident = lambda p: f"#{p.id}" + ("" if p.status == "confirmed" else f" {p.status}")  # noqa: E731
    context = [c for i in items for c in (*i.before, *i.after)]
    widths = [max(len(ident(i.passage)) for i in items),
              max(len(x.address) for x in [*(i.passage for i in items), *context]),
              min(16, max(len(x.speaker or "") for x in [*(i.passage for i in items), *context]))]
    if several:
        widths.append(min(30, max(len(c) for c in r.codes)))
    for g in r.groups:
        head = Text("\n" + (g.label if r.by in ("case", "document", "code", "coder") else f"{r.by} = {g.label}"),
                    style="bold cyan")
        if g.attributes:
            head.append(" (" + ", ".join(f"{k}={v}" for k, v in g.attributes.items()) + ")", style="cyan")
        counts = [_plural(len(g.passages), "passage"), _plural(g.documents, "document")]
        if r.by != "case":
            counts.append(_plural(g.cases, "case"))
        head.append(" · " + ", ".join(counts), style="dim")
        console.print(head)
        rows = []
        for n, item in enumerate(g.passages):
            p = item.passage
            if n and r.context:
                rows.append(([], "", ""))
            blank = [("", "")] * (len(widths) - 3)
            rows += [([("", ""), (c.address, "dim"), (c.speaker or "", "dim"), *blank], c.text, "dim")
                     for c in item.before]
            rows.append(([(ident(p), "yellow" if p.status != "confirmed" else "dim"), (p.address, ""),
                          (p.speaker or "", "bold"), *([(p.code, "magenta")] if several else [])], p.text, ""))
            rows += [([("", ""), (c.address, "dim"), (c.speaker or "", "dim"), *blank], c.text, "dim")
                     for c in item.after]
        _rows(console, widths, rows)


# --- compare -------------------------------------------------------------------------------------

def compare(
    code_a: Annotated[str, typer.Argument(metavar="CODE_A", help="First code (name or path).")],
    code_b: Annotated[str, typer.Argument(metavar="CODE_B", help="Second code (name or path).")],
    where: Where = None,
    by: Annotated[Optional[list[str]], typer.Option(
        help="Split by these case attributes only (repeatable; default: every attribute).")] = None,
    pending: Pending = False,
    children: Children = True,
    json_out: Json = False,
) -> None:
    """Two codes side by side: A only, B only, both (overlapping), and the split by attribute.

    Example: gtcode compare "Fear of judgement" "Trust in the guider" --where role=mother
    """
    from gtcode.analysis.retrieve import compare as run

    with open_project() as project:
        result = run(project.store, code_a, code_b, where=where, include_pending=pending, children=children,
                     attributes=by)
    if json_out:
        print_json(result.to_dict())
    else:
        _render_comparison(result)


def _passage_text(u, codes: str):
    from rich.text import Text

    t = Text(u.text)
    for s, e in u.shared:
        t.stylize("bold reverse", s - u.start, e - u.start)
    ids = " ".join(f"#{p.id}" for p in [*u.a, *u.b])
    who = [u.case or u.document] + ([u.speaker] if u.speaker and u.speaker != u.case else [])
    head = Text(f"{u.address} ", style="bold").append(" · ".join([*who, ids]) + codes, style="dim")
    return head, t


def _render_comparison(c) -> None:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    console = out_console()
    title = Text("A ", style="dim").append(c.a, style="bold").append("  vs  B ", style="dim").append(c.b, style="bold")
    title.append(f" · {len(c.a_only)} A only, {len(c.b_only)} B only, {len(c.both)} both{_filters(c.where)}")
    console.print(title)
    console.print(Text(f"Cases: {c.cases_a_only} A only, {c.cases_b_only} B only, {c.cases_both} both, "
                       f"{c.cases - c.cases_a_only - c.cases_b_only - c.cases_both} neither (of {c.cases})",
                       style="dim"))
    if c.split:
        table = Table(show_edge=False, pad_edge=False, title=None)
        for name, kw in (("Attribute", {}), ("Value", {}), ("Cases", {"justify": "right"})):
            table.add_column(name, **kw)
        for who in ("Cases", "Passages"):
            for kind in ("A only", "B only", "both"):
                table.add_column(f"{who}\n{kind}", justify="right")
        last = None
        for s in c.split:
            table.add_row(s.attribute if s.attribute != last else "", s.label, str(s.cases),
                          str(s.cases_a_only), str(s.cases_b_only), str(s.cases_both),
                          str(s.passages_a_only), str(s.passages_b_only), str(s.passages_both),
                          end_section=False)
            last = s.attribute
        console.print()
        console.print(table)

    def column(units, several: bool):
        if not units:
            return Text("(none)", style="dim")
        parts = []
        for u in units:
            codes = "".join(f" · {p.code}" for p in [*u.a, *u.b]) if several else ""
            head, body = _passage_text(u, codes)
            parts += [head, body, Text("")]
        return Group(*parts[:-1])

    side = Table(show_edge=False, pad_edge=False, expand=True, padding=(0, 2))
    side.add_column(f"A only: {c.a} ({len(c.a_only)})", ratio=1)
    side.add_column(f"B only: {c.b} ({len(c.b_only)})", ratio=1)
    side.add_row(column(c.a_only, len(c.a_codes) > 1), column(c.b_only, len(c.b_codes) > 1))
    console.print()
    console.print(side)
    console.print()
    console.print(Text(f"Both ({len(c.both)})", style="bold") + Text(" — where they overlap is highlighted",
                                                                      style="dim"))
    for u in c.both:
        codes = " · A " + ", ".join(f"{p.code} {p.address}" for p in u.a) + \
                " · B " + ", ".join(f"{p.code} {p.address}" for p in u.b)
        head, body = _passage_text(u, codes)
        console.print(head)
        console.print(body)
    if not c.both:
        console.print(Text("(none)", style="dim"))


# --- kwic and freq -----------------------------------------------------------------------------

def _speaker_phrase(speaker: str) -> str:
    key = speaker.casefold()
    return {"participant": "participants' speech", "interviewer": "interviewers' speech",
            "all": "everyone's speech"}.get(key, f"{speaker}'s speech")


def kwic(
    term: Annotated[str, typer.Argument(help="A word, a phrase (\"social worker\") or a prefix (film*).")],
    lemma: Annotated[bool, typer.Option("--lemma", help="Match every form of the word: film → films, filmed, "
                                        "filming.")] = False,
    width: Annotated[int, typer.Option(min=1, help="Characters of context either side.")] = 40,
    where: Where = None,
    speaker: Annotated[str, typer.Option(help="participant, interviewer, all, or a speaker label.")] = "participant",
    sort: Annotated[str, typer.Option(help="document (order of the text), right or left (by the words after or "
                                      "before the keyword).")] = "document",
    limit: Annotated[int, typer.Option(min=0, help="Show at most this many lines (0: all).")] = 0,
    json_out: Json = False,
) -> None:
    """Keyword in context: each occurrence with the words around it and its address.

    Example: gtcode kwic film --lemma --where role=mother --sort right
    """
    from gtcode.analysis.words import kwic as run

    with open_project() as project:
        result = run(project.store, term, lemma=lemma, width=width, where=where, speaker=speaker, sort=sort,
                     limit=limit or None)
    if json_out:
        print_json(result.to_dict())
        return
    if not result.lines:
        err(f"No occurrences of {term!r}{' (any form)' if lemma else ''} in {_speaker_phrase(speaker)}"
            f"{_filters(result.where)} ({_plural(result.segments, 'segment')} searched).")
        return
    _render_kwic(result)
    err(f"{_plural(len(result.lines), 'occurrence')} of {' '.join(result.sought)}"
        f"{' (lemma)' if lemma else ''} in {_speaker_phrase(speaker)}{_filters(result.where)}.")


def _render_kwic(k) -> None:
    from rich.text import Text

    from gtcode.analysis.words import clip_left, clip_right

    console = out_console()
    addr_w = max(len(x.address) for x in k.lines)
    kw_w = max(len(x.keyword) for x in k.lines)
    room = max(8, min(k.width, (console.width - addr_w - kw_w - 3) // 2))
    out = Text()
    for x in k.lines:
        out.append(x.address.ljust(addr_w) + " ", style="dim")
        out.append(clip_left(x.left, room).rjust(room) + " ")
        out.append(x.keyword, style="bold reverse")
        out.append(" " * (kw_w - len(x.keyword)) + " " + clip_right(x.right, room) + "\n")
    console.print(out, end="", soft_wrap=True)


def freq(
    by: Annotated[Optional[str], typer.Option(help="A column per value of this case attribute (or case, document).")]
    = None,
    top: Annotated[int, typer.Option(min=0, help="How many words (0: all).")] = 30,
    lemma: Annotated[bool, typer.Option("--lemma/--words", help="Count lemmas (film, films, filmed as one) or "
                                        "word forms.")] = True,
    all_speakers: Annotated[bool, typer.Option("--all-speakers", help="Count interviewers' words too.")] = False,
    where: Where = None,
    json_out: Json = False,
) -> None:
    """Most frequent content words or lemmas, optionally a column per attribute value.

    Example: gtcode freq --by role --top 20
    """
    from gtcode.analysis.words import freq as run

    speaker = "all" if all_speakers else "participant"
    with open_project() as project:
        result = run(project.store, by=by, top=top or None, lemma=lemma, where=where, speaker=speaker)
    if json_out:
        print_json(result.to_dict())
        return
    if not result.words:
        err(f"No words counted in {_speaker_phrase(speaker)}{_filters(result.where)}.")
        return
    _render_freq(result)
    err(f"{'Lemmas' if lemma else 'Words'} of {_speaker_phrase(speaker)}{_filters(result.where)}: "
        f"{_plural(result.total_words, 'word')} in {_plural(result.documents, 'document')}; stop words, "
        "punctuation and numbers left out. Per 1,000 = occurrences per 1,000 words spoken.")


def _render_freq(f) -> None:
    from rich.table import Table

    table = Table(show_edge=False, pad_edge=False)
    table.add_column("#", justify="right", style="dim")
    table.add_column("Lemma" if f.lemma else "Word")
    table.add_column("Count", justify="right")
    table.add_column("Per 1,000", justify="right")
    table.add_column("Docs", justify="right")
    for g in f.groups:
        table.add_column(f"{g}\n{f.words_spoken[g]:,} words", justify="right")
    for i, w in enumerate(f.words, 1):
        table.add_row(str(i), w.word, f"{w.count:,}", f"{f.rate(w.count):.1f}", f"{w.documents}/{f.documents}",
                      *(f"{w.by[g]:,} ({f.rate(w.by[g], g):.1f})" for g in f.groups))
    out_console().print(table)
