"""Axial and selective coding: categories, relations, the paradigm model, the core category, the model."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from gtcode.address import split_addresses
from gtcode.cli._app import App, open_project
from gtcode.cli.options import Json, output_file
from gtcode.cli.output import clip, err, out_console, plural, print_json, show, table
from gtcode.cli.render import render_model
from gtcode.errors import InputError

PANEL = "Axial and selective coding"
category_app = App(help="Categories: group codes, give them properties and dimensions.")
model_app = App(help="The explanatory model: show it, check its grounding, export it as a diagram.")


def register(app: App) -> None:
    app.add_typer(category_app, name="category", rich_help_panel=PANEL)
    app.command("relate", rich_help_panel=PANEL)(relate)
    app.command("unrelate", rich_help_panel=PANEL)(unrelate)
    app.command("relations", rich_help_panel=PANEL)(relations)
    app.command("paradigm", rich_help_panel=PANEL)(paradigm)
    app.command("core", rich_help_panel=PANEL)(core)
    app.add_typer(model_app, name="model", rich_help_panel=PANEL)


@category_app.command("new")
def category_new(name: Annotated[str, typer.Argument(help="Name or path; an existing code is promoted.")],
                 description: Annotated[str, typer.Option(help="What the category means.")] = "") -> None:
    """Create a category (or promote an existing code to one).

    Example: gtcode category new "Fear of surveillance" --description "Expecting the film to be used against her"
    """
    with open_project() as project:
        c = project.model.new_category(name, description=description)
    err(f"Category {c.path!r}")


@category_app.command("add")
def category_add(category: Annotated[str, typer.Argument(help="The category.")],
                 codes: Annotated[list[str], typer.Argument(
                     help="Codes (or subcategories) to group under it.")]) -> None:
    """Group codes under a category (their codings and memos go with them).

    Example: gtcode category add "Fear of surveillance" "Feeling judged as a parent" "Fear of social-care involvement"
    """
    with open_project() as project:
        moved = project.model.add_to_category(category, codes)
    err(f"Grouped {plural(len(moved), 'code')}: " + ", ".join(moved) if moved
        else "Nothing to move: already grouped there.")


@category_app.command("list")
def category_list(json_out: Json = False) -> None:
    """List categories with their codes and evidence counts.

    Example: gtcode category list
    """
    with open_project() as project:
        cats = project.model.categories()
        counts = project.codes.counts()
        tree = project.codes.list()
    rows = [(c, counts.get(c.id, {}), [x.name for x in tree if x.parent_id == c.id]) for c in cats]
    if json_out:
        print_json([c.to_dict() | {"counts": n, "children": kids} for c, n, kids in rows])
        return
    if not rows:
        err("No categories yet: 'gtcode category new NAME'.")
        return
    right = {"justify": "right"}
    t = table("Category", "Codes", ("Codings", right), ("Cases", right))
    for c, n, kids in rows:
        t.add_row(c.path + (" ★ core" if c.core else ""), ", ".join(kids) or "-", str(n.get("codings", 0)),
                      str(n.get("cases", 0)))
    out_console().print(t)


@category_app.command("show")
def category_show(category: Annotated[str, typer.Argument(help="The category.")],
                  by: Annotated[str, typer.Option(help="Split evidence by this case attribute.")] = "role",
                  json_out: Json = False) -> None:
    """A category: its codes, properties and dimensions, relations, evidence by attribute, memos.

    Example: gtcode category show "Fear of surveillance" --by site
    """
    with open_project() as project:
        data = project.model.category(category, by)
    show(data, json_out, _render_category)


@category_app.command("property")
def category_property(
    category: Annotated[str, typer.Argument(help="The category.")],
    name: Annotated[str, typer.Argument(help="The property, e.g. intensity.")],
    dimension: Annotated[Optional[str], typer.Option(help="Its dimension as LOW..HIGH.")] = None,
    at: Annotated[Optional[list[str]], typer.Option(help="Place evidence: D3:17=high (repeatable).")] = None,
    description: Annotated[str, typer.Option(help="What the property means.")] = "",
) -> None:
    """Give a category a property with a dimension, and place passages on it.

    Example: gtcode category property "Fear of surveillance" intensity --dimension "mild..overwhelming"
    Example: gtcode category property "Fear of surveillance" intensity --at D2:31=overwhelming
    """
    with open_project() as project:
        n = project.model.set_property(category, name, dimension, description, at)
    err(f"Property {name!r} of {category!r}" + (f": {plural(n, 'passage')} placed" if n else ""))


def relate(
    source: Annotated[Optional[str], typer.Argument(help="SOURCE category or code.")] = None,
    type: Annotated[Optional[str], typer.Argument(help="Relation type, e.g. hinders.")] = None,
    target: Annotated[Optional[str], typer.Argument(help="TARGET category or code.")] = None,
    memo: Annotated[Optional[str], typer.Option(help="A memo that grounds the relation.")] = None,
    evidence: Annotated[Optional[list[str]], typer.Option(help="Passages that ground it: D3:17,D5:4-6 … "
                                                          "(comma-separated or repeated).")] = None,
    note: Annotated[str, typer.Option(help="A short note.")] = "",
    suggest: Annotated[bool, typer.Option("--suggest", help="Propose relations from code co-occurrence "
                                          "(never applied).")] = False,
    define: Annotated[Optional[str], typer.Option(help="Define a relation type NAME (with --label, --polarity).")]
    = None,
    label: Annotated[str, typer.Option(help="With --define: how it reads.")] = "",
    polarity: Annotated[str, typer.Option(help="With --define: + helps, - hinders, 0 neutral.")] = "0",
) -> None:
    """Relate two categories or codes with a typed, grounded relation.

    Example: gtcode relate "Fear of surveillance" hinders "Engagement with VIG" --evidence D2:31,D3:137
    """
    with open_project() as project:
        if define:
            project.model.add_relation_type(define, label, polarity)
            err(f"Defined relation type {define!r}")
            return
        if suggest:
            _render_suggestions(project.analysis.suggest_relations())
            return
        if not (source and type and target):
            raise InputError("expected SOURCE TYPE TARGET, e.g. gtcode relate \"Fear\" hinders \"Engagement\"")
        addresses = [a for item in evidence or [] for a in split_addresses(item)]
        result = project.model.relate(source, type, target, memo=memo, evidence=addresses, note=note)
    err(("Related" if result["created"] else "Added evidence to") + f" {source} {type} {target}"
        + (f" ({plural(result['passages'], 'passage')}" + (", a memo" if result["memo"] else "") + ")"
           if result["passages"] or result["memo"] else ""))


def unrelate(source: Annotated[str, typer.Argument(help="SOURCE")], type: Annotated[str, typer.Argument(help="TYPE")],
             target: Annotated[str, typer.Argument(help="TARGET")]) -> None:
    """Remove a relation (undo brings it back, with its evidence).

    Example: gtcode unrelate "Fear of surveillance" hinders "Engagement with VIG"
    """
    with open_project() as project:
        project.model.unrelate(source, type, target)
    err(f"Removed {source} {type} {target}")


def relations(
    type: Annotated[Optional[str], typer.Option("--type", help="Only this type.")] = None,
    category: Annotated[Optional[str], typer.Option(help="Only relations touching this category.")] = None,
    types: Annotated[bool, typer.Option("--types", help="List the relation types instead.")] = False,
    json_out: Json = False,
) -> None:
    """List relations with their grounding (passages, participants, memos).

    Example: gtcode relations --type hinders
    """
    with open_project() as project:
        data = (project.model.relation_types() if types
                else [r.to_dict() for r in project.model.relations(type, category)])
    if json_out:
        print_json(data)
        return
    right = {"justify": "right"}
    if types:
        t = table("Type", "Reads", "Polarity")
        for x in data:
            t.add_row(x["name"], x["label"], {"+": "helps", "-": "hinders", "0": "neutral"}[x["polarity"]])
    else:
        t = table("Source", "Type", "Target", ("Passages", right), ("Participants", right), ("Memos", right))
        for r in data:
            t.add_row(r["source"], r["type"], r["target"], str(r["passages"]), str(r["participants"]),
                      str(r["memos"]))
    out_console().print(t)


def paradigm(
    phenomenon: Annotated[str, typer.Argument(help="The phenomenon (a category).")],
    condition: Annotated[Optional[list[str]], typer.Option(help="Causal conditions.")] = None,
    context: Annotated[Optional[list[str]], typer.Option(help="Context.")] = None,
    intervening: Annotated[Optional[list[str]], typer.Option(help="Intervening conditions.")] = None,
    strategy: Annotated[Optional[list[str]], typer.Option(help="Action/interaction strategies.")] = None,
    consequence: Annotated[Optional[list[str]], typer.Option(help="Consequences.")] = None,
    json_out: Json = False,
) -> None:
    """Build or show Strauss & Corbin's paradigm model around a phenomenon.

    Example: gtcode paradigm "Engagement with VIG" --condition "Maternal mental health"
    Example: gtcode paradigm "Engagement with VIG" --strategy "Flexibility of delivery"
    """
    with open_project() as project:
        view = project.model.paradigm(phenomenon, condition=condition or [], context=context or [],
                                intervening=intervening or [], strategy=strategy or [], consequence=consequence or [])
    show(view, json_out, _render_paradigm)


def core(category: Annotated[str, typer.Argument(help="The core category.")]) -> None:
    """Mark the core category (selective coding); attach a storyline memo to it with memo new --type storyline.

    Example: gtcode core "Engagement with VIG"
    """
    with open_project() as project:
        c = project.model.set_core(category)
    err(f"Core category: {c.path!r}. Write its storyline: gtcode memo new --type storyline --link "
        f"category:\"{c.path}\"")


@model_app.command("show")
def model_show(by: Annotated[str, typer.Option(help="Split grounding by this case attribute.")] = "role",
               json_out: Json = False) -> None:
    """The explanatory model: the core category, its barriers, facilitators, conditions, strategies, consequences.

    Example: gtcode model show --by site
    """
    with open_project() as project:
        view = project.model.show(by)
    show(view, json_out, render_model)


@model_app.command("check")
def model_check(min_evidence: Annotated[int, typer.Option("--min-evidence", "-k", help="Passages and "
                                                          "participants a relation needs.")] = 2,
                json_out: Json = False) -> None:
    """The rigour report; exits 1 when there are problems, so it can gate a workflow.

    Example: gtcode model check -k 3
    """
    with open_project() as project:
        problems = project.model.check(min_evidence)
    if json_out:
        print_json([p.to_dict() for p in problems])
    elif problems:
        t = table("Problem", "Where", "Detail")
        for kind, item, detail in _grouped(problems):
            t.add_row(kind, item, detail)
        out_console().print(t)
    kinds: dict[str, int] = {}
    for p in problems:
        kinds[p.kind] = kinds.get(p.kind, 0) + 1
    err(f"{plural(len(problems), 'problem')}, most serious first: "
        + ", ".join(_kind_count(k, n) for k, n in kinds.items()) + "." if problems else
        "No problems: every category is related, grounded and reached from the core.")
    if problems:
        raise typer.Exit(1)


#: A problem kind as a counted noun, where adding an s would not do: (one, many).
KIND_NOUNS = {"no core category": ("missing core category", "missing core categories"),
              "lost evidence": ("piece of lost evidence", "pieces of lost evidence"),
              "not reached from the core": ("category not reached from the core",
                                            "categories not reached from the core"),
              "unrelated category": ("unrelated category", "unrelated categories"),
              "no properties": ("category with no properties", "categories with no properties"),
              "code in no category": ("code in no category", "codes in no category")}


def _kind_count(kind: str, n: int) -> str:
    """'1 code in no category', '2 codes in no category', '3 thin relations'."""
    one, many = KIND_NOUNS.get(kind, (kind, kind + "s"))
    return plural(n, one, many)


#: More problems of one kind than this are shown as one row.
GROUP_OVER = 3


def _grouped(problems) -> list[tuple[str, str, str]]:
    """Rows for the table: a kind with many problems as one row ('48 codes are in no category yet: …')."""
    by_kind: dict[str, list] = {}
    for p in problems:
        by_kind.setdefault(p.kind, []).append(p)
    rows = []
    for kind, items in by_kind.items():
        if len(items) <= GROUP_OVER:
            rows += [(p.kind, p.item, p.detail) for p in items]
            continue
        names = [p.item.rpartition("/")[2] for p in items]
        shown = ", ".join(names[:8]) + (f", … and {len(names) - 8} more" if len(names) > 8 else "")
        what = {"code in no category": f"{len(items)} codes are in no category yet",
                "no properties": f"{len(items)} categories have no properties or dimensions yet"}
        rows.append((kind, what.get(kind, f"{len(items)} of this kind"), shown))
    return rows


@model_app.command("export")
def model_export(
    output: Annotated[str, output_file("File: .svg .png .pdf .dot .mmd .md .graphml .gexf .tex .json")],
    format: Annotated[Optional[str], typer.Option("--format", help="Override the format the suffix implies.")] = None,
    include: Annotated[Optional[str], typer.Option(help="'codes' to draw codes under their categories.")] = None,
    min_evidence: Annotated[int, typer.Option(help="Leave out relations with less evidence.")] = 0,
    engine: Annotated[str, typer.Option(help="matplotlib (default) or graphviz (needs dot on PATH).")] = "matplotlib",
) -> None:
    """Export the model as a diagram (svg, png, pdf, tikz) or a graph (dot, mermaid, graphml, gexf, json).

    Example: gtcode model export -o model.svg
    """
    from gtcode.report.diagram.draw import export_model

    if include not in (None, "codes"):
        raise InputError(f"--include {include!r}: only 'codes' can be included")
    with open_project() as project:
        path = export_model(project, output, format, include_codes=include == "codes", min_evidence=min_evidence,
                            engine=engine)
    err(f"Wrote {path}")


def _render_category(data: dict) -> None:
    from rich.text import Text

    console = out_console()
    console.print(Text(data["path"] + ("  ★ core category" if data["core"] else ""), style="bold"))
    if data["description"]:
        console.print(data["description"])
    console.print(f"Codes: {', '.join(data['codes']) or '-'}")
    console.print(f"Evidence: {plural(data['segments'], 'passage')} from {plural(data['participants'], 'participant')}"
                  + "".join(f"; {v}: {n['segments']}/{n['participants']}" for v, n in data["split"].items()))
    for p in data["properties"]:
        console.print(Text(f"Property {p['name']}: {p['low']} .. {p['high']}", style="bold"))
        for e in p["placements"]:
            console.print(f"   {e['value']:>10}  {e['address']}  “{clip(e['text'])}”")
    for r in data["relations"]:
        console.print(f"{r['source']} —{r['type']}→ {r['target']}  ({plural(r['passages'], 'passage')}, "
                      f"{plural(r['participants'], 'participant')}, {plural(r['memos'], 'memo')})")
    for m in data["memos"]:
        console.print(f"Memo #{m['id']} {m['title']} ({m['type']})")


def _render_paradigm(view: dict) -> None:
    """Strauss & Corbin's paradigm: conditions → phenomenon (in its context) → strategies → consequences."""
    from rich.panel import Panel
    from rich.table import Table

    def box(title, items):
        return Panel("\n".join(items) or "—", title=title, border_style="dim")

    grid = Table.grid(expand=True, padding=(0, 1))
    for _ in range(3):
        grid.add_column(ratio=1)
    grid.add_row(box("Causal conditions", view["condition"]), box("Context", view["context"]),
                 box("Intervening conditions", view["intervening"]))
    grid.add_row("", Panel(view["phenomenon"], title="Phenomenon", border_style="bold"), "")
    grid.add_row(box("Strategies", view["strategy"]), "", box("Consequences", view["consequence"]))
    out_console().print(grid)


def _render_suggestions(suggestions) -> None:
    if not suggestions:
        err("No suggestions: code more passages, or group codes into categories first.")
        return
    t = table("A", "B", "Together", "Jaccard", "Try")
    for s in suggestions:
        t.add_row(s["a"], s["b"], str(s["both"]), f"{s['jaccard']:.2f}", s["command"])
    out_console().print(t)
    err("Suggestions only: nothing was related. Read the passages (gtcode compare A B) before relating.")
