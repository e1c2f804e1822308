"""Constant comparison: `gtcode retrieve` (a code's passages, grouped) and `gtcode compare` (two codes side by
side)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from gtcode.cli._app import App, open_project
from gtcode.cli.options import Json, Pending, Where
from gtcode.cli.output import err, out_console, plural, print_json, show, table, where_phrase

PANEL = "Constant comparison"
Children = Annotated[bool, typer.Option("--children/--no-children",
                                        help="Include passages of child codes (the default) or only the code's own.")]


def register(app: App) -> None:
    app.command(rich_help_panel=PANEL)(retrieve)
    app.command(rich_help_panel=PANEL)(compare)


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
    with open_project() as project:
        result = project.analysis.retrieve(code, by=by, where=where, context=context, include_pending=pending,
                                           children=children)
    if json_out:
        print_json(result.to_dict())
    elif result.groups:
        _render_retrieval(result)
    else:
        err(f"No passages coded {result.code!r}{where_phrase(result.where)}.")
    if result.pending_left_out and not json_out:
        err(f"{plural(result.pending_left_out, 'pending coding')} (not yet reviewed) left out; --pending shows them.")


class _Listing:
    """Styled lines gathered as (text, style) pieces and made one Rich `Text` at the end: the Text that appending
    each piece would build (spans and all), without its checks on every append."""

    def __init__(self):
        self.pieces: list = []

    def add(self, text, style: str = "") -> None:
        if len(text):                               # as `Text.append`: nothing, not an empty span
            self.pieces.append((text, style))

    def text(self):
        from rich.text import Span, Text

        plain = "".join(t if type(t) is str else t.plain for t, _ in self.pieces)
        if any(c in plain for c in "\x07\x08\x0b\x0c\r"):      # control codes Rich strips: let it do so
            out = Text()
            for t, style in self.pieces:
                out.append(t, style=style or None)
            return out
        spans, at = [], 0
        for t, style in self.pieces:
            if type(t) is str:
                if style:
                    spans.append(Span(at, at + len(t), style))
            else:                           # a Text: its own style over it, then its spans, as `Text.append`
                if t.style:
                    spans.append(Span(at, at + len(t), t.style))
                spans.extend(Span(start + at, end + at, s) for start, end, s in t.spans)
            at += len(t)
        return Text(plain, spans=spans)


def _rows(out: _Listing, width: int, widths: list[int], rows) -> None:
    """Fixed columns then text wrapped under itself (Rich tables are slow for 1,000s)."""
    import textwrap

    indent = sum(w + 1 for w in widths)
    room = max(20, width - indent)
    for cells, text, style in rows:
        for (value, cell_style), w in zip(cells, widths):
            out.add(value[:w].ljust(w) + " ", cell_style)
        for i, line in enumerate(textwrap.wrap(" ".join(text.split()), room) or [""]):
            out.add((" " * indent if i else "") + line + "\n", style)


def _line(console, width: int, out: _Listing, text) -> None:
    """A heading line after what `out` holds: in it when it fits the width, as `console.print(text)` prints it
    then; a longer one is printed on its own, wrapped by Rich, after what came before."""
    from rich.cells import cell_len

    if max(map(cell_len, text.plain.split("\n"))) <= width:
        out.add(text)
        out.add("\n")
        return
    console.print(out.text(), end="", soft_wrap=True)
    out.pieces.clear()
    console.print(text)


def _render_retrieval(r) -> None:
    from rich.text import Text

    console = out_console()
    several = len(r.codes) > 1
    title = Text(r.code, style="bold")
    if several:
        title.append(f" (with {plural(len(r.codes) - 1, 'child code')})", style="dim")
    title.append(f" · {plural(len(r.passages), 'passage')} in {plural(r.documents, 'document')}, "
                 f"{plural(r.cases, 'case')}{where_phrase(r.where)}")
    width = console.width
    out = _Listing()        # the whole listing printed at once: a print a group cost a millisecond each
    _line(console, width, out, title)
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
        counts = [plural(len(g.passages), "passage"), plural(g.documents, "document")]
        if r.by != "case":
            counts.append(plural(g.cases, "case"))
        head.append(" · " + ", ".join(counts), style="dim")
        _line(console, width, out, head)
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
        _rows(out, width, widths, rows)
    console.print(out.text(), end="", soft_wrap=True)


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
    with open_project() as project:
        result = project.analysis.compare(code_a, code_b, where=where, include_pending=pending, children=children,
                                          attributes=by)
    show(result, json_out, _render_comparison, lambda r: r.to_dict())


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
    from rich.text import Text

    console = out_console()
    title = Text("A ", style="dim").append(c.a, style="bold").append("  vs  B ", style="dim").append(c.b, style="bold")
    title.append(f" · {len(c.a_only)} A only, {len(c.b_only)} B only, {len(c.both)} both{where_phrase(c.where)}")
    console.print(title)
    console.print(Text(f"Cases: {c.cases_a_only} A only, {c.cases_b_only} B only, {c.cases_both} both, "
                       f"{c.cases - c.cases_a_only - c.cases_b_only - c.cases_both} neither (of {c.cases})",
                       style="dim"))
    if c.split:
        split = [(f"{who}\n{kind}", {"justify": "right"}) for who in ("Cases", "Passages")
                 for kind in ("A only", "B only", "both")]
        t = table("Attribute", "Value", ("Cases", {"justify": "right"}), *split, title=None)
        last = None
        for s in c.split:
            t.add_row(s.attribute if s.attribute != last else "", s.label, str(s.cases),
                          str(s.cases_a_only), str(s.cases_b_only), str(s.cases_both),
                          str(s.passages_a_only), str(s.passages_b_only), str(s.passages_both),
                          end_section=False)
            last = s.attribute
        console.print()
        console.print(t)

    def column(units, several: bool):
        if not units:
            return Text("(none)", style="dim")
        parts = []
        for u in units:
            codes = "".join(f" · {p.code}" for p in [*u.a, *u.b]) if several else ""
            head, body = _passage_text(u, codes)
            parts += [head, body, Text("")]
        return Group(*parts[:-1])

    side = table((f"A only: {c.a} ({len(c.a_only)})", {"ratio": 1}), (f"B only: {c.b} ({len(c.b_only)})", {"ratio": 1}),
                 expand=True, padding=(0, 2))
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
