"""Open coding: the code tree, coding segments and quotes, in-vivo codes."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from gtcode.errors import InputError
from gtcode.cli._app import App, err, open_project, out_console, print_json

PANEL = "Open coding"
codes_app = App(help="The code tree: add, list, show, rename, move, describe, merge, split, delete.")


def register(app: App) -> None:
    app.add_typer(codes_app, name="codes", rich_help_panel=PANEL)
    app.command("code", rich_help_panel=PANEL)(code)
    app.command("uncode", rich_help_panel=PANEL)(uncode)
    app.command("invivo", rich_help_panel=PANEL)(invivo)


@codes_app.command("add")
def codes_add(
    name: Annotated[str, typer.Argument(help="Name, or a path like 'Barriers/Fear of judgement'.")],
    parent: Annotated[Optional[str], typer.Option(help="Parent code (name or path).")] = None,
    description: Annotated[str, typer.Option(help="The definition.")] = "",
    color: Annotated[Optional[str], typer.Option(help="Colour as #RRGGBB.")] = None,
) -> None:
    """Add a code.

    Example: gtcode codes add "Fear of judgement" --parent Barriers --description "Worry that staff judge her mothering"
    """
    if "/" in name and parent is None:
        parent, _, name = name.rpartition("/")
    with open_project() as project:
        c = project.codes.add(name, parent or None, description=description, color=color)
    err(f"Added code {c.path!r} (#{c.id})")


def _tree_rows(project, include_pending: bool):
    counts = project.codes.counts(include_pending)
    empty = {"own": 0, "codings": 0, "documents": 0, "cases": 0}
    return [(c, counts.get(c.id, empty)) for c in project.codes.list()]


@codes_app.command("list")
def codes_list(
    pending: Annotated[bool, typer.Option("--pending", help="Count autocoded codings not yet reviewed.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="As JSON.")] = False,
) -> None:
    """List codes by path: own codings, and codings, documents and cases including children.

    Example: gtcode codes list --json
    """
    with open_project() as project:
        rows = _tree_rows(project, pending)
    if json_out:
        print_json([c.to_dict() | n for c, n in rows])
        return
    if not rows:
        err("No codes yet: 'gtcode codes add NAME' or 'gtcode codebook import FILE'.")
        return
    from rich.table import Table

    table = Table(show_edge=False, pad_edge=False)
    table.add_column("#", justify="right", style="dim")
    table.add_column("Code")
    for col in ("Own", "With children", "Docs", "Cases"):
        table.add_column(col, justify="right")
    for c, n in rows:
        table.add_row(str(c.id), c.path + (" (in vivo)" if c.invivo else ""), str(n["own"]), str(n["codings"]),
                      str(n["documents"]), str(n["cases"]))
    out_console().print(table)


@codes_app.command("tree")
def codes_tree(
    pending: Annotated[bool, typer.Option("--pending", help="Count autocoded codings not yet reviewed.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="As JSON (nested).")] = False,
) -> None:
    """Show the code tree with counts (children included): codings · documents · cases.

    Example: gtcode codes tree
    """
    with open_project() as project:
        rows = _tree_rows(project, pending)
    if json_out:
        nodes = {c.id: c.to_dict() | n | {"children": []} for c, n in rows}
        roots = []
        for c, _ in rows:
            (nodes[c.parent_id]["children"] if c.parent_id else roots).append(nodes[c.id])
        print_json(roots)
        return
    from gtcode.cli.render import render_code_tree
    render_code_tree(rows)


@codes_app.command("show")
def codes_show(
    code: Annotated[str, typer.Argument(help="Code name or path.")],
    by: Annotated[Optional[str], typer.Option(help="Count by this case attribute (default: every attribute).")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="As JSON.")] = False,
) -> None:
    """A code's definition, criteria, counts by case attribute and three exemplar quotes.

    Example: gtcode codes show "Fear of judgement"
    """
    with open_project() as project:
        data = project.codes.summary(code, by)
    if json_out:
        print_json(data)
        return
    from gtcode.cli.render import render_code
    render_code(data)


@codes_app.command("rename")
def codes_rename(code: Annotated[str, typer.Argument(help="Code name or path.")],
                 new_name: Annotated[str, typer.Argument(help="The new name (not a path).")]) -> None:
    """Rename a code (its codings stay).

    Example: gtcode codes rename "Fear of judgement" "Feeling judged"
    """
    with open_project() as project:
        c = project.codes.rename(code, new_name)
    err(f"Renamed to {c.path!r}")


@codes_app.command("move")
def codes_move(code: Annotated[str, typer.Argument(help="Code name or path.")],
               parent: Annotated[Optional[str], typer.Option(help="New parent; leave out for the top level.")] = None
               ) -> None:
    """Move a code under another parent (or to the top level).

    Example: gtcode codes move "Exhaustion" --parent "Barriers/Maternal mental health"
    """
    with open_project() as project:
        c = project.codes.move(code, parent)
    err(f"Moved to {c.path!r}")


@codes_app.command("describe")
def codes_describe(
    code: Annotated[str, typer.Argument(help="Code name or path.")],
    description: Annotated[Optional[str], typer.Option(help="The definition.")] = None,
    include: Annotated[Optional[str], typer.Option(help="Inclusion criteria.")] = None,
    exclude: Annotated[Optional[str], typer.Option(help="Exclusion criteria.")] = None,
    example: Annotated[Optional[str], typer.Option(help="An example.")] = None,
    color: Annotated[Optional[str], typer.Option(help="Colour as #RRGGBB.")] = None,
) -> None:
    """Write a code's definition, inclusion and exclusion criteria, example or colour.

    Example: gtcode codes describe "Feeling judged" --include "talk of being assessed as a mother" --exclude "fear of the camera itself"
    """
    with open_project() as project:
        c = project.codes.describe(code, description=description, include=include, exclude=exclude,
                                  example=example, color=color)
    err(f"Described {c.path!r}")


@codes_app.command("merge")
def codes_merge(
    codes: Annotated[list[str], typer.Argument(help="SOURCE… INTO TARGET")],
) -> None:
    """Merge codes into another: codings move, duplicates collapse, definitions stay in the history.

    Example: gtcode codes merge "Judged" "Watched" INTO "Feeling judged"
    """
    upper = [w.upper() for w in codes]
    if "INTO" not in upper or upper.index("INTO") == 0 or upper.index("INTO") != len(codes) - 2:
        raise InputError("expected SOURCE… INTO TARGET, e.g. gtcode codes merge A B INTO C")
    i = upper.index("INTO")
    with open_project() as project:
        result = project.codes.merge(codes[:i], codes[i + 1])
    err(f"Merged {', '.join(map(repr, result['sources']))} into {result['target']!r}: "
        f"{result['codings_moved']} coding(s) moved, {result['collapsed']} duplicate(s) collapsed")


@codes_app.command("split")
def codes_split(
    code: Annotated[str, typer.Argument(help="The code to split.")],
    into: Annotated[str, typer.Option("--into", help="Name of the new sibling code.")],
    codings: Annotated[str, typer.Option("--codings", help="Coding ids to move, e.g. 12,15-18 (see retrieve).")],
) -> None:
    """Move chosen codings of a code to a new sibling code.

    Example: gtcode codes split "Practical obstacles" --into "Travel" --codings 12,15,31
    """
    from gtcode.address import parse_ranges

    ids = list(parse_ranges(codings, what="--codings"))
    with open_project() as project:
        result = project.codes.split(code, into, ids)
    err(f"Moved {result['moved']} coding(s) to new code {result['code']!r}")


@codes_app.command("delete")
def codes_delete(code: Annotated[str, typer.Argument(help="Code name or path.")],
                 force: Annotated[bool, typer.Option("--force", help="Also delete its codings and child codes.")]
                 = False) -> None:
    """Delete a code; refuses while it has codings or children unless --force (undo restores it).

    Example: gtcode codes delete "Misc" --force
    """
    with open_project() as project:
        result = project.codes.delete(code, force)
    err(f"Deleted {result['code']!r} ({result['codes']} code(s), {result['codings']} coding(s)); 'gtcode undo' restores it")


def code(
    targets: Annotated[Optional[list[str]], typer.Argument(help="ADDRESS… CODE…: addresses like D3:17, D3:17-21, "
                                                           "P01:4,9, then code names or paths.")] = None,
    quote: Annotated[Optional[str], typer.Option(help="Code just these exact words inside the segment.")] = None,
    search: Annotated[Optional[str], typer.Option(help="Code every hit of this search instead of addresses.")] = None,
    where: Annotated[Optional[list[str]], typer.Option(help="With --search: filter by case attribute.")] = None,
    speaker: Annotated[Optional[str], typer.Option(help="With --search: participant, interviewer or a label.")] = None,
    create: Annotated[bool, typer.Option("--create", help="Create codes that do not exist yet.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="With --search: do not ask before coding.")] = False,
) -> None:
    """Apply codes to segments, a quote inside one, or every search hit.

    Example: gtcode code D3:17-19 "Feeling judged"   ·   gtcode code D3:17 "Feeling judged" --quote "collecting evidence"
    """
    targets = targets or []
    with open_project() as project:
        if search:
            if not targets:
                raise InputError("name the code(s) to apply to the search hits")
            hits, spans = project.coding.search_spans(search, where=where, speaker=speaker)
            if not hits:
                err("No matches: nothing coded.")
                return
            from gtcode.cli.render import render_hits
            render_hits(hits[:10], len(hits))
            if not yes and not typer.confirm(f"Code these {len(hits)} segment(s) with {', '.join(targets)}?",
                                             err=True):
                err("Nothing coded.")
                raise typer.Exit(1)
            result = project.coding.apply_spans(spans, targets, create=create)
        else:
            addresses = [t for t in targets if _looks_like_address(t)]
            names = targets[len(addresses):]
            if not addresses or not names or any(_looks_like_address(n) for n in names):
                raise InputError("expected ADDRESS… CODE…, e.g. gtcode code D3:17-19 \"Feeling judged\"")
            result = project.coding.apply(addresses, names, quote=quote, create=create)
    err(f"Coded: {result['added']} new, {result['merged']} merged with overlapping codings, "
        f"{result['already']} already coded.")


def _looks_like_address(text: str) -> bool:
    import re
    return re.match(r"^[^:]+:\s*\d+(\s*-\s*\d+)?(\s*,\s*\d+(\s*-\s*\d+)?)*\s*$", text) is not None


def uncode(
    targets: Annotated[list[str], typer.Argument(help="ADDRESS… CODE…")],
    quote: Annotated[Optional[str], typer.Option(help="Remove the code from just these words.")] = None,
    all_coders: Annotated[bool, typer.Option("--all-coders", help="Also remove other coders' codings.")] = False,
) -> None:
    """Remove codes from segments or a quote; codings that only partly overlap are trimmed.

    Example: gtcode uncode D3:18 "Feeling judged"
    """
    addresses = [t for t in targets if _looks_like_address(t)]
    names = targets[len(addresses):]
    if not addresses or not names:
        raise InputError("expected ADDRESS… CODE…, e.g. gtcode uncode D3:18 \"Feeling judged\"")
    with open_project() as project:
        n = project.coding.remove(addresses, names, quote=quote, all_coders=all_coders)
    err(f"Removed or trimmed {n} coding(s)." if n else "Nothing to remove: those segments do not carry that code.")


def invivo(
    address: Annotated[str, typer.Argument(help="One segment, e.g. D3:17.")],
    words: Annotated[str, typer.Argument(help="The participant's own words, exactly as in the segment.")],
    parent: Annotated[Optional[str], typer.Option(help="Put the new code under this parent.")] = None,
) -> None:
    """Create a code named by the participant's own words and code exactly those words.

    Example: gtcode invivo D2:31 "collecting evidence"
    """
    with open_project() as project:
        c = project.coding.invivo(address, words, parent)
    err(f"In vivo code {c.path!r} applied to {address}")
