"""The code tree (`gtcode codes …`): add, list, show, rename, move, describe, merge, split, delete."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from gtcode.cli._app import App, open_project
from gtcode.cli.options import Json, Pending
from gtcode.cli.output import err, out_console, plural, print_json, print_table, show, table
from gtcode.errors import InputError, UnknownCode

PANEL = "Open coding"
codes_app = App(help="The code tree: add, list, show, rename, move, describe, merge, split, delete.")


def register(app: App) -> None:
    app.add_typer(codes_app, name="codes", rich_help_panel=PANEL)


@codes_app.command("add")
def codes_add(
    name: Annotated[str, typer.Argument(help="Name, or a path like 'Barriers/Fear of judgement'; a slash inside "
                                             "a name is written \\/ ('Either\\/or thinking'), or use --parent.")],
    parent: Annotated[Optional[str], typer.Option(help="Parent code (name or path); NAME is then one name, "
                                                       "slashes and all.")] = None,
    description: Annotated[str, typer.Option(help="The definition.")] = "",
    color: Annotated[Optional[str], typer.Option(help="Colour as #RRGGBB.")] = None,
) -> None:
    """Add a code; its parent must exist already.

    Example: gtcode codes add "Fear of judgement" --parent Barriers --description "Worry that staff judge her mothering"
    """
    from gtcode.codes import CodePath, escape_name, split_parent

    given = parent
    if parent is None:
        parent, name = split_parent(name)
    else:
        name = name.replace("\\/", "/")
    with open_project() as project:
        try:
            # parent "" (not None): the name is already split from its path, slashes in it and all.
            c = project.codes.add(name, parent or "", description=description, color=color)
        except UnknownCode as exc:
            if given is not None or not str(exc).startswith("parent "):
                raise
            whole = CodePath(escape_name(f"{parent.replace(chr(92) + '/', '/')}/{name}"))
            raise UnknownCode(f"{exc}; or, if the slash is part of the name, write it as \\/: "
                              f"gtcode codes add {whole!r}") from None
    err(f"Added code {c.path!r} (#{c.id})")


def _tree_rows(project, include_pending: bool):
    counts = project.codes.counts(include_pending)
    empty = {"own": 0, "codings": 0, "documents": 0, "cases": 0}
    return [(c, counts.get(c.id, empty)) for c in project.codes.list()]


@codes_app.command("list")
def codes_list(
    pending: Pending = False,
    json_out: Json = False,
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
    right = {"justify": "right"}
    t = table(("#", right | {"style": "dim"}), "Code",
              *((col, right) for col in ("Own", "With children", "Docs", "Cases")))
    for c, n in rows:
        t.add_row(str(c.id), c.path + (" (in vivo)" if c.invivo else ""), str(n["own"]), str(n["codings"]),
                  str(n["documents"]), str(n["cases"]))
    print_table(t)


@codes_app.command("tree")
def codes_tree(
    pending: Pending = False,
    json_out: Json = False,
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
    _render_tree(rows)


@codes_app.command("show")
def codes_show(
    code: Annotated[str, typer.Argument(help="Code name or path.")],
    by: Annotated[Optional[str], typer.Option(help="Count by this case attribute (default: every attribute).")] = None,
    json_out: Json = False,
) -> None:
    """A code's definition, criteria, counts by case attribute and three exemplar quotes.

    Example: gtcode codes show "Fear of judgement"
    """
    with open_project() as project:
        data = project.codes.summary(code, by)
    show(data, json_out, _render_code)


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
               new_parent: Annotated[Optional[str], typer.Argument(
                   help="New parent (name or path), the same as --parent.", show_default=False)] = None,
               parent: Annotated[Optional[str], typer.Option(help="New parent; leave out for the top level.")] = None
               ) -> None:
    """Move a code under another parent (or, with no parent, to the top level).

    Example: gtcode codes move "Exhaustion" "Barriers/Maternal mental health"
    """
    if new_parent is not None and parent is not None and new_parent != parent:
        raise InputError(f"two new parents ({new_parent!r} and --parent {parent!r}): give one")
    with open_project() as project:
        c = project.codes.move(code, new_parent if new_parent is not None else parent)
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

    Example: gtcode codes describe "Feeling judged" --include "talk of being assessed as a mother"
    Example: gtcode codes describe "Feeling judged" --exclude "fear of the camera itself"
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
        f"{plural(result['codings_moved'], 'coding')} moved, {plural(result['collapsed'], 'duplicate')} collapsed")


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
    err(f"Moved {plural(result['moved'], 'coding')} to new code {result['code']!r}")


@codes_app.command("delete")
def codes_delete(code: Annotated[str, typer.Argument(help="Code name or path.")],
                 force: Annotated[bool, typer.Option("--force", help="Also delete its codings and child codes.")]
                 = False) -> None:
    """Delete a code; refuses while it has codings or children unless --force (undo restores it).

    Example: gtcode codes delete "Misc" --force
    """
    with open_project() as project:
        result = project.codes.delete(code, force)
    err(f"Deleted {result['code']!r} ({plural(result['codes'], 'code')}, {plural(result['codings'], 'coding')}); "
        "'gtcode undo' restores it")


def _render_tree(rows) -> None:
    """The code tree as a Rich tree, with codings · documents · cases after each code."""
    from rich.text import Text
    from rich.tree import Tree

    root = Tree(Text("Codes", style="bold"), guide_style="dim")
    nodes = {}
    for c, n in rows:
        label = Text(c.name, style=f"bold {c.color}" if c.color else "bold")
        if c.invivo:
            label.append(" “in vivo”", style="italic dim")
        label.append(f"  {n['codings']} · {plural(n['documents'], 'doc')} · {plural(n['cases'], 'case')}",
                     style="dim")
        nodes[c.id] = (nodes[c.parent_id] if c.parent_id else root).add(label)
    out_console().print(root)


def _render_code(data: dict) -> None:
    from rich.text import Text

    console = out_console()
    console.print(Text(data["path"] + ("  (in vivo)" if data["invivo"] else ""), style="bold"))
    for key, label in (("description", "Definition"), ("include", "Include"), ("exclude", "Exclude"),
                       ("example", "Example")):
        if data[key]:
            console.print(Text(f"{label}: ", style="bold").append(data[key], style=""))
    console.print(f"{plural(data['codings'], 'coding')} in {plural(data['documents'], 'document')}, "
                  f"{plural(data['cases'], 'case')}")
    for attr, values in data["by_attribute"].items():
        console.print(f"  by {attr}: " + ", ".join(
            f"{v} {plural(n['cases'], 'case')}/{plural(n['passages'], 'passage')}" for v, n in sorted(values.items())))
    for p in data["exemplars"]:
        console.print(Text(f"“{p['text']}”", style="italic"))
        console.print(Text(f"    — {p['case'] or p['document']}, {p['address']}", style="dim"))
    if data.get("memos"):
        console.print(Text("Memos", style="bold"))
        for m in data["memos"]:
            console.print(f"  #{m['id']} {m['title']} ({m['type']}, v{m['version']}, {m['review']})")
